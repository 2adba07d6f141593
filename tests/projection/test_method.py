"""CandidateMethod end to end on hand-computed sentence pairs (candidates -> scores -> matcher)."""

from __future__ import annotations

import pytest

from projection.candidates import AlignedCandidates, NerCandidates, NgramCandidates
from projection.match.exact import ExactMatcher
from projection.match.greedy import GreedyMatcher
from projection.match.ilp import IlpMatcher
from projection.method import CandidateMethod, entity_targets
from projection.scores import ScoreConfig
from projection.types import Alignment, Match, ProjectionInput, Sentence, Span


def pair(tags, tgt, links, target_spans=None) -> ProjectionInput:
    src = Sentence(tuple(f"s{i}" for i in range(len(tags))), tuple(tags))
    return ProjectionInput(src, tuple(tgt), Alignment.of(links), target_spans)


def test_entity_targets_lists_every_link_with_repeats():
    x = pair(["B-PER", "I-PER", "O", "B-LOC"], ["a", "b", "c"], [(0, 1), (1, 1), (1, 2), (2, 0), (3, 0)])
    assert entity_targets(x, x.entities) == ([[1, 1, 2], [0]], [[1.0, 1.0, 1.0], [1.0]])


def test_entity_targets_equal_a_scan_of_every_link_on_random_pairs():
    """Each entity's links are found by bisecting the sorted links; the definition is a scan of every link."""
    import random

    from projection.tags import spans_to_bio

    rng = random.Random(3)
    for _ in range(2000):
        n, m = rng.randint(1, 9), rng.randint(1, 9)
        cuts = sorted(rng.sample(range(n + 1), rng.randint(0, min(4, n + 1))))
        spans = [Span(a, b, "X") for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
        sure = {(rng.randrange(n), rng.randrange(m)) for _ in range(rng.randint(0, 12))}
        weak = {(rng.randrange(n), rng.randrange(m)) for _ in range(rng.randint(0, 6))}
        x = ProjectionInput(Sentence(tuple("w" * n), tuple(spans_to_bio(spans, n))), tuple("t" * m),
                            Alignment.of(sure, weak))  # fmt: skip
        w = rng.choice([0.0, 0.3])
        want = ([[j for i, j in x.alignment.pairs if e.start <= i < e.end]
                 + ([j for i, j in x.alignment.possible if e.start <= i < e.end] if w else []) for e in x.entities],
                [[1.0] * sum(e.start <= i < e.end for i, _ in x.alignment.pairs)
                 + ([w] * sum(e.start <= i < e.end for i, _ in x.alignment.possible) if w else []) for e in x.entities])
        assert entity_targets(x, x.entities, w) == want


def test_possible_links_count_with_their_weight_and_only_when_weighted():
    x = pair(["B-PER", "I-PER", "O"], ["a", "b", "c"], [(0, 0)])
    x = ProjectionInput(x.source, x.target_tokens, Alignment.of([(0, 0)], [(1, 1)]))
    # a possible link is ignored at weight 0 and counts 0.4 at weight 0.4
    assert entity_targets(x, x.entities, 0.0) == ([[0]], [[1.0]])
    assert entity_targets(x, x.entities, 0.4) == ([[0, 1]], [[1.0, 0.4]])
    # alignment score of [0, 2) for the 2-word entity: 2 · (1 + 0.4) / (2 + 2) = 0.7
    method = CandidateMethod(AlignedCandidates(), GreedyMatcher(), ScoreConfig(possible=0.4))
    _, problem = method.problem(x)
    assert dict(((a, b), round(s, 9)) for _, a, b, s in problem.pairs) == {(0, 1): round(2 * 1 / 3, 9), (0, 2): 0.7, (1, 2): round(2 * 0.4 / 3, 9)}


def test_aligned_greedy_simple_sentence():
    x = pair(
        ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"],
        ["Heute", "besuchte", "Angela", "Merkel", "New", "York"],
        [(0, 2), (1, 3), (2, 1), (3, 4), (4, 5), (5, 0)],
    )
    out = CandidateMethod(AlignedCandidates(), GreedyMatcher()).project(x)
    # PER: [2,3) 2/3, [2,4) 2·2/4 = 1, [3,4) 2/3 -> [2,4); LOC likewise -> [4,6)
    assert out.spans == (Span(2, 4, "PER"), Span(4, 6, "LOC"))
    assert out.matches == (Match(0, 2, 4, 1.0), Match(1, 4, 6, 1.0))
    assert out.tags(6) == ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


# PER = source words 0-1 linked to target 0 and 1; LOC = source word 2 linked to target 1.
# PER: [0,1) 2·1/3, [0,2) 2·2/4 = 1, [1,2) 2·1/3;  LOC: [1,2) 2·1/2 = 1.
# greedy: tie at 1.0, lowest entity first -> PER [0,2), which blocks LOC: total 1.
# exact: PER [0,1) + LOC [1,2) = 2/3 + 1 = 5/3.
CONFLICT = (["B-PER", "I-PER", "B-LOC"], ["t0", "t1", "t2"], [(0, 0), (1, 1), (2, 1)])


def test_conflict_greedy_vs_exact():
    x = pair(*CONFLICT)
    greedy = CandidateMethod(AlignedCandidates(), GreedyMatcher()).project(x)
    assert greedy.spans == (Span(0, 2, "PER"),)
    for matcher in (ExactMatcher(), ExactMatcher(max_dp_entities=1), IlpMatcher()):
        exact = CandidateMethod(AlignedCandidates(), matcher).project(x)
        assert exact.spans == (Span(0, 1, "PER"), Span(1, 2, "LOC"))
        assert sum(m.score for m in exact.matches) == pytest.approx(5 / 3)
        assert exact.n_source_entities == 2


def test_problem_pairs_row_major_positive_only():
    method = CandidateMethod(NgramCandidates(max_len=None), GreedyMatcher())
    entities, problem = method.problem(pair(*CONFLICT))
    assert entities == (Span(0, 2, "PER"), Span(2, 3, "LOC"))
    expected = (
        (0, 0, 1, 2 / 3), (0, 0, 2, 1.0), (0, 0, 3, 2 * 2 / 5), (0, 1, 2, 2 / 3), (0, 1, 3, 2 / 4),
        (1, 0, 2, 2 / 3), (1, 0, 3, 2 / 4), (1, 1, 2, 1.0), (1, 1, 3, 2 / 3),
    )  # fmt: skip
    assert problem.n_entities == 2
    assert [p[:3] for p in problem.pairs] == [p[:3] for p in expected]
    assert [p[3] for p in problem.pairs] == pytest.approx([p[3] for p in expected])


def test_unaligned_entity_and_no_entities():
    x = pair(["B-PER", "O", "B-ORG"], ["a", "b"], [(0, 1)])
    out = CandidateMethod(AlignedCandidates(), ExactMatcher()).project(x)
    assert out.spans == (Span(1, 2, "PER"),) and out.n_source_entities == 2
    empty = CandidateMethod(AlignedCandidates(), GreedyMatcher()).project(pair(["O", "O"], ["a"], [(0, 0)]))
    assert empty.spans == () and empty.matches == () and empty.n_source_entities == 0


def test_stop_token_splits_candidates():
    # the entity links to target 0 and 2, but target 1 is "!": no span may contain it
    x = pair(["B-PER", "I-PER"], ["a", "!", "b"], [(0, 0), (1, 2)])
    out = CandidateMethod(NgramCandidates(max_len=None), GreedyMatcher()).project(x)
    assert out.spans == (Span(0, 1, "PER"),)  # [0,1) and [2,3) both score 2/3: earliest candidate wins


def test_ner_candidates_restrict_the_spans():
    # NER predicted only [0,3): PER gets it (2·2/(2+3)) even though [0,2) would score higher
    x = pair(*CONFLICT, target_spans=((0, 3),))
    out = CandidateMethod(NerCandidates(), GreedyMatcher()).project(x)
    assert out.matches == (Match(0, 0, 3, pytest.approx(0.8)),)
    with pytest.raises(ValueError, match="target_spans"):
        CandidateMethod(NerCandidates(), GreedyMatcher()).project(pair(*CONFLICT))


def test_char_score_breaks_an_alignment_tie():
    # one source word linked to two target words; the char term favours the one spelled the same
    src = Sentence(("Berlin",), ("B-LOC",))
    x = ProjectionInput(src, ("Paris", "Berlin"), Alignment.of([(0, 0), (0, 1)]))
    plain = CandidateMethod(AlignedCandidates(), GreedyMatcher()).project(x)
    # alignment only: [0,1) 1, [0,2) 2·2/3, [1,2) 1 -> [0,2) wins
    assert plain.spans == (Span(0, 2, "LOC"),)
    fused = CandidateMethod(AlignedCandidates(), GreedyMatcher(), ScoreConfig(align=1.0, char=2.0)).project(x)
    # Dice("berlin", "paris berlin"): 7 and 13 trigrams, 6 shared -> 12/20 = 0.6; Dice("berlin", "paris") = 0
    # [0,1): 1 + 0 = 1;  [0,2): 4/3 + 2·0.6 ≈ 2.53;  [1,2): 1 + 2·1 = 3 -> [1,2) wins
    assert fused.spans == (Span(1, 2, "LOC"),)
    assert fused.matches[0].score == pytest.approx(3.0)


def test_signature():
    method = CandidateMethod(AlignedCandidates(), GreedyMatcher(), ScoreConfig(align=1.0, char=0.5))
    assert method.signature() == "cand:aligned.v1|score:align=1,char=0.5|match:greedy.v1"
    method = CandidateMethod(NgramCandidates(max_len=None), ExactMatcher())
    assert method.signature() == "cand:ngrams.v1(max=inf)|score:align=1|match:exact.v1"
