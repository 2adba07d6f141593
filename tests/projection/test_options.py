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


def test_default_config_refuses_what_the_heuristic_would_ignore_as_the_cli_does():
    """Found in review: the CLI refuses --candidates, --max-len, --char-weight and --possible-weight with --matcher
    heuristic; ``default_config`` took them and signed the config as without them."""
    from projection.options import default_config

    base = default_config("parallel", matcher="heuristic")
    for change, named in ((dict(candidates="ngrams.v1"), "candidates"), (dict(max_len=3), "max_len"),
                          (dict(score_char=0.9), "score_char"), (dict(score_possible=1.0), "score_possible"),
                          (dict(window=1), "window")):  # fmt: skip
        with pytest.raises(ValueError) as info:
            default_config("parallel", matcher="heuristic", **change)
        assert str(info.value) == (f"matcher heuristic projects through the links alone: {named} has no effect on "
                                   "it; leave it out")  # fmt: skip
    with pytest.raises(ValueError, match="^matcher heuristic projects through the links alone: candidates, "
                                         "score_char have no effect on it; leave it out$"):
        default_config("translate-test", matcher="heuristic.v1", candidates="ngrams", score_char=0)
    # None is "not given", as everywhere in default_config
    assert default_config("parallel", matcher="heuristic", candidates=None, score_char=None) == base


def test_ner_candidates_in_a_model_mode_do_not_carry_the_modes_ngram_length():
    """translate-test's default max_len=10 belongs to its ngrams.v1 candidates: with ner.v1 it is left out (the
    config now refuses ner.v1 with a max_len), and a max_len given with ner.v1 is refused."""
    from projection.options import default_config

    assert default_config("translate-test").max_len == 10
    config = default_config("translate-test", candidates="ner")
    assert config.max_len is None and config.candidates == "ner"
    assert "|cand:ner.v1|" in config.signature("simalign.v1").format()
    with pytest.raises(ValueError, match="^ner.v1 candidates are the spans the NER model found, whatever their "
                                         "length: max_len has no effect on them; got max_len=4: pass max_len=None$"):
        default_config("translate-train", candidates="ner.v1", max_len=4)
