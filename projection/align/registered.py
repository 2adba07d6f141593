"""Importing this module registers every built-in aligner (heavy imports stay inside each factory)."""

from projection.align import eflomal, fixed, ibm, neural_registered  # noqa: F401
