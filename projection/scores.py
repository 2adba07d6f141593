"""Pair scores between a source entity and a target candidate span (pure functions).

- alignment score (the paper): ``2 · links(s, t) / (|s| + |t|)``, links counted (not words);
- character similarity: Dice overlap of character trigrams of the lowercased strings, a
  script-independent hint that copes with names written the same way on both sides;
- a weighted fusion of both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence


def alignment_scores(
    js: Sequence[int],
    n_src: int,
    spans: Sequence[tuple[int, int]],
    n_tgt: int,
    weights: Sequence[float] | None = None,
) -> list[float]:
    """Alignment score of one entity (``n_src`` words whose links hit target words ``js``) per span:
    ``2 · links / (n_src + |span|)``, a link counting ``weights[k]`` (1 when no weights are given)."""
    if not js:
        return [0.0] * len(spans)
    prefix = [0.0] * (n_tgt + 1)
    if weights is None:
        for j in js:
            prefix[j + 1] += 1
    else:
        for j, w in zip(js, weights):
            prefix[j + 1] += w
    for k in range(n_tgt):
        prefix[k + 1] += prefix[k]
    return [2.0 * (prefix[b] - prefix[a]) / (n_src + b - a) for a, b in spans]


@lru_cache(maxsize=65536)
def _trigrams(text: str) -> frozenset[str]:
    padded = f"  {text} "
    return frozenset(padded[k : k + 3] for k in range(len(padded) - 2))


def char_similarity(a: str, b: str) -> float:
    """Dice coefficient of character trigram sets (lowercased, space-padded); 1.0 for equal strings."""
    ta, tb = _trigrams(a.lower()), _trigrams(b.lower())
    if not ta or not tb:
        return 0.0
    return 2.0 * len(ta & tb) / (len(ta) + len(tb))


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    """Weights of the fused score.

    ``possible``: how much a possible link (``Alignment.possible``) counts next to a sure one (1).
    ``char`` only adds where the alignment score is already positive unless ``char_alone`` (then a
    string-similar but unaligned span can win).
    """

    align: float = 1.0
    char: float = 0.0
    possible: float = 0.0
    char_alone: bool = False
    min_score: float = 0.0

    def __post_init__(self) -> None:
        if self.align < 0 or self.char < 0 or not 0 <= self.possible <= 1:
            raise ValueError(
                f"score weights must be ≥ 0 (possible in [0, 1]), got align={self.align}, char={self.char}, "
                f"possible={self.possible}"
            )
        if self.align == 0 and self.char == 0:
            raise ValueError("at least one score weight must be positive")

    def signature(self) -> str:
        parts = [f"align={self.align:g}"]
        if self.possible:
            parts.append(f"possible={self.possible:g}")
        if self.char:
            parts.append(f"char={self.char:g}{'+alone' if self.char_alone else ''}")
        if self.min_score:
            parts.append(f"min={self.min_score:g}")
        return "score(" + ",".join(parts) + ")"


def score_pairs(
    entity_text: str,
    js: Sequence[int],
    n_src: int,
    spans: Sequence[tuple[int, int]],
    tokens: Sequence[str],
    config: ScoreConfig,
    weights: Sequence[float] | None = None,
) -> list[float]:
    """Fused score per span; ``tokens`` are the target tokens (used by the character term)."""
    scores = alignment_scores(js, n_src, spans, len(tokens), weights)
    if config.align != 1.0:
        scores = [config.align * s for s in scores]
    if config.char:
        w = config.char
        out = []
        for s, (a, b) in zip(scores, spans):
            if s > 0 or config.char_alone:
                s += w * char_similarity(entity_text, " ".join(tokens[a:b]))
            out.append(s)
        scores = out
    if config.min_score:
        scores = [s if s > config.min_score else 0.0 for s in scores]
    return scores
