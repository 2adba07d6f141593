"""Shared base of the statistical aligners: trained on the batch (plus ``extra`` pairs) in both
directions, then symmetrised. Subclasses implement ``directional``.

Long pairs: an aligner with a length limit (``max_tokens``, e.g. eflomal's 1,023 tokens per side) aligns a
longer pair in two passes, each a run over the whole batch in which the long pair is several shorter pairs.

1. *Windows* (``split_long_pair``): both sides are cut into the same number k of equal parts (the cores;
   k = ceil(longest side / ``WINDOW_CORE``)), and each window is its core plus ``WINDOW_MARGIN`` tokens on
   both sides, so that a word's translation is inside the window while the two texts drift apart by less
   than the margin from the proportional position (joined Europarl pairs of 1,500 tokens: at most ~60).
   The forward links of a target word come from the window whose target core holds it, the reverse links
   of a source word from the window whose source core holds it (``merge_windows``).
2. *Pieces* (``cut_long_pair``): the pass-1 links give the places where the pair can be cut without cutting
   a link (as between two sentences); the pair is cut there into pieces of ``PIECE_MIN``-``PIECE_MAX``
   source tokens with no overlap, and the pieces are aligned like sentences.

Measured on the 799 Europarl NER en-de pairs joined into 15 pairs of ~1,500 tokens (benchmarks/
bench_long_pairs.py; AER against eflomal's links of the unjoined sentences, 0.10 for a second unjoined
run): windows alone 0.25 (recall 0.66, unjoined 0.90), both passes 0.14-0.15, pieces cut at the true
sentence boundaries 0.12; fastalign.v1 on the joined pairs 0.91. The price is time: two eflomal runs over
longer lines, ~15x the unjoined run on that batch.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass
from itertools import pairwise
from typing import Iterator, Sequence

from projection.align.base import Aligner, Tokens
from projection.align.symmetrize import check_symmetrization, symmetrize
from projection.align.text import (
    TokenPairs,
    check_batch,
    check_stem,
    check_stem_from,
    check_tokens,
    corpus_digest,
    stem_tokens,
)
from projection.io.pharaoh import parse_pharaoh
from projection.signature import content_hash
from projection.types import Alignment

#: tokens per side in the core of one window of a long pair, and the overlap added on each side
WINDOW_CORE = 128
WINDOW_MARGIN = 48
#: source tokens in one piece of a long pair (pass 2), and how many links around a cut count as its support
PIECE_MIN = 64
PIECE_MAX = 192
_SUPPORT = 8


@dataclass(frozen=True, slots=True)
class LongPairs:
    """How many pairs of the last batch (``extra`` pairs not counted) exceeded the aligner's length limit
    and were aligned in windows instead."""

    pairs: int = 0
    pieces: int = 0  # the pieces they were cut into (pass 2)
    limit: int | None = None  # tokens per side the aligner takes in one pair (None: no limit)


@dataclass(frozen=True, slots=True)
class Window:
    """One window of a long pair: half-open token ranges ``(start, end)`` of the pair's two sides."""

    src: tuple[int, int]
    tgt: tuple[int, int]
    src_core: tuple[int, int]
    tgt_core: tuple[int, int]


def split_long_pair(n_src: int, n_tgt: int, core: int | None = None, margin: int | None = None) -> list[Window]:
    """The windows of a pair of ``n_src`` x ``n_tgt`` tokens (see the module doc); each side of a window has
    at most ``core + 2 * margin + 1`` tokens; windows with an empty side are left out. ``core`` and
    ``margin`` default to ``WINDOW_CORE`` and ``WINDOW_MARGIN`` (read at call time)."""
    core = WINDOW_CORE if core is None else core
    margin = WINDOW_MARGIN if margin is None else margin
    if core < 1 or margin < 0:
        raise ValueError(f"window core must be >= 1 and margin >= 0, got {core} and {margin}")
    k = max(1, math.ceil(max(n_src, n_tgt) / core))
    out = []
    for w in range(k):
        s0, s1 = round(w * n_src / k), round((w + 1) * n_src / k)
        t0, t1 = round(w * n_tgt / k), round((w + 1) * n_tgt / k)
        src = (max(0, s0 - margin), min(n_src, s1 + margin))
        tgt = (max(0, t0 - margin), min(n_tgt, t1 + margin))
        if src[1] > src[0] and tgt[1] > tgt[0]:
            out.append(Window(src, tgt, (s0, s1), (t0, t1)))
    return out


def merge_windows(
    windows: Sequence[Window], links: Sequence[tuple[Alignment, Alignment]]
) -> tuple[Alignment, Alignment]:
    """The (forward, reverse) links of the whole pair from each window's (forward, reverse) links."""
    fwd, rev = set(), set()
    for win, (f, r) in zip(windows, links, strict=True):
        (s0, _), (t0, _) = win.src, win.tgt
        fwd.update((i + s0, j + t0) for i, j in f.pairs if win.tgt_core[0] <= j + t0 < win.tgt_core[1])
        rev.update((i + s0, j + t0) for i, j in r.pairs if win.src_core[0] <= i + s0 < win.src_core[1])
    return Alignment.of(fwd), Alignment.of(rev)


