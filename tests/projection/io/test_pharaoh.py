"""Pharaoh and TALP alignment files."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.io.pharaoh import (
    GoldAlignment,
    parse_talp,
    read_alignments,
    read_talp,
    write_alignments,
    write_talp,
)
from projection.types import Alignment


def test_pharaoh_round_trip_keeps_empty_lines(tmp_path: Path) -> None:
    alignments = [Alignment.of([(0, 0), (2, 1)]), Alignment(), Alignment.of([(1, 3)])]
    path = tmp_path / "sub" / "links.txt"
    write_alignments(path, alignments)
    assert path.read_text(encoding="utf-8") == "0-0 2-1\n\n1-3\n"
    assert read_alignments(path) == alignments
    assert [p.name for p in path.parent.iterdir()] == ["links.txt"]  # no temporary file left


def test_pharaoh_errors_name_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("0-0\n1-1 2:3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2: .*'2:3'"):
        read_alignments(path)


def test_talp_one_based_sure_and_possible(tmp_path: Path) -> None:
    path = tmp_path / "gold.talp"
    path.write_text("1-1 2p3 3-2 \n\n", encoding="utf-8")
    gold = read_talp(path)
    assert gold[0] == GoldAlignment(Alignment.of([(0, 0), (2, 1)]), Alignment.of([(0, 0), (1, 2), (2, 1)]))
    assert gold[1] == GoldAlignment(Alignment(), Alignment())
    out = tmp_path / "gold0.talp"
    write_talp(out, gold)
    assert out.read_text(encoding="utf-8") == "0-0 1p2 2-1\n\n"
    assert read_talp(out, one_based=False) == gold


def test_talp_errors() -> None:
    with pytest.raises(ValueError, match="g:7: .*'1x2'"):
        parse_talp("1-1 1x2", where="g:7")
    with pytest.raises(ValueError, match="one_based=False"):
        parse_talp("0-1")
    with pytest.raises(ValueError, match="sure ⊆ possible"):
        GoldAlignment(Alignment.of([(0, 0)]), Alignment())
