"""Pair scores: the paper's alignment score, character trigram similarity, their fusion (hand-computed)."""

from __future__ import annotations

import pytest

from projection.scores import ScoreConfig, alignment_scores, char_similarity, score_pairs


def test_alignment_score_hand_computed():
    # a 2-word entity whose words link to target words 3 and 4
    spans = [(3, 5), (3, 4), (2, 5), (0, 1), (4, 6)]
    got = alignment_scores([3, 4], 2, spans, 6)
    # 2·2/(2+2), 2·1/(2+1), 2·2/(2+3), 0, 2·1/(2+2)
    assert got == pytest.approx([1.0, 2 / 3, 0.8, 0.0, 0.5])


def test_alignment_score_counts_links_not_words():
    # both words of a 2-word entity link to target word 3: two links into a 1-word span
    assert alignment_scores([3, 3], 2, [(3, 4)], 5) == pytest.approx([2 * 2 / (2 + 1)])
    # three links from a 1-word entity into a 2-word span (many-to-many), score above 1
    assert alignment_scores([0, 1, 1], 1, [(0, 2)], 2) == pytest.approx([2 * 3 / (1 + 2)])


def test_alignment_score_without_links_is_zero():
    assert alignment_scores([], 3, [(0, 1), (0, 4)], 4) == [0.0, 0.0]


def test_adding_an_unaligned_word_lowers_the_score():
    # 2·2/(2+2) and 2·2/(2+3)
    assert alignment_scores([1, 2], 2, [(1, 3), (1, 4)], 5) == pytest.approx([1.0, 0.8])


def test_spans_with_the_same_weighted_links_score_the_same_float():
    """Found in review: a running float sum of possible-link weights gave two spans with one possible link each
    scores a last bit apart (0.30000000000000004 and 0.29999999999999993), so the greedy matcher's tie rule (the
    earliest span) followed the rounding. Links are now counted per weight in integers."""
    got = alignment_scores([0, 1, 2, 4], 1, [(2, 3), (4, 5), (0, 2)], 5, [0.3] * 4)
    assert got[0] == got[1] == 2 * 0.3 / 2 and got[2] == 2 * (0.3 * 2) / 3
    mixed = alignment_scores([0, 3, 1, 4], 1, [(0, 2), (3, 5)], 5, [1.0, 1.0, 0.3, 0.3])
    assert mixed[0] == mixed[1] == 2 * (1.0 + 0.3) / 3
    three = alignment_scores([0, 1, 2], 2, [(0, 3), (1, 2)], 3, [1.0, 0.5, 0.25])  # any weights: one sum per span
    assert three == [2 * (1.0 + 0.5 + 0.25) / 5, 2 * 0.5 / 3]


def test_a_tie_between_two_copies_of_a_name_goes_to_the_earlier_one():
    from projection.options import default_config
    from projection.plans import project_corpus
    from projection.types import Alignment, Sentence

    # "Paris" links (possible) to every word up to the second "Paris": both "Paris" score 0.3 + 0.5 · 1.0
    out = project_corpus([Sentence(("in", "Paris"), ("O", "B-LOC"))], [("la", "de", "Paris", "la", "Paris")],
                         default_config("parallel"), alignments=[Alignment.of([], [(1, 0), (1, 1), (1, 2), (1, 4)])],
                         progress=False)  # fmt: skip
    assert out.tags == (("O", "O", "B-LOC", "O", "O"),)


def test_char_similarity_hand_computed():
    assert char_similarity("Berlin", "BERLIN") == 1.0  # lowercased
    # " ab " -> {" ab", "ab "}; " abc " -> {" ab", "abc", "bc "}; 1 shared: 2·1/(2+3)
    assert char_similarity("ab", "abc") == pytest.approx(2 / 5)
    # across a word boundary: " a b " -> {" a ", "a b", " b "}; " ab " -> {" ab", "ab "}: nothing shared
    assert char_similarity("a b", "ab") == 0.0
    assert char_similarity("xyz", "abc") == 0.0
    assert char_similarity("ab", "abc") == char_similarity("abc", "ab")


def _joined_trigrams(tokens):
    """The definition: the trigrams of ``" " + " ".join(tokens).lower() + " "``, each token in NFC."""
    import unicodedata

    text = " " + " ".join(unicodedata.normalize("NFC", t) for t in tokens).lower() + " "
    return frozenset(text[k : k + 3] for k in range(len(text) - 2))


def test_trigrams_and_span_similarities_follow_the_joined_text_definition():
    """Per token plus across each space, against the joined, lower-cased text itself. Found in review: a token
    starting with ``İ`` (lower-cased to two characters) gave a four-character "trigram" across the space."""
    import random

    from projection.scores import TargetTrigrams, dice, span_char_similarities, text_trigrams

    assert text_trigrams(["Ab", "İ"]) == _joined_trigrams(["Ab", "İ"]) == {" ab", "ab ", "b i", " i̇", "i̇ "}
    rng = random.Random(3)
    letters = "aAbxİIıΣσςßẞǅΑ\u0307"
    for _ in range(3000):
        tokens = ["".join(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 5))]
        entity = ["".join(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 2))]
        assert text_trigrams(tokens) == _joined_trigrams(tokens)
        spans = [(a, b) for a in range(len(tokens)) for b in range(a + 1, len(tokens) + 1)]
        want = [dice(_joined_trigrams(entity), _joined_trigrams(tokens[a:b])) for a, b in spans]
        assert span_char_similarities(entity, TargetTrigrams(tokens), spans) == want


