"""``heuristic.v1``: the word-alignment heuristic of García-Ferrero et al. (2022), as the paper
re-implemented it, with its quirks fixed.

Per source entity: the target words aligned to any of its words form maximal runs of consecutive
positions; runs separated by at most ``merge_distance`` unaligned words are merged; a run is kept when
``len(run) / len(entity) > ratio``. Every kept run is a projection of the entity (no top-k, as the
paper's code).

Fixed quirks: (1) the original merge could shrink a range when the next one was contained in it; here
a merge keeps the furthest end. (2) the original let a later entity overwrite an earlier one's labels;
here colliding runs are resolved deterministically: runs are taken by the number of alignment links
into them (most first), then length (longest first), then entity order, then position, and a run that
overlaps an already taken one is dropped.
"""

from __future__ import annotations

from typing import Sequence


def aligned_runs(js: Sequence[int], merge_distance: int = 1) -> list[tuple[int, int]]:
    """Maximal runs ``[a, b)`` of the target positions ``js``, merged across gaps ≤ merge_distance."""
    runs: list[list[int]] = []
    for j in sorted(set(js)):
        if runs and j - runs[-1][1] <= merge_distance:
            runs[-1][1] = max(runs[-1][1], j + 1)
        else:
            runs.append([j, j + 1])
    return [(a, b) for a, b in runs]


def heuristic_project(
    targets: Sequence[Sequence[int]],
    entity_lengths: Sequence[int],
    merge_distance: int = 1,
    ratio: float = 0.8,
) -> list[tuple[int, int, int, int]]:
    """Kept runs as ``(entity, start, end, links)``, collisions resolved, sorted by start."""
    runs = []
    for e, (js, n) in enumerate(zip(targets, entity_lengths)):
        for a, b in aligned_runs(js, merge_distance):
            if (b - a) / n > ratio:
                links = sum(1 for j in js if a <= j < b)
                runs.append((e, a, b, links))
    runs.sort(key=lambda r: (-r[3], -(r[2] - r[1]), r[0], r[1]))
    occupied = 0
    kept = []
    for e, a, b, links in runs:
        mask = (1 << b) - (1 << a)
        if occupied & mask:
            continue
        occupied |= mask
        kept.append((e, a, b, links))
    kept.sort(key=lambda r: r[1])
    return kept
