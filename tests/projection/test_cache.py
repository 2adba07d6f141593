"""``projection.cache``: the temporary files of atomic writes on a disk that several machines share."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from projection import cache, tmp
from projection.cache import atomic_write_text

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_write_on_a_shared_disk_removes_only_this_machines_ended_writers_temporaries(tmp_path) -> None:
    """Found in review: the temporary files of atomic writes were told apart by PID namespace and PID only, and the
    initial PID namespace has the same number (4026531836) on every Linux machine: on a cache shared by a cluster
    (``--silver-cache`` on NFS), a process's first write into a folder removed the temporary file of a live writer on
    another machine (whose PID does not exist here), and that writer's rename failed with FileNotFoundError. The name
    now carries this machine's boot id as well."""
    namespace = "".join(c for c in os.readlink("/proc/self/ns/pid") if c.isdigit())
    here = namespace + f"{zlib.crc32(BOOT_ID.read_text().strip().encode('ascii')):010d}"
    other_machine = namespace + ("0123456789" if not here.endswith("0123456789") else "9876543210")
    pid = _dead_pid()  # ended here; on the other machine a process with this PID is writing
    ended_here = tmp_path / f".a.json.{here}-{pid}-abcdefgh.tmp"
    writing_elsewhere = tmp_path / f".b.json.{other_machine}-{pid}-abcdefgh.tmp"
    for path in (ended_here, writing_elsewhere):
        path.write_text("{")
    cache.atomic_write_text(tmp_path / "c.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([writing_elsewhere.name, "c.json"])


def test_the_temporary_file_names_this_machine(tmp_path, monkeypatch) -> None:
    """The name an atomic write gives its temporary file is the one its sweep recognises as this machine's."""
    seen = []
    real = os.replace

    def replace(src, dst):
        seen.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    cache.atomic_write_text(tmp_path / "x.json", "{}")
    (name,) = seen
    match = cache._TEMPORARY.fullmatch(name)
    assert match is not None and match["machine"] == cache._namespace_id() and int(match["pid"]) == os.getpid()
    assert match["host"] == (cache._host_digits() if cache._host_tag() else None)


def test_a_temporary_file_of_an_earlier_boot_of_this_machine_is_removed(tmp_path, monkeypatch) -> None:
    """Found in review: the temporary file of an atomic write that a power cut or a crash of the machine interrupted
    (an output's, beside it in the user's folder; a cache entry's) stayed forever: after the reboot the boot id in its
    name made it another machine's. Its name now says which machine wrote it across reboots too; a file of an earlier
    boot of this machine is removed whatever its PID, one of another machine or written since this boot is kept."""
    monkeypatch.setattr(cache, "_host_digits", lambda: "0badcafe")
    monkeypatch.setattr(cache, "_machine_digits", lambda: "1111111111")
    monkeypatch.setattr(cache, "_boot_time", lambda: 1_700_000_000.0)
    namespace = "".join(c for c in tmp._pid_namespace() if c.isdigit()) or "0"
    names = {
        "earlier_boot": f".a.conll.m0badcafe.{namespace}2222222222-1-abcdefgh.tmp",  # PID 1 is alive now
        "earlier_boot_other_namespace": ".b.conll.m0badcafe.40265329992222222222-77-abcdefgh.tmp",
        "other_machine": f".c.conll.mfeedf00d.{namespace}2222222222-1-abcdefgh.tmp",
        "written_since_boot": f".d.conll.m0badcafe.{namespace}2222222222-1-abcdefgh.tmp",
        "no_host": f".e.conll.{namespace}2222222222-1-abcdefgh.tmp",  # written where there is no machine id
    }
    for key, name in names.items():
        (tmp_path / name).write_text("partial")
        when = 1_700_000_000.0 + (60 if key == "written_since_boot" else -60)
        os.utime(tmp_path / name, (when, when))
    cache.atomic_write_text(tmp_path / "out.conll", "x")
    kept = [names[k] for k in ("other_machine", "written_since_boot", "no_host")]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "out.conll"])


