"""``benchmarks/extrinsic/paired.py``: the paired comparison of two resampled dev runs, on hand-made files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

from paired import main  # noqa: E402


def noise_file(
    path: Path, method: str, rows: dict[str, tuple[float, list[float]]], kind: str = "resample", split: str = "dev"
) -> Path:
    languages = {lang: {"f1": f1, "replicates": reps, "sd": 0.0} for lang, (f1, reps) in rows.items()}
    path.write_text(json.dumps({"split": split, "method": method, "kind": kind, "languages": languages}))
    return path


def test_means_leave_out_the_runs_own_draw_and_the_checks_name_the_lowest_language(tmp_path, capsys):
    base = noise_file(tmp_path / "a.json", "old", {"hau": (90.0, [30.0, 33.0, 36.0]), "ibo": (0.0, [40.0, 41.0])})
    new = noise_file(tmp_path / "b.json", "new", {"hau": (10.0, [34.0, 34.0, 34.0]), "ibo": (0.0, [42.0, 42.5])})
    tp = tmp_path / "run.json"
    tp.write_text(json.dumps({"split": "dev", "languages": {"hau": {"methods": {"tprojection": {"f1": 35.0}}},
                                            "ibo": {"methods": {"tprojection": {"f1": 43.0}}}}}))  # fmt: skip
    assert main([str(base), str(new), "--tprojection", str(tp)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "| lang | T-Proj | old | new | difference |",
        "|---|---|---|---|---|",
        "| hau | 35.00 | 33.00 | 34.00 | +1.00 |",
        "| ibo | 43.00 | 40.50 | 42.25 | +1.75 |",
        "| avg | 39.00 | 36.75 | 38.12 | +1.38 |",
        "mean difference +1.38; lowest language hau +1.00",
        "old - T-Projection: mean -2.25, lowest ibo -2.50",
        "new - T-Projection: mean -0.88, lowest hau -1.00",
    ]


def test_a_drop_run_is_refused(tmp_path):
    base = noise_file(tmp_path / "a.json", "old", {"hau": (1.0, [1.0])}, kind="drop10")
    with pytest.raises(SystemExit, match="not a noise.py --resample run"):
        main([str(base), str(base)])


def test_runs_of_two_splits_are_refused(tmp_path):
    base = noise_file(tmp_path / "a.json", "old", {"hau": (1.0, [1.0])}, split="test")
    new = noise_file(tmp_path / "b.json", "new", {"hau": (1.0, [1.0])})
    with pytest.raises(SystemExit, match="is a test run and .* a dev run"):
        main([str(base), str(new)])


def test_unequal_replicates_are_refused(tmp_path):
    base = noise_file(tmp_path / "a.json", "old", {"hau": (1.0, [1.0, 2.0, 3.0])})
    new = noise_file(tmp_path / "b.json", "new", {"hau": (1.0, [1.0, 2.0])})
    with pytest.raises(SystemExit, match="hau: 3 replicates in .* and 2 in"):
        main([str(base), str(new)])


def test_a_tprojection_file_of_another_split_is_refused(tmp_path):
    base = noise_file(tmp_path / "a.json", "old", {"hau": (1.0, [1.0])})
    tp = tmp_path / "run.json"
    tp.write_text(json.dumps({"split": "test", "languages": {"hau": {"methods": {"tprojection": {"f1": 35.0}}}}}))
    with pytest.raises(SystemExit, match="is a test run; the resampled runs are dev"):
        main([str(base), str(base), "--tprojection", str(tp)])


def test_the_tprojection_average_is_over_the_compared_languages_only(tmp_path, capsys):
    """Before: a run.py file with more languages put their T-Projection F1 into the avg row (here 56.33, zul's 99
    included) while the gaps below it were over hau and ibo only."""
    base = noise_file(tmp_path / "a.json", "old", {"hau": (0.0, [31.0]), "ibo": (0.0, [41.0])})
    new = noise_file(tmp_path / "b.json", "new", {"hau": (0.0, [32.0]), "ibo": (0.0, [40.0])})
    tp = tmp_path / "run.json"
    tp.write_text(json.dumps({"split": "dev", "languages": {lang: {"methods": {"tprojection": {"f1": f1}}}
                                            for lang, f1 in (("hau", 30.0), ("ibo", 40.0), ("zul", 99.0))}}))  # fmt: skip
    assert main([str(base), str(new), "--tprojection", str(tp)]) == 0
    assert "| avg | 35.00 | 36.00 | 36.00 | +0.00 |" in capsys.readouterr().out.splitlines()


def test_a_tprojection_file_without_a_compared_language_is_refused(tmp_path):
    """Before: KeyError 'ibo' after the table was printed."""
    base = noise_file(tmp_path / "a.json", "old", {"hau": (0.0, [31.0]), "ibo": (0.0, [41.0])})
    new = noise_file(tmp_path / "b.json", "new", {"hau": (0.0, [32.0]), "ibo": (0.0, [40.0])})
    tp = tmp_path / "run.json"
    tp.write_text(json.dumps({"split": "dev", "languages": {"hau": {"methods": {"tprojection": {"f1": 30.0}}}}}))
    with pytest.raises(SystemExit) as err:
        main([str(base), str(new), "--tprojection", str(tp)])
    assert str(err.value) == f"--tprojection {tp} has no T-Projection F1 for ibo: pass a run.py file of these languages"
