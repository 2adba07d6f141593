"""IOB2 tags <-> spans, repair of ill-formed IOB2 and label dropping (hand-computed cases)."""

from __future__ import annotations

import random

import pytest

from projection.tags import (
    LabelMap,
    bio_to_spans,
    check_tag,
    chunks,
    repair_in_place,
    repair_iob2,
    spans_to_bio,
    tag_parts,
)
from projection.types import Sentence, Span


def test_bio_to_spans_hand_case():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC", "O", "B-ORG"]
    assert bio_to_spans(tags) == [Span(0, 2, "PER"), Span(3, 4, "LOC"), Span(4, 6, "LOC"), Span(7, 8, "ORG")]


def test_bio_to_spans_type_change_inside_run_starts_new_span():
    # I-LOC after B-PER cannot continue the PER span: it opens a LOC span of its own
    assert bio_to_spans(["B-PER", "I-LOC", "I-LOC"]) == [Span(0, 1, "PER"), Span(1, 3, "LOC")]
    # I- after O opens a span too
    assert bio_to_spans(["O", "I-MISC", "O"]) == [Span(1, 2, "MISC")]


def test_bio_to_spans_empty_and_all_o():
    assert bio_to_spans([]) == []
    assert bio_to_spans(["O", "O"]) == []


def test_spans_to_bio_hand_case():
    spans = [Span(3, 4, "LOC"), Span(0, 2, "PER"), Span(4, 6, "LOC")]  # unsorted on purpose
    assert spans_to_bio(spans, 7) == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC", "O"]


def test_spans_to_bio_rejects_overlap_and_overflow():
    with pytest.raises(ValueError, match="overlaps"):
        spans_to_bio([Span(0, 2, "PER"), Span(1, 3, "LOC")], 4)
    with pytest.raises(ValueError, match="exceeds 3 tokens"):
        spans_to_bio([Span(2, 4, "PER")], 3)


def test_round_trip_random_spans():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(0, 12)
        spans, k = [], 0
        while k < n:
            k += rng.randint(0, 2)
            if k >= n:
                break
            end = min(n, k + rng.randint(1, 3))
            spans.append(Span(k, end, rng.choice(["PER", "LOC", "ORG"])))
            k = end
        assert bio_to_spans(spans_to_bio(spans, n)) == spans


