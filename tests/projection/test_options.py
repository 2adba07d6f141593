from __future__ import annotations

import math

import pytest

import projection.align.registered  # noqa: F401  (registers the built-in aligners)
from projection.options import check_aligner_options


@pytest.mark.parametrize("value", [0, "0,0,0"])
def test_tuple_option_given_otherwise_asks_for_a_list_not_finite_numbers(value) -> None:
    """``--aligner-option iterations=0`` (or ``0,0,0``, read as a string) is refused with the way to give a list;
    it was told "numbers must be finite", which says nothing of the mistake (found in review)."""
    with pytest.raises(ValueError) as err:
        check_aligner_options("eflomal.v1", {"iterations": value})
    assert str(err.value) == (
        f"aligner eflomal.v1 option iterations takes tuple[int, int, int] | None, got {value!r}"
        " (give a list of integers: iterations=[…])"
    )


def test_non_finite_float_keeps_the_finite_hint() -> None:
    with pytest.raises(ValueError) as err:
        check_aligner_options("eflomal.v1", {"null_prior": math.inf})
    assert str(err.value).endswith("got inf (numbers must be finite)")


def test_wrong_type_without_a_numeric_hint() -> None:
    with pytest.raises(ValueError) as err:
        check_aligner_options("eflomal.v1", {"symmetrize": 3})
    assert "numbers must be finite" not in str(err.value) and "give a list" not in str(err.value)
