"""``projection.stages.write``: the evaluation sink's end-of-run warning about types the gold lacks."""

from __future__ import annotations

from projection.evaluate import EntityCounts
from projection.stages.write import EvaluationSink


def _chunk(gold, pred, ignore=frozenset(), missing=0):
    counts = EntityCounts(frozenset(ignore))
    counts.add(gold, pred)
    return counts, missing


def _finished(sink, *chunks):
    for chunk in chunks:
        sink.write(chunk)
    sink.finish(None)
    return sink.count_warnings({})


def test_a_type_the_gold_lacks_in_every_chunk_is_warned_about_once_with_its_total():
    one = _chunk([["B-PER", "O", "O"]], [["B-PER", "B-MISC", "B-EVT"]])
    two = _chunk([["O", "B-LOC"]], [["B-MISC", "B-LOC"]])
    sink = EvaluationSink()
    assert _finished(sink, one, two) == [
        "the projection wrote 1 EVT and 2 MISC spans and the gold has no EVT or MISC entity: they were scored as "
        "false positives; pass --drop-label EVT --drop-label MISC to leave EVT and MISC out of the projection and "
        "the score"
    ]
    # the scores are those of every entity: 2 of 5 predicted are gold, both gold found
    assert (sink.scores.precision, sink.scores.recall) == (0.4, 1.0)
    fields = sink.score_fields()
    assert fields["per_type"]["MISC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "predicted": 2}
    assert fields["per_type"]["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}
    assert (fields["precision"], fields["recall"]) == (0.4, 1.0)


def test_a_type_the_gold_has_in_another_chunk_only_is_not_warned_about():
    one = _chunk([["B-PER", "O"]], [["B-PER", "B-MISC"]])  # a MISC false positive here ...
    two = _chunk([["B-MISC", "O"]], [["O", "O"]])  # ... but the gold has MISC in the file
    assert _finished(EvaluationSink(), one, two) == []


def test_an_ignored_type_is_not_warned_about():
    ignore = frozenset({"MISC"})
    sink = EvaluationSink(ignore=["MISC"])
    assert _finished(sink, _chunk([["B-PER", "O"]], [["B-PER", "B-MISC"]], ignore)) == []
    assert set(sink.score_fields()["per_type"]) == {"PER"}


def test_gold_without_any_entity_says_so_instead_of_naming_every_type():
    sink = EvaluationSink()
    assert _finished(sink, _chunk([["O", "O", "O"]], [["B-PER", "O", "B-LOC"]])) == [
        "the gold tags hold no entity of the types scored: the projection's 2 entities (LOC, PER) were all scored "
        "as false positives"
    ]
    assert _finished(EvaluationSink(), _chunk([["O", "O"]], [["O", "B-PER"]])) == [
        "the gold tags hold no entity of the types scored: the projection's 1 entity (PER) was scored as false "
        "positive"
    ]


def test_no_warning_without_gold_tags_or_without_predictions():
    assert _finished(EvaluationSink(), _chunk([], [], missing=2)) == []
    assert _finished(EvaluationSink(), _chunk([["B-PER", "O"]], [["O", "O"]])) == []
    assert _finished(EvaluationSink(), _chunk([["O"]], [["O"]])) == []


def test_a_type_spelled_two_ways_says_to_rename_it_rather_than_drop_it():
    """Found in review: a source tagged ``B-per`` (or ``B-PERSON``) against a gold with ``B-PER`` scored 0 and the
    only advice was ``--drop-label`` for every type, which leaves nothing to score."""
    one = _chunk([["B-PER", "O", "B-LOC", "B-ORG"]], [["B-per", "O", "B-LOCATION", "B-MISC"]])
    assert _finished(EvaluationSink(), one)[-1] == (
        "the projection's types and the gold's look spelled two ways (LOCATION for LOC, per for PER): rename the tags "
        "of one side to match the other instead of dropping them (type names are compared exactly)"
    )
    unrelated = _chunk([["B-PER", "O"]], [["O", "B-MISC"]])
    assert not any("spelled two ways" in w for w in _finished(EvaluationSink(), unrelated))
