"""projection.tmp: the process-scoped scratch directory and children that die with the process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from proc_helpers import CTRL_C_AS_IN_A_TERMINAL, gone, wait_exit, wait_gone

from projection import tmp

ROOT = Path(__file__).resolve().parents[1]


def dead_pid() -> int:
    """The PID of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _made_by_process_dir(path: Path, namespace: str | None = None) -> None:
    path.mkdir(parents=True, exist_ok=True)
    (path / tmp.MARKER).write_text(tmp._pid_namespace() if namespace is None else namespace, encoding="utf-8")


def test_sweep_removes_only_dirs_of_ended_processes(tmp_path: Path) -> None:
    dead = tmp_path / f"silver-ner-{dead_pid()}-abc"
    (dead / "eflomal-x").mkdir(parents=True)
    (dead / "eflomal-x" / "fwd").write_text("0-0\n")
    _made_by_process_dir(dead)
    alive = tmp_path / f"silver-ner-{os.getppid()}-abc"
    mine = tmp_path / f"silver-ner-{os.getpid()}-abc"
    other = tmp_path / "silver-ner-cache"
    no_rest = tmp_path / f"silver-ner-{dead_pid()}"
    # found in review: a user's own folder whose name looks like one, and a live run's folder in another PID
    # namespace (a container sharing /tmp), where its PID means nothing, were swept too
    users = tmp_path / "silver-ner-2024-results"
    elsewhere = tmp_path / f"silver-ner-{dead_pid()}-xyz"
    for path in (alive, mine, other, no_rest, users):
        _made_by_process_dir(path) if path in (alive, mine) else path.mkdir()
    (users / "report.json").write_text("{}")
    _made_by_process_dir(elsewhere, namespace="pid:[1]")
    kept = (alive, mine, other, no_rest, users, elsewhere)
    assert tmp.sweep_stale(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in kept)
    assert (users / "report.json").read_text() == "{}"


def test_scratch_is_removed_after_the_block_even_on_error() -> None:
    with tmp.scratch("t-") as path:
        assert path.parent == tmp.process_dir() and path.name.startswith("t-")
        (path / "f").write_text("x")
    assert not path.exists()
    with pytest.raises(RuntimeError, match="boom"):
        with tmp.scratch() as path:
            raise RuntimeError("boom")
    assert not path.exists()
    assert tmp.process_dir().name.startswith(f"silver-ner-{os.getpid()}-")


_SCRIPT = CTRL_C_AS_IN_A_TERMINAL + """
import sys, time
from projection import tmp
try:
    child = tmp.start_child([sys.executable, "-c", "import time; time.sleep(60)"])
    print(tmp.process_dir(), child.pid, flush=True)
    {tail}
except KeyboardInterrupt:  # what the CLI does
    sys.exit(130)
"""


