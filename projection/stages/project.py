"""The projection stage: each pair's source entities -> target spans (pure, per pair, parallel-safe)."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from projection.config import ProjectionConfig
from projection.signature import Part
from projection.stages.base import Fields, Stage
from projection.tags import LabelMap
from projection.types import Match, Pair, ProjectedSentence, ProjectionInput, Sentence

#: the projection of a pair whose source has no entity (about half the sentences of a corpus)
_NOTHING = ProjectedSentence((), (), 0)


class ProjectStage(Stage):
    """Projects with ``config``'s method. ``drop_labels`` (from the config) are removed from the source
    before matching; ``drop_after`` types take part in the matching and are then removed from the output
    (spans and matches), as the paper's code does with MISC."""

    name = "project"

    def __init__(self, config: ProjectionConfig, *, drop_after: Sequence[str] = ()) -> None:
        self.config = config
        self.method = config.build_method()
        self.refiners = config.build_refiners()
        self.drop_before = LabelMap(frozenset(config.drop_labels))
        self.drop_after = frozenset(drop_after)

    def signature(self) -> Fields:
        fields = self.config.signature_fields()[1:]  # the aligner field comes from the alignment stage
        if self.drop_after:
            fields += (("drop_after", Part("+".join(sorted(self.drop_after)))),)
        return fields

    def _source(self, p: Pair) -> Sentence:
        src = p.projection_source
        if not self.config.drop_labels or src.tags is None:
            return src
        return Sentence(src.tokens, tuple(self.drop_before.apply(src.tags)), src.id)

    def _english_entities(self, p: Pair) -> int:
        """With back-translation, the source entities the projection answers for: the English ones (less the
        dropped types), of which an entity whose markers did not come back is one left unprojected; the
        back-translated sentence holds only those that came back."""
        eng = p.source
        if eng.tags is None:
            return 0
        from projection.tags import bio_to_spans

        tags = self.drop_before.apply(eng.tags) if self.config.drop_labels else eng.tags
        return sum(1 for s in bio_to_spans(tags) if s.label not in self.drop_after)

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        out = self._process(pairs)
        if any(p.backtranslated is not None for p in pairs):
            out = [self._counted(p) for p in out]
        return out

    def _counted(self, p: Pair) -> Pair:
        if p.backtranslated is None or p.projected is None:
            return p
        n = self._english_entities(p)
        return p if n == p.projected.n_source_entities else replace(p, projected=replace(p.projected, n_source_entities=n))

    def _process(self, pairs: Sequence[Pair]) -> list[Pair]:
        out = []
        for p in pairs:
            src = self._source(p)
            if p.alignment is None:
                raise ValueError(f"pair {p.id!r} reached the projection stage without an alignment")
            if not p.alignment.fits(len(src), len(p.target)):
                p.alignment.check_bounds(len(src), len(p.target), where=f"alignment of pair {p.id!r}", given=True)
            if not src.tokens or not p.target.tokens or src.tags is None:
                n = len(src.spans) if src.tags is not None else 0
                out.append(replace(p, projected=ProjectedSentence((), (), n)))
                continue
            inp = ProjectionInput(src, p.target.tokens, p.alignment, p.target_spans)
            if not inp.entities:  # methods and refinements place source entities: with none there is nothing
                out.append(replace(p, projected=_NOTHING))
                continue
            result = self.method.project(inp)
            for refine in self.refiners:
                result = refine(inp, result)
            if self.drop_after:
                result = _without(result, self.drop_after, src)
            out.append(replace(p, projected=result))
        return out


def _without(result: ProjectedSentence, labels: frozenset[str], src: Sentence) -> ProjectedSentence:
    entities = src.spans
    spans = tuple(s for s in result.spans if s.label not in labels)
    matches: tuple[Match, ...] = tuple(m for m in result.matches if entities[m.entity].label not in labels)
    return ProjectedSentence(spans, matches, sum(1 for e in entities if e.label not in labels))
