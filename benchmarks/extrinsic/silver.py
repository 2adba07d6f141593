"""Silver training sets for the extrinsic benchmark: English gold (MISC as O) projected onto T-Projection's
target sentences, one set per method, cached as JSON under ``--cache`` so that reruns are cheap.

The alignment is computed once per language by the default aligner (eflomal, trained on the ~14k
sentence pairs themselves) and cached by silver-ner's alignment cache; every method reuses it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from data import Pairing, english_train, pair_sentences, tprojection_train

from projection import ProjectionConfig, project_corpus
from projection.cache import atomic_write_text
from projection.runner import Run as ProjectionRun
from projection.types import Sentence


@dataclass(frozen=True)
class Bitext:
    """The paired sentences of one language: English gold, target tokens and T-Projection's tags."""

    lang: str
    english: tuple[Sentence, ...]
    target: tuple[Sentence, ...]  # T-Projection's tokens and labels
    pairing: Pairing


def load_bitext(root: Path, lang: str, english: list[Sentence] | None = None) -> Bitext:
    english = english if english is not None else english_train(root)
    target = tprojection_train(root, lang)
    pairing = pair_sentences(english, target)
    return Bitext(
        lang,
        tuple(english[i] for i, _ in pairing.pairs),
        tuple(target[j] for _, j in pairing.pairs),
        pairing,
    )


def default_run(bitext: Bitext, cache: Path, config: ProjectionConfig | None = None, extra=()) -> ProjectionRun:
    """``project_corpus`` on the pairs (alignments cached under ``cache/alignments``: the one cache ``Store``
    puts its ``alignments`` kind under the root it is given); ``extra``: more aligner training text."""
    return project_corpus(
        list(bitext.english),
        [t.tokens for t in bitext.target],
        config if config is not None else ProjectionConfig(),
        extra=extra,
        cache_dir=cache,
        progress=False,
    )


Method = Callable[[Bitext, Path], list[tuple[str, ...]]]


def cached_tags(name: str, method: Method, bitext: Bitext, cache: Path) -> tuple[list[tuple[str, ...]], dict]:
    """Silver tags of ``method`` for ``bitext`` (from ``cache/silver/<lang>.<name>.json`` when there)."""
    path = cache / "silver" / f"{bitext.lang}.{name.replace('/', '_')}.json"
    if path.exists():
        saved = json.loads(path.read_text())
        if saved["n"] == len(bitext.target):
            return [tuple(t) for t in saved["tags"]], saved["info"]
    t0 = time.perf_counter()
    tags = method(bitext, cache)
    info = {"seconds": round(time.perf_counter() - t0, 2)}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps({"n": len(tags), "tags": [list(t) for t in tags], "info": info}))
    return [tuple(t) for t in tags], info
