"""``SilverNERConfig``: a builder config that carries the whole method and keys the cache by its signature.

``datasets.BuilderConfig`` is a mutable dataclass, so a ``frozen=True`` subclass is impossible; the config
freezes itself at the end of ``__post_init__`` instead (assignment afterwards raises
``dataclasses.FrozenInstanceError``). Method fields left at ``None`` take the default method of the config's
mode from ``projection.options`` (the same table the CLI reads). The config's ``signature`` is the run's
signature, assembled from the very stages a build runs (with no data), so the cache directory
``<name>-<hash>`` changes with everything that changes the rows, and with nothing else.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass, replace
from typing import Any

import datasets

from builders.families import TRANSLATE_TEST_SOURCES, TRANSLATE_TRAIN_SOURCES, Family, parse_config_name
from projection.config import ProjectionConfig, freeze_options
from projection.options import (
    DEFAULT_METHODS,
    ModelSettings,
    check_labels_present,
    default_config,
    is_heuristic,
    refuse_unused_by_heuristic,
)
from projection.signature import Part, Signature, content_hash

logger = logging.getLogger(__name__)

_SPLITS = ("train", "validation", "test")
#: builder family kind -> runner mode
MODE = {"parallel-gold": "parallel", "translate-test": "translate-test", "translate-train": "translate-train"}


@dataclass
class SilverNERConfig(datasets.BuilderConfig):
    """One silver dataset: ``name`` picks source and language, the other fields the method.

    Args:
        name: e.g. ``europarl-ner.de``, ``masakhaner2.hau``, ``translate-train.conll2003.swa``.
        aligner, aligner_options, matcher, candidates, max_len (0: unbounded), char_weight, possible_weight,
            drop_labels, refine: the projection method (``None``: the mode's default; ``aligner_options`` are added to the aligner's
            defaults).
        mt_model, ner_model, align_model, back_translation, bt_model, bt_tokenizer: the models of translate-test
            and translate-train configs (``None``: the defaults of ``projection.options.ModelSettings``).
        splits: which splits to build (default: the family's, e.g. ``("test",)``).
        limit: only the first ``limit`` sentences of each split (quick builds, tests).
        data_revision: what the source data was, per split: the Hub commit (12 hex) or a hash of the data
            read (ids, tokens, tags). A builder resolves it when it is not given, so the signature and the cache
            follow a new Hub revision or a data file edited in place.
        device: where the models run (``cpu``, ``cuda``, ``cuda:1`` …; ``None``: the GPU when the process that
            makes the config sees one). Their dtype follows it, bf16 on a GPU, and the signature says so
            (``mt:…(dtype=bf16)``); nothing else changes. A Ray build sets it from ``--gpus-per-model``, so that the
            config signs what its model actors do wherever the config itself is made.
    """

    aligner: str | None = None
    aligner_options: Any = None
    matcher: str | None = None
    candidates: str | None = None
    max_len: int | None = None
    char_weight: float | None = None
    possible_weight: float | None = None
    drop_labels: tuple[str, ...] = ()
    refine: tuple[str, ...] | None = None
    mt_model: str | None = None
    ner_model: str | None = None
    align_model: str | None = None
    back_translation: bool = False
    bt_model: str | None = None
    bt_tokenizer: str | None = None
    splits: tuple[str, ...] | None = None
    limit: int | None = None
    data_revision: str | None = None
    device: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        family, _ = parse_config_name(self.name)
        for field, example in (("drop_labels", "a sequence such as ('MISC',)"), ("refine", "a sequence such as "
                               "('anchor.v1',)"), ("splits", "a sequence such as ('test',)"),
                               ("aligner_options", "a mapping such as {'stem': 5}")):  # fmt: skip
            if isinstance(getattr(self, field), str):  # a string is a sequence of letters: 'MISC' -> M, I, S, C
                raise ValueError(f"{field} takes {example}, not the string {getattr(self, field)!r}")
        self.aligner_options = freeze_options(self.aligner_options) or None
        self.drop_labels = tuple(sorted(set(self.drop_labels)))
        check_labels_present("drop_labels (--drop-label)", self.drop_labels, family.source_types, f"{self.name}'s source")
        if self.refine is not None:
            self.refine = tuple(self.refine)
        self.splits = tuple(self.splits) if self.splits is not None else family.default_splits
        bad = [s for s in self.splits if s not in _SPLITS]
        if bad or not self.splits or len(set(self.splits)) != len(self.splits):
            raise ValueError(f"splits must be distinct names among {', '.join(_SPLITS)}, got {self.splits!r}")
        # one order for one set (found in review: another order signed rev=A+B as B+A and rebuilt the same rows)
        self.splits = tuple(sorted(self.splits, key=_SPLITS.index))
        if family.kind == "parallel-gold" and self.splits != ("test",):  # known now: fail before any work
            raise ValueError(f"{self.name} has only a test split; use splits=('test',) (--splits test)")
        if self.limit is not None and (isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1):
            raise ValueError(f"limit must be a positive number of sentences or None, got {self.limit!r}")
        if self.device is not None and (not isinstance(self.device, str) or not self.device.strip()
                                        or self.device != self.device.strip()):
            raise ValueError(f"device must be a torch device name such as 'cpu', 'cuda' or 'cuda:1' (or None: the GPU "
                             f"when one is seen), got {self.device!r}")  # fmt: skip
        if self.data_revision is not None and (not isinstance(self.data_revision, str) or not self.data_revision
                                               or self.data_revision != self.data_revision.strip()):
            # found in review: "" was signed rev= and never resolved, so a data file edited in place got old rows
            raise ValueError(f"data_revision must be a non-empty revision such as a Hub commit, or None (resolved from "
                             f"the data read), got {self.data_revision!r}")  # fmt: skip
        if self.max_len is not None and (not isinstance(self.max_len, int) or self.max_len < 0):
            raise ValueError(f"max_len must be a non-negative integer (0: unbounded) or None, got {self.max_len!r}")
        config = self.projection_config()  # validates aligner, options, matcher, candidates, weights
        models = (self.mt_model, self.ner_model, self.back_translation, self.bt_model, self.bt_tokenizer)
        if not family.needs_model and any(models):
            raise ValueError(
                f"config {self.name!r} projects gold parallel data and uses no model; "
                "drop mt_model/ner_model/back_translation (--mt-model/--ner-model/--back-translation)"
            )
        from projection.plans import is_neural, tags_target

        if family.kind == "translate-train" and self.ner_model and not tags_target(config):
            raise ValueError(
                f"config {self.name!r}: ner_model (--ner-model) would do nothing: a translate-train config keeps the "
                "English gold labels and tags nothing unless its candidates are ner.v1 (with a matcher other than "
                "the heuristic); drop it, or build the translate-train configs in a run of their own"
            )

        if self.align_model and not is_neural(config):  # any family: a statistical aligner takes no encoder
            raise ValueError(
                f"config {self.name!r}: align_model (--align-model) is the encoder of a neural aligner "
                f"(simalign.v1, awesome.v1), not of {config.aligner}; drop it or choose such an aligner"
            )
        if self.align_model and "model" in dict(self.aligner_options or ()):  # as the CLI refuses both (found in
            raise ValueError(  # review: aligner_options' model won and align_model was dropped without a word)
                f"config {self.name!r}: align_model (--align-model) and aligner_options' model (--aligner-option "
                "model=) both name the encoder; give one"
            )
        unused = [f for f in ("bt_model", "bt_tokenizer") if getattr(self, f) is not None]
        if unused and not self.back_translation:  # as silver-ner translate-test refuses --bt-model alone
            raise ValueError(f"config {self.name!r}: {' and '.join(unused)} would do nothing without "
                             "back_translation=True; drop them or set back_translation=True")  # fmt: skip
        plan = self.plan(None, config=config)
        from projection.runner import run_signature

        object.__setattr__(self, "_signature", run_signature(plan.source, plan.stages))
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

    @property
    def mode(self) -> str:
        return MODE[self.family.kind]

    def projection_config(self) -> ProjectionConfig:
        if is_heuristic(self.matcher if self.matcher is not None else DEFAULT_METHODS[self.mode]["matcher"]):
            # as the CLI refuses them (found in review: accepted here, they changed nothing, not even the config id)
            refuse_unused_by_heuristic([f"{name} ({flag})" for name, flag in (
                ("candidates", "--candidates"), ("max_len", "--max-len"), ("char_weight", "--char-weight"),
                ("possible_weight", "--possible-weight")) if getattr(self, name) is not None])  # fmt: skip
        config = default_config(
            self.mode, self.lang, aligner=self.aligner, aligner_options=self.aligner_options, matcher=self.matcher,
            candidates=self.candidates, score_char=self.char_weight, score_possible=self.possible_weight,
            drop_labels=self.drop_labels or None,
            refine=self.refine,
        )  # fmt: skip
        if self.max_len is None:
            return config
        # max_len=0 (unbounded) too, as the CLI refuses --max-len 0 with them (found in review: accepted, ignored)
        if config.candidates.split(".")[0] == "ner":
            raise ValueError("ner.v1 candidates are the spans the NER model found, whatever their length: max_len "
                             "(--max-len) has no effect on them; leave it out")  # fmt: skip
        return replace(config, max_len=self.max_len or None)

    def model_settings(self) -> ModelSettings:
        return ModelSettings().with_changes(
            mt_model=self.mt_model, ner_model=self.ner_model, align_model=self.align_model,
            back_translation=self.back_translation or None, bt_model=self.bt_model, bt_tokenizer=self.bt_tokenizer,
            device=self.device,
        )  # fmt: skip

    def data_part(self) -> Part:
        """The ``data`` field of the signature: the config name, the sentence limit and the data revision."""
        return Part.of(self.name, limit=self.limit, rev=self.data_revision)

    def resolve_data_revision(self) -> str:
        """Per split, the Hub commit of the source (12 hex) or a hash of the sentences read, joined by ``+``."""
        from projection.io.parallel import load_parallel
        from projection.io.sources import load_source

        family, lang, out = self.family, self.lang, []
        for split in self.splits:
            if family.kind == "parallel-gold":
                corpus = load_parallel(family.name, lang, self.data_dir, self.limit)
                out.append(_sentences_hash(corpus.source + corpus.target))
                continue
            if family.kind == "translate-test":
                dataset, code = TRANSLATE_TEST_SOURCES[family.name], lang
            else:
                dataset, code = TRANSLATE_TRAIN_SOURCES[family.name]
            src = load_source(dataset, code, _dataset_split(split), data_dir=self.data_dir, limit=self.limit)
            out.append(src.revision[:12] if src.revision else _sentences_hash(src.sentences))
        return "+".join(out)

    def plan(self, split: str | None, *, config: ProjectionConfig | None = None, cache_dir=None, progress=False):
        """The stages that build ``split`` (``None``: no data, for the signature)."""
        from projection import plans
        from projection.io.parallel import load_parallel
        from projection.io.sources import load_sentences

        config = config if config is not None else self.projection_config()
        family, lang, data = self.family, self.lang, self.data_part()
        if family.kind == "parallel-gold":
            if split not in (None, "test"):
                raise ValueError(f"{self.name} has only a test split; use splits=('test',) (--splits test)")
            src, tgt = ((), ()) if split is None else _parallel(load_parallel(family.name, lang, self.data_dir, self.limit))
            if split is not None:  # types outside the schema are O before projection, as in the tag columns
                src, tgt = _in_schema(src, tgt, family, f"{self.name} {split}")
            extra = plans.default_extra(lang, config)
            return plans.parallel_plan(src, tgt, config, extra=extra, data=data, cache_dir=cache_dir,
                                       models=self.model_settings())  # a neural aligner's encoder
        models = self.model_settings()
        if family.kind == "translate-test":
            sents = [] if split is None else load_sentences(
                TRANSLATE_TEST_SOURCES[family.name], lang, _dataset_split(split), data_dir=self.data_dir,
                limit=self.limit)  # fmt: skip
            return plans.translate_test_plan(sents, lang, config, models, data=data, cache_dir=cache_dir,
                                             progress=progress)  # fmt: skip
        dataset, en = TRANSLATE_TRAIN_SOURCES[family.name]
        sents = [] if split is None else load_sentences(
            dataset, en, _dataset_split(split), data_dir=self.data_dir, limit=self.limit)  # fmt: skip
        return plans.translate_train_plan(sents, lang, config, models, data=data, cache_dir=cache_dir,
                                          progress=progress)  # fmt: skip

    def signature(self) -> Signature:
        """The run's signature (``mode:…|data:…|[mt:…|ner:…|]aligner:…|cand:…|score:…|match:…|version:X``)."""
        return self._signature

    @property
    def config_id(self) -> str:
        """``<name>-<12 hex of sha256(signature, splits, data_dir)>``: the cache directory name."""
        data_dir = os.path.normpath(os.path.abspath(self.data_dir)) if self.data_dir else ""
        key = content_hash(self.signature().format(), "+".join(self.splits), os.fsencode(data_dir))[:12]
        return f"{self.name}-{key}"

    def create_config_id(self, config_kwargs: dict, custom_features=None) -> str:  # datasets hook
        return self.config_id

    def builder_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that recreate this config through ``SilverNER(**kwargs)``."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("data_files",)}
        out["config_name"] = out.pop("name")
        out.pop("version", None)
        out.pop("description", None)
        return out


def _sentences_hash(sentences) -> str:
    """12 hex of the sentences read: ids (``file:line``, the rows' ``id``), tokens and tags."""
    import json

    return content_hash(*(json.dumps([s.id, s.tokens, s.tags], ensure_ascii=False) for s in sentences))[:12]


def _parallel(corpus) -> tuple:
    return corpus.source, corpus.target


def _in_schema(source, target, family: Family, where: str) -> tuple:
    """``source`` and ``target`` with the tags of entity types outside the family's (the English side's
    ``source_types``, the target's ``target_types``) read as O, and one warning naming what was read so. Found in
    review: a data_dir file tagging DATE in europarl-ner wrote DATE as O in the tag columns but projected it, so
    ``matches``, the entity counts and the projection rate counted it."""
    from collections import Counter

    from builders.rows import restrict
    from projection.tags import bio_to_spans

    lost: Counter = Counter()  # (file, type) -> entities read as O
    out = []
    for sentences, types in ((source, family.source_types), (target, family.target_types)):
        keep, side = set(types), []
        for s in sentences:
            outside = [span.label for span in bio_to_spans(s.tags)] if s.tags is not None else []
            outside = [label for label in outside if label not in keep]
            if outside:
                lost.update((s.id.rpartition(":")[0] or s.id, label) for label in outside)
                s = dataclasses.replace(s, tags=tuple(restrict(s.tags, types)[0]))
            side.append(s)
        out.append(tuple(side))
    if lost:
        said = [f"{n} {label} entit{'y' if n == 1 else 'ies'} in {file}" for (file, label), n in lost.items()]
        verb = "is" if len(said) == 1 and next(iter(lost.values())) == 1 else "are"
        said = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
        logger.warning("%s: %s %s outside %s's types (%s) and %s read as O", where, said, verb, family.name,
                       ", ".join(dict.fromkeys(family.source_types + family.target_types)),
                       "was" if verb == "is" else "were")  # fmt: skip
    return out[0], out[1]


def _dataset_split(split: str) -> str:
    """Builder split names -> ``load_sentences`` split names."""
    return {"validation": "dev"}.get(split, split)
