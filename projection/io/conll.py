"""Strict, streaming CoNLL and plain-text reading (writing: ``projection.io.conll_write``).

CoNLL reading rules (every error names ``path:line`` and what to do):

- Text: UTF-8; a byte-order mark at the start of the file is dropped; lines end with ``\\n`` or ``\\r\\n`` (a ``\\r``
  between two characters of a line is an error: old Mac line ends would read as one line).
- Columns: split on tabs when the line has a tab, else on runs of spaces. Each column is stripped of ASCII
  whitespace, so a space before the tab never stays in the token; trailing whitespace of a line is ignored. A line
  that starts with its separator has an empty first column: an empty token is an error unless ``empty_token``
  replaces it (MasakhaNER2 ``xho`` has lines ``" O"``).
- Sentences: a blank (or whitespace-only) line ends a sentence; ``-DOCSTART-`` lines end one and are skipped.
- Tagged or not: decided once per file by most of its first 100 token lines (among its first 1,000 lines; ``#``
  lines not counted): two or more columns -> tagged (token in ``token_col``, IOB2 tag in ``tag_col``), one column ->
  one token per line. A line that disagrees is an error on that line (so a token-only line 1 of a tagged file is
  blamed on line 1), saying how the file was read. ``tag_col=None`` reads tokens only.
- Comments (``comments=True``): a line starting with ``#`` is a comment only before a sentence's first token, and
  only when it cannot be a token line of this file: in a file with columns, when its tag column (``tag_col``, or the
  last one if ``tag_col=None``) is not an IOB2 tag; in a one-column file, when it holds several words. So ``#\\tO``
  and a one-column ``#hashtag`` are tokens, ``# text = ...`` is a comment, and inside a sentence every line is a
  token line. ``comments=False``: no line is a comment.
- Not read: a file whose first token lines all start with one language prefix (``en:Paris``, PAN-X before XTREME's
  preprocessing), and (``detect_format``) a target whose first line is a JSON object with a list (JSON Lines).
- IOB2: ill-formed tags (an I- after O or after another type) are repaired to B- per sentence and counted
  (``Corpus.repaired``, ``ConllReader.repaired``); a tag that is not IOB2 at all is an error.

Plain text (``read_plain``): one sentence per line, tokens split on whitespace; blank lines at the end are ignored,
a blank line between sentences is an error (it would pair every later sentence with the wrong source sentence).
``read_sentences`` detects which of the two a file is (``detect_format``) and says so in its errors.

Speed and memory: files are read in 1 MiB blocks of whole lines (memory flat in file size; ``iter_conll`` yields
one sentence at a time). The common ``token<TAB>tag`` shape is read a sentence at a time with a few C-level calls,
other simple shapes likewise with a shape check, everything else line by line; the results and errors are the same
either way (``tests/projection/io/test_conll.py`` compares them on random files).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from projection.io.lines import CHUNK, InputFileError, check_readable, iter_line_blocks, iter_text_blocks
from projection.tags import _INSIDE, repair_in_place, tag_parts
from projection.tags import _PARTS as _TAG_PARTS
from projection.types import Sentence

WS = " \t\n\r\f\v"  # the ASCII whitespace stripped around columns
HEAD_LINES = 100  # token lines that decide whether a file is tagged ...
HEAD_SCAN = 1000  # ... among its first lines
DETECT_LINES = 200  # non-blank lines read to tell CoNLL from plain text
#: "tag\n" -> tag for the valid IOB2 tags met (one shared string per tag: a corpus holds one "O", not one per token)
_TAG_NL: dict[str, str] = {"O\n": "O"}
_MAX_TAGS = 4096
#: a block holding any of these is read piece by piece (whitespace at a token's edge, -DOCSTART-)
_UNPLAIN = ("\n ", " \t", "\x0b", "\x0c", "\r", "-DOCSTART-")


class _Shapes(dict):
    """(separator, columns) -> a compiled pattern of lines with exactly that many columns (built on first use)."""

    def __missing__(self, key: tuple[str, int]) -> re.Pattern:
        sep, ncols = key
        cell = "[^\t\n]*" if sep == "\t" else "[^ \t\n]*"
        line = sep.join([cell] * ncols)
        self[key] = pattern = re.compile(f"{line}(?:\n{line})*")
        return pattern


_SHAPES = _Shapes()
#: a language prefix glued to a token, as in PAN-X before XTREME's preprocessing strips it (``en:Paris``)
_LANG_PREFIX = re.compile(r"([a-z]{2,3}:)\S")


class ConllError(InputFileError):
    """A malformed input file; the message starts with ``path:line`` (or ``path``)."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """The sentences of one file, whether it carried tags, how many IOB2 tags were repaired, and its format.

    A ``Corpus`` is the sequence of its sentences (``len``, iteration, indexing), so ``read_conll``'s result goes
    straight into ``project_corpus`` or a plan."""

    sentences: tuple[Sentence, ...]
    has_tags: bool
    repaired: int = 0
    path: str = ""
    format: str = "conll"
    empty_replaced: int = 0  # empty tokens read as ``empty_token``

    def __len__(self) -> int:
        return len(self.sentences)

    # found in review: with ``__len__`` alone, project_corpus(read_conll(a), read_conll(b)) passed the length check
    # and then failed deep in the pairing with "'Corpus' object is not iterable"
    def __iter__(self) -> Iterator[Sentence]:
        return iter(self.sentences)

    def __getitem__(self, index):
        return self.sentences[index]


def _columns(line: str) -> list[str]:
    """Columns of a right-stripped line: tab-separated if it has a tab, else separated by runs of spaces."""
    if "\t" in line:
        return line.split("\t")
    cols = line.split(" ")
    if "  " in line:
        cols = [cols[0], *[c for c in cols[1:] if c]]
    return cols


def _is_tag(text: str) -> bool:
    try:
        tag_parts(text.strip(WS))
    except ValueError:
        return False
    return True


class ConllReader:
    """Iterate over the sentences of a CoNLL file one at a time (see the module rules).

    After a full iteration ``repaired`` holds the number of repaired IOB2 tags, ``sentences`` the number read and
    ``has_tags`` whether the file is tagged (known once iteration has started). Iterating again re-reads the file.
    """

    _chunk = CHUNK  # bytes read at a time (tests make it tiny to cross block boundaries everywhere)
    _fast_path = True  # tests turn it off to compare with the line-by-line reading

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        token_col: int = 0,
        tag_col: int | None = -1,
        empty_token: str | None = None,
        comments: bool = True,
        note: str = "",
    ) -> None:
        check_readable(path, ConllError)
        self.path = Path(path)
        self.token_col = token_col
        self.tag_col = tag_col
        self.empty_token = empty_token
        self.comments = comments
        self.note = note  # appended to every error, e.g. why the file was read as CoNLL
        self.has_tags: bool | None = None
        self.repaired = 0
        self.empty_replaced = 0
        self.sentences = 0
        self._tagged = self._multi = False
        self._why = ""

    def __iter__(self) -> Iterator[Sentence]:
        yield from self._noted(self._read())

    def _noted(self, sentences: Iterator[Sentence]) -> Iterator[Sentence]:
        """``sentences``, with ``note`` appended to any reading error."""
        try:
            yield from sentences
        except ConllError as err:
            if self.note:
                raise ConllError(f"{err} ({self.note})") from None
            raise

    def _layout(self, lines: list[str]) -> tuple[bool, str]:
        """Whether the file has two or more columns (most of its first token lines do), and why."""
        votes = [0, 0]  # token lines with one column, with two or more
        hash_votes = [0, 0]
        prefixes = set()  # the "xx:" language prefixes of the tokens of the token lines counted (XTREME's raw PAN-X)
        first = 0
        for lineno, raw in enumerate(lines, start=1):
            line = raw.rstrip(WS)
            if not line or line.startswith("-DOCSTART-"):
                continue
            cols = _columns(line)
            multi = len(cols) > 1
            if line[0] == "#":
                hash_votes[multi] += 1
                continue
            votes[multi] += 1
            if len(prefixes) < 2:
                try:
                    found = _LANG_PREFIX.match(cols[self.token_col].strip(WS))
                except IndexError:
                    found = None
                prefixes.add(found.group(1) if found else None)
                first = first or lineno
            if votes[0] + votes[1] >= HEAD_LINES:
                break
        if len(prefixes) == 1 and None not in prefixes:
            prefix = next(iter(prefixes))
            raise ConllError(
                f"{self.path}:{first}: every token starts with {prefix!r} (the language prefix of XTREME's raw PAN-X "
                f"files?); it would be read as part of each word and spoil the alignment: remove it first (e.g. "
                f"sed 's/^{prefix}//' FILE > FILE.conll)"
            )
        if not votes[0] + votes[1]:
            votes = hash_votes
        total = votes[0] + votes[1]
        multi = total > 0 and votes[1] >= votes[0]
        why = (
            f"{votes[1]} of its first {total} token lines have two or more columns"
            if multi
            else f"{votes[0]} of its first {total} token lines have one column"
        )
        return multi, why

    def _is_comment(self, line: str, multi: bool) -> bool:
        cols = _columns(line)
        if not multi:
            return len(cols) > 1
        if len(cols) < 2:
            return True
        try:
            return not _is_tag(cols[-1 if self.tag_col is None else self.tag_col])
        except IndexError:
            return True

    def _read(self) -> Iterator[Sentence]:
        self.repaired = self.sentences = 0
        blocks = iter_text_blocks(self.path, ConllError, chunk=self._chunk)
        head, head_lines, late = _head(blocks)
        self._use_layout(self._layout(head_lines))
        yield from self._read_texts(chain(head, _raising(late) if late is not None else blocks))
        if not self.sentences:
            raise ConllError(f"{self.path}: no sentences (the file is empty or holds only comments)")

    def _read_texts(self, texts: Iterable[str], first_line: int = 1) -> Iterator[Sentence]:
        if self._fast_path and self._tagged and self.token_col in (0, -2) and self.tag_col in (1, -1):
            yield from self._read_tab_lines(texts, first_line)
        else:
            yield from self._read_pieces(texts, first_line)

    def _use_layout(self, layout: tuple[bool, str]) -> None:
        multi, self._why = layout
        self._multi = multi
        self.has_tags = self._tagged = self.tag_col is not None and multi

    def head_layout(self) -> tuple[bool, str]:
        """``(two or more columns, why)`` as reading decides it from the file's first lines."""
        lines = _head(iter_text_blocks(self.path, ConllError, chunk=self._chunk))[1]
        try:
            return self._layout(lines)
        except ConllError as err:  # the same message as when the file is read whole (``_noted``)
            if self.note:
                raise ConllError(f"{err} ({self.note})") from None
            raise

    def iter_text(self, text: str, first_line: int, layout: tuple[bool, str]) -> Iterator[Sentence]:
        """The sentences of ``text``, one at a time: whole sentences of this file from line ``first_line`` on (a
        shard cut by ``projection.io.shards``), read with the file's ``layout`` (``head_layout()``), every rule and
        error of reading the whole file (errors name the file's own line numbers, and come when the reading
        reaches them). Counts add to ``repaired`` and ``sentences``."""
        self._use_layout(layout)
        return self._noted(self._read_texts([text], first_line))

    def _bodies(self, texts: Iterable[str], lineno: int = 1) -> Iterator[tuple[str, int]]:
        """``(text, first line number)`` of runs of whole lines that end at an empty line (or at the end of the
        file), so that no sentence crosses two of them; each text ends with ``\\n``. ``lineno``: the number of
        the first line of ``texts``."""
        carry: str | None = None  # the lines after the last empty line of a block ("" is one empty line)
        late: ConllError | None = None
        try:
            for text in texts:
                if "\r" in text:
                    text = text.replace("\r\n", "\n")
                if carry is not None:
                    text = carry + "\n" + text
                cut = text.rfind("\n\n")
                if cut < 0:
                    carry = text
                    continue
                body, carry = text[: cut + 1], text[cut + 2 :]
                yield body, lineno
                lineno += body.count("\n") + 1
        except ConllError as err:  # a line that is not UTF-8: the lines before it are read first, so that an error
            late = err  # among them comes first (found in review: the last ones, held here, were never read)
        if carry:
            yield carry + "\n", lineno
        if late is not None:
            raise late

    def _no_bare_cr(self, line: str, lineno: int) -> None:
        """A ``\\r`` between two characters of a line is an error (found in review: a file with old Mac line ends,
        ``\\r`` alone, was one line whose middle columns were dropped: one sentence, exit 0); at a line's edges it is
        whitespace, stripped as before. Checked where ``_lines`` meets the line (every piece with a ``\\r`` is read
        there), so an error on an earlier line comes first (found in review: a stray ``\\r`` anywhere in the first
        MiB was named before a bad tag on line 1)."""
        if "\r" in line.strip(WS):
            raise ConllError(f"{self.path}:{lineno}: a carriage return (\\r) inside a line: old Mac line ends, or a "
                             "stray \\r? Lines must end with \\n or \\r\\n: convert the file (e.g. tr '\\r' '\\n')")

    def _read_tab_lines(self, texts: Iterable[str], first_line: int = 1) -> Iterator[Sentence]:
        """The common shape, ``token<TAB>tag`` lines, a sentence (a piece between empty lines) at a time: with
        every line end marked (``\\n`` -> ``\\n\\t``) one split gives token, ``tag\\n``, token, ...; each of the n
        lines holds exactly one tab iff there are 2n parts and every second one is a known ``tag\\n``. A piece that
        fails, and a block with whitespace at a token's edge or -DOCSTART-, is read by ``_fast``/``_lines``
        (every rule, every error). Small pieces keep the work in the processor's cache."""
        name = self.path.name
        tag_of = _TAG_NL
        inside = _INSIDE.keys()
        for body, lineno in self._bodies(texts, first_line):
            if body[0] in " \t" or any(x in body for x in _UNPLAIN):
                yield from self._pieces(body[:-1], lineno)
                continue
            for piece in body[:-1].split("\n\n"):
                start = lineno
                n = piece.count("\n") + 1
                lineno += n + 1
                if not piece:
                    continue
                if piece[0] == "\n":
                    stripped = piece.lstrip("\n")
                    start += len(piece) - len(stripped)
                    piece = stripped
                    n = piece.count("\n") + 1
                    if not piece:
                        continue
                parts = (piece + "\n").replace("\n", "\n\t").split("\t")
                parts.pop()  # the "" after the last line end
                raw_tags = parts[1::2]
                tags = list(map(tag_of.get, raw_tags))
                if None in tags and len(tag_of) < _MAX_TAGS:  # learn the valid tags met for the first time
                    for raw in set(raw_tags) - tag_of.keys():
                        # only a tag that tag_parts keeps (its cache is bounded): the repair below finds the I- tags
                        # among the kept ones; any other tag sends the piece to _lines, which parses every tag
                        tag = raw[:-1]
                        if raw[-1:] == "\n" and tag.strip(WS) == tag and _is_tag(tag) and tag in _TAG_PARTS:
                            tag_of[raw] = tag
                    tags = list(map(tag_of.get, raw_tags))
                tokens = tuple(parts[0::2])
                if len(parts) != 2 * n or None in tags or "" in tokens:
                    yield from self._lines(piece.split("\n"), start)
                    continue
                if not inside.isdisjoint(tags):  # an I- tag: repair what needs it
                    self.repaired += repair_in_place(tags)
                self.sentences += 1
                yield Sentence(tokens, tuple(tags), id=f"{name}:{start}")

    def _read_pieces(self, texts: Iterable[str], first_line: int = 1) -> Iterator[Sentence]:
        """Other shapes: see ``_pieces``."""
        for body, lineno in self._bodies(texts, first_line):
            yield from self._pieces(body[:-1], lineno)

    def _pieces(self, text: str, lineno: int) -> Iterator[Sentence]:
        """Split whole lines at empty lines into pieces (sentences never cross one); read a piece of one simple
        shape with a few C-level calls (``_fast``), the rest line by line (``_lines``)."""
        name = self.path.name
        fast, use_fast = self._fast, self._fast_path
        docstart = "-DOCSTART-" in text
        for piece in text.split("\n\n"):
            start = lineno
            lineno += piece.count("\n") + 2
            if not piece:
                continue
            if piece[0] == "\n":
                stripped = piece.lstrip("\n")
                start += len(piece) - len(stripped)
                piece = stripped
                if not piece:
                    continue
            found = None
            if use_fast and piece[0] not in "# \t" and not (docstart and "-DOCSTART-" in piece):
                found = fast(piece)
            if found is None:
                yield from self._lines(piece.split("\n"), start)
            else:
                self.sentences += 1
                yield Sentence(found[0], found[1], id=f"{name}:{start}")

    def _fast(self, piece: str) -> tuple[tuple[str, ...], tuple[str, ...] | None] | None:
        """(tokens, tags) of a one-sentence piece when every line has the same simple shape (``ncols`` columns,
        no whitespace around a column, known tags), else ``None``."""
        if "\x0b" in piece or "\x0c" in piece or "\r" in piece:
            return None
        n = piece.count("\n") + 1
        if not self._multi:
            if "\t" in piece or " " in piece or self.token_col not in (0, -1):  # a line's one column is 0 and -1
                return None
            tokens = tuple(piece.split("\n"))
            return None if "" in tokens else (tokens, None)
        if "\t" in piece:
            sep = "\t"
            if (
                " \t" in piece or "\t " in piece or " \n" in piece or "\n " in piece or "\t\n" in piece
                or piece[-1] in " \t"
            ):  # a separator at a line's end: reading strips it (a column counted from the end moves)
                return None
        else:
            sep = " "
            if "  " in piece or "\n " in piece or " \n" in piece or piece[-1] == " ":
                return None
        end = piece.find("\n")
        ncols = (piece.count(sep, 0, end) if end >= 0 else piece.count(sep)) + 1
        if ncols < 2 or piece.count(sep) != n * (ncols - 1):
            return None
        token_col, tag_col = self.token_col, self.tag_col
        if not -ncols <= token_col < ncols or (tag_col is not None and not -ncols <= tag_col < ncols):
            return None
        if n > 1:
            if not _SHAPES[sep, ncols].fullmatch(piece):
                return None
            parts = piece.replace("\n", sep).split(sep)
        else:
            parts = piece.split(sep)
        tokens = tuple(parts[token_col % ncols :: ncols])
        if "" in tokens:
            return None
        if not self._tagged:
            return tokens, None
        tags = parts[tag_col % ncols :: ncols]  # type: ignore[operator]
        distinct = set(tags)
        if not _TAG_PARTS.keys() >= distinct:
            return None
        self.repaired += repair_in_place(tags)
        return tokens, tuple(tags)

    def _lines(self, lines: list[str], lineno: int) -> Iterator[Sentence]:
        """Line by line: every rule of the module docstring, every error with its line."""
        path, name = self.path, self.path.name
        token_col, tag_col, empty_token, comments = self.token_col, self.tag_col, self.empty_token, self.comments
        tagged, multi, why = self._tagged, self._multi, self._why
        check_single = tag_col is not None and not multi
        parts_of = _TAG_PARTS
        tokens: list[str] = []
        tags: list[str] = []
        first = 0
        prev = ""  # label of the previous tag in the sentence, for the IOB2 repair
        lineno -= 1
        for raw in chain(lines, ("",)):
            lineno += 1
            if "\r" in raw:
                self._no_bare_cr(raw, lineno)
            line = raw.rstrip(WS)
            if not line:
                if tokens:
                    self.sentences += 1
                    yield Sentence(tuple(tokens), tuple(tags) if tagged else None, id=f"{name}:{first}")
                    tokens, tags, prev = [], [], ""
                continue
            c = line[0]
            if c == "#" and comments and not tokens and self._is_comment(line, multi):
                continue
            if c == "-" and line.startswith("-DOCSTART-"):
                if tokens:
                    self.sentences += 1
                    yield Sentence(tuple(tokens), tuple(tags) if tagged else None, id=f"{name}:{first}")
                    tokens, tags, prev = [], [], ""
                continue
            cols = _columns(line)
            if tagged:
                if len(cols) < 2:
                    raise ConllError(
                        f"{path}:{lineno}: expected a token and a tag separated by a tab or spaces, got {line!r} "
                        f"(the file reads as tagged: {why})"
                    )
                try:
                    tag = cols[tag_col]  # type: ignore[index]
                except IndexError:
                    raise ConllError(f"{path}:{lineno}: no column {tag_col} for the tag in {line!r}") from None
                p = parts_of.get(tag)
                if p is None:
                    tag = tag.strip(WS)
                    try:
                        p = tag_parts(tag, where=f"{path}:{lineno}")
                    except ValueError as err:
                        raise ConllError(str(err) + _column_hint(cols, tag_col)) from None
                if p[0] and p[1] != prev:
                    tag = p[2]
                    self.repaired += 1
                prev = p[1]
                tags.append(tag)
            elif check_single and len(cols) > 1:
                raise ConllError(
                    f"{path}:{lineno}: expected a single token, got {line!r} (the file reads as one token per "
                    f"line: {why}); put one token per line, or a token and a tag on every line"
                )
            try:
                token = cols[token_col].strip(WS)
            except IndexError:
                raise ConllError(f"{path}:{lineno}: no column {token_col} for the token in {line!r}") from None
            if not token:
                if empty_token is None:
                    raise ConllError(
                        f"{path}:{lineno}: empty token in {line!r}; give the line a token (e.g. _), or in Python "
                        "pass empty_token='_' to replace empty tokens"
                    )
                token = empty_token
                self.empty_replaced += 1
            if not tokens:
                first = lineno
            tokens.append(token)


