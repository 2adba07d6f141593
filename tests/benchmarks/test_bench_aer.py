"""``bench_aer.py`` refuses an unknown aligner, pair or stem before any training (found in review: a misspelled
aligner ran eflomal and labelled its rows with the misspelling; an unknown pair or stem stopped with a traceback)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_aer  # noqa: E402


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--aligners", "fastalign,fastalgn", "unknown --aligners fastalgn; valid: fastalign,eflomal"),
        ("--pairs", "de-en,de-fr", "unknown --pairs de-fr; valid: de-en,en-fr"),
        ("--stems", "4,x", "--stems takes whole numbers or none, comma-separated (e.g. 4,5,none), got '4,x'"),
    ],
)
def test_an_unknown_name_is_refused_before_the_data_is_read(tmp_path, capsys, option, value, message):
    out = tmp_path / "aer.json"
    # the data folder is empty: a run that got past the options would stop on the missing gold file instead
    with pytest.raises(SystemExit) as err:
        bench_aer.main([option, value, "--data", str(tmp_path), "--out", str(out)])
    assert err.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(f": error: {message}")
    assert not out.exists()
