"""Optional heavy dependencies: import them lazily and say which extra installs them."""

from __future__ import annotations

import importlib
from types import ModuleType

# module -> (pip distribution, extra)
_EXTRAS = {
    "eflomal": ("eflomal", "align"),
    "highspy": ("highspy", "ilp"),
    "pulp": ("pulp", "ilp"),
    "torch": ("torch", "neural"),
    "transformers": ("transformers", "neural"),
    "simalign": ("simalign", "dev"),
    "sacremoses": ("sacremoses", "neural"),
    "yaml": ("pyyaml", "hub"),
    "pyarrow": ("pyarrow", "hub"),
    "huggingface_hub": ("huggingface_hub", "hub"),
    "datasets": ("datasets", "hub"),
}


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message gives the pip command."""


def require(module: str, *, purpose: str = "") -> ModuleType:
    """Import ``module`` or raise ``MissingExtraError`` naming ``pip install "silver-ner[<extra>]"``."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        dist, extra = _EXTRAS.get(module, (module, None))
        hint = f'pip install "silver-ner[{extra}]"' if extra else f"pip install {dist}"
        what = f" for {purpose}" if purpose else ""
        raise MissingExtraError(f"{module} is needed{what} but is not installed ({err}); run: {hint}") from err


def require_extra(extra: str, *, purpose: str = "") -> None:
    """Import every module of ``extra`` (e.g. ``hub``), or raise ``MissingExtraError`` for the first one missing."""
    for module, (_, name) in _EXTRAS.items():
        if name == extra:
            require(module, purpose=purpose)