def _column_hint(cols: list[str], tag_col: int) -> str:
    """A hint for a line whose tag column holds no tag: ``_other_tag_column``'s, else one for a tag in the first of
    two columns, or for a line of several words none of which is a tag (a file of one sentence per line, given where
    a labelled file is needed: found in review, the error named a word of the sentence as a bad tag and no more)."""
    hint = _other_tag_column(cols, tag_col)
    at = tag_col % len(cols)
    if hint or at != len(cols) - 1:
        return hint
    if len(cols) == 2 and _is_tag(cols[0]):
        return (f"; column 1 holds a tag ({cols[0].strip(WS)!r}) and the tag is read from column 2: put the token "
                "first and its tag second")  # fmt: skip
    if len(cols) >= 3 and not any(map(_is_tag, cols)):
        return (f"; the line has {len(cols)} columns and none is a tag: a file of one sentence per line has no tags "
                "(a labelled file holds a token and its IOB2 tag on each line)")  # fmt: skip
    return ""


def _other_tag_column(cols: list[str], tag_col: int) -> str:
    """A hint for a line whose tag column holds no tag while another column does (UNER's ``.iob2``: ``ID FORM NER -
    annotator``, read with the tag in the last column): which column to keep, and how."""
    at = tag_col % len(cols)
    other = [k for k, c in enumerate(cols) if k != at and _is_tag(c)]
    if len(cols) < 3 or not other or at != len(cols) - 1:  # a column chosen by the caller is not second-guessed
        return ""
    k = other[0]
    token = k - 1 if k > 0 else k + 1
    first, second = sorted((token + 1, k + 1))
    cut = f"cut -f{first},{second}"
    return (f"; column {k + 1} holds a tag ({cols[k].strip(WS)!r}): this file has more columns than a token and a "
            f"tag (UNER's .iob2 is ID, FORM, NER, ...), and the tag is read from column {at + 1}; keep the token "
            f"and tag columns first (for a tab-separated file: {cut} FILE > FILE.conll)")


