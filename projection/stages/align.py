"""The alignment stage: links between each pair's projection source and its target.

A statistical aligner learns from the corpus, so its stage is ``whole_corpus``: it sees the whole split
(plus its extra text) at once, never a shard. A neural aligner maps over chunks in the driver process.
Links are cached in the one cache (``alignments/``) under the aligner's signature and every token of the
batch; the key is locked while it is computed, so two runs started together on one cache return the same
links (the first writer's), which is what makes a sampling aligner (eflomal) reproducible.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from projection.align.base import Aligner
from projection.cache import Store
from projection.signature import Part
from projection.stages.base import Fields, Stage
from projection.types import Alignment, Pair

_FORMAT = 1


class AlignStage(Stage):
    name = "align"

    def __init__(self, aligner: Aligner, *, store: Store | None = None, neural: bool = False) -> None:
        self.aligner = aligner
        self.store = store
        self.whole_corpus = not neural
        self.uses_model = neural
        self._signature = aligner.signature()
        self._long = 0  # pairs over the aligner's sentence limit (aligned in windows, see eflomal.v1)

    def signature(self) -> Fields:
        return (("aligner", Part.parse(self._signature)),)

    def check(self) -> None:
        validate = getattr(self.aligner, "validate", None)
        if validate is not None:
            validate()

    def counts(self) -> dict[str, int]:
        out = {}
        if isinstance(getattr(self.aligner, "max_tokens", None), int):  # counted from the tokens: right on cache hits
            out["long_pairs"] = self._long
        encoder = getattr(self.aligner, "encoder", None)
        if encoder is not None:
            for name, key in (("truncated", "align_truncated"), ("no_subwords", "align_no_subwords")):
                if isinstance(getattr(encoder, name, None), int):
                    out[key] = getattr(encoder, name)
        return out

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        keep = [k for k, p in enumerate(pairs) if p.projection_source.tokens and p.target.tokens]
        src = [pairs[k].projection_source.tokens for k in keep]
        tgt = [pairs[k].target.tokens for k in keep]
        limit = getattr(self.aligner, "max_tokens", None)
        if isinstance(limit, int):
            self._long += sum(max(len(s), len(t)) > limit for s, t in zip(src, tgt))
        links = self._align(src, tgt) if keep else []
        out = [replace(p, alignment=Alignment()) for p in pairs]
        for k, a in zip(keep, links):
            out[k] = replace(pairs[k], alignment=a)
        return out

    def _align(self, src, tgt) -> list[Alignment]:
        if self.store is None:
            return _checked(self.aligner.align(src, tgt), src, tgt, self._signature)
        from projection.align.cache import cache_key

        key = cache_key(self._signature, src, tgt)

        def compute():
            links = _checked(self.aligner.align(src, tgt), src, tgt, self._signature)
            return {"format": _FORMAT, "signature": self._signature, "links": [a.to_pharaoh() for a in links]}

        def valid(v) -> bool:
            return isinstance(v, dict) and v.get("format") == _FORMAT and len(v.get("links", ())) == len(src)

        value = self.store.get_or_compute(key, compute, valid=valid)
        where = f"{self.store.path(key)}"
        links = [Alignment.from_pharaoh(line, where=f"{where}:{n}") for n, line in enumerate(value["links"], 1)]
        return _checked(links, src, tgt, f"cached {self._signature}")


def _checked(alignments, src, tgt, who: str) -> list[Alignment]:
    if len(alignments) != len(src):
        raise ValueError(f"{who} returned {len(alignments)} alignments for {len(src)} sentence pairs")
    for k, (a, s, t) in enumerate(zip(alignments, src, tgt)):
        a.check_bounds(len(s), len(t), where=f"{who}, pair {k}")
    return list(alignments)
