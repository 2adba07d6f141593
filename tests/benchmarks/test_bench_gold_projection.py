"""The development set of ``benchmarks/bench_gold_projection.py``: its proxy entities, reference spans and
scores, computed by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_gold_projection import english_entities, reference_span, score


def test_entities_are_runs_of_capitalised_words_after_the_first():
    tokens = ["Thank", "you", "Mr", "Pat", "Gallagher", ",", "I", "agree", "with", "EU", "policy", "Now"]
    assert english_entities(tokens) == [(2, 5), (9, 10), (11, 12)]
    assert english_entities(["Commission", "said"]) == []


def test_the_reference_span_covers_the_sure_links_else_the_possible_ones():
    sure, possible = [(2, 7), (3, 4), (4, 5), (9, 1)], [(2, 3), (3, 9), (5, 6)]
    assert reference_span((3, 5), sure, possible) == (4, 6)
    assert reference_span((2, 5), sure, possible) == (4, 8)  # a sure link far away widens the span
    assert reference_span((5, 6), sure, possible) == (6, 7)  # no sure link: the possible one
    assert reference_span((6, 9), sure, possible) is None


def test_scores_are_exact_span_matches_over_the_corpus():
    predicted = [{(0, 2), (4, 5)}, set(), {(1, 3)}]
    reference = [{(0, 2), (4, 6)}, {(0, 1)}, {(1, 3)}]
    got = score(predicted, reference)
    assert (got["tp"], got["pred"], got["ref"]) == (2, 3, 4)
    assert got["p"] == pytest.approx(2 / 3) and got["r"] == pytest.approx(1 / 2)
    assert got["f1"] == pytest.approx(4 / 7)


def test_an_unknown_method_is_refused_with_the_valid_names(capsys):
    """Before: KeyError 'nul0.1' (a traceback)."""
    from bench_gold_projection import main, methods

    with pytest.raises(SystemExit) as err:
        main(["--methods", "default,nul0.1"])
    assert err.value.code == 2
    assert f"unknown --methods nul0.1; valid: {','.join(methods())}" in capsys.readouterr().err
