"""``extrinsic/draws.py``: the targets on the means of several draws, computed by hand."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

from draws import main  # noqa: E402


def _noise(path: Path, method: str, rows: dict) -> Path:
    languages = {lang: {"f1": base, "replicates": reps} for lang, (base, reps) in rows.items()}
    path.write_text(json.dumps({"split": "test", "method": method, "languages": languages}))
    return path


def test_means_differences_and_the_worst_language(tmp_path, capsys):
    read = tmp_path / "read.json"
    read.write_text(json.dumps({"split": "test", "languages": {lang: {"methods": {"m": {"f1": f1}}}
                                              for lang, f1 in (("hau", 50.0), ("ibo", 48.0))}}))  # fmt: skip
    mine = _noise(tmp_path / "m.json", "m", {"hau": (40.0, [42.0, 44.0, 44.0]), "ibo": (42.0, [42.0, 42.0, 42.0])})
    theirs = _noise(tmp_path / "t.json", "tprojection", {"hau": (43.0, [43.0, 44.0, 42.0]), "ibo": (44.0, [43.0, 45.0, 44.0])})
    out = tmp_path / "out.json"
    assert main(["--reads", str(read), "--method-noise", str(mine), "--tprojection-noise", str(theirs),
                 "--out", str(out)]) == 0  # fmt: skip
    got = json.loads(out.read_text())
    # hau: (50+40+42+44+44)/5 = 44.0 against 43.0 -> +1.0; ibo: (48+42*4)/5 = 43.2 against 44.0 -> -0.8
    assert got["languages"]["hau"] == {"method": [50.0, 40.0, 42.0, 44.0, 44.0], "tprojection": [43.0, 43.0, 44.0, 42.0],
                                       "method_mean": 44.0, "tprojection_mean": 43.0, "difference": 1.0}  # fmt: skip
    assert got["languages"]["ibo"]["difference"] == -0.8
    assert got["mean_difference"] == 0.1 and got["worst"] == "ibo" and got["targets_hold"] is True
    assert "mean difference +0.10, worst ibo -0.80: the targets hold on the means" in capsys.readouterr().out


def _files(tmp_path, read_split="test", read_method="m"):
    read = tmp_path / "read.json"
    read.write_text(json.dumps({"split": read_split, "languages": {"hau": {"methods": {read_method: {"f1": 50.0}}}}}))
    mine = _noise(tmp_path / "m.json", "m", {"hau": (40.0, [42.0])})
    theirs = _noise(tmp_path / "t.json", "tprojection", {"hau": (43.0, [43.0])})
    return ["--reads", str(read), "--method-noise", str(mine), "--tprojection-noise", str(theirs)]


def test_a_dev_read_is_refused(tmp_path):
    # a run.py --split dev file's F1 would silently count as a test draw
    with pytest.raises(SystemExit, match="run.py --split dev file; the draws are test F1s"):
        main(_files(tmp_path, read_split="dev"))


def test_a_read_without_the_method_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="no F1 of m for hau"):
        main(_files(tmp_path, read_method="other"))
