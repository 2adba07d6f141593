"""CoNLL writing: ``token<TAB>tag`` lines (or one token per line), a blank line after each sentence, through
``projection.cache.atomic_open`` (the file appears only when every sentence was written). A token or tag that would
not read back identically with ``projection.io.conll`` is refused, naming the sentence. ``ConllFormatter`` does the
formatting and the checks without a file, so a worker can format its chunk and the writer append the text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import ClassVar

from projection.io.conll import _MAX_TAGS, WS
from projection.io.lines import BOM, OutputFile
from projection.tags import _INSIDE, _PARTS, first_ill_formed, tag_parts

#: valid tag -> its column as written, "\tTAG\n" (a corpus has few tags)
_TAB_TAG_NL: dict[str, str] = {"O": "\tO\n"}


def _token_problem(token: str, tagged: bool) -> str:
    """Why ``token`` would not read back identically from a CoNLL file ("" when it would)."""
    if not token:
        return "it is empty"
    if any(c in token for c in "\t\n\r"):  # a vertical tab or form feed inside a token reads back (lines end at \n)
        return "it holds a tab, a line break or another control whitespace"
    if token != token.strip(WS):
        return "it starts or ends with whitespace, which reading strips"
    if token.startswith("-DOCSTART-"):
        return "reading skips -DOCSTART- lines"
    if not tagged and " " in token:
        return "a one-token-per-line file cannot hold a space inside a token"
    return ""


#: why a file's first token may not start with a byte-order mark
BOM_PROBLEM = "it starts with a byte-order mark, which reading drops at the start of a file"


def unwritable(tokens: Sequence[str], *, first: bool) -> tuple[str, str] | None:
    """The first of a tagged sentence's ``tokens`` that would not read back identically from the CoNLL output, and
    why; ``first``: the sentence opens the output, so its first token may not start with a byte-order mark."""
    for k, token in enumerate(tokens):
        why = _token_problem(token, True)
        if not why and first and k == 0 and token.startswith(BOM):
            why = BOM_PROBLEM
        if why:
            return token, why
    return None


def _first_token_check(text: str) -> None:
    """A byte-order mark is dropped by reading at the start of a file only: the first token of a file may not start
    with one; anywhere else it reads back (found in review: a concatenation of files with marks, read, failed at
    writing after all the work)."""
    if text[:1] == "\ufeff":
        token = text.split("\t", 1)[0].split("\n", 1)[0]
        raise ValueError(f"sentence 1: token {token!r} cannot be written to CoNLL: {BOM_PROBLEM}")


class ConllFormatter:
    """CoNLL text of sentences with every check of ``ConllWriter``: ``format(tokens, tags, k)`` returns the
    sentence's lines and a blank line, or raises ``ValueError`` naming sentence ``k`` when a token or tag would
    not read back identically, or when it is tagged unlike the sentences before. No file: a worker formats its
    chunk and the writer appends the text (``ConllWriter.write_text``)."""

    _MAX_CHECKED = 1 << 17  # distinct tokens remembered as checked
    #: tokens found writable, per ``tagged``, shared by the formatters of a process (a worker formats many chunks)
    _CHECKED: ClassVar[dict[bool, set[str]]] = {True: set(), False: set()}

    def __init__(self) -> None:
        self.tagged: bool | None = None

    def format(self, tokens: Sequence[str], tags: Sequence[str] | None, k: int, *, iob2: bool = False) -> str:
        """``iob2``: the caller made ``tags`` as IOB2 (``spans_to_bio``, a projection's silver tags), so the check
        that no I- tag would be repaired on reading is skipped (it costs about 1 % of a ``project`` run)."""
        tagged = tags is not None
        for what, seq in (("tokens", tokens), ("tags", tags)):
            if isinstance(seq, str):  # a str is a sequence too: of characters, written one per line
                raise ValueError(f"sentence {k}: {what} is the str {seq!r}, not a sequence of {what}")
        if self.tagged is None:
            self.tagged = tagged
        elif self.tagged != tagged:
            raise ValueError(f"sentence {k}: {'no tags' if self.tagged else 'tags'}, unlike the sentences before")
        if tags is not None and len(tokens) != len(tags):
            raise ValueError(f"sentence {k}: {len(tokens)} tokens but {len(tags)} tags")
        if len(tokens) == 0:  # not `not tokens`: tokens in a numpy array have no truth value (found in review)
            raise ValueError(f"sentence {k}: no tokens; CoNLL cannot hold an empty sentence")
        checked = self._CHECKED[tagged]
        try:
            known = checked.issuperset(tokens)
        except TypeError:  # an unhashable token (a list: tokens one level too deep): named below
            known = False
        if not known:
            for j, token in enumerate(tokens):
                if not isinstance(token, str):  # found in review: an int failed with "argument of type 'int' is not
                    # iterable", and None or 0 was called "empty"
                    raise ValueError(f"sentence {k}: token {j + 1} is {token!r} (a {type(token).__name__}): tokens "
                                     "must be strings")  # fmt: skip
                if token not in checked:
                    why = _token_problem(token, tagged)
                    if why:
                        raise ValueError(f"sentence {k}: token {token!r} cannot be written to CoNLL: {why}")
                    if len(checked) < self._MAX_CHECKED:
                        checked.add(token)
        if tags is None:
            return "\n".join(tokens) + "\n\n"
        try:
            columns = list(map(_TAB_TAG_NL.get, tags))  # "\tTAG\n" of each valid tag met before (kept by tag_parts)
        except TypeError:  # an unhashable tag (a list or an array): named below
            columns = [None]
        if None in columns:
            for j, tag in enumerate(tags):
                if not isinstance(tag, str):  # a label id (a datasets ClassLabel column) is named, with the way out
                    tag_parts(tag, where=f"sentence {k} token {j + 1}")
                if tag not in _TAB_TAG_NL:
                    why = _token_problem(tag, True)
                    if why:
                        raise ValueError(f"sentence {k}: tag {tag!r} cannot be written to CoNLL: {why}")
                    tag_parts(tag, where=f"sentence {k}")  # raises for an invalid tag
                    if len(_TAB_TAG_NL) < _MAX_TAGS and tag in _PARTS:
                        _TAB_TAG_NL[tag] = f"\t{tag}\n"
            columns = [f"\t{tag}\n" for tag in tags]
            bad = -1 if iob2 else first_ill_formed(tags)
        else:  # every tag is kept, so the I- tags are among _INSIDE's
            bad = -1 if iob2 or _INSIDE.keys().isdisjoint(tags) else first_ill_formed(tags, kept=True)
        if bad >= 0:
            before = f"after {tags[bad - 1]!r}" if bad else "first"
            raise ValueError(
                f"sentence {k}: tag {tags[bad]!r} at token {bad + 1} comes {before}, so reading would repair it to "
                f"{tag_parts(tags[bad])[2]!r}; write IOB2 (an entity starts with B-)"
            )
        lines = [""] * (2 * len(tokens))  # token, "\ttag\n", token, ...: one join, no string per line
        lines[0::2] = tokens
        lines[1::2] = columns
        return "".join(lines) + "\n"


class ConllWriter(OutputFile):
    """Write sentences one at a time: ``with ConllWriter(path) as w: w.write(tokens, tags)``.

    ``tags=None`` writes one token per line; every sentence of a file is tagged or none is. A token or tag that
    would not read back identically is refused (``ValueError`` naming the sentence). The file appears (atomically
    replacing an old one) only when the ``with`` block ends without an error. ``write_text`` appends sentences
    that a ``ConllFormatter`` formatted elsewhere."""

    _BUFFER = 512  # sentences joined into one write

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__(path)
        self.sentences = 0
        self._formatter = ConllFormatter()
        self._buffer: list[str] = []

    def _finish(self, ok: bool) -> None:
        if ok and self._buffer:
            self._fh.write("".join(self._buffer))  # type: ignore[union-attr]
        self._buffer.clear()

    def write(self, tokens: Sequence[str], tags: Sequence[str] | None = None) -> None:
        """Write one sentence; raise ``ValueError`` naming the sentence if it would not read back identically."""
        if self._fh is None:
            raise ValueError("ConllWriter.write outside its with block")
        self.sentences += 1
        text = self._formatter.format(tokens, tags, self.sentences)
        if self.sentences == 1:
            _first_token_check(text)
        self._buffer.append(text)
        if len(self._buffer) >= self._BUFFER:
            self._fh.write("".join(self._buffer))
            self._buffer.clear()

    def write_text(self, text: str, sentences: int, tagged: bool | None) -> None:
        """Append ``sentences`` sentences formatted by a ``ConllFormatter`` (``tagged``: its ``tagged``)."""
        if self._fh is None:
            raise ValueError("ConllWriter.write_text outside its with block")
        formatter = self._formatter
        if tagged is not None and formatter.tagged is not None and tagged != formatter.tagged:
            k = self.sentences + 1
            raise ValueError(f"sentence {k}: {'no tags' if formatter.tagged else 'tags'}, unlike the sentences before")
        if formatter.tagged is None:
            formatter.tagged = tagged
        if not self.sentences:
            _first_token_check(text)
        self.sentences += sentences
        if self._buffer:  # sentences written one at a time before this text
            self._fh.write("".join(self._buffer))
            self._buffer.clear()
        self._fh.write(text)


def write_conll(path: str | os.PathLike, rows: Iterable[tuple[Sequence[str], Sequence[str] | None]]) -> None:
    """Write ``(tokens, tags)`` rows (or ``Sentence``s, as ``read_conll`` gives them) as ``token<TAB>tag`` lines, a
    blank line after each sentence; atomic."""
    from collections.abc import Mapping

    from projection.types import Sentence

    with ConllWriter(path) as writer:
        for k, row in enumerate(rows, start=1):
            # found in review: a Sentence failed with "cannot unpack non-iterable Sentence object", and a datasets
            # row (a dict) unpacked its keys: "sentence 1: 6 tokens but 8 tags" for {"tokens": …, "ner_tags": …}
            if isinstance(row, Sentence):
                tokens, tags = row.tokens, row.tags
            else:
                try:  # any iterable of two unpacks, as before the check (a row given as map(list, pair) too)
                    if isinstance(row, (Mapping, str, bytes)):
                        raise TypeError
                    tokens, tags = row
                except (TypeError, ValueError):
                    raise TypeError(f"row {k} of write_conll is a {type(row).__name__}: give (tokens, tags) pairs, "
                                    "such as zip(tokens_lists, tags_lists), or Sentences") from None  # fmt: skip
            writer.write(tokens, tags)
