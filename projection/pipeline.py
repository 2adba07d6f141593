"""Project a whole corpus: align (or reuse alignments), project every sentence, collect statistics.

This is the one orchestration entry point that the CLI, the datasets builder and the benchmarks share.
Stages stay pure; this module owns the alignment cache and the progress bar.
"""

from __future__ import annotations

import inspect
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from projection.config import ProjectionConfig
from projection.tags import LabelMap
from projection.types import Alignment, ProjectedSentence, ProjectionInput, Sentence

logger = logging.getLogger(__name__)

Tokens = Sequence[str]


@dataclass(frozen=True)
class ProjectionStats:
    sentences: int
    source_entities: int
    projected_entities: int

    @property
    def projection_rate(self) -> float:
        """Share of source entities that received a target span."""
        return self.projected_entities / self.source_entities if self.source_entities else 1.0


@dataclass(frozen=True)
class ProjectionRun:
    """Result of ``project_corpus``: silver tags per target sentence, and how they were made."""

    tags: tuple[tuple[str, ...], ...]
    projected: tuple[ProjectedSentence, ...]
    alignments: tuple[Alignment, ...]
    signature: str
    stats: ProjectionStats
    align_seconds: float
    project_seconds: float


def _progress(iterable, total: int, desc: str, enabled: bool):
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a core dependency
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="sent", leave=False)


def align_corpus(
    config: ProjectionConfig,
    src: Sequence[Tokens],
    tgt: Sequence[Tokens],
    *,
    extra: Sequence[tuple[Tokens, Tokens]] = (),
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    aligner=None,
) -> tuple[list[Alignment], str]:
    """Alignments for every pair and the aligner's signature; reuses cached links for the same inputs
    and aligner settings (this is what makes a sampling aligner's output reproducible)."""
    if aligner is None:
        kwargs = {}
        if extra:
            params = inspect.signature(_aligner_class(config.aligner)).parameters
            if "extra" not in params:
                raise ValueError(f"aligner {config.aligner} does not train on extra parallel text (--align-corpus)")
            kwargs["extra"] = [(tuple(s), tuple(t)) for s, t in extra]
        aligner = config.build_aligner(**kwargs)
    signature = aligner.signature()
    if not use_cache:
        return aligner.align(src, tgt), signature
    from projection.align.cache import AlignmentCache, align_cached

    cache = AlignmentCache(cache_dir) if cache_dir is not None else AlignmentCache()
    return align_cached(aligner, src, tgt, cache), signature


def _aligner_class(name: str):
    from projection.align.base import ALIGNERS
    import projection.align.registered  # noqa: F401

    return ALIGNERS.get(name)


def project_corpus(
    sources: Sequence[Sentence],
    targets: Sequence[Tokens],
    config: ProjectionConfig | None = None,
    *,
    alignments: Sequence[Alignment] | None = None,
    aligner_signature: str | None = None,
    extra: Sequence[tuple[Tokens, Tokens]] = (),
    target_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool = True,
) -> ProjectionRun:
    """Project the gold spans of ``sources`` onto ``targets`` (token lists of the same length).

    ``alignments`` given: they are used as they are (``aligner_signature`` names where they came from).
    """
    config = config if config is not None else ProjectionConfig()
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} source sentences but {len(targets)} target sentences")
    if target_spans is not None and len(target_spans) != len(targets):
        raise ValueError(f"{len(target_spans)} target span lists for {len(targets)} target sentences")
    drop = LabelMap(frozenset(config.drop_labels))
    if config.drop_labels:
        sources = [Sentence(s.tokens, tuple(drop.apply(s.tags or ["O"] * len(s))), s.id) for s in sources]
    t0 = time.perf_counter()
    if alignments is None:
        alignments, aligner_signature = align_corpus(
            config, [s.tokens for s in sources], targets, extra=extra, cache_dir=cache_dir, use_cache=use_cache
        )
    else:
        if len(alignments) != len(sources):
            raise ValueError(f"{len(alignments)} alignments for {len(sources)} sentence pairs")
        for k, (s, t, a) in enumerate(zip(sources, targets, alignments)):
            a.check_bounds(len(s), len(t), where=f"alignment {k + 1}")
        if aligner_signature is None:
            from projection.align.fixed import FixedAligner

            aligner_signature = FixedAligner(alignments).signature()
    t1 = time.perf_counter()
    method = config.build_method()
    projected: list[ProjectedSentence] = []
    tags: list[tuple[str, ...]] = []
    n_src = n_proj = 0
    items = zip(sources, targets, alignments)
    for k, (src, tgt, al) in enumerate(_progress(items, len(sources), "projecting", progress)):
        spans = tuple(map(tuple, target_spans[k])) if target_spans is not None else None
        result = method.project(ProjectionInput(src, tuple(tgt), al, spans))
        projected.append(result)
        tags.append(tuple(result.tags(len(tgt))))
        n_src += result.n_source_entities
        n_proj += len({m.entity for m in result.matches})
    t2 = time.perf_counter()
    return ProjectionRun(
        tuple(tags),
        tuple(projected),
        tuple(alignments),
        config.signature(aligner_signature),
        ProjectionStats(len(sources), n_src, n_proj),
        t1 - t0,
        t2 - t1,
    )
