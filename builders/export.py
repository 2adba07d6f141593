"""Build configs and write the publishable layout: ``README.md`` (the card) + ``<config>/<split>-*.parquet``.

    from builders.export import export
    result = export(["europarl-ner.*"], "out", aligner="fastalign.v1")            # one process
    result = export(["all"], "out", executor=RayExecutor("ray://head:10001"))     # a Ray cluster

``silver-ner build`` and ``push.py`` (which then makes one Hub commit) call ``export``. Each config is one
``BuildTask``: it builds the config (``builders.make.build``; the runner checkpoints every finished chunk, so
a killed job resumes) and returns its card record and the bytes of its Parquet files; the driver writes them.
With the local executor the configs run one after the other in this process and their chunks go to that
executor; with the Ray executor each config is a Ray task (its statistical aligner trains there, on the
whole split) and its chunks fan out again over the cluster. Either way the files are byte-identical.

A config that fails is returned with its reason (``ExportResult.failed``); the others are still written.
"""

from __future__ import annotations

import contextlib
import fnmatch
import math
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from cards.render import ConfigCard, merge_cards, read_card, render_card
from projection.executors.base import Executor

ROWS_PER_FILE = 100_000
DEFAULT_REPO_ID = "ORG/NAME"

_LICENSE_NOTES = {
    "europarl-ner": "Europarl: no known copyright restrictions",
    "translate-train.conll2003": "CoNLL-2003: Reuters RCV1, research use",
    "xtreme": "WikiANN / PAN-X: licence not stated",
    "translate-train.panx-en": "WikiANN / PAN-X: licence not stated",
    "uner-pud": "UNER annotations: CC BY-SA 4.0 (universalner/universal_ner); the UD PUD sentences: CC BY-SA 3.0",
}


@dataclass(frozen=True)
class ExportedFile:
    """One file of a config's export: its path relative to the export folder and its bytes (``None`` in
    ``ExportResult.outcomes``: written into the export folder, they are not kept)."""

    path: str
    data: bytes | None


@dataclass(frozen=True)
class ConfigOutcome:
    """What building one config gave: its card record and files, or the reason it failed."""

    name: str
    card: ConfigCard | None = None
    files: tuple[ExportedFile, ...] = ()
    error: str = ""
    seconds: float = 0.0
    #: chunks of the final stage that ran / were reused from the checkpoint store
    chunks_run: int = 0
    chunks_reused: int = 0
    executor: str = ""
    #: every split came from the ``datasets`` cache of an earlier build (no chunk ran)
    cached: bool = False


@dataclass(frozen=True)
class ExportResult:
    export_dir: Path
    configs: tuple[ConfigCard, ...]
    #: every file of the exported configs, relative to ``export_dir`` (README.md first)
    files: tuple[str, ...]
    #: ``(config, reason)`` of every config that failed (its files were not written)
    failed: tuple[tuple[str, str], ...] = ()
    outcomes: tuple[ConfigOutcome, ...] = ()
    executor: str = "local"
    #: ``(config, reason)`` of every config a family, glob or ``all`` named that the models cannot build (NLLB-200:
    #: bbj, pcm): left out, not failed (``select_configs``)
    skipped: tuple[tuple[str, str], ...] = ()


# -- config names ---------------------------------------------------------------------------------------


