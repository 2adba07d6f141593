"""Importing this module registers every built-in aligner (heavy imports stay inside each factory)."""

from projection.align import eflomal, fastalign, fixed, neural_registered  # noqa: F401
