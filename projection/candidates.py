"""Target candidate spans for each source entity.

An extractor returns, for every source entity, the list of ``(start, end)`` target spans it may be
projected to. Spans with a zero score are dropped later, so extractors may be generous.

- ``ngrams.v1``: every span of 1..``max_len`` words (``max_len=None``: every O(n²) span, as the paper),
  minus spans containing a stop token (``!``/``?``, as the paper).
- ``aligned.v1``: only spans inside the range of target words aligned to the entity, widened by
  ``window`` words on each side (default 0). For the alignment score this loses no optimum: a word
  outside that range carries no link, so adding it only lowers 2·links/(|s|+|t|), and every span with
  a positive score overlaps the range, where its trimmed part scores at least as high. A window lets
  the character-similarity term extend a span to an unaligned neighbour.
- ``linked.v1``: only spans whose first and last words are linked to the entity (a subset of
  ``aligned.v1``). Also lossless for the alignment score, and for the optimum of the matching: trimming
  an unlinked word off either end of a span raises 2·links/(|s|+|t|) and only shrinks the span, so
  replacing every chosen span by its trimmed version keeps a selection feasible and its total at least
  as high. Fewer candidates, so faster (the default).
- ``ner.v1``: the spans an NER model predicted on the target (``ProjectionInput.target_spans``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left, bisect_right
from typing import Sequence

from projection.registry import Registry
from projection.types import ProjectionInput, Span

SpanList = Sequence[tuple[int, int]]

CANDIDATES: Registry["CandidateExtractor"] = Registry("candidate extractor")
STOP_TOKENS = frozenset({"!", "?"})


class CandidateExtractor(ABC):
    name: str = ""

    @abstractmethod
    def extract(self, inp: ProjectionInput, entities: Sequence[Span], targets: Sequence[list[int]]) -> list[SpanList]:
        """One span list per entity. ``targets[e]`` lists the target word of each link of entity e."""

    def signature(self) -> str:
        return self.name


def _check_max_len(max_len: int | None) -> None:
    if max_len is not None and (not isinstance(max_len, int) or max_len < 1):
        raise ValueError(f"max_len must be a positive integer or None (unbounded), got {max_len!r}")


def spans_between(
    tokens: Sequence[str], lo: int, hi: int, max_len: int | None, stop: frozenset[str] = STOP_TOKENS
) -> list[tuple[int, int]]:
    """Spans inside ``[lo, hi)`` of length ≤ max_len with no stop token, ordered by start then end."""
    limit = hi - lo if max_len is None else max_len
    out = []
    for a in range(lo, hi):
        if tokens[a] in stop:
            continue
        for b in range(a + 1, min(hi, a + limit) + 1):
            if tokens[b - 1] in stop:
                break
            out.append((a, b))
    return out


def ngram_spans(tokens: Sequence[str], max_len: int | None, stop: frozenset[str] = STOP_TOKENS) -> list[tuple[int, int]]:
    """All spans of length ≤ max_len that contain no stop token, ordered by start then end."""
    return spans_between(tokens, 0, len(tokens), max_len, stop)


@CANDIDATES.register("ngrams.v1", alias="ngrams")
class NgramCandidates(CandidateExtractor):
    name = "ngrams.v1"

    def __init__(self, max_len: int | None = 10) -> None:
        _check_max_len(max_len)
        self.max_len = max_len

    def extract(self, inp, entities, targets):
        spans = ngram_spans(inp.target_tokens, self.max_len)
        return [spans] * len(entities)

    def signature(self) -> str:
        return f"{self.name}(max={self.max_len if self.max_len is not None else 'inf'})"


@CANDIDATES.register("aligned.v1", alias="aligned")
class AlignedCandidates(CandidateExtractor):
    name = "aligned.v1"

    def __init__(self, max_len: int | None = None, window: int = 0) -> None:
        _check_max_len(max_len)
        if not isinstance(window, int) or window < 0:
            raise ValueError(f"window must be a non-negative integer, got {window!r}")
        self.max_len = max_len
        self.window = window

    def extract(self, inp, entities, targets):
        tokens = inp.target_tokens
        out: list[SpanList] = []
        for js in targets:
            if not js:
                out.append([])
                continue
            lo, hi = max(0, min(js) - self.window), min(len(tokens), max(js) + 1 + self.window)
            out.append(spans_between(tokens, lo, hi, self.max_len))
        return out

    def signature(self) -> str:
        opts = [f"max={self.max_len}"] if self.max_len is not None else []
        if self.window:
            opts.append(f"window={self.window}")
        return f"{self.name}({','.join(opts)})" if opts else self.name


@CANDIDATES.register("linked.v1", alias="linked")
class LinkedCandidates(CandidateExtractor):
    name = "linked.v1"

    def __init__(self, max_len: int | None = None) -> None:
        _check_max_len(max_len)
        self.max_len = max_len

    def extract(self, inp, entities, targets):
        tokens = inp.target_tokens
        limit = len(tokens) if self.max_len is None else self.max_len
        stops: list[int] | None = None  # where the stop tokens are, found once per sentence when needed
        out: list[SpanList] = []
        for js in targets:
            if not js:
                out.append([])
                continue
            if stops is None:
                stops = [k for k, t in enumerate(tokens) if t in STOP_TOKENS]
            linked = sorted(set(js))
            spans = []
            for x, a in enumerate(linked):
                if tokens[a] in STOP_TOKENS:
                    continue
                # a span [a, b] may hold no stop token after a and no more than ``limit`` words
                after = bisect_right(stops, a)
                end = min(a + limit, stops[after] if after < len(stops) else len(tokens))
                spans.extend([(a, b + 1) for b in linked[x : bisect_left(linked, end, x)]])
            out.append(spans)
        return out

    def signature(self) -> str:
        return self.name if self.max_len is None else f"{self.name}(max={self.max_len})"


@CANDIDATES.register("ner.v1", alias="ner")
class NerCandidates(CandidateExtractor):
    """Spans predicted on the target by an NER model; the neural pipeline fills ``target_spans``."""

    name = "ner.v1"

    def extract(self, inp, entities, targets):
        if inp.target_spans is None:
            raise ValueError(
                "the ner.v1 candidates need spans predicted on the target sentence "
                "(ProjectionInput.target_spans); use translate-test/translate-train with --candidates ner, "
                "or choose --candidates linked|aligned|ngrams"
            )
        spans = sorted(set(inp.target_spans))
        n = len(inp.target_tokens)
        for a, b in spans:
            if not 0 <= a < b <= n:
                raise ValueError(
                    f"ner.v1 span [{a}, {b}) is not inside the {n} target tokens of sentence {inp.source.id!r}; "
                    f"target spans are 0-based [start, end) word indices with start < end <= {n}"
                )
        return [spans] * len(entities)


def get_candidates(name: str, **kwargs) -> CandidateExtractor:
    return CANDIDATES.create(name, **kwargs)
