"""Process-scoped scratch space and child processes that do not outlive the process.

* ``process_dir()``: one temporary directory per process, ``<system temp>/silver-ner-<pid>-<random>``,
  created on first use. It is removed at interpreter exit (``atexit``, which also covers Ctrl-C ->
  ``KeyboardInterrupt`` and ``SystemExit``) and on SIGTERM/SIGHUP: a handler removes it, then re-raises the
  signal with the default action, so the exit status stays "killed by SIGTERM" (-15 / 143).
* SIGKILL cannot be seen by anyone, so the first ``process_dir()`` of a later process sweeps the directories
  of processes that no longer exist (``sweep_stale``; same user only; the PID is in the directory name). Only
  directories that ``process_dir()`` made are swept, and only from the same PID namespace on the same machine (a
  marker file inside says so): a user's own ``silver-ner-2024-results``, or a live run's directory in another
  container or on another machine sharing the temporary folder, is left alone. The marker also names the process's
  start time, so a PID that an unrelated process reuses does not keep the directory, and the machine across its
  reboots (``/etc/machine-id`` and host name), so a directory of an earlier boot (a power cut, a crash: on a
  ``TMPDIR`` that a reboot does not empty) is swept too, whatever its PID now is.
* ``start_child(args)``: ``subprocess.Popen`` for helper binaries (eflomal). On Linux the child gets a
  parent-death signal (``PR_SET_PDEATHSIG`` = SIGKILL), so it dies with the process even after a SIGKILL.
  Elsewhere it runs in its own process group and is killed at exit and on SIGTERM/SIGHUP (not after SIGKILL).
* ``die_with(parent)``: the same parent-death signal for the spawned workers of a ``LocalExecutor`` pool.
* ``removed_if_killed(path)``: the temporary file of an atomic write is removed on SIGTERM/SIGHUP too.
* ``deferred_signals()``: a block that Ctrl-C, SIGTERM and SIGHUP do not cut in two (a run's outputs committed
  one after the other): a signal that arrives inside it takes effect when it ends (a second Ctrl-C at once).

Signal handlers are installed only where the signal still has its default action, from the main thread,
on first use: an application's own handlers are left alone (atexit still cleans up when they exit).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator, Sequence

logger = logging.getLogger(__name__)

PREFIX = "silver-ner-"
#: the file in each scratch directory that names the PID namespace of the process that made it
MARKER = ".silver-ner-scratch"
_PR_SET_PDEATHSIG = 1
_lock = threading.RLock()
_dir: Path | None = None
_owner = 0  # the PID that created _dir: a forked child must neither reuse nor remove its parent's directory
_children: dict[subprocess.Popen, bool] = {}  # live child -> runs in its own process group
_handled: set[int] = set()
_files: set[str] = set()  # temporary files of atomic writes in progress (removed on SIGTERM/SIGHUP)


class ChildDied(RuntimeError):
    """A child process (eflomal) was killed by a signal before it finished (the kernel's out-of-memory killer, a
    user), or exited with an error of its own (its message is in this one). The CLI says so in one line (exit 1), as
    for a pool's worker."""


def signal_name(signum: int) -> str:
    """``SIGKILL`` for 9 (``signal 99`` for a number Python does not name)."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def process_dir() -> Path:
    """This process's scratch directory (created, after a sweep of stale ones, on first call)."""
    global _dir, _owner
    with _lock:
        if _dir is None or _owner != os.getpid():
            sweep_stale()
            _dir = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
            (_dir / MARKER).write_text(_marker_text(), encoding="utf-8")
            _owner = os.getpid()
        _install_handlers()
        return _dir


@contextlib.contextmanager
def removed_if_killed(path: str | os.PathLike) -> Iterator[None]:
    """Remove the file ``path`` if SIGTERM or SIGHUP ends the process inside the block (an atomic write's
    temporary file: an exception already removes it, but a signal's default action skips every ``finally``)."""
    with _lock:
        _files.add(os.fspath(path))
        _install_handlers()
    try:
        yield
    finally:
        with _lock:
            _files.discard(os.fspath(path))


