"""The paper-style reference's command line (``benchmarks/paper_reference.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from paper_reference import main


@pytest.mark.parametrize(
    "option",
    ["--style lean", "--style=Literal", "--style=", "--solver=exact", "--solver"],
)
def test_a_malformed_or_unknown_option_value_is_refused(tmp_path, option):
    """Before: ``--style lean`` raised ValueError (unpacking), and ``--style=Literal`` / ``--solver=exact`` ran
    the lean greedy silently, another method than the one asked for."""
    argv = [*option.split(" ")[:1], *map(str, (tmp_path / n for n in ("s", "t", "a", "o")))]
    with pytest.raises(SystemExit) as err:
        main(argv)
    assert "takes one of" in str(err.value)
    assert not (tmp_path / "o").exists()


def test_a_wrong_number_of_paths_is_refused(tmp_path):
    with pytest.raises(SystemExit) as err:
        main(["--style=lean", str(tmp_path / "s")])
    assert "expected 4 paths" in str(err.value)


def test_the_two_styles_write_the_same_spans(tmp_path):
    """Hand-checked: entity ``A B`` (PER) linked to target words 1 and 2, ``C`` (LOC) to word 0."""
    (tmp_path / "s").write_text("A\tB-PER\nB\tI-PER\nC\tB-LOC\n\n", encoding="utf-8")
    (tmp_path / "t").write_text("x\tO\ny\tO\nz\tO\n\n", encoding="utf-8")
    (tmp_path / "a").write_text("0-1 1-2 2p0\n", encoding="utf-8")
    for style in ("literal", "lean"):
        out = tmp_path / f"o.{style}"
        assert main([f"--style={style}", *(str(tmp_path / n) for n in "sta"), str(out)]) == 0
        assert out.read_text(encoding="utf-8") == "x\tB-LOC\ny\tB-PER\nz\tI-PER\n\n"
