"""Symmetrisation heuristics on small grids worked out by hand (links are (source i, target j))."""

from __future__ import annotations

import pytest

from projection.align.symmetrize import (
    check_symmetrization,
    grow_diag_final_and,
    intersection,
    symmetrize,
    union,
)
from projection.types import Alignment


def A(*pairs: tuple[int, int]) -> Alignment:
    return Alignment.of(pairs)


def test_intersection_and_union() -> None:
    fwd, rev = A((0, 0), (1, 1), (2, 1)), A((0, 0), (1, 1), (1, 2))
    assert intersection(fwd, rev) == A((0, 0), (1, 1))
    assert union(fwd, rev) == A((0, 0), (1, 1), (2, 1), (1, 2))


def test_gdfa_3x3_grows_to_the_union() -> None:
    # start {0-0, 1-1}; around 1-1: 2-1 (src 2 unaligned) and 1-2 (tgt 2 unaligned) are union neighbours
    fwd, rev = A((0, 0), (1, 1), (2, 1)), A((0, 0), (1, 1), (1, 2))
    assert grow_diag_final_and(fwd, rev, 3, 3) == A((0, 0), (1, 1), (1, 2), (2, 1))


def test_gdfa_4x5_grows_diagonally_but_not_onto_aligned_words() -> None:
    # fwd (one source per target): 0-0 1-1 2-2 0-3 3-4;  rev (one target per source): 0-0 1-1 2-1 3-0
    # intersection {0-0, 1-1}; scanning in (i, j) order:
    #   at 1-1: add 2-1 (src 2 unaligned), then diagonal 2-2 (tgt 2 unaligned)
    #   at 2-1: add diagonal 3-0 (src 3 unaligned)
    # final-and: 0-3 (src 0 aligned) and 3-4 (src 3 aligned) are refused
    fwd = A((0, 0), (1, 1), (2, 2), (0, 3), (3, 4))
    rev = A((0, 0), (1, 1), (2, 1), (3, 0))
    assert grow_diag_final_and(fwd, rev, 4, 5) == A((0, 0), (1, 1), (2, 1), (2, 2), (3, 0))


def test_gdfa_4x4_final_and_needs_both_words_unaligned() -> None:
    # intersection {0-0}; no union link touches it, so nothing grows.
    # final-and over fwd: 0-2 refused (src 0 aligned), 3-3 added (src 3 and tgt 3 unaligned)
    fwd, rev = A((0, 0), (0, 2), (3, 3)), A((0, 0))
    assert grow_diag_final_and(fwd, rev, 4, 4) == A((0, 0), (3, 3))


def test_gdfa_final_takes_fwd_before_rev() -> None:
    # empty intersection; fwd's 1-1 comes first, then rev's 1-2 is refused (src 1 now aligned)
    assert grow_diag_final_and(A((1, 1)), A((1, 2)), 2, 3) == A((1, 1))
    assert grow_diag_final_and(A((1, 2)), A((1, 1)), 2, 3) == A((1, 2))


def test_gdfa_empty_and_bounds() -> None:
    assert grow_diag_final_and(A(), A(), 0, 0) == A()
    with pytest.raises(ValueError, match="outside"):
        grow_diag_final_and(A((3, 0)), A(), 2, 2)


def test_symmetrize_by_name() -> None:
    fwd, rev = A((0, 0), (1, 1), (2, 1)), A((0, 0), (1, 1), (1, 2))
    assert symmetrize("intersect", fwd, rev, 3, 3) == intersection(fwd, rev)
    assert symmetrize("union", fwd, rev, 3, 3) == union(fwd, rev)
    assert symmetrize("gdfa", fwd, rev, 3, 3) == grow_diag_final_and(fwd, rev, 3, 3)
    assert check_symmetrization("grow-diag-final-and") == "grow-diag-final-and"
    with pytest.raises(ValueError, match="use one of: intersection, union, grow-diag-final-and"):
        check_symmetrization("grow-diag")


def test_soft_keeps_the_intersection_sure_and_the_rest_of_the_union_possible():
    # fwd: 0-0 1-1 2-1 ; rev: 0-0 1-1 1-2  -> both: 0-0 1-1 ; one direction only: 2-1 (fwd), 1-2 (rev)
    fwd = Alignment.of([(0, 0), (1, 1), (2, 1)])
    rev = Alignment.of([(0, 0), (1, 1), (1, 2)])
    out = symmetrize("soft", fwd, rev, 3, 3)
    assert out.pairs == ((0, 0), (1, 1))
    assert out.possible == ((1, 2), (2, 1))
    assert out.to_pharaoh() == "0-0 1-1 1p2 2p1"
    assert Alignment.from_pharaoh(out.to_pharaoh()) == out
