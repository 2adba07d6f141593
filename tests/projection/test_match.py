"""Matchers against brute force: exact.v1 (DP and its MILP fallback) and ilp.v1 are optimal, greedy.v1 is
feasible, never better than exact, and is the paper's row-major argmax loop."""

from __future__ import annotations

import random

import numpy as np
import pytest

from projection.match.base import MatchProblem, get_matcher, is_feasible, objective
from projection.match.exact import ExactMatcher
from projection.match.greedy import GreedyMatcher
from projection.types import Match

SCORES = (0.1, 0.2, 0.3, 0.5, 0.5, 0.6, 1.0)  # few distinct values: many ties


def brute_force(problem: MatchProblem) -> float:
    """Best total over every feasible selection: per entity nothing or one of its pairs, no overlaps."""
    by_entity = [[p for p in problem.pairs if p[0] == e] for e in range(problem.n_entities)]

    def best(e: int, taken: list[tuple[int, int]]) -> float:
        if e == problem.n_entities:
            return 0.0
        value = best(e + 1, taken)  # entity e stays unprojected
        for _, a, b, s in by_entity[e]:
            if all(b <= c or d <= a for c, d in taken):
                value = max(value, s + best(e + 1, taken + [(a, b)]))
        return value

    return best(0, [])


def all_spans(n_words: int) -> list[tuple[int, int]]:
    return [(a, b) for a in range(n_words) for b in range(a + 1, n_words + 1)]


def random_problem(rng: random.Random) -> MatchProblem:
    """1-5 entities, spans over ≤ 8 words; either own candidate lists or one shared (dense) list."""
    n_ent = rng.randint(1, 5)
    spans = all_spans(rng.randint(1, 8))
    pairs = []
    if rng.random() < 0.5:
        for e in range(n_ent):
            for a, b in sorted(rng.sample(spans, rng.randint(0, min(5, len(spans))))):
                pairs.append((e, a, b, rng.choice(SCORES)))
    else:
        shared = sorted(rng.sample(spans, rng.randint(1, min(6, len(spans)))))
        for e in range(n_ent):
            for a, b in shared:
                if rng.random() < 0.6:
                    pairs.append((e, a, b, rng.choice(SCORES)))
    return MatchProblem(n_ent, tuple(pairs))


def check_selection(problem: MatchProblem, matches: list[Match]) -> None:
    assert is_feasible(matches)
    assert all((m.entity, m.start, m.end, m.score) in problem.pairs for m in matches)
    assert [m.start for m in matches] == sorted(m.start for m in matches)


PROBLEMS = [random_problem(random.Random(seed)) for seed in range(300)]


def test_generator_is_not_trivial():
    assert sum(p.n_entities >= 3 and len(p.pairs) >= 8 for p in PROBLEMS) > 60
    assert sum(brute_force(p) > max((s for *_, s in p.pairs), default=0) for p in PROBLEMS) > 60


@pytest.mark.parametrize("matcher", [ExactMatcher(), ExactMatcher(max_dp_entities=1)], ids=["dp", "milp"])
def test_exact_equals_brute_force(matcher):
    for problem in PROBLEMS:
        got = matcher.match(problem)
        check_selection(problem, got)
        assert objective(got) == pytest.approx(brute_force(problem), abs=1e-9), problem


def test_ilp_equals_brute_force():
    ilp = get_matcher("ilp.v1")
    for problem in PROBLEMS[:40]:
        got = ilp.match(problem)
        check_selection(problem, got)
        assert objective(got) == pytest.approx(brute_force(problem), abs=1e-9), problem


@pytest.mark.parametrize("matcher", [ExactMatcher(), ExactMatcher(max_dp_entities=1)], ids=["dp", "milp"])
def test_exact_is_optimal_at_any_scale_of_scores(matcher):
    """Found in review: the DP compared totals with an absolute 1e-12, so scores below that chose nothing."""
    for scale in (1e-15, 1e6):
        for problem in PROBLEMS[:60]:
            scaled = MatchProblem(problem.n_entities, tuple((e, a, b, s * scale) for e, a, b, s in problem.pairs))
            got = matcher.match(scaled)
            check_selection(scaled, got)
            assert objective(got) == pytest.approx(brute_force(problem) * scale, rel=1e-9, abs=0), problem



