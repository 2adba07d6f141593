"""Evaluation against gold tags: seqeval entity-level micro P/R/F1 overall and per type, and the
projection rate."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Sequence

from projection.tags import LabelMap


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    sentences: int = 0
    projection_rate: float = 0.0

    def as_dict(self) -> dict:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "per_type": self.per_type,
            "sentences": self.sentences,
            "projection_rate": self.projection_rate,
        }


def evaluate(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    *,
    ignore: Sequence[str] = (),
    projection_rate: float = 0.0,
) -> Scores:
    """seqeval (default, non-strict mode) micro scores; types in ``ignore`` are mapped to O on both sides."""
    from seqeval.metrics import classification_report

    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    for k, (g, p) in enumerate(zip(gold, pred)):
        if len(g) != len(p):
            raise ValueError(f"sentence {k + 1}: {len(g)} gold tags but {len(p)} predicted")
    lm = LabelMap(frozenset(ignore))
    y_true = [lm.apply(g) for g in gold]
    y_pred = [lm.apply(p) for p in pred]
    with warnings.catch_warnings():  # seqeval warns on empty classes; zero_division covers them
        warnings.simplefilter("ignore")
        report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    per_type = {
        label: {
            "precision": float(v["precision"]),
            "recall": float(v["recall"]),
            "f1": float(v["f1-score"]),
            "support": int(v["support"]),
        }
        for label, v in sorted(report.items())
        if not label.endswith(" avg")
    }
    return Scores(
        float(micro["precision"]), float(micro["recall"]), float(micro["f1-score"]), per_type, len(gold), projection_rate
    )
