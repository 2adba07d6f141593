"""The alignment stages: links between each pair's projection source and its target.

A statistical aligner learns from the corpus, so its stage is a ``CorpusStage`` (``CorpusAlignStage``): it
sees the whole split (plus its extra text) at once, never a shard, and keeps the split's tokens as ids
(``TokenCorpus``) and its links as Pharaoh text, not a ``Pair`` or an ``Alignment`` per sentence. A neural
aligner maps over chunks in the driver process (``AlignStage``). Links are cached in the one cache
(``alignments/``) under the aligner's signature and every token of the batch; the key is locked while it is
computed, so two runs started together on one cache return the same links (the first writer's), which is
what makes a sampling aligner (eflomal) reproducible.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterator, Sequence

from projection.align.base import Aligner
from projection.align.text import TokenCorpus
from projection.cache import Store
from projection.io.pharaoh import parse_pharaoh
from projection.signature import Part
from projection.stages.base import CorpusStage, Fields, Stage
from projection.types import Alignment, Pair

_FORMAT = 1
_NONE = Alignment()
_ENCODER_COUNTERS = ("truncated", "no_subwords")


class _Aligning:
    """What both alignment stages share: signature, checks, counts and the cached call of the aligner."""

    name = "align"

    def __init__(self, aligner: Aligner, *, store: Store | None = None) -> None:
        self.aligner = aligner
        self.store = store
        self._signature = aligner.signature()
        self._long = 0  # pairs over the aligner's sentence limit (aligned in windows, see eflomal.v1)
        self._encoder_counts: dict[str, int] = {}  # the encoder's counters, as cached with the links they belong to

    def signature(self) -> Fields:
        return (("aligner", Part.parse(self._signature)),)

    def check(self) -> None:
        validate = getattr(self.aligner, "validate", None)
        if validate is not None:
            validate()

    def counts(self) -> dict[str, int]:
        out = {}
        if isinstance(getattr(self.aligner, "max_tokens", None), int):  # counted from the tokens: right on cache hits
            out["long_pairs"] = self._long
        for name in _ENCODER_COUNTERS:
            if isinstance(getattr(getattr(self.aligner, "encoder", None), name, None), int):
                out[f"align_{name}"] = self._encoder_counts.get(name, 0)
        return out

    def count_warnings(self, counts: dict[str, int]) -> list[str]:
        # the encoder's warning, once per run with the total (it leaves it out inside a run: counted_by_run)
        n = counts.get("align_truncated", 0)
        if not n:
            return []
        from projection.neural.encoder import TRUNCATED_WARNING

        return [TRUNCATED_WARNING % n]

    def _aligned(self, src, tgt) -> tuple[list[str], dict[str, int]]:
        """The aligner's checked links as Pharaoh lines, and how much each counter of its encoder (a neural aligner's:
        sentences truncated, words without sub-words) grew meanwhile: kept with the links, so a cache hit reports them
        too. A statistical aligner's alignments are taken one at a time (``iter_align``): only their lines are kept."""
        encoder = getattr(self.aligner, "encoder", None)
        before = {name: getattr(encoder, name, 0) for name in _ENCODER_COUNTERS}
        iter_align = getattr(self.aligner, "iter_align", None)
        links = _checked_lines(iter_align(src, tgt) if iter_align is not None else self.aligner.align(src, tgt),
                               src, tgt, self._signature)  # fmt: skip
        grew = {name: getattr(encoder, name, 0) - n for name, n in before.items()}
        return links, {name: n for name, n in grew.items() if isinstance(n, int) and n}

    def _add(self, counts: dict[str, int]) -> None:
        for name, n in counts.items():
            self._encoder_counts[name] = self._encoder_counts.get(name, 0) + int(n)

    def _count_long(self, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]]) -> None:
        limit = getattr(self.aligner, "max_tokens", None)
        if isinstance(limit, int):
            self._long += sum(max(len(s), len(t)) > limit for s, t in zip(src, tgt))

    def _links(self, src, tgt) -> tuple[list[str], str]:
        """The Pharaoh line of every pair, and where they are kept: ``""`` without a store (the aligner's links,
        checked against the pair's lengths already), else the store's file, whose lines ``_parse`` checks as it
        reads them (each line is parsed once, when its pair is filled)."""
        if self.store is None:
            links, counts = self._aligned(src, tgt)
            self._add(counts)
            return links, ""
        from projection.align.cache import cache_key

        key = cache_key(self._signature, src, tgt)

        def compute():
            links, counts = self._aligned(src, tgt)
            value = {"format": _FORMAT, "signature": self._signature, "links": links}
            return {**value, "counts": counts} if counts else value  # links of other aligners cache as before

        def valid(v) -> bool:  # a line that is no text is damage: computed again (a bad link is named in _parse)
            if not isinstance(v, dict):
                return False
            links = v.get("links")
            counts = v.get("counts", {})  # found in review: counts that were no mapping of numbers crashed the run
            return (v.get("format") == _FORMAT and isinstance(links, list) and len(links) == len(src)
                    and all(isinstance(line, str) for line in links) and isinstance(counts, dict)
                    and all(isinstance(k, str) and type(n) is int for k, n in counts.items()))  # fmt: skip

        value = self.store.get_or_compute(key, compute, valid=valid)
        self._add(value.get("counts") or {})  # entries cached before 0.4.5 hold none
        return list(value["links"]), str(self.store.path(key))


