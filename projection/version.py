"""Single source of the package version (also the last field of every signature)."""

__version__ = "0.6.6"
