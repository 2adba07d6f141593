"""Marker decoding and fuzzy matching on hand-made back-translations."""

from __future__ import annotations

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
    assert similarity("Nairobi", "Nairobi City") > 0.5
    _, tags, _ = decode("[Nairobi] ni mji", ents, ["LOC", "ORG"])
    assert tags == ["B-LOC", "O", "O"]


def test_best_pairs_is_one_to_one_best_first():
    # hand-worked: best cell 0.9 (m1,e0); then m0 may only take e1 (0.6); e0 is used
    assert best_pairs([[0.8, 0.6], [0.9, 0.7]], 0.5) == [(0, 1), (1, 0)]
    assert best_pairs([[0.5, 0.4]], 0.5) == []  # strictly above the threshold


def test_similarity_is_difflib_ratio_lowercased():
    from difflib import SequenceMatcher

    assert abs(similarity("KENYA", "kenia") - SequenceMatcher(None, "kenya", "kenia").ratio()) < 1e-9
