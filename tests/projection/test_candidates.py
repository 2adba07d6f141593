"""Candidate extractors: n-gram counts, aligned ranges, NER spans, and the lossless claim of aligned.v1."""

from __future__ import annotations

import random

import pytest

from projection.candidates import (
    CANDIDATES,
    AlignedCandidates,
    NerCandidates,
    NgramCandidates,
    get_candidates,
    ngram_spans,
)
from projection.match.base import objective
from projection.match.exact import ExactMatcher
from projection.method import CandidateMethod
from projection.scores import ScoreConfig
from projection.types import Alignment, ProjectionInput, Sentence


def toks(n: int) -> tuple[str, ...]:
    return tuple(f"w{k}" for k in range(n))


def inp(targets: tuple[str, ...], spans=None) -> ProjectionInput:
    return ProjectionInput(Sentence(("A",), ("B-PER",)), targets, Alignment(), spans)


@pytest.mark.parametrize("n", range(0, 12))
def test_ngram_unbounded_count_is_n_n_plus_1_over_2(n):
    spans = ngram_spans(toks(n), None)
    assert len(spans) == n * (n + 1) // 2
    assert len(set(spans)) == len(spans)
    assert all(0 <= a < b <= n for a, b in spans)


@pytest.mark.parametrize("n, k", [(5, 1), (5, 2), (5, 5), (5, 9), (10, 3), (1, 4)])
def test_ngram_bounded_count(n, k):
    spans = ngram_spans(toks(n), k)
    # start a admits ends a+1 .. min(n, a+k): min(k, n - a) spans
    assert len(spans) == sum(min(k, n - a) for a in range(n))
    assert max(b - a for a, b in spans) == min(k, n)


def test_ngram_order_is_start_then_end():
    assert ngram_spans(toks(3), None) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert ngram_spans(toks(3), 1) == [(0, 1), (1, 2), (2, 3)]


def test_ngram_stop_tokens_excluded():
    tokens = ("a", "b", "!", "c", "d", "?")
    assert ngram_spans(tokens, None) == [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)]
    # other punctuation is not a stop token
    assert len(ngram_spans(("a", ".", ","), None)) == 6


def test_ngram_extractor_same_list_for_every_entity_and_signature():
    ext = NgramCandidates(max_len=None)
    out = ext.extract(inp(toks(4)), [object(), object()], [[], []])
    assert out[0] == out[1] == ngram_spans(toks(4), None)
    assert ext.signature() == "ngrams.v1(max=inf)"
    assert NgramCandidates().signature() == "ngrams.v1(max=10)"  # the thesis's default cap
    assert len(NgramCandidates().extract(inp(toks(12)), [0], [[]])[0]) == sum(min(10, 12 - a) for a in range(12))


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3"])
def test_max_len_validation(bad):
    with pytest.raises(ValueError, match="max_len"):
        NgramCandidates(max_len=bad)
    with pytest.raises(ValueError, match="max_len"):
        AlignedCandidates(max_len=bad)


def test_aligned_candidates_are_the_spans_inside_the_aligned_range():
    ext = AlignedCandidates()
    out = ext.extract(inp(toks(6)), [0, 1, 2], [[3, 1, 3], [], [5]])
    assert out[0] == [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4)]  # range [1, 4)
    assert out[1] == []  # an entity without links has no candidates
    assert out[2] == [(5, 6)]
    assert ext.signature() == "aligned.v1"


def test_aligned_candidates_count_and_stop_tokens_and_max_len():
    tokens = ("a", "b", "?", "c", "d", "e", "f")
    # range [0, 7) minus spans through "?": [0,2) gives 3, [3,7) gives 10
    assert len(AlignedCandidates().extract(inp(tokens), [0], [[0, 6]])[0]) == 13
    bounded = AlignedCandidates(max_len=2)
    assert bounded.extract(inp(toks(5)), [0], [[1, 3]])[0] == [(1, 2), (1, 3), (2, 3), (2, 4), (3, 4)]
    assert bounded.signature() == "aligned.v1(max=2)"


def test_ner_candidates():
    ext = NerCandidates()
    out = ext.extract(inp(toks(5), spans=((3, 5), (0, 2), (3, 5))), [0, 1], [[], []])
    assert out == [[(0, 2), (3, 5)], [(0, 2), (3, 5)]]
    with pytest.raises(ValueError, match="target_spans"):
        ext.extract(inp(toks(5)), [0], [[]])


@pytest.mark.parametrize("span", [(0, 6), (-1, 2), (3, 2), (2, 2)])
def test_ner_candidates_outside_the_sentence_are_refused(span):
    """Found in review: a span past the end raised IndexError while scoring, a reversed one
    ZeroDivisionError (one-word entity: 1 + (2 - 3) words), and [-1, 2) was scored on wrapped prefix sums."""
    method = CandidateMethod(NerCandidates(), ExactMatcher())
    x = ProjectionInput(Sentence(("A",), ("B-PER",)), toks(5), Alignment.of([(0, 1)]), ((1, 2), span))
    with pytest.raises(ValueError) as info:
        method.project(x)
    assert str(info.value) == (f"ner.v1 span [{span[0]}, {span[1]}) is not inside the 5 target tokens of sentence "
                               "''; target spans are 0-based [start, end) word indices with start < end <= 5")


