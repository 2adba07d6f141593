"""The types that pass between stages: what they compute and keep (silver tags, alignment bounds), by hand."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from projection.types import Alignment, Match, Pair, ProjectedSentence, Sentence, Span


def full_pair() -> Pair:
    src = Sentence(("Angela", "Merkel", "spoke"), ("B-PER", "I-PER", "O"), "s1")
    projected = ProjectedSentence((Span(0, 2, "PER"),), (Match(0, 0, 2, 1.0),), 1)
    return Pair("p1", src, Sentence(("Angela", "Merkel", "sprach"), None, "t1"),
                alignment=Alignment(((0, 0), (1, 1), (2, 2))), projected=projected)  # fmt: skip


def test_silver_is_made_once_and_not_carried_to_a_copy_with_another_projection():
    pair = full_pair()
    assert pair.silver == ("B-PER", "I-PER", "O") and pair.silver is pair.silver
    moved = dataclasses.replace(pair, projected=ProjectedSentence((Span(2, 3, "LOC"),), (Match(0, 2, 3, 1.0),), 1))
    assert moved.silver == ("O", "O", "B-LOC")
    assert pickle.loads(pickle.dumps(pair)).silver == ("B-PER", "I-PER", "O")



def test_bounds_are_checked_against_both_link_kinds_and_the_extent_is_kept_but_not_compared():
    a = Alignment(((0, 1), (2, 0)), ((1, 3),))
    assert a.fits(3, 4) and not a.fits(2, 4) and not a.fits(3, 3)  # largest source index 2, target index 3
    with pytest.raises(ValueError, match=r"^here: link 1p3 is outside a pair of 3 source and 3 target tokens$"):
        a.check_bounds(3, 3, where="here")
    with pytest.raises(ValueError, match=r"^here: link 2-0 is outside a pair of 2 source and 4 target tokens$"):
        a.check_bounds(2, 4, where="here")
    assert a == Alignment(((0, 1), (2, 0)), ((1, 3),)) and hash(a) == hash(Alignment(a.pairs, a.possible))
    assert Alignment().fits(0, 0) and pickle.loads(pickle.dumps(a)).fits(3, 4)


def test_a_possible_link_outside_its_pair_is_named_as_the_pharaoh_file_writes_it(tmp_path):
    """The bounds error named the possible link ``0p7`` of line 2 as ``0-7``, which is not in the file."""
    from projection.stages.read import FilePairsSource

    (tmp_path / "s.conll").write_text("a\tB-PER\nb\tO\n\nc\tB-PER\nd\tO\n", encoding="utf-8")
    (tmp_path / "l.txt").write_text("0-0 1-1\n0-0 0p7\n", encoding="utf-8")
    source = FilePairsSource(tmp_path / "s.conll", tmp_path / "s.conll", tmp_path / "l.txt")
    with pytest.raises(ValueError, match=r"l\.txt:2: link 0p7 is outside a pair of 2 source and 2 target tokens$"):
        list(source.read())


def test_links_given_by_the_user_that_fit_counted_from_1_or_the_other_way_round_say_so():
    """A 1-based or target-source alignment file was refused with the link and the pair's lengths only; the message
    now says which reading the links of that pair fit (and an aligner's own links get no such guess)."""
    one_based = Alignment.of([(1, 1), (2, 3), (3, 2)])  # 0-based 0-0 1-2 2-1 of a pair of 3 and 3 tokens
    with pytest.raises(ValueError, match=r"^a:1: link 2-3 is outside a pair of 3 source and 3 target tokens; its links "
                       r"fit counted from 1: indices are 0-based \(the first word is 0\); if the file counts from 1, "
                       r"subtract 1 from every index$"):  # fmt: skip
        one_based.check_bounds(3, 3, where="a:1", given=True)
    reversed_ = Alignment.of([(0, 0), (1, 1), (2, 3)])  # 0-0 1-1 3-2 of a pair of 4 source and 3 target, as j-i
    with pytest.raises(ValueError, match=r"^a:2: link 2-3 is outside a pair of 4 source and 3 target tokens; its links "
                       r"fit read the other way round: in i-j, i is the source word and j the target word; if the "
                       r"file was written target-source \(j-i\), swap the two indices of every link$"):  # fmt: skip
        reversed_.check_bounds(4, 3, where="a:2", given=True)
    both = Alignment.of([(1, 3)])  # 0-2 counted from 1, or 3-1 written j-i, in a pair of 4 source and 3 target tokens
    with pytest.raises(ValueError, match=r"; its links fit counted from 1: .*; its links fit read the other way round"):
        both.check_bounds(4, 3, where="a:3", given=True)
    neither = Alignment.of([(0, 0), (5, 1)])
    with pytest.raises(ValueError, match=r"^a:4: link 5-1 is outside a pair of 3 source and 3 target tokens$"):
        neither.check_bounds(3, 3, where="a:4", given=True)
    with pytest.raises(ValueError, match=r"^a:1: link 2-3 is outside a pair of 3 source and 3 target tokens$"):
        one_based.check_bounds(3, 3, where="a:1")  # an aligner's links: no guess


def test_a_negative_link_fits_no_pair():
    """Only the largest indices were compared, so (0, -1) passed the bounds check that vets an aligner's output
    (found in review); ``Alignment.of`` refuses it outright."""
    with pytest.raises(ValueError, match=r"0-based word indices, got \(0, -1\)"):
        Alignment.of([(0, -1)])
    links = Alignment(((0, -1),))
    with pytest.raises(ValueError, match="^x: link 0--1 is outside a pair of 2 source and 2 target tokens"):
        links.check_bounds(2, 2, where="x")


def test_from_pharaoh_takes_ascii_digits_only_and_names_where():
    for item in ("²-1", "١-٢"):
        with pytest.raises(ValueError, match="^gold.txt:7: expected Pharaoh links"):
            Alignment.from_pharaoh(f"0-0 {item}", where="gold.txt:7")


def test_project_corpus_refuses_alignments_not_built_by_alignment_of():
    """Found in review: ``Alignment(pairs=...)`` made directly keeps its links as given, and a duplicate link
    counted twice (``John Smith`` moved from [0, 3) to [2, 3)); given alignments are now checked where they
    enter."""
    from projection.options import default_config
    from projection.plans import project_corpus

    src = [Sentence(("John", "Smith", "spoke"), ("B-PER", "I-PER", "O"))]
    tgt = [("Juan", "Smith", "habló")]
    config = default_config("parallel")
    for given, links in ((Alignment(((0, 0), (1, 1), (1, 1))), "0-0 1-1 1-1"), (Alignment(((1, 1), (0, 0))), "0-0 1-1"),
                         (Alignment(((0, 0),), ((0, 0),)), "0-0 0p0")):  # fmt: skip
        with pytest.raises(ValueError) as info:
            project_corpus(src, tgt, config, alignments=[given], progress=False)
        assert str(info.value) == ("alignment 0 has links that are not sorted, unique and (possible ones) not also "
                                   f"sure: {links!r}; build it with Alignment.of(sure, possible)")
    with pytest.raises(TypeError) as info:
        project_corpus(src, tgt, config, alignments=[[(0, 0)]], progress=False)
    assert str(info.value) == "alignment 0 is a list, not an Alignment (build it with Alignment.of)"
    got = project_corpus(src, tgt, config, alignments=[Alignment.of([(1, 1), (0, 0), (1, 1)])], progress=False)
    assert got.tags == (("B-PER", "I-PER", "O"),)


def test_project_corpus_keeps_an_alignment_of_possible_links_only():
    """Found in review: ``Run.alignments`` gave an empty alignment for a pair with possible links and no sure one
    (``Alignment.__len__`` counts sure links, and ``alignment or Alignment()`` took it for a missing one)."""
    from projection.options import default_config
    from projection.plans import project_corpus

    src = [Sentence(("John", "Smith", "spoke"), ("B-PER", "I-PER", "O"))]
    given = Alignment.of([], [(0, 0), (1, 1), (2, 2)])
    got = project_corpus(src, [("Juan", "Smith", "habló")], default_config("parallel"), alignments=[given],
                         progress=False)  # fmt: skip
    assert got.alignments == (given,)
    assert got.tags == (("B-PER", "I-PER", "O"),)


def test_project_corpus_refuses_a_string_as_a_target_sentence():
    """Found in review: a string target was projected onto its characters (22 tags for one sentence)."""
    from projection.options import default_config
    from projection.plans import project_corpus

    src = [Sentence(("Angela", "Merkel", "visited"), ("B-PER", "I-PER", "O"))]
    with pytest.raises(TypeError) as info:
        project_corpus(src, ["Angela Merkel besuchte"], default_config("parallel"),
                       alignments=[Alignment.of([(0, 0), (1, 1)])], progress=False)  # fmt: skip
    assert str(info.value) == ("target sentence 0 is a str, not a sequence of tokens: split it into words "
                               "(text.split()) or pass a Sentence")


def test_project_corpus_refuses_arguments_that_would_do_nothing_and_sources_that_are_not_sentences():
    """Found in review: ``extra`` beside given alignments and ``target_spans`` with linked.v1 candidates were
    ignored; token tuples as sources failed with ``AttributeError: 'tuple' object has no attribute 'id'``."""
    from projection.options import default_config
    from projection.plans import project_corpus

    src = [Sentence(("Angela", "Merkel"), ("B-PER", "I-PER"))]
    tgt = [("Angela", "Merkel")]
    links = [Alignment.of([(0, 0), (1, 1)])]
    config = default_config("parallel")
    with pytest.raises(ValueError) as info:
        project_corpus(src, tgt, config, alignments=links, extra=[(["a"], ["b"])], progress=False)
    assert str(info.value) == "extra trains the aligner, which does not run with given alignments; leave one out"
    with pytest.raises(ValueError) as info:
        project_corpus(src, tgt, config, alignments=links, target_spans=[[(0, 2)]], progress=False)
    assert str(info.value) == ("target_spans are the candidates of ner.v1, and candidates linked.v1 would not read "
                               "them: pass candidates='ner.v1' or leave target_spans out")
    with pytest.raises(TypeError) as info:
        project_corpus([("Angela", "Merkel")], tgt, config, alignments=links, progress=False)
    assert str(info.value) == ("source sentence 0 is a tuple, not a Sentence: build it with Sentence(tokens, tags) "
                               "(IOB2 tags)")
    ner = default_config("parallel", candidates="ner.v1")
    got = project_corpus(src, tgt, ner, alignments=links, target_spans=[[(0, 2)]], progress=False)
    assert got.tags == (("B-PER", "I-PER"),)


@pytest.mark.parametrize("link", [(1.7, 2), (0, 2.0), (True, 0), ("1", "2")])
def test_alignment_of_refuses_links_that_are_not_whole_numbers(link):
    """Found in review: ``int()`` cut 1.7 to 1 and read True and '1' as indices."""
    with pytest.raises(TypeError) as info:
        Alignment.of([link])
    assert str(info.value) == f"alignment links are pairs of whole-number word indices, got {link!r}"
    with pytest.raises(TypeError):
        Alignment.of([], [link])


def test_alignment_of_takes_numpy_integers():
    import numpy as np
    got = Alignment.of([(np.int64(1), np.int32(2))], [(np.int64(0), 0)])
    assert got == Alignment(((1, 2),), ((0, 0),)) and type(got.pairs[0][0]) is int


def test_given_target_spans_are_named_in_the_signature_by_their_content():
    """Found in review: two sets of given ner.v1 spans gave different tags under one signature (given links are
    hashed into it; given spans were not)."""
    from projection.options import default_config
    from projection.plans import project_corpus
    from projection.signature import content_hash

    src = [Sentence(("Angela", "Merkel", "visited", "New", "York"), ("B-PER", "I-PER", "O", "B-LOC", "I-LOC"))]
    tgt = [("Angela", "Merkel", "besuchte", "New", "York")]
    links = [Alignment.of([(k, k) for k in range(5)])]
    config = default_config("parallel", candidates="ner.v1")
    runs = [project_corpus(src, tgt, config, alignments=links, target_spans=[spans], progress=False)
            for spans in ([(3, 5), (0, 2)], [(0, 1), (4, 5)])]  # fmt: skip
    assert runs[0].tags == (("B-PER", "I-PER", "O", "B-LOC", "I-LOC"),)
    assert runs[1].tags == (("B-PER", "O", "O", "O", "B-LOC"),)
    fields = [dict(r.signature.fields)["spans"].format() for r in runs]
    assert fields == [f"given(sha={content_hash('0-2 3-5')[:10]})", f"given(sha={content_hash('0-1 4-5')[:10]})"]


def test_project_corpus_names_the_sentence_of_a_bad_source_tag_or_a_token_that_is_not_a_str():
    """Found in review: a source tag that is not IOB2 failed with ``<tags> token 0: ...`` (no sentence named),
    and a token that is not a str with ``AttributeError: 'int' object has no attribute 'lower'``."""
    from projection.options import default_config
    from projection.plans import project_corpus

    good = Sentence(("Angela", "Merkel"), ("B-PER", "I-PER"))
    links = [Alignment.of([(0, 0), (1, 1)])] * 2
    config = default_config("parallel")
    with pytest.raises(ValueError) as info:
        project_corpus([good, Sentence(("a", "b"), ("O", "PER"))], [("x", "y")] * 2, config, alignments=links,
                       progress=False)  # fmt: skip
    assert str(info.value) == "source sentence 1 token 1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'PER'"
    with pytest.raises(TypeError) as info:
        project_corpus([good, Sentence(("a", 7), ("O", "O"))], [("x", "y")] * 2, config, alignments=links,
                       progress=False)  # fmt: skip
    assert str(info.value) == "source sentence 1 token 1 is 7 (a int): tokens must be strings"
    with pytest.raises(TypeError) as info:
        project_corpus([good, good], [("x", "y"), ("x", None)], config, alignments=links, progress=False)
    assert str(info.value) == "target sentence 1 token 1 is None (a NoneType): tokens must be strings"


@pytest.mark.parametrize("kind", ["numpy array", "list", "None"])
def test_project_corpus_takes_source_tags_of_any_sequence_as_before_the_tag_checks(kind):
    """The tag check of 0.6.2 read ``src.tags or ()``: tags in a numpy array (a pandas or datasets column) have no
    truth value, and a run that projected them in 0.6.1 failed with numpy's "truth value of an array ... is
    ambiguous" (found in review). None (no tags) projects nothing."""
    import numpy as np

    from projection.options import default_config
    from projection.plans import project_corpus

    tags = {"numpy array": np.array(["B-PER", "I-PER"]), "list": ["B-PER", "I-PER"], "None": None}[kind]
    run = project_corpus([Sentence(("Angela", "Merkel"), tags)], [("Angela", "Merkel")], default_config("parallel"),
                         alignments=[Alignment.of([(0, 0), (1, 1)])], progress=False)  # fmt: skip
    assert run.tags == ((("O", "O") if kind == "None" else ("B-PER", "I-PER")),)


@pytest.mark.parametrize("bad, shown", [(["O"], "['O'] (a list, not a str)"),
                                        ("array", "array(['O', 'O'], dtype='<U1') (a ndarray, not a str)")])
def test_project_corpus_names_the_place_of_an_unhashable_source_tag(bad, shown):
    """Found in review: a tag that is a list or an array (tags one level too deep, e.g. a batch's column) failed
    with a bare ``TypeError: unhashable type: 'list'`` naming no sentence, as the tag check looked it up first;
    an array tag was also told to "map label ids to their names"."""
    import numpy as np

    from projection.options import default_config
    from projection.plans import project_corpus

    tag = np.array(["O", "O"]) if bad == "array" else bad
    good = Sentence(("Angela", "Merkel"), ("B-PER", "I-PER"))
    with pytest.raises(ValueError) as info:
        project_corpus([good, Sentence(("a", "b"), ["B-PER", tag])], [("x", "y")] * 2, default_config("parallel"),
                       alignments=[Alignment.of([(0, 0), (1, 1)])] * 2, progress=False)  # fmt: skip
    assert str(info.value) == ("source sentence 1 token 1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got "
                               f"{shown}")


@pytest.mark.parametrize("links, message", [
    ("0-0 1-1", "Alignment.of takes pairs as (i, j) pairs, not the str '0-0 1-1'; read Pharaoh text such as "
                "'0-0 1-2 3p4' with Alignment.from_pharaoh"),
    ([(0, 1, 2)], "alignment links are (i, j) pairs of word indices, got (0, 1, 2)"),
    ([0, 1], "alignment links are (i, j) pairs of word indices, got 0"),
])  # fmt: skip
def test_alignment_of_names_links_that_are_not_pairs(links, message):
    """Found in review: the ``alignment`` column of a built split (Pharaoh text) given to ``Alignment.of`` failed with
    "not enough values to unpack (expected 2, got 1)", a triple with "too many values to unpack"."""
    with pytest.raises(TypeError) as info:
        Alignment.of(links)
    assert str(info.value) == message
    with pytest.raises(TypeError):
        Alignment.of([], links)


def test_alignment_of_takes_a_numpy_array_of_links():
    import numpy as np

    assert Alignment.of(np.array([[1, 2], [0, 0]]), np.argwhere(np.eye(2, dtype=bool))) == Alignment(
        ((0, 0), (1, 2)), ((1, 1),)
    )


@pytest.mark.parametrize("tokens, tags, shown", [
    ("In Neu York", None, "tokens must be a sequence of strings, one per token, not the str 'In Neu York'"),
    (("Angela",), "O", "tags must be a sequence of strings, one per token, not the str 'O'"),
])  # fmt: skip
def test_a_sentence_refuses_a_str_as_its_tokens_or_tags(tokens, tags, shown):
    """Found in review: ``Sentence("In Neu York lebt John")`` as a target of ``project_corpus`` was projected onto its
    21 characters (spaces included) without a word; a str target was already refused, a Sentence of one was not."""
    with pytest.raises(TypeError) as info:
        Sentence(tokens, tags, "s1")
    assert str(info.value) == f"sentence 's1': {shown}: split it (text.split())"


def test_project_corpus_refuses_a_sentence_of_a_str_as_a_target():
    from projection.options import default_config
    from projection.plans import project_corpus

    src = [Sentence(("John", "lives", "in", "New", "York"), ("B-PER", "O", "O", "B-LOC", "I-LOC"))]
    with pytest.raises(TypeError, match=r"^sentence '': tokens must be a sequence of strings"):
        project_corpus(src, [Sentence("In Neu York lebt John")], default_config("parallel"),
                       alignments=[Alignment.of([(0, 4), (1, 3), (2, 0), (3, 1), (4, 2)])], progress=False)  # fmt: skip


def _input_parts():
    return Sentence(("John", "lives", "in", "New", "York"), ("B-PER", "O", "O", "B-LOC", "I-LOC"), "s7"), (
        "In", "Neu", "York", "lebt", "John")  # fmt: skip


@pytest.mark.parametrize("matcher", ["greedy", "exact", "heuristic"])
@pytest.mark.parametrize("link, shown", [((0, 9), "0-9"), ((9, 0), "9-0")])
def test_a_projection_input_refuses_links_outside_its_pair(matcher, link, shown):
    """Found in review: a method called on such an input failed with ``IndexError: tuple index out of range`` in the
    candidates (greedy, exact), projected a span past the target's end (the heuristic: ``Span(9, 10)`` over 5 tokens),
    or dropped the links of a source word past the end without a word."""
    from projection.config import ProjectionConfig
    from projection.types import ProjectionInput

    src, tgt = _input_parts()
    method = ProjectionConfig(matcher=matcher).build_method()
    with pytest.raises(ValueError) as info:
        method.project(ProjectionInput(src, tgt, Alignment.of([(3, 1), link])))
    assert str(info.value) == f"ProjectionInput of sentence 's7': link {shown} is outside a pair of 5 source and 5 target tokens"


@pytest.mark.parametrize("matcher", ["greedy", "exact", "heuristic"])
@pytest.mark.parametrize("links", [
    Alignment(((4, 2), (0, 4), (1, 3), (2, 0), (3, 1))),  # the right links, out of (i, j) order
    Alignment(((0, 4), (0, 4), (3, 1), (4, 2))),  # a link twice
    Alignment(((0, 4), (3, 1), (4, 2)), ((0, 4),)),  # a link both sure and possible
    Alignment([[0, 4], [3, 1], [4, 2]]),  # lists, not tuples
])
def test_a_projection_input_refuses_links_not_as_alignment_of_holds_them(matcher, links):
    """Found in review: an ``Alignment`` built directly with its links out of order was accepted, and the methods,
    which find an entity's links by bisection, projected from the wrong links: the heuristic gave John (source word
    0) the span ``[2, 5)``, ``York lebt John`` (links 4-2 and 0-4 both fell in its slice), and New York none."""
    from projection.config import ProjectionConfig
    from projection.types import ProjectionInput

    src, tgt = _input_parts()
    method = ProjectionConfig(matcher=matcher, refine=()).build_method()
    with pytest.raises(ValueError, match=r"^ProjectionInput of sentence 's7': the alignment's links are not sorted, "
                                         r"unique \(i, j\) tuples .*build it with Alignment.of\(sure, possible\)$"):
        method.project(ProjectionInput(src, tgt, links))
    # the same links built with Alignment.of: by hand, John -> [4, 5), New York -> [1, 3)
    fixed = Alignment.of([(0, 4), (1, 3), (2, 0), (3, 1), (4, 2)])
    assert method.project(ProjectionInput(src, tgt, fixed)).tags(5) == ["O", "B-LOC", "I-LOC", "O", "B-PER"]


def test_a_projection_input_refuses_a_str_target_and_projects_what_fits_as_by_hand():
    from projection.config import ProjectionConfig
    from projection.types import ProjectionInput

    src, tgt = _input_parts()
    links = Alignment.of([(0, 4), (1, 3), (2, 0), (3, 1), (4, 2)])
    with pytest.raises(TypeError, match=r"^ProjectionInput target_tokens must be a sequence of token strings, not the "
                                        r"str 'In Neu York lebt John'"):  # fmt: skip
        ProjectionInput(src, " ".join(tgt), links)
    # by hand: PER [0,1) -> target word 4 (score 1 + 0.5 * 1); LOC [3,5) -> words 1, 2: [1,3) scores 2*2/4 = 1 plus
    # 0.5 * Dice("New York", "Neu York") = 0.5 * 10/16, above [2,3) (2/3 + 0.5 * 8/12 = 1) and [1,2)
    got = ProjectionConfig(matcher="greedy").build_method().project(ProjectionInput(src, tgt, links))
    assert got.matches == (Match(1, 1, 3, 1.3125), Match(0, 4, 5, 1.5)) and got.tags(5) == ["O", "B-LOC", "I-LOC",
                                                                                            "O", "B-PER"]  # fmt: skip


@pytest.mark.parametrize("start, end, label, error, shown", [
    (0.5, 2, "PER", TypeError, "Span start must be a whole-number token index, got 0.5"),
    (0, "2", "PER", TypeError, "Span end must be a whole-number token index, got '2'"),
    (False, True, "PER", TypeError, "Span start must be a whole-number token index, got False"),
    (0, 2, 5, ValueError, "Span label must be a non-empty string such as 'PER', got 5"),
    (0, 2, "", ValueError, "Span label must be a non-empty string such as 'PER', got ''"),
])  # fmt: skip
def test_a_span_refuses_indices_that_are_not_whole_numbers_and_labels_that_are_not_strings(start, end, label, error,
                                                                                          shown):  # fmt: skip
    """Found in review: ``Span(0.5, 2, "PER")`` and ``Span(0, 2, 5)`` were kept, and ``spans_to_bio`` then failed with
    "slice indices must be integers" and "can only concatenate str (not "int") to str"."""
    with pytest.raises(error) as info:
        Span(start, end, label)
    assert str(info.value) == shown


def test_a_span_takes_numpy_integers_as_ints():
    import numpy as np

    from projection.tags import spans_to_bio

    span = Span(np.int64(1), np.int32(3), "LOC")
    assert type(span.start) is int and type(span.end) is int and span == Span(1, 3, "LOC")
    assert spans_to_bio([span], 4) == ["O", "B-LOC", "I-LOC", "O"]


def test_alignments_the_readers_make_skip_the_canonical_check_and_keep_that_through_pickling():
    """The readers and aligners build their alignments sorted (``Alignment._sorted``): ``ProjectionInput`` checks only
    an alignment built directly, whose check costs more than the rest of a pair's bounds checks."""
    import pickle

    from projection.io.pharaoh import parse_pharaoh

    read = parse_pharaoh("1-1 0-0 2p2 1p1")
    assert read == Alignment(((0, 0), (1, 1)), ((2, 2),)) and read._canonical
    assert pickle.loads(pickle.dumps(read))._canonical and Alignment.of([(1, 0)])._canonical
    direct = Alignment(((0, 0), (1, 1)))
    assert not direct._canonical and direct.is_canonical() and not pickle.loads(pickle.dumps(direct))._canonical
