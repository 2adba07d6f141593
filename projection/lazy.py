"""Modules imported on first use, so that importing the library (``silver-ner --help``, ``project`` with given
alignments) does not pay for numpy where no array is ever made: ``np = lazy_module("numpy")``."""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModule(ModuleType):
    def __getattr__(self, attr: str):
        module = importlib.import_module(self.__name__)
        value = getattr(module, attr)
        self.__dict__[attr] = value  # found directly from now on
        return value


def lazy_module(name: str) -> ModuleType:
    """A stand-in for module ``name`` that imports it at its first attribute access."""
    return _LazyModule(name)
