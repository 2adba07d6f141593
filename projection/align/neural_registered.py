"""Importing this module registers the neural aligners ``simalign.v1`` and ``awesome.v1`` (no torch import)."""

from projection.align import awesome, simalign  # noqa: F401
