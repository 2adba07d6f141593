"""``pyproject.toml``: the build requirements admit only setuptools releases that can read the file.

(Here, not beside ``tests/test_push.py``: setuptools puts ``tests/test*.py`` into the sdist.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# setuptools 77.0.0 is the first release that reads `project.license` as an SPDX expression string and
# `project.license-files` (PEP 639); 68 to 76 stop with "`project.license` must be valid exactly by one
# definition" (checked with 70.3.0 and 76.1.0 by `pip wheel --no-build-isolation`; 77.0.3 builds)
PEP_639_SETUPTOOLS = (77,)


def _setuptools_floor(requires: list[str]) -> tuple[int, ...] | None:
    for req in requires:
        m = re.fullmatch(r"\s*setuptools\s*>=\s*([0-9][0-9.]*)\s*", req)
        if m:
            return tuple(int(x) for x in m.group(1).split("."))
    return None


def test_setuptools_floor_reads_the_license_expression() -> None:
    # found in review: requires = ["setuptools>=68"] with license = "Apache-2.0"; a build without isolation on
    # setuptools 68-76 (which the requirement admits) failed at the metadata step
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    floor = _setuptools_floor(data["build-system"]["requires"])
    assert floor is not None, data["build-system"]["requires"]
    project = data["project"]
    if isinstance(project.get("license"), str) or "license-files" in project:
        assert floor >= PEP_639_SETUPTOOLS, floor


@pytest.mark.parametrize(
    ("requires", "floor"),
    [(["setuptools>=68", "wheel"], (68,)), (["wheel", "setuptools >= 77.0.3"], (77, 0, 3)), (["wheel"], None)],
)
def test_setuptools_floor_parsing(requires: list[str], floor: tuple[int, ...] | None) -> None:
    assert _setuptools_floor(requires) == floor


def test_every_package_ships_py_typed() -> None:
    # found in review: only projection had a py.typed marker, so a user's mypy stopped `from builders import build`
    # (the README's) with 'module is installed, but missing library stubs or py.typed marker' [import-untyped]
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    setuptools = data["tool"]["setuptools"]
    packages = [p.rstrip("*") for p in setuptools["packages"]["find"]["include"]]
    assert sorted(packages) == ["builders", "cards", "projection"]
    for package in packages:
        assert (PYPROJECT.parent / package / "py.typed").is_file(), package
        assert "py.typed" in setuptools["package-data"].get(package, []), package
