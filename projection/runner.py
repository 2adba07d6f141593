"""The one runner: ``run(source, stages, sinks, executor=…)`` -> ``Run``.

Every entry point (the CLI verbs, the datasets builder, ``push.py``, the benchmarks) builds a plain list of
stages (``projection.plans``) and calls ``run``; nothing else orchestrates.

How a run flows:

1. The run's ``Signature`` is assembled from the source and the stages that will run; then every source,
   stage and sink is ``check()``-ed, so a missing model or an unwritable output fails before any work.
2. The source's pairs are cut into chunks of ``chunk_size`` pairs, counted from the first pair (when the
   source offers ``shards`` and no corpus stage needs the pairs first, each chunk is read where it runs). The chunk
   plan depends on nothing else (not on the executor, the number of processes or shards), so any executor
   gives byte-identical output.
3. Consecutive per-batch stages form a segment that the executor maps over chunks (stages with a model run
   in the driver process); a ``CorpusStage`` (a statistical aligner) fits once on the whole split as a stream
   while the runner spills the pairs to a scratch file (pickled chunks), so that memory holds only the
   stage's compact state; then the pairs stream back, filled, and the chunks are cut again in the same way.
4. With a ``checkpoint`` store, each chunk of the last segment is stored under a hash of the signature and
   the chunk's input: a killed run resumes from its finished chunks.
5. The last segment also applies each sink's ``encoder`` where the chunk is made (a worker), so only the
   encoded chunk (CoNLL text, entity counts) comes back; the driver hands the chunks to the sinks in order.
   With ``keep=False`` (and no checkpoint) the pairs themselves never travel back (flat memory, and a pool
   of workers does the formatting and counting too).
6. At the end every sink gets the finished run (``finish``), is made ready to commit (``prepare``), and only then
   are they committed (``close``), with Ctrl-C, SIGTERM and SIGHUP held back until the last one
   (``projection.tmp.deferred_signals``): the outputs are all new or all old.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import time
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from projection.cache import Store
from projection.executors.base import Executor
from projection.signature import Signature, content_hash
from projection.stages.base import CorpusStage, Encoder, Shard, Sink, Source, Stage
from projection.types import Alignment, Pair, ProjectedSentence

logger = logging.getLogger(__name__)

#: pairs per chunk: the unit of parallel work, of checkpoints and of builder shards
CHUNK_SIZE = 1000


@dataclass(frozen=True)
class RunStats:
    """What a run did: sentences out, source entities considered, entities that received a target span,
    counters reported by the stages (e.g. ``long_pairs``, ``split_long``, ``chunks_cached``), and seconds
    spent per stage."""

    sentences: int
    source_entities: int
    projected_entities: int
    counts: tuple[tuple[str, int], ...] = ()
    seconds: tuple[tuple[str, float], ...] = ()

    @property
    def projection_rate(self) -> float:
        """Share of source entities that received a target span."""
        return self.projected_entities / self.source_entities if self.source_entities else 1.0

    def count(self, name: str) -> int:
        return dict(self.counts).get(name, 0)

    def second(self, name: str) -> float:
        return dict(self.seconds).get(name, 0.0)


@dataclass(frozen=True)
class Run:
    """The result of ``run``: every finished pair (unless ``keep=False``), the signature and statistics."""

    pairs: tuple[Pair, ...]
    signature: Signature
    stats: RunStats
    executor: str = "local"
    #: cache files of the finished chunks, in order (with a ``checkpoint`` store)
    chunk_files: tuple[str, ...] = field(default=())

    @property
    def tags(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p.silver for p in self.pairs)

    @property
    def alignments(self) -> tuple[Alignment, ...]:
        return tuple(Alignment() if p.alignment is None else p.alignment for p in self.pairs)

    @property
    def projected(self) -> tuple[ProjectedSentence | None, ...]:
        return tuple(p.projected for p in self.pairs)


@dataclass(frozen=True)
class ChunkJob:
    #: the chunk's pairs, or the source's ``Shard`` that reads them where the task runs
    pairs: tuple[Pair, ...] | Shard
    key: str = ""
    done: tuple[Pair, ...] | None = None  # found in the checkpoint store
    #: the number of the chunk's first pair in the segment's input (0-based)
    first: int = 0
    #: what the stages counted on the chunk when it was made (stored with it: a resumed run reports them too)
    done_counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ChunkResult:
    #: the finished pairs; ``None`` when the run keeps no pairs and every sink takes an encoded chunk
    pairs: tuple[Pair, ...] | None
    key: str = ""
    seconds: tuple[tuple[str, float], ...] = ()
    cached: bool = False
    #: what the stages counted on this chunk (the stage objects may live in a worker: the driver adds these up)
    counts: tuple[tuple[str, int], ...] = ()
    #: what each of the task's encoders made of the chunk, in order
    encoded: tuple = ()
    #: pairs out, source entities considered, entities projected
    size: tuple[int, int, int] = (0, 0, 0)


class ChunkTask:
    """The stages of one segment applied to one chunk, then the sinks' ``encoders`` (last segment only);
    picklable: executors ship it to workers. ``keep_pairs=False`` sends back the encoded chunk and the
    counts, not the pairs."""

    def __init__(self, stages: Sequence[Stage], encoders: Sequence[Encoder] = (), keep_pairs: bool = True) -> None:
        self.stages = tuple(stages)
        self.encoders = tuple(encoders)
        self.keep_pairs = keep_pairs

    def parts(self) -> tuple:
        """The stages and encoders this task runs (an executor that ships the task names the one it cannot ship)."""
        return (*self.stages, *self.encoders)

    def __repr__(self) -> str:
        return f"ChunkTask({', '.join(map(repr, self.parts()))})"

    def __call__(self, job: ChunkJob) -> ChunkResult:
        """The chunk's work; without a model stage, with the cyclic garbage collector paused, then left as it was
        found. Such a chunk makes hundreds of thousands of small objects and no reference cycle (none in 3,000
        Europarl pairs read, projected and formatted), and the collections they set off (one per 700 new
        objects) walked them for nothing: about 6 % of ``project``'s time (``benchmarks/README.md``). A model
        stage keeps the collector: a cycle there may hold a tensor's memory, on a GPU too. Meanwhile
        ``counted_by_run()`` is true in the process that runs it (a worker too)."""
        token = _IN_CHUNK.set(True)
        try:
            if any(stage.uses_model for stage in self.stages):
                return self._process(job)
            enabled = gc.isenabled()
            gc.disable()
            try:
                return self._process(job)
            finally:
                if enabled:
                    gc.enable()
        finally:
            _IN_CHUNK.reset(token)

    def _process(self, job: ChunkJob) -> ChunkResult:
        seconds = []
        counts: Counter = Counter()
        if job.done is not None:
            pairs: Sequence[Pair] = job.done
            counts.update(dict(job.done_counts))
        else:
            if isinstance(job.pairs, Shard):
                t0 = time.perf_counter()
                pairs, read_counts = job.pairs.read()
                seconds.append(("read", time.perf_counter() - t0))
                counts.update(read_counts)
            else:
                pairs = list(job.pairs)
            for stage in self.stages:
                before = stage.counts()
                t0 = time.perf_counter()
                pairs = _checked_batch(stage, stage.process(pairs), len(pairs), job.first)
                seconds.append((stage.name, time.perf_counter() - t0))
                counts.update({k: v - before.get(k, 0) for k, v in stage.counts().items()})
        t0 = time.perf_counter()
        encoded = tuple(encode(pairs, job.first) for encode in self.encoders)
        if self.encoders:
            seconds.append(("write", time.perf_counter() - t0))
        n_src = n_proj = 0
        for p in pairs:
            if p.projected is not None:
                n_src += p.projected.n_source_entities
                n_proj += len({m.entity for m in p.projected.matches})
        return ChunkResult(
            tuple(pairs) if self.keep_pairs else None, job.key, tuple(seconds), job.done is not None,
            tuple(sorted(counts.items())), encoded, (len(pairs), n_src, n_proj),
        )  # fmt: skip


def _checked_batch(stage: Stage, out: Any, n: int, first: int) -> list[Pair] | tuple[Pair, ...]:
    """What ``stage.process`` returned for a chunk of ``n`` pairs: its pairs, in order, at most ``n`` (a stage may
    drop pairs, never add any); anything else is named here (found in review: ``None`` failed in the next stage as
    "'NoneType' object is not iterable", and a pair returned twice was written twice)."""
    if not isinstance(out, (list, tuple)) or not all(isinstance(p, Pair) for p in out):
        raise TypeError(f"{stage!r}.process must return a list of Pair, got {_what(out)} (pairs {first}-{first + n - 1} "
                        "of the run)")  # fmt: skip
    if len(out) > n:
        raise ValueError(f"{stage!r}.process returned {len(out)} pairs for the {n} it was given (pairs {first}-"
                         f"{first + n - 1} of the run): a stage returns the same pairs, in order (it may drop some)")
    return out


def _what(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        bad = next(v for v in value if not isinstance(v, Pair))
        return f"a {type(value).__name__} holding a {type(bad).__name__}"
    return "None" if value is None else f"a {type(value).__name__}"


def run_signature(source: Source, stages: Sequence[Stage]) -> Signature:
    fields = list(source.signature())
    for stage in stages:
        fields.extend(stage.signature())
    return Signature(tuple(fields))


def run(
    source: Source,
    stages: Sequence[Stage],
    sinks: Sequence[Sink] = (),
    *,
    executor: Executor | None = None,
    chunk_size: int = CHUNK_SIZE,
    keep: bool = True,
    checkpoint: Store | None = None,
    progress: bool = True,
    desc: str = "projecting",
) -> Run:
    """Run ``stages`` over ``source`` into ``sinks``; see the module docstring."""
    from projection.executors.local import LocalExecutor
    from projection.tmp import deferred_signals

    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    executor = executor if executor is not None else LocalExecutor(1)
    signature = run_signature(source, stages)
    for part in (source, *stages, *sinks):
        part.check()
    seconds: Counter = Counter()
    counts: Counter = Counter()  # batch stages' counts arrive with each chunk result
    cached = [0]
    encoders = [sink.encoder() for sink in sinks]
    keep_pairs = keep or checkpoint is not None or any(e is None for e in encoders)
    segments = _segments(stages)
    # one segment of batch stages (no corpus stage to feed) on parallel workers: they may read the source's shards
    sharded = executor.parallel and len(segments) == 1 and segments[0][1] and checkpoint is None
    shards = source.shards(chunk_size) if sharded else None
    stream: Iterator = shards if shards is not None else _chunks(source.read(), chunk_size)
    for corpus_stage, batch_stages in segments[:-1]:
        if corpus_stage is not None:
            stream = _chunks(_fitted(corpus_stage, stream, seconds), chunk_size)
        if batch_stages:
            task = ChunkTask(batch_stages)
            stream = (list(r.pairs or ()) for r in _map_chunks(task, stream, executor, None, signature, seconds,
                                                               counts, cached))  # fmt: skip
    corpus_stage, batch_stages = segments[-1]
    if corpus_stage is not None:
        stream = _chunks(_fitted(corpus_stage, stream, seconds), chunk_size)
    last = ChunkTask(batch_stages, [e for e in encoders if e is not None], keep_pairs)
    results = _map_chunks(last, stream, executor, checkpoint, signature, seconds, counts, cached)
    out: list[Pair] = []
    files: list[str] = []
    n = n_src = n_proj = 0
    bar = _progress(source, progress, desc)
    counted = bar is None or _length(source) is not None  # the bar's total is the source's count (else an estimate)
    shown = _SHOW_STEPS.set(progress)  # a corpus stage's long work (eflomal) shows its steps as the run does
    try:
        for result in results:
            encoded = iter(result.encoded)
            for sink, encoder in zip(sinks, encoders):
                sink.write(result.pairs if encoder is None else next(encoded))
            size, src_entities, projected = result.size
            n += size
            n_src += src_entities
            n_proj += projected
            if keep:
                out.extend(result.pairs or ())
            if result.key and checkpoint is not None:
                files.append(str(checkpoint.path(result.key)))
            if bar is not None:
                if not counted:  # known once the source was read through (before a corpus stage's fit ended)
                    total = _length(source)
                    if total is not None:
                        bar.total, counted = total, True
                bar.update(size)
        for part in (source, *(s for s in stages if isinstance(s, CorpusStage)), *sinks):
            counts.update(part.counts())
        if checkpoint is not None:
            counts["chunks_cached"] = cached[0]
        stats = RunStats(n, n_src, n_proj, tuple(sorted(counts.items())), tuple(sorted(seconds.items())))
        done = Run(tuple(out), signature, stats, executor.describe(), tuple(files))
        for sink in sinks:  # the totals, to a sink that writes them (a report) with the other outputs
            sink.finish(done)
        for sink in sinks:  # all outputs ready before any appears: a full disk fails the run with none replaced
            sink.prepare()
        with deferred_signals():  # a Ctrl-C or SIGTERM now would leave some outputs new and others old: held back
            for sink in sinks:
                sink.close()
        _warn_counts((source, *stages, *sinks), dict(stats.counts))
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    finally:
        _SHOW_STEPS.reset(shown)
        if bar is not None:
            bar.close()
    return done


def _segments(stages: Sequence[Stage | CorpusStage]) -> list[tuple[CorpusStage | None, list[Stage]]]:
    """``[(corpus stage or None, following batch stages), …]``; a segment may have no batch stage."""
    segments: list[tuple[CorpusStage | None, list[Stage]]] = [(None, [])]
    for stage in stages:
        if isinstance(stage, CorpusStage):
            segments.append((stage, []))
        elif isinstance(stage, Stage):
            segments[-1][1].append(stage)
        else:
            raise TypeError(f"a run's stages are projection.stages Stage or CorpusStage objects, got {stage!r}")
    return segments


def _fitted(stage: CorpusStage, stream: Iterator[list[Pair]], seconds: Counter) -> Iterator[Pair]:
    """Every pair of ``stream``, filled by ``stage``: the stage fits on the stream while each chunk is pickled
    to a scratch file (deleted when the stream ends or is closed); then the pairs are read back and filled."""
    import pickle

    from projection.tmp import scratch

    with scratch("corpus-") as tmp:
        path = tmp / "pairs.pickle"
        with open(path, "wb") as fh:

            def spilled() -> Iterator[Pair]:
                for chunk in stream:
                    pickle.dump(chunk, fh, protocol=pickle.HIGHEST_PROTOCOL)
                    yield from chunk

            feed = spilled()
            t0 = time.perf_counter()
            fill = stage.fit(feed)
            seconds[stage.name] += time.perf_counter() - t0
            if next(feed, None) is not None:
                raise RuntimeError(f"{stage!r}.fit returned before it read every pair of the split")
        t0 = time.perf_counter()
        k = 0
        with open(path, "rb") as fh:
            while True:
                try:
                    chunk = pickle.load(fh)
                except EOFError:
                    break
                out = []
                for p in chunk:
                    out.append(fill(k, p))
                    k += 1
                seconds[stage.name] += time.perf_counter() - t0
                yield from out
                t0 = time.perf_counter()


def _chunks(pairs: Iterable[Pair], size: int) -> Iterator[list[Pair]]:
    chunk: list[Pair] = []
    for p in pairs:
        chunk.append(p)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def chunk_key(signature: Signature, pairs: Sequence[Pair]) -> str:
    """The checkpoint key of a chunk: its input pairs under this run's signature."""
    from projection.io.pairs import encode

    return content_hash("chunk/1", signature.format(), json.dumps([encode(p) for p in pairs], ensure_ascii=False))


