"""The neural modes, as the CLI and the datasets builder call them.

- ``translate_test``: target sentence -> English (MT) -> English NER -> project back onto the gold target
  tokens (tokens unchanged). Alignment is English translation (source) ↔ original tokens (target).
- ``translate_train``: English gold sentence -> target language (MT) -> project the gold labels onto the
  translation's words: the silver training set.
- ``back_translation``: the labelled English is turned into a labelled target-language sentence with
  markers (``backtrans.py``), which becomes the projection source (same-language alignment).

MISC: ``drop_misc="after"`` (the paper's code) keeps MISC entities while matching and maps MISC to O in the
output; ``"before"`` removes them from the source first (the thesis), so they cannot take target spans.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Sequence

from projection.config import ProjectionConfig
from projection.neural.encoder import DEFAULT_ALIGN_MODEL
from projection.neural.ner import DEFAULT_NER_MODEL
from projection.neural.translate import DEFAULT_MT_MODEL
from projection.neural.backtrans import DEFAULT_BT_MODEL, DEFAULT_BT_TOKENIZER
from projection.signature import format_signature, parse_signature
from projection.tags import LabelMap
from projection.types import Alignment, Sentence

logger = logging.getLogger(__name__)

NEURAL_ALIGNERS = ("simalign", "awesome")


@dataclass(frozen=True)
class NeuralSettings:
    """Models and runtime options of the neural modes (``device``/``batch_size``/``cache_dir`` do not change
    results and are left out of the signature)."""

    mt_model: str = DEFAULT_MT_MODEL
    ner_model: str = DEFAULT_NER_MODEL
    align_model: str = DEFAULT_ALIGN_MODEL
    back_translation: bool = False
    bt_model: str = DEFAULT_BT_MODEL
    bt_tokenizer: str | None = DEFAULT_BT_TOKENIZER
    device: str | None = None
    batch_size: int = 16
    cache_dir: str | None = None
    drop_misc: str = "after"
    translations_file: str | None = None
    mt_lang_code: str | None = None
    num_beams: int | None = None

    def __post_init__(self) -> None:
        if self.drop_misc not in ("before", "after"):
            raise ValueError(f"drop_misc must be 'before' or 'after', got {self.drop_misc!r}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be ≥ 1, got {self.batch_size}")

    def signature(self) -> str:
        from projection.neural.hub import model_identity

        mt = f"file:{self.translations_file}" if self.translations_file else model_identity(self.mt_model)
        return format_signature({
            "mt": mt + (f"(beams={self.num_beams})" if self.num_beams else ""),
            "ner": model_identity(self.ner_model),
            "bt": model_identity(self.bt_model) if self.back_translation else None,
            "misc": f"drop-{self.drop_misc}",
        })


@dataclass(frozen=True)
class NeuralRun:
    target_tokens: tuple[tuple[str, ...], ...]
    silver_tags: tuple[tuple[str, ...], ...]
    source_tokens: tuple[tuple[str, ...], ...]  # English (translation or gold)
    source_tags: tuple[tuple[str, ...], ...]
    alignments: tuple[Alignment, ...]
    signature: str
    seconds: float
    counts: tuple[tuple[str, int], ...] = field(default=())  # e.g. (("split_long", 2), ("bt_lost", 3))
    projection_rate: float = 0.0


def check_models(settings: NeuralSettings, config: ProjectionConfig, *, mode: str = "translate-test") -> None:
    """Fail fast (before loading data) when a model cannot be had or a setting is impossible."""
    from projection.neural.hub import check_model

    if not settings.translations_file:
        check_model(settings.mt_model, role="translation", option="--mt-model")
    check_model(settings.ner_model, role="NER", option="--ner-model")
    if settings.back_translation:
        check_model(settings.bt_model, role="back-translation", option="--bt-model")
        if settings.bt_tokenizer:
            check_model(settings.bt_tokenizer, role="back-translation tokenizer", option="--bt-tokenizer")
    config = with_align_model(config, settings)
    if config.aligner.split(".")[0] in NEURAL_ALIGNERS:
        check_model(dict(config.aligner_options)["model"], role="alignment", option="--align-model")


def _cache_paths(settings: NeuralSettings):
    from pathlib import Path

    from projection.neural.cache import TranslationCache, default_cache_dir

    root = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    return TranslationCache(root / "translations"), root / "alignments"


def _translator(settings: NeuralSettings, lang: str, cache, progress: bool, *, bt: bool = False):
    from projection.neural.translate import Translator

    codes = ((lang, settings.mt_lang_code),) if settings.mt_lang_code else ()
    if bt:
        return Translator(settings.bt_model, tokenizer=settings.bt_tokenizer, device=settings.device,
                          batch_size=settings.batch_size, num_beams=settings.num_beams, cache=cache, lang_codes=codes,
                          option="--bt-model", role="back-translation", progress=progress)
    return Translator(settings.mt_model, device=settings.device, batch_size=settings.batch_size,
                      num_beams=settings.num_beams, cache=cache, lang_codes=codes, progress=progress)


def _read_translations(path: str, n: int) -> list[str]:
    from pathlib import Path

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if len(lines) != n:
        raise ValueError(f"{path}: {len(lines)} lines but {n} sentences to translate; give one translation per "
                         f"sentence, in order (with the same --limit)")
    return lines


def with_align_model(config: ProjectionConfig, settings: NeuralSettings) -> ProjectionConfig:
    import projection.align.neural_registered  # noqa: F401

    if config.aligner.split(".")[0] not in NEURAL_ALIGNERS:
        return config
    options = dict(config.aligner_options)
    options.setdefault("model", settings.align_model)
    if settings.device:
        options.setdefault("device", settings.device)
    return replace(config, aligner_options=tuple(options.items()))


class _Stages:
    """Builds every stage up front, so that a missing model or a bad layer fails before any work."""

    def __init__(self, lang: str, settings: NeuralSettings, config: ProjectionConfig, progress: bool, n: int,
                 needs_mt: bool) -> None:
        from projection.neural.ner import WordNer

        self.config = with_align_model(config, settings)
        self.cache, self.align_cache = _cache_paths(settings)
        self.translations = _read_translations(settings.translations_file, n) if settings.translations_file else None
        self.mt = None
        if needs_mt and self.translations is None:
            self.mt = _translator(settings, lang, self.cache, progress)
            self.mt.check_language(lang)
        self.bt = _translator(settings, lang, self.cache, progress, bt=True) if settings.back_translation else None
        if self.bt is not None:
            self.bt.check_language(lang)
        self.ner = WordNer(settings.ner_model, device=settings.device, batch_size=settings.batch_size,
                           progress=progress)
        self.aligner = self.config.build_aligner()
        if hasattr(self.aligner, "validate"):
            self.aligner.validate()
        self.progress = progress
        self.bt_counts: dict[str, int] = {}


def _project(stages: _Stages, sources: list[Sentence], targets: list[tuple[str, ...]], settings: NeuralSettings):
    """Project non-empty pairs; pairs with an empty side get all-O tags."""
    import importlib.util

    from projection.pipeline import align_corpus, project_corpus

    keep = [k for k, (s, t) in enumerate(zip(sources, targets)) if s.tokens and t]
    src = _drop(settings, [sources[k] for k in keep])
    tgt = [targets[k] for k in keep]
    spans = None
    if stages.config.candidates.startswith("ner") and not stages.config.is_heuristic:
        from projection.tags import bio_to_spans

        spans = [[(sp.start, sp.end) for sp in bio_to_spans(tags)] for tags in stages.ner.predict(tgt)]
    use_cache = importlib.util.find_spec("projection.align.cache") is not None
    alignments, aligner_sig = align_corpus(stages.config, [s.tokens for s in src], tgt, aligner=stages.aligner,
                                           cache_dir=stages.align_cache, use_cache=use_cache)
    run = project_corpus(src, tgt, stages.config, alignments=alignments, aligner_signature=aligner_sig,
                         target_spans=spans, progress=stages.progress)
    misc = LabelMap(frozenset({"MISC"}))
    tags = [tuple(["O"] * len(t)) for t in targets]
    aligned = [Alignment()] * len(targets)
    for k, t, a in zip(keep, run.tags, run.alignments):
        tags[k], aligned[k] = tuple(misc.apply(t)), a
    return tuple(tags), tuple(aligned), run


def _signature(mode: str, settings: NeuralSettings, run_signature: str) -> str:
    parts = {"mode": mode, **{k: v for k, v in parse_signature(settings.signature()).items() if k != "version"}}
    parts.update({k: v for k, v in parse_signature(run_signature).items() if k != "version"})
    return format_signature(parts)


def translate_test(sentences: list[Sentence], lang: str, settings: NeuralSettings, config: ProjectionConfig,
                   *, progress: bool = True) -> NeuralRun:
    """Label gold target sentences by translating them to English and projecting English NER back."""
    from projection.neural.text import detokenize, english_words

    t0 = time.perf_counter()
    stages = _Stages(lang, settings, config, progress, len(sentences), needs_mt=True)
    texts = [detokenize(s.tokens, lang) for s in sentences]
    english = stages.translations if stages.translations is not None else stages.mt.translate(texts, lang, "en")
    eng_words = [tuple(english_words(t)) for t in english]
    eng_tags = stages.ner.predict(eng_words)
    sources = _drop(settings, [Sentence(w, tuple(t), s.id) for w, t, s in zip(eng_words, eng_tags, sentences)])
    if stages.bt is not None:
        sources = _back_translate(stages, sources, lang)
    targets = [tuple(s.tokens) for s in sentences]
    tags, aligned, run = _project(stages, sources, targets, settings)
    counts = _counts(stages)
    counts["empty_translations"] = sum(not w for w in eng_words)
    return NeuralRun(tuple(targets), tags, tuple(eng_words), tuple(tuple(t) for t in eng_tags), aligned,
                     _signature("translate-test", settings, run.signature), time.perf_counter() - t0,
                     tuple(sorted(counts.items())), run.stats.projection_rate)


def translate_train(english: list[Sentence], lang: str, settings: NeuralSettings, config: ProjectionConfig,
                    *, progress: bool = True) -> NeuralRun:
    """Translate labelled English sentences into ``lang`` and project their gold labels onto the translations.
    Sentences whose translation is empty are dropped from the result (counted as ``empty_translations``)."""
    from projection.neural.text import detokenize, split_words

    t0 = time.perf_counter()
    for s in english:
        if s.tags is None:
            raise ValueError(f"sentence {s.id!r} has no gold tags; translate-train needs labelled English")
    stages = _Stages(lang, settings, config, progress, len(english), needs_mt=True)
    texts = [detokenize(s.tokens, "en") for s in english]
    translated = stages.translations if stages.translations is not None else stages.mt.translate(texts, "en", lang)
    targets = [tuple(split_words(t, lang)) for t in translated]
    sources = _drop(settings, list(english))
    if stages.bt is not None:
        sources = _back_translate(stages, sources, lang)
    tags, aligned, run = _project(stages, sources, targets, settings)
    counts = _counts(stages)
    keep = [k for k, t in enumerate(targets) if t]
    counts["empty_translations"] = len(targets) - len(keep)
    if counts["empty_translations"]:
        logger.warning("%d empty translations were dropped", counts["empty_translations"])
    return NeuralRun(
        tuple(targets[k] for k in keep), tuple(tags[k] for k in keep), tuple(english[k].tokens for k in keep),
        tuple(tuple(english[k].tags or ()) for k in keep), tuple(aligned[k] for k in keep),
        _signature("translate-train", settings, run.signature), time.perf_counter() - t0,
        tuple(sorted(counts.items())), run.stats.projection_rate,
    )


def _counts(stages: _Stages) -> dict[str, int]:
    counts = {"ner_windowed": stages.ner.windowed, **stages.bt_counts}
    if stages.mt is not None:
        counts["split_long"] = stages.mt.last_stats.split_long
        counts["translations_cached"] = stages.mt.last_stats.cached
    if getattr(stages.aligner, "encoder", None) is not None:
        counts["align_truncated"] = stages.aligner.encoder.truncated
    return counts


def _drop(settings: NeuralSettings, sources: list[Sentence]) -> list[Sentence]:
    if settings.drop_misc != "before":
        return sources
    drop = LabelMap(frozenset({"MISC"}))
    return [Sentence(s.tokens, tuple(drop.apply(s.tags)) if s.tags is not None else None, s.id) for s in sources]


def _back_translate(stages: _Stages, sources: Sequence[Sentence], lang: str) -> list[Sentence]:
    from projection.neural.backtrans import back_translate

    result = back_translate(sources, lang, stages.bt)
    stages.bt_counts.update(bt_markers=result.markers, bt_matched=result.matched, bt_lost=result.lost)
    return list(result.sentences)
