"""The whole-process benchmark's statistics (issue 10)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_whole import _median, _paired


def test_the_speed_up_is_taken_within_each_repeat():
    """Repeat k pairs the reference's k-th run with silver-ner's k-th run: 10/1, 20/4, 30/2."""
    ref = [(10.0, 300, 0), (20.0, 300, 0), (30.0, 300, 0)]
    mine = [(1.0, 60, 0), (4.0, 60, 0), (2.0, 60, 0)]
    assert _paired(ref, mine) == {"median": 10.0, "min": 5.0, "max": 15.0}
    assert _median(ref) / _median(mine) == 10.0  # the ratio of the medians, also reported
