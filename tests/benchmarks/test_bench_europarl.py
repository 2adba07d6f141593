"""The Europarl-NER evaluation compares different aligner settings (found in review: it compared one with itself)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "extrinsic"))

import europarl  # noqa: E402
from europarl import methods  # noqa: E402

from projection.demo import _config_for  # noqa: E402
from projection.options import default_config  # noqa: E402


def test_the_previous_default_has_no_name_prior_and_nothing_else_differs():
    got = methods()
    default, previous = dict(got["default-0.4"].aligner_options), dict(got["default-0.3"].aligner_options)
    assert default["name_prior"] == 10.0 and previous["name_prior"] == 0.0
    assert {k: v for k, v in default.items() if k != "name_prior"} == {
        k: v for k, v in previous.items() if k != "name_prior"}  # fmt: skip
    assert got["default-0.4"].aligner == got["default-0.3"].aligner == "eflomal.v1"


def test_the_default_is_each_languages_and_the_04_default_the_language_independent_one():
    got = methods()
    for lang in ("de", "es", "it"):
        assert _config_for(got["default"], lang) == default_config("parallel", lang)
        assert _config_for(got["default-0.4"], lang) == default_config("parallel")
    assert dict(_config_for(got["default"], "it").aligner_options) == {
        **dict(got["default-0.4"].aligner_options), "similar_names": 0.5, "possible_votes": 2}  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--paired", "trim"], "--paired 'trim': write NAME=REFINE"),
        (["--paired", "trim=trim.v2"], "--paired 'trim=trim.v2': unknown refinement 'trim.v2'"),
        (["--methods", "default", "default-0.4", "--paired", "default-0.4=anchor.v1"],
         "--paired 'default-0.4=anchor.v1': the name 'default-0.4' is taken"),
        (["--paired", "a=none", "a=trim.v1"], "--paired 'a=trim.v1': the name 'a' is taken"),
    ],
)
def test_a_paired_method_is_checked_before_any_alignment(monkeypatch, capsys, argv, message):
    """Before: a malformed or unknown refinement raised after the first run's eflomal alignments of three languages,
    and a name equal to a --methods name averaged the two methods' rows into one summary."""
    monkeypatch.setattr(europarl, "run_demo", lambda *a, **k: pytest.fail("aligned before checking --paired"))
    with pytest.raises(SystemExit) as err:
        europarl.main(argv)
    assert err.value.code == 2
    assert message in capsys.readouterr().err