@pytest.mark.parametrize(
    "tags, expected, n_repaired",
    [
        (["O", "I-PER", "I-PER"], ["O", "B-PER", "I-PER"], 1),  # I- after O
        (["B-LOC", "I-PER"], ["B-LOC", "B-PER"], 1),  # I-X after B-Y
        (["I-ORG"], ["B-ORG"], 1),  # I- at sentence start
        (["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"], ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"], 2),
        (["B-PER", "I-PER", "B-PER", "I-PER"], ["B-PER", "I-PER", "B-PER", "I-PER"], 0),  # already valid
    ],
)
def test_repair_iob2(tags, expected, n_repaired):
    assert repair_iob2(tags) == (expected, n_repaired)


def test_repair_does_not_change_the_spans_bio_to_spans_reads():
    tags = ["O", "I-PER", "I-LOC", "I-LOC", "B-ORG", "I-PER"]
    fixed, _ = repair_iob2(tags)
    assert bio_to_spans(fixed) == bio_to_spans(tags)


@pytest.mark.parametrize("bad", ["PER", "B-", "X-PER", "b-PER", "BPER", ""])
def test_bad_tags_are_rejected_naming_where(bad):
    with pytest.raises(ValueError, match="here.conll:3"):
        check_tag(bad, where="here.conll:3")
    with pytest.raises(ValueError, match="expected an IOB2 tag"):
        repair_iob2(["O", bad])


def test_label_map_drops_types_on_both_prefixes():
    lm = LabelMap(frozenset({"MISC", "DATE"}))
    tags = ["B-MISC", "I-MISC", "B-PER", "O", "B-DATE", "I-DATE", "I-LOC"]
    assert lm.apply(tags) == ["O", "O", "B-PER", "O", "O", "O", "I-LOC"]
    assert LabelMap().apply(tags) == tags


def test_label_map_matches_whole_label_only():
    # "MISCELLANEOUS" is not "MISC"
    assert LabelMap(frozenset({"MISC"})).apply(["B-MISCELLANEOUS", "B-MISC"]) == ["B-MISCELLANEOUS", "O"]


def test_span_validation_and_overlap():
    with pytest.raises(ValueError):
        Span(2, 2, "PER")
    with pytest.raises(ValueError):
        Span(-1, 2, "PER")
    with pytest.raises(ValueError):
        Span(0, 1, "")
    assert Span(0, 2, "A").overlaps(Span(1, 3, "B"))
    assert not Span(0, 2, "A").overlaps(Span(2, 3, "B"))  # end is exclusive
    assert len(Span(3, 7, "A")) == 4


def test_sentence_spans_and_length_check():
    s = Sentence(("a", "b", "c"), ("B-PER", "I-PER", "O"))
    assert s.spans == [Span(0, 2, "PER")]
    assert Sentence(("a",)).spans == []
    with pytest.raises(ValueError, match="3 tokens but 2 tags"):
        Sentence(("a", "b", "c"), ("O", "O"))


def test_chunks_equal_seqeval_get_entities_on_random_sequences():
    from seqeval.metrics.sequence_labeling import get_entities

    rng = random.Random(5)
    tags = ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG"]
    for _ in range(3000):
        seq = [rng.choice(tags) for _ in range(rng.randint(0, 15))]
        assert chunks(seq) == [(s, e + 1, t) for t, s, e in get_entities(seq)], seq


def test_repair_in_place_equals_repair_iob2():
    rng = random.Random(9)
    tags = ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG", "B-ORG"]
    for _ in range(2000):
        seq = [rng.choice(tags) for _ in range(rng.randint(0, 15))]
        expected, n = repair_iob2(seq)
        fixed = list(seq)
        assert repair_in_place(fixed) == n and fixed == expected, seq


def test_tag_parts():
    assert tag_parts("I-PER") == (True, "PER", "B-PER")
    assert tag_parts("B-DATE-X") == (False, "DATE-X", "B-DATE-X")
    assert tag_parts("O") == (False, "", "O")
    with pytest.raises(ValueError, match="f.conll:2: expected an IOB2 tag"):
        tag_parts("I-", where="f.conll:2")


@pytest.mark.parametrize("tag, hint", [
    ("b-per", " (tags are case-sensitive: write 'B-PER' for IOB2)"),
    ("o", " (tags are case-sensitive: write 'O' for IOB2)"),
    ("E-ORG", " (a BIOES or BILOU tag: convert the tags to IOB2, S- and U- to B-, E- and L- to I-)"),
    ("S-LOC", " (a BIOES or BILOU tag: convert the tags to IOB2, S- and U- to B-, E- and L- to I-)"),
    ("U-PER", " (a BIOES or BILOU tag: convert the tags to IOB2, S- and U- to B-, E- and L- to I-)"),
    ("NN", ""), ("I-", ""), ("E", ""),
])  # fmt: skip
def test_a_tag_of_another_case_or_scheme_says_how_to_write_it(tag, hint):
    """Found in review: a lower-case ``b-per`` and BIOES's ``E-ORG`` were refused with no word on what to do."""
    with pytest.raises(ValueError) as info:
        tag_parts(tag, where="f.conll:2")
    assert str(info.value) == f"f.conll:2: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {tag!r}{hint}"


@pytest.mark.parametrize("tag, hint", [(3, ": map label ids to their names"), (None, "")])
def test_a_tag_that_is_not_a_str_is_a_clear_value_error(tag, hint):
    """Found in review: a label id (int) or None where a tag name belongs failed with ``AttributeError: 'int'
    object has no attribute 'partition'`` in every reader of tags (repair, spans, the scorer)."""
    expected = (f"<tags> token 1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {tag!r} "
                f"(a {type(tag).__name__}, not a str{hint})")  # fmt: skip
    for f in (repair_iob2, chunks, bio_to_spans):
        with pytest.raises(ValueError) as info:
            f(["O", tag])
        assert str(info.value) == expected
    with pytest.raises(ValueError) as info:
        Sentence(("a", "b"), ("O", tag)).spans
    assert str(info.value) == expected