def _head(blocks: Iterator[str]) -> tuple[list[str], list[str], ConllError | None]:
    """The first blocks of a file, taken from ``blocks``, their first ``HEAD_SCAN`` lines (which decide the
    layout), and the reading error met among them (a line that is not UTF-8), raised by the caller after the lines
    before it are read (found in review: a bad byte on line 50 was named before a bad tag on line 1)."""
    head: list[str] = []
    lines: list[str] = []
    try:
        for text in blocks:
            head.append(text)
            left = HEAD_SCAN - len(lines)
            lines += text.split("\n", left)[:left]
            if len(lines) >= HEAD_SCAN:
                break
    except ConllError as err:
        return head, lines, err
    return head, lines, None


def _raising(err: ConllError) -> Iterator[str]:
    """No block: ``err`` raised once the blocks before it are read."""
    raise err
    yield  # a generator


def iter_conll(
    path: str | os.PathLike,
    *,
    token_col: int = 0,
    tag_col: int | None = -1,
    empty_token: str | None = None,
    comments: bool = True,
) -> ConllReader:
    """A ``ConllReader``: iterate it for the sentences one at a time, then read ``.repaired``."""
    return ConllReader(path, token_col=token_col, tag_col=tag_col, empty_token=empty_token, comments=comments)


def read_conll(
    path: str | os.PathLike,
    *,
    token_col: int = 0,
    tag_col: int | None = -1,
    empty_token: str | None = None,
    comments: bool = True,
) -> Corpus:
    """Read a whole CoNLL file (see the module rules). ``tag_col=None`` reads tokens only; a file whose lines have
    one column is read as untagged."""
    reader = iter_conll(path, token_col=token_col, tag_col=tag_col, empty_token=empty_token, comments=comments)
    sentences = tuple(reader)
    return Corpus(sentences, bool(reader.has_tags), reader.repaired, str(path), "conll", reader.empty_replaced)