def _parse(line: str, where: str, row: int, pair: Pair) -> Alignment:
    """The alignment of ``line``; one read from a cache file (``where``) is checked against the pair first."""
    if not where:
        return parse_pharaoh(line)
    at = f"{where}:{row + 1}"
    try:
        alignment = parse_pharaoh(line, where=at)
        alignment.check_bounds(len(pair.projection_source.tokens), len(pair.target.tokens), where=at)
    except ValueError as err:  # the cache's own file, damaged: it would fail every run that reads it
        raise ValueError(f"{err} (a damaged cache entry: delete {where}, or run with --no-cache)") from None
    return alignment


class AlignStage(_Aligning, Stage):
    """A neural aligner, chunk by chunk, in the process that holds its model."""

    uses_model = True

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        keep = [k for k, p in enumerate(pairs) if p.projection_source.tokens and p.target.tokens]
        src = [pairs[k].projection_source.tokens for k in keep]
        tgt = [pairs[k].target.tokens for k in keep]
        self._count_long(src, tgt)
        lines, where = self._links(src, tgt) if keep else ([], "")
        out = [replace(p, alignment=_NONE) for p in pairs]
        for row, (k, line) in enumerate(zip(keep, lines)):
            out[k] = replace(pairs[k], alignment=_parse(line, where, row, pairs[k]))
        return out


class CorpusAlignStage(_Aligning, CorpusStage):
    """A statistical aligner, trained once on the whole split (plus its extra text)."""

    def fit(self, pairs: Iterator[Pair]) -> Callable[[int, Pair], Pair]:
        # the runner reports a corpus stage's counts as they stand after the run: this run's only (found in review:
        # a plan run twice in one process reported twice its long pairs the second time)
        self._long = 0
        self._encoder_counts = {}
        src, tgt = TokenCorpus(), TokenCorpus()
        rows: list[int] = []  # per pair: its row in src/tgt, or -1 (an empty side gets no links)
        for p in pairs:
            s, t = p.projection_source.tokens, p.target.tokens
            if s and t:
                rows.append(len(src))
                src.append(s)
                tgt.append(t)
            else:
                rows.append(-1)
        self._count_long(src, tgt)
        lines, where = self._links(src, tgt) if len(src) else ([], "")
        del src, tgt

        def fill(k: int, pair: Pair) -> Pair:
            row = rows[k]
            return replace(pair, alignment=_parse(lines[row], where, row, pair) if row >= 0 else _NONE)

        return fill


def _checked_lines(alignments, src, tgt, who: str) -> list[str]:
    """The Pharaoh line of each of ``alignments`` (a list, or an iterator read once), each checked against its pair."""
    if hasattr(alignments, "__len__") and len(alignments) != len(src):
        raise ValueError(f"{who} returned {len(alignments)} alignments for {len(src)} sentence pairs")
    lines: list[str] = []
    for a in alignments:  # (no enumerate: its reused result tuple would keep the last alignment alive)
        k = len(lines)
        if k < len(src):
            a.check_bounds(len(src[k]), len(tgt[k]), where=f"{who}, pair {k}")
        lines.append(a.to_pharaoh())
        del a  # not kept alive while the aligner makes the next one
    if len(lines) != len(src):
        raise ValueError(f"{who} returned {len(lines)} alignments for {len(src)} sentence pairs")
    return lines