def check_repo_id(repo_id: str) -> str:
    """``ORG/NAME`` as the Hub accepts it, else a ``ValueError`` saying so (checked before any work)."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    if repo_id.count("/") != 1:
        raise ValueError(f"repo id must look like ORG/NAME, got {repo_id!r}")
    try:
        validate_repo_id(repo_id)
    except HFValidationError as err:
        raise ValueError(f"repo id {repo_id!r} is not a valid Hub dataset id: {err}") from None
    return repo_id


def check_export_dir(path: str | os.PathLike) -> None:
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise ValueError(f"export folder {p} is a file; give a folder (it holds README.md and <config>/*.parquet)")
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"export folder {p}: {parent} is a file, not a folder")
            break


def resolve_configs(patterns: Sequence[str]) -> list[str]:
    """Config names for ``patterns``: a name (``europarl-ner.de``), a family (``masakhaner2``), a glob
    (``masakhaner2.*``, ``*.de``) or ``all``; in the order given, each name once."""
    return [name for name, _ in _resolve(patterns)]


def _resolve(patterns: Sequence[str]) -> list[tuple[str, bool]]:
    """``resolve_configs`` with, per name, whether a pattern named it on its own (not through a family, a glob or
    ``all``)."""
    from builders.families import FAMILIES, all_config_names, parse_config_name

    names = all_config_names()
    out: dict[str, bool] = {}
    for pattern in patterns:
        explicit = False
        if pattern == "all":
            found = names
        elif pattern in FAMILIES:
            found = [n for n in names if n.rpartition(".")[0] == pattern]
        elif any(c in pattern for c in "*?["):
            found = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
            if not found:
                raise ValueError(
                    f"config pattern {pattern!r} matches no config; valid forms: a name (europarl-ner.de), a family "
                    f"({', '.join(FAMILIES)}), a glob (masakhaner2.*) or all{_did_you_mean(pattern)}"
                )
        else:
            try:
                parse_config_name(pattern)  # raises with the valid forms
            except ValueError as err:
                raise ValueError(f"{err}; --configs also takes a family ({', '.join(FAMILIES)}), a glob "
                                 f"(masakhaner2.*) or all{_did_you_mean(pattern)}") from None  # fmt: skip
            found, explicit = [pattern], True
        for n in found:
            out[n] = out.get(n, False) or explicit
    if not out:
        raise ValueError("no configs given; pick some of builders.all_config_names(), e.g. europarl-ner.de")
    return list(out.items())


def _did_you_mean(pattern: str) -> str:
    """``; did you mean X?`` for a config pattern that names nothing but is close to a name, family, glob or ``all``
    (a typo: ``masakhaner``, ``masakhaner2.hua``, ``xtreme.DE``, ``europarl.*``); ``""`` when nothing is close."""
    import difflib

    from builders.families import FAMILIES, all_config_names

    family, dot, lang = pattern.rpartition(".")
    if dot and family in FAMILIES:  # a known family: its languages alone are compared (xx is close to no name)
        langs = FAMILIES[family].langs
        close = [n for n in langs if n.lower() == lang.lower()] or difflib.get_close_matches(lang, langs, 3, 0.6)
        close = [f"{family}.{n}" for n in close]
    else:
        langs = sorted({n.rpartition(".")[2] for n in all_config_names()})
        if any(c in pattern for c in "*?["):
            forms = [*(f"{f}.*" for f in FAMILIES), *(f"*.{n}" for n in langs)]
        else:
            forms = [*FAMILIES, "all", *all_config_names()]
        close = [f for f in forms if f.lower() == pattern.lower()]
        if not close:  # the closest (masakhaner: masakhaner2; masakhaner.hau: masakhaner2.hau), and any as close
            scored = [(difflib.SequenceMatcher(None, pattern.lower(), f.lower()).ratio(), f) for f in forms]
            best = max(score for score, _ in scored)
            close = [f for score, f in sorted(scored, key=lambda x: -x[0]) if score >= max(0.75, best - 0.05)][:2]
    if not close:
        return ""
    return f"; did you mean {' or '.join(close)}?"


def select_configs(patterns: Sequence[str], *, data_dir: str | os.PathLike | None = None,
                   **method: Any) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """The configs of ``patterns`` to build, validated with the method options (``SilverNERConfig`` fields), and
    ``(name, reason)`` of the configs left out: those a family, a glob or ``all`` named whose translation (or
    back-translation) model has no code for their language (NLLB-200 lacks bbj and pcm), so that
    ``--configs all`` builds everything else and succeeds. A config named on its own that cannot be built, or
    patterns that leave nothing to build, raise ``ValueError`` before any work, as does a ``data_dir`` that is not
    a folder (every config would fail reading it)."""
    from builders.make import language_error, make_config
    from projection.neural.langs import LANGUAGE_NAMES

    entries = _resolve(patterns)
    if data_dir is not None and not os.path.isdir(data_dir):
        what = "is not a folder" if os.path.exists(data_dir) else "does not exist"
        raise ValueError(f"data_dir (--data-dir) {data_dir} {what}; give the folder that holds the family's files in "
                         "its published layout (masakhaner2: DIR/<lang>/test.txt; xtreme: DIR/test-<lang>.tsv), or "
                         "leave it out to read the Hub")  # fmt: skip
    names, skipped = [], []
    for name, explicit in entries:
        cfg = make_config(name, data_dir=data_dir, **method)  # validates the name and the options
        err = language_error(cfg)
        if err is None:
            names.append(name)
        elif explicit:
            raise ValueError(err.for_config(name))
        else:
            lang = LANGUAGE_NAMES.get(err.lang, err.lang)
            skipped.append((name, f"the {err.role} model {err.model} has no language code for {err.lang} ({lang})"))
    if not names:
        raise ValueError(f"nothing to build: {skipped_note(tuple(skipped))}")
    return names, tuple(skipped)


def skipped_note(skipped: Sequence[tuple[str, str]]) -> str:
    """One line for the configs ``select_configs`` left out: their names grouped by reason, and what to do."""
    by_reason: dict[str, list[str]] = {}
    for name, reason in skipped:
        by_reason.setdefault(reason, []).append(name)
    groups = "; ".join(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items())
    return (f"left out {len(skipped)} config(s) that these models cannot build ({groups}); name one of them in "
            "--configs to see the ways out")


# -- one config -----------------------------------------------------------------------------------------


def _dataset_info_entry(name: str, split_ds: dict, download_size: int) -> dict[str, Any]:
    """The card's ``dataset_info`` entry as ``push_to_hub`` writes it: per split the Arrow bytes ``datasets``
    recorded and the rows; ``download_size``: the Parquet bytes; ``dataset_size``: the splits' Arrow bytes."""
    import datasets

    first = next(iter(split_ds.values()))
    info = datasets.DatasetInfo(features=first.features)
    info.splits = datasets.SplitDict()
    for split, ds in split_ds.items():
        recorded = ds.info.splits.get(split) if ds.info.splits else None
        num_bytes = recorded.num_bytes if recorded is not None and recorded.num_bytes else ds.data.nbytes
        info.splits.add(datasets.SplitInfo(name=split, num_bytes=num_bytes, num_examples=len(ds)))
    info.download_size = download_size
    info.dataset_size = sum(s.num_bytes for s in info.splits.values())
    return {"config_name": name, **info._to_yaml_dict()}