class PlainReader:
    """Iterate over a one-sentence-per-line file; same interface as ``ConllReader`` (``repaired`` is always 0)."""

    has_tags = False
    repaired = 0

    def __init__(self, path: str | os.PathLike, *, note: str = "") -> None:
        check_readable(path, ConllError)
        self.path = Path(path)
        self.note = note
        self.sentences = 0

    def __iter__(self) -> Iterator[Sentence]:
        path, name = self.path, self.path.name
        self.sentences = 0
        blank = 0  # the first blank line since the last sentence
        lineno = 0
        for raw in chain.from_iterable(iter_line_blocks(path, ConllError)):
            lineno += 1
            tokens = raw.split()
            if not tokens:
                blank = blank or lineno
                continue
            if blank:
                how = f" (read as one sentence per line because {self.note})" if self.note else ""
                raise ConllError(
                    f"{path}:{blank}: blank line between sentences in a one-sentence-per-line file{how}; it would "
                    "pair every later sentence with the wrong source sentence: remove it (or give an empty "
                    "sentence a placeholder token)"
                )
            self.sentences += 1
            yield Sentence(tuple(tokens), None, id=f"{name}:{lineno}")
        if not self.sentences:
            raise ConllError(f"{path}: no sentences (the file is empty)")


def read_plain(path: str | os.PathLike) -> Corpus:
    """One sentence per line, tokens separated by whitespace (see the module rules)."""
    return Corpus(tuple(PlainReader(path)), False, 0, str(path), "plain")


