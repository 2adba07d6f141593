"""The three stage kinds of a run (datatrove style: one small base class per kind, one method each).

- ``Source.read()`` yields ``Pair`` values (streamed; the runner cuts them into fixed-size chunks). A source
  may also offer ``shards(size)``: the same chunks as ``Shard`` readers that the workers read themselves.
- ``Stage.process(pairs)`` maps a batch of pairs to a batch of pairs. A stage that holds a neural model sets
  ``uses_model`` and then runs in the process that loaded it (never in a forked or spawned worker).
- ``CorpusStage.fit(pairs)`` sees the whole split once, as a stream (training a statistical aligner), keeps
  only compact state (token ids, not a ``Pair`` per sentence) and returns the function that fills pair
  number ``k``; the runner keeps the pairs themselves in a scratch file meanwhile.
- ``Sink.write(chunk)`` consumes finished chunks in order; after the last, ``finish(run)`` gives every sink the
  run's totals, ``prepare()`` stages every output, ``close()`` commits (atomic files appear only then),
  ``abort()`` discards. A sink may name an ``encoder()``: a pure function of a chunk that the runner applies
  where the chunk was made (a worker), so that only its result (text, counts) travels back to ``write``.

Every kind has ``signature()`` (the ``(field, Part)`` pairs it adds to the run's ``Signature``), ``check()``
(fail fast, before any work: models available, paths writable), ``counts()`` (numbers for the report) and
``count_warnings(totals)`` (warnings about the run's added-up counts, logged once per run).
Stages never see the executor or the cache layout of the run.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, Iterator, Sequence

from projection.signature import Part
from projection.types import Pair

Fields = tuple[tuple[str, Part], ...]


class _Common:
    name: str = ""

    def signature(self) -> Fields:
        return ()

    def check(self) -> None:
        """Raise a clear error now if this step cannot run (called before any work)."""

    def counts(self) -> dict[str, int]:
        return {}

    def count_warnings(self, counts: dict[str, int]) -> list[str]:
        """Warnings about the run's ``counts`` (every part's, added up over all chunks), which the runner logs once
        at the end of a successful run: what each chunk would warn about, such as sentences cut off by a model's
        input limit, is counted by the stage and warned about here, with the run's total. ``[]`` by default."""
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"


class Shard(ABC):
    """``size`` consecutive pairs of a source that the process running their chunk reads itself (picklable)."""

    size: int = 0

    def __len__(self) -> int:
        return self.size

    @abstractmethod
    def read(self) -> tuple[list[Pair], dict[str, int]]:
        """The ``size`` pairs, in order, and what reading them counted (e.g. repaired tags) for the report."""


class Source(_Common, ABC):
    @abstractmethod
    def read(self) -> Iterator[Pair]:
        """The pairs of the run, in order."""

    def shards(self, size: int) -> Iterator[Shard] | None:
        """Optionally the same pairs as ``Shard`` readers of ``size`` pairs each (the last may hold fewer), so
        that workers read them; ``None`` (the default): the runner reads ``read()`` in the driver."""
        return None

    def __len__(self) -> int:  # pragma: no cover - optional, for progress bars
        raise TypeError(f"{type(self).__name__} does not know its length in advance")

    def expected_length(self) -> int | None:
        """Optionally, before ``len`` is known, a cheap count of the pairs for a progress bar's total on a terminal
        (``None``, the default: none); the bar takes ``len`` once the source knows it."""
        return None


class Stage(_Common, ABC):
    #: holds a neural model: runs in the driver process, never in a worker pool
    uses_model: bool = False

    @abstractmethod
    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        """The same pairs, in order, with this stage's field filled in (a stage may drop pairs only if its
        docstring says so, e.g. empty translations)."""


class CorpusStage(_Common, ABC):
    @abstractmethod
    def fit(self, pairs: Iterator[Pair]) -> Callable[[int, Pair], Pair]:
        """Read every pair of the split once, in order (keep only what the work needs, compactly); return
        ``fill(k, pair)``, which gives pair number ``k`` (0-based, in the same order) with the field filled."""


#: ``encode(pairs, first)``: a finished chunk -> what its sink's ``write`` receives (``first``: the number of the
#: chunk's first pair in the run, 0-based, for error messages)
Encoder = Callable[[Sequence[Pair], int], Any]


class Sink(_Common, ABC):
    def encoder(self) -> Encoder | None:
        """``None`` (the default): ``write`` receives each chunk's pairs. Otherwise a pure, picklable
        ``encode(pairs, first)`` that the runner applies to each finished chunk where it was made (a worker
        process, a Ray task); ``write`` then receives its result, and the pairs need not travel back."""
        return None

    @abstractmethod
    def write(self, chunk: Any) -> None:
        """Consume one finished chunk (chunks arrive in order): its pairs, or what ``encoder()`` made of them."""

    def finish(self, run: Any) -> None:
        """The run succeeded: ``run`` is its ``projection.runner.Run`` (signature, totals), given to every sink
        before any is prepared, for a sink that writes totals (``ReportSink``)."""

    def prepare(self) -> None:
        """The run succeeded: make what was written ready to commit, nothing visible yet (the runner prepares
        every sink before it closes any, so one that fails here leaves every output as it was)."""

    def close(self) -> None:
        """The run succeeded and every sink is prepared: commit what was written."""

    def abort(self) -> None:
        """The run failed: discard partial output."""
