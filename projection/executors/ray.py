"""``RayExecutor``: the chunks of a run (and the configs of a ``silver-ner build`` job) as Ray tasks.

- CPU segments (projection) become Ray tasks, at most ``max_in_flight`` at a time, results in order (inside
  a Ray task a segment of one chunk runs in place: a round trip would only add latency). A task
  whose worker dies (OOM kill, lost node) is retried up to ``max_retries`` times by Ray; an exception raised
  by the task itself is not retried (it would fail the same way on the same data) and reaches the caller.
- A segment with a loaded model (``in_process=True``) runs in ONE actor that holds the task object, so each
  model loads once, in the actor; with ``num_gpus_per_model_task`` the actor asks Ray for that many GPUs
  (Ray sets ``CUDA_VISIBLE_DEVICES``; the stages' ``--device`` default picks it up). A crashed actor is
  restarted (``max_retries``) and reloads its model.
- A statistical aligner's training is a ``CorpusStage``: the runner runs it where the run runs (in
  ``silver-ner build`` that is the config's Ray task), on the whole split, never per chunk.

Ray is started on first use: ``address`` joins a running cluster (``ray start --head``, KubeRay,
``auto``); without it a local instance with this machine's cores is started (and shut down by ``close``).
Inside a Ray worker the worker's connection is reused, so the executor can travel inside a task.
The executor never changes what is computed: the runner's chunk plan is fixed, so output is byte-identical
to the local executor's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from projection.executors.base import Executor, R, T

logger = logging.getLogger(__name__)

#: environment variables the driver passes to every worker (the caches and offline switches of a run)
ENV_VARS = (
    "SILVER_NER_CACHE", "XDG_CACHE_HOME", "HF_HOME", "HF_HUB_CACHE", "HF_DATASETS_CACHE", "HF_HUB_OFFLINE",
    "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_TOKEN",
)  # fmt: skip


def loopback_only() -> None:
    """Make a Ray instance started here listen on 127.0.0.1 only: Ray otherwise binds a local instance to
    the machine's network address (it maps 127.0.0.1 to it). Works before or after ``import ray``."""
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    constants = sys.modules.get("ray._private.ray_constants")
    if constants is not None:
        constants.ENABLE_RAY_CLUSTER = False


def _check_listening(address: str, timeout: float = 5.0) -> None:
    """A ``ConnectionError`` at once for a HOST:PORT where nothing listens: ``ray.init`` retries such an address
    for about 12 minutes (20 tries of ~35 s) before it gives up. ``auto`` and ``ray://…`` are left to Ray."""
    host, sep, port = address.rpartition(":")
    if address == "auto" or "://" in address or not sep or not host or not port.isdigit():
        return
    import socket

    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as err:
        raise ConnectionError(f"nothing listens at {address}: {err.strerror or err}") from None


def whole_gpus_message(value: float, label: str) -> str:
    """Ray gives a task a fraction of one GPU or whole GPUs: 0.5 and 2 are valid, 1.5 is not."""
    return (f"{label} {value:g}: Ray gives a model actor a fraction of one GPU or whole GPUs; give a number ≤ 1 "
            "or a whole number (e.g. 0.5, 1, 2)")


def _ray():
    try:
        import ray
    except ImportError:
        raise ImportError(
            "the ray executor needs Ray: pip install 'silver-ner[ray]' (or use --executor local)"
        ) from None
    return ray


