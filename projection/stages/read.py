"""Sources: the pairs a run starts from, and the signature fields that say what data they are."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from itertools import count
from typing import Iterable, Iterator, Sequence

from projection.align.text import check_tokens
from projection.signature import Part
from projection.stages.base import Fields, Shard, Source
from projection.tags import check_tags
from projection.types import Alignment, Pair, Sentence, check_sequence

EMPTY = Sentence(())


class PairsSource(Source):
    """Pairs from memory (or any re-iterable); ``fields`` name the mode and the data for the signature; ``counts``:
    numbers for the report known when the pairs were made (such as the sentences left out)."""

    name = "read"

    def __init__(self, pairs: Iterable[Pair], fields: Fields = (), *, length: int | None = None,
                 counts: dict[str, int] | None = None) -> None:
        self.pairs = pairs
        self.fields = tuple(fields)
        self.length = length if length is not None else (len(pairs) if hasattr(pairs, "__len__") else None)
        self._counts = dict(counts or {})

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def read(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def signature(self) -> Fields:
        return self.fields

    def __len__(self) -> int:
        if self.length is None:
            raise TypeError("this source does not know its length in advance")
        return self.length


def _id(s: Sentence, k: int) -> str:
    return s.id or str(k)


def _check_sentence(src: Sentence, tgt: Sentence, k: int) -> None:
    """A clear error naming pair ``k`` for a token that is not a str or a source tag that is not IOB2 (found in
    review: they failed deep in the projection, with an ``AttributeError`` or an error naming no sentence)."""
    for side, tokens in (("source", src.tokens), ("target", tgt.tokens)):
        check_tokens(tokens, f"{side} sentence {k}")
    if src.tags is not None:  # not `src.tags or ()`: an array of tags has no truth value
        check_tags(src.tags, lambda j: f"source sentence {k} token {j}")


def model_input(sentences, name: str, side: str, *, labelled: bool) -> list[Sentence]:
    """The sentences of a model mode (``translate_test_plan``, ``translate_train_plan``) as tuples, checked as
    ``parallel_pairs`` checks its own, before any work (found in review: label ids of a datasets ``ClassLabel`` column
    failed after the translation and the alignment, naming "<tags> token 0" and no sentence; tokens in a numpy array,
    a ``to_pandas()`` row, failed in the aligner with numpy's "truth value of an array ... is ambiguous"; a list of
    token lists failed with "'list' object has no attribute 'id'"). ``name``: the parameter, ``side``: what a
    sentence is called in errors; ``labelled``: the tags are the labels to project
    (required); else they are gold for the score (optional)."""
    check_sequence(sentences, name, "of Sentences", needs=("__len__", "__iter__"), refuse=(str, Sentence))
    out = []
    for k, s in enumerate(sentences):
        if not isinstance(s, Sentence):
            how = "Sentence(tokens, tags) (IOB2 tags)" if labelled else "Sentence(tokens) (gold IOB2 tags optional)"
            raise TypeError(f"{side} sentence {k} is a {type(s).__name__}, not a Sentence: build it with {how}")
        s = _tupled(s)
        check_tokens(s.tokens, f"{side} sentence {k}")
        if s.tags is not None:
            check_tags(s.tags, lambda j: f"{side} sentence {k} token {j}")
        out.append(s)
    return out


def _tupled(s: Sentence) -> Sentence:
    """``s`` with its tokens and tags in tuples, as the stages read them (found in review: tokens in a numpy array, as
    ``Dataset.to_pandas()`` or a numpy-formatted dataset gives a row's list, failed deep in the projection stage with
    numpy's "truth value of an array ... is ambiguous")."""
    if type(s.tokens) is tuple and (s.tags is None or type(s.tags) is tuple):
        return s
    return Sentence(tuple(s.tokens), None if s.tags is None else tuple(s.tags), s.id)


def _target_spans(spans: Sequence[tuple[int, int]], n: int, k: int) -> tuple[tuple[int, int], ...]:
    """The ``ner.v1`` candidates given for pair ``k`` as ``(start, end)`` int pairs inside its ``n`` target tokens (found
    in review: a float span failed deep in the scoring with "list indices must be integers", and a span outside the
    sentence was refused naming "sentence ''", not the pair)."""
    out = []
    for span in spans:
        try:
            a, b = span
            if isinstance(a, bool) or isinstance(b, bool):
                raise TypeError
            a, b = operator.index(a), operator.index(b)
        except (TypeError, ValueError):
            raise ValueError(f"target_spans of pair {k}: expected (start, end) pairs of whole-number word indices, "
                             f"got {span!r}") from None  # fmt: skip
        if not 0 <= a < b <= n:
            raise ValueError(f"target_spans of pair {k}: span [{a}, {b}) is not inside its {n} target tokens; target "
                             f"spans are 0-based [start, end) word indices with start < end <= {n}")  # fmt: skip
        out.append((a, b))
    return tuple(out)


def parallel_pairs(
    sources: Sequence[Sentence],
    targets: Sequence[Sentence | Sequence[str]],
    alignments: Sequence[Alignment] | None = None,
    target_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> list[Pair]:
    """Labelled sources and target sentences (or token lists) of the same length, optionally aligned."""
    # found in review: one Sentence as the sources (or a str as the targets) was read as a sequence of tokens
    # (characters) and refused as "5 source sentences but 1 target sentences"; a generator failed with "has no len()"
    for name, value, what in (("sources", sources, "Sentence"), ("targets", targets, "Sentence or token tuple"),
                              ("alignments", alignments, "Alignment"), ("target_spans", target_spans, "span list")):
        if value is None and name in ("alignments", "target_spans"):
            continue
        check_sequence(value, name, f"with one {what} per sentence pair", needs=("__len__", "__getitem__"),
                       refuse=(str, Sentence))  # fmt: skip
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} source sentences but {len(targets)} target sentences")
    if alignments is not None and len(alignments) != len(sources):
        raise ValueError(f"{len(alignments)} alignments for {len(sources)} sentence pairs")
    if target_spans is not None and len(target_spans) != len(targets):
        raise ValueError(f"{len(target_spans)} target span lists for {len(targets)} target sentences")
    for k, a in enumerate(alignments or ()):  # Alignment(...) built directly keeps its links as given
        if not isinstance(a, Alignment):
            # a str is Pharaoh text, as a built dataset's ``alignment`` column holds it (found in review: the advice
            # was Alignment.of, which refuses a str)
            how = "Alignment.from_pharaoh" if isinstance(a, str) else "Alignment.of"
            raise TypeError(f"alignment {k} is a {type(a).__name__}, not an Alignment (build it with {how})")
        if a != Alignment.of(a.pairs, a.possible):
            if not (isinstance(a.pairs, tuple) and isinstance(a.possible, tuple)
                    and all(type(link) is tuple for link in a.pairs + a.possible)):  # fmt: skip
                # found in review: sorted, unique links given as lists were refused as "not sorted, unique"
                raise TypeError(f"alignment {k} holds its links in lists: an Alignment holds tuples of (i, j) "
                                "tuples; build it with Alignment.of(sure, possible)")  # fmt: skip
            raise ValueError(f"alignment {k} has links that are not sorted, unique and (possible ones) not also sure: "
                             f"{a.to_pharaoh()!r}; build it with Alignment.of(sure, possible)")  # fmt: skip
    out = []
    for k, (s, t) in enumerate(zip(sources, targets)):
        if not isinstance(s, Sentence):  # the source's tags are the labels to project
            raise TypeError(f"source sentence {k} is a {type(s).__name__}, not a Sentence: build it with "
                            "Sentence(tokens, tags) (IOB2 tags)")  # fmt: skip
        if isinstance(t, str):  # a str is a sequence too: of characters
            raise TypeError(f"target sentence {k} is a str, not a sequence of tokens: split it into words "
                            "(text.split()) or pass a Sentence")  # fmt: skip
        if isinstance(t, (Mapping, AbstractSet)):  # found in review: a datasets row (a Dataset given as the targets,
            # or list() of an IterableDataset) was read as its column names, ('tokens', 'ner_tags'), and projected onto
            raise TypeError(f"target sentence {k} is a {type(t).__name__}, not a sequence of tokens in order: "
                            + ("pass its token list (row['tokens'], or ds['tokens'] for every target) or a Sentence"
                               if isinstance(t, Mapping) else "pass a list or a Sentence"))  # fmt: skip
        tgt = _tupled(t) if isinstance(t, Sentence) else Sentence(tuple(t))
        s = _tupled(s)
        _check_sentence(s, tgt, k)
        out.append(
            Pair(
                _id(tgt, k) if isinstance(t, Sentence) and t.id else _id(s, k),
                s,
                tgt,
                alignment=alignments[k] if alignments is not None else None,
                target_spans=_target_spans(target_spans[k], len(tgt), k) if target_spans is not None else None,
            )
        )
    return out


def target_pairs(sentences: Sequence[Sentence], english: Sequence[Sequence[str]] | None = None) -> list[Pair]:
    """translate-test: gold target sentences; the English side comes from MT (or ``english``, given)."""
    if english is not None and len(english) != len(sentences):
        raise ValueError(f"{len(english)} translations for {len(sentences)} sentences")
    return [
        Pair(_id(s, k), Sentence(tuple(english[k])) if english is not None else EMPTY, s)
        for k, s in enumerate(sentences)
    ]


def english_pairs(sentences: Sequence[Sentence], translated: Sequence[Sequence[str]] | None = None) -> list[Pair]:
    """translate-train: labelled English sentences; the target side comes from MT (or ``translated``)."""
    if translated is not None and len(translated) != len(sentences):
        raise ValueError(f"{len(translated)} translations for {len(sentences)} sentences")
    out = []
    for k, s in enumerate(sentences):
        if s.tags is None:
            raise ValueError(f"sentence {s.id or k + 1!r} has no gold tags; translate-train needs labelled English")
        out.append(Pair(_id(s, k), s, Sentence(tuple(translated[k])) if translated is not None else EMPTY))
    return out


def mode_field(mode: str) -> tuple[str, Part]:
    return ("mode", Part(mode))


class FilePairsSource(Source):
    """``silver-ner project``'s inputs streamed from disk: a labelled source CoNLL file, a target file (CoNLL or
    one sentence per line) and optionally given Pharaoh alignments, read in step, one pair at a time (memory
    stays flat in corpus size). Every check runs on the stream and raises before the last pair is handed on:
    the files must have the same number of sentences, links must lie inside their pair, and every
    ``drop_labels`` type must occur in the source. (Outputs are written atomically, so a late error leaves no
    partial file; with an aligner the whole stream is read before any alignment work.) With given alignments
    and plain CoNLL files, ``shards`` lets a pool's workers read the chunks themselves."""

    name = "read"

    def __init__(self, source_path, target_path, alignments_path=None, *, drop_labels=(), fields: Fields = (),
                 length: int | None = None, target_format: str = "auto", conll_out: bool = False) -> None:  # fmt: skip
        from projection.io.conll import PlainReader, iter_conll, iter_sentences

        self.paths = (str(source_path), str(target_path), str(alignments_path) if alignments_path else None)
        self.source = iter_conll(source_path)
        self.target = iter_sentences(target_path, format=target_format)
        self.target_format = "plain" if isinstance(self.target, PlainReader) else "conll"
        self.drop_labels = tuple(drop_labels)
        self.fields = tuple(fields)
        self.length = length
        #: the target's tokens go to a CoNLL output: a plain target's token that it cannot hold is refused while the
        #: stream is read, before any alignment work (a CoNLL target's tokens are read-back-safe by construction)
        self.conll_out = conll_out

    def signature(self) -> Fields:
        return self.fields

    def counts(self) -> dict[str, int]:
        return {"repaired_source_tags": self.source.repaired, "repaired_target_tags": self.target.repaired}

    def __len__(self) -> int:
        if self.length is None:
            raise TypeError("the number of pairs is known after reading")
        return self.length

    def expected_length(self) -> int | None:
        """The lines of the Pharaoh file, else the sentences of a plain source file (one pass that builds no
        sentence), for the bar of a run that reads the files as it goes (``--jobs 1``, a neural aligner): found in
        review, its bar had no total until the last chunk. ``None`` when neither can be counted that way."""
        from projection.io.pharaoh import PharaohError
        from projection.io.shards import count_lines, regular_conll

        src_path, _, al_path = self.paths
        try:
            return count_lines(al_path, PharaohError) if al_path is not None else regular_conll(src_path)
        except (OSError, ValueError):  # an unreadable file: reading names it
            return None

    def read(self) -> Iterator[Pair]:
        from itertools import zip_longest

        from projection.io.pharaoh import iter_alignments

        src_path, _, al_path = self.paths
        links = iter_alignments(al_path) if al_path else None
        streams = [iter(self.source), iter(self.target)] + ([links] if links is not None else [])
        labels: set[str] = set()
        n = 0
        pending: Pair | None = None  # held back one step, so a late error stops the run before its last pair
        for items in zip_longest(*streams):
            if any(x is None for x in items):
                self._mismatch(items, n, streams)
            s, t = items[0], items[1]
            if n == 0 and s.tags is None:
                raise ValueError(f"{src_path}: the source needs gold tags (token and tag columns)")
            if self.conll_out and (self.target_format == "plain" or n == 0):
                # a CoNLL target's tokens read back, but for its first sentence's first token: a byte-order mark
                # kept on it (the file's first line is a comment or -DOCSTART-) is dropped at the start of --out
                _check_conll_tokens(t, self.paths[1], first=n == 0)
            pair = _file_pair(n, s, t, items[2] if links is not None else None, al_path)
            if self.drop_labels:  # the types are needed only to check --drop-label
                labels.update(sp.label for sp in s.spans)
                if isinstance(t, Sentence) and t.tags is not None:  # a type of the target's gold alone: left out
                    labels.update(sp.label for sp in t.spans)  # of the score (found in review: DATE was refused)
            n += 1
            if pending is not None:
                yield pending
            pending = pair
        if not n:
            raise ValueError(f"{src_path}: no sentences")
        if self.drop_labels:
            from projection.options import check_labels_present

            where = f"{src_path} or {self.paths[1]}" if getattr(self.target, "has_tags", False) else str(src_path)
            check_labels_present("--drop-label", self.drop_labels, sorted(labels), where)
        self.length = n
        if pending is not None:
            yield pending

    def _mismatch(self, items, n: int, streams) -> None:
        totals = [n + (x is not None) + sum(1 for _ in stream) for x, stream in zip(items, streams)]
        raise self._count_error(totals)

    def _count_error(self, totals: list[int]) -> ValueError:
        src_path, tgt_path, al_path = self.paths
        if totals[0] != totals[1]:
            note = getattr(self.target, "note", "")  # set when the target's format was detected, not given
            if note and self.target_format == "plain":
                note = f"read as one sentence per line because {note}"
            return ValueError(f"{src_path} has {totals[0]} sentences but {tgt_path} has {totals[1]}; "
                              "the files must be sentence-aligned" + (f" ({tgt_path} was {note})" if note else ""))  # fmt: skip
        return ValueError(f"{al_path} has {totals[2]} lines but there are {totals[0]} sentence pairs; "
                          "give one Pharaoh line per pair")  # fmt: skip

    def shards(self, size: int) -> Iterator[Shard] | None:
        """With given alignments, no ``drop_labels`` and two CoNLL files of the plainest shape
        (``projection.io.shards``): ``FileShard`` readers of ``size`` pairs, cut after counting the sentences
        (mismatched counts raise here, before any work: of several errors in the files this one then comes first,
        where ``read()`` meets the counts only at the end). Otherwise ``None``: the pairs are read by ``read()``."""
        from projection.io.conll import ConllError, ConllReader
        from projection.io.pharaoh import PharaohError
        from projection.io.shards import count_lines, regular_conll

        src_path, tgt_path, al_path = self.paths
        if al_path is None or self.drop_labels or not isinstance(self.target, ConllReader):
            return None
        n_src = regular_conll(src_path)
        n_tgt = regular_conll(tgt_path) if n_src is not None else None
        if n_src is None or n_tgt is None:
            return None
        try:
            layouts = (self.source.head_layout(), self.target.head_layout())
        except ConllError:  # a file refused from its first lines (a language prefix): read() names it in its order,
            # after any error in the source's first sentence (found in review: --jobs 2 named the target's prefix,
            # --jobs 1 a bad tag on line 1 of the source)
            return None
        if not (layouts[0][0] and layouts[1][0]):
            return None
        try:
            n_al = count_lines(al_path, PharaohError)
        except PharaohError:  # not UTF-8 text: the driver names it where its reading meets it, after earlier errors
            return None
        if not n_src == n_tgt == n_al:
            raise self._count_error([n_src, n_tgt, n_al])
        self.length = n_src
        return self._shards(size, layouts)

    def _shards(self, size: int, layouts) -> Iterator[FileShard]:
        from itertools import zip_longest

        from projection.io.pharaoh import PharaohError
        from projection.io.shards import conll_chunks, line_chunks

        src_path, tgt_path, al_path = self.paths
        total = self.length  # counted by shards(), before any chunk was cut
        first = 0
        for src, tgt, links in zip_longest(
            conll_chunks(src_path, size), conll_chunks(tgt_path, size), line_chunks(al_path, size, PharaohError)
        ):
            # found in review: a file rewritten during the run (after its count) lost the pairs past its new end
            # without a word when it ended at a chunk's edge (exit 0, a shorter --out), or failed with a traceback
            want = min(size, total - first)
            for path, got, unit in ((src_path, src and src[2], "sentences"), (tgt_path, tgt and tgt[2], "sentences"),
                                    (al_path, links and len(links), "lines")):  # fmt: skip
                if got != want:
                    raise _changed(path, total, unit)
            yield FileShard(self.source, self.target, al_path, src[:2], tgt[:2], links, layouts, first, want,
                            conll_out=self.conll_out)  # fmt: skip
            first += want
        if first != total:  # every file ended early, at one chunk's edge
            raise _changed(src_path, total)


def _changed(path: str, counted: int, unit: str = "sentences") -> ValueError:
    """A file of ``FilePairsSource.shards`` whose chunks do not add up to what was counted before they were cut."""
    return ValueError(f"{path} changed while it was read (it had {counted} {unit} when the run started); run again "
                      "once no other process writes it")


def _check_conll_tokens(t: Sentence, path: str, *, first: bool) -> None:
    """A ``ValueError`` naming ``path:line`` for a token of a one-sentence-per-line target that the CoNLL output
    cannot hold (found in review: ``-DOCSTART-`` in a plain target failed the run at writing, after the whole
    alignment)."""
    from projection.io.conll_write import unwritable

    found = unwritable(t.tokens, first=first)
    if found is not None:
        token, why = found
        line = (t.id or "").rpartition(":")[2]
        raise ValueError(f"{path}:{line}: token {token!r} cannot be written to the CoNLL output ({why}); change or "
                         "remove it in the target file")


def _file_pair(n: int, s: Sentence, t: Sentence, a: Alignment | None, al_path) -> Pair:
    """Pair number ``n`` (0-based) of ``FilePairsSource``'s files: its links checked against both sides (errors
    name line ``n + 1`` of the Pharaoh file), its id the target sentence's (``path:line``)."""
    if a is not None and not a.fits(len(s), len(t)):
        a.check_bounds(len(s), len(t), where=f"{al_path}:{n + 1}", given=True)
    return Pair(t.id or str(n), s, t, alignment=a)


class FileShard(Shard):
    """``size`` pairs of ``FilePairsSource`` as text cut from its three files, read where the chunk runs with the
    source's own readers: every check and error of ``read()``, pair by pair in its order (errors name the files'
    own lines)."""

    def __init__(self, source, target, al_path, src, tgt, links, layouts, first: int, size: int, *,
                 conll_out: bool = False) -> None:  # fmt: skip
        self.source, self.target, self.al_path = source, target, al_path
        self.src, self.tgt, self.links, self.layouts = src, tgt, links, layouts
        self.first, self.size = first, size
        self.conll_out = conll_out  # the first target sentence is checked as ``read()`` checks it

    def read(self) -> tuple[list[Pair], dict[str, int]]:
        from copy import copy

        from projection.io.pharaoh import parse_pharaoh

        # copies: a shard read in the driver (a few chunks stay there) must not add to the source's own counts
        src_reader, tgt_reader = copy(self.source), copy(self.target)
        src_reader.repaired = tgt_reader.repaired = 0
        sources = src_reader.iter_text(*self.src, self.layouts[0])
        targets = tgt_reader.iter_text(*self.tgt, self.layouts[1])
        pairs = []
        # pair by pair in the order of read(): the source sentence, the target sentence, the links and their bounds;
        # so of several errors in a shard the one read() meets first is raised
        for n, line in zip(count(self.first), self.links):
            s, t = next(sources, None), next(targets, None)
            if s is None or t is None:
                break
            if self.conll_out and n == 0:
                _check_conll_tokens(t, self.target.path, first=True)
            a = parse_pharaoh(line, where=f"{self.al_path}:{n + 1}")  # line n + 1 of the Pharaoh file
            pairs.append(_file_pair(n, s, t, a, self.al_path))
        if len(pairs) != self.size or next(sources, None) is not None or next(targets, None) is not None:
            raise RuntimeError(f"a shard of {self.size} pairs did not hold {self.size} sentences on each side")
        counts = {"repaired_source_tags": src_reader.repaired, "repaired_target_tags": tgt_reader.repaired}
        return pairs, counts
