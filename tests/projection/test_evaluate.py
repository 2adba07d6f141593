"""evaluate(): entity-level micro P/R/F1 (seqeval's default mode) on hand cases, the ignore mapping, and exact
equality with seqeval itself (the reference) on thousands of random, partly ill-formed sequences."""

from __future__ import annotations

import random
import warnings

import pytest

from projection.evaluate import evaluate
from projection.tags import repair_iob2


def test_partial_boundary_match_counts_as_wrong():
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC"]]  # PER cut short: wrong; LOC right
    s = evaluate(gold, pred)
    assert (s.precision, s.recall, s.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert s.per_type["PER"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1, "predicted": 1}
    assert s.per_type["LOC"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}


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


def test_ignore_as_one_string_is_refused_not_read_as_letters():
    # found in review: ignore="MISC" was read as the types M, I, S, C, and the MISC entity below was scored
    # (P = R = 0.5 instead of the 1.0 of ignore=("MISC",)) without a word
    from projection.stages.write import EvaluationSink

    gold, pred = [["B-PER", "B-MISC"]], [["B-PER", "O"]]
    assert evaluate(gold, pred, ignore=["MISC"]).f1 == 1.0
    with pytest.raises(TypeError, match=r"ignore must be a sequence of entity types such as \('MISC',\), got the "
                                        r"string 'MISC'"):  # fmt: skip
        evaluate(gold, pred, ignore="MISC")
    with pytest.raises(TypeError, match="got the string 'MISC'"):
        EvaluationSink(ignore="MISC")


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


def seqeval_reference(gold, pred, ignore=()):
    """The old evaluate(): seqeval's classification_report (default mode) on LabelMap-ed tags, and each type's
    predicted entities as seqeval's ``get_entities`` reads them."""
    from collections import Counter

    from seqeval.metrics import classification_report
    from seqeval.metrics.sequence_labeling import get_entities

    from projection.tags import LabelMap

    lm = LabelMap(frozenset(ignore))
    y_true, y_pred = [lm.apply(g) for g in gold], [lm.apply(p) for p in pred]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    predicted = Counter(label for p in y_pred for label, _, _ in get_entities(p))
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    per_type = {
        label: {
            "precision": float(v["precision"]),
            "recall": float(v["recall"]),
            "f1": float(v["f1-score"]),
            "support": int(v["support"]),
            "predicted": predicted[label],
        }
        for label, v in sorted(report.items())
        if not label.endswith(" avg")
    }
    return float(micro["precision"]), float(micro["recall"]), float(micro["f1-score"]), per_type


ALL_TAGS = ["O", "O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def random_case(rng: random.Random):
    """Gold and predicted sequences, ill-formed IOB2 included (I- after O, I-X after B-Y, I- first)."""
    lens = [rng.randint(0, 14) for _ in range(rng.randint(1, 6))]
    gold = [[rng.choice(ALL_TAGS) for _ in range(n)] for n in lens]
    if rng.random() < 0.3:
        gold = [repair_iob2(g)[0] for g in gold]
    kind = rng.random()
    if kind < 0.1:
        pred = [["O"] * len(g) for g in gold]  # nothing predicted
    elif kind < 0.2:
        pred = [list(g) for g in gold]  # perfect
    else:
        pred = [[t if rng.random() < 0.7 else rng.choice(ALL_TAGS) for t in g] for g in gold]
        if rng.random() < 0.3:
            pred = [repair_iob2(p)[0] for p in pred]
    ignore = rng.choice([(), (), ("MISC",), ("MISC", "ORG"), ("PER", "LOC", "ORG", "MISC")])
    return gold, pred, ignore


def test_equals_seqeval_exactly_on_thousands_of_random_cases():
    rng = random.Random(2024)
    for _ in range(3000):
        gold, pred, ignore = random_case(rng)
        s = evaluate(gold, pred, ignore=ignore)
        assert (s.precision, s.recall, s.f1, s.per_type) == seqeval_reference(gold, pred, ignore), (gold, pred)


def test_equals_seqeval_on_one_big_corpus():
    rng = random.Random(7)
    gold, pred = [], []
    for _ in range(400):
        g, p, _ = random_case(rng)
        gold += g
        pred += p
    s = evaluate(gold, pred)
    assert (s.precision, s.recall, s.f1, s.per_type) == seqeval_reference(gold, pred)


def test_ill_formed_sequences_by_hand():
    # seqeval default mode: I-PER after O starts a PER; I-LOC after B-PER ends PER and starts LOC
    gold = [["O", "I-PER", "I-PER", "B-PER", "I-LOC", "I-LOC"]]
    pred = [["O", "B-PER", "I-PER", "B-PER", "B-LOC", "I-LOC"]]
    s = evaluate(gold, pred)  # gold: PER 1-2, PER 3, LOC 4-5; pred: the same three
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert s.per_type["PER"]["support"] == 2 and s.per_type["LOC"]["support"] == 1


def test_tuples_and_lists_mix_and_invalid_tags_are_errors():
    s = evaluate([("B-PER", "O")], [["B-PER", "O"]])
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="predicted sentence 1 token 1: expected an IOB2 tag"):
        evaluate([["O", "O"]], [["O", "PER"]])


def test_no_seqeval_or_sklearn_import():
    import subprocess
    import sys

    code = (
        "import sys; from projection.evaluate import evaluate; evaluate([['B-PER']], [['B-PER']]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('seqeval', 'sklearn')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_label_ids_instead_of_tag_names_are_a_clear_error():
    """Found in review: int label ids (a datasets column) failed with an AttributeError naming no sentence."""
    with pytest.raises(ValueError) as info:
        evaluate([["B-PER", "O"], ["O", 3]], [["B-PER", "O"], ["O", "O"]])
    assert str(info.value) == ("gold sentence 2 token 1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 3 "
                               "(a int, not a str: map label ids to their names)")


def test_numpy_rows_score_as_lists_of_str():
    """Found in review: gold and predicted tags both in numpy arrays (rows of a pandas or numpy-formatted datasets
    column) failed with numpy's "truth value of an array ... is ambiguous" (the two rows were compared with ==).
    One gold entity of three is missed and none is wrong: P = 1, R = 2/3, F1 = 0.8."""
    import numpy as np

    gold = [["B-PER", "I-PER", "O"], ["O", "B-LOC"], ["B-ORG"]]
    pred = [["B-PER", "I-PER", "O"], ["O", "O"], ["B-ORG"]]
    for g, p in (([np.array(x) for x in gold], [np.array(x) for x in pred]),
                 ([np.array(x, dtype=object) for x in gold], [np.array(x, dtype=object) for x in pred])):  # fmt: skip
        scores = evaluate(g, p)
        assert (scores.precision, scores.recall, scores.f1, scores.sentences) == (1.0, 2 / 3, 0.8, 3)
    same = evaluate(np.array([["B-PER", "O"], ["O", "B-LOC"]]), np.array([["B-PER", "O"], ["O", "B-LOC"]]))
    assert (same.precision, same.recall, same.f1) == (1.0, 1.0, 1.0)


def test_a_sentence_given_as_a_str_is_named():
    """Found in review: one sentence's tags given flat (["B-PER", "O"]) were read as sentences of characters and
    refused as "gold sentence 1 token 0: ... got 'B'", a tag the user never wrote."""
    with pytest.raises(ValueError) as info:
        evaluate(["B-PER", "O"], ["B-PER", "O"])
    assert str(info.value) == ("gold sentence 1 is the str 'B-PER', not a sequence of tags: give one sequence of IOB2 "
                               "tags per sentence, such as [['B-PER', 'O'], ['O']]")  # fmt: skip


@pytest.mark.parametrize("gold, pred, micro, per_type", [
    # no predicted entity: precision 0/0 -> 0, recall 0/1
    ([["B-PER", "O"]], [["O", "O"]], (0.0, 0.0, 0.0), {"PER": (0.0, 0.0, 0.0, 1)}),
    # no gold entity: recall 0/0 -> 0, precision 0/1
    ([["O", "O"]], [["B-PER", "O"]], (0.0, 0.0, 0.0), {"PER": (0.0, 0.0, 0.0, 0)}),
    # neither: 0, not 1 for agreeing on nothing
    ([["O", "O"]], [["O", "O"]], (0.0, 0.0, 0.0), {}),
    # a type only predicted (LOC: recall 0/0) or only in gold (ORG: precision 0/0) beside a right PER
    ([["B-PER", "O", "B-ORG"]], [["B-PER", "B-LOC", "O"]], (0.5, 0.5, 0.5),
     {"PER": (1.0, 1.0, 1.0, 1), "LOC": (0.0, 0.0, 0.0, 0), "ORG": (0.0, 0.0, 0.0, 1)}),
])  # fmt: skip
def test_zero_over_zero_is_zero_as_in_seqeval(gold, pred, micro, per_type):
    """The 0/0 conventions stated in ``Scores``' docstring: hand values, and seqeval's own (reference)."""
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    s = evaluate(gold, pred)
    assert (s.precision, s.recall, s.f1) == micro
    assert {t: (d["precision"], d["recall"], d["f1"], d["support"]) for t, d in s.per_type.items()} == per_type
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert (precision_score(gold, pred), recall_score(gold, pred), f1_score(gold, pred)) == micro
        report = classification_report(gold, pred, output_dict=True)
    assert {t: (d["precision"], d["recall"], d["f1-score"], d["support"]) for t, d in report.items()
            if not t.endswith(" avg")} == per_type  # fmt: skip


def test_a_generator_or_a_string_is_refused_with_what_to_pass():
    """Found in review: ``evaluate(generator, pred)`` failed with Python's "object of type 'generator' has no
    len()"; a string of tags would be read as its characters."""
    pred = [["B-PER", "O"]]
    with pytest.raises(TypeError, match=r"^evaluate: gold must be a sequence \(a list\) of tag sequences, one per "
                                        r"sentence, got a generator; wrap it in list\(\.\.\.\)$"):
        evaluate((t for t in pred), pred)
    with pytest.raises(TypeError, match=r"^evaluate: pred must be a sequence .* got a str$"):
        evaluate(pred, "B-PER O")
    assert evaluate(pred, [("B-PER", "O")]).f1 == 1.0  # a list of tuples is fine
