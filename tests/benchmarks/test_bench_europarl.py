"""The Europarl-NER evaluation compares two different aligner settings (found in review: it compared one with itself)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

from europarl import methods  # noqa: E402


def test_the_previous_default_has_no_name_prior_and_nothing_else_differs():
    got = methods()
    default, previous = dict(got["default"].aligner_options), dict(got["default-0.3"].aligner_options)
    assert default["name_prior"] == 10.0 and previous["name_prior"] == 0.0
    assert {k: v for k, v in default.items() if k != "name_prior"} == {
        k: v for k, v in previous.items() if k != "name_prior"}  # fmt: skip
    assert got["default"].aligner == got["default-0.3"].aligner == "eflomal.v1"
