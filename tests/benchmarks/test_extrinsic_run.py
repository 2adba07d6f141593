"""``benchmarks/extrinsic/run.py`` and ``crf.py``: the summary line and the paired bootstrap, on hand-made counts."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

from crf import Counts, paired_bootstrap  # noqa: E402
from run import print_table  # noqa: E402


def test_the_summary_line_uses_the_unrounded_f1s(capsys):
    # 48.866 - 52.644 = -3.778 -> -3.78; the rounded cells (48.87 - 52.64) would give -3.77
    rows = {"sna": {"pairs": 10, "methods": {"tprojection": {"f1": 52.64}, "m": {"f1": 48.87}}}}
    print_table(rows, ["tprojection", "m"], "test", {"sna": {"tprojection": 52.644, "m": 48.866}})
    assert capsys.readouterr().out.splitlines()[-1] == "m: mean -3.78, worst -3.78 vs tprojection"


def test_the_bootstrap_sums_counts_over_each_resample_and_pairs_the_systems():
    a = Counts(np.array([1, 0, 2]), np.array([2, 1, 2]), np.array([1, 1, 3]))
    b = Counts(np.array([0, 1, 1]), np.array([1, 1, 3]), np.array([1, 1, 3]))
    d, lo, hi = paired_bootstrap(a, b, n=200, seed=5)
    # by hand: F1(a) = 2*3/(5+5) = 60, F1(b) = 2*2/(5+5) = 40
    assert d == 20.0
    # a plain reimplementation: the same index draws for both systems, micro F1 from the summed counts
    rng = np.random.default_rng(5)
    diffs = []
    for _ in range(200):
        k = rng.integers(0, 3, 3)
        fa = 200 * sum(a.tp[i] for i in k) / (sum(a.pred[i] for i in k) + sum(a.gold[i] for i in k))
        fb = 200 * sum(b.tp[i] for i in k) / (sum(b.pred[i] for i in k) + sum(b.gold[i] for i in k))
        diffs.append(fa - fb)
    diffs.sort()
    # numpy's default percentile: linear between order statistics at (n-1)q
    pos_lo, pos_hi = 199 * 0.025, 199 * 0.975
    want_lo = diffs[4] + (pos_lo - 4) * (diffs[5] - diffs[4])
    want_hi = diffs[194] + (pos_hi - 194) * (diffs[195] - diffs[194])
    assert abs(lo - want_lo) < 1e-9 and abs(hi - want_hi) < 1e-9
