"""The embedded default job: project the English gold labels of Europarl-NER onto de/es/it.

Europarl-NER (Agerri et al. 2018): 799 sentences of the Europarl corpus annotated with PER/ORG/LOC/MISC
in English, German, Spanish and Italian, sentence-aligned across the four files. It ships as package
data (``projection/data/europarl``), so this job runs offline on a fresh machine.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from projection.config import ProjectionConfig
from projection.conll import Corpus, read_conll
from projection.evaluate import Scores, evaluate
from projection.pipeline import ProjectionRun, project_corpus

EUROPARL_LANGS = ("en", "de", "es", "it")
#: NTREX-128 files shipped for the aligner's extra training text (CC BY-SA 4.0, see data/ntrex/NOTICE)
NTREX_FILES = {"en": "eng", "de": "deu", "es": "spa", "it": "ita"}
NTREX_CITATION = (
    "Christian Federmann, Tom Kocmi, Ying Xin. 2022. NTREX-128 - News Test References for MT Evaluation of "
    "128 Languages. SUMEval 2022."
)
EUROPARL_CITATION = (
    "Rodrigo Agerri, Yiling Chung, Itziar Aldabe, Nora Aranberri, Gorka Labaka, German Rigau. 2018. "
    "Building Named Entity Recognition Taggers via Parallel Corpora. LREC 2018."
)


def europarl(lang: str) -> Corpus:
    """The embedded Europarl-NER file of ``lang`` (en, de, es, it)."""
    if lang not in EUROPARL_LANGS:
        raise ValueError(f"Europarl-NER has no language {lang!r}; valid: {', '.join(EUROPARL_LANGS)}")
    with resources.as_file(resources.files("projection") / "data" / "europarl" / f"{lang}.conll") as path:
        return read_conll(path)


@lru_cache(maxsize=8)
def ntrex_bitext(lang: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """English–``lang`` NTREX-128 sentence pairs (1,997), tokenised for the aligner; empty for a language
    the package does not ship (only de, es, it)."""
    from projection.align.text import tokenize

    if lang not in NTREX_FILES or lang == "en":
        return ()
    base = resources.files("projection") / "data" / "ntrex"
    eng = (base / "eng.txt").read_text(encoding="utf-8").splitlines()
    tgt = (base / f"{NTREX_FILES[lang]}.txt").read_text(encoding="utf-8").splitlines()
    if len(eng) != len(tgt):
        raise ValueError(f"NTREX-128 package data: {len(eng)} English lines but {len(tgt)} {lang} lines")
    return tuple((tuple(tokenize(a)), tuple(tokenize(b))) for a, b in zip(eng, tgt) if a.strip() and b.strip())


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
