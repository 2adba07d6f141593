"""The shipped en-fr Hansards gold fixture (tests/data/align, see tests/data/NOTICE)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from projection.align.text import read_bitext
from projection.io.pharaoh import GoldAlignment, read_talp

DATA = Path(__file__).resolve().parents[2] / "data" / "align"


@dataclass(frozen=True)
class GoldSet:
    src: list[list[str]]
    tgt: list[list[str]]
    gold: list[GoldAlignment]


@pytest.fixture(scope="session")
def hansards() -> GoldSet:
    """All 447 WPT-03 en-fr test pairs (tokenised, lowercased) with 0-based sure/possible gold links."""
    pairs = read_bitext(DATA / "hansards-enfr.txt")
    gold = read_talp(DATA / "hansards-enfr.gold", one_based=False)
    return GoldSet([s for s, _ in pairs], [t for _, t in pairs], gold)