def test_ilp_is_optimal_at_any_scale_of_scores():
    """Found in review: ilp.v1 handed HiGHS the scores as they were, and HiGHS' absolute gap (1e-6) let it stop at a
    worse selection, or none, when every score was small (``--possible-weight 1e-7`` on a pair with possible links
    only projected one of its two entities)."""
    ilp = get_matcher("ilp.v1")
    for scale in (1e-8, 1e-15, 1e6):
        for problem in PROBLEMS[:40]:
            scaled = MatchProblem(problem.n_entities, tuple((e, a, b, s * scale) for e, a, b, s in problem.pairs))
            got = ilp.match(scaled)
            check_selection(scaled, got)
            assert objective(got) == pytest.approx(brute_force(problem) * scale, rel=1e-9, abs=0), problem
    # the hand-made case: {0: [0, 1), 1: [1, 2)} totals 4e-8 (the optimum), {1: [0, 2)} only 1.5e-8
    s = 1e-8
    problem = MatchProblem(2, ((0, 0, 1, s), (0, 1, 2, 2 * s), (1, 1, 2, 3 * s), (1, 0, 2, 1.5 * s)))
    assert [(m.entity, m.start, m.end) for m in ilp.match(problem)] == [(0, 0, 1), (1, 1, 2)]

def test_exact_dp_equals_milp_on_larger_problems():
    rng = random.Random(11)
    dp, milp = ExactMatcher(), ExactMatcher(max_dp_entities=1)
    for _ in range(40):
        n_ent, spans = rng.randint(4, 9), all_spans(rng.randint(8, 16))
        pairs = tuple(
            (e, a, b, rng.choice(SCORES)) for e in range(n_ent) for a, b in sorted(rng.sample(spans, 8))
        )
        problem = MatchProblem(n_ent, pairs)
        a, b = dp.match(problem), milp.match(problem)
        check_selection(problem, a)
        check_selection(problem, b)
        assert objective(a) == pytest.approx(objective(b), abs=1e-9)


def test_greedy_is_feasible_and_never_beats_exact():
    exact, greedy = ExactMatcher(), GreedyMatcher()
    worse = 0
    for problem in PROBLEMS:
        g = greedy.match(problem)
        check_selection(problem, g)
        opt = objective(exact.match(problem))
        assert objective(g) <= opt + 1e-9
        worse += objective(g) < opt - 1e-9
    assert worse > 0  # greedy really is an approximation on these problems