def _start(tail: str, tmp_path: Path) -> tuple[subprocess.Popen, Path, int]:
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT.format(tail=tail)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    path, pid = proc.stdout.readline().split()
    return proc, Path(path), int(pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux-only")
def test_child_dies_with_a_sigkilled_parent_and_the_next_start_sweeps(tmp_path: Path) -> None:
    proc, path, child = _start("time.sleep(60)", tmp_path)
    assert path.is_dir() and not gone(child)
    proc.kill()
    assert proc.wait(5) == -signal.SIGKILL
    assert wait_gone(child, 5)
    assert path.is_dir()  # nobody sees a SIGKILL: the next process removes it
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", "from projection import tmp; tmp.process_dir()"], env=env, check=True)
    assert not path.exists()


def test_sigterm_removes_the_dir_kills_the_child_and_exits_as_killed(tmp_path: Path) -> None:
    proc, path, child = _start("time.sleep(60)", tmp_path)
    proc.terminate()
    assert proc.wait(5) == -signal.SIGTERM
    assert not path.exists()
    assert wait_gone(child, 5)


#: a child that writes half of an atomic file (argv[1]), says so and sleeps
_HALF_WRITTEN = (
    "import sys, time\n"
    "from projection.cache import atomic_open\n"
    "with atomic_open(sys.argv[1]) as fh:\n"
    "    fh.write('half'); fh.flush(); print('writing', flush=True); time.sleep(60)\n"
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_an_atomic_write_leaves_neither_the_file_nor_its_temporary(tmp_path: Path, signum) -> None:
    out = tmp_path / "out" / "silver.conll"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # the child starts with the signal at its default: under ``nohup`` SIGHUP is inherited as ignored, and the
    # library rightly leaves an ignored signal alone
    proc = subprocess.Popen([sys.executable, "-c", _HALF_WRITTEN, str(out)], stdout=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL))  # fmt: skip
    assert proc.stdout.readline() == "writing\n"
    assert [p.name.startswith(".silver.conll.") for p in out.parent.iterdir()] == [True]
    proc.send_signal(signum)
    assert proc.wait(5) == -signum  # still reported as killed by the signal
    assert list(out.parent.iterdir()) == []


def test_the_temporary_of_a_sigkilled_atomic_write_is_removed_by_the_next_write_into_its_folder(tmp_path: Path) -> None:
    # found in review: a SIGKILL (OOM killer, kill -9) during a run left the hidden, partial temporary file of
    # --out (and of cache entries) next to it for good; every killed run added one more
    out = tmp_path / "out" / "silver.conll"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _HALF_WRITTEN, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout.readline() == "writing\n"
    proc.kill()
    assert proc.wait(5) == -signal.SIGKILL
    (left,) = out.parent.iterdir()
    # what is not such a temporary, or is one of a live process or of another PID namespace, stays
    namespace = "".join(c for c in tmp._pid_namespace() if c.isdigit()) or "0"
    alive = out.parent / f".silver.conll.{namespace}-{os.getppid()}-abcdefgh.tmp"
    elsewhere = out.parent / f".silver.conll.1-{dead_pid()}-abcdefgh.tmp"
    users = out.parent / f".silver.conll.{dead_pid()}.tmp"
    for path in (alive, elsewhere, users):
        path.write_text("x")
    subprocess.run([sys.executable, "-c", "import sys; from projection.cache import atomic_write_text; "
                    "atomic_write_text(sys.argv[1], 'whole')", str(out.parent / "other.conll")], env=env, check=True)
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([alive.name, elsewhere.name, users.name, "other.conll"])
    assert not left.exists()


def test_normal_exit_and_ctrl_c_remove_the_dir(tmp_path: Path) -> None:
    proc, path, child = _start("pass", tmp_path)
    assert proc.wait(5) == 0 and not path.exists()
    assert wait_gone(child, 5)
    proc, path, child = _start("time.sleep(60)", tmp_path)
    proc.send_signal(signal.SIGINT)
    assert wait_exit(proc, 5) == 130 and not path.exists()
    assert wait_gone(child, 5)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_leaves_its_parents_dir_and_children_alone() -> None:
    child = tmp.start_child([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        mine = tmp.process_dir()
        pid = os.fork()
        if pid == 0:  # the forked child: its own directory, then a normal exit (atexit runs cleanup)
            code = 0 if tmp.process_dir() != mine else 1
            tmp.cleanup()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert mine.is_dir() and child.poll() is None
    finally:
        child.kill()
        child.wait()


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_deferred_signals_hold_a_ctrl_c_to_the_end_of_the_block_and_leave_ignored_and_other_threads_alone() -> None:
    import threading

    steps = []
    with pytest.raises(KeyboardInterrupt):
        with tmp.deferred_signals():
            signal.raise_signal(signal.SIGINT)
            steps.append("after the signal")  # the block goes on
    assert steps == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with tmp.deferred_signals():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # an ignored signal stays ignored
            signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old)
    seen = []

    def elsewhere() -> None:  # no handler can be set outside the main thread: the block just runs
        with tmp.deferred_signals():
            seen.append(signal.getsignal(signal.SIGTERM))

    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert seen == [before]


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_deferred_signals_keep_a_handler_that_the_block_installs() -> None:
    """Ray installs its own SIGTERM handler as it starts (inside such a block): it stays, and the others come back."""

    def rays(signum, frame) -> None:  # pragma: no cover - never called
        pass

    before = signal.getsignal(signal.SIGTERM)
    try:
        with tmp.deferred_signals():
            signal.signal(signal.SIGTERM, rays)
        assert signal.getsignal(signal.SIGTERM) is rays
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGTERM, before)


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_deferred_signals_let_a_second_ctrl_c_through_at_once_and_deliver_every_signal_held_sigterm_first() -> None:
    """Found in review: a block that hangs (a Ray start-up that never finishes) could not be interrupted, and of a
    SIGINT and a SIGTERM only the first arrived."""
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with tmp.deferred_signals():
            signal.raise_signal(signal.SIGINT)
            steps.append("held")
            signal.raise_signal(signal.SIGINT)  # pressed again: at once
            steps.append("not reached")
    assert steps == ["held"] and signal.getsignal(signal.SIGINT) is signal.default_int_handler

    seen = []
    before = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    try:
        with pytest.raises(KeyboardInterrupt):
            with tmp.deferred_signals():
                signal.raise_signal(signal.SIGINT)
                signal.raise_signal(signal.SIGTERM)
                assert seen == []  # both held
        assert seen == [signal.SIGTERM]  # delivered, before the Ctrl-C
    finally:
        signal.signal(signal.SIGTERM, before)


def test_a_live_run_on_another_machine_sharing_tmpdir_is_not_swept(tmp_path: Path, monkeypatch) -> None:
    # found in review: the marker named the PID namespace only, which is pid:[4026531836] on every Linux machine
    # (outside containers): with a TMPDIR on a disk that two machines share, a run's first scratch directory on one
    # machine swept the scratch of a live run on the other, whose PID does not exist here
    script = """
import os, sys
from projection import cache, tmp
cache._machine_digits = lambda: sys.argv[1]
print(tmp.process_dir(), flush=True)
os.kill(os.getpid(), 9)
"""
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    made = {}
    for machine in ("1111111111", "2222222222"):
        out = subprocess.run([sys.executable, "-c", script, machine], env=env, capture_output=True, text=True)
        assert out.returncode == -signal.SIGKILL
        made[machine] = Path(out.stdout.strip())
        assert made[machine].is_dir()
    from projection import cache

    monkeypatch.setattr(cache, "_machine_digits", lambda: "1111111111")  # this process runs on the first machine
    assert tmp.sweep_stale(tmp_path) == [made["1111111111"]]
    assert made["2222222222"].is_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_scratch_directory_of_an_earlier_boot_of_this_machine_is_swept(tmp_path: Path, monkeypatch) -> None:
    # found in review: the scratch of a run that a power cut or a crash of the machine ended (a TMPDIR that a reboot
    # does not empty) was never swept: its marker names the boot it was made on, and another boot counted as another
    # machine. The marker now names the machine across reboots too; after a reboot its PID (reused now or not) and
    # its PID namespace mean nothing. Another machine's, or one changed since this boot, is kept.
    script = """
import os, sys
from projection import cache, tmp
cache._machine_digits = lambda: "2222222222"  # the boot before this one
cache._host_digits = lambda: sys.argv[1]
print(tmp.process_dir(), flush=True)
os.kill(os.getpid(), 9)
"""
    made = {}
    for i, host in enumerate(("0badcafe", "feedf00d", "0badcafe ")):
        (tmp_path / str(i)).mkdir()  # one folder each: a later one's first sweep would take the one before
        env = {**os.environ, "TMPDIR": str(tmp_path / str(i)), "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", script, host.strip()], env=env, capture_output=True, text=True)
        assert out.returncode == -signal.SIGKILL, out.stderr
        path = Path(out.stdout.strip())
        made[host] = path.rename(tmp_path / path.name)
    reused = made["0badcafe"].rename(tmp_path / "silver-ner-1-reused")  # its PID is init's now: alive
    for path in (reused, made["feedf00d"]):
        os.utime(path, (1_700_000_000.0 - 60,) * 2)
    os.utime(made["0badcafe "], (1_700_000_000.0 + 60,) * 2)  # changed since this boot: not a leftover of the last
    from projection import cache

    monkeypatch.setattr(cache, "_machine_digits", lambda: "1111111111")
    monkeypatch.setattr(cache, "_host_digits", lambda: "0badcafe")
    monkeypatch.setattr(cache, "_boot_time", lambda: 1_700_000_000.0)
    assert tmp.sweep_stale(tmp_path) == [reused]
    assert made["feedf00d"].is_dir() and made["0badcafe "].is_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_pid_reused_by_another_process_does_not_keep_a_scratch_directory(tmp_path: Path) -> None:
    # the marker names the start time of the process that made the directory: a live process with the same PID that
    # started at another time is not its owner (before, the directory stayed until that process ended too)
    script = "import os\nfrom projection import tmp\nprint(tmp.process_dir(), flush=True)\nos.kill(os.getpid(), 9)"
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.returncode == -signal.SIGKILL, out.stderr
    reused = Path(out.stdout.strip()).rename(tmp_path / f"silver-ner-{os.getppid()}-reused")  # a live PID now
    live = tmp_path / f"silver-ner-{os.getppid()}-live"
    live.mkdir()
    marker = tmp._marker_text().replace(f"start:{tmp._start_ticks()}", f"start:{tmp._start_ticks(os.getppid())}")
    assert f"start:{tmp._start_ticks(os.getppid())}" in marker
    (live / tmp.MARKER).write_text(marker, encoding="utf-8")  # made by the live process itself: kept
    assert tmp.sweep_stale(tmp_path) == [reused]
    assert live.is_dir()
