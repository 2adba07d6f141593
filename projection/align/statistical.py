"""Shared base of the statistical aligners: trained on the batch (plus ``extra`` pairs) in both
directions, then symmetrised. Subclasses implement ``directional``."""

from __future__ import annotations

from abc import abstractmethod
from typing import Sequence

from projection.align.base import Aligner, Tokens
from projection.align.symmetrize import check_symmetrization, symmetrize
from projection.align.text import check_batch, check_stem, corpus_digest
from projection.types import Alignment


class StatisticalAligner(Aligner):
    def __init__(
        self,
        symmetrize: str = "intersection",
        stem: int | None = 4,
        extra: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
    ) -> None:
        self.symmetrize = check_symmetrization(symmetrize)
        self.stem = check_stem(stem)
        self.extra = [(list(s), list(t)) for s, t in extra] if extra is not None else None
        if self.extra is not None:
            check_batch([s for s, _ in self.extra], [t for _, t in self.extra], what="extra corpus")
        self._extra_digest = corpus_digest(self.extra)  # short hash named in signature()

    @abstractmethod
    def directional(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[tuple[Alignment, Alignment]]:
        """Per pair, the (forward, reverse) links before symmetrisation, both as (source, target)."""

    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        return [
            symmetrize(self.symmetrize, fwd, rev, len(s), len(t))
            for (fwd, rev), s, t in zip(self.directional(src, tgt), src, tgt)
        ]
