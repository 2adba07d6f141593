"""Alignment error rate and precision/recall/F1 against sure/possible gold (Och & Ney 2003).

With A the predicted links, S the sure and P ⊇ S the possible gold links (summed over the corpus):

    precision = |A ∩ P| / |A|        recall = |A ∩ S| / |S|
    AER = 1 - (|A ∩ S| + |A ∩ P|) / (|A| + |S|)        F1 = 2PR / (P + R)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from projection.types import Alignment


@dataclass(frozen=True, slots=True)
class AlignmentScores:
    aer: float
    precision: float
    recall: float
    f1: float
    n_pred: int
    n_sure: int

    def as_dict(self) -> dict[str, float]:
        return {"aer": self.aer, "precision": self.precision, "recall": self.recall, "f1": self.f1}


def alignment_scores(
    pred: Sequence[Alignment], sure: Sequence[Alignment], possible: Sequence[Alignment]
) -> AlignmentScores:
    """Corpus-level AER, precision, recall and F1; ``possible`` is completed with ``sure`` if needed."""
    if not (len(pred) == len(sure) == len(possible)):
        raise ValueError(
            f"need one predicted, sure and possible alignment per pair, got {len(pred)}, {len(sure)}, {len(possible)}"
        )
    n_a = n_s = a_s = a_p = 0
    for a, s, p in zip(pred, sure, possible):
        a_set, s_set = set(a.pairs), set(s.pairs)
        p_set = set(p.pairs) | set(p.possible) | set(s.possible) | s_set  # ipj links read into .possible count
        n_a += len(a_set)
        n_s += len(s_set)
        a_s += len(a_set & s_set)
        a_p += len(a_set & p_set)
    precision = a_p / n_a if n_a else 0.0
    recall = a_s / n_s if n_s else 0.0
    aer = 1.0 - (a_s + a_p) / (n_a + n_s) if n_a + n_s else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return AlignmentScores(aer, precision, recall, f1, n_a, n_s)


def diagonal_alignment(n_src: int, n_tgt: int) -> Alignment:
    """A baseline with no learning: target word j linked to the source word at the same relative position."""
    if n_src < 0 or n_tgt < 0:
        raise ValueError(f"sentence lengths must be >= 0, got {n_src} and {n_tgt}")
    if n_src == 0:
        return Alignment()
    return Alignment.of((min(int((j + 0.5) * n_src / n_tgt), n_src - 1), j) for j in range(n_tgt))
