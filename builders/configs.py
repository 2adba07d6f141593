"""``SilverNERConfig``: a builder config that carries the whole method and keys the cache by its signature.

``datasets.BuilderConfig`` is a mutable dataclass, so a ``frozen=True`` subclass is impossible; the config
freezes itself at the end of ``__post_init__`` instead (assignment afterwards raises
``dataclasses.FrozenInstanceError``). ``datasets`` keys its cache on the constructor kwargs only; this
config overrides ``create_config_id`` so that the cache directory is ``<name>-<hash of the full
signature>``: a changed aligner, matcher, model, split list or library version never reuses a stale cache.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

import datasets

from builders.families import Family, parse_config_name
from projection.config import DEFAULT_ALIGNER, DEFAULT_CANDIDATES, DEFAULT_MATCHER, default_aligner_options
from projection.config import ProjectionConfig, freeze_options
from projection.signature import format_signature, signature_hash

_SPLITS = ("train", "validation", "test")


@dataclass
class SilverNERConfig(datasets.BuilderConfig):
    """One silver dataset: ``name`` picks source and language, the other fields the method.

    Args:
        name: e.g. ``europarl-ner.de``, ``masakhaner2.hau``, ``translate-train.conll2003.swa``.
        aligner, aligner_options, matcher, candidates, max_len, drop_labels: the projection method
            (see ``projection.config.ProjectionConfig``); ``aligner_options=None`` takes the defaults of the
            statistical aligners (stem 4, intersection) and ``()`` for other aligners.
        mt_model, ner_model, align_model, back_translation: the neural settings of translate-test and
            translate-train configs (``None``: the defaults of ``projection.neural.run.NeuralSettings``).
        splits: which splits to build (default: the family's, e.g. ``("test",)``).
        limit: only the first ``limit`` sentences of each split (quick builds, tests).
    """

    aligner: str = DEFAULT_ALIGNER
    aligner_options: Any = None
    matcher: str = DEFAULT_MATCHER
    candidates: str = DEFAULT_CANDIDATES
    max_len: int | None = None
    drop_labels: tuple[str, ...] = ()
    mt_model: str | None = None
    ner_model: str | None = None
    align_model: str | None = None
    back_translation: bool = False
    splits: tuple[str, ...] | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        family, lang = parse_config_name(self.name)
        if self.aligner_options is None:
            self.aligner_options = default_aligner_options(self.aligner)
        self.aligner_options = freeze_options(self.aligner_options)
        self.drop_labels = tuple(sorted(set(self.drop_labels)))
        self.splits = tuple(self.splits) if self.splits is not None else family.default_splits
        bad = [s for s in self.splits if s not in _SPLITS]
        if bad or not self.splits or len(set(self.splits)) != len(self.splits):
            raise ValueError(f"splits must be distinct names among {', '.join(_SPLITS)}, got {self.splits!r}")
        if self.limit is not None and (not isinstance(self.limit, int) or self.limit < 1):
            raise ValueError(f"limit must be a positive number of sentences or None, got {self.limit!r}")
        if not family.needs_model and any((self.mt_model, self.ner_model, self.align_model, self.back_translation)):
            raise ValueError(
                f"config {self.name!r} projects gold parallel data and uses no model; "
                "drop mt_model/ner_model/align_model/back_translation"
            )
        pconfig = self.projection_config()  # validates aligner, matcher, candidates, max_len
        object.__setattr__(self, "_signature", self._compute_signature(pconfig))
        object.__setattr__(self, "_frozen", True)

    def __setattr__(self, key: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            raise dataclasses.FrozenInstanceError(
                f"SilverNERConfig is frozen; build a new one with dataclasses.replace(config, {key}=...)"
            )
        object.__setattr__(self, key, value)

    def __hash__(self) -> int:
        return hash(self.config_id)

    # -- what the config means ----------------------------------------------------------------------
    @property
    def family(self) -> Family:
        return parse_config_name(self.name)[0]

    @property
    def lang(self) -> str:
        return parse_config_name(self.name)[1]

    def projection_config(self) -> ProjectionConfig:
        return ProjectionConfig(
            aligner=self.aligner,
            aligner_options=self.aligner_options,
            matcher=self.matcher,
            candidates=self.candidates,
            max_len=self.max_len,
            drop_labels=self.drop_labels,
        )

    def neural_settings(self):
        """``projection.neural.run.NeuralSettings`` for model-based configs (imported lazily)."""
        from projection.neural.run import NeuralSettings

        given = {
            k: v
            for k, v in (("mt_model", self.mt_model), ("ner_model", self.ner_model), ("align_model", self.align_model))
            if v is not None
        }
        return NeuralSettings(back_translation=self.back_translation, **given)

    def _neural_signature(self) -> str:
        try:
            return self.neural_settings().signature()
        except ImportError:  # the neural extra is missing: the build will fail anyway, keep a stable key
            return f"mt={self.mt_model},ner={self.ner_model},align={self.align_model},bt={int(self.back_translation)}"

    def align_extra(self) -> tuple:
        """Extra aligner training text of parallel-gold configs: the shipped NTREX-128 English–target
        sentences (de, es, it), as in ``silver-ner demo``; nothing for model-based configs."""
        if self.family.needs_model:
            return ()
        from projection.demo import default_extra

        return default_extra(self.lang, self.projection_config())

    def _compute_signature(self, pconfig: ProjectionConfig) -> str:
        parts = {"config": self.name, "splits": "+".join(self.splits), "limit": str(self.limit or "")}
        if self.family.needs_model:
            parts["neural"] = self._neural_signature()
        head = format_signature(parts).rpartition("|version:")[0]
        try:  # the built aligner's signature names every setting, defaults included (construction is cheap)
            extra = self.align_extra()
            if self.family.needs_model:  # a neural aligner reads its model from the neural settings
                from projection.neural.run import with_align_model

                pconfig = with_align_model(pconfig, self.neural_settings())
            aligner_signature = pconfig.build_aligner(**({"extra": extra} if extra else {})).signature()
        except ImportError:
            aligner_signature = None
        return head + "|" + pconfig.signature(aligner_signature)

    def signature(self) -> str:
        """``config:…|splits:…|limit:…|[neural:…|]aligner:…|…|version:X``: all that changes the data."""
        return self._signature

    @property
    def config_id(self) -> str:
        """``<name>-<12 hex of sha256(signature, data_dir)>``: the cache directory name."""
        data_dir = os.path.normpath(os.path.abspath(self.data_dir)) if self.data_dir else ""
        return f"{self.name}-{signature_hash(self.signature() + '|data_dir:' + data_dir)}"

    def create_config_id(self, config_kwargs: dict, custom_features=None) -> str:  # datasets hook
        return self.config_id

    def builder_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that recreate this config through ``SilverNER(**kwargs)``."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("data_files",)}
        out["config_name"] = out.pop("name")
        out.pop("version", None)
        out.pop("description", None)
        return out
