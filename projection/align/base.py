"""The aligner stage: one method, a batch of sentence pairs in, one ``Alignment`` per pair out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

from projection.registry import Registry
from projection.types import Alignment

Tokens = Sequence[str]


class Aligner(ABC):
    """Align source words to target words.

    ``align`` sees the whole batch because statistical aligners learn from it; neural aligners simply
    map over it. Links are ``(i, j)`` with i indexing ``src[k]`` and j indexing ``tgt[k]``.
    """

    #: registry name, e.g. ``"eflomal.v1"``
    name: str = ""
    #: True when the same input always gives the same links (eflomal samples: False)
    deterministic: bool = True

    @abstractmethod
    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        """One alignment per pair; ``len(src) == len(tgt)`` is checked by the caller."""

    def signature(self) -> str:
        """Name plus every setting that changes the links, e.g. ``eflomal.v1(sym=intersect,stem=4)``."""
        return self.name


ALIGNERS: Registry[Aligner] = Registry("aligner", modules=("projection.align.registered",))


def get_aligner(name: str, **kwargs) -> Aligner:
    """Build a registered aligner; importing the implementations registers them."""
    return ALIGNERS.create(name, **kwargs)
