"""silver-ner: projected silver NER data (annotation projection for cross-lingual NER).

The names below are imported on first use (``projection.run`` …), so ``import projection`` and
``silver-ner --help`` stay fast.
"""

from __future__ import annotations

import importlib
import sys
import types

from projection.version import __version__ as __version__

_WHERE = {
    "ProjectionConfig": "projection.config",
    "Scores": "projection.evaluate",
    "evaluate": "projection.evaluate",
    "Corpus": "projection.io.conll",
    "read_conll": "projection.io.conll",
    "read_plain": "projection.io.conll",
    "read_sentences": "projection.io.conll",
    "write_conll": "projection.io.conll_write",
    "ModelSettings": "projection.options",
    "default_config": "projection.options",
    "parallel_plan": "projection.plans",
    "project_corpus": "projection.plans",
    "translate_test_plan": "projection.plans",
    "translate_train_plan": "projection.plans",
    "Run": "projection.runner",
    "RunStats": "projection.runner",
    "run": "projection.runner",
    "Part": "projection.signature",
    "Signature": "projection.signature",
    "bio_to_spans": "projection.tags",
    "repair_iob2": "projection.tags",
    "spans_to_bio": "projection.tags",
    "Alignment": "projection.types",
    "Match": "projection.types",
    "Pair": "projection.types",
    "ProjectedSentence": "projection.types",
    "ProjectionInput": "projection.types",
    "Sentence": "projection.types",
    "Span": "projection.types",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'projection' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


class _Package(types.ModuleType):
    """Keeps an exported name that is also a submodule's (``evaluate``) the exported function: importing the
    submodule ``projection.evaluate`` (``from projection import Scores`` does, as does ``projection.demo``) would
    otherwise bind the module over it, and ``from projection import evaluate`` then gave the module. The price: the
    attribute ``projection.evaluate`` is the function, so ``import projection.evaluate as ev`` gives the function too
    (Python reads that spelling through the attribute); the module's names are imported as
    ``from projection.evaluate import Scores``, as everywhere in the package."""

    def __setattr__(self, name: str, value) -> None:
        if name in _WHERE and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}":
            return  # the submodule stays in sys.modules (``from projection.evaluate import …`` still works)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
