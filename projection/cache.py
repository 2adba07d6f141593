"""The one cache layer: one root directory, one atomic writer, one locked key -> file store.

- ``cache_root()``: ``$SILVER_NER_CACHE``, else ``$XDG_CACHE_HOME/silver-ner`` (``~/.cache/silver-ner``).
  Alignments, translations and finished shards live in sub-folders of it.
- ``atomic_open(path)``: every file the project writes goes through it: a temporary file in the same
  folder, ``fsync``, then ``os.replace``; on any error (or Ctrl-C) the temporary file is removed and the
  target is untouched. A temporary file left by a killed process (SIGKILL) is removed by the next process
  that writes into its folder on the same machine (the writer's machine, PID namespace and PID are in its name),
  and one left by any process of an earlier boot of this machine (a power cut, a crashed node) as well.
- ``Store``: content-addressed JSON entries ``<root>/<kind>/<key[:2]>/<key>.json``. ``get_or_compute``
  holds an exclusive lock on the key while it computes, so two runs started together on one cache compute
  once and both return the first writer's value (first writer wins; the second re-reads).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import tempfile
import zlib
from pathlib import Path
from typing import IO, Any, Callable, Iterator

logger = logging.getLogger(__name__)

ENV_VAR = "SILVER_NER_CACHE"


def _umask() -> int:
    """This process's umask now (found in review: read once at import, a later ``os.umask(0o077)`` of a notebook or a
    service still gave its outputs 0644). Linux says it in ``/proc/self/status``; elsewhere it is set and set back."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def cache_root() -> Path:
    """``$SILVER_NER_CACHE`` or ``$XDG_CACHE_HOME/silver-ner`` (default ``~/.cache/silver-ner``), read now."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or "~/.cache").expanduser() / "silver-ner"


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", *, encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary sibling of ``path`` for writing; on success it replaces ``path`` atomically. On an
    error, Ctrl-C, SIGTERM or SIGHUP the temporary file is removed, and an ``OSError`` that names no file (a full
    disk) gets ``path`` as its file name.

    Parent folders are created. ``mode`` is ``"w"`` or ``"wb"``."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files: mode 'w' or 'wb', got {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from projection.tmp import removed_if_killed

    _sweep_temporaries(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_host_tag()}{_namespace_id()}-{os.getpid()}-",
                               suffix=".tmp")
    try:
        with removed_if_killed(tmp):
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file gets the usual permissions
            text = "b" not in mode
            with os.fdopen(fd, mode, encoding=encoding if text else None, newline="\n" if text else None) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(err, OSError) and err.filename is None:  # a full disk, a quota: the error says which file
            err.filename = os.fspath(path)
        raise


#: the temporary file of an atomic write: ``.<name>.m<host>.<PID namespace><machine>-<PID>-<8 random characters>.tmp``
#: (``m<host>.``: the machine across its reboots, where it has a machine id; a name without it is still read)
_TEMPORARY = re.compile(r"\..+?\.(?:m(?P<host>[0-9a-f]{8})\.)?(?P<machine>\d+)-(?P<pid>\d+)-[a-z0-9_]{8}\.tmp")
_swept: set[tuple[int, str]] = set()


def _host_tag() -> str:
    """``m<host>.`` in the name of an atomic write's temporary file, or "" where this machine has no persistent identity
    or no boot id (a later boot could not tell its files from a live writer's then)."""
    return f"m{_host_digits()}." if _host_digits() and _machine_digits() else ""


@functools.cache
def _host_digits() -> str:
    """Eight hex digits that name this machine across its reboots (``_machine_digits`` change at every boot): its machine
    id (``/etc/machine-id``, systemd's) and host name; "" where there is no machine id (many containers), and then a
    file of an earlier boot is left alone, as one of another machine. Found in review: a scratch directory or an atomic
    write's temporary file left by a power cut or a crash of the machine was never removed, since the boot id in its
    marker or name made it another machine's."""
    for name in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            with open(name, encoding="ascii") as fh:
                machine_id = fh.read().strip()
        except (OSError, ValueError):
            continue
        if machine_id:
            host = os.uname().nodename  # socket.gethostname()'s value, without importing socket (~10 ms at start)
            return f"{zlib.crc32(f'{machine_id}/{host}'.encode()):08x}"
    return ""


@functools.cache
def _boot_time() -> float | None:
    """When this machine booted (seconds since the epoch, ``btime`` of ``/proc/stat``); None where Linux does not say."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _of_earlier_boot(host: str | None, machine: str, mtime: float) -> bool:
    """Whether a file whose writer recorded ``host`` (``_host_digits``) and ``machine`` (ending in its
    ``_machine_digits``), last changed at ``mtime``, was left by an earlier boot of this machine, whose processes have
    all ended: the same machine, another boot, and older than this boot (a file of this boot never is, whatever the
    boot id in its name)."""
    here = _machine_digits()
    booted = _boot_time()
    return (bool(host) and host == _host_digits() and bool(here) and not machine.endswith(here) and booted is not None
            and mtime < booted)  # fmt: skip


def _namespace_id() -> str:
    """The number of this process's PID namespace (``0`` where the system does not say), followed by ten digits of
    this machine's boot id where Linux gives one: a folder on a shared disk (a cluster's cache) is written from
    several machines, whose PID namespaces can have the same number (the initial one is 4026531836 on every Linux
    machine), and a PID alive on one machine does not exist on the other, whose next write would have removed a
    live writer's temporary file (its rename then failed)."""
    from projection.tmp import _pid_namespace

    namespace = "".join(c for c in _pid_namespace() if c.isdigit()) or "0"
    return namespace + _machine_digits()


