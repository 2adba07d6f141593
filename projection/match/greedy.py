"""``greedy.v1``: the paper's approximation.

Repeatedly take the highest-scoring remaining pair (ties: lowest entity, then earliest candidate, i.e.
a row-major argmax), then drop that entity's other pairs and every pair overlapping the chosen span.
Implemented as one pass over the pairs sorted by (-score, row-major position): a pair that is still
valid when reached is exactly the next argmax, because validity only ever decreases.
"""

from __future__ import annotations

from projection.match.base import MATCHERS, Matcher, MatchProblem
from projection.types import Match


def greedy_match(problem: MatchProblem) -> list[Match]:
    pairs = problem.pairs
    order = sorted(range(len(pairs)), key=lambda k: -pairs[k][3])  # stable: row-major among ties
    used_entities = 0
    occupied = 0
    out = []
    for k in order:
        e, a, b, s = pairs[k]
        if used_entities >> e & 1:
            continue
        mask = (1 << b) - (1 << a)
        if occupied & mask:
            continue
        used_entities |= 1 << e
        occupied |= mask
        out.append(Match(e, a, b, s))
    out.sort(key=lambda m: m.start)
    return out


@MATCHERS.register("greedy.v1", alias="greedy")
class GreedyMatcher(Matcher):
    name = "greedy.v1"

    def match(self, problem: MatchProblem) -> list[Match]:
        return greedy_match(problem)