def _map_chunks(task, stream, executor, checkpoint, signature, seconds, counts, cached) -> Iterator[ChunkResult]:
    """``task`` over the chunks of ``stream`` through ``executor``, in order (with a ``checkpoint`` store,
    finished chunks are stored and found again). A task without stages runs here: nothing to ship."""
    from projection.io.pairs import encode

    def jobs() -> Iterator[ChunkJob]:
        first = 0
        for chunk in stream:
            job_first, first = first, first + len(chunk)
            if checkpoint is None:
                yield ChunkJob(chunk if isinstance(chunk, Shard) else tuple(chunk), first=job_first)
                continue
            key = chunk_key(signature, chunk)
            done, done_counts = _stored_chunk(checkpoint.get(key), len(chunk), checkpoint.path(key), key)
            yield ChunkJob(tuple(chunk), key, done, job_first, done_counts)

    if task.stages:
        results = executor.map(task, jobs(), in_process=any(s.uses_model for s in task.stages))
    else:  # only the sinks' encoders: no executor (Ray's in-process path would ship it to an actor)
        results = map(task, jobs())
    for result in results:
        for name, s in result.seconds:
            seconds[name] += s
        counts.update(dict(result.counts))
        if result.cached:
            cached[0] += 1
        elif checkpoint is not None:
            # the entry names its key: one copied or moved over another chunk's file is told from it (_stored_chunk)
            checkpoint.put(result.key, {"key": result.key, "pairs": [encode(p) for p in result.pairs],
                                        "counts": dict(result.counts)})
        yield result