@functools.cache
def _machine_digits() -> str:
    """Ten digits that tell this machine (this boot of its kernel) from others; ``""`` where the system does not say.
    Containers on one machine share them, as they share its processes' liveness (``os.kill(pid, 0)``) where they
    share a PID namespace."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot_id = fh.read().strip()
    except (OSError, ValueError):
        return ""
    return f"{zlib.crc32(boot_id.encode('ascii')):010d}" if boot_id else ""


def _sweep_temporaries(folder: Path) -> None:
    """Remove the temporary files that atomic writes of ended processes (SIGKILL, a power cut: nobody could
    remove them) left in ``folder``; once per process and folder. Only this user's files named as ``atomic_open``
    names them, from this PID namespace, whose process no longer exists, or from an earlier boot of this machine: a
    live writer's file stays."""
    from projection.tmp import _alive

    if (os.getpid(), str(folder)) in _swept:
        return
    _swept.add((os.getpid(), str(folder)))
    namespace = _namespace_id()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None:
            continue
        pid = int(match["pid"])
        this_boot = match["machine"] == namespace
        if this_boot and pid == os.getpid():
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False) or info.st_uid != os.getuid():
                continue
            if (not _alive(pid)) if this_boot else _of_earlier_boot(match["host"], match["machine"], info.st_mtime):
                os.unlink(entry.path)
        except OSError:
            continue


@contextlib.contextmanager
def named_errors(path: str | os.PathLike) -> Iterator[None]:
    """An ``OSError`` that names no file (a full disk, a quota: ``[Errno 28] No space left on device``) raised while
    ``path`` is written gets ``path`` as its file name, so the error (and its hint) says where. ``atomic_open`` does
    this for what happens inside it; this is for a writer held open across calls (an output sink)."""
    try:
        yield
    except OSError as err:
        if err.filename is None:
            err.filename = os.fspath(path)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


@contextlib.contextmanager
def file_lock(path: str | os.PathLike) -> Iterator[None]:
    """An exclusive advisory lock (``fcntl.flock``) held for the ``with`` block; released when the process
    dies, so a killed run never leaves a stale lock behind."""
    import fcntl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock_file(path) as fh:
        try:
            lock_or_wait(fh.fileno(), path)
        except OSError as err:  # a file open for reading only: a network disk (NFS) locks only writable files
            if fh.writable():
                raise
            raise PermissionError(err.errno, f"cannot lock {path}: it is another user's lock file, not writable for "
                                  "you, and this disk locks only writable files; make the cache's files group-writable "
                                  "(chmod -R g+w, and umask 002 for everyone who shares it) or use a cache of your "
                                  "own", os.fspath(path)) from None  # fmt: skip
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _lock_file(path: Path) -> IO[bytes]:
    """The lock file ``path`` opened (and made when missing). Found in review: on a cache shared with write permission
    on its folders, another user's lock file, which that user's umask (022) left read-only to the others, failed every
    run that needed that lock ("Permission denied"), a build only after all its configs were built: a lock needs no
    writing, so such a file is opened for reading."""
    try:
        return open(path, "a+b")
    except PermissionError:
        try:
            return open(path, "rb")
        except OSError:
            pass
        raise


def lock_or_wait(fd: int, path: str | os.PathLike) -> None:
    """``flock(fd, LOCK_EX)``; when another process holds the lock, a warning first says what this run waits for
    (found in review: a run whose key another run was computing, or whose export folder another build was
    committing, waited with no word at all, forever where that run was stopped or hung)."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    logger.warning("waiting for the lock %s: another process holds it (a silver-ner run computing the same cache "
                   "entry, or writing the same export folder); this run goes on when that one ends (Ctrl-C stops "
                   "this one)", os.fspath(path))  # fmt: skip
    fcntl.flock(fd, fcntl.LOCK_EX)


def _check_key(key: str) -> str:
    if len(key) < 3 or not all(c in "0123456789abcdef" for c in key):
        raise ValueError(f"cache keys are lowercase hex digests, got {key!r}")
    return key


class Store:
    """JSON entries of one kind (``alignments``, ``translations``, ``shards`` …) under one root."""

    def __init__(self, kind: str, root: str | os.PathLike | None = None) -> None:
        self.kind = kind
        self.root = Path(root) if root is not None else cache_root()
        self.directory = self.root / kind

    def path(self, key: str) -> Path:
        key = _check_key(key)
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, *, warn: bool = True) -> Any | None:
        """The stored value, or ``None`` (an unreadable entry is logged, unless not ``warn``, and treated as absent)."""
        path = self.path(key)
        try:
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        except (FileNotFoundError, NotADirectoryError):  # no entry (a cache folder that is a file: writing says so)
            return None
        except (OSError, ValueError) as err:
            if warn:
                logger.warning(
                    "ignoring unreadable %s cache entry %s (%s); it will be rewritten", self.kind, path, err
                )
            return None

    def put(self, key: str, value: Any) -> Path:
        path = self.path(key)
        with atomic_open(path) as fh:  # a full disk names the entry (atomic_open): the error points at the cache
            json.dump(value, fh, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return path

    def get_or_compute(self, key: str, compute: Callable[[], Any], *, valid: Callable[[Any], bool] = lambda v: True):
        """The stored value for ``key``, else ``compute()`` stored under it. The key is locked while it is
        computed: a concurrent run waits and then reads the first run's value (first writer wins)."""
        hit = self.get(key)
        if hit is not None and valid(hit):
            return hit
        # an entry read above and found unreadable was logged there: not once more when it is read again below
        # (found in review: every damaged entry was reported twice)
        seen = self.path(key).exists()
        with file_lock(self.path(key).with_suffix(".lock")):
            hit = self.get(key, warn=not seen)  # another run may have finished while we waited
            if hit is not None and valid(hit):
                return hit
            value = compute()
            self.put(key, value)
            return value
