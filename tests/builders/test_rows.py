"""Rows of a split from finished pairs, checked against hand-made values."""

from __future__ import annotations

from builders.families import FAMILIES
from builders.rows import make_row
from projection.types import Alignment, Match, Pair, ProjectedSentence, Sentence, Span


def test_a_back_translated_row_indexes_the_back_translated_sentence():
    english = Sentence(("Yesterday", "Angela", "Merkel", "spoke"), ("O", "B-PER", "I-PER", "O"))
    bt = Sentence(("Jana", "Angela", "Merkel", "alisema"), ("O", "B-PER", "I-PER", "O"))
    target = Sentence(("Angela", "Merkel", "alizungumza", "jana"), ("B-PER", "I-PER", "O", "O"))
    pair = Pair(
        "s1", english, target, backtranslated=bt, alignment=Alignment.of([(0, 3), (1, 0), (2, 1)]),
        projected=ProjectedSentence((Span(0, 2, "PER"),), (Match(0, 0, 2, 1.0),), 1),
    )  # fmt: skip
    row = make_row(pair, FAMILIES["masakhaner2"], "sig", backtranslation=True)
    assert row["source_tokens"] == list(english.tokens)
    assert row["backtranslated_tokens"] == list(bt.tokens)
    assert row["backtranslated_ner_tags"] == ["O", "B-PER", "I-PER", "O"]
    assert row["alignment"] == "0-3 1-0 2-1"
    assert row["matches"] == [{"source_start": 1, "source_end": 3, "target_start": 0, "target_end": 2,
                               "label": "PER", "score": 1.0}]  # fmt: skip
    assert row["silver_ner_tags"] == ["B-PER", "I-PER", "O", "O"]
    assert (row["source_entities"], row["projected_entities"]) == (1, 1)


def test_matches_index_the_source_after_dropped_labels():
    """``drop_labels`` remove MISC before matching: match 0 is the first entity that is not MISC."""
    src = Sentence(("EU", "chief", "Juncker"), ("B-MISC", "O", "B-PER"))
    tgt = Sentence(("EU-Chef", "Juncker"), ("B-MISC", "B-PER"))
    pair = Pair("s", src, tgt, alignment=Alignment.of([(0, 0), (1, 0), (2, 1)]),
                projected=ProjectedSentence((Span(1, 2, "PER"),), (Match(0, 1, 2, 1.0),), 1))  # fmt: skip
    row = make_row(pair, FAMILIES["europarl-ner"], "sig", ("MISC",))
    assert row["matches"][0]["source_start"] == 2 and row["matches"][0]["label"] == "PER"
    assert "backtranslated_tokens" not in row


def test_an_alignment_of_possible_links_only_is_kept_in_the_row():
    src = Sentence(("Juncker", "spoke"), ("B-PER", "O"))
    tgt = Sentence(("Juncker", "sprach"), ("B-PER", "O"))
    pair = Pair("s", src, tgt, alignment=Alignment.of([], [(0, 0), (1, 1)]),
                projected=ProjectedSentence((Span(0, 1, "PER"),), (Match(0, 0, 1, 0.3),), 1))  # fmt: skip
    assert make_row(pair, FAMILIES["europarl-ner"], "sig")["alignment"] == "0p0 1p1"