@contextlib.contextmanager
def scratch(prefix: str = "") -> Iterator[Path]:
    """A fresh sub-directory of ``process_dir()``, removed when the block ends (also on errors)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=process_dir()))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _pid_of(name: str) -> int | None:
    pid, _, rest = name[len(PREFIX):].partition("-")
    return int(pid) if name.startswith(PREFIX) and pid.isdigit() and rest else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def _pid_namespace() -> str:
    """The PID namespace of this process (``pid:[4026531836]``; "" where the system does not say)."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _start_ticks(pid: int | str = "self") -> str:
    """When process ``pid`` started, in clock ticks after boot (field 22 of ``/proc/<pid>/stat``); "" where Linux
    does not say, or where ``/proc`` is not this PID namespace's (its numbers would name other processes)."""
    try:
        if os.readlink("/proc/self") != str(os.getpid()):
            return ""
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
        return data[data.rindex(b")") + 2:].split()[19].decode("ascii")
    except (OSError, ValueError, IndexError):
        return ""


def _marker_text() -> str:
    """What ``process_dir()`` writes into its marker: this PID namespace, this machine (its boot), the machine across
    reboots and this process's start time. A ``TMPDIR`` on a disk that several machines share holds the directories of
    all of them, and the initial PID namespace has one number on every Linux machine: a live run's PID on one machine
    does not exist on another, whose sweep removed the live run's files (the same as ``projection.cache`` names its
    temporary files by machine for)."""
    from projection import cache

    machine = cache._machine_digits()
    if not machine:
        return _pid_namespace()
    host, start = cache._host_digits(), _start_ticks()  # the start time read from /proc once
    lines = [_pid_namespace(), f"machine:{machine}"]
    if host:
        lines.append(f"host:{host}")
    if start:
        lines.append(f"start:{start}")
    return "\n".join(lines)


def _ended(path: str, pid: int, mtime: float) -> bool:
    """Whether the process that made the directory ``path`` (``process_dir()``, as its marker says) has ended: the
    marker names this PID namespace on this boot of this machine (a marker without a machine, of 0.4.2-0.6.2, counts
    as this one's) and no process ``pid`` with the start time it records exists; or it names an earlier boot of this
    machine (``projection.cache._of_earlier_boot``). A directory of another machine or namespace is never judged
    ended: its PID means nothing here."""
    from projection import cache

    try:
        with open(os.path.join(path, MARKER), encoding="utf-8") as fh:
            namespace, *rest = fh.read().split("\n")
    except (OSError, ValueError):
        return False
    fields = dict(line.partition(":")[::2] for line in rest)
    machine = fields.get("machine", cache._machine_digits())
    if machine != cache._machine_digits():
        return cache._of_earlier_boot(fields.get("host"), machine, mtime)
    if namespace != _pid_namespace():
        return False
    if not _alive(pid):
        return True
    start = fields.get("start")
    return bool(start) and _start_ticks(pid) not in ("", start)  # a live process that started later: a reused PID


