"""Rows of a silver split (pure functions): the features, one example per sentence pair, the split metrics.

Every example carries what an audit needs: the target ``tokens`` with gold ``ner_tags`` (when the source
has gold) and ``silver_ner_tags``; the English side (``source_tokens``, ``source_ner_tags``); the
``alignment`` used (Pharaoh ``i-j``, i = source word, j = target word); one ``matches`` entry per projected
entity with its score; entity counts; and the ``signature`` of the method.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import datasets

from builders.families import Family, label_names
from projection.evaluate import evaluate
from projection.tags import bio_to_spans
from projection.types import Alignment, ProjectedSentence

logger = logging.getLogger(__name__)


def features_for(family: Family) -> datasets.Features:
    target = datasets.ClassLabel(names=label_names(family.target_types))
    source = datasets.ClassLabel(names=label_names(family.source_types))
    cols: dict[str, Any] = {"id": datasets.Value("string"), "tokens": datasets.List(datasets.Value("string"))}
    if family.has_gold:
        cols["ner_tags"] = datasets.List(target)
    cols["silver_ner_tags"] = datasets.List(target)
    cols["source_tokens"] = datasets.List(datasets.Value("string"))
    cols["source_ner_tags"] = datasets.List(source)
    cols["alignment"] = datasets.Value("string")
    cols["matches"] = datasets.List(
        {
            "source_start": datasets.Value("int32"),
            "source_end": datasets.Value("int32"),
            "target_start": datasets.Value("int32"),
            "target_end": datasets.Value("int32"),
            "label": datasets.Value("string"),
            "score": datasets.Value("float64"),
        }
    )
    cols["source_entities"] = datasets.Value("int32")
    cols["projected_entities"] = datasets.Value("int32")
    cols["signature"] = datasets.Value("string")
    return datasets.Features(cols)


def restrict(tags: Sequence[str], types: Sequence[str]) -> tuple[list[str], int]:
    """Map tags of entity types outside ``types`` to O; return (tags, number of spans removed)."""
    keep = set(types)
    out = ["O" if t != "O" and t[2:] not in keep else t for t in tags]
    removed = sum(1 for t in tags if t.startswith("B-") and t[2:] not in keep)
    return out, removed


def _matches(source_tags: Sequence[str], projected: ProjectedSentence | None, drop: Sequence[str]) -> list[dict]:
    if projected is None:
        return []
    entities = [s for s in bio_to_spans(source_tags) if s.label not in set(drop)]
    out = []
    for m in sorted(projected.matches, key=lambda m: (m.start, m.end, m.entity)):
        src = entities[m.entity] if 0 <= m.entity < len(entities) else None
        out.append(
            {
                "source_start": src.start if src else -1,
                "source_end": src.end if src else -1,
                "target_start": m.start,
                "target_end": m.end,
                "label": src.label if src else "",
                "score": float(m.score) if math.isfinite(m.score) else 0.0,
            }
        )
    return out


@dataclass(frozen=True)
class RowInput:
    """One projected sentence pair, as any of the three kinds of run produces it."""

    id: str
    tokens: tuple[str, ...]
    gold: tuple[str, ...] | None
    silver: tuple[str, ...]
    source_tokens: tuple[str, ...]
    source_tags: tuple[str, ...]
    alignment: Alignment
    projected: ProjectedSentence | None = None


def make_row(item: RowInput, family: Family, signature: str, drop_labels: Sequence[str] = ()) -> dict:
    """One example dict (tags as ClassLabel names); types outside the family's schema become O."""
    silver, n_out = restrict(item.silver, family.target_types)
    if n_out:
        logger.debug("%s: %d silver spans of types outside %s written as O", item.id, n_out, family.target_types)
    source_tags, _ = restrict(item.source_tags, family.source_types)
    considered = [s for s in bio_to_spans(item.source_tags) if s.label not in set(drop_labels)]
    matches = _matches(item.source_tags, item.projected, drop_labels)
    if item.projected is not None:
        projected = len({m["source_start"] for m in matches if m["source_start"] >= 0})
    else:  # a run that reports no matches: count silver spans (capped by the source entities)
        projected = min(len(bio_to_spans(silver)), len(considered))
    row: dict[str, Any] = {"id": item.id, "tokens": list(item.tokens)}
    if family.has_gold:
        if item.gold is None:
            raise ValueError(f"sentence {item.id!r} has no gold tags but {family.name} configs need them")
        row["ner_tags"] = restrict(item.gold, family.target_types)[0]
    row.update(
        silver_ner_tags=silver,
        source_tokens=list(item.source_tokens),
        source_ner_tags=source_tags,
        alignment=item.alignment.to_pharaoh(),
        matches=matches,
        source_entities=len(considered),
        projected_entities=projected,
        signature=signature,
    )
    return row


@dataclass(frozen=True)
class SplitMetrics:
    """Quality of one split: seqeval micro P/R/F1 of silver against gold (``None`` without gold) and the
    projection rate (share of source entities that received a target span)."""

    sentences: int
    source_entities: int
    projected_entities: int
    silver_entities: int
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    ignored_types: tuple[str, ...] = ()

    @property
    def projection_rate(self) -> float:
        return self.projected_entities / self.source_entities if self.source_entities else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "source_entities": self.source_entities,
            "projected_entities": self.projected_entities,
            "silver_entities": self.silver_entities,
            "projection_rate": self.projection_rate,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "per_type": self.per_type,
            "ignored_types": list(self.ignored_types),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SplitMetrics":
        return cls(
            int(d["sentences"]), int(d["source_entities"]), int(d["projected_entities"]), int(d["silver_entities"]),
            d.get("precision"), d.get("recall"), d.get("f1"), dict(d.get("per_type") or {}),
            tuple(d.get("ignored_types") or ()),
        )  # fmt: skip


def split_metrics(
    silver: Sequence[Sequence[str]],
    gold: Sequence[Sequence[str]] | None,
    source_entities: Sequence[int],
    projected_entities: Sequence[int],
    ignore: Sequence[str] = (),
) -> SplitMetrics:
    """Metrics of a split from its columns (tag names, not ids)."""
    n_silver = sum(len(bio_to_spans(t)) for t in silver)
    base = dict(
        sentences=len(silver),
        source_entities=int(sum(source_entities)),
        projected_entities=int(sum(projected_entities)),
        silver_entities=n_silver,
        ignored_types=tuple(ignore),
    )
    if gold is None:
        return SplitMetrics(**base)
    scores = evaluate(gold, silver, ignore=ignore)
    return SplitMetrics(
        **base, precision=scores.precision, recall=scores.recall, f1=scores.f1, per_type=scores.per_type
    )
