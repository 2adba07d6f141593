"""heuristic.v1 (García-Ferrero et al. 2022 as the paper re-implemented it): hand-computed projections."""

from __future__ import annotations

import random

import pytest

from projection.config import ProjectionConfig
from projection.match.heuristic import aligned_runs, heuristic_project
from projection.method import HeuristicMethod
from projection.plans import project_corpus
from projection.tags import bio_to_spans
from projection.types import Alignment, Match, ProjectionInput, Sentence, Span


@pytest.mark.parametrize(
    "js, gap, runs",
    [
        ([], 1, []),
        ([3], 1, [(3, 4)]),
        ([2, 4], 1, [(2, 5)]),  # one unaligned word in between: merged
        ([2, 5], 1, [(2, 3), (5, 6)]),  # two unaligned words: not merged
        ([0, 2, 4], 1, [(0, 5)]),  # merges chain
        ([5, 3, 4, 4, 3], 1, [(3, 6)]),  # order and repeats do not matter
        ([2, 4], 0, [(2, 3), (4, 5)]),
        ([2, 3], 0, [(2, 4)]),  # adjacent words form one run even without merging
        ([2, 5], 2, [(2, 6)]),
        ([1, 5, 9], 2, [(1, 2), (5, 6), (9, 10)]),
    ],
)
def test_aligned_runs(js, gap, runs):
    assert aligned_runs(js, gap) == runs


@pytest.mark.parametrize(
    "n_words, js, kept",
    [
        (1, [3], [(0, 3, 4, 1)]),  # 1/1 = 1 > 0.8: kept
        (2, [3], []),  # 1/2 = 0.5: dropped
        (2, [3, 3], []),  # two links, still a 1-word run: 0.5, dropped
        (5, [0, 1, 2, 3], []),  # 4/5 = 0.8 is NOT > 0.8: dropped
        (5, [0, 1, 2, 3, 4], [(0, 0, 5, 5)]),  # 5/5: kept
        (6, [0, 1, 2, 3, 4], [(0, 0, 5, 5)]),  # 5/6 ≈ 0.83: kept
        (5, [0, 1, 3, 4], [(0, 0, 5, 4)]),  # gap word counts in the run's length: 5/5, 4 links
        (2, [0, 2], [(0, 0, 3, 2)]),  # merged run longer than the entity: 3/2, kept
        (1, [1, 5], [(0, 1, 2, 1), (0, 5, 6, 1)]),  # no top-k: every kept run is a projection
        (3, [1, 5, 6, 7], [(0, 5, 8, 3)]),  # the stray 1-word run (1/3) is dropped, the 3-word run kept
    ],
)
def test_ratio_filter_single_entity(n_words, js, kept):
    assert heuristic_project([js], [n_words]) == kept


def test_ratio_and_gap_parameters():
    assert heuristic_project([[3]], [2], ratio=0.4) == [(0, 3, 4, 1)]  # 0.5 > 0.4
    assert heuristic_project([[3]], [2], ratio=0.5) == []  # 0.5 is not > 0.5
    assert heuristic_project([[3, 4]], [3], ratio=2 / 3) == []  # 2 of 3 words is not > 2/3 (a hair above its double)
    assert heuristic_project([[3, 4]], [3], ratio=0.66) == [(0, 3, 5, 2)]
    assert heuristic_project([[0, 3]], [1], merge_distance=2) == [(0, 0, 4, 2)]
    assert heuristic_project([[0, 3]], [1], merge_distance=1) == [(0, 0, 1, 1), (0, 3, 4, 1)]


def test_collision_more_links_wins():
    # e0 (2 words) -> run [1,3), 2 links; e1 (3 words) -> run [2,5), 3 links; they overlap: e1 wins
    assert heuristic_project([[1, 2], [2, 3, 4]], [2, 3]) == [(1, 2, 5, 3)]
    # the winner does not depend on entity order
    assert heuristic_project([[2, 3, 4], [1, 2]], [3, 2]) == [(0, 2, 5, 3)]


