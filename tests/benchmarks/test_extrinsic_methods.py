"""The extrinsic benchmark's method names mean what benchmarks/README.md says they are."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

from methods import _NAMES, METHODS  # noqa: E402

from projection.config import ProjectionConfig  # noqa: E402
from projection.options import default_config  # noqa: E402


def test_the_060_default_of_the_eight_languages_is_names_with_anchor_and_trim():
    """``capstem+anchor+names+trim`` projects with ``_NAMES`` and then applies ``anchor_names`` and ``trim_edges``:
    for the eight languages that is 0.6.0's default, so its test draws measure the library's default."""
    for lang in ("hau", "ibo", "nya", "sna", "swa", "xho", "yor", "zul"):
        assert default_config("parallel", lang) == ProjectionConfig(**{**_NAMES, "refine": ("anchor.v1", "trim.v1")})
    assert default_config("parallel") == ProjectionConfig(**{**_NAMES, "refine": ("anchor.v1",)})

    # and the method's steps are the refiners the library builds for those names, in that order
    from projection.refine import anchor_names, trim_edges

    assert default_config("parallel", "ibo").build_refiners() == (anchor_names, trim_edges)
    method = METHODS["capstem+anchor+names+trim"]
    assert method.args == (_NAMES, [anchor_names, trim_edges])
