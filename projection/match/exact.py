"""``exact.v1``: the optimum of the paper's integer linear program, without a solver subprocess.

Problem: choose pairs (s, t) maximising Σ c(s, t) with ≤ 1 span per entity and no two overlapping
spans. Algorithm, and why it is exact:

1. Decompose. Give every entity the hull ``[min start, max end)`` of its candidate spans. Two entities
   whose hulls are disjoint can never conflict (their spans cannot overlap and they are different
   entities), so the optimum is the sum of the optima of the groups of entities whose hulls chain
   together (found by one sweep over hulls sorted by start).
2. Solve each group by dynamic programming over positions left to right with the set of entities used
   so far: ``f(p, U)`` = best total from spans starting at ≥ p with entities U already used =
   ``max( f(next start after p, U), max over pairs (s, [p, q)) with s ∉ U: c + f(q, U ∪ {s}) )``.
   Every feasible selection, listed by start, is one path of this recursion (its spans are disjoint,
   so each starts at or after the previous end, and no entity repeats), and every path is feasible;
   hence the maximum over paths is the ILP optimum. The table is filled right to left over reachable states; a group of k entities has at
   most (#starts) · 2^k states.
3. A group with more than ``max_dp_entities`` entities (rare: a chain of many overlapping entities) is
   solved as the ILP with HiGHS in-process through ``scipy.optimize.milp``.

Tests check it against brute force on random problems and against the pulp ILP model (``ilp.v1``).

Ties (several selections with the same total score) are broken per group, as follows:

- A group of one entity takes its highest-scoring pair; among pairs of exactly equal score, the first in the
  order of ``MatchProblem.pairs`` (the extractor's candidate order).
- A group solved by the dynamic programme is read left to right over the starts of its candidate spans. At each
  start ``p`` (with the entities used so far), the choices are taken in this order: first, no span starting at ``p``;
  then each pair starting at ``p`` whose entity is still free, in the order of ``MatchProblem.pairs`` (by entity,
  then candidate order). A later choice replaces the current one only if its best total is higher by more than
  ``1e-12`` times the group's largest pair score. So, among optimal selections, the one whose leftmost span
  starts as far right as possible wins, then, at that start, the pair listed first, and so on from the end of
  that span. For example, with pairs ``(0, [0, 1), 1)``, ``(0, [2, 3), 1)`` and ``(1, [1, 2), 1)``, both
  ``{0: [0, 1), 1: [1, 2)}`` and ``{1: [1, 2), 0: [2, 3)}`` total 2, and the second is returned, whereas entity 0
  alone (a group of one) gets ``[0, 1)``, its first pair.
- A group solved by HiGHS (more than ``max_dp_entities`` entities) gets whichever optimum the solver returns: no
  tie rule is promised there.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Sequence

from projection.match.base import MATCHERS, Matcher, MatchProblem
from projection.types import Match

Pair = tuple[int, int, int, float]


def _groups(pairs: Sequence[Pair], n_entities: int) -> list[list[int]]:
    """Indices of pairs, grouped by chains of overlapping entity hulls."""
    hull: dict[int, list[int]] = {}
    for e, a, b, _ in pairs:
        h = hull.get(e)
        if h is None:
            hull[e] = [a, b]
        else:
            h[0] = min(h[0], a)
            h[1] = max(h[1], b)
    group_of: dict[int, int] = {}
    end = -1
    g = -1
    for e, (a, b) in sorted(hull.items(), key=lambda kv: (kv[1][0], kv[0])):
        if a >= end:
            g += 1
        group_of[e] = g
        end = max(end, b)
    groups: list[list[int]] = [[] for _ in range(g + 1)]
    for k, (e, _, _, _) in enumerate(pairs):
        groups[group_of[e]].append(k)
    return groups


def _solve_dp(pairs: Sequence[Pair]) -> list[int]:
    entities = sorted({p[0] for p in pairs})
    if len(entities) == 1:  # one entity: its best pair (first among ties)
        best = max(range(len(pairs)), key=lambda k: (pairs[k][3], -k))
        return [best]
    bit = {e: 1 << n for n, e in enumerate(entities)}
    starts = sorted({p[1] for p in pairs})
    by_start: dict[int, list[int]] = {}
    for k, p in enumerate(pairs):
        by_start.setdefault(p[1], []).append(k)
    # f(si, used) filled from the last start to the first, over the used-sets reachable from {} —
    # iterative so that long sentences cannot exhaust the recursion limit.
    n = len(starts)
    nxt = {k: bisect_left(starts, pairs[k][2]) for k in range(len(pairs))}
    reach: list[set[int]] = [set() for _ in range(n + 1)]
    reach[0].add(0)
    for si in range(n):
        for used in reach[si]:
            reach[si + 1].add(used)
            for k in by_start[starts[si]]:
                if not used & bit[pairs[k][0]]:
                    reach[nxt[k]].add(used | bit[pairs[k][0]])
    table: list[dict[int, tuple[float, int, int]]] = [dict() for _ in range(n + 1)]  # value, pair, next used
    for used in reach[n]:
        table[n][used] = (0.0, -1, used)
    tol = 1e-12 * max(p[3] for p in pairs)  # ties within rounding, relative to the scores (tiny scores too)

    def value(si: int, used: int) -> float:
        return table[si][used][0]

    for si in range(n - 1, -1, -1):
        for used in reach[si]:
            best = (value(si + 1, used), -1, used)
            for k in by_start[starts[si]]:
                e, _, _, c = pairs[k]
                if used & bit[e]:
                    continue
                total = c + value(nxt[k], used | bit[e])
                if total > best[0] + tol:
                    best = (total, k, used | bit[e])
            table[si][used] = best
    chosen, si, used = [], 0, 0
    while si < n:
        _, k, new_used = table[si][used]
        if k < 0:
            si += 1
        else:
            chosen.append(k)
            si, used = nxt[k], new_used
    return chosen


def _solve_milp(pairs: Sequence[Pair]) -> list[int]:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    n = len(pairs)
    entities = sorted({p[0] for p in pairs})
    positions = sorted({j for _, a, b, _ in pairs for j in range(a, b)})
    rows = len(entities) + len(positions)
    A = lil_matrix((rows, n))
    e_row = {e: r for r, e in enumerate(entities)}
    p_row = {j: len(entities) + r for r, j in enumerate(positions)}
    for k, (e, a, b, _) in enumerate(pairs):
        A[e_row[e], k] = 1
        for j in range(a, b):  # each target word covered at most once <=> no overlap
            A[p_row[j], k] = 1
    c = -np.array([p[3] for p in pairs])
    c /= -c.min()  # the largest score 1: HiGHS' absolute tolerances then fit tiny scores too
    res = milp(
        c,
        constraints=LinearConstraint(A.tocsr(), -np.inf, 1),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if res.x is None:
        raise RuntimeError(f"HiGHS found no solution for a matching problem ({res.message})")
    return [k for k in range(n) if res.x[k] > 0.5]


def exact_match(problem: MatchProblem, max_dp_entities: int = 14) -> list[Match]:
    pairs = problem.pairs
    chosen: list[int] = []
    for group in _groups(pairs, problem.n_entities):
        sub = [pairs[k] for k in group]
        n_ent = len({p[0] for p in sub})
        local = _solve_dp(sub) if n_ent <= max_dp_entities else _solve_milp(sub)
        chosen.extend(group[k] for k in local)
    out = [Match(pairs[k][0], pairs[k][1], pairs[k][2], pairs[k][3]) for k in chosen]
    out.sort(key=lambda m: m.start)
    return out


@MATCHERS.register("exact.v1", alias="exact")
class ExactMatcher(Matcher):
    """The maximum-total selection; among tied optima, the one the module docstring's tie rule names (per group:
    the leftmost span starting as far right as possible, then the pair listed first)."""

    name = "exact.v1"

    def __init__(self, max_dp_entities: int = 14) -> None:
        if max_dp_entities < 1:
            raise ValueError(f"max_dp_entities must be ≥ 1, got {max_dp_entities}")
        self.max_dp_entities = max_dp_entities

    def match(self, problem: MatchProblem) -> list[Match]:
        return exact_match(problem, self.max_dp_entities)
