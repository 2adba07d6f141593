"""``silver-ner`` command line. Each subcommand lives in a module with ``add_parser`` and ``run``, one module per
subcommand except ``translate-test`` and ``translate-train``, which share ``neural``.

Errors in the user's input print one line ``silver-ner: error: …`` and exit with code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator

from projection.version import __version__

#: subcommand modules, in the order ``--help`` lists them
SUBCOMMANDS = ("demo", "project", "neural", "build")


class UsageError(Exception):
    """Bad input from the user: reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """Usage errors as one ``silver-ner: error: …`` line (exit code 2), like every other input error."""

    def error(self, message: str):  # type: ignore[override]
        verb = self.prog.split(" ", 1)[1] if " " in self.prog else ""
        hint = f" (see silver-ner {verb} --help)" if verb else " (see silver-ner --help)"
        self.exit(2, f"silver-ner: error: {message}{hint}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="silver-ner",
        description="Projected silver NER data: project entity labels across a translation.",
    )
    parser.add_argument("--version", action="version", version=f"silver-ner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"projection.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"projection.cli.{name}":
                continue
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from projection.executors.local import WorkerDied
    from projection.tmp import ChildDied

    try:
        with warnings_to(_above_bars() if args.command != "build" else None):  # build: its status line (cli/build.py)
            return int(args.run(args) or 0)
    except (UsageError, ValueError, OSError, ImportError) as err:
        message = " ".join(str(err).split())  # one line, whatever the exception held
        if isinstance(err, OSError):
            message += _os_hint(err)
        print(f"silver-ner: error: {message}", file=sys.stderr)
        return 2
    except (WorkerDied, ChildDied) as err:  # not the input's fault: exit 1, but one line, not a traceback
        print(f"silver-ner: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("silver-ner: interrupted", file=sys.stderr)
        return 130


class _WarningLines(logging.Handler):
    """Warnings logged while a verb draws its progress (bars, a build's status line), each written as a line of its
    own by ``write``, which keeps the drawing intact. Found in review: logging's last-resort handler wrote a warning
    into the line of a bar, which then left its tail behind the message."""

    def __init__(self, write: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter("%(message)s"))  # as the last-resort handler wrote it
        self.write = write

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.write(self.format(record))
        except Exception:  # noqa: BLE001 - logging's own way: report the failure, never raise it into the run
            self.handleError(record)


@contextlib.contextmanager
def warnings_to(write: Callable[[str], None] | None) -> Iterator[None]:
    """While a verb runs: warnings go to ``write`` (``None``: left as they are), where no handler of the user's (or
    the application's) already takes them; removed after the run."""
    root = logging.getLogger()
    if write is None or root.handlers:
        yield
        return
    handler = _WarningLines(write)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def _above_bars() -> Callable[[str], None]:
    """A line written with ``tqdm.write``, which clears the bars, writes it and draws them again below it; in a
    forked worker (whose copies of the driver's bars are not on the screen) written to stderr as it is."""
    pid = os.getpid()

    def write(text: str) -> None:
        if os.getpid() == pid:
            from tqdm import tqdm

            tqdm.write(text, file=sys.stderr)
        else:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()

    return write


def _os_hint(err: OSError) -> str:
    """What to do about an OS error on a path: the cache's own folder, or a disk that is full."""
    import errno
    import os

    from projection.cache import ENV_VAR, cache_root

    where = str(err.filename or "")
    root = str(cache_root())
    in_cache = bool(where) and (where == root or os.path.abspath(where).startswith(os.path.abspath(root) + os.sep))
    target = str(err.filename2 or err.filename or "")
    if err.errno == errno.EISDIR and target and os.path.isdir(target):  # found in review: a cache entry made a
        # directory was answered with "point SILVER_NER_CACHE at a writable folder", which does not remove it
        also = "; project and demo also take --no-cache" if in_cache else ""
        return f" ({target} is a directory where a file goes: remove it{also})"
    if in_cache:
        return (f" (in the silver-ner cache {root}: point {ENV_VAR} at a writable folder with free space; project "
                "and demo also take --no-cache)")  # fmt: skip
    if err.errno == errno.ENOSPC:
        return " (free some space, or write there elsewhere: TMPDIR for scratch files)"
    return ""
