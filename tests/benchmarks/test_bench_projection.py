"""``benchmarks/bench_projection.py`` and ``benchmarks/tables.py``: refusals before any work (found in review:
an unknown ``--aligners`` name or a missing UNER-PUD folder wrote incomplete results over ``--out``, exit 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_projection  # noqa: E402


def test_an_unknown_aligner_row_is_refused_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "p.json"
    with pytest.raises(SystemExit) as err:
        bench_projection.main(["--runs", "1", "--aligners", "fastalign-ntrex", "--out", str(out)])
    assert err.value.code == 2
    assert "unknown --aligners fastalign-ntrex; valid: eflomal eflomal+ntrex fastalign fastalign+ntrex " \
           "eflomal-vote2+ntrex" in capsys.readouterr().err
    assert not out.exists()


def test_the_quality_run_without_uner_pud_stops_with_the_folder_named(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_projection, "SHARED", tmp_path / "nowhere")
    with pytest.raises(SystemExit) as err:
        bench_projection.load_pairs()
    assert str(err.value).startswith(f"{tmp_path / 'nowhere' / 'uner-pud'} not found")
    assert "SILVER_NER_SHARED" in str(err.value)


def test_tables_help_and_a_missing_file_exit_without_a_traceback(tmp_path):
    run = [sys.executable, str(BENCH / "tables.py")]
    got = subprocess.run([*run, "--help"], capture_output=True, text=True)
    assert got.returncode == 0 and got.stdout.startswith("usage: tables.py")
    got = subprocess.run([*run, str(tmp_path / "p.json")], capture_output=True, text=True)
    assert got.returncode == 1 and "Traceback" not in got.stderr
    assert got.stderr.startswith(f"{tmp_path / 'p.json'} not found")
