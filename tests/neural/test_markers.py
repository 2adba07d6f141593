"""Marker decoding and fuzzy matching on hand-made back-translations."""

from __future__ import annotations

import pytest

from projection.neural.markers import best_pairs, decode_markers, mark_entities, similarity
from projection.types import Span


def split(text):
    return text.split()


ENTS = ["Angela Merkel", "Parisi"]  # the entities translated alone
LABELS = ["PER", "LOC"]


def decode(text, ents=ENTS, labels=LABELS):
    d = decode_markers(text, ents, labels, split)
    return list(d.sentence.tokens), list(d.sentence.tags), d


def test_mark_entities():
    words = ["Angela", "Merkel", "visited", "Paris", "."]
    assert mark_entities(words, [Span(0, 2, "PER"), Span(3, 4, "LOC")]) == \
        ["[", "Angela", "Merkel", "]", "visited", "[", "Paris", "]", "."]


def test_clean_markers():
    tokens, tags, d = decode("[ Angela Merkel ] alitembelea [ Parisi ] .")
    assert tokens == ["Angela", "Merkel", "alitembelea", "Parisi", "."]
    assert tags == ["B-PER", "I-PER", "O", "B-LOC", "O"]
    assert (d.markers, d.matched, d.lost) == (2, 2, 0)


def test_reordered_entities_are_matched_by_text():
    tokens, tags, _ = decode("[Parisi] ilitembelewa na [Angela Merkel]")
    assert tags == ["B-LOC", "O", "O", "B-PER", "I-PER"]


def test_doubled_brackets_collapse():
    tokens, tags, d = decode("[[ Angela Merkel ]] alitembelea [[Parisi]]")
    assert tokens == ["Angela", "Merkel", "alitembelea", "Parisi"]
    assert tags == ["B-PER", "I-PER", "O", "B-LOC"]


def test_lost_brackets_and_stray_bracket():
    tokens, tags, d = decode("Angela Merkel alitembelea [Parisi")
    assert tokens == ["Angela", "Merkel", "alitembelea", "Parisi"]
    assert tags == ["O"] * 4
    assert (d.markers, d.matched, d.lost) == (0, 0, 2)


def test_entity_that_does_not_come_back_and_unmatched_marker():
    # "Parisi" is gone; the marker around "jana" resembles no entity (ratio < 0.5) and stays O
    tokens, tags, d = decode("[Angela Merkela] alifika [jana]")
    assert tokens == ["Angela", "Merkela", "alifika", "jana"]
    assert tags == ["B-PER", "I-PER", "O", "O"]
    assert (d.markers, d.matched, d.lost) == (2, 1, 1)


def test_best_score_wins_not_the_last_one_over_threshold():
    # one marker, two entities over 0.5: the better (first) must win, although the last is also > 0.5
    ents = ["Nairobi", "Nairobi City"]
    assert similarity("Nairobi", "Nairobi") == 1.0
    assert similarity("Nairobi", "Nairobi City") == pytest.approx(2 * 7 / (7 + 12))  # LCS "nairobi"
    _, tags, _ = decode("[Nairobi] ni mji", ents, ["LOC", "ORG"])
    assert tags == ["B-LOC", "O", "O"]


def test_best_pairs_is_one_to_one_best_first():
    # hand-worked: best cell 0.9 (m1,e0); then m0 may only take e1 (0.6); e0 is used
    assert best_pairs([[0.8, 0.6], [0.9, 0.7]], 0.5) == [(0, 1), (1, 0)]
    assert best_pairs([[0.5, 0.4]], 0.5) == []  # strictly above the threshold


def test_similarity_is_the_indel_ratio_lowercased():
    # LCS("kenya", "kenia") = "kena" (4): 2*4/10
    assert similarity("KENYA", "kenia") == 0.8
    assert similarity("", "") == 1.0 and similarity("a", "") == 0.0


# pairs where difflib's greedy matching blocks and the LCS disagree on the > 0.5 decision;
# a longest common subsequence, checked by hand: "baa baa" (7 of 12 + 12 characters), "ni ya ni" (8 of 14 + 14)
DISAGREE = [("Barack Obama", "Obama Barack", 14 / 24), ("Benki ya Dunia", "Dunia ya Benki", 16 / 28)]