@dataclass(frozen=True, slots=True)
class Detected:
    """The format ``detect_format`` chose (``"conll"`` or ``"plain"``) and why, for messages."""

    format: str
    reason: str


def detect_format(path: str | os.PathLike) -> Detected:
    """CoNLL or one sentence per line, from the first 200 non-blank lines (blank lines do not count either way).

    CoNLL when a line has a tab, or when at least 90 % of the lines (``#`` and ``-DOCSTART-`` lines aside) are a
    single token or end with an IOB2 tag; plain text otherwise (its lines are sentences of several words)."""
    check_readable(path, ConllError)
    sample: list[str] = []
    lineno = 0
    blocks = iter_line_blocks(path, ConllError)
    while True:
        try:
            block = next(blocks, None)
        except ConllError:  # a line that is not UTF-8: decided from the lines before it, and reading names it in
            break  # its place, after any error before it (found in review: it was named before a bad tag on line 1)
        if block is None:
            break
        for line in block:
            lineno += 1
            if not sample and line.lstrip().startswith("{"):
                _no_json(path, lineno, line)
            if "\t" in line:
                return Detected("conll", f"line {lineno} has a tab")
            words = line.split()
            if not words or words[0].startswith(("#", "-DOCSTART-")):
                continue
            sample.append(" " if len(words) == 1 or (len(words) > 1 and _is_tag(words[-1])) else "")
            if len(sample) >= DETECT_LINES:
                break
        else:
            continue
        break
    n = len(sample)
    fit = sum(1 for s in sample if s)
    if not n:
        return Detected("conll", "it has no sentence lines")
    if fit * 10 >= n * 9:
        return Detected("conll", f"{fit} of its first {n} lines are a single token or a token and an IOB2 tag")
    return Detected(
        "plain", f"{n - fit} of its first {n} lines are neither a single token nor a token and an IOB2 tag"
    )