def stored_pairs(entry: Any) -> list | None:
    """The encoded pairs of a checkpoint entry (``{"key": ..., "pairs": [...], "counts": {...}}``; no key before 0.6.4,
    a plain list before 0.4.2),
    ``None`` for anything else (an entry that cannot be read counts as absent)."""
    if isinstance(entry, dict) and isinstance(entry.get("pairs"), list):
        return entry["pairs"]
    return entry if isinstance(entry, list) else None


def _stored_chunk(entry: Any, n: int, where,
                  key: str = "") -> tuple[tuple[Pair, ...] | None, tuple[tuple[str, int], ...]]:
    """A checkpoint entry's pairs and counts; ``None`` (computed again) for an entry that is damaged: pairs that do
    not decode, another number of pairs than the chunk's ``n``, or links outside their pair, or that is another
    chunk's (it names another ``key``; entries written before 0.6.4 name none). Found in review: one chunk's file
    copied over another's name was reused, and the build published the first chunk's sentences twice."""
    from projection.io.pairs import decode

    pairs = stored_pairs(entry)
    if pairs is None:
        return None, ()
    if key and isinstance(entry, dict) and "key" in entry and entry["key"] != key:
        logger.warning("ignoring the checkpoint entry %s: it holds another chunk (a file copied or moved there); its "
                       "chunk is computed again", where)
        return None, ()
    try:
        done = tuple(decode(d) for d in pairs)
        intact = len(done) == n and all(p.alignment is None or p.alignment.fits(len(p.projection_source.tokens),
                                                                                  len(p.target.tokens)) for p in done)  # fmt: skip
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        intact = False
    if not intact:
        logger.warning("ignoring a damaged checkpoint entry %s: its chunk is computed again", where)
        return None, ()
    counts = entry.get("counts") if isinstance(entry, dict) else None
    ok = isinstance(counts, dict) and all(isinstance(k, str) and type(v) is int for k, v in counts.items())
    return done, tuple(sorted(counts.items())) if ok else ()