def test_score_config_validation_and_signature():
    with pytest.raises(ValueError, match="≥ 0"):
        ScoreConfig(align=-1.0)
    with pytest.raises(ValueError, match="positive"):
        ScoreConfig(align=0.0, char=0.0)
    assert ScoreConfig().signature() == "score(align=1)"
    assert ScoreConfig(align=1.0, char=0.5).signature() == "score(align=1,char=0.5)"
    assert ScoreConfig(align=0.5, char=1.0, char_alone=True, min_score=0.1).signature() == (
        "score(align=0.5,char=1+alone,min=0.1)"
    )


TOKENS = ("in", "New", "York", "City")
SPANS = [(1, 3), (0, 1), (2, 3)]


def test_score_pairs_alignment_only():
    got = score_pairs("New York", [1, 2], 2, SPANS, TOKENS, ScoreConfig())
    assert got == pytest.approx([1.0, 0.0, 2 * 1 / 3])
    doubled = score_pairs("New York", [1, 2], 2, SPANS, TOKENS, ScoreConfig(align=2.0))
    assert doubled == pytest.approx([2.0, 0.0, 4 / 3])


def test_score_pairs_char_term_only_where_aligned():
    cfg = ScoreConfig(align=1.0, char=0.5)
    got = score_pairs("New York", [1, 2], 2, SPANS, TOKENS, cfg)
    # "new york" vs "york": " york " -> {" yo","yor","ork","rk "} (4); " new york " -> {" ne","new","ew ",
    # "w y"," yo","yor","ork","rk "} (8); all 4 of york's shared: Dice 2·4/12 = 2/3
    assert got == pytest.approx([1.0 + 0.5 * 1.0, 0.0, 2 / 3 + 0.5 * 2 / 3])


def test_score_pairs_char_alone_scores_unaligned_spans():
    cfg = ScoreConfig(align=1.0, char=0.5, char_alone=True)
    got = score_pairs("New York", [], 2, [(2, 3), (0, 1)], TOKENS, cfg)
    assert got == pytest.approx([0.5 * 2 / 3, 0.0])


def test_score_pairs_min_score_is_strict():
    cfg = ScoreConfig(min_score=0.5)
    # alignment scores 1.0, 0.5 (2·1/(2+2)), 2/3: 0.5 is not above the threshold
    got = score_pairs("x y", [1, 2], 2, [(1, 3), (2, 4), (2, 3)], TOKENS, cfg)
    assert got == pytest.approx([1.0, 0.0, 2 / 3])


def test_char_term_alone_in_weight_still_needs_a_link_not_a_weighted_score():
    """``align=0, char=1`` is a valid config; the char term was tested against the *weighted* alignment score,
    always 0 there, so nothing could ever score (found in review). Spans with a link get 1 × Dice, others 0."""
    tokens = ("Berlin", "ni", "mji")
    got = score_pairs(["Berlin"], [0], 1, [(0, 1), (1, 2)], tokens, ScoreConfig(align=0.0, char=1.0))
    assert got == [1.0, 0.0]
    assert score_pairs(["Berlin"], [0], 1, [(0, 1), (1, 2)], tokens, ScoreConfig(align=1.0, char=1.0)) == [2.0, 0.0]


def test_char_similarity_reads_a_decomposed_word_as_the_same_word_composed():
    # found in review: trigrams were taken of the code points, so "Île Ré" written decomposed (I + U+0302, e + U+0301,
    # as MasakhaNER2's Yoruba writes its tone marks) shared only 6 of its 12 trigrams with the same words composed
    decomposed = "I\u0302le Re\u0301"
    assert char_similarity("Île Ré", decomposed) == 1.0
    assert char_similarity("Ségou", "Se\u0301gou") == 1.0
    # a span of a decomposed target scores as the composed one: Dice of " ségou " with " lasesegou "-less spans
    config = ScoreConfig(align=1.0, char=0.5)
    composed = score_pairs(["Ségou"], [1], 1, [(0, 1), (1, 2), (1, 3)], ["A", "Ségou", "kɔnɔ"], config)
    assert score_pairs(["Ségou"], [1], 1, [(0, 1), (1, 2), (1, 3)], ["A", "Se\u0301gou", "kɔnɔ"], config) == composed
    assert composed[1] == 1.0 + 0.5 * 1.0


def test_char_alone_without_a_char_weight_is_refused():
    """Found in review: ``ScoreConfig(char=0, char_alone=True)`` was accepted; with no character term there is
    nothing to score alone, so it changed neither the scores nor the signature."""
    with pytest.raises(ValueError) as info:
        ScoreConfig(char=0, char_alone=True)
    assert str(info.value) == ("char_alone=True lets the character-similarity term score a span alone, but char=0 "
                               "turns that term off: give char > 0, or leave char_alone out")  # fmt: skip
    assert ScoreConfig(char=0.5, char_alone=True).signature() == "score(align=1,char=0.5+alone)"
