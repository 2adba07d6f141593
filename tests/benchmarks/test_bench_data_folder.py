"""A missing shared data folder stops a benchmark with the folder named, not a traceback (found in review)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH / "extrinsic"))

import bench_aer  # noqa: E402
import data as extrinsic_data  # noqa: E402
import uner  # noqa: E402


def test_the_gold_alignment_scripts_name_the_missing_file_and_the_data_option(tmp_path):
    with pytest.raises(SystemExit) as err:
        bench_aer.load_gold(tmp_path, "de-en")
    assert str(err.value).startswith(f"{tmp_path / 'cross-align-gold-alignments' / 'test.de-en'} not found: pass --data")
    with pytest.raises(SystemExit) as err:
        bench_aer.load_ntrex(tmp_path, "newstest2019-src.eng.txt", "newstest2019-ref.fra.txt")
    assert str(err.value).startswith(f"{tmp_path / 'ntrex-128' / 'NTREX-128' / 'newstest2019-src.eng.txt'} not found")


def test_the_extrinsic_scripts_name_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("SILVER_NER_SHARED", str(tmp_path / "nowhere"))
    with pytest.raises(SystemExit) as err:
        extrinsic_data.shared_data()
    assert str(err.value).startswith(f"shared data folder {tmp_path / 'nowhere'} not found: set SILVER_NER_SHARED")
    monkeypatch.setenv("SILVER_NER_SHARED", str(tmp_path))
    assert extrinsic_data.shared_data() == tmp_path


def test_uner_names_the_missing_file(tmp_path):
    with pytest.raises(SystemExit) as err:
        uner.main(["--runs", "1", "--data", str(tmp_path)])
    assert str(err.value).startswith(str(tmp_path / "en_pud-ud-test.iob2"))
    assert "--data is the uner-pud folder" in str(err.value)