def test_collision_equal_links_longer_run_wins():
    # e0 (2 words) -> [1,3), 2 links; e1 (2 words) links to 2 and 4 -> merged [2,5), 2 links, longer
    assert heuristic_project([[1, 2], [2, 4]], [2, 2]) == [(1, 2, 5, 2)]


def test_collision_full_tie_first_entity_wins():
    # both 2-word entities -> 2-link, 2-word runs [1,3) and [2,4): the first entity wins
    # (the original code let the later entity overwrite the earlier one)
    assert heuristic_project([[1, 2], [2, 3]], [2, 2]) == [(0, 1, 3, 2)]
    assert heuristic_project([[2, 3], [1, 2]], [2, 2]) == [(0, 2, 4, 2)]


def test_collision_a_dropped_run_blocks_nothing():
    # e0 [0,3) 3 links wins; e1 [2,4) overlaps it and is dropped; e2 [3,5) only overlaps the dropped e1: kept
    got = heuristic_project([[0, 1, 2], [2, 3], [3, 4]], [3, 2, 2])
    assert got == [(0, 0, 3, 3), (2, 3, 5, 2)]


def sentence_pair():
    src = Sentence(
        ("Angela", "Merkel", "visited", "New", "York", "today"),
        ("B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"),
    )
    tgt = ("Heute", "besuchte", "Angela", "Merkel", "New", "York")
    links = Alignment.of([(0, 2), (1, 3), (2, 1), (3, 4), (4, 5), (5, 0)])
    return ProjectionInput(src, tgt, links)


def test_heuristic_method_projects_a_sentence():
    out = HeuristicMethod().project(sentence_pair())
    assert out.spans == (Span(2, 4, "PER"), Span(4, 6, "LOC"))
    assert out.matches == (Match(0, 2, 4, 2.0), Match(1, 4, 6, 2.0))
    assert out.n_source_entities == 2
    assert out.tags(6) == ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def test_heuristic_method_drops_a_half_aligned_entity():
    x = sentence_pair()
    # "York" loses its link: LOC has one aligned word for two source words (1/2) and is dropped
    partial = ProjectionInput(x.source, x.target_tokens, Alignment.of([(0, 2), (1, 3), (3, 4)]))
    assert HeuristicMethod().project(partial).spans == (Span(2, 4, "PER"),)
    assert HeuristicMethod(ratio=0.4).project(partial).spans == (Span(2, 4, "PER"), Span(4, 5, "LOC"))


def test_heuristic_method_validation_and_signature():
    with pytest.raises(ValueError, match="merge_distance"):
        HeuristicMethod(merge_distance=-1)
    for bad in (-0.1, 10):
        with pytest.raises(ValueError, match="ratio"):
            HeuristicMethod(ratio=bad)
    assert HeuristicMethod().signature() == "match:heuristic.v1(gap=1,ratio=0.8)"
    assert HeuristicMethod(2, 0.5).signature() == "match:heuristic.v1(gap=2,ratio=0.5)"


# --- randomized comparison with an independent brute-force reading of the module docstring ----------------------


def brute_runs(aligned: set[int], n_tgt: int, gap: int) -> list[tuple[int, int]]:
    """Every span [a, b) whose first and last words are aligned and whose every stretch of words not aligned to the
    entity is at most ``gap`` long; the maximal ones (contained in no other) are the merged runs."""
    ok = []
    for a in range(n_tgt):
        for b in range(a + 1, n_tgt + 1):
            if a in aligned and b - 1 in aligned:
                stretch, longest = 0, 0
                for p in range(a, b):
                    stretch = 0 if p in aligned else stretch + 1
                    longest = max(longest, stretch)
                if longest <= gap:
                    ok.append((a, b))
    return [r for r in ok if not any(o != r and o[0] <= r[0] and r[1] <= o[1] for o in ok)]


