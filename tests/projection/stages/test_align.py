"""The alignment stages (projection.stages.align): what a whole-corpus stage keeps of a split while it aligns."""

from __future__ import annotations

import gc
from collections.abc import Sequence

from projection.align.statistical import StatisticalAligner
from projection.stages.align import CorpusAlignStage
from projection.types import Alignment, Pair, Sentence

B = 977  # links of pair k start at B + k: no other test's alignment is counted


def _live_links(k: int) -> int:
    """How many alignments of the single link ``(B + j, B + j)``, j < ``k``, are alive (earlier pairs' results)."""
    return sum(type(o) is Alignment and len(o.pairs) == 1 and B <= o.pairs[0][0] == o.pairs[0][1] < B + k
               for o in gc.get_objects())  # fmt: skip


def test_a_statistical_aligners_links_are_not_all_held_as_alignments_at_once():
    """Found in review: the corpus stage took ``aligner.align``'s list of the whole split's symmetrised alignments
    (on 48k Europarl pairs ~1.5M link tuples, ~100 MB) before it turned them into Pharaoh lines; each is turned into
    its line as it comes now, so when pair k is aligned no earlier pair's alignment is alive."""
    seen: list[int] = []

    class Lazy(Sequence):  # pair k's (forward, reverse) links, made when asked for: (k, k) and one more each
        def __init__(self, n: int) -> None:
            self.n = n

        def __len__(self) -> int:
            return self.n

        def __getitem__(self, k: int):
            if not 0 <= k < self.n:
                raise IndexError(k)
            seen.append(_live_links(k))
            i = B + k
            return Alignment.of([(i, i), (i + 1, i)]), Alignment.of([(i, i), (i, i + 1)])

    class Diagonal(StatisticalAligner):
        name = "diagonal.v1"

        def signature(self) -> str:
            return self.name

        def directional(self, src, tgt):
            return Lazy(len(src))

    n = 30
    words = [tuple(f"w{j}" for j in range(B + k + 2)) for k in range(n)]
    pairs = [Pair(str(k), Sentence(w), Sentence(w)) for k, w in enumerate(words)]
    fill = CorpusAlignStage(Diagonal()).fit(iter(pairs))  # intersection: (B + k, B + k) for pair k
    assert [fill(k, p).alignment for k, p in enumerate(pairs)] == [Alignment.of([(B + k, B + k)]) for k in range(n)]
    assert seen == [0] * n
