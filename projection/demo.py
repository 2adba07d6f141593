"""The embedded default job: project the English gold labels of Europarl-NER onto de/es/it.

Europarl-NER (Agerri et al. 2018): 799 sentences of the Europarl corpus annotated with PER/ORG/LOC/MISC
in English, German, Spanish and Italian, sentence-aligned across the four files. It ships as package
data (``projection/data/europarl``), so this job runs offline on a fresh machine.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Sequence

from projection.config import ProjectionConfig
from projection.io.package_data import EUROPARL_CITATION, NTREX_CITATION, europarl, ntrex_bitext  # noqa: F401
from projection.evaluate import Scores, evaluate
from projection.pipeline import ProjectionRun, project_corpus


def aligner_takes_extra(config: ProjectionConfig) -> bool:
    """Whether the configured aligner trains on extra parallel text (statistical aligners do)."""
    from projection.align.base import ALIGNERS
    import projection.align.registered  # noqa: F401

    return "extra" in inspect.signature(ALIGNERS.get(config.aligner)).parameters


def default_extra(lang: str, config: ProjectionConfig) -> tuple:
    """The extra aligner training text the embedded jobs use: NTREX-128 English–``lang`` when the aligner
    learns from text, nothing otherwise."""
    return ntrex_bitext(lang) if aligner_takes_extra(config) else ()


@dataclass(frozen=True)
class DemoResult:
    lang: str
    scores: Scores
    run: ProjectionRun


def run_demo(
    langs: Sequence[str] = ("de", "es", "it"),
    config: ProjectionConfig | None = None,
    *,
    use_cache: bool = True,
    progress: bool = True,
    extra_text: bool = True,
) -> list[DemoResult]:
    """Project English gold onto each language and score against that language's gold (4 classes).

    A statistical aligner also trains on the shipped NTREX-128 English–target news sentences
    (``extra_text=False`` turns that off)."""
    config = config if config is not None else ProjectionConfig()
    source = europarl("en")
    out = []
    for lang in langs:
        if lang == "en":
            raise ValueError("the demo projects English onto another language: choose from de, es, it")
        target = europarl(lang)
        extra = default_extra(lang, config) if extra_text else ()
        run = project_corpus(
            list(source.sentences),
            [t.tokens for t in target.sentences],
            config,
            extra=extra,
            use_cache=use_cache,
            progress=progress,
        )
        scores = evaluate([t.tags for t in target.sentences], run.tags, projection_rate=run.stats.projection_rate)
        out.append(DemoResult(lang, scores, run))
    return out


def format_table(results: Sequence[DemoResult]) -> str:
    lines = [f"{'lang':<6}{'sents':>6}{'P':>8}{'R':>8}{'F1':>8}{'proj.':>8}{'align s':>9}{'proj. s':>9}"]
    for r in results:
        s = r.scores
        lines.append(
            f"{r.lang:<6}{s.sentences:>6}{100 * s.precision:>8.2f}{100 * s.recall:>8.2f}{100 * s.f1:>8.2f}"
            f"{100 * r.run.stats.projection_rate:>8.1f}{r.run.align_seconds:>9.2f}{r.run.project_seconds:>9.3f}"
        )
    if len(results) > 1:
        n = len(results)
        avg = [sum(getattr(r.scores, k) for r in results) / n for k in ("precision", "recall", "f1")]
        lines.append(f"{'avg':<6}{'':>6}{100 * avg[0]:>8.2f}{100 * avg[1]:>8.2f}{100 * avg[2]:>8.2f}")
    return "\n".join(lines)