def sweep_stale(root: str | os.PathLike | None = None) -> list[Path]:
    """Remove ``silver-ner-<pid>-*`` directories (this user's, made by ``process_dir()`` in this PID namespace)
    whose process no longer exists, or made on an earlier boot of this machine; returns them."""
    root = Path(root if root is not None else tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        pid = _pid_of(entry.name)
        if pid is None or (_dir is not None and entry.path == str(_dir)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not entry.is_dir(follow_symlinks=False) or info.st_uid != os.getuid():
                continue
        except OSError:
            continue
        if not _ended(entry.path, pid, info.st_mtime):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.exists(entry.path):
            removed.append(Path(entry.path))
            logger.info("removed the scratch directory of ended process %d: %s", pid, entry.path)
    return removed


def _parent_death_signal() -> object | None:
    """A ``preexec_fn`` that asks Linux to SIGKILL the child when this process dies, or None elsewhere."""
    return _death_signal_for(os.getpid())


def die_with(parent: int) -> None:
    """Initializer of a worker process started by ``parent`` (a ``LocalExecutor`` pool): on Linux the worker
    gets the parent-death signal SIGKILL, so it never outlives a driver killed by SIGTERM or SIGKILL (it would
    otherwise wait for work forever); a worker whose parent already died exits at once."""
    preexec = _death_signal_for(parent)
    if preexec is not None:
        preexec()
    # Ctrl-C reaches the whole process group: the driver reports it; an idle worker would print the traceback of
    # its KeyboardInterrupt, so the worker leaves by SystemExit (quietly, its cleanup run) instead. A driver that
    # ignores SIGINT (a job started in the background by a script, an application's choice) passes that on: its
    # workers ignore it too, or a Ctrl-C meant for the foreground would kill the workers of a run that goes on
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _leave_quietly)


def _leave_quietly(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _death_signal_for(parent: int):
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork: no dlopen in the child
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            os._exit(126)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(126)

    return preexec


def start_child(args: Sequence[str], **kwargs) -> subprocess.Popen:
    """``subprocess.Popen(args, **kwargs)`` for a child that must not outlive this process (see module doc)."""
    process_dir()  # installs the exit and signal cleanup
    preexec = _parent_death_signal()
    own_group = preexec is None and os.name == "posix"
    if preexec is not None:
        kwargs["preexec_fn"] = preexec
    elif own_group:
        kwargs["start_new_session"] = True
    child = subprocess.Popen(list(args), **kwargs)
    with _lock:
        _children[child] = own_group
    return child


def wait_child(child: subprocess.Popen, *, kill: bool = False) -> int:
    """Wait for ``child``; on any exception (Ctrl-C included) kill it first. Returns its exit code. ``kill``: kill it
    first anyway (its caller failed while it ran)."""
    try:
        if kill:
            _kill(child)
        return child.wait()
    except BaseException:
        _kill(child)
        raise
    finally:
        with _lock:
            _children.pop(child, None)


def _kill(child: subprocess.Popen, *, wait: bool = True) -> None:
    """SIGKILL ``child`` (its process group when it has one). A signal handler passes ``wait=False``: it may
    interrupt ``child.wait()``, which holds a lock that waiting again would spin on."""
    if child.returncode is not None:
        return
    with contextlib.suppress(OSError):
        if _children.get(child):
            os.killpg(child.pid, signal.SIGKILL)  # its own process group: take its children too
        else:
            os.kill(child.pid, signal.SIGKILL)
    if wait:
        with contextlib.suppress(Exception):
            child.wait(timeout=5)


def cleanup(*, wait: bool = True) -> None:
    """Kill live children, remove the temporary files of unfinished atomic writes and this process's scratch
    directory (exit and signal paths call it)."""
    global _dir
    with _lock:
        for child in list(_children):
            _kill(child, wait=wait)
        _children.clear()
        for path in list(_files):
            with contextlib.suppress(OSError):
                os.unlink(path)
        _files.clear()
        if _dir is not None and _owner == os.getpid():
            shutil.rmtree(_dir, ignore_errors=True)
            _dir = None


def _on_signal(signum: int, frame: object) -> None:
    cleanup(wait=False)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # the default action: the exit status says which signal ended the process


def _install_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None or signum in _handled:
            continue
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _on_signal)
            _handled.add(signum)


#: the signals ``deferred_signals`` holds back, in the order it delivers them: what a shell, a scheduler (SLURM at its
#: time limit) or a closed terminal sends, then Ctrl-C
DEFERRED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Run the block whole: a SIGTERM, SIGHUP or SIGINT that arrives inside it is held, and delivered again, to the
    handler it would have met, when the block ends (each signal held, SIGTERM first: what its handler does, a
    ``KeyboardInterrupt`` or the end of the process, then replaces the block's own exception, if any). The same
    signal a second time is not held: Ctrl-C pressed again interrupts a block that hangs.
    The runner commits a run's outputs (one rename per file) in such a block, so a Ctrl-C or a scheduler's SIGTERM
    leaves either every new output or none, never a new ``--out`` beside an old report; ``RayExecutor`` starts Ray
    in one. A handler that the block itself installs (Ray's for SIGTERM) is kept, and from then on it gets its signal
    at once. Outside the main thread, where no handler can be set, the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous: dict = {}

    def hold(signum: int, frame: object) -> None:
        if signum not in held:
            held.append(signum)
            return
        held.remove(signum)  # again: the user insists, so the signal takes effect now
        old = previous[signum]
        signal.signal(signum, old)
        if callable(old):
            old(signum, frame)
        else:  # the default action
            signal.raise_signal(signum)

    try:
        for signum in DEFERRED:
            old = signal.getsignal(signum)
            if old in (signal.SIG_IGN, None):  # ignored stays ignored; None: a handler not set from Python
                continue
            previous[signum] = old
            signal.signal(signum, hold)
        yield
    finally:
        for signum, old in previous.items():
            if signal.getsignal(signum) is hold:
                signal.signal(signum, old)
        for signum in DEFERRED:
            if signum in held:
                signal.raise_signal(signum)


def _forget_in_forked_child() -> None:
    """A forked child owns neither its parent's directory, its parent's children nor its files."""
    global _dir, _owner, _lock
    _lock = threading.RLock()
    _children.clear()
    _files.clear()
    _dir, _owner = None, 0


atexit.register(cleanup)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_forked_child)
