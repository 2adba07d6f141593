"""Sinks: silver CoNLL, Pharaoh alignments, evaluation against gold, a JSON report of the run. Files appear
atomically at ``close()`` (an aborted run leaves no partial file); ``check()`` makes sure every output can be
written before any work."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Sequence

from projection.evaluate import EntityCounts, ignored_types
from projection.stages.base import Encoder, Sink
from projection.types import Alignment, Pair


def check_writable(path: str | os.PathLike, *, what: str, inputs: Sequence[str | os.PathLike] = ()) -> Path:
    """``path`` can be written (parents are created) and is none of ``inputs``; a ``ValueError`` that names
    the path and the fix otherwise."""
    p = Path(path)
    if p.is_dir() or str(path).endswith((os.sep, "/")):  # Path() drops a trailing slash: "out/" named a folder
        raise ValueError(f"{what} {path} is a directory; give a file name")
    if p.exists() and not p.is_file():  # a file appears by a rename over the path: it would replace the node itself
        raise ValueError(f"{what} {path} is not a regular file (a device such as /dev/stdout or /dev/null, or a "
                         f"pipe); the output is written to a temporary file and renamed over that path, which would "
                         f"replace it: give a file name")
    if _open_file_link(path):  # /dev/stdout with stdout redirected to a file: is_file() follows the link to that file
        raise ValueError(f"{what} {path} names a file that a process holds open (a link into /proc/PID/fd, as "
                         f"/dev/stdout and /dev/fd/N are), not a file name; the output is written to a temporary file "
                         f"and renamed over that path, which would replace the link, not write the open file: give "
                         f"the file's own name")
    if len(os.fsencode(p.name)) > 200:  # the name's bytes on disk (a name that is not UTF-8 has no .encode)
        raise ValueError(f"{what} {p}: the file name is too long ({len(p.name)} characters); choose a shorter name")
    for other in inputs:
        if other is not None and Path(other).exists() and p.exists() and os.path.samefile(p, other):
            raise ValueError(f"{what} {p} is also an input file; write the output to another path")
        if other is not None and Path(os.path.abspath(other)) == Path(os.path.abspath(p)):
            raise ValueError(f"{what} {p} is also an input file; write the output to another path")
    for parent in [p.parent, *p.parent.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"{what} {p}: {parent} is a file, not a folder")
            break
    # the folders that do not exist yet are made to see that they can be, then removed again: the output makes them
    # when it is written (found in review: made here, before the inputs were read, they stayed behind after an
    # input error)
    made = [d for d in [p.parent, *p.parent.parents] if d != parent and d.is_relative_to(parent)]
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ValueError(f"{what} {p}: cannot create the folder {p.parent} ({err.strerror})") from None
    writable = os.access(p.parent, os.W_OK)
    for d in made:  # deepest first; one another process has written into meanwhile stays
        with contextlib.suppress(OSError):
            d.rmdir()
    if not writable:
        raise ValueError(f"{what} {p}: the folder {p.parent} is not writable")
    if p.exists() and not os.access(p, os.W_OK):
        raise ValueError(f"{what} {p} exists and is not writable")
    return p


def _open_file_link(path: str | os.PathLike) -> bool:
    """Whether ``path`` lies in a process's table of open files (``/proc/PID/fd``, ``/dev/fd``), itself or through the
    symbolic links it is (``/dev/stdout`` -> ``/proc/self/fd/1``). A rename over such a path replaces the link (as
    root, ``/dev/stdout`` itself) and never reaches the file open there."""
    q = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of links
        folder = os.path.realpath(os.path.dirname(q))
        if re.fullmatch(r"/proc/[^/]+/fd|/dev/fd", folder):
            return True
        if not os.path.islink(q):
            return False
        q = os.path.normpath(os.path.join(folder, os.readlink(q)))  # a relative link is read from its folder
    return False


def check_distinct(options: Sequence[str], paths: Sequence[str | os.PathLike | None]) -> None:
    """``ValueError`` when two of the given outputs (``paths``, ``None`` for one not given) are one file; the
    message names every one of ``options``."""
    given = [_landing(p) for p in paths if p]
    if len(set(given)) != len(given):
        raise ValueError(f"{', '.join(options[:-1])} and {options[-1]} must be different files")


def _landing(path: str | os.PathLike) -> str:
    """Where an output's rename lands: its folder with every link in it resolved, and its own name. Found in review:
    outputs compared by their absolute paths alone let ``--out real/o.conll --report link/o.conll`` (``link`` a link
    to ``real``) through, and the report was renamed over the output just written (exit 0, the output lost). A link
    named as the output itself is not followed: the rename replaces the link, not the file it points to."""
    path = os.fspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(path) or os.curdir), os.path.basename(path))


class _FileSink(Sink):
    """A sink over one of ``projection.io``'s streaming writers, entered at the first chunk (or at ``close()``
    for an empty run) and left without an error only at ``close()``: the file appears then, atomically."""

    what = "output"

    def __init__(self, path: str | os.PathLike, *, inputs: Sequence[str | os.PathLike] = ()) -> None:
        self.path = Path(path)
        self._given = os.fspath(path)  # as given: Path() drops a trailing slash, which names a folder
        self.inputs = tuple(inputs)
        self._writer = None

    def _make_writer(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def check(self) -> None:
        check_writable(self._given, what=self.what, inputs=self.inputs)

    def _handle(self):
        if self._writer is None:
            self._writer = self._make_writer().__enter__()
        return self._writer

    def _named(self):
        """An ``OSError`` of writing this file that names no file (a full disk, a quota: ``[Errno 28] No space left
        on device``) gets this file's path, so the error says which output could not be written."""
        from projection.cache import named_errors

        return named_errors(self._given)

    def prepare(self) -> None:
        with self._named():
            self._handle().prepare()  # an empty run still writes its (empty) file

    def close(self) -> None:
        writer = self._handle()
        self._writer = None
        with self._named():
            writer.__exit__(None, None, None)

    def abort(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            err = RuntimeError("run aborted")
            try:
                writer.__exit__(RuntimeError, err, None)
            except (RuntimeError, OSError):  # the file is discarded: the write that fails again (a full disk) is
                pass  # not the run's error, and the other outputs are still to be discarded


class ConllSink(_FileSink):
    """Target tokens with silver tags, ``token<TAB>tag``, a blank line after each sentence (``ConllWriter``:
    a token that would not read back identically is refused)."""

    name = "conll"
    what = "--out"

    def _make_writer(self):
        from projection.io.conll_write import ConllWriter

        return ConllWriter(self.path)

    def encoder(self) -> Encoder:
        return conll_text

    def write(self, chunk: tuple[str, int, bool | None]) -> None:
        with self._named():
            self._handle().write_text(*chunk)


class PharaohSink(_FileSink):
    """The alignment of each pair, one Pharaoh line (``i-j``; ``ipj`` for a possible link)."""

    name = "pharaoh"
    what = "--save-alignments"

    def _make_writer(self):
        from projection.io.pharaoh import AlignmentWriter

        return AlignmentWriter(self.path)

    def encoder(self) -> Encoder:
        return pharaoh_text

    def write(self, chunk: tuple[str, int]) -> None:
        with self._named():
            self._handle().write_text(*chunk)


class EvaluationSink(Sink):
    """Gold target tags against silver tags (types in ``ignore`` read as O), counted chunk by chunk (memory
    stays flat); ``scores`` after ``close()``, ``None`` when a target had no gold tags."""

    name = "evaluate"

    def __init__(self, ignore: Sequence[str] = ()) -> None:
        self.entity_counts = EntityCounts(ignored_types(ignore))
        self.scores = None
        self.missing_gold = 0

    def encoder(self) -> Encoder:
        return EntityTally(self.entity_counts.ignore)

    def write(self, chunk: tuple[EntityCounts, int]) -> None:
        counts, missing = chunk
        self.entity_counts.merge(counts)
        self.missing_gold += missing

    def finish(self, run: Any) -> None:  # the scores, for a ReportSink that renders them with the other outputs
        self.scores = None if self.missing_gold else self.entity_counts.scores()

    def close(self) -> None:  # the scores of every chunk written so far (also for a caller that writes and closes)
        self.finish(None)

    def abort(self) -> None:  # a failed run has no scores, even when it failed after finish()
        self.scores = None

    def score_fields(self) -> dict:
        """The scores as a report's ``precision``, ``recall``, ``f1`` and ``per_type`` (``None`` and ``{}`` without
        gold tags): ``Scores``' own fields, each type counting its ``predicted`` entities beside its gold ``support``
        (a type with support 0 and some predicted: one the gold lacks, whose entities are all false positives)."""
        s = self.scores
        if s is None:
            return {"precision": None, "recall": None, "f1": None, "per_type": {}}
        return {"precision": s.precision, "recall": s.recall, "f1": s.f1, "per_type": s.per_type}

    def count_warnings(self, counts: dict[str, int]) -> list[str]:
        """Once per run (the runner logs it at the end): ``Scores.notes()``, the predicted types that the gold has
        none of in the whole run, whose entities were all scored as false positives (found in review: the source's
        MISC against a gold without MISC lowered precision and F1 without a word), and the gold types of which
        nothing was projected. Only the run's per-type totals are read."""
        return [] if self.scores is None else self.scores.notes()


class ReportSink(_FileSink):
    """A JSON report of the run, written with the run's other outputs: ``render(run)`` (the ``Run`` given to
    ``finish``) makes its content when the outputs are prepared, after every sink has its totals (an
    ``EvaluationSink``'s scores), and the file appears at ``close()``, so a failed run or a full disk leaves
    no new report beside old outputs, nor a new output beside an old report."""

    name = "report"
    what = "--report"

    def __init__(self, path: str | os.PathLike, render: Callable[[Any], dict], *,
                 inputs: Sequence[str | os.PathLike] = ()) -> None:  # fmt: skip
        super().__init__(path, inputs=inputs)
        self.render = render
        self._run = None

    def _make_writer(self):
        from projection.io.lines import TextFile

        return TextFile(self.path)

    def encoder(self) -> Encoder:
        return _nothing  # the chunks carry nothing for the report: its totals come with finish()

    def write(self, chunk: None) -> None:
        pass

    def finish(self, run: Any) -> None:
        self._run = run

    def prepare(self) -> None:
        writer = self._handle()
        writer.text = report_text(self.render(self._run))
        with self._named():
            writer.prepare()


def report_text(report: dict) -> str:
    """A report as the commands write it: indented JSON, non-ASCII kept, one final newline."""
    import json

    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _nothing(pairs: Sequence[Pair], first: int) -> None:
    return None


def conll_text(pairs: Sequence[Pair], first: int) -> tuple[str, int, bool | None]:
    """``ConllSink``'s encoder: the chunk's silver CoNLL text (every ``ConllWriter`` check), its sentence count
    and whether it is tagged. An error names the sentence's number and its pair's id: the number counts the
    chunk's input pairs, and a stage of the chunk that drops pairs (empty translations) would shift it."""
    from projection.io.conll_write import ConllFormatter

    formatter = ConllFormatter()
    fmt = formatter.format
    parts = []
    for k, p in enumerate(pairs, 1):
        try:
            parts.append(fmt(p.target.tokens, p.silver, first + k, iob2=True))  # silver tags: spans_to_bio
        except ValueError as err:
            raise ValueError(f"{err} (pair {p.id})") from None
    return "".join(parts), len(pairs), formatter.tagged


def pharaoh_text(pairs: Sequence[Pair], first: int) -> tuple[str, int]:
    """``PharaohSink``'s encoder: one Pharaoh line per pair, and the number of lines."""
    from projection.io.pharaoh import format_pharaoh

    return "".join([format_pharaoh(Alignment() if p.alignment is None else p.alignment) + "\n" for p in pairs]), len(pairs)


class EntityTally:
    """``EvaluationSink``'s encoder: the chunk's gold-vs-silver entity counts and how many pairs lack gold."""

    def __init__(self, ignore: frozenset) -> None:
        self.ignore = frozenset(ignore)

    def __call__(self, pairs: Sequence[Pair], first: int) -> tuple[EntityCounts, int]:
        counts = EntityCounts(self.ignore)
        gold, silver = [], []
        for p in pairs:
            if p.target.tags is not None:
                gold.append(p.target.tags)
                silver.append(p.silver)
        counts.add(gold, silver, first=first)
        return counts, len(pairs) - len(gold)
