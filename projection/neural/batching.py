"""Model batch sizes by device, and batches that shrink when the GPU runs out of memory.

The GPU sizes come from ``benchmarks/bench_models_gpu.py`` on an H100 (NLLB-200 3.3B architecture in bf16:
4.2 sentences/s at 16, 22.8 at 64, 40.1 at 128, 61.5 at 256; XLM-R large in fp32: 533 at 16, 781 at 64,
845 at 256): large batches keep the GPU busy where small ones leave it waiting on Python. 128 rather than
256 for translation leaves room on smaller cards; a batch that still does not fit is halved and retried.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

CPU_BATCH = 16
GPU_BATCH = {"translation": 128, "back-translation": 128, "NER": 64}


def batch_size_for(role: str, device: str, given: int | None, shrunk: int | None = None) -> int:
    """``given``, or the size for ``role`` on ``device`` (16 on CPU); at most ``shrunk`` (the size an earlier call
    of the same model went down to when the GPU ran out of memory: ``shrinking_batches``'s ``on_shrink``)."""
    size = given if given is not None else GPU_BATCH.get(role, CPU_BATCH) if device.startswith("cuda") else CPU_BATCH
    return min(size, shrunk) if shrunk is not None else size


def _out_of_memory() -> type[BaseException] | tuple[()]:
    torch = sys.modules.get("torch")
    return torch.cuda.OutOfMemoryError if torch is not None else ()  # torch.OutOfMemoryError only from 2.5 on


def shrinking_batches(
    items: Sequence[T], size: int, run: Callable[[Sequence[T]], R], *, what: str,
    on_shrink: Callable[[int], None] | None = None,
) -> Iterator[tuple[Sequence[T], R]]:
    """``(batch, run(batch))`` for consecutive batches of ``items``, ``size`` at a time. When ``run`` runs out
    of GPU memory the size is halved for this and every later batch (a warning says so, and ``on_shrink`` gets
    the new size: a model that keeps it starts its next call there, so a run's chunks do not run out of memory,
    and warn, one after another); at size 1 the error is raised."""
    start, oom = 0, _out_of_memory()
    while start < len(items):
        batch = items[start : start + size]
        try:
            result = run(batch)
        except oom:
            if size == 1:
                raise
            size = max(1, size // 2)
            if on_shrink is not None:
                on_shrink(size)
            sys.modules["torch"].cuda.empty_cache()
            logger.warning(
                "%s ran out of GPU memory; going on with batches of %d (set --batch-size to choose)", what, size
            )
            continue
        yield batch, result
        start += len(batch)
