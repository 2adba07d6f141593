"""The projection stage: what it adds around the method (no-entity pairs, dropped types), by hand."""

from __future__ import annotations

from projection.options import default_config
from projection.stages.project import ProjectStage
from projection.types import Alignment, Pair, ProjectedSentence, ProjectionInput, Sentence, Span


def _pair(src_tags, tgt_tokens, links) -> Pair:
    src = Sentence(tuple(f"W{k}" for k in range(len(src_tags))), tuple(src_tags), "s")
    return Pair("p", src, Sentence(tuple(tgt_tokens), None, "t"), alignment=Alignment.of(links))


def test_a_pair_without_source_entities_gets_the_empty_projection_the_method_would_give():
    stage = ProjectStage(default_config("parallel"))
    pair = _pair(["O", "O", "O"], ["W0", "x", "W2"], [(0, 0), (1, 1), (2, 2)])
    (out,) = stage.process([pair])
    assert out.projected == ProjectedSentence((), (), 0) and out.silver == ("O", "O", "O")
    # what the method and the refinement give on their own
    inp = ProjectionInput(pair.source, pair.target.tokens, pair.alignment)
    by_method = stage.method.project(inp)
    for refine in stage.refiners:
        by_method = refine(inp, by_method)
    assert by_method == out.projected


def test_a_pair_with_an_entity_is_projected_by_the_method():
    stage = ProjectStage(default_config("parallel"))
    # W1 (PER) -> target word 2 by a sure link; the name is also spelled there: the anchor agrees
    (out,) = stage.process([_pair(["O", "B-PER", "O"], ["a", "b", "W1"], [(0, 0), (1, 2), (2, 1)])])
    assert out.projected.spans == (Span(2, 3, "PER"),) and out.projected.n_source_entities == 1
    assert out.silver == ("O", "O", "B-PER")
