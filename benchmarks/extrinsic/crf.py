"""The benchmark's NER model: a linear-chain CRF (CRFsuite through python-crfsuite), and its scoring.

Features of word i (the usual CRFsuite NER recipe): for each word i-2 … i+2, its lower-cased form,
3-letter suffix, title-case and upper-case flags; for word i also its 2-letter suffix, 3-letter
prefix, digit flag and word shape; sentence begin/end marks. L-BFGS, c1 = c2 = 0.1, 100 iterations.
Scores are seqeval's entity-level counts (default mode), kept per sentence for the paired bootstrap.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from seqeval.metrics.sequence_labeling import get_entities

if TYPE_CHECKING:
    import pycrfsuite

PARAMS = {"c1": 0.1, "c2": 0.1, "max_iterations": 100}


def _shape(w: str) -> str:
    s = re.sub("[A-Z]", "X", w)
    s = re.sub("[a-z]", "x", s)
    s = re.sub("[0-9]", "d", s)
    return re.sub(r"(.)\1+", r"\1\1", s)  # runs of one class shortened to two


def _word(w: str, k: str) -> list[str]:
    return [f"{k}l={w.lower()}", f"{k}s3={w[-3:].lower()}", f"{k}t={w.istitle()}", f"{k}u={w.isupper()}"]


def _crfsuite():
    """python-crfsuite (the ``benchmarks`` extra), imported where a CRF is built: the scoring and the bootstrap
    below need only numpy, and the default test run (the ``all`` extra) has no CRF."""
    import pycrfsuite

    return pycrfsuite


def features(tokens: Sequence[str]) -> pycrfsuite.ItemSequence:
    n = len(tokens)
    items = []
    for i, w in enumerate(tokens):
        f = ["bias", f"s2={w[-2:].lower()}", f"p3={w[:3].lower()}", f"d={w.isdigit()}", f"sh={_shape(w)}"]
        for k in (-2, -1, 0, 1, 2):
            j = i + k
            if 0 <= j < n:
                f += _word(tokens[j], f"{k}:")
            elif k in (-1, 1):
                f.append("BOS" if k < 0 else "EOS")
        items.append(f)
    return _crfsuite().ItemSequence(items)


class Crf:
    """Trained once on (features, tags) pairs; ``predict`` tags feature sequences."""

    def __init__(self, xs: Sequence[pycrfsuite.ItemSequence], ys: Sequence[Sequence[str]]) -> None:
        pycrfsuite = _crfsuite()
        trainer = pycrfsuite.Trainer(verbose=False)
        for x, y in zip(xs, ys):
            trainer.append(x, list(y))
        trainer.set_params(PARAMS)
        fd, self._path = tempfile.mkstemp(prefix="silver-ner-crf-", suffix=".crfsuite")
        os.close(fd)
        trainer.train(self._path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(self._path)

    def predict(self, xs: Sequence[pycrfsuite.ItemSequence]) -> list[list[str]]:
        return [self._tagger.tag(x) for x in xs]

    def close(self) -> None:
        self._tagger.close()
        os.unlink(self._path)


@dataclass(frozen=True)
class Counts:
    """Per sentence: correct entities, predicted entities, gold entities."""

    tp: np.ndarray
    pred: np.ndarray
    gold: np.ndarray

    @property
    def f1(self) -> float:
        return f1(self.tp.sum(), self.pred.sum(), self.gold.sum())


def f1(tp: float, pred: float, gold: float) -> float:
    return 200.0 * tp / (pred + gold) if pred + gold else 0.0


def counts(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> Counts:
    tp, np_, ng = [], [], []
    for g, p in zip(gold, pred):
        ge, pe = set(get_entities(list(g))), set(get_entities(list(p)))
        tp.append(len(ge & pe))
        np_.append(len(pe))
        ng.append(len(ge))
    return Counts(np.array(tp), np.array(np_), np.array(ng))


def paired_bootstrap(a: Counts, b: Counts, n: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """F1(a) - F1(b) and its 95 % percentile interval over ``n`` resamples of the test sentences."""
    rng = np.random.default_rng(seed)
    m = len(a.tp)
    diffs = np.empty(n)
    for r in range(n):
        k = rng.integers(0, m, m)
        diffs[r] = f1(a.tp[k].sum(), a.pred[k].sum(), a.gold[k].sum()) - f1(b.tp[k].sum(), b.pred[k].sum(), b.gold[k].sum())
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return a.f1 - b.f1, float(lo), float(hi)
