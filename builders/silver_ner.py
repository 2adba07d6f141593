"""``SilverNER``: the ``datasets`` builder of projected silver NER splits (instantiate it directly).

    from builders import SilverNER
    builder = SilverNER(config_name="europarl-ner.de", aligner="fastalign.v1", limit=100)
    builder.download_and_prepare(num_proc=2)
    ds = builder.as_dataset()

Parallel-gold configs align the whole split once in ``_split_generators`` (statistical aligners learn from
the whole corpus, and the on-disk alignment cache of ``project_corpus`` makes a rerun reuse the links, so a
sampling aligner's randomness never reaches a rebuilt split); the projection runs per shard. Model-based
configs translate and project per shard and keep finished shards in a ``ShardCache``. ``datasets`` writes
into ``<cache>.incomplete`` and renames at the end, so a crash leaves no corrupt cache.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from dataclasses import dataclass
from typing import Iterator

import datasets
from datasets.builder import Key

from builders.configs import SilverNERConfig
from builders.families import PAPER_CITATION, TRANSLATE_TEST_SOURCES, TRANSLATE_TRAIN_SOURCES
from projection.io.parallel import load_parallel
from builders.rows import RowInput, features_for, make_row, split_metrics
from builders.workcache import ShardCache
from projection.signature import content_hash
from projection.types import Alignment, Sentence
from projection.version import __version__

logger = logging.getLogger(__name__)

_HF_SPLITS = {"train": datasets.Split.TRAIN, "validation": datasets.Split.VALIDATION, "test": datasets.Split.TEST}
SHARD_SIZE = 1000  # sentences per work unit of model-based configs


@dataclass(frozen=True)
class Shard:
    """A contiguous slice of one split: everything a worker process needs to produce its rows."""

    index: int
    start: int
    sources: tuple[Sentence, ...] = ()
    targets: tuple[Sentence, ...] = ()
    alignments: tuple[Alignment, ...] = ()
    aligner_signature: str = ""


def _slices(n: int, parts: int) -> list[tuple[int, int]]:
    parts = max(1, min(parts, n)) if n else 1
    bounds = [round(k * n / parts) for k in range(parts + 1)]
    return [(bounds[k], bounds[k + 1]) for k in range(parts)]


class SilverNER(datasets.GeneratorBasedBuilder):
    """Silver NER splits made by annotation projection; see ``builders.all_config_names()``."""

    BUILDER_CONFIG_CLASS = SilverNERConfig
    BUILDER_CONFIGS: list = []  # the method is free: configs are made from a name plus method kwargs
    VERSION = datasets.Version(__version__)
    config: SilverNERConfig

    def __init__(
        self,
        *args,
        alignment_cache_dir: str | None = None,
        work_dir: str | None = None,
        progress: bool = True,
        **kwargs,
    ) -> None:
        self.alignment_cache_dir = alignment_cache_dir
        self.work_dir = work_dir
        self.progress = progress
        super().__init__(*args, **kwargs)

    @classmethod
    def from_config(cls, config: SilverNERConfig, **kwargs) -> "SilverNER":
        """A builder for an existing config object (its cache id is the config's)."""
        return cls(config_id=config.config_id, **config.builder_kwargs(), **kwargs)

    def _info(self) -> datasets.DatasetInfo:
        family = self.config.family
        return datasets.DatasetInfo(
            description=json.dumps({"config": self.config.name, "signature": self.config.signature()}),
            features=features_for(family),
            citation="\n\n".join(c for c in (PAPER_CITATION, family.citation) if c),
            license=family.license,
        )

    # -- splits -------------------------------------------------------------------------------------
    def _make_split_generators_kwargs(self, prepare_split_kwargs):
        return {"num_proc": prepare_split_kwargs.get("num_proc")}

    def _split_generators(self, dl_manager, num_proc: int | None = None):
        parts = max(1, num_proc or 1)
        kind = self.config.family.kind
        make = {
            "parallel-gold": self._parallel_shards,
            "translate-test": self._translate_test_shards,
            "translate-train": self._translate_train_shards,
        }[kind]
        return [
            datasets.SplitGenerator(name=_HF_SPLITS[split], gen_kwargs={"split": split, "shards": make(split, parts)})
            for split in self.config.splits
        ]

    def _parallel_shards(self, split: str, parts: int) -> list[Shard]:
        from projection.pipeline import align_corpus

        cfg = self.config
        if split != "test":
            raise ValueError(f"{cfg.name} has only a test split; use splits=('test',)")
        corpus = load_parallel(cfg.family.name, cfg.lang, cfg.data_dir, cfg.limit)
        alignments, aligner_sig = align_corpus(
            cfg.projection_config(),
            [s.tokens for s in corpus.source],
            [t.tokens for t in corpus.target],
            extra=cfg.align_extra(),
            cache_dir=self.alignment_cache_dir,
        )
        return [
            Shard(k, a, corpus.source[a:b], corpus.target[a:b], tuple(alignments[a:b]), aligner_sig)
            for k, (a, b) in enumerate(_slices(len(corpus.source), parts))
        ]

    def _model_slices(self, n: int, parts: int) -> list[tuple[int, int]]:
        return _slices(n, max(parts, -(-n // SHARD_SIZE)))

    def _translate_test_shards(self, split: str, parts: int) -> list[Shard]:
        from projection.io.sources import load_sentences

        cfg = self.config
        dataset = TRANSLATE_TEST_SOURCES[cfg.family.name]
        sents = tuple(load_sentences(dataset, cfg.lang, split, data_dir=cfg.data_dir, limit=cfg.limit))
        return [Shard(k, a, targets=sents[a:b]) for k, (a, b) in enumerate(self._model_slices(len(sents), parts))]

    def _translate_train_shards(self, split: str, parts: int) -> list[Shard]:
        from projection.io.sources import load_sentences

        cfg = self.config
        dataset, lang = TRANSLATE_TRAIN_SOURCES[cfg.family.name]
        sents = tuple(load_sentences(dataset, lang, split, data_dir=cfg.data_dir, limit=cfg.limit))
        return [Shard(k, a, sources=sents[a:b]) for k, (a, b) in enumerate(self._model_slices(len(sents), parts))]

    # -- examples -----------------------------------------------------------------------------------
    def _generate_examples(self, split: str, shards: list[Shard]) -> Iterator[tuple[Key, dict]]:
        for shard in shards:
            parallel = self.config.family.kind == "parallel-gold"
            rows = self._parallel_rows(shard) if parallel else self._model_rows(shard)
            for k, row in enumerate(rows):
                yield Key(shard.index, k), row

    def _parallel_rows(self, shard: Shard) -> list[dict]:
        from projection.pipeline import project_corpus

        cfg = self.config
        run = project_corpus(
            list(shard.sources),
            [t.tokens for t in shard.targets],
            cfg.projection_config(),
            alignments=list(shard.alignments),
            aligner_signature=shard.aligner_signature,
            progress=self.progress,
        )
        rows = []
        for k, (src, tgt) in enumerate(zip(shard.sources, shard.targets)):
            item = RowInput(
                tgt.id or str(shard.start + k), tgt.tokens, tgt.tags, run.tags[k], src.tokens,
                src.tags or ("O",) * len(src), run.alignments[k], run.projected[k],
            )  # fmt: skip
            rows.append(make_row(item, cfg.family, run.signature, cfg.drop_labels))
        return rows

    def _model_rows(self, shard: Shard) -> list[dict]:
        cfg = self.config
        sents = shard.targets or shard.sources
        key = content_hash(cfg.signature(), *(json.dumps([s.id, s.tokens, s.tags]) for s in sents))
        cache = ShardCache(self.work_dir)
        cached = cache.get(key)
        if cached is not None:
            logger.info("%s: shard %d reused from %s", cfg.name, shard.index, cache.directory)
            return cached
        from projection.neural import run as neural

        settings, pconfig = cfg.neural_settings(), cfg.projection_config()
        if cfg.family.kind == "translate-test":
            result = neural.translate_test(list(sents), cfg.lang, settings, pconfig, progress=self.progress)
        else:
            result = neural.translate_train(list(sents), cfg.lang, settings, pconfig)
        projected = getattr(result, "projected", None)
        rows = []
        for k, sent in enumerate(sents):
            item = RowInput(
                sent.id or str(shard.start + k),
                tuple(result.target_tokens[k]),
                sent.tags if cfg.family.kind == "translate-test" else None,
                tuple(result.silver_tags[k]),
                tuple(result.source_tokens[k]),
                tuple(result.source_tags[k]),
                result.alignments[k],
                projected[k] if projected is not None else None,
            )
            rows.append(make_row(item, cfg.family, result.signature, cfg.drop_labels))
        cache.put(key, rows)
        return rows

    # -- metrics into the info ----------------------------------------------------------------------
    def _download_and_prepare(self, dl_manager, verification_mode, **prepare_splits_kwargs):
        super()._download_and_prepare(dl_manager, verification_mode, **prepare_splits_kwargs)
        self.info.description = json.dumps(self._build_summary(), sort_keys=True)

    def _build_summary(self) -> dict:
        """Signature and per-split metrics, read back from the files just written."""
        family = self.config.family
        features = self.info.features
        names = features["silver_ner_tags"].feature.names
        summary: dict = {"config": self.config.name, "config_signature": self.config.signature(), "metrics": {}}
        signatures = set()
        for split in self.config.splits:
            pattern = os.path.join(self._output_dir, f"{self.dataset_name}-{_HF_SPLITS[split]}*.{self._file_format}")
            files = sorted(glob.glob(pattern))
            if not files:
                raise RuntimeError(f"no files written for split {split!r} ({pattern})")
            table = _read_table(files, self._file_format)
            silver = [[names[i] for i in row] for row in table.column("silver_ner_tags").to_pylist()]
            gold = None
            if family.has_gold:
                gold = [[names[i] for i in row] for row in table.column("ner_tags").to_pylist()]
            metrics = split_metrics(
                silver, gold, table.column("source_entities").to_pylist(),
                table.column("projected_entities").to_pylist(), family.eval_ignore,
            )  # fmt: skip
            summary["metrics"][split] = metrics.as_dict()
            signatures.update(table.column("signature").unique().to_pylist())
        summary["signature"] = sorted(signatures)[0] if len(signatures) == 1 else sorted(signatures)
        return summary


def _read_table(files: list[str], file_format: str):
    import pyarrow as pa
    import pyarrow.parquet as pq

    if file_format == "parquet":
        return pa.concat_tables([pq.read_table(f) for f in files])
    tables = []
    for f in files:
        with pa.memory_map(f) as source:
            tables.append(pa.ipc.open_stream(source).read_all())
    return pa.concat_tables(tables)


def build_summary(info: datasets.DatasetInfo) -> dict:
    """The signature and per-split metrics a built ``SilverNER`` stored in ``info.description``."""
    try:
        return json.loads(info.description or "{}")
    except ValueError:
        raise ValueError("this DatasetInfo was not written by builders.SilverNER (description is not JSON)") from None