def _warn_counts(parts: Sequence[Any], totals: dict[str, int]) -> None:
    """The warnings of every part about the run's counts (``count_warnings``), each logged once: a stage that would
    warn about what each chunk counted (sentences cut by a model's input limit) is heard once per run, with the
    run's total, whether its chunks ran here, in a pool of workers or came from a checkpoint. Found in review: such
    a warning was printed once per 1,000-pair chunk."""
    seen: set[str] = set()
    for part in parts:
        for message in getattr(part, "count_warnings", lambda totals: [])(totals):
            if message not in seen:
                seen.add(message)
                logger.warning("%s", message)


#: true while this process runs a chunk of a run (``ChunkTask``, in the driver or a worker)
_IN_CHUNK: ContextVar[bool] = ContextVar("silver_ner_in_chunk", default=False)


def counted_by_run() -> bool:
    """Whether the batch this process works on now is a chunk of a run (``ChunkTask``): the runner then adds up
    the stages' counts over every chunk, and a stage that counts what it would warn about (``count_warnings``)
    warns once at the end of the run, so the code under it (an aligner, a translator) leaves its per-batch
    warning out. Outside a run (a library call of the aligner itself) the warning is logged at once."""
    return _IN_CHUNK.get()


def _length(source: Source) -> int | None:
    """The number of pairs of ``source`` if it knows it now (``len``), else ``None``."""
    try:
        return len(source)
    except TypeError:
        return None


