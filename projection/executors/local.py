"""``LocalExecutor``: in this process, or over ``jobs`` worker processes. On Linux a process that runs a single
thread forks its workers, which start at once with every module it has imported; any other process spawns them
(a new interpreter that imports the stages again, ~0.25 s each), because a fork after torch, a BLAS or a
tokenizer started its threads can hang. On Linux the workers die with the process that started them, even when
it is killed (``projection.tmp.die_with``)."""

from __future__ import annotations

import os
import sys
from collections import deque
from itertools import chain, islice
from typing import Callable, Iterable, Iterator

from projection.executors.base import Executor, R, T


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: the ways ``LocalExecutor`` may start its workers ("forkserver" is not one: its workers' parent is the fork
#: server, so the parent-death signal that ties a worker to the driver cannot be set, and every worker exited)
START_METHODS = ("fork", "spawn")

#: fewer chunks than this run in this process: starting spawned workers (~0.3 s of imports) costs more than
#: they save on a few chunks (measured: ``benchmarks/README.md``, *Whole process*)
MIN_POOL_CHUNKS = 4


class LocalExecutor(Executor):
    name = "local"

    def __init__(self, jobs: int | None = 1, *, start_method: str | None = None) -> None:
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
            raise ValueError(f"jobs must be a positive number of processes (or None: all cores), got {jobs!r}")
        if start_method is not None and start_method not in START_METHODS:
            raise ValueError(f"start_method must be one of {', '.join(START_METHODS)} (or None: fork when this "
                             f"process runs one thread on Linux, else spawn), got {start_method!r}")  # fmt: skip
        self.jobs = jobs if jobs is not None else default_jobs()
        self.start_method = start_method

    def describe(self) -> str:
        return f"local ({self.jobs} process{'es' if self.jobs > 1 else ''})"

    @property
    def parallel(self) -> bool:
        return self.jobs > 1

    def map(self, task: Callable[[T], R], items: Iterable[T], *, in_process: bool = False) -> Iterator[R]:
        it = iter(items)
        if self.jobs == 1 or in_process or not _spawn_can_import_main():
            for item in it:
                yield task(item)
            return
        self._check_picklable(task)  # before any item: whether a pool runs (MIN_POOL_CHUNKS) depends on the input
        head: list[T] = []
        try:
            for item in islice(it, MIN_POOL_CHUNKS):
                head.append(item)
        except Exception:  # making the items failed (a read error): the items before it go first, as with 1 job
            for item in head:
                yield task(item)
            raise
        if len(head) < MIN_POOL_CHUNKS:  # a few chunks: a pool would only add its start-up time
            for item in head:
                yield task(item)
            return
        yield from self._pool_map(task, chain(head, it))

    def _check_picklable(self, task: Callable) -> None:
        """Workers receive ``task`` pickled: one that cannot be (a lock, an open file, a lambda in a stage) fails now,
        naming the part (found in review: the pool's feeder thread raised ``cannot pickle '_thread.lock' object``,
        naming nothing, and only on an input of ``MIN_POOL_CHUNKS`` chunks or more)."""
        import pickle

        try:
            pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as err:
            parts = getattr(task, "parts", None)
            culprit = next((p for p in (parts() if callable(parts) else ()) if not _picklable(p)), task)
            raise TypeError(f"{culprit!r} cannot be sent to worker processes (jobs={self.jobs}), which receive it "
                            f"pickled: {type(err).__name__}: {err}. Make it picklable (keep no lock, open file or "
                            "lambda on it; a class defined at module level), or run with jobs=1") from err  # fmt: skip

    def _pool_map(self, task: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            yield from self._pool_results(task, items)
        except BrokenProcessPool:
            raise WorkerDied(f"a worker process died before its work was done (killed, or out of memory?); run "
                             f"again, with fewer processes than --jobs {self.jobs} if memory is short") from None  # fmt: skip

    def _pool_results(self, task: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from projection.tmp import die_with

        ctx = multiprocessing.get_context(self.start_method or auto_start_method())
        pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=die_with,
                                   initargs=(os.getpid(),))  # fmt: skip
        try:
            window: deque = deque()
            it = iter(items)
            while True:
                try:
                    item = next(it)
                except StopIteration:
                    break
                except Exception:  # a read error: the items submitted before it give their results (or errors) first
                    while window:
                        yield window.popleft().result()
                    raise
                window.append(pool.submit(task, item))
                if len(window) >= 2 * self.jobs:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
            pool.shutdown(wait=True)
        except BaseException:
            _stop(pool)
            raise


#: seconds that the workers of a pool left early (an error, Ctrl-C) get to end on their own before they are killed
STOP_GRACE_S = 1.0


def _stop(pool) -> None:
    """End a pool whose results are no longer wanted (an error, Ctrl-C, the caller stopped reading): its queued work
    is cancelled, a worker still busy gets ``STOP_GRACE_S`` to end (Ctrl-C reaches the workers too: they leave
    quietly, their cleanup run), then it is killed. Found in review: the pool's own shutdown waited for every worker,
    so one that was stopped (SIGSTOP, Ctrl-Z) or hung in native code made a Ctrl-C print "interrupted" and then hang
    at exit forever, a second Ctrl-C too."""
    import time
    from multiprocessing.connection import wait

    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    # a worker's sentinel is readable once it has ended: waited on without reaping it (the pool's own thread does)
    running = {w.sentinel: w for w in workers}
    deadline = time.monotonic() + STOP_GRACE_S
    while running and (left := deadline - time.monotonic()) > 0:
        for sentinel in wait(list(running), left):
            del running[sentinel]
    for worker in running.values():
        worker.kill()  # SIGKILL: also ends a stopped process


class WorkerDied(RuntimeError):
    """A pool's worker process died (a signal, the kernel's out-of-memory killer): no output was written."""


def _picklable(obj: object) -> bool:
    import pickle

    try:
        pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return False
    return True


def auto_start_method() -> str:
    """``fork`` on Linux when this process runs one thread, counted by the kernel (``/proc/self/task``), so that
    the native thread pools of torch, a BLAS or a tokenizer count as well as Python's threads; ``spawn`` otherwise.
    The output is the same either way (tested); a forked worker only starts faster."""
    if not sys.platform.startswith("linux"):
        return "spawn"
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "spawn"


def _spawn_can_import_main() -> bool:
    """Spawned workers re-import ``__main__``: impossible for code typed into a REPL or piped to stdin, where
    the work then stays in this process. (Asked whatever the start method, so that whether a pool runs never
    depends on the thread count.)"""

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    ok = path is None and getattr(getattr(main, "__spec__", None), "name", None) is not None
    return ok or (path is not None and os.path.isfile(path))