def export_built(built, export_dir: Path) -> tuple[ConfigCard, list[str]]:
    """Write one built config's splits as Parquet under ``export_dir/<config>/``; its card record."""
    from projection.cache import atomic_open

    cfg = built.config
    family = cfg.family
    folder = export_dir / cfg.name
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.parquet"):
        stale.unlink()
    files, data_files = [], {}
    for split in sorted(built.splits):
        ds = built.splits[split]
        n = max(1, math.ceil(len(ds) / ROWS_PER_FILE))
        for k in range(n):
            part = ds.shard(num_shards=n, index=k, contiguous=True) if n > 1 else ds
            rel = f"{cfg.name}/{split}-{k:05d}-of-{n:05d}.parquet"
            with atomic_open(export_dir / rel, "wb") as fh:
                part.to_parquet(fh)
            files.append(rel)
        data_files[split] = f"{cfg.name}/{split}-*.parquet"
    card = ConfigCard(
        name=cfg.name,
        kind=family.kind,
        languages=tuple(sorted({cfg.lang, "en"})),
        license=family.license,
        source_datasets=family.source_datasets,
        signature=built.signature,
        metrics={s: m.as_dict() for s, m in sorted(built.metrics.items())},
        data_files=data_files,
        license_note=_LICENSE_NOTES.get(family.name, ""),
        citation="\n\n".join(c for c in (built.splits[next(iter(built.splits))].info.citation,) if c),
        dataset_info=_dataset_info_entry(cfg.name, dict(built.splits), sum((export_dir / f).stat().st_size for f in files)),
    )
    return card, files