def cut_long_pair(
    links: Alignment, n_src: int, n_tgt: int, limit: int, *, low: int | None = None, high: int | None = None
) -> list[Window]:
    """Cut a pair into pieces that no link of ``links`` crosses (see the module doc): pieces of at most ``high``
    source and ``limit`` target tokens that tile both sides, each with at least one token on each side.

    A cut (a, b) is clean when every link has i < a and j < b, or i >= a and j >= b. Greedily from the start, the
    next cut is the clean one, a in [start + ``low``, start + ``high``], with the most links within 8 source
    words of it (the best-supported), and b the middle of the target positions that allow it (with no link that
    near: the proportional target position among them). With no clean cut there, the cut falls at start +
    ``high`` and the proportional target position. Every cut leaves the rest cuttable: a target word for each
    source piece still needed, a source word for each target piece (so pairs of very unequal sides, 2,600
    against 60 tokens, are tiled too). Only a pair that cannot be tiled at all (more than ``limit`` target
    tokens per source token, or ``high`` source tokens per target token) keeps a tail in no piece: its last
    piece is capped at the sizes allowed."""
    low = PIECE_MIN if low is None else low
    high = PIECE_MAX if high is None else high
    if not 1 <= low <= high <= limit:
        raise ValueError(f"piece sizes need 1 <= low <= high <= limit, got {low}, {high}, {limit}")
    max_before, min_from = [-1] * (n_src + 1), [n_tgt] * (n_src + 1)
    per_i: dict[int, list[int]] = {}
    for i, j in links.pairs:
        per_i.setdefault(i, []).append(j)
    for a in range(1, n_src + 1):
        max_before[a] = max([max_before[a - 1], *per_i.get(a - 1, ())])
    for a in range(n_src - 1, -1, -1):
        min_from[a] = min([min_from[a + 1], *per_i.get(a, ())])
    count = [0] * (n_src + 1)  # count[a] = links with i < a
    for a in range(n_src):
        count[a + 1] = count[a] + len(per_i.get(a, ()))

    def b_range(a: int, t: int) -> tuple[int, int]:
        # after a cut (a, b) the rest needs a target word per source piece of `high` and a source word per
        # target piece of `limit`; b also stays inside the target and at most `limit` after t
        return (max(t + 1, n_tgt - limit * (n_src - a)),
                min(t + limit, n_tgt - math.ceil((n_src - a) / high)))  # fmt: skip

    cuts, s, t = [], 0, 0
    while (n_src - s > high or n_tgt - t > limit) and n_src - s > 1 and n_tgt - t > 1:
        best = None
        for a in range(s + max(1, low), min(n_src - 1, s + high) + 1):
            b_lo, b_hi = b_range(a, t)
            lo, hi = max(max_before[a] + 1, b_lo), min(min_from[a], b_hi)
            if lo > hi:
                continue
            support = count[min(n_src, a + _SUPPORT)] - count[max(0, a - _SUPPORT)]
            if best is None or support >= best[0]:
                best = (support, a, lo, hi)
        if best is None:  # no clean cut: the largest piece the rest allows, at the proportional target position
            spare = math.ceil(max(0, n_tgt - t - limit) / limit)  # source words the target's rest needs
            a = max(s + 1, min(s + high, n_src - 1, n_src - spare))
            lo, hi = b_range(a, t)
            if lo > hi:  # the pair cannot be tiled: stay inside both sides
                lo, hi = t + 1, min(t + limit, n_tgt - 1)
            best = (0, a, lo, hi)
        support, a, lo, hi = best
        # the middle of what the links allow; with no link near the cut, the proportional position in it
        b = (lo + hi) // 2 if support else min(max(t + round((a - s) * (n_tgt - t) / (n_src - s)), lo), hi)
        cuts.append((a, b))
        s, t = a, b
    bounds = [(0, 0), *cuts, (n_src, n_tgt)]
    out = []
    for (s0, t0), (s1, t1) in pairwise(bounds):
        s1, t1 = min(s1, s0 + limit), min(t1, t0 + limit)  # only an untileable pair's last piece is capped
        out.append(Window((s0, s1), (t0, t1), (s0, s1), (t0, t1)))
    return out


class PairView(SequenceABC):
    """``list(zip(src, tgt)) + extra`` without building it: pair ``k`` is made when it is asked for."""

    def __init__(self, src: Sequence[Tokens], tgt: Sequence[Tokens], extra: Sequence[tuple[Tokens, Tokens]] = ()) -> None:
        self.src, self.tgt, self.extra = src, tgt, extra
        self.n = len(src)

    def __len__(self) -> int:
        return self.n + len(self.extra)

    def __getitem__(self, k: int):
        if k < 0:
            k += len(self)
        if k < self.n:
            return self.src[k], self.tgt[k]
        return self.extra[k - self.n]

    def __iter__(self):
        yield from zip(self.src, self.tgt)
        yield from self.extra


