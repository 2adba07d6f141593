"""``build``: one call from a config (name + method options) to its splits, signature and metrics."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import datasets

from builders.configs import SilverNERConfig
from builders.rows import SplitMetrics
from builders.silver_ner import SilverNER, build_summary


@dataclass(frozen=True)
class BuiltConfig:
    """The prepared splits of one config and what the card needs about them."""

    config: SilverNERConfig
    splits: datasets.DatasetDict
    signature: str
    metrics: dict[str, SplitMetrics]
    cache_dir: str


def make_config(name: str, **options: Any) -> SilverNERConfig:
    """A validated config; ``options`` are ``SilverNERConfig`` fields (``None`` values are left out)."""
    return SilverNERConfig(name=name, **{k: v for k, v in options.items() if v is not None})


def build(
    config: SilverNERConfig | str,
    *,
    cache_dir: str | os.PathLike | None = None,
    num_proc: int | None = None,
    silver_cache_dir: str | os.PathLike | None = None,
    alignment_cache_dir: str | os.PathLike | None = None,
    work_dir: str | os.PathLike | None = None,
    progress: bool = True,
    executor=None,
    chunk_size: int | None = None,
    **options: Any,
) -> BuiltConfig:
    """Build (or reuse from the cache) every split of ``config``.

    ``cache_dir``: the ``datasets`` cache (Arrow files). ``silver_cache_dir``: silver-ner's one cache
    (alignments, translations, finished chunks; default ``$SILVER_NER_CACHE``, else
    ``$XDG_CACHE_HOME/silver-ner`` or ``~/.cache/silver-ner``);
    ``alignment_cache_dir`` and ``work_dir`` are older names of it. ``num_proc``: processes that write the
    Arrow files (any value gives the same rows). ``executor``: where the runner processes chunks
    (``projection.executors``; default local, one process). ``chunk_size``: pairs per chunk (the unit of
    checkpoints and of Arrow shards; default ``projection.runner.CHUNK_SIZE``)."""
    if isinstance(config, str):
        config = make_config(config, **options)
    elif options:
        raise ValueError("pass method options either in the SilverNERConfig or as keywords with a config name")
    check_tagger_types([config.name], config.ner_model)
    check_languages(config)
    device = executor.model_device() if executor is not None else None
    if device is not None and config.device != device:  # the models run there, so the config signs that dtype
        if config.device is not None:
            raise ValueError(f"config {config.name!r} has device={config.device!r}, but {executor.describe()} runs its "
                             f"models on {device}: leave device out")  # fmt: skip
        config = dataclasses.replace(config, device=device)
    root = silver_cache_dir or alignment_cache_dir or work_dir
    builder = SilverNER.from_config(
        config, cache_dir=cache_dir, silver_cache_dir=root, progress=progress, executor=executor,
        chunk_size=chunk_size,
    )
    with _datasets_bars(progress):
        builder.download_and_prepare(num_proc=num_proc)
        splits = builder.as_dataset()
    summary = build_summary(builder.info)
    signature = summary.get("signature", config.signature().format())
    metrics = {name: SplitMetrics.from_dict(m) for name, m in summary.get("metrics", {}).items()}
    return BuiltConfig(builder.config, splits, signature, metrics, builder.cache_dir)


def check_languages(config: SilverNERConfig) -> None:
    """A ``ValueError`` for a config whose translation (or back-translation) model has no code for its language
    (NLLB-200 and bbj, pcm), saying what a builder config can do about it, before any data is read."""
    err = language_error(config)
    if err is not None:
        raise ValueError(err.for_config(config.name))


def language_error(config: SilverNERConfig):
    """The ``UnsupportedLanguageError`` of the first of ``config``'s translation models that has no code for its
    language, else ``None`` (read from the models' names alone: no model is loaded)."""
    from projection.neural.langs import UnsupportedLanguageError

    for stage in config.plan(None).stages:
        translator = getattr(stage, "translator", None)
        if translator is not None:
            try:
                translator.check_language(stage.lang)
            except UnsupportedLanguageError as err:
                return err
    return None


@contextlib.contextmanager
def _datasets_bars(shown: bool) -> Iterator[None]:
    """``datasets``' own bars ("Generating test split", "Saving the dataset") off while a build with ``progress=False``
    goes on, then as they were. Found in review: ``build(..., progress=False)`` in a notebook, or with stderr sent to a
    file (every frame of the bar), still drew them; ``silver-ner build`` turns them off itself."""
    if shown or not datasets.is_progress_bar_enabled():
        yield
        return
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        datasets.enable_progress_bars()


def check_tagger_types(names: Sequence[str], ner_model: str | None) -> None:
    """A ``ValueError`` for a translate-test config whose tagger (``ner_model``, given) has an entity type that neither
    its source nor its silver columns hold (found in review: a tagger of other types, GPE or X-Y, built all-O rows
    without a word, while its ``matches`` named the lost entities). A type one of them holds (DATE in MasakhaNER2's
    silver) is kept there. A model whose config cannot be read is left to the model's own loading, and its advice."""
    if not ner_model:
        return
    from builders.families import parse_config_name
    from projection.neural.ner import model_types

    families = [(name, parse_config_name(name)[0]) for name in names]
    families = [(name, f) for name, f in families if f.kind == "translate-test"]
    if not families:
        return
    try:
        types = model_types(ner_model)
    except (OSError, ValueError, ImportError):
        return
    for name, family in families:
        lost = [t for t in types if t not in family.source_types and t not in family.target_types]
        if lost:
            raise ValueError(f"config {name}: the NER model {ner_model} tags {', '.join(lost)}, which {name}'s columns "
                             f"cannot hold (source: {', '.join(family.source_types)}; silver: "
                             f"{', '.join(family.target_types)}), so its entities of those types would be written as "
                             "O; use a tagger of those types, such as a CoNLL-03 one (PER, ORG, LOC, MISC)")  # fmt: skip
