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


def _names_type_checkers_see(path) -> set[str]:
    """The names a type checker binds in a package's ``__init__.py``: its module-level imports, definitions and
    assignments, and the ``if TYPE_CHECKING:`` block's imports spelled ``name as name`` (an explicit re-export);
    the names that ``__getattr__`` makes on first use are invisible to it."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for sub in node.body:
                if isinstance(sub, ast.ImportFrom):
                    names.update(a.name for a in sub.names if a.asname == a.name)
    return names


def test_type_checkers_see_every_exported_name() -> None:
    # found in review: the package ships py.typed, but every name of __all__ but __version__ was made by the
    # module's __getattr__, so mypy and pyright typed `from projection import project_corpus, Sentence, run` as Any
    # (no check of any call, no completion in an IDE, and a misspelt name imported without an error)
    import projection

    missing = sorted(set(projection.__all__) - _names_type_checkers_see(projection.__file__))
    assert missing == []


def test_the_type_checking_imports_are_the_exported_objects() -> None:
    # the block that only type checkers read names each object where it lives: run its imports and compare
    import ast
    from pathlib import Path

    import projection

    tree = ast.parse(Path(projection.__file__).read_text(encoding="utf-8"))
    block = [n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", None) == "TYPE_CHECKING"]
    names: dict = {}
    exec(compile(ast.Module(body=block[0].body, type_ignores=[]), "<TYPE_CHECKING>", "exec"), names)
    assert sorted(n for n in names if n != "__builtins__") == sorted(projection._WHERE)
    assert [n for n in projection._WHERE if names[n] is not getattr(projection, n)] == []


@pytest.mark.parametrize(
    "code", ["from projection import Scores", "from projection.evaluate import Scores", "import projection.demo",
             "from projection import Sentence\nimport projection.evaluate"],
)  # fmt: skip
def test_importing_the_evaluate_submodule_warns_nothing(code: str) -> None:
    # found in review: importing projection.types (any of the exported types) rebound the package's global `types`
    # (the standard module) to that submodule, so _Package.__setattr__ failed on types.ModuleType when
    # projection.evaluate was imported; importlib turned that into "ImportWarning: Cannot set an attribute on
    # 'projection' for child module 'evaluate'", which `python -W error` (pytest's filterwarnings = error) raises
    code += "\nfrom projection import evaluate\nprint(callable(evaluate))"
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout.split(), done.stderr) == (0, ["True"], "")
