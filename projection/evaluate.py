"""Evaluation against gold tags: entity-level micro P/R/F1 overall and per type, and the projection rate.

The scores are those of seqeval's default (conlleval-compatible, non-strict) mode, computed here from span sets in
one pass without importing seqeval or scikit-learn: an entity is ``(sentence, start, end, type)`` as
``projection.tags.chunks`` reads it (an I- after O or after another type starts an entity), a predicted entity is
correct when gold has the same one, and every division by zero gives 0 (seqeval's ``zero_division=0``).
``tests/projection/test_evaluate.py`` checks equality with seqeval on thousands of random sequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from projection.tags import chunks
from projection.types import check_sequence


@dataclass(frozen=True)
class Scores:
    """Entity-level micro ``precision``, ``recall``, ``f1`` and, per entity type, ``{"precision", "recall", "f1",
    "support", "predicted"}`` (``support``: the gold entities of the type, ``predicted``: the predicted ones; a type
    with support 0 and some predicted is one the gold lacks, whose entities are all false positives); ``per_type``
    lists every type found in gold or predictions. Every report gives these fields as they are here (``project``,
    ``translate-test`` and ``demo``'s ``--report``, a build's metrics, the dataset card's records), and ``notes()``
    the run's end-of-run notes about types found on one side only.

    A division 0/0 gives 0.0, never NaN and never 1.0 (as seqeval with its default ``zero_division``):

    - no predicted entities (of a type, or at all): precision 0.0, and so F1 0.0, whatever the recall;
    - no gold entities (support 0): recall 0.0, and so F1 0.0, whatever the precision;
    - neither gold nor predicted entities at all: precision, recall and F1 are all 0.0 (not 1.0 for agreeing on
      nothing), and ``per_type`` is empty;
    - F1 is 0.0 whenever precision + recall is 0.
    """

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

    def notes(self) -> list[str]:
        """What the scores alone do not say, as the runs log it once at their end: the predicted types that the gold
        has none of (all their entities scored as false positives), the gold types of which nothing was predicted
        (all scored as missed), each with the ``--drop-label`` that leaves it out, and the two read as one type
        spelled two ways. Only the per-type totals are read (found in review: ``demo`` and the builder said none of
        this, while ``project`` and ``translate-test`` did)."""
        n_true = {label: d["support"] for label, d in self.per_type.items()}
        n_pred = {label: d["predicted"] for label, d in self.per_type.items()}
        absent = {label: n for label, n in n_pred.items() if n and not n_true[label]}
        missed = {label: n for label, n in n_true.items() if n and not n_pred[label]}
        out = _unprojected(missed) if any(n_pred.values()) else []
        if not absent:
            return out
        one = sum(absent.values()) == 1
        if not any(n_true.values()):  # dropping every type would leave nothing to score: say what the gold is
            return [f"the gold tags hold no entity of the types scored: the projection's {sum(absent.values())} "
                    f"entit{'y' if one else 'ies'} ({', '.join(absent)}) {'was' if one else 'were all'} scored as "
                    f"false positive{'' if one else 's'}"]
        wrote = " and ".join(f"{n} {label}" for label, n in absent.items())
        types = " or ".join(absent)
        drop = " ".join(f"--drop-label {label}" for label in absent)
        return out + [f"the projection wrote {wrote} span{'' if one else 's'} and the gold has no {types} entity: "
                      f"{'it was' if one else 'they were'} scored as false positive{'' if one else 's'}; pass {drop} to "
                      f"leave {' and '.join(absent)} out of the projection and the score"
                      ] + _respelled(absent, missed)


def _unprojected(missed: dict[str, int]) -> list[str]:
    """The mirror case: gold types of which the projection wrote no span in the whole run (``missed``: their gold
    counts), every one scored as a miss (found in review: a MasakhaNER2 gold's DATE against an English source without
    DATE lowered recall, and ``--drop-label DATE`` was refused as a type the source lacks)."""
    if not missed:
        return []
    one = sum(missed.values()) == 1
    has = " and ".join(f"{n} {label}" for label, n in missed.items())
    types = " or ".join(missed)
    drop = " ".join(f"--drop-label {label}" for label in missed)
    return [f"the gold has {has} entit{'y' if one else 'ies'} and the projection wrote no {types} span: "
            f"{'it was' if one else 'they were'} scored as missed; if the source has no {types}, pass {drop} to "
            f"leave {' and '.join(missed)} out of the score"]


def _respelled(absent: dict[str, int], missed: dict[str, int]) -> list[str]:
    """A projected type the gold lacks (``absent``) beside a gold type never projected (``missed``) that read as one
    type spelled two ways (``per``/``PER``, ``PERSON``/``PER``): the two warnings before it advise ``--drop-label``,
    which would leave the type out of the score altogether (found in review: a source tagged ``B-per`` scored 0 F1
    with that advice)."""
    pairs = [(p, g) for p in absent for g in missed
             if p.upper().startswith(g.upper()) or g.upper().startswith(p.upper())]  # fmt: skip
    if not pairs:
        return []
    both = ", ".join(f"{p} for {g}" for p, g in pairs)
    return [f"the projection's types and the gold's look spelled two ways ({both}): rename the tags of one side to "
            "match the other instead of dropping them (type names are compared exactly)"]


def _prf(tp: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
    """Precision, recall, F1 with 0 for 0/0, in seqeval's order of operations (so equal to the last bit)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    denom = p + r
    return p, r, (2.0 * p * r / denom if denom else 0.0)


@dataclass
class EntityCounts:
    """Gold, predicted and correct entities per type, accumulated chunk by chunk (streaming evaluation):
    ``add`` some sentences, then ``scores()`` equals ``evaluate`` over all of them."""

    ignore: frozenset = frozenset()
    sentences: int = 0
    n_true: dict = field(default_factory=dict)
    n_pred: dict = field(default_factory=dict)
    n_tp: dict = field(default_factory=dict)

    def add(self, gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], *, first: int | None = None) -> None:
        """Count these sentences; errors name ``sentence k``, numbered on from ``first`` (default: the sentences
        counted so far), so a chunk counted apart names its sentences by their number in the run."""
        if len(gold) != len(pred):
            raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
        drop, n_true, n_pred, n_tp = self.ignore, self.n_true, self.n_pred, self.n_tp
        base = (self.sentences if first is None else first) - self.sentences
        for g, p in zip(gold, pred):
            self.sentences += 1
            k = base + self.sentences
            if isinstance(g, str) or isinstance(p, str):  # found in review: one sentence's tags given flat were
                # read as sentences of characters, and refused as "gold sentence 1 token 0: ... got 'B'"
                side, tags = ("gold", g) if isinstance(g, str) else ("predicted", p)
                raise ValueError(f"{side} sentence {k} is the str {tags!r}, not a sequence of tags: give "
                                 "one sequence of IOB2 tags per sentence, such as [['B-PER', 'O'], ['O']]")
            if len(g) != len(p):
                raise ValueError(f"sentence {k}: {len(g)} gold tags but {len(p)} predicted")
            where = f"sentence {k}"
            g_chunks = chunks(g, where=f"gold {where}")
            if drop:
                g_chunks = [c for c in g_chunks if c[2] not in drop]
            for c in g_chunks:
                n_true[c[2]] = n_true.get(c[2], 0) + 1
            # ``==`` only between two lists or two tuples: two numpy arrays (rows of a pandas or numpy-formatted
            # datasets column) compare element by element, and the array had no truth value (found in review)
            if (p == g) if type(p) is type(g) and type(p) in (list, tuple) else (list(p) == list(g)):
                p_chunks = g_chunks
                for c in g_chunks:
                    n_tp[c[2]] = n_tp.get(c[2], 0) + 1
            else:
                p_chunks = chunks(p, where=f"predicted {where}")
                if drop:
                    p_chunks = [c for c in p_chunks if c[2] not in drop]
                if p_chunks and g_chunks:
                    for c in set(g_chunks).intersection(p_chunks):
                        n_tp[c[2]] = n_tp.get(c[2], 0) + 1
            for c in p_chunks:
                n_pred[c[2]] = n_pred.get(c[2], 0) + 1

    def merge(self, other: EntityCounts) -> None:
        """Add the counts of ``other`` (e.g. a chunk counted in a worker) to these."""
        if other.ignore != self.ignore:
            raise ValueError(f"cannot merge counts that ignore {sorted(other.ignore)} into counts that ignore "
                             f"{sorted(self.ignore)}")  # fmt: skip
        self.sentences += other.sentences
        for mine, theirs in ((self.n_true, other.n_true), (self.n_pred, other.n_pred), (self.n_tp, other.n_tp)):
            for label, n in theirs.items():
                mine[label] = mine.get(label, 0) + n

    def scores(self, projection_rate: float = 0.0) -> Scores:
        n_true, n_pred, n_tp = self.n_true, self.n_pred, self.n_tp
        per_type = {}
        for label in sorted(n_true.keys() | n_pred.keys()):
            p_, r_, f_ = _prf(n_tp.get(label, 0), n_pred.get(label, 0), n_true.get(label, 0))
            per_type[label] = {"precision": p_, "recall": r_, "f1": f_, "support": n_true.get(label, 0),
                               "predicted": n_pred.get(label, 0)}
        precision, recall, f1 = _prf(sum(n_tp.values()), sum(n_pred.values()), sum(n_true.values()))
        return Scores(precision, recall, f1, per_type, self.sentences, projection_rate)


def ignored_types(ignore: Sequence[str]) -> frozenset:
    """``ignore`` as a set of entity types; a str is refused (found in review: ``ignore="MISC"`` was read as the
    types ``M``, ``I``, ``S``, ``C``, so MISC was scored without a word)."""
    if isinstance(ignore, str):
        raise TypeError(f"ignore must be a sequence of entity types such as ('MISC',), got the string {ignore!r}")
    return frozenset(ignore)


def evaluate(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    *,
    ignore: Sequence[str] = (),
    projection_rate: float = 0.0,
) -> Scores:
    """Micro P/R/F1 and per-type P/R/F1/support of seqeval's default mode (and each type's ``predicted`` count);
    types in ``ignore`` count as O.

    With no predicted entities, precision (0/0) is 0.0; with no gold entities, recall (0/0) is 0.0; F1 is then 0.0;
    with neither, all three are 0.0 (see ``Scores``). Each is seqeval's value."""
    for name, value in (("gold", gold), ("pred", pred)):  # found in review: a generator failed in len()
        check_sequence(value, f"evaluate: {name}", "of tag sequences, one per sentence")
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    counts = EntityCounts(ignored_types(ignore))
    counts.add(gold, pred)
    return counts.scores(projection_rate)