def test_a_cache_folder_that_is_a_file_has_no_entries_and_writing_names_it(tmp_path, caplog) -> None:
    # found in review: SILVER_NER_CACHE pointing at a file logged "ignoring unreadable ... cache entry ...; it will be
    # rewritten" before the write failed: there is no entry to ignore, and nothing can be rewritten
    root = tmp_path / "a-file"
    root.write_text("not a folder")
    store = cache.Store("alignments", root)
    with caplog.at_level("WARNING"):
        assert store.get("ab" * 32) is None
    assert caplog.records == []
    with pytest.raises(NotADirectoryError) as err:
        store.put("ab" * 32, [1])
    assert err.value.filename is not None and err.value.filename.startswith(str(root))


@pytest.mark.parametrize("mask, mode", [(0o077, 0o600), (0o002, 0o664), (0o022, 0o644)])
def test_a_written_file_follows_the_umask_of_the_moment_not_the_one_at_import(tmp_path, mask, mode) -> None:
    # found in review: the umask was read once, when projection.cache was imported, so a notebook or a service that
    # set a private umask afterwards (os.umask(0o077)) still wrote its outputs readable by everyone (0644)
    old = os.umask(mask)
    try:
        atomic_write_text(tmp_path / "out.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == mode


def test_a_run_that_waits_for_a_key_another_run_computes_says_so(tmp_path, caplog):
    """Found in review: a run whose cache key another run held (computing it; or stopped, hung) waited without a
    word, forever where that run never ended. It still waits, and first says for what."""
    import fcntl
    import logging
    import threading

    store = cache.Store("things", tmp_path)
    key = "ab" * 32
    lock = store.path(key).with_suffix(".lock")
    lock.parent.mkdir(parents=True)
    got = []
    with open(lock, "a+b") as holder, caplog.at_level(logging.WARNING, logger="projection.cache"):
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # another open file: flock conflicts as with another process
        waiter = threading.Thread(target=lambda: got.append(store.get_or_compute(key, lambda: "mine")))
        waiter.start()
        waiter.join(2)
        waited = waiter.is_alive()  # still waiting while the lock is held
        messages = [r.getMessage() for r in caplog.records]
        store.put(key, "theirs")  # the holder's value
        fcntl.flock(holder.fileno(), fcntl.LOCK_UN)
        waiter.join(10)
    assert (waited, got) == (True, ["theirs"])
    assert messages == [
        f"waiting for the lock {lock}: another process holds it (a silver-ner run computing the same cache entry, or "
        "writing the same export folder); this run goes on when that one ends (Ctrl-C stops this one)"
    ]


def test_a_free_lock_is_taken_without_a_word(tmp_path, caplog):
    store = cache.Store("things", tmp_path)
    assert store.get_or_compute("cd" * 32, lambda: 1) == 1
    assert caplog.records == []


def test_an_unreadable_entry_is_reported_once_and_computed_again(tmp_path, caplog) -> None:
    """Found in review: ``get_or_compute`` reads the entry again under its lock, and an unreadable one was logged by
    both reads (``project`` printed the same warning twice)."""
    import logging

    store = cache.Store("alignments", tmp_path)
    key = "ab" * 32
    store.path(key).parent.mkdir(parents=True)
    store.path(key).write_text("{", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="projection.cache"):
        assert store.get_or_compute(key, lambda: {"links": []}) == {"links": []}
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring unreadable alignments cache entry {store.path(key)} (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)); it will be rewritten"
    ]
    assert store.get(key) == {"links": []}


def test_another_users_read_only_lock_file_is_still_a_lock(tmp_path) -> None:
    """Found in review: on a cache shared with write permission on its folders, a lock file that another user made
    (their umask 022 left it read-only to the others) failed every run that needed that lock with "Permission denied"
    (``build``: after every config was built, at the card's lock). A lock needs no writing: it is taken on the file
    opened for reading, and it still excludes the others."""
    import shutil

    lock = tmp_path / "k.lock"
    lock.write_bytes(b"")
    lock.chmod(0o444)
    code = ("import fcntl, sys\nfrom projection.cache import file_lock\nwith file_lock(sys.argv[1]):\n"
            "    with open(sys.argv[1], 'rb') as other:\n        try:\n"
            "            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
            "        except BlockingIOError:\n            print('held')\n")  # fmt: skip
    command = [sys.executable, "-c", code, str(lock)]
    if os.geteuid() == 0:  # root writes any file: without the capability that allows it, as another user would
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop the capability to write any file")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "held\n"), proc.stderr
