"""Pairs pickle as constructor calls (the runner's scratch file, worker pools): every field survives."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from projection.types import Alignment, Match, Pair, ProjectedSentence, Sentence, Span


def full_pair() -> Pair:
    src = Sentence(("Angela", "Merkel", "spoke"), ("B-PER", "I-PER", "O"), "s1")
    tgt = Sentence(("Angela", "Merkel", "sprach"), None, "t1")
    projected = ProjectedSentence((Span(0, 2, "PER"),), (Match(0, 0, 2, 1.0),), 1)
    return Pair("p1", src, tgt, backtranslated=Sentence(("Angela", "Merkel"), None, "b1"),
                alignment=Alignment(((0, 0), (1, 1)), ((2, 2),)), target_spans=((0, 2),), projected=projected)  # fmt: skip


@pytest.mark.parametrize("value", [full_pair(), full_pair().source, full_pair().alignment, Pair("x", Sentence(()), Sentence(()))])
def test_pickle_round_trip_keeps_every_field(value):
    back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == value and type(back) is type(value)
    for f in dataclasses.fields(value):
        assert getattr(back, f.name) == getattr(value, f.name)


@pytest.mark.parametrize("cls", [Sentence, Alignment, Pair])
def test_reduce_names_every_field_in_order(cls):
    """A field added to the class must be added to ``__reduce__`` too: the arguments are the constructor's fields, in
    order (a cache such as ``Pair._silver`` is no argument: it is made again from the fields)."""
    value = full_pair() if cls is Pair else full_pair().source if cls is Sentence else full_pair().alignment
    _, args = value.__reduce__()
    assert args == tuple(getattr(value, f.name) for f in dataclasses.fields(cls) if f.init)

