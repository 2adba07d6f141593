"""evaluate(): entity-level micro P/R/F1 (seqeval, default mode) on hand cases, and the ignore mapping."""

from __future__ import annotations

import random
import warnings

import pytest

from projection.evaluate import evaluate


def test_partial_boundary_match_counts_as_wrong():
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC"]]  # PER cut short: wrong; LOC right
    s = evaluate(gold, pred)
    assert (s.precision, s.recall, s.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert s.per_type["PER"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert s.per_type["LOC"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}


def test_wrong_type_and_micro_average_over_sentences():
    gold = [["B-PER", "O", "B-ORG", "I-ORG"], ["B-LOC", "O", "O"]]
    pred = [["B-PER", "O", "O", "O"], ["B-LOC", "O", "B-PER"]]
    # gold 3 entities, predicted 3, correct 2 (PER@0, LOC@0): P = R = F = 2/3
    s = evaluate(gold, pred)
    assert (s.precision, s.recall, s.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert s.per_type["PER"]["precision"] == pytest.approx(0.5) and s.per_type["PER"]["recall"] == 1.0
    assert s.per_type["ORG"]["recall"] == 0.0 and s.per_type["ORG"]["support"] == 1
    assert s.sentences == 2

    pred_type = [["B-ORG", "O", "B-ORG", "I-ORG"], ["B-LOC", "O", "O"]]  # PER labelled ORG: wrong
    s = evaluate(gold, pred_type)
    assert (s.precision, s.recall) == pytest.approx((2 / 3, 2 / 3))


def test_unequal_precision_and_recall():
    gold = [["B-PER", "O", "B-LOC", "O", "B-ORG"]]
    pred = [["B-PER", "O", "O", "O", "O"]]
    s = evaluate(gold, pred)  # 1 correct of 1 predicted, of 3 gold
    assert (s.precision, s.recall, s.f1) == pytest.approx((1.0, 1 / 3, 0.5))


def test_default_mode_reads_i_after_o_as_an_entity():
    # seqeval's default (conlleval) mode: I-PER I-PER is one PER entity, equal to B-PER I-PER
    s = evaluate([["B-PER", "I-PER", "O"]], [["I-PER", "I-PER", "O"]])
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)


def test_ignore_maps_types_to_o_on_both_sides():
    gold = [["B-MISC", "O", "B-PER", "B-DATE", "I-DATE"]]
    pred = [["O", "B-MISC", "B-PER", "O", "B-DATE"]]
    # without ignore: gold {MISC@0, PER@2, DATE@3-4}, pred {MISC@1, PER@2, DATE@4}: 1 correct of 3 and 3
    s = evaluate(gold, pred)
    assert (s.precision, s.recall) == pytest.approx((1 / 3, 1 / 3))
    s = evaluate(gold, pred, ignore=("MISC", "DATE"))  # only PER is left, and it is right
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert set(s.per_type) == {"PER"}
    s = evaluate(gold, pred, ignore=("MISC",))  # PER right, DATE wrong: 1 of 2 and 2
    assert (s.precision, s.recall) == pytest.approx((0.5, 0.5))
    assert set(s.per_type) == {"PER", "DATE"}


def test_no_entities_anywhere():
    s = evaluate([["O", "O"]], [["O", "O"]])
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0) and s.per_type == {}


def test_agrees_with_seqeval_on_random_sequences():
    from seqeval.metrics import f1_score, precision_score, recall_score

    rng = random.Random(3)
    tags = ["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
    for _ in range(50):
        lens = [rng.randint(1, 10) for _ in range(rng.randint(1, 4))]
        gold = [[rng.choice(tags) for _ in range(n)] for n in lens]
        pred = [[t if rng.random() < 0.7 else rng.choice(tags) for t in g] for g in gold]
        s = evaluate(gold, pred)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = (precision_score(gold, pred), recall_score(gold, pred), f1_score(gold, pred))
        assert (s.precision, s.recall, s.f1) == pytest.approx(expected)


def test_length_mismatches_are_errors():
    with pytest.raises(ValueError, match="2 gold sentences but 1 predicted"):
        evaluate([["O"], ["O"]], [["O"]])
    with pytest.raises(ValueError, match="sentence 2: 2 gold tags but 1 predicted"):
        evaluate([["O"], ["O", "O"]], [["O"], ["O"]])


def test_as_dict_and_projection_rate():
    s = evaluate([["B-PER"]], [["B-PER"]], projection_rate=0.75)
    d = s.as_dict()
    assert d["f1"] == 1.0 and d["projection_rate"] == 0.75 and d["sentences"] == 1
    assert d["per_type"]["PER"]["support"] == 1
