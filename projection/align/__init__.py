"""Word aligners: statistical (no download) and neural; all return sorted 0-based ``(i, j)`` links."""

from projection.align.base import ALIGNERS, Aligner, get_aligner

__all__ = ["ALIGNERS", "Aligner", "get_aligner"]
