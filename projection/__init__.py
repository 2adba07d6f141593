"""silver-ner: projected silver NER data (annotation projection for cross-lingual NER).

The names below are imported on first use (``projection.run`` …), so ``import projection`` and
``silver-ner --help`` stay fast.
"""

from __future__ import annotations

import importlib
import sys

# not `import types`: importing the submodule projection.types rebinds the package's global `types` to it (found in
# review: _Package.__setattr__ then raised AttributeError, which importlib turns into "ImportWarning: Cannot set an
# attribute on 'projection' for child module 'evaluate'", an error under `python -W error` or pytest's
# filterwarnings = error, for `from projection import Scores`)
from types import ModuleType as _ModuleType
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:  # what type checkers and IDEs see (py.typed): __getattr__ imports the names on first use
    # found in review: without these, every name imported from projection was Any to mypy and pyright
    from projection.config import ProjectionConfig as ProjectionConfig
    from projection.evaluate import Scores as Scores
    from projection.evaluate import evaluate as evaluate
    from projection.io.conll import Corpus as Corpus
    from projection.io.conll import read_conll as read_conll
    from projection.io.conll import read_plain as read_plain
    from projection.io.conll import read_sentences as read_sentences
    from projection.io.conll_write import write_conll as write_conll
    from projection.options import ModelSettings as ModelSettings
    from projection.options import default_config as default_config
    from projection.plans import parallel_plan as parallel_plan
    from projection.plans import project_corpus as project_corpus
    from projection.plans import translate_test_plan as translate_test_plan
    from projection.plans import translate_train_plan as translate_train_plan
    from projection.runner import Run as Run
    from projection.runner import RunStats as RunStats
    from projection.runner import run as run
    from projection.signature import Part as Part
    from projection.signature import Signature as Signature
    from projection.tags import bio_to_spans as bio_to_spans
    from projection.tags import repair_iob2 as repair_iob2
    from projection.tags import spans_to_bio as spans_to_bio
    from projection.types import Alignment as Alignment
    from projection.types import Match as Match
    from projection.types import Pair as Pair
    from projection.types import ProjectedSentence as ProjectedSentence
    from projection.types import ProjectionInput as ProjectionInput
    from projection.types import Sentence as Sentence
    from projection.types import Span as Span

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


class _Package(_ModuleType):
    """Keeps an exported name that is also a submodule's (``evaluate``) the exported function: importing the
    submodule ``projection.evaluate`` (``from projection import Scores`` does, as does ``projection.demo``) would
    otherwise bind the module over it, and ``from projection import evaluate`` then gave the module. The price: the
    attribute ``projection.evaluate`` is the function, so ``import projection.evaluate as ev`` gives the function too
    (Python reads that spelling through the attribute); the module's names are imported as
    ``from projection.evaluate import Scores``, as everywhere in the package."""

    def __setattr__(self, name: str, value) -> None:
        if name in _WHERE and isinstance(value, _ModuleType) and value.__name__ == f"{__name__}.{name}":
            return  # the submodule stays in sys.modules (``from projection.evaluate import …`` still works)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