class BuildTask:
    """Builds one config and returns a ``ConfigOutcome`` (never raises for a config's own failure).

    Picklable: the Ray executor runs it as a task. ``executor`` processes the config's chunks (in a Ray worker
    the Ray executor reuses that worker's connection); ``report`` receives chunk progress."""

    def __init__(self, *, data_dir=None, method=None, cache_dir=None, num_proc=None, silver_cache_dir=None,
                 executor=None, report: Callable | None = None, chunk_size: int | None = None) -> None:  # fmt: skip
        self.chunk_size = chunk_size
        self.data_dir = data_dir
        self.method = dict(method or {})
        self.cache_dir = cache_dir
        self.num_proc = num_proc
        self.silver_cache_dir = silver_cache_dir
        self.executor = executor
        self.report = report

    def config(self, name: str):
        from builders.make import make_config

        return make_config(name, data_dir=self.data_dir, **self.method)

    def __call__(self, name: str) -> ConfigOutcome:
        from builders.make import build
        from projection.executors import LocalExecutor
        from projection.tmp import scratch

        start = time.perf_counter()
        inner = self.executor if self.executor is not None else LocalExecutor(1)
        counting = CountingExecutor(inner, name, self.report)
        try:
            cfg = self.config(name)
            counting.expect({split: _pairs(cfg, split) for split in cfg.splits}, self.chunk_size)
            built = build(cfg, cache_dir=self.cache_dir, num_proc=self.num_proc, silver_cache_dir=self.silver_cache_dir,
                          progress=False, executor=counting, chunk_size=self.chunk_size)  # fmt: skip
            # in this process's scratch directory (found in review: a TemporaryDirectory of its own was left in the
            # system's temporary folder, with a whole copy of the Parquet files, by a build killed while it wrote
            # them, and never swept; a SIGTERM left it too): removed on SIGTERM, swept after a SIGKILL
            with scratch("export-") as tmp:
                card, written = export_built(built, tmp)
                files = tuple(ExportedFile(rel, (tmp / rel).read_bytes()) for rel in written)
        except Exception as err:  # noqa: BLE001 - a failing config is reported by name, the others go on
            counting.finish(failed=True)
            err = _cause(err)
            reason = " ".join(f"{type(err).__name__}: {err}".split())
            return ConfigOutcome(name, error=reason, seconds=time.perf_counter() - start,
                                 chunks_run=counting.run_count, chunks_reused=counting.reused,
                                 executor=inner.describe())  # fmt: skip
        counting.finish()
        return ConfigOutcome(name, card, files, seconds=time.perf_counter() - start, chunks_run=counting.run_count,
                             chunks_reused=counting.reused, executor=inner.describe(), cached=counting.cached)  # fmt: skip


def _cause(err: BaseException) -> BaseException:
    """The error under ``datasets``' ``DatasetGenerationError`` ("An error occurred while generating the dataset"), which
    wraps whatever ``SilverNER._generate_examples`` raised. Found in review: a chunk file deleted or damaged after its
    run failed the build with that sentence alone, never naming the file nor saying to delete it and build again."""
    from datasets.exceptions import DatasetGenerationError

    while isinstance(err, DatasetGenerationError) and err.__cause__ is not None:
        err = err.__cause__
    return err


def _pairs(cfg, split: str) -> int | None:
    """Sentence pairs the split starts from (for the progress total); ``None`` when it cannot be read now
    (the build then reports the real error)."""
    try:
        return len(cfg.plan(split).source)
    except Exception:  # noqa: BLE001
        return None


