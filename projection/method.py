"""Projection methods: one sentence pair in, projected target spans out (pure, no I/O).

- ``CandidateMethod``: candidates → pair scores → matcher (greedy / exact / ilp): the paper's
  formalised projection.
- ``HeuristicMethod``: the word-alignment heuristic.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left
from typing import Sequence

from projection.candidates import CandidateExtractor
from projection.match.base import Matcher, MatchProblem
from projection.match.heuristic import heuristic_project
from projection.scores import ScoreConfig, TargetTrigrams, score_pairs
from projection.signature import number
from projection.types import Match, ProjectedSentence, ProjectionInput, Span


def entity_targets(
    inp: ProjectionInput, entities: Sequence[Span], possible_weight: float = 0.0
) -> tuple[list[list[int]], list[list[float]]]:
    """For each entity, the target word of every link from one of its words (with repeats), and the
    weight of each link: 1 for a sure link, ``possible_weight`` for a possible one (dropped when 0)."""
    targets: list[list[int]] = []
    weights: list[list[float]] = []
    sure = inp.alignment.pairs
    possible = inp.alignment.possible if possible_weight > 0 else ()
    for ent in entities:  # links are sorted by (i, j): an entity's links are one slice, in source word order
        lo, hi = bisect_left(sure, (ent.start,)), bisect_left(sure, (ent.end,))
        js = [j for _, j in sure[lo:hi]]
        ws = [1.0] * len(js)
        if possible:  # possible links follow the sure ones (scores do not depend on the order)
            lo, hi = bisect_left(possible, (ent.start,)), bisect_left(possible, (ent.end,))
            js += [j for _, j in possible[lo:hi]]
            ws += [possible_weight] * (hi - lo)
        targets.append(js)
        weights.append(ws)
    return targets, weights


class Method(ABC):
    @abstractmethod
    def project(self, inp: ProjectionInput) -> ProjectedSentence:
        """Target spans for the source entities of ``inp``."""

    @abstractmethod
    def signature(self) -> str: ...


class CandidateMethod(Method):
    def __init__(self, candidates: CandidateExtractor, matcher: Matcher, score: ScoreConfig = ScoreConfig()) -> None:
        self.candidates = candidates
        self.matcher = matcher
        self.score = score

    def problem(self, inp: ProjectionInput) -> tuple[tuple[Span, ...], MatchProblem]:
        entities = inp.entities
        targets, weights = entity_targets(inp, entities, self.score.possible)
        cand_lists = self.candidates.extract(inp, entities, targets)
        tokens = inp.target_tokens
        src_tokens = inp.source.tokens
        trigrams = TargetTrigrams.of(tokens) if self.score.char and any(cand_lists) else None
        pairs = []
        for e, (ent, js, ws, spans) in enumerate(zip(entities, targets, weights, cand_lists)):
            if not spans:
                continue
            words = src_tokens[ent.start : ent.end]
            scores = score_pairs(words, js, len(ent), spans, tokens, self.score, ws, trigrams)
            for (a, b), s in zip(spans, scores):
                if s > 0:
                    pairs.append((e, a, b, s))
        return entities, MatchProblem(len(entities), tuple(pairs))

    def project(self, inp: ProjectionInput) -> ProjectedSentence:
        entities, problem = self.problem(inp)
        matches = self.matcher.match(problem) if problem.pairs else []
        spans = tuple(Span(m.start, m.end, entities[m.entity].label) for m in matches)
        return ProjectedSentence(spans, tuple(matches), len(entities))

    def signature(self) -> str:
        return f"cand:{self.candidates.signature()}|score:{self.score.signature()[6:-1]}|match:{self.matcher.signature()}"


class HeuristicMethod(Method):
    """The word-alignment heuristic of García-Ferrero et al. (2022) over the *sure* links: it has no weights, so a
    possible link (``Alignment.possible``; with the parallel default's soft links, one that at most half of the
    directional alignments found) does not count. For every link, give an aligner all-sure links, e.g.
    ``--aligner-option symmetrize=grow-diag-final-and``."""

    def __init__(self, merge_distance: int = 1, ratio: float = 0.8) -> None:
        if merge_distance < 0:
            raise ValueError(f"merge_distance must be ≥ 0, got {merge_distance}")
        if not 0 <= ratio < 10:
            raise ValueError(f"ratio must be in [0, 10), got {ratio}")
        self.merge_distance = merge_distance
        self.ratio = ratio

    def project(self, inp: ProjectionInput) -> ProjectedSentence:
        entities = inp.entities
        targets, _ = entity_targets(inp, entities)
        kept = heuristic_project(targets, [len(e) for e in entities], self.merge_distance, self.ratio)
        spans = tuple(Span(a, b, entities[e].label) for e, a, b, _ in kept)
        matches = tuple(Match(e, a, b, float(links)) for e, a, b, links in kept)
        return ProjectedSentence(spans, matches, len(entities))

    def signature(self) -> str:
        return f"match:heuristic.v1(gap={self.merge_distance},ratio={number(self.ratio)})"