def test_registry_names_and_aliases():
    assert {"aligned.v1", "ngrams.v1", "ner.v1"} <= set(CANDIDATES.names())
    assert isinstance(get_candidates("aligned"), AlignedCandidates)
    assert isinstance(get_candidates("ngrams", max_len=None), NgramCandidates)
    with pytest.raises(ValueError, match="aligned.v1"):
        get_candidates("bigrams.v1")


def random_input(rng: random.Random) -> ProjectionInput:
    n_src = rng.randint(1, 7)
    tags, k = ["O"] * n_src, 0
    while k < n_src:
        if rng.random() < 0.5:
            length = rng.randint(1, min(3, n_src - k))
            label = rng.choice(["PER", "LOC"])
            tags[k : k + length] = ["B-" + label] + ["I-" + label] * (length - 1)
            k += length
        k += 1
    n_tgt = rng.randint(1, 9)
    tgt = tuple("!" if rng.random() < 0.1 else f"t{j}" for j in range(n_tgt))
    links = {(i, j) for i in range(n_src) for j in range(n_tgt) if rng.random() < 0.25}
    return ProjectionInput(Sentence(tuple(f"s{i}" for i in range(n_src)), tuple(tags)), tgt, Alignment.of(links))


def test_aligned_candidates_lose_no_optimum_for_the_alignment_score():
    """Exact matching over aligned.v1 reaches the objective of exact matching over every n-gram."""
    rng = random.Random(2025)
    exact = ExactMatcher()
    aligned = CandidateMethod(AlignedCandidates(), exact, ScoreConfig())
    ngrams = CandidateMethod(NgramCandidates(max_len=None), exact, ScoreConfig())
    nontrivial = 0
    for _ in range(300):
        x = random_input(rng)
        a_val = objective(aligned.project(x).matches)
        n_val = objective(ngrams.project(x).matches)
        assert a_val == pytest.approx(n_val, abs=1e-9), x
        nontrivial += n_val > 0
    assert nontrivial > 150  # the generator really produces matchable problems


def test_linked_candidates_start_and_end_on_linked_words():
    from projection.candidates import LinkedCandidates

    tokens = ("a", "b", "!", "c", "d", "e")
    # entity links hit target words 0, 1, 3, 5 (3 twice); "!" at 2 blocks spans across it
    got = LinkedCandidates().extract(inp(tokens), [0], [[1, 3, 0, 3, 5]])
    assert got == [[(0, 1), (0, 2), (1, 2), (3, 4), (3, 6), (5, 6)]]
    assert LinkedCandidates(max_len=2).extract(inp(tokens), [0], [[3, 5]]) == [[(3, 4), (5, 6)]]


def test_linked_candidates_are_their_definition_on_random_sentences():
    """Every ``[a, b]`` between two linked words (a ≤ b), shorter than ``max_len``, with no stop token, ordered by
    start then end: the definition, word by word, against the extractor's search of the stop tokens."""
    from projection.candidates import STOP_TOKENS, LinkedCandidates

    rng = random.Random(11)
    for _ in range(2000):
        tokens = tuple(rng.choice(["!", "?", "w", "x"]) if rng.random() < 0.3 else f"t{j}" for j in range(rng.randint(1, 14)))
        targets = [[rng.randrange(len(tokens)) for _ in range(rng.randint(0, 6))] for _ in range(rng.randint(1, 3))]
        max_len = rng.choice([None, 1, 2, 3, 5])
        limit = len(tokens) if max_len is None else max_len
        want = [
            [(a, b + 1) for a in sorted(set(js)) for b in sorted(set(js))
             if a <= b and b - a < limit and not any(tokens[k] in STOP_TOKENS for k in range(a, b + 1))]
            for js in targets
        ]  # fmt: skip
        assert LinkedCandidates(max_len=max_len).extract(inp(tokens), [0] * len(targets), targets) == want


@pytest.mark.parametrize("score", [ScoreConfig(), ScoreConfig(possible=0.3)])
def test_linked_candidates_lose_no_optimum_for_the_alignment_score(score):
    """Exact matching over linked.v1 reaches the objective of exact matching over every n-gram, with sure
    links only and with weighted possible links."""
    from projection.candidates import LinkedCandidates

    rng = random.Random(7)
    exact = ExactMatcher()
    linked = CandidateMethod(LinkedCandidates(), exact, score)
    ngrams = CandidateMethod(NgramCandidates(max_len=None), exact, score)
    nontrivial = 0
    for _ in range(300):
        x = random_input(rng)
        if rng.random() < 0.5:  # move some links to the possible set
            pairs = list(x.alignment.pairs)
            x = ProjectionInput(x.source, x.target_tokens, Alignment.of(pairs[::2], pairs[1::2]))
        assert objective(linked.project(x).matches) == pytest.approx(objective(ngrams.project(x).matches), abs=1e-9)
        nontrivial += objective(ngrams.project(x).matches) > 0
    assert nontrivial > 100