def brute_project(entities, sure, n_tgt, gap, ratio):
    """``(entity, start, end, links)`` kept: runs with run length / entity length (in words) > ratio, then a run is
    kept when no kept run of higher priority (more links, longer, earlier entity, earlier start) overlaps it."""
    runs = []
    for k, (s, e) in enumerate(entities):
        for a, b in brute_runs({j for i, j in sure if s <= i < e}, n_tgt, gap):
            # as the docstring writes it, in floats: a quotient that rounds to ``ratio`` is not above it, so 4/5 is not
            # > 0.8 and 2/3 not > 2/3 (whose double is a hair below two thirds)
            if (b - a) / (e - s) > ratio:
                runs.append((k, a, b, sum(1 for i, j in sure if s <= i < e and a <= j < b)))
    kept = []
    for run in sorted(runs, key=lambda r: (-r[3], r[1] - r[2], r[0], r[1])):
        if all(run[2] <= o[1] or o[2] <= run[1] for o in kept):
            kept.append(run)
    return sorted(kept, key=lambda r: r[1])


def random_case(rng):
    n_src, n_tgt = rng.randint(1, 12), rng.randint(1, 12)
    tags: list[str] = []
    while len(tags) < n_src:  # valid IOB2; adjacent entities of one type too
        if rng.random() < 0.45:
            label = rng.choice(("PER", "LOC", "ORG"))
            tags += ["B-" + label] + ["I-" + label] * rng.randint(0, 3)
        else:
            tags.append("O")
    tags = tags[:n_src]
    density = rng.choice((0.0, 0.05, 0.15, 0.3, 0.6))  # 0: no link at all
    sure = {(i, j) for i in range(n_src) for j in range(n_tgt) if rng.random() < density}
    if rng.random() < 0.3:  # several source words linked to one target word
        j = rng.randrange(n_tgt)
        sure |= {(i, j) for i in range(n_src) if rng.random() < 0.6}
    possible = {(i, j) for i in range(n_src) for j in range(n_tgt) if rng.random() < 0.15} - sure
    return tags, n_tgt, sure, possible


def brute_tags(tags, n_tgt, sure, gap, ratio):
    entities = [(s.start, s.end, s.label) for s in bio_to_spans(tags)]
    out = ["O"] * n_tgt
    for k, a, b, _ in brute_project([(s, e) for s, e, _ in entities], sure, n_tgt, gap, ratio):
        out[a:b] = ["B-" + entities[k][2]] + ["I-" + entities[k][2]] * (b - a - 1)
    return out


SETTINGS = [(1, 0.8), (0, 0.8), (2, 0.8), (1, 0), (1, 0.5), (1, 1), (3, 1.5), (1, 2 / 3), (1, 9.99)]


def test_heuristic_project_matches_brute_force_on_random_problems():
    rng = random.Random(20220)
    for _ in range(3000):
        tags, n_tgt, sure, _ = random_case(rng)
        gap, ratio = rng.choice(SETTINGS)
        entities = [(s.start, s.end) for s in bio_to_spans(tags)]
        targets = [[j for i, j in sorted(sure) if s <= i < e] for s, e in entities]
        want = brute_project(entities, sure, n_tgt, gap, ratio)
        assert heuristic_project(targets, [e - s for s, e in entities], gap, ratio) == want, (tags, sorted(sure), gap)


@pytest.mark.parametrize("gap, ratio", [(1, 0.8), (0, 0.5), (2, 1)])
def test_project_corpus_heuristic_matches_brute_force(gap, ratio):
    """The public API: possible links do not count, every kept run is labelled with its entity's type."""
    rng = random.Random(gap * 100 + int(ratio * 10))
    cases = [random_case(rng) for _ in range(400)]
    sources = [Sentence(tuple(f"s{i}" for i in range(len(t))), tuple(t), id=str(k)) for k, (t, *_) in enumerate(cases)]
    targets = [tuple(f"t{j}" for j in range(n)) for _, n, _, _ in cases]
    alignments = [Alignment.of(sure, possible) for _, _, sure, possible in cases]
    config = ProjectionConfig(matcher="heuristic", refine=(), merge_distance=gap, ratio=ratio)
    run = project_corpus(sources, targets, config, alignments=alignments, progress=False, use_cache=False)
    for (tags, n_tgt, sure, _), got in zip(cases, run.tags):
        assert list(got) == brute_tags(tags, n_tgt, sure, gap, ratio), (tags, sorted(sure))
