"""Importing this module registers every built-in matcher."""

from projection.match import exact, greedy, ilp  # noqa: F401
