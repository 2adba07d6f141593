"""Symmetrising two directional alignments into one (all links in (source, target) orientation).

``fwd`` and ``rev`` are the two directional Viterbi alignments of one sentence pair, both already
expressed as ``(i, j)`` = (source word, target word). The heuristics are the usual ones from phrase-based
MT (Och & Ney 2003; Koehn et al. 2003): intersection (precise), union (high recall) and
grow-diag-final-and (in between). ``soft`` keeps both kinds of evidence: the intersection as sure links
and the rest of the union as possible links (``Alignment.possible``), which scores may weight less.
"""

from __future__ import annotations

from typing import Callable

from projection.types import Alignment

# the 8 neighbours of a cell: left, right, up, down and the 4 diagonals
_NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def intersection(fwd: Alignment, rev: Alignment) -> Alignment:
    """Links present in both directions."""
    return Alignment.of(set(fwd.pairs) & set(rev.pairs))


def union(fwd: Alignment, rev: Alignment) -> Alignment:
    """Links present in either direction."""
    return Alignment.of(set(fwd.pairs) | set(rev.pairs))


def grow_diag_final_and(fwd: Alignment, rev: Alignment, n_src: int, n_tgt: int) -> Alignment:
    """Koehn's grow-diag-final-and.

    1. Start from the intersection.
    2. grow-diag: scan the current links in (i, j) order; add any union link among the 8 neighbours of a
       current link whose source word or target word is still unaligned; repeat until nothing is added.
    3. final-and: for ``fwd`` then ``rev``, add each of its links whose source word and target word are
       both still unaligned.
    """
    for a, name in ((fwd, "fwd"), (rev, "rev")):
        a.check_bounds(n_src, n_tgt, where=f"grow_diag_final_and({name})")
    both = set(fwd.pairs) | set(rev.pairs)
    links = set(fwd.pairs) & set(rev.pairs)
    src_aligned = {i for i, _ in links}
    tgt_aligned = {j for _, j in links}

    def add(i: int, j: int) -> None:
        links.add((i, j))
        src_aligned.add(i)
        tgt_aligned.add(j)

    grown = True
    while grown:
        grown = False
        for i in range(n_src):
            for j in range(n_tgt):
                if (i, j) not in links:
                    continue
                for di, dj in _NEIGHBOURS:
                    cell = (i + di, j + dj)
                    if cell in both and cell not in links and (
                        cell[0] not in src_aligned or cell[1] not in tgt_aligned
                    ):
                        add(*cell)
                        grown = True
    for direction in (fwd, rev):
        for i, j in direction.pairs:
            if i not in src_aligned and j not in tgt_aligned:
                add(i, j)
    return Alignment.of(links)


def soft(fwd: Alignment, rev: Alignment) -> Alignment:
    """Links of both directions as sure links; links of one direction only as possible links."""
    f, r = set(fwd.pairs), set(rev.pairs)
    return Alignment.of(f & r, f ^ r)


#: canonical names accepted by the aligners' ``symmetrize`` option
SYMMETRIZATIONS: tuple[str, ...] = ("intersection", "union", "grow-diag-final-and", "soft")
_ALIASES = {"intersect": "intersection", "gdfa": "grow-diag-final-and", "grow_diag_final_and": "grow-diag-final-and"}


def check_symmetrization(name: str) -> str:
    """The canonical name for ``name`` (aliases: intersect, gdfa); raise listing the valid ones."""
    full = _ALIASES.get(name, name)
    if full not in SYMMETRIZATIONS:
        raise ValueError(f"unknown symmetrization {name!r}; use one of: {', '.join(SYMMETRIZATIONS)}")
    return full


def symmetrize(name: str, fwd: Alignment, rev: Alignment, n_src: int, n_tgt: int) -> Alignment:
    """Apply the heuristic called ``name`` (see ``SYMMETRIZATIONS``)."""
    full = check_symmetrization(name)
    if full == "grow-diag-final-and":
        return grow_diag_final_and(fwd, rev, n_src, n_tgt)
    heuristics: dict[str, Callable[[Alignment, Alignment], Alignment]] = {
        "intersection": intersection,
        "union": union,
        "soft": soft,
    }
    return heuristics[full](fwd, rev)
