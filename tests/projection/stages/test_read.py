"""Reading in-memory pairs: given ner.v1 candidates (``target_spans``) are checked where they are read."""

from __future__ import annotations

import numpy as np
import pytest

from projection import Alignment, ProjectionConfig, Sentence, project_corpus
from projection.stages.read import parallel_pairs

_SRC = Sentence(("Angela", "Merkel", "visited", "Paris"), ("B-PER", "I-PER", "O", "B-LOC"))
_TGT = ("Angela", "Merkel", "besuchte", "Paris")
_LINKS = Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3)])


@pytest.mark.parametrize("span", [(3.0, 4.0), (True, 2), (0, 2, "PER")])
def test_a_target_span_that_is_not_two_whole_numbers_is_refused_naming_its_pair(span):
    """Found in review: (3.0, 4.0) failed in the scoring with "list indices must be integers or slices, not float",
    and (True, 2) was read as [1, 2)."""
    config = ProjectionConfig(candidates="ner.v1", refine=())
    with pytest.raises(ValueError) as info:
        project_corpus([_SRC] * 2, [_TGT] * 2, config, alignments=[_LINKS] * 2, target_spans=[[(0, 2)], [span]],
                       progress=False)  # fmt: skip
    assert str(info.value) == ("target_spans of pair 1: expected (start, end) pairs of whole-number word indices, "
                               f"got {span!r}")  # fmt: skip


def test_a_target_span_outside_its_sentence_names_the_pair_not_an_empty_sentence_id():
    """Found in review: the error named "sentence ''" (the source's empty id), not which pair."""
    config = ProjectionConfig(candidates="ner.v1", refine=())
    with pytest.raises(ValueError) as info:
        project_corpus([_SRC] * 3, [_TGT] * 3, config, alignments=[_LINKS] * 3,
                       target_spans=[[(0, 2)], [(0, 2), (3, 5)], [(3, 4)]], progress=False)  # fmt: skip
    assert str(info.value) == ("target_spans of pair 1: span [3, 5) is not inside its 4 target tokens; target spans "
                               "are 0-based [start, end) word indices with start < end <= 4")  # fmt: skip


def test_target_spans_of_numpy_integers_are_kept_as_ints():
    (pair,) = parallel_pairs([_SRC], [_TGT], [_LINKS], [[(np.int64(0), np.int64(2)), [3, 4]]])
    assert pair.target_spans == ((0, 2), (3, 4)) and all(type(x) is int for s in pair.target_spans for x in s)


def test_tokens_in_numpy_arrays_project_as_tuples_of_str():
    """Found in review: a source (or target) Sentence whose tokens are a numpy array, as a row of
    ``Dataset.to_pandas()`` holds them, failed deep in the projection stage with numpy's "truth value of an array ...
    is ambiguous"; tags in arrays worked."""
    src = ("Angela", "Merkel", "visited", "New", "York")
    tags = ("B-PER", "I-PER", "O", "B-LOC", "I-LOC")
    tgt = ("Angela", "Merkel", "besuchte", "New", "York")
    links = [Alignment.of([(k, k) for k in range(5)])]
    config = ProjectionConfig(matcher="exact")
    for source, target in (
        (Sentence(np.array(src, dtype=object), np.array(tags, dtype=object)), tgt),
        (Sentence(np.array(src), tags), Sentence(np.array(tgt), np.array(tags))),
    ):
        run = project_corpus([source], [target], config, alignments=links, progress=False)
        assert run.tags == (tags,)
        assert run.pairs[0].source.tokens == src and type(run.pairs[0].source.tokens) is tuple


@pytest.mark.parametrize("target", [{"tokens": list(_TGT), "ner_tags": [1, 2, 0, 5]}, set(_TGT)])
def test_a_target_that_is_a_dataset_row_or_a_set_is_refused_not_read_as_its_keys(target):
    """Found in review: a ``datasets.Dataset`` given as the targets (its rows are dicts), or ``list()`` of an
    ``IterableDataset`` as the refusal of one advised, was read as its column names: each target became the sentence
    ('tokens', 'ner_tags'), and an aligner projected the source's entities onto those words without a word."""
    with pytest.raises(TypeError) as info:
        parallel_pairs([_SRC, _SRC], [_TGT, target])
    kind = type(target).__name__
    assert str(info.value) == f"target sentence 1 is a {kind}, not a sequence of tokens in order: " + (
        "pass its token list (row['tokens'], or ds['tokens'] for every target) or a Sentence"
        if kind == "dict" else "pass a list or a Sentence")  # fmt: skip


def test_pharaoh_text_given_as_an_alignment_is_refused_pointing_at_from_pharaoh():
    """Found in review: a built dataset's ``alignment`` column (Pharaoh text) given as ``alignments=`` was refused with
    "build it with Alignment.of", which refuses a str in its turn; ``Alignment.from_pharaoh`` reads it."""
    with pytest.raises(TypeError) as info:
        parallel_pairs([_SRC], [_TGT], ["0-0 1-1 2-2 3-3"])
    assert str(info.value) == "alignment 0 is a str, not an Alignment (build it with Alignment.from_pharaoh)"
    (pair,) = parallel_pairs([_SRC], [_TGT], [Alignment.from_pharaoh("0-0 1-1 2-2 3-3")])
    assert pair.alignment == _LINKS


def test_a_token_with_a_lone_surrogate_is_refused_naming_its_sentence(tmp_path):
    """Found in review: a token holding a lone surrogate (text read with ``errors="surrogateescape"``) projected with
    ``use_cache=False`` but failed the default run in the alignment cache's key with "'utf-8' codec can't encode
    character '\\udcff'", naming no sentence."""
    target = ("Angela", "Merkel", "besuchte", "Par\udcffis")
    with pytest.raises(ValueError) as info:
        project_corpus([_SRC] * 2, [_TGT, target], ProjectionConfig(aligner="fastalign.v1"), cache_dir=tmp_path,
                       progress=False)  # fmt: skip
    assert str(info.value).startswith("target sentence 1 token 3 'Par\\udcffis' is not Unicode text")
    with pytest.raises(ValueError, match="^source sentence 0 token 0 "):
        parallel_pairs([Sentence(("\udce9",), ("O",))], [("x",)])