def _progress(source: Source, enabled: bool, desc: str):
    if not enabled:
        return None
    # without a total yet (a file source counts its pairs as it reads them): on a terminal the source's estimate, and
    # its count once it knows it (run); disable=None: no bar off a terminal
    bar = _bar_class()(total=_length(source), desc=desc, unit="sent", leave=False, disable=None)
    if bar.total is None and not bar.disable:
        bar.total = source.expected_length()
        bar.refresh()
    return bar


#: whether the run now going on in this process shows progress bars (``run(progress=...)``)
_SHOW_STEPS: ContextVar[bool] = ContextVar("silver_ner_show_steps", default=False)


def progress_shown() -> bool:
    """Whether the run going on in this process shows progress bars (``run(progress=True)``): a model stage loading
    its model there may show that too (``projection.neural.hub.loading_bars``)."""
    return _SHOW_STEPS.get()


def step_bar(total: int, desc: str):
    """A bar of ``total`` steps for long work inside a stage (an aligner's training), shown on a terminal while a
    run with progress bars goes on; a disabled bar otherwise (outside a run, ``--quiet``, ``progress=False``)."""
    if not _SHOW_STEPS.get():
        return quiet_bar(total)
    return _bar_class()(total=total, desc=desc, unit="step", leave=False, disable=None)


def quiet_bar(total: int | None = None):
    """A bar that draws nothing, made without importing ``tqdm.auto``: in a Jupyter kernel without ``ipywidgets``
    that import prints tqdm's warning "IProgress not found. Please update jupyter and ipywidgets" on stderr (found in
    review: ``project_corpus(..., progress=False)``, which imports no model library, printed it from a notebook,
    through eflomal's step bar)."""
    from tqdm.std import tqdm

    return tqdm(total=total, disable=True)


@functools.cache
def _bar_class():
    """tqdm without its monitor thread (it only retunes a bar left without updates for 10 s): a process that
    runs one thread forks its pool's workers (``LocalExecutor``) instead of spawning them."""
    from tqdm.auto import tqdm

    return type("Bar", (tqdm,), {"monitor_interval": 0})
