"""The executor contract: ``map(task, items, in_process=…)`` yields ``task(item)`` for every item, in order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(ABC):
    name: str = ""

    @abstractmethod
    def map(self, task: Callable[[T], R], items: Iterable[T], *, in_process: bool = False) -> Iterator[R]:
        """``task(item)`` for each item, in the order of ``items``. ``in_process``: the task holds a loaded
        model and must run in this process. Implementations keep a bounded number of items in flight."""

    def describe(self) -> str:
        return self.name

    @property
    def parallel(self) -> bool:
        """Whether tasks may run in other processes (then sources may hand them shards to read)."""
        return True

    def model_device(self) -> str | None:
        """The device the model stages will run on where this executor fixes it (``None``: the process that loads
        a model picks: the GPU when it sees one). A config signs its models' dtype from it (bf16 on a GPU)."""
        return None
