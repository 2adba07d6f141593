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


def test_back_translation_counts_the_english_entities_whose_markers_were_lost():
    """With back-translation the projection source is the back-translated sentence, which holds only the entities
    whose markers came back; a lost one is an English entity left unprojected and stays a source entity (found in
    review: every marker lost gave a projection rate of 1.0 with nothing projected)."""
    from projection.runner import run
    from projection.stages.read import PairsSource

    stage = ProjectStage(default_config("translate-test", "de"), drop_after=("MISC",))
    english = Sentence(("John", "met", "Mary", "in", "Rome", "with", "Euro"),
                       ("B-PER", "O", "B-PER", "O", "B-LOC", "O", "B-MISC"), "e")
    # the markers of Mary and Rome did not come back: only John is labelled in the back-translated sentence
    bt = Sentence(("John", "traf", "Mary", "in", "Rom"), ("B-PER", "O", "O", "O", "O"), "e")
    target = Sentence(("John", "traf", "Mary", "in", "Rom"), None, "t")
    lost_all = Sentence(("x",), ("O",), "e")
    ident = Alignment.of([(k, k) for k in range(5)])
    pairs = [Pair("a", english, target, backtranslated=bt, alignment=ident),
             Pair("b", english, Sentence(("x",), None, "t"), backtranslated=lost_all, alignment=Alignment.of([(0, 0)]))]
    a, b = stage.process(pairs)
    assert a.projected.spans == (Span(0, 1, "PER"),) and a.projected.n_source_entities == 3  # PER, PER, LOC (not MISC)
    assert b.projected == ProjectedSentence((), (), 3)
    result = run(PairsSource(pairs), [stage], progress=False)
    assert (result.stats.source_entities, result.stats.projected_entities) == (6, 1)