@pytest.mark.parametrize("a,b,expected", DISAGREE)
def test_similarity_does_not_depend_on_rapidfuzz_where_difflib_disagrees(a, b, expected):
    from difflib import SequenceMatcher

    assert SequenceMatcher(None, a.lower(), b.lower()).ratio() <= 0.5 < expected  # difflib would drop the pair
    assert similarity(a, b) == pytest.approx(expected, abs=1e-12)
    from rapidfuzz import fuzz
    assert similarity(a, b) == pytest.approx(fuzz.ratio(a.lower(), b.lower()) / 100, abs=1e-12)


def test_marker_decision_with_reordered_name_is_kept():
    # the marker holds the name in the other order; the Indel ratio 7/12 > 0.5 keeps the PER entity
    _, tags, d = decode("[Obama Barack] alifika", ["Barack Obama"], ["PER"])
    assert tags == ["B-PER", "I-PER", "O"] and (d.matched, d.lost) == (1, 0)


def test_full_width_and_other_bracket_variants_keep_every_entity():
    # a hand-made back-translation into Japanese-style text with full-width and lenticular brackets, one mixed pair
    text = "［アンゲラ・メルケル］は【パリ】と〔ベルリン〕を訪れた〖EU］の会議"
    ents, labels = ["アンゲラ・メルケル", "パリ", "ベルリン", "EU"], ["PER", "LOC", "LOC", "ORG"]
    d = decode_markers(text, ents, labels, lambda t: t.split() if " " in t else [t] if t else [])
    assert (d.markers, d.matched, d.lost) == (4, 4, 0)
    assert list(d.sentence.tokens) == ["アンゲラ・メルケル", "は", "パリ", "と", "ベルリン", "を訪れた", "EU",
                                       "の会議"]
    assert list(d.sentence.tags) == ["B-PER", "O", "B-LOC", "O", "B-LOC", "O", "B-ORG", "O"]


def test_corner_quotes_are_not_markers():
    d = decode_markers("「パリ」に行った", ["パリ"], ["LOC"], lambda t: [t] if t else [])
    assert (d.markers, d.matched, d.lost) == (0, 0, 1)
    assert list(d.sentence.tokens) == ["「パリ」に行った"]


def test_entities_translated_alone_are_compared_without_their_brackets():
    """Found in review: a marker-trained model may bracket an entity translated alone; with the brackets kept,
    the marker ``USA`` scored 2·3/(3+9) = 0.5 against ``[die USA]`` (not above the threshold: lost) where
    ``die USA`` scores 0.6, and a one-letter entity ``[X]`` scored 0.5 against its marker ``X``."""
    for alone in ["die USA", "[die USA]", "【die USA】", " [ die  USA ] "]:
        d = decode_markers("Er kam in die [USA] .", [alone], ["LOC"], split)
        assert list(d.sentence.tags) == ["O", "O", "O", "O", "B-LOC", "O"], alone
    d = decode_markers("[X] kam .", ["[X]"], ["PER"], split)
    assert (list(d.sentence.tags), d.lost) == (["B-PER", "O", "O"], 0)


def test_brackets_inside_english_entities_are_not_read_as_markers():
    """Found in review: the Europarl English has tokens ``[`` ``]`` inside entities; marked as ``[Treaty [COM 101]]``
    the decoder took the inner pair as the marker and ``Treaty`` lost its label, counted as matched."""
    from projection.neural.backtrans import back_translate
    from projection.types import Sentence

    class Identity:  # a perfect "translation": the English text itself
        def translate(self, texts, src, tgt):
            return list(texts)

    english = Sentence(("the", "Treaty", "[", "COM", "101", "]", "says"),
                       ("O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "I-MISC", "O"), "s1")  # fmt: skip
    out = back_translate([english], "de", Identity())
    (sentence,) = out.sentences
    assert list(zip(sentence.tokens, sentence.tags)) == [
        ("the", "O"), ("Treaty", "B-MISC"), ("(", "I-MISC"), ("COM", "I-MISC"), ("101", "I-MISC"), (")", "I-MISC"),
        ("says", "O")]  # fmt: skip
    assert (out.markers, out.matched, out.lost) == (1, 1, 0)
