"""The embedded default job: project the English gold labels of Europarl-NER onto de/es/it.

Europarl-NER (Agerri et al. 2018): 799 sentences of the Europarl corpus annotated with PER/ORG/LOC/MISC
in English, German, Spanish and Italian, sentence-aligned across the four files. It ships as package
data (``projection/data/europarl``), so this job runs offline on a fresh machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Sequence

from projection.config import ProjectionConfig
from projection.evaluate import Scores, evaluate
from projection.io.package_data import EUROPARL_LANGS, europarl
from projection.options import ModelSettings, check_labels_present, default_config
from projection.plans import default_extra, parallel_plan
from projection.runner import Run, run
from projection.signature import Part

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoResult:
    lang: str
    scores: Scores
    run: Run


def run_demo(
    langs: Sequence[str] = ("de", "es", "it"),
    config: ProjectionConfig | Callable[[str], ProjectionConfig] | None = None,
    *,
    use_cache: bool = True,
    progress: bool = True,
    extra_text: bool = True,
    models: ModelSettings | None = None,
) -> list[DemoResult]:
    """Project English gold onto each language and score against that language's gold (4 classes, less the
    config's ``drop_labels``).

    ``config``: one method for every language, or a function of the language (``None``: each language's
    default, ``default_config("parallel", lang)``). A statistical aligner also trains on the shipped NTREX-128
    English–target news sentences (``extra_text=False`` turns that off). ``models``: the encoder and device of a
    neural aligner."""
    targets = [x for x in EUROPARL_LANGS if x != "en"]
    for lang in langs:  # every check before any language is projected
        if lang == "en":
            raise ValueError(f"the demo projects English onto another language: choose from {', '.join(targets)}")
        if lang not in targets:
            raise ValueError(f"Europarl-NER has no language {lang!r}; the demo projects onto {', '.join(targets)}")
    source = europarl("en")
    configs = [(lang, _config_for(config, lang)) for lang in langs]
    types = sorted({sp.label for s in source.sentences for sp in s.spans})
    for _, each in configs:  # a typo would drop nothing
        check_labels_present("--drop-label", each.drop_labels, types, "Europarl-NER's English")
    out = []
    for lang, lang_config in configs:
        target = europarl(lang)
        extra = default_extra(lang, lang_config) if extra_text else ()
        plan = parallel_plan(source.sentences, target.sentences, lang_config, extra=extra,
                             data=Part.of("europarl-ner", lang=lang), use_cache=use_cache, models=models)  # fmt: skip
        result = run(plan.source, plan.stages, progress=progress, desc=f"projecting {lang}")
        scores = evaluate([t.tags for t in target.sentences], result.tags, ignore=lang_config.drop_labels,
                          projection_rate=result.stats.projection_rate)  # dropped types: not projected, not scored
        for note in scores.notes():  # once per language at its end, as project and translate-test say them
            logger.warning("%s: %s", lang, note)
        out.append(DemoResult(lang, scores, result))
    return out


def _config_for(config: ProjectionConfig | Callable[[str], ProjectionConfig] | None, lang: str) -> ProjectionConfig:
    if config is None:
        return default_config("parallel", lang)
    return config if isinstance(config, ProjectionConfig) else config(lang)


def format_table(results: Sequence[DemoResult]) -> str:
    lines = [f"{'lang':<6}{'sents':>6}{'P':>8}{'R':>8}{'F1':>8}{'proj.':>8}{'align s':>9}{'proj. s':>9}"]
    for r in results:
        s = r.scores
        lines.append(
            f"{r.lang:<6}{s.sentences:>6}{100 * s.precision:>8.2f}{100 * s.recall:>8.2f}{100 * s.f1:>8.2f}"
            f"{100 * r.run.stats.projection_rate:>8.1f}{r.run.stats.second('align'):>9.2f}"
            f"{r.run.stats.second('project'):>9.3f}"
        )
    if len(results) > 1:
        n = len(results)
        avg = [sum(getattr(r.scores, k) for r in results) / n for k in ("precision", "recall", "f1")]
        lines.append(f"{'avg':<6}{'':>6}{100 * avg[0]:>8.2f}{100 * avg[1]:>8.2f}{100 * avg[2]:>8.2f}")
    return "\n".join(lines)
