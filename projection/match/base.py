"""The matching problem and the matcher stage.

A ``MatchProblem`` lists the scored (entity, span) pairs of one sentence with positive score, in
"row-major" order (by entity, then by the candidate order of the extractor). A matcher returns a set of
pairs with no two on the same entity and no two overlapping spans; ``exact`` maximises the total score.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

from projection.registry import Registry
from projection.types import Match

MATCHERS: Registry["Matcher"] = Registry("matcher", modules=("projection.match.registered",))


@dataclass(frozen=True, slots=True)
class MatchProblem:
    """Scored pairs ``(entity, start, end, score)`` with score > 0, in row-major order."""

    n_entities: int
    pairs: tuple[tuple[int, int, int, float], ...]

    def __post_init__(self) -> None:
        for e, a, b, s in self.pairs:
            if not (0 <= e < self.n_entities) or not (0 <= a < b) or not s > 0:
                raise ValueError(f"invalid pair (entity={e}, span=[{a}, {b}), score={s})")

    @classmethod
    def from_matrix(cls, scores: Sequence[Sequence[float]], spans: Sequence[tuple[int, int]]) -> "MatchProblem":
        """Build from a dense entities × candidates matrix (zeros dropped)."""
        pairs = tuple(
            (e, a, b, float(s))
            for e, row in enumerate(scores)
            for (a, b), s in zip(spans, row)
            if s > 0
        )
        return cls(len(scores), pairs)


def objective(matches: Sequence[Match]) -> float:
    return sum(m.score for m in matches)


def is_feasible(matches: Sequence[Match]) -> bool:
    """No entity twice, no two overlapping spans."""
    if len({m.entity for m in matches}) != len(matches):
        return False
    ordered = sorted((m.start, m.end) for m in matches)
    return all(prev[1] <= cur[0] for prev, cur in zip(ordered, ordered[1:]))


class Matcher(ABC):
    name: str = ""

    @abstractmethod
    def match(self, problem: MatchProblem) -> list[Match]:
        """A feasible selection of pairs, sorted by span start."""

    def signature(self) -> str:
        return self.name


def get_matcher(name: str, **kwargs) -> Matcher:
    return MATCHERS.create(name, **kwargs)
