"""Rows of a silver split (pure functions): the features, one example per sentence pair, the split metrics.

Every example carries what an audit needs: the target ``tokens`` with gold ``ner_tags`` (when the source
has gold) and ``silver_ner_tags``; the English side (``source_tokens``, ``source_ner_tags``); with
back-translation the labelled back-translated sentence (``backtranslated_tokens``/``_ner_tags``); the
``alignment`` used (Pharaoh ``i-j``, ``ipj`` for a possible link, i = word of the projection source — the
back-translated sentence when there is one, else the English side —, j = target word); one ``matches`` entry
per projected span with its score (one per projected entity, except with the heuristic matcher, which keeps every
aligned run of an entity, scored by its number of links); entity counts; and the ``signature`` of the run.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import datasets

from builders.families import Family, label_names
from projection.evaluate import Scores, evaluate
from projection.tags import LabelMap, bio_to_spans
from projection.types import Alignment, Pair, ProjectedSentence, Sentence, Span

logger = logging.getLogger(__name__)


def features_for(family: Family, *, backtranslation: bool = False) -> datasets.Features:
    target = datasets.ClassLabel(names=label_names(family.target_types))
    source = datasets.ClassLabel(names=label_names(family.source_types))
    cols: dict[str, Any] = {"id": datasets.Value("string"), "tokens": datasets.List(datasets.Value("string"))}
    if family.has_gold:
        cols["ner_tags"] = datasets.List(target)
    cols["silver_ner_tags"] = datasets.List(target)
    cols["source_tokens"] = datasets.List(datasets.Value("string"))
    cols["source_ner_tags"] = datasets.List(source)
    if backtranslation:
        cols["backtranslated_tokens"] = datasets.List(datasets.Value("string"))
        cols["backtranslated_ner_tags"] = datasets.List(source)
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


def _matches(entities: Sequence[Span], projected: ProjectedSentence) -> list[dict]:
    out = []
    for m in sorted(projected.matches, key=lambda m: (m.start, m.end, m.entity)):
        src = entities[m.entity]
        out.append(
            {
                "source_start": src.start,
                "source_end": src.end,
                "target_start": m.start,
                "target_end": m.end,
                "label": src.label,
                "score": float(m.score) if math.isfinite(m.score) else 0.0,
            }
        )
    return out


def make_row(pair: Pair, family: Family, signature: str, drop_labels: Sequence[str] = (), *,
             backtranslation: bool = False) -> dict:
    """One example dict (tags as ClassLabel names) of a finished pair; types outside the family's schema
    become O. ``alignment`` and ``matches.source_*`` index ``backtranslated_tokens`` when the config uses
    back-translation, else ``source_tokens``."""
    if pair.projected is None:
        raise ValueError(f"pair {pair.id!r} was not projected")
    silver, n_out = restrict(pair.silver, family.target_types)
    if n_out:
        logger.debug("%s: %d silver spans of types outside %s written as O", pair.id, n_out, family.target_types)
    src = pair.source
    source_tags, _ = restrict(src.tags or ("O",) * len(src), family.source_types)
    aligned = pair.projection_source
    drop = LabelMap(frozenset(drop_labels))
    entities = bio_to_spans(drop.apply(aligned.tags)) if aligned.tags is not None else []
    matches = _matches(entities, pair.projected)
    row: dict[str, Any] = {"id": pair.id, "tokens": list(pair.target.tokens)}
    if family.has_gold:
        if pair.target.tags is None:
            raise ValueError(f"sentence {pair.id!r} has no gold tags but {family.name} configs need them")
        row["ner_tags"] = restrict(pair.target.tags, family.target_types)[0]
    row.update(silver_ner_tags=silver, source_tokens=list(src.tokens), source_ner_tags=source_tags)
    if backtranslation:
        bt = pair.backtranslated or Sentence(())
        row["backtranslated_tokens"] = list(bt.tokens)
        row["backtranslated_ner_tags"] = restrict(bt.tags or ("O",) * len(bt), family.source_types)[0]
    row.update(
        alignment=(Alignment() if pair.alignment is None else pair.alignment).to_pharaoh(),
        matches=matches,
        source_entities=pair.projected.n_source_entities,
        projected_entities=len({m.entity for m in pair.projected.matches}),
        signature=signature,
    )
    return row


@dataclass(frozen=True)
class SplitMetrics:
    """Quality of one split: seqeval micro P/R/F1 of silver against gold (``None`` without gold), ``per_type`` as
    ``projection.evaluate.Scores`` gives it (P/R/F1, gold ``support`` and ``predicted`` entities per type), and the
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

    def notes(self) -> list[str]:
        """``Scores.notes()`` of these scores (none without gold): the types found on one side only, as ``project``
        and ``translate-test`` name them at the end of a run."""
        if self.precision is None:
            return []
        return Scores(self.precision, self.recall, self.f1, self.per_type).notes()

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
