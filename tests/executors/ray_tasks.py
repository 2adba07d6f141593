"""Picklable tasks and Ray worker setup hooks for the executor tests (imported by Ray workers as
``tests.executors.ray_tasks``, so they live in a module of their own, not in a test file)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

#: chunk size of every run in these tests: Europarl's first 60 sentences make 6 chunks
TEST_CHUNK_SIZE = 10


class Square:
    """``item ** 2`` after ``item * delay`` seconds (so later items may finish first)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def __call__(self, item: int) -> int:
        time.sleep(self.delay * (5 - item % 5))
        return item * item


class FailOn:
    """Raises ``ValueError`` for one item; the others are returned as they are."""

    def __init__(self, bad: int) -> None:
        self.bad = bad

    def __call__(self, item: int) -> int:
        if item == self.bad:
            raise ValueError(f"item {item} is bad")
        return item


class CrashOnce:
    """Kills its own worker process the first time it sees ``item`` (a marker file remembers it), as an
    out-of-memory kill would; Ray must retry the task on a new worker."""

    def __init__(self, item: int, marker: str) -> None:
        self.item = item
        self.marker = marker

    def __call__(self, item: int) -> tuple[int, int]:
        if item == self.item:
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass
            else:
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                os._exit(1)
        return item, os.getpid()


class ModelStage:
    """Stands for a segment with a loaded model: ``load`` happens on first use and is counted per object."""

    def __init__(self) -> None:
        self.loads = 0
        self.model_pid: int | None = None

    def __call__(self, item: int) -> tuple[int, int, int]:
        if self.model_pid is None:
            self.loads += 1
            self.model_pid = os.getpid()
        return item, os.getpid(), self.loads


def kill_driver_on_third_chunk() -> None:
    """Worker setup hook of the killed build: after the third chunk checkpoint is written, SIGKILL the driver
    (``$SILVER_NER_TEST_DRIVER``) and this worker, as a crash or a Ctrl-C'd job would end."""
    from projection.cache import Store

    put = Store.put
    written = [0]

    def counting_put(self, key, value):
        path = put(self, key, value)
        if self.kind == "chunks":
            written[0] += 1
            if written[0] == 3:
                Path(os.environ["SILVER_NER_TEST_MARKER"]).write_text("3 chunks checkpointed\n")
                os.kill(int(os.environ["SILVER_NER_TEST_DRIVER"]), signal.SIGKILL)
                os._exit(1)
        return path

    Store.put = counting_put