def _no_json(path: str | os.PathLike, lineno: int, line: str) -> None:
    """A ``ConllError`` when ``line`` is a JSON object holding a list (a JSON Lines record such as ``{"tokens": [...],
    "ner_tags": [...]}``; found in review: such a target was read as one sentence per line, its words
    ``{"tokens":``, ``["EU",`` …, and projected onto with exit 0)."""
    import json

    try:
        record = json.loads(line)
    except ValueError:
        return
    if isinstance(record, dict) and any(isinstance(v, list) for v in record.values()):
        raise ConllError(
            f"{path}:{lineno}: a JSON object (JSON Lines?), not CoNLL or one sentence per line; write it as CoNLL: "
            "a token and its tag on each line (token<TAB>tag), a blank line between sentences"
        )


def iter_sentences(path: str | os.PathLike, *, format: str = "auto") -> ConllReader | PlainReader:
    """A streaming reader for a target file: CoNLL or one sentence per line (``format="auto"`` detects which)."""
    if format not in ("auto", "conll", "plain"):
        raise ValueError(f"format must be 'auto', 'conll' or 'plain', got {format!r}")
    if format == "conll":
        return ConllReader(path)
    if format == "plain":
        return PlainReader(path)
    found = detect_format(path)
    if found.format == "plain":
        return PlainReader(path, note=found.reason)
    return ConllReader(
        path,
        note=f"read as CoNLL because {found.reason}; if the file is one sentence per line, read it as plain text: "
        "--target-format plain on the command line, format='plain' in Python",
    )


def read_sentences(path: str | os.PathLike, *, format: str = "auto") -> Corpus:
    """A whole target file: CoNLL, or one-sentence-per-line text (``format="auto"`` detects which)."""
    reader = iter_sentences(path, format=format)
    sentences = tuple(reader)
    fmt = "plain" if isinstance(reader, PlainReader) else "conll"
    return Corpus(sentences, bool(reader.has_tags), reader.repaired, str(path), fmt)


def looks_like_plain(path: str | os.PathLike) -> bool:
    """True when ``detect_format`` reads the file as one sentence per line."""
    return detect_format(path).format == "plain"
