"""``fixed.v1``: alignments given in advance (Pharaoh lines), for ``--alignments`` and for tests."""

from __future__ import annotations

from typing import Sequence

from projection.align.base import ALIGNERS, Aligner, Tokens
from projection.signature import content_hash
from projection.types import Alignment


@ALIGNERS.register("fixed.v1", alias="fixed")
class FixedAligner(Aligner):
    name = "fixed.v1"

    def __init__(self, alignments: Sequence[Alignment], origin: str = "") -> None:
        self.alignments = list(alignments)
        self.origin = origin

    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        if len(src) != len(self.alignments):
            raise ValueError(
                f"{len(self.alignments)} given alignments{' in ' + self.origin if self.origin else ''} "
                f"for {len(src)} sentence pairs"
            )
        for k, (s, t, a) in enumerate(zip(src, tgt, self.alignments)):
            a.check_bounds(len(s), len(t), where=f"{self.origin or 'alignments'}:{k + 1}")
        return list(self.alignments)

    def signature(self) -> str:
        digest = content_hash(*(a.to_pharaoh() for a in self.alignments))[:10]
        return f"fixed.v1(sha={digest})"
