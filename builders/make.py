"""``build``: one call from a config (name + method options) to its splits, signature and metrics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    cache_dir: str | None = None,
    num_proc: int | None = None,
    alignment_cache_dir: str | None = None,
    work_dir: str | None = None,
    progress: bool = True,
    **options: Any,
) -> BuiltConfig:
    """Build (or reuse from the cache) every split of ``config``."""
    if isinstance(config, str):
        config = make_config(config, **options)
    elif options:
        raise ValueError("pass method options either in the SilverNERConfig or as keywords with a config name")
    builder = SilverNER.from_config(
        config, cache_dir=cache_dir, alignment_cache_dir=alignment_cache_dir, work_dir=work_dir, progress=progress
    )
    builder.download_and_prepare(num_proc=num_proc)
    splits = builder.as_dataset()
    summary = build_summary(builder.info)
    signature = summary.get("signature", config.signature())
    if isinstance(signature, list):
        signature = " ; ".join(signature)
    metrics = {name: SplitMetrics.from_dict(m) for name, m in summary.get("metrics", {}).items()}
    return BuiltConfig(config, splits, signature, metrics, builder.cache_dir)
