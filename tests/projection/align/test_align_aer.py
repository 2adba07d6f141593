"""AER / precision / recall / F1 (Och & Ney 2003), computed by hand."""

from __future__ import annotations

import pytest

from projection.align.aer import alignment_scores, diagonal_alignment
from projection.types import Alignment


def test_alignment_scores_by_hand() -> None:
    pred = [Alignment.of([(0, 0), (0, 1), (1, 1), (2, 2)]), Alignment.of([(0, 0)])]
    sure = [Alignment.of([(0, 0), (1, 1)]), Alignment.of([(0, 1)])]
    possible = [Alignment.of([(0, 1)]), Alignment.of([(0, 0)])]  # sure links are added to possible
    # |A| = 5, |S| = 3, |A∩S| = 2 (0-0, 1-1), |A∩P| = 4 (0-0, 0-1, 1-1 | 0-0)
    s = alignment_scores(pred, sure, possible)
    assert s.precision == pytest.approx(4 / 5)
    assert s.recall == pytest.approx(2 / 3)
    assert s.aer == pytest.approx(1 - (2 + 4) / (5 + 3))
    assert s.f1 == pytest.approx(2 * 0.8 * (2 / 3) / (0.8 + 2 / 3))
    assert (s.n_pred, s.n_sure) == (5, 3)


def test_possible_links_read_from_pharaoh_count_as_possible() -> None:
    """Found in review: ``ipj`` links read into ``Alignment.possible`` were left out of P; by hand |A| = 2,
    |S| = 1, |A∩S| = 1, |A∩P| = 2: AER 0, precision 1."""
    gold = Alignment.from_pharaoh("0-0 1p1")
    s = alignment_scores([Alignment.from_pharaoh("0-0 1-1")], [gold], [gold])
    assert (s.aer, s.precision, s.recall) == (0.0, 1.0, 1.0)


def test_alignment_scores_edge_cases() -> None:
    empty = [Alignment()]
    assert alignment_scores(empty, empty, empty).aer == 0.0
    with pytest.raises(ValueError, match="one predicted, sure and possible"):
        alignment_scores(empty, [], empty)


def test_diagonal_alignment() -> None:
    assert diagonal_alignment(2, 4) == Alignment.of([(0, 0), (0, 1), (1, 2), (1, 3)])
    assert diagonal_alignment(3, 3) == Alignment.of([(0, 0), (1, 1), (2, 2)])
    assert diagonal_alignment(0, 3) == Alignment()