class RayExecutor(Executor):
    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        *,
        num_cpus: int | None = None,
        num_gpus_per_model_task: float = 0,
        max_retries: int = 3,
        max_in_flight: int | None = None,
        object_store_memory: int | None = None,
        runtime_env: dict[str, Any] | None = None,
    ) -> None:
        for label, value in (("max_retries", max_retries), ("num_cpus", num_cpus), ("max_in_flight", max_in_flight)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{label} must be a non-negative integer, got {value!r}")
        if num_cpus == 0 or max_in_flight == 0:
            raise ValueError("num_cpus and max_in_flight must be at least 1")
        if not isinstance(num_gpus_per_model_task, (int, float)) or num_gpus_per_model_task < 0:
            raise ValueError(f"num_gpus_per_model_task must be a number ≥ 0, got {num_gpus_per_model_task!r}")
        if num_gpus_per_model_task > 1 and not float(num_gpus_per_model_task).is_integer():
            # Ray refuses it only when a model actor is made, inside every config's task (found in review)
            raise ValueError(whole_gpus_message(num_gpus_per_model_task, "num_gpus_per_model_task"))
        if address is not None and num_cpus is not None:
            raise ValueError("num_cpus sizes a local Ray instance; a cluster at an address has its own (drop one)")
        self.address = address
        self.num_cpus = num_cpus
        self.num_gpus_per_model_task = num_gpus_per_model_task
        self.max_retries = max_retries
        self.max_in_flight = max_in_flight
        self.object_store_memory = object_store_memory
        self.runtime_env = dict(runtime_env or {})
        self._started = False
        self._cpus: int | None = None

    # -- connection -----------------------------------------------------------------------------------
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_started"] = False  # a copy inside a worker reuses the worker's connection, never shuts it down
        return state

    def connect(self) -> None:
        """Join ``address`` or start a local instance (once); inside a Ray worker: reuse its connection."""
        ray = _ray()
        if not ray.is_initialized():
            from projection.executors.local import default_jobs

            env = {k: os.environ[k] for k in ENV_VARS if os.environ.get(k)}
            runtime_env = dict(self.runtime_env)
            runtime_env["env_vars"] = {**env, **runtime_env.get("env_vars", {})}
            kwargs: dict[str, Any] = dict(include_dashboard=False, log_to_driver=False, runtime_env=runtime_env)
            if self.address is None:
                # "local": a new local instance even where RAY_ADDRESS is set (a Ray job's driver, a cluster node),
                # which ray.init would otherwise join, refusing num_cpus there (found in review)
                kwargs["address"] = "local"
                kwargs["num_cpus"] = self.num_cpus or default_jobs()
                loopback_only()
                if self.object_store_memory:
                    kwargs["object_store_memory"] = self.object_store_memory
            else:
                _check_listening(self.address)
                kwargs["address"] = self.address
            from projection.tmp import deferred_signals

            # a Ctrl-C inside Ray's start-up could stop it between its forks, leaving CPython's logging lock held (a
            # hung display) and Ray's processes without a shutdown: it takes effect once Ray is up, and closing this
            # executor then shuts Ray down
            with deferred_signals():
                try:
                    ray.init(**kwargs)
                except BaseException as err:  # Ray's own SIGTERM handler (installed first) exits from inside: stop
                    with contextlib.suppress(Exception):  # what started
                        ray.shutdown()
                    if self.address is not None and isinstance(err, ValueError):  # e.g. "Invalid address format":
                        raise ConnectionError(str(err)) from err  # the caller names the address (found in review)
                    raise
                self._started = True
        if self._cpus is None:
            resources = ray.cluster_resources()
            gpus = resources.get("GPU", 0)
            if self.address is None and self.num_gpus_per_model_task > gpus:  # a local instance cannot grow
                raise ValueError(
                    f"--gpus-per-model {self.num_gpus_per_model_task:g}: the local Ray instance has {gpus:g} GPUs; "
                    "leave --gpus-per-model out, or join a cluster with GPU nodes (--ray-address)"
                )
            self._cpus = max(1, int(resources.get("CPU", 1)))
            logger.info("connected: %s", self.describe())

    def close(self) -> None:
        """Shut Ray down if this executor started it (a joined cluster keeps running)."""
        if self._started:
            _ray().shutdown()
            self._started = False

    def __enter__(self) -> "RayExecutor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def model_device(self) -> str:
        """The model actors run on the GPUs ``num_gpus_per_model_task`` reserves for them, else on the CPU (a task
        without a reserved GPU does not use one), wherever the plan that signs them was made."""
        return "cuda" if self.num_gpus_per_model_task > 0 else "cpu"

    def describe(self) -> str:
        where = self.address or "local"
        cpus = self._cpus if self._cpus is not None else self.num_cpus
        return f"ray ({where}, {cpus} CPUs)" if cpus else f"ray ({where})"

    # -- mapping ----------------------------------------------------------------------------------------
    def map(
        self, task: Callable[[T], R], items: Iterable[T], *, in_process: bool = False, return_exceptions: bool = False
    ) -> Iterator[R]:
        """``task(item)`` per item, in order; ``in_process``: all items in one actor holding ``task`` (its
        model loads once). ``return_exceptions``: a failed item yields its exception instead of raising."""
        self.connect()
        ray = _ray()
        items = iter(items)
        if not in_process and _IN_WORKER:
            first = next(items, _END)  # inside a Ray task, a lone item runs in place: no round trip
            second = next(items, _END) if first is not _END else _END
            if second is _END:
                if first is not _END:
                    yield _call_here(task, first, return_exceptions)
                return
            items = _chain(first, second, items)
        fns = _remote()
        if in_process:
            actor = fns.actor.options(
                num_cpus=1, num_gpus=self.num_gpus_per_model_task, max_restarts=self.max_retries,
                max_task_retries=self.max_retries,
            ).remote(task)  # fmt: skip
            submit = actor.call.remote
            window_size = 2
        else:
            actor = None
            task_ref = ray.put(task)
            call = fns.call.options(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)

            def submit(item):
                return call.remote(task_ref, item)

            window_size = self.max_in_flight or 2 * (self._cpus or 1)
        window: deque = deque()
        try:
            for item in items:
                window.append(submit(item))
                if len(window) >= window_size:
                    yield _get(ray, window.popleft(), return_exceptions)
            while window:
                yield _get(ray, window.popleft(), return_exceptions)
        finally:
            for ref in window:  # the caller stopped early (or failed): do not leave work running
                with contextlib.suppress(Exception):
                    ray.cancel(ref)
            if actor is not None:
                with contextlib.suppress(Exception):
                    ray.kill(actor)

    # -- progress from tasks ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def progress_channel(self, report: Callable[[Any], None] | None, interval: float = 0.5) -> Iterator:
        """A picklable callable that tasks call with progress events; the events reach ``report`` here, in the
        driver (through a small actor polled every ``interval`` seconds). ``None`` when ``report`` is."""
        if report is None:
            yield None
            return
        self.connect()
        ray = _ray()
        box = _remote().mailbox.options(num_cpus=0).remote()
        stop = threading.Event()

        def drain() -> None:
            for event in ray.get(box.drain.remote()):
                report(event)

        def poll() -> None:
            while not stop.wait(interval):
                with contextlib.suppress(Exception):
                    drain()

        thread = threading.Thread(target=poll, name="ray-progress", daemon=True)
        thread.start()
        try:
            yield _Post(box)
        finally:
            stop.set()
            thread.join()
            with contextlib.suppress(Exception):
                drain()
                ray.kill(box)


class _Post:
    """Sends an event to the driver's mailbox actor (fire and forget)."""

    def __init__(self, box) -> None:
        self.box = box

    def __call__(self, event) -> None:
        self.box.put.remote(event)


_END = object()


def _chain(a, b, rest):
    yield a
    yield b
    yield from rest


def _call_here(task, item, return_exceptions: bool):
    if not return_exceptions:
        return task(item)
    try:
        return task(item)
    except Exception as err:  # noqa: BLE001 - handed to the caller
        return err


def _get(ray, ref, return_exceptions: bool):
    """``ray.get(ref)``; an exception the task raised comes back as itself (as with the local executor), not as
    Ray's ``RayTaskError(…)`` whose text is the remote traceback with terminal colours."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as err:
        cause = err.cause if isinstance(err.cause, Exception) else err
        if return_exceptions:
            return cause
        raise cause from None
    except Exception as err:
        if return_exceptions:
            return err
        raise


class _Remote:
    def __init__(self) -> None:
        ray = _ray()

        @ray.remote
        def call(task, item):
            _mark_worker()
            return task(item)

        @ray.remote
        class TaskActor:
            """Holds one segment's task (and so its models) for all of the segment's chunks."""

            def __init__(self, task) -> None:
                _mark_worker()
                self.task = task

            def call(self, item):
                return self.task(item)

        @ray.remote
        class Mailbox:
            def __init__(self) -> None:
                self.events: list = []

            def put(self, event) -> None:
                self.events.append(event)

            def drain(self) -> list:
                out, self.events = self.events, []
                return out

        self.call, self.actor, self.mailbox = call, TaskActor, Mailbox


_REMOTE: _Remote | None = None
#: this process is a Ray worker running one of our tasks (set by the task wrappers above)
_IN_WORKER = False


def _mark_worker() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def _remote() -> _Remote:
    global _REMOTE
    if _REMOTE is None:
        _REMOTE = _Remote()
    return _REMOTE
