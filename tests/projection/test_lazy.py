"""``projection.lazy``: numpy is imported where an array is made, not by ``silver-ner project`` with given
alignments (which never makes one)."""

from __future__ import annotations

import json
import subprocess
import sys


def test_a_lazy_module_imports_at_first_use_and_gives_the_real_attributes() -> None:
    code = (
        "import sys; from projection.lazy import lazy_module; m = lazy_module('fractions'); "
        "before = 'fractions' in sys.modules; import fractions; "
        "print(before, m.Fraction is fractions.Fraction, m.Fraction(1, 2) == fractions.Fraction(1, 2))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True"]


def test_project_with_given_alignments_imports_no_numpy(tmp_path) -> None:
    (tmp_path / "s.conll").write_text("Peter\tB-PER\nsleeps\tO\n\n", encoding="utf-8")
    (tmp_path / "t.conll").write_text("Peter\tB-PER\nschläft\tO\n\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("0-0 1-1\n", encoding="utf-8")
    argv = ["project", "--source", "s.conll", "--target", "t.conll", "--alignments", "a.txt", "--out", "o.conll",
            "--report", "r.json", "--quiet"]  # fmt: skip
    code = (
        f"import sys; from projection.cli import main; code = main({argv!r}); "
        "print(code, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.split()[-2:] == ["0", "False"]
    assert (tmp_path / "o.conll").read_text(encoding="utf-8") == "Peter\tB-PER\nschläft\tO\n\n"
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["f1"] == 1.0