# -- progress: chunks of the final stage, per config ------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """One progress event: ``config``'s final-stage chunks ``done`` of ``total`` (``None``: unknown yet),
    ``reused`` of them from the checkpoint store; ``state`` is ``running``, ``done``, ``cached`` (done, every split
    taken from the ``datasets`` cache of an earlier build: no chunk ran) or ``failed``."""

    config: str
    done: int
    total: int | None
    reused: int = 0
    state: str = "running"


class CountingExecutor(Executor):
    """Wraps the executor of one config's runs and reports every finished chunk of the final (projection)
    stage; the counts also say how many chunks the checkpoint store gave back (a resumed build)."""

    def __init__(self, inner, config: str, report: Callable[[Progress], None] | None) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "")
        self.config = config
        self.report = report
        self.run_count = 0
        self.reused = 0
        self.total: int | None = None
        self._pairs: dict[str, int | None] = {}
        self._splits_seen = 0

    def describe(self) -> str:
        return self.inner.describe()

    def model_device(self) -> str | None:
        return self.inner.model_device()

    @property
    def parallel(self) -> bool:
        return self.inner.parallel

    def expect(self, pairs: dict[str, int | None], chunk_size: int | None = None) -> None:
        """Sentence pairs per split: the first estimate of the total is one chunk per ``chunk_size`` pairs
        (default ``CHUNK_SIZE``)."""
        from projection.runner import CHUNK_SIZE

        size = chunk_size or CHUNK_SIZE
        self._pairs = dict(pairs)
        if all(n is not None for n in self._pairs.values()):
            self.total = sum(max(1, math.ceil(n / size)) for n in self._pairs.values())
        self._emit()

    def _emit(self, state: str = "running") -> None:
        if self.report is not None:
            self.report(Progress(self.config, self.run_count + self.reused, self.total, self.reused, state))

    @property
    def cached(self) -> bool:
        """Whether no projection ran at all: the ``datasets`` cache held every split (found in review: the display
        said ``done, chunks 0/0`` and the summary ``0 chunk(s) run``, naming no cache)."""
        return self._splits_seen == 0

    def finish(self, *, failed: bool = False) -> None:
        if not failed:
            self.total = self.run_count + self.reused
        self._emit("failed" if failed else "cached" if self.cached else "done")

    def map(self, task, items, *, in_process: bool = False) -> Iterator:
        final = any(getattr(s, "name", "") == "project" for s in getattr(task, "stages", ()))
        if not final:
            yield from self.inner.map(task, items, in_process=in_process)
            return
        split = list(self._pairs)[self._splits_seen] if self._splits_seen < len(self._pairs) else None
        self._splits_seen += 1
        counted_total = self.run_count + self.reused
        for k, result in enumerate(self.inner.map(task, items, in_process=in_process)):
            if k == 0:  # the first chunk's size is the chunk size (or the whole split): the split's chunk count
                n = self._pairs.get(split) if split else None
                size = len(result.pairs)
                if n and size:  # splits still to come keep their estimate
                    later = list(self._pairs.values())[self._splits_seen:]
                    rest = sum(max(1, math.ceil(m / size)) for m in later if m)
                    self.total = counted_total + math.ceil(n / size) + rest
            if result.cached:
                self.reused += 1
            else:
                self.run_count += 1
            self._emit()
            yield result


# -- the job --------------------------------------------------------------------------------------------


def export(
    configs: Sequence[str],
    export_dir: str | os.PathLike,
    *,
    data_dir: str | None = None,
    repo_id: str = DEFAULT_REPO_ID,
    cache_dir: str | None = None,
    num_proc: int | None = None,
    silver_cache_dir: str | None = None,
    alignment_cache_dir: str | None = None,
    work_dir: str | None = None,
    progress: bool | Callable[[Progress], None] = True,
    executor=None,
    chunk_size: int | None = None,
    **method: Any,
) -> ExportResult:
    """Build ``configs`` (names, families, globs or ``all``) with the method options (``aligner``,
    ``matcher``, ``limit`` … see ``SilverNERConfig``) on ``executor`` (default: local, one process) and write
    them with a card into ``export_dir`` (configs already exported there are kept in the card). Bad options
    or names raise ``ValueError`` before any work; a config that fails while building is listed in
    ``ExportResult.failed``. A config that a family, glob or ``all`` named and the models cannot build (NLLB-200:
    bbj, pcm) is left out (``ExportResult.skipped``); one named on its own is refused before any work.
    ``progress``: a callable receiving ``Progress`` events (``True``: none here; the CLI draws them)."""
    from projection.executors import LocalExecutor

    # validates every config (names, options) before any work; leaves out what a family, glob or all named that the
    # models cannot build (found in review: --configs all failed bbj and pcm every time, exit 1, and push.py then
    # published nothing; a config named on its own failed only after the others were built)
    names, skipped = select_configs(configs, data_dir=data_dir, **method)
    if repo_id != DEFAULT_REPO_ID:
        check_repo_id(repo_id)
    check_export_dir(export_dir)
    report = progress if callable(progress) else None
    root = silver_cache_dir or alignment_cache_dir or work_dir
    if root is None:
        from projection.cache import cache_root

        if not cache_root().is_absolute():  # a relative SILVER_NER_CACHE (or XDG_CACHE_HOME): the caller's folder's
            root = str(cache_root())  # too, not the worker's (Ray passes the variable on as it is)
    # resolved here, in the folder the user named them from: on Ray each config is built in a task whose worker runs
    # in its own folder (``/`` under ``ray start``), where a relative --data-dir was not found and a relative
    # --cache-dir / --silver-cache were written (and a rerun's checkpoints looked for) somewhere else
    data_dir, root = (os.path.abspath(p) if p else p for p in (data_dir, root))
    if cache_dir and "://" not in str(cache_dir):  # datasets reads "~" and remote URLs itself
        cache_dir = os.path.abspath(os.path.expanduser(cache_dir))
    executor = executor if executor is not None else LocalExecutor(1)
    task = BuildTask(data_dir=data_dir, method=method, cache_dir=cache_dir, num_proc=num_proc, silver_cache_dir=root,
                     executor=executor, chunk_size=chunk_size)  # fmt: skip
    from builders.make import check_tagger_types

    check_tagger_types(names, method.get("ner_model"))
    out = Path(export_dir)
    _read_card(out)  # and the card the new configs will be merged into
    for name in names:  # each config's folder: a file there would fail the export after the builds
        if (out / name).exists() and not (out / name).is_dir():
            raise ValueError(f"{out / name} is a file, where the export writes config {name}'s Parquet files; "
                             "move it, or choose another export folder")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    outcomes, cards, files, failed = [], [], [], []
    for outcome in _outcomes(task, names, executor, report):
        if outcome.error:
            failed.append((outcome.name, outcome.error))
        else:
            error = _commit(out, outcome, repo_id, root)
            if error:
                failed.append((outcome.name, error))
            else:
                cards.append(outcome.card)
                files.extend(f.path for f in outcome.files)
        # the bytes are on disk (or failed to get there): the driver keeps none (found in review: every config's
        # Parquet bytes were held until the last config was built, ~340 MB for the 57-language plan)
        outcomes.append(replace(outcome, files=tuple(ExportedFile(f.path, None) for f in outcome.files)))
    return ExportResult(out, tuple(cards), ("README.md", *files) if cards else (), tuple(failed), tuple(outcomes),
                        executor.describe(), skipped)  # fmt: skip


def _commit(out: Path, outcome: ConfigOutcome, repo_id: str, lock_root) -> str:
    """One built config's Parquet files and card record, committed as one as soon as it is built (found in review:
    nothing reached the export folder before the last config was built, so a driver killed late in a long job left
    no file), under the card's lock (two builds of one config into one folder once wrote their files unlocked, so the
    card of one described the other's files, or the folder kept both builds' shards, which the card's glob matched)
    and with Ctrl-C / SIGTERM held back (a build stopped between the two left new files under the old card's numbers
    and signature). Returns why it failed ("" when written): the config fails alone."""
    from projection.tmp import deferred_signals

    with _card_lock(out, lock_root), deferred_signals():
        try:
            _write_config(out, outcome)
        except OSError as err:  # this config's folder (a full disk, a folder where a file goes)
            return f"writing its files into {out / outcome.name}: {err}"
        _merge_card(out, repo_id, [outcome.card])
    return ""


def _outcomes(task: BuildTask, names: list[str], executor, report) -> Iterator[ConfigOutcome]:
    """Local: configs one after the other in this process (their chunks on ``executor``). Ray: one task per
    config, chunks fanned out from there; progress comes back through a small actor."""
    if getattr(executor, "name", "") != "ray":
        task.report = report
        yield from (task(name) for name in names)
        return
    with executor.progress_channel(report) as remote_report:
        task.report = remote_report
        for name, outcome in zip(names, executor.map(task, names, return_exceptions=True)):
            if isinstance(outcome, BaseException):  # the task itself died (after Ray's retries)
                reason = " ".join(f"{type(outcome).__name__}: {outcome}".split())
                if report is not None:
                    report(Progress(name, 0, None, 0, "failed"))
                outcome = ConfigOutcome(name, error=reason, executor=executor.describe())
            yield outcome


def _write_config(out: Path, outcome: ConfigOutcome) -> None:
    """The config's Parquet files: every new file is written and on disk (each a temporary sibling, fsynced) before
    any old one is replaced or removed, so a write that fails (a full disk) leaves the old files as they were, under
    the old card (found in review: the stale shards were removed first, and a failed rebuild left one new shard under
    the old card's numbers)."""
    from projection.cache import atomic_open

    folder = out / outcome.name
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as staged:  # on leaving: each temporary file renamed over its place (or removed)
        for f in outcome.files:
            fh = staged.enter_context(atomic_open(out / f.path, "wb"))
            fh.write(f.data)
            fh.flush()
            os.fsync(fh.fileno())  # here, not when the stack closes: a full disk fails before any rename
    keep = {f.path for f in outcome.files}
    for stale in folder.glob("*.parquet"):
        if f"{outcome.name}/{stale.name}" not in keep:
            stale.unlink()


def _read_card(out: Path) -> tuple[list[ConfigCard], list[dict], list[dict], dict | None]:
    """``read_card`` of ``out/README.md`` (nothing when there is none); a ``ValueError`` naming the file for a card
    that does not parse."""
    readme = out / "README.md"
    if not readme.is_file():
        return [], [], [], None
    text = readme.read_text(encoding="utf-8")
    if text.strip() and not text.startswith("---"):  # e.g. a project's own README: the card would replace it
        raise ValueError(f"{readme} is not a dataset card (it has no YAML front matter) and the export would replace "
                         "it; choose another export folder, or move the file")  # fmt: skip
    return read_card(text, str(readme))


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the export folder itself, where the system allows one (not on every network disk):
    the card's lock in the silver-ner cache is another file for a build given another cache (``--silver-cache``,
    ``SILVER_NER_CACHE``), whose card merge then overwrote the other build's configs."""
    from projection.cache import lock_or_wait

    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        try:
            lock_or_wait(fd, folder)
        except OSError:  # a disk that locks no folder: the cache's lock alone
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def write_card(out: Path, repo_id: str, cards: Sequence[ConfigCard], *,
               lock_root: str | os.PathLike | None = None) -> None:
    """``out/README.md``: the card of ``cards`` merged into the one already there (if any). The read, merge and write
    hold a lock (in the silver-ner cache, keyed by the folder: the export folder holds only what is published): two
    builds into one folder once each merged into the same old card, and the last writer dropped the other's
    configs. ``lock_root``: the silver-ner cache the build was given (``--silver-cache``; default ``cache_root()``):
    a build given one once still locked in the default cache, and failed after writing its Parquet files (and no
    card) where that folder could not be made."""
    with _card_lock(out, lock_root):
        _merge_card(out, repo_id, cards)


@contextlib.contextmanager
def _card_lock(out: Path, lock_root: str | os.PathLike | None) -> Iterator[None]:
    """The lock of the export folder ``out``'s card (see ``write_card``); not reentrant (``flock``)."""
    from projection.cache import cache_root, file_lock
    from projection.signature import content_hash

    locks = (Path(lock_root) if lock_root else cache_root()) / "locks"
    # the folder's bytes (a name that is not UTF-8, kept by Python as surrogates, has no UTF-8 text to hash)
    with file_lock(locks / f"card-{content_hash(os.fsencode(out.resolve()))[:16]}.lock"), _folder_lock(out):
        yield


def _merge_card(out: Path, repo_id: str, cards: Sequence[ConfigCard]) -> None:
    """``write_card``'s read, merge and write, under ``_card_lock`` held by the caller."""
    from projection.cache import atomic_write_text

    old, foreign_configs, foreign_infos, settings = _read_card(out)
    merged = merge_cards(old, cards)
    atomic_write_text(out / "README.md", render_card(repo_id, merged, foreign_configs=foreign_configs,
                                                     foreign_infos=foreign_infos, settings=settings))  # fmt: skip
