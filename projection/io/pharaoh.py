"""Reading and writing alignment files.

* Pharaoh: one line per sentence pair, 0-based ``i-j`` links (i: source, j: target); an empty line means
  the pair has no links.
* TALP gold (e.g. the Hansards / RWTH test sets): the same layout but **1-based**, with sure links ``i-j``
  and possible links ``ipj``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

from projection.cache import atomic_write_text
from projection.types import Alignment


@dataclass(frozen=True, slots=True)
class GoldAlignment:
    """Gold links of one sentence pair: ``sure`` ⊆ ``possible`` (both 0-based)."""

    sure: Alignment
    possible: Alignment

    def __post_init__(self) -> None:
        if not set(self.sure.pairs) <= set(self.possible.pairs):
            raise ValueError("GoldAlignment needs sure ⊆ possible; add the sure links to possible")


def read_alignments(path: str | os.PathLike) -> list[Alignment]:
    """One ``Alignment`` per line of a 0-based Pharaoh file; errors name ``path:line``."""
    with open(path, encoding="utf-8") as f:
        return [Alignment.from_pharaoh(line, where=f"{path}:{n}") for n, line in enumerate(f, start=1)]


def write_alignments(path: str | os.PathLike, alignments: Iterable[Alignment]) -> None:
    """Write one Pharaoh line per alignment atomically (temporary file, then ``os.replace``)."""
    atomic_write_text(path, "".join(a.to_pharaoh() + "\n" for a in alignments))


def parse_talp(line: str, *, one_based: bool = True, where: str = "<string>") -> GoldAlignment:
    """Parse ``"1-1 2p3 ..."``: ``i-j`` sure, ``ipj`` possible; the result is 0-based and possible ⊇ sure."""
    sure: list[tuple[int, int]] = []
    possible: list[tuple[int, int]] = []
    offset = 1 if one_based else 0
    for item in line.split():
        sep = "-" if "-" in item else "p"
        left, found, right = item.partition(sep)
        if not found or not left.isdigit() or not right.isdigit():
            raise ValueError(f"{where}: expected gold links like '3-4' (sure) or '3p4' (possible), got {item!r}")
        i, j = int(left) - offset, int(right) - offset
        if i < 0 or j < 0:
            raise ValueError(
                f"{where}: link {item!r} has index 0 but the file is read as 1-based; pass one_based=False"
            )
        (sure if sep == "-" else possible).append((i, j))
    return GoldAlignment(Alignment.of(sure), Alignment.of(sure + possible))


def read_talp(path: str | os.PathLike, *, one_based: bool = True) -> list[GoldAlignment]:
    """Read a TALP gold file (1-based by default) into one ``GoldAlignment`` per line."""
    with open(path, encoding="utf-8") as f:
        return [parse_talp(line, one_based=one_based, where=f"{path}:{n}") for n, line in enumerate(f, start=1)]


def write_talp(path: str | os.PathLike, gold: Iterable[GoldAlignment], *, one_based: bool = False) -> None:
    """Write gold links (``i-j`` sure, ``ipj`` possible-only), 0-based unless ``one_based``."""
    offset = 1 if one_based else 0
    lines = []
    for g in gold:
        sure = set(g.sure.pairs)
        items = [f"{i + offset}{'-' if (i, j) in sure else 'p'}{j + offset}" for i, j in g.possible.pairs]
        lines.append(" ".join(items) + "\n")
    atomic_write_text(path, "".join(lines))