class DirectionalLinks(SequenceABC):
    """Per pair, the (forward, reverse) links of a batch as ``directional`` gives them, kept compact: a direction
    is the Pharaoh line the aligner wrote (about 240 bytes for 35 links, against about 900 for an ``Alignment``
    and its tuple) or, for a pair merged from windows, an ``Alignment``. Pair ``k`` is parsed when it is asked
    for, and its links are checked against the lengths of ``src[k]`` and ``tgt[k]``."""

    def __init__(self, fwd: list, rev: list, src: Sequence[Tokens], tgt: Sequence[Tokens], what: str) -> None:
        if not len(fwd) == len(rev) == len(src) == len(tgt):
            raise ValueError(f"{what}: {len(fwd)}/{len(rev)} link lines for {len(src)} pairs")
        self.fwd, self.rev, self.src, self.tgt, self.what = fwd, rev, src, tgt, what

    def __len__(self) -> int:
        return len(self.fwd)

    def _links(self, value, k: int, direction: str) -> Alignment:
        where = f"{self.what} {direction} links, pair {k}"
        links = value if isinstance(value, Alignment) else parse_pharaoh(value, where=where)
        links.check_bounds(len(self.src[k]), len(self.tgt[k]), where=where)
        return links

    def __getitem__(self, k: int):
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self._links(self.fwd[k], k, "forward"), self._links(self.rev[k], k, "reverse")

    def __iter__(self):
        for k in range(len(self)):
            yield self[k]


class _Side(SequenceABC):
    """One side (0: source, 1: target) of a sequence of pairs, read from it pair by pair (for ``check_batch``)."""

    def __init__(self, pairs: Sequence, side: int) -> None:
        self.pairs, self.side = pairs, side

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, k):
        return self.pairs[k][self.side]

    def __iter__(self):
        side = self.side
        for pair in self.pairs:
            s, t = pair  # a pair that is no pair fails as unpacking it did before
            yield (s, t)[side]


class StatisticalAligner(Aligner):
    #: tokens per side the aligner takes in one pair; longer pairs are aligned in windows (None: no limit)
    max_tokens: int | None = None

    def __init__(
        self,
        symmetrize: str = "intersection",
        stem: int | None = 4,
        extra: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
        stem_from: str = "start",
    ) -> None:
        self.symmetrize = check_symmetrization(symmetrize)
        self.stem = check_stem(stem)
        #: ``"start"``: stems are a word's first ``stem`` characters; ``"name"``: counted from where a name glued
        #: to a short prefix starts (``projection.align.text.name_start``: ``laseAmsterdam`` -> ``amst``)
        self.stem_from = check_stem_from(stem_from)
        if extra is not None:  # checked before copied: a sentence given as a string would become its characters
            if not isinstance(extra, SequenceABC):  # (an iterator: read once)
                extra = list(extra)
            check_batch(_Side(extra, 0), _Side(extra, 1), what="extra corpus")
            for k, (s, t) in enumerate(extra):
                check_tokens(s, f"extra corpus: pair {k} source")
                check_tokens(t, f"extra corpus: pair {k} target")
        #: kept as token ids (``TokenPairs``), not a list of strings per token: the text may be as large as a split
        self.extra = TokenPairs(extra) if extra is not None else None
        self._extra_digest = corpus_digest(self.extra)  # short hash named in signature()
        from projection.align.cache import extra_marks

        marks = extra_marks(self.extra) if self.extra else ()
        if marks:  # behaviour changed by a fix for such an extra corpus: another digest, so no stale cache entry
            self._extra_digest = content_hash(self._extra_digest, *marks)[: len(self._extra_digest)]
        #: set by every ``align``/``directional`` call: the long pairs of that batch
        self.long_stats = LongPairs(limit=self.max_tokens)

    def stems(self, tokens: Sequence[str]) -> list[str]:
        """The words the aligner learns over for ``tokens`` (``stem`` and ``stem_from``)."""
        return stem_tokens(tokens, self.stem, self.stem_from == "name")

    def stem_signature(self) -> str:
        """``stem=4``, plus ``stem_from=name`` when that is not the default (the default's signature is
        unchanged, so its cached alignments stay valid)."""
        return f"stem={self.stem}" + (f",stem_from={self.stem_from}" if self.stem_from != "start" else "")

    @property
    def long_pairs(self) -> int:
        """How many pairs of the last batch exceeded ``max_tokens`` (and were aligned in pieces)."""
        return self.long_stats.pairs

    @abstractmethod
    def directional(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> Sequence[tuple[Alignment, Alignment]]:
        """Per pair, the (forward, reverse) links before symmetrisation, both as (source, target)."""

    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        return list(self.iter_align(src, tgt))

    def iter_align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> Iterator[Alignment]:
        """``align``'s alignments one pair at a time: a corpus stage turns each into its Pharaoh line as it comes, so
        the symmetrised links of a whole split are never held as Python objects at once (found in review: on 48k
        Europarl pairs they were ~100 MB of the run's ~150 MB traced at its peak)."""
        for (fwd, rev), s, t in zip(self.directional(src, tgt), src, tgt):
            yield symmetrize(self.symmetrize, fwd, rev, len(s), len(t))
