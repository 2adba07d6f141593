"""``projection/__init__.py``: the names of ``__all__`` are what they are documented to be, whatever was imported
before them."""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST = [
    "",  # nothing imported before
    "from projection import Scores",  # imports the submodule projection.evaluate first
    "import projection.demo",  # so does a module of the package
    "import projection.evaluate",
]


@pytest.mark.parametrize("first", FIRST)
def test_evaluate_is_the_function_whatever_was_imported_before(first: str) -> None:
    # found in review: once the submodule projection.evaluate was imported, `from projection import evaluate` gave
    # the module, and calling it raised "TypeError: 'module' object is not callable"
    code = (
        f"{first}\nfrom projection import evaluate, Scores\nimport projection\n"
        "s = evaluate([['B-PER', 'I-PER', 'O']], [['B-PER', 'I-PER', 'O']])\n"
        "print(type(s).__name__, s.f1, projection.evaluate is evaluate)\n"
        "from projection.evaluate import Scores as S\nprint(S is Scores)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["Scores", "1.0", "True", "True"]


def test_every_exported_name_is_the_object_of_its_module() -> None:
    code = (
        "import importlib, projection\n"
        "from projection import *\n"
        "bad = [n for n, m in projection._WHERE.items() if globals()[n] is not getattr(importlib.import_module(m), n)]\n"
        "print(bad or 'ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["ok"]
