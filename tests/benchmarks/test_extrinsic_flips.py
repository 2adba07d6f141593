"""``benchmarks/extrinsic/flips.py``: the strings that differ between two draws' predictions, and F1 with them left
out, on hand-made sentences (values computed by hand in the comments)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

from flips import differing_strings, entity_sets, f1_without  # noqa: E402

WORDS = [
    ["Kano", "Focus", "ya", "ce"],
    ["Kano", "Focus", "da", "Musa"],
    ["a", "Abuja"],
]
GOLD = entity_sets([["B-ORG", "I-ORG", "O", "O"], ["B-ORG", "I-ORG", "O", "B-PER"], ["O", "B-LOC"]])
A = entity_sets([["B-ORG", "I-ORG", "O", "O"], ["B-ORG", "I-ORG", "O", "B-PER"], ["O", "B-LOC"]])
B = entity_sets([["B-PER", "I-PER", "O", "O"], ["B-PER", "I-PER", "O", "O"], ["O", "B-ORG"]])


def test_f1_with_nothing_left_out_is_entity_micro_f1():
    # A: 4 gold, 4 predicted, 4 right -> 100; B: 4 gold, 3 predicted, 0 right -> 0
    assert f1_without(WORDS, GOLD, A, ()) == 100.0
    assert f1_without(WORDS, GOLD, B, ()) == 0.0


def test_leaving_out_a_string_drops_its_gold_and_predicted_entities_of_any_label():
    # without "Kano Focus": gold {Musa PER, Abuja LOC}; B predicts {Abuja ORG}: 0 right of 1 predicted, 2 gold
    assert f1_without(WORDS, GOLD, B, {"Kano Focus"}) == 0.0
    # A without "Kano Focus" and "Abuja": gold {Musa}, predicted {Musa} -> 100
    assert f1_without(WORDS, GOLD, A, {"Kano Focus", "Abuja"}) == 100.0
    # B without "Abuja": gold 3 (Kano Focus x2, Musa), predicted 2 (Kano Focus PER x2), right 0 -> 0
    assert f1_without(WORDS, GOLD, B, {"Abuja"}) == 0.0
    # A without "Musa": 3 gold, 3 predicted, 3 right
    assert f1_without(WORDS, GOLD, A, {"Musa"}) == 100.0


def test_differing_strings_count_entities_found_by_one_draw_only_most_first():
    # "Kano Focus": ORG in A and PER in B, twice -> 4 entities; "Abuja": LOC vs ORG -> 2; "Musa": A only -> 1
    assert differing_strings(WORDS, A, B) == [("Kano Focus", 4), ("Abuja", 2), ("Musa", 1)]
    assert differing_strings(WORDS, A, A) == []


def test_no_entities_at_all_scores_zero_not_a_division_error():
    empty = entity_sets([["O"] * 4, ["O"] * 4, ["O"] * 2])
    assert f1_without(WORDS, empty, empty, ()) == pytest.approx(0.0)