def paper_greedy(scores: np.ndarray, spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The paper's loop on a dense matrix: row-major argmax, zero the row and every overlapping column."""
    c = scores.copy()
    out = []
    while c.size and c.max() > 0:
        s, t = np.unravel_index(np.argmax(c), c.shape)
        a, b = spans[t]
        out.append((int(s), a, b))
        c[s, :] = 0
        for k, (x, y) in enumerate(spans):
            if x < b and a < y:
                c[:, k] = 0
    return sorted(out, key=lambda m: m[1])


def test_greedy_equals_the_paper_loop_with_its_tie_break():
    rng = random.Random(5)
    for _ in range(300):
        pool = all_spans(rng.randint(1, 8))
        spans = sorted(rng.sample(pool, rng.randint(1, min(6, len(pool)))))
        n_ent = rng.randint(1, 5)
        scores = np.array(
            [[rng.choice(SCORES) if rng.random() < 0.6 else 0.0 for _ in spans] for _ in range(n_ent)]
        )
        got = GreedyMatcher().match(MatchProblem.from_matrix(scores.tolist(), spans))
        assert [(m.entity, m.start, m.end) for m in got] == paper_greedy(scores, spans)


def test_greedy_tie_break_lowest_entity_then_earliest_candidate():
    # every pair scores 0.5; candidate order: [2,4) before [0,1)
    problem = MatchProblem.from_matrix([[0.5, 0.5], [0.5, 0.5]], [(2, 4), (0, 1)])
    got = GreedyMatcher().match(problem)
    # entity 0 takes its first candidate [2,4); entity 1 then takes [0,1)
    assert got == [Match(1, 0, 1, 0.5), Match(0, 2, 4, 0.5)]
    # an equal score on a lower entity wins over an earlier candidate of a higher entity
    problem = MatchProblem.from_matrix([[0.0, 0.7], [0.7, 0.0]], [(0, 2), (1, 3)])
    assert GreedyMatcher().match(problem) == [Match(0, 1, 3, 0.7)]


def test_greedy_counter_example():
    # entity 0: A=[0,2) 0.6, C=[0,1) 0.4; entity 1: only B=[1,3) 0.5, which overlaps A but not C.
    # greedy takes A (0.6, the maximum), which removes B; entity 0 is then done: total 0.6.
    # exact takes C + B = 0.4 + 0.5 = 0.9.
    problem = MatchProblem(2, ((0, 0, 2, 0.6), (0, 0, 1, 0.4), (1, 1, 3, 0.5)))
    assert GreedyMatcher().match(problem) == [Match(0, 0, 2, 0.6)]
    expected = [Match(0, 0, 1, 0.4), Match(1, 1, 3, 0.5)]
    for name in ("exact.v1", "ilp.v1"):
        assert get_matcher(name).match(problem) == expected
    assert ExactMatcher(max_dp_entities=1).match(problem) == expected


def test_thesis_counter_example_with_two_entities():
    # the thesis's (1,2)=0.2, (2,3)=0.3, (3,5)=0.2 with inclusive ends, i.e. [1,3), [2,4), [3,6), offered
    # to two entities: greedy takes [2,4) 0.3 (lowest entity among ties), which overlaps both others: 0.3.
    # exact: [1,3) and [3,6), one per entity: 0.2 + 0.2 = 0.4.
    spans = [(1, 3), (2, 4), (3, 6)]
    problem = MatchProblem.from_matrix([[0.2, 0.3, 0.2], [0.2, 0.3, 0.2]], spans)
    assert GreedyMatcher().match(problem) == [Match(0, 2, 4, 0.3)]
    assert objective(ExactMatcher().match(problem)) == pytest.approx(0.4)


def test_exact_on_a_group_with_many_starts():
    # two entities, 1-word spans at each of 1200 positions; entity 0 scores 0.5, entity 1 scores 0.6
    # everywhere: the optimum takes one span of each at different positions, 0.5 + 0.6 = 1.1
    pairs = tuple((e, a, a + 1, 0.5 + 0.1 * e) for e in range(2) for a in range(1200))
    got = ExactMatcher().match(MatchProblem(2, pairs))
    check_selection(MatchProblem(2, pairs), got)
    assert objective(got) == pytest.approx(1.1)


def test_disjoint_hulls_touching_at_a_boundary():
    # hulls [0,2) and [2,4) touch but cannot overlap: both entities take their best span
    problem = MatchProblem(2, ((0, 0, 2, 0.9), (0, 1, 2, 0.3), (1, 2, 4, 0.8), (1, 2, 3, 0.1)))
    assert ExactMatcher().match(problem) == [Match(0, 0, 2, 0.9), Match(1, 2, 4, 0.8)]


@pytest.mark.parametrize("name", ["greedy", "exact", "ilp", "greedy.v1", "exact.v1", "ilp.v1"])
def test_empty_problem(name):
    assert get_matcher(name).match(MatchProblem(3, ())) == []


@pytest.mark.parametrize(
    "pair", [(0, 0, 1, 0.0), (0, 0, 1, -0.5), (2, 0, 1, 0.5), (-1, 0, 1, 0.5), (0, 2, 2, 0.5), (0, -1, 1, 0.5)]
)
def test_match_problem_validation(pair):
    with pytest.raises(ValueError, match="invalid pair"):
        MatchProblem(2, (pair,))


def test_from_matrix_drops_zeros_in_row_major_order():
    problem = MatchProblem.from_matrix([[0.0, 0.4], [0.3, 0.0]], [(0, 1), (1, 3)])
    assert problem == MatchProblem(2, ((0, 1, 3, 0.4), (1, 0, 1, 0.3)))


def test_is_feasible():
    assert is_feasible([Match(0, 0, 2, 1.0), Match(1, 2, 3, 1.0)])
    assert not is_feasible([Match(0, 0, 2, 1.0), Match(1, 1, 3, 1.0)])  # overlap
    assert not is_feasible([Match(0, 0, 1, 1.0), Match(0, 2, 3, 1.0)])  # entity twice


def test_matcher_validation_and_signatures():
    with pytest.raises(ValueError, match="max_dp_entities"):
        ExactMatcher(max_dp_entities=0)
    assert [get_matcher(n).signature() for n in ("greedy", "exact", "ilp")] == ["greedy.v1", "exact.v1", "ilp.v1"]
    with pytest.raises(ValueError, match="exact.v1"):
        get_matcher("hungarian.v1")


def test_ilp_writes_nothing_to_standard_output():
    """Found in review: HiGHS wrote its banner ("Running HiGHS 1.16.0 ...") to file descriptor 1 when a process made
    its first solver, before ``msg=False`` took effect: once on a library user's stdout, and once more from each
    ``--jobs`` worker. Run in a fresh process: the banner comes only from a process's first solver."""
    import subprocess
    import sys

    code = (
        "from projection.match.base import MatchProblem, get_matcher\n"
        "m = get_matcher('ilp.v1').match(MatchProblem(2, ((0, 0, 1, 1.0), (1, 0, 2, 0.5), (1, 1, 2, 0.3))))\n"
        "import sys; sys.stderr.write(repr([(x.entity, x.start, x.end) for x in m]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert done.stdout == b""
    assert done.stderr.decode() == "[(0, 0, 1), (1, 1, 2)]"


def test_ilp_keeps_the_solver_log_off_standard_output_with_pulp_2_8(monkeypatch, capfd):
    """Found in review: pulp 2.8 (allowed by the ilp extra, ``pulp>=2.8``) ignores ``msg=False`` for its in-process
    HiGHS and passes only its options on, so HiGHS wrote its whole log ("Coefficient ranges:", "Presolving model",
    "Solving report" ...) to file descriptor 1 for every sentence: ``silver-ner demo --matcher ilp`` printed 12,699
    lines of it among the results. pulp 2.8's ``createAndConfigureSolver`` is replayed here."""
    pulp = pytest.importorskip("pulp")
    highspy = pytest.importorskip("highspy")

    def pulp_2_8(self, lp):
        lp.solverModel = highspy.Highs()
        if self.gapRel is not None:
            lp.solverModel.setOptionValue("mip_rel_gap", self.gapRel)
        for key, value in self.optionsDict.items():
            lp.solverModel.setOptionValue(key, value)

    monkeypatch.setattr(pulp.HiGHS, "createAndConfigureSolver", pulp_2_8)
    problem = MatchProblem(2, ((0, 0, 1, 1.0), (1, 0, 2, 0.5), (1, 1, 2, 0.3)))
    get_matcher("ilp.v1").match(problem)  # this process's first solver: its banner is kept off separately
    capfd.readouterr()
    found = get_matcher("ilp.v1").match(problem)
    assert [(m.entity, m.start, m.end) for m in found] == [(0, 0, 1), (1, 1, 2)]
    assert capfd.readouterr().out == ""


@pytest.mark.parametrize("stdout", ["closed", "closed_python_file"])
def test_ilp_runs_without_a_standard_output(stdout: str):
    """Found in review: keeping HiGHS's banner off standard output flushed ``sys.stdout`` first, which is ``None`` in a
    process started without a standard output (``>&-``, a service, pythonw), or a closed file: ilp.v1 then failed with
    "'NoneType' object has no attribute 'flush'" (``silver-ner project --matcher ilp ... >&-`` exited 1, no output),
    where the other matchers ran."""
    import os
    import subprocess
    import sys

    close = "sys.stdout.close()\n" if stdout == "closed_python_file" else ""
    code = (
        f"import sys\n{close}"
        "from projection.match.base import MatchProblem, get_matcher\n"
        "m = get_matcher('ilp.v1').match(MatchProblem(2, ((0, 0, 1, 1.0), (1, 0, 2, 0.5), (1, 1, 2, 0.3))))\n"
        "sys.stderr.write(repr([(x.entity, x.start, x.end) for x in m]))\n"
    )
    preexec = (lambda: os.close(1)) if stdout == "closed" else None
    done = subprocess.run([sys.executable, "-c", code], stderr=subprocess.PIPE, preexec_fn=preexec, check=False)
    assert done.stderr.decode() == "[(0, 0, 1), (1, 1, 2)]"
    assert done.returncode == 0


def _spans(matches: list[Match]) -> list[tuple[int, int, int]]:
    return [(m.entity, m.start, m.end) for m in matches]


def test_exact_tie_rule_on_hand_made_ties():
    """The tie rule stated in projection/match/exact.py, pinned on ties built by hand (every total is exact)."""
    # two optima of total 2: {0: [0, 1), 1: [1, 2)} and {1: [1, 2), 0: [2, 3)}; the leftmost span starting
    # furthest right wins
    tie = MatchProblem(2, ((0, 0, 1, 1.0), (0, 2, 3, 1.0), (1, 1, 2, 1.0)))
    assert _spans(ExactMatcher().match(tie)) == [(1, 1, 2), (0, 2, 3)]
    # a group of one entity: its first pair among equal scores, wherever it starts
    assert _spans(ExactMatcher().match(MatchProblem(1, ((0, 0, 1, 1.0), (0, 2, 3, 1.0))))) == [(0, 0, 1)]
    assert _spans(ExactMatcher().match(MatchProblem(1, ((0, 2, 3, 1.0), (0, 0, 1, 1.0))))) == [(0, 2, 3)]
    # the same start: the pair listed first (here the listing puts entity 1 first)
    assert _spans(ExactMatcher().match(MatchProblem(2, ((0, 0, 1, 1.0), (1, 0, 1, 1.0))))) == [(0, 0, 1)]
    assert _spans(ExactMatcher().match(MatchProblem(2, ((1, 0, 1, 1.0), (0, 0, 1, 1.0))))) == [(1, 0, 1)]
    # {0: [0, 1), 1: [1, 2)} and {1: [0, 2)} both total 2 and start at 0: entity 0's pair is listed first
    assert _spans(ExactMatcher().match(MatchProblem(2, ((0, 0, 1, 1.0), (1, 0, 2, 2.0), (1, 1, 2, 1.0))))) == [
        (0, 0, 1), (1, 1, 2)]  # fmt: skip


def _tie_rule_by_brute_force(problem: MatchProblem) -> list[tuple[int, int, int]]:
    """Every feasible selection of the one group of ``problem``; the optimum (exact sums: integer scores) that the
    rule picks: spans in start order compared by (later start first, then the earlier listed pair)."""
    pairs = problem.pairs
    found = []

    def walk(k: int, chosen: list[int]) -> None:
        if k == len(pairs):
            found.append(list(chosen))
            return
        walk(k + 1, chosen)
        e, a, b, _ = pairs[k]
        if all(pairs[c][0] != e and (pairs[c][2] <= a or b <= pairs[c][1]) for c in chosen):
            walk(k + 1, chosen + [k])

    walk(0, [])
    best = max(sum(pairs[k][3] for k in sel) for sel in found)
    optima = [sorted(sel, key=lambda k: pairs[k][1]) for sel in found if sum(pairs[k][3] for k in sel) == best]
    chosen = min(optima, key=lambda sel: [(-pairs[k][1], k) for k in sel])
    return [pairs[k][:3] for k in chosen]


def test_exact_tie_rule_against_brute_force_on_random_ties():
    """On random problems whose entities form one group of two or more (hulls chained), with integer scores so
    that ties are exact and frequent."""
    rng, checked = random.Random(11), 0
    while checked < 300:
        n_ent, spans = rng.randint(2, 4), all_spans(rng.randint(2, 6))
        pairs = tuple((e, a, b, float(rng.randint(1, 3))) for e in range(n_ent)
                      for a, b in sorted(rng.sample(spans, rng.randint(1, min(4, len(spans))))))  # fmt: skip
        hulls = sorted((min(p[1] for p in pairs if p[0] == e), max(p[2] for p in pairs if p[0] == e))
                       for e in range(n_ent))  # fmt: skip
        if any(a >= max(h[1] for h in hulls[:i]) for i, (a, _) in enumerate(hulls) if i):
            continue  # more than one group: the rule holds within each group, not across them
        problem = MatchProblem(n_ent, pairs)
        assert _spans(ExactMatcher().match(problem)) == _tie_rule_by_brute_force(problem), pairs
        checked += 1
