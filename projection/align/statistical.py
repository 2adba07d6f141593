"""Shared base of the statistical aligners: trained on the batch (plus ``extra`` pairs) in both
directions, then symmetrised. Subclasses implement ``directional``.

Long pairs: an aligner with a length limit (``max_tokens``, e.g. eflomal's 1,023 tokens per side) aligns a
longer pair as overlapping *windows*, each a pair of its own in the training batch: both sides are cut into
the same number k of equal parts (the cores; k = ceil(longest side / ``WINDOW_CORE``)), and each window is
its core plus ``WINDOW_MARGIN`` tokens on both sides, so that a word's translation is inside the window as
long as the two texts drift apart by less than the margin (joined Europarl pairs of 1,500 tokens drift by
at most ~60 tokens from the proportional position). Window links are shifted back; the forward links of a
target word come from the window whose target core holds it, the reverse links of a source word from the
window whose source core holds it, so each word keeps at most one link per direction.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from dataclasses import dataclass
from typing import Sequence

from projection.align.base import Aligner, Tokens
from projection.align.symmetrize import check_symmetrization, symmetrize
from projection.align.text import check_batch, check_stem, corpus_digest
from projection.types import Alignment

#: tokens per side in the core of one window of a long pair, and the overlap added on each side
WINDOW_CORE = 256
WINDOW_MARGIN = 96


@dataclass(frozen=True, slots=True)
class LongPairs:
    """How many pairs of the last batch (``extra`` pairs not counted) exceeded the aligner's length limit
    and were aligned in windows instead."""

    pairs: int = 0
    windows: int = 0
    limit: int | None = None  # tokens per side the aligner takes in one piece (None: no limit)


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


class StatisticalAligner(Aligner):
    #: tokens per side the aligner takes in one pair; longer pairs are aligned in windows (None: no limit)
    max_tokens: int | None = None

    def __init__(
        self,
        symmetrize: str = "intersection",
        stem: int | None = 4,
        extra: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
    ) -> None:
        self.symmetrize = check_symmetrization(symmetrize)
        self.stem = check_stem(stem)
        self.extra = [(list(s), list(t)) for s, t in extra] if extra is not None else None
        if self.extra is not None:
            check_batch([s for s, _ in self.extra], [t for _, t in self.extra], what="extra corpus")
        self._extra_digest = corpus_digest(self.extra)  # short hash named in signature()
        #: set by every ``align``/``directional`` call: pairs of that batch aligned in windows
        self.long_pairs = LongPairs(limit=self.max_tokens)

    @abstractmethod
    def directional(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[tuple[Alignment, Alignment]]:
        """Per pair, the (forward, reverse) links before symmetrisation, both as (source, target)."""

    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        return [
            symmetrize(self.symmetrize, fwd, rev, len(s), len(t))
            for (fwd, rev), s, t in zip(self.directional(src, tgt), src, tgt)
        ]
