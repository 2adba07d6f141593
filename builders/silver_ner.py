"""``SilverNER``: the ``datasets`` builder of projected silver NER splits (instantiate it directly).

    from builders import SilverNER
    builder = SilverNER(config_name="europarl-ner.de", aligner="fastalign.v1", limit=100)
    builder.download_and_prepare(num_proc=2)
    ds = builder.as_dataset()

The builder is thin: ``_split_generators`` runs the split through the one runner (``projection.runner.run``
with the config's plan), which stores every finished chunk of pairs in the cache (``chunks/``; a killed
build resumes from them); ``_generate_examples`` only decodes those chunk files and yields rows. The chunk
plan is fixed by the runner, and a statistical aligner trains on the whole split, so ``num_proc`` only
decides how many processes read chunk files: any ``num_proc`` gives the same rows. Models run in the
building process, never in ``datasets``' forked workers. ``datasets`` writes into ``<cache>.incomplete``
and renames at the end, so a crash leaves no corrupt cache.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from pathlib import Path
from typing import Iterator

import datasets
from datasets.builder import Key

from builders.configs import SilverNERConfig
from builders.families import PAPER_CITATION
from builders.rows import features_for, make_row, split_metrics
from projection.version import __version__

logger = logging.getLogger(__name__)

_HF_SPLITS = {"train": datasets.Split.TRAIN, "validation": datasets.Split.VALIDATION, "test": datasets.Split.TEST}


class SilverNER(datasets.GeneratorBasedBuilder):
    """Silver NER splits made by annotation projection; see ``builders.all_config_names()``."""

    BUILDER_CONFIG_CLASS = SilverNERConfig
    BUILDER_CONFIGS: list = []  # the method is free: configs are made from a name plus method kwargs
    VERSION = datasets.Version(__version__)
    config: SilverNERConfig

    def __init__(self, *args, silver_cache_dir: str | None = None, progress: bool = True, executor=None,
                 chunk_size: int | None = None, **kwargs) -> None:
        self.silver_cache_dir = silver_cache_dir
        self.chunk_size = chunk_size
        self.progress = progress
        self.executor = executor
        self.runs: dict = {}
        super().__init__(*args, **kwargs)

    @classmethod
    def from_config(cls, config: SilverNERConfig, **kwargs) -> "SilverNER":
        """A builder for an existing config object (its data revision is resolved as for any builder)."""
        return cls(**config.builder_kwargs(), **kwargs)

    def _create_builder_config(self, config_name=None, custom_features=None, config_id=None, **config_kwargs):
        """``datasets``' hook: the config, with its data revision resolved when not given (the Hub commit or a
        hash of the data read), so the signature and the cache id follow the data actually there, however the
        builder is made (a data file edited in place returned the old rows through ``SilverNER(...)``)."""
        import dataclasses

        config, _ = super()._create_builder_config(config_name, custom_features, **config_kwargs)
        if config.data_revision is None:
            config = dataclasses.replace(config, data_revision=config.resolve_data_revision())
        return config, config.config_id

    def _info(self) -> datasets.DatasetInfo:
        family = self.config.family
        return datasets.DatasetInfo(
            description=json.dumps({"config": self.config.name, "signature": self.config.signature().format()}),
            features=features_for(family, backtranslation=self.config.back_translation),
            citation="\n\n".join(c for c in (PAPER_CITATION, family.citation) if c),
            license=family.license,
        )

    # -- splits: run the stages, keep the finished chunks -------------------------------------------
    def _split_generators(self, dl_manager):
        return [
            datasets.SplitGenerator(name=_HF_SPLITS[split], gen_kwargs={"files": self._run_split(split)})
            for split in self.config.splits
        ]

    def _run_split(self, split: str) -> list[str]:
        from projection.cache import Store, cache_root
        from projection.runner import run

        root = Path(self.silver_cache_dir) if self.silver_cache_dir else cache_root()
        plan = self.config.plan(split, cache_dir=root, progress=self.progress)
        from projection.runner import CHUNK_SIZE

        result = run(plan.source, plan.stages, executor=self.executor, keep=False, checkpoint=Store("chunks", root),
                     chunk_size=CHUNK_SIZE if self.chunk_size is None else self.chunk_size, progress=self.progress,
                     desc=f"{self.config.name} {split}")  # fmt: skip
        if result.signature != self.config.signature():
            raise RuntimeError(
                f"{self.config.name}: the run's signature {result.signature.format()} differs from the config's "
                f"{self.config.signature().format()}: a model or data file it names may have changed while the build "
                f"ran (build again once nothing writes them); if none did, please report this bug"
            )
        if result.stats.sentences == 0:
            # found in review: a translate-train split whose every translation was empty (its pairs are dropped)
            # was written with no rows, and ``as_dataset`` then failed with datasets' 'Instruction "train"
            # corresponds to no data!' on this build and every later one of the config
            empty = result.stats.count("empty_translations")
            why = f": all {empty} of its translations were empty" if empty else ""
            raise ValueError(f"{self.config.name} {split}: no sentence pair is left to write{why}; a split needs at "
                             "least one row: check the translation model (mt_model) and the source data")
        self.runs[split] = result
        return list(result.chunk_files)

    def _generate_examples(self, files: list[str]) -> Iterator[tuple[Key, dict]]:
        from projection.io.pairs import decode
        from projection.runner import stored_pairs

        cfg = self.config
        signature = cfg.signature().format()
        for k, path in enumerate(files):
            try:
                with open(path, encoding="utf-8") as fh:
                    chunk = stored_pairs(json.load(fh))
            except (OSError, ValueError) as err:  # the run just wrote or checked it: changed since (another process)
                raise RuntimeError(f"{path}: the chunk file cannot be read since its run wrote it ({err}); build "
                                   "again (its chunk is computed again)") from err
            if chunk is None:
                raise RuntimeError(f"{path}: not a chunk of pairs; delete it and build again")
            for i, item in enumerate(chunk):
                row = make_row(decode(item), cfg.family, signature, cfg.drop_labels,
                               backtranslation=cfg.back_translation)  # fmt: skip
                yield Key(k, i), row

    def download_and_prepare(self, output_dir=None, *args, **kwargs):
        """``datasets``' ``download_and_prepare``, saying first when another process holds the builder's lock."""
        self._say_if_locked(output_dir)
        return super().download_and_prepare(output_dir, *args, **kwargs)

    def _say_if_locked(self, output_dir) -> None:
        """A warning when another process holds the lock ``datasets`` takes on this config's cache folder: it is
        building the same config into the same ``datasets`` cache, and this run waits for all of its build. Found in
        review: two builds of one config sharing ``--cache-dir`` started together, and the second waited (its
        progress at 0, or nothing under ``--quiet``) without a word for the whole build of the first, forever where
        that one was stopped or hung; the silver-ner cache's own locks say what a run waits for
        (``projection.cache.lock_or_wait``). A remote cache (no lock) is left alone."""
        try:
            import fcntl
        except ImportError:  # no flock (Windows): datasets locks otherwise
            return
        try:  # datasets' own lock class (a private module: another datasets version may name it otherwise)
            from datasets.utils._filelock import FileLock

            shorten = FileLock.hash_filename_if_too_long
        except (ImportError, AttributeError):
            return
        folder = os.fspath(output_dir) if output_dir is not None else self._cache_dir
        if "://" in folder:
            return
        try:  # datasets' own lock file (the same name: FileLock shortens a name too long for the disk)
            path = shorten(folder + "_builder.lock")
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # no lock file yet: nobody holds it
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released at once (os.close): only a probe
        except BlockingIOError:
            logger.warning("waiting for the datasets cache lock %s: another process is building config %s into the "
                           "same datasets cache (--cache-dir); this run goes on when that one ends, and then reuses "
                           "its files (Ctrl-C stops this one)", path, self.config.name)  # fmt: skip
        except OSError:  # a disk that locks no file: datasets' lock is not held either
            pass
        finally:
            os.close(fd)

    # -- metrics into the info ----------------------------------------------------------------------
    def _download_and_prepare(self, dl_manager, verification_mode, **prepare_splits_kwargs):
        self._clear_leftovers()
        super()._download_and_prepare(dl_manager, verification_mode, **prepare_splits_kwargs)
        self.info.description = json.dumps(self._build_summary(), sort_keys=True)

    def _clear_leftovers(self) -> None:
        """Empty the ``<output>.incomplete`` folder ``datasets`` writes into (``self._output_dir`` here): it reuses one
        that a killed build left (SIGKILL, a power cut), files and all, under the builder's lock, so what is there
        now is a dead build's. Found in review: the shards of a build killed with ``num_proc=2`` stayed beside the
        rerun's ``silver_ner-test.arrow``, the summary read all of them (the card's counts doubled) and the cache
        kept them. A remote cache is written in place (no ``.incomplete``): left as it is."""
        import shutil

        folder = self._output_dir
        if not folder.endswith(".incomplete") or not os.path.isdir(folder):
            return
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)

    def _build_summary(self) -> dict:
        """Signature and per-split metrics, read back from the files just written."""
        family = self.config.family
        features = self.info.features
        names = features["silver_ner_tags"].feature.names
        summary: dict = {"config": self.config.name, "config_signature": self.config.signature().format(), "metrics": {}}
        signatures = set()
        for split in self.config.splits:
            # the folder escaped: a cache path with [, * or ? (runs[2]/) matched no file, and every build failed
            folder = glob.escape(self._output_dir)
            pattern = os.path.join(folder, f"{self.dataset_name}-{_HF_SPLITS[split]}*.{self._file_format}")
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
                table.column("projected_entities").to_pylist(),
                # dropped types are not projected, so not scored: the config's drop_labels, and MISC wherever a model
                # mode drops it (misc=drop-after/-before in the signature; source_entities do not count it)
                tuple(sorted({*family.eval_ignore, *self.config.drop_labels, *(("MISC",) if family.needs_model else ())})),
            )  # fmt: skip
            summary["metrics"][split] = metrics.as_dict()
            for note in metrics.notes():  # as project and translate-test say them at the end of a run
                logger.warning("%s %s: %s", self.config.name, split, note)
            signatures.update(table.column("signature").unique().to_pylist())
        expected = self.config.signature().format()
        if signatures - {expected}:
            raise RuntimeError(f"{self.config.name}: rows carry signatures {sorted(signatures)}, expected {expected}")
        summary["signature"] = expected
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
