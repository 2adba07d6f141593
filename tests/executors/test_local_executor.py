"""``LocalExecutor``'s pool: its workers (spawned or forked) die with the process that started them, however it
ends; how it chooses to start them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from proc_helpers import gone, proc_state, wait_gone, wait_until

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent('''
    import sys
    import time
    from projection.executors import LocalExecutor
    from projection.io.package_data import europarl
    from projection.runner import run
    from projection.stages.base import Stage
    from projection.stages.read import PairsSource, parallel_pairs

    class Slow(Stage):
        name = "slow"

        def process(self, pairs):
            time.sleep(60)
            return list(pairs)

    if __name__ == "__main__":
        pairs = parallel_pairs(europarl("en").sentences[:80], europarl("de").sentences[:80])
        run(PairsSource(pairs), [Slow()], executor=LocalExecutor(2, start_method=sys.argv[1]), chunk_size=10, progress=False)
''')


def children(pid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            state = proc_state(int(name))
            if state is not None and state[1] == pid and state[0] not in ("Z", "X"):
                out.append(int(name))
    return out


@pytest.mark.parametrize("start_method, n_children", [("spawn", 3), ("fork", 2)])
def test_the_workers_die_with_a_killed_driver(tmp_path, start_method, n_children):
    script = tmp_path / "driver.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    driver = subprocess.Popen([sys.executable, str(script), start_method], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    found: list[int] = []
    try:
        # two workers, and for spawned ones multiprocessing's resource tracker
        found = (wait_until(lambda: len(children(driver.pid)) >= n_children, 30) and children(driver.pid)) or []
        assert len(found) == n_children, found
        driver.send_signal(signal.SIGKILL)
        driver.wait(10)
        assert all(wait_gone(pid, 10) for pid in found), [proc_state(p) for p in found]
    finally:
        if driver.poll() is None:
            driver.kill()
        for pid in found:  # orphans (their parent is init now) if the test failed
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


AUTO = """
import threading
from projection.executors.local import auto_start_method
print(auto_start_method())
release = threading.Event()
thread = threading.Thread(target=release.wait)
thread.start()
print(auto_start_method())
release.set()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_process_forks_its_workers_only_while_it_runs_one_thread():
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", AUTO], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["fork", "spawn"]


def test_an_unknown_start_method_names_the_valid_ones():
    from projection.executors import LocalExecutor

    with pytest.raises(ValueError, match="start_method must be one of fork, spawn .*got 'thread'"):
        LocalExecutor(2, start_method="thread")
    # found in review: forkserver workers all exited at start (BrokenProcessPool with no hint why)
    with pytest.raises(ValueError, match="start_method must be one of fork, spawn .*got 'forkserver'"):
        LocalExecutor(2, start_method="forkserver")


def test_the_progress_bar_starts_no_thread():
    """tqdm's monitor thread would make every later pool spawn its workers (``auto_start_method``)."""
    import threading

    from projection.runner import _bar_class

    before = set(threading.enumerate())
    with open(os.devnull, "w") as sink:
        bar = _bar_class()(total=3, disable=False, file=sink)
        bar.update(1)
        bar.close()
    # tqdm keeps a started monitor on the class that started it; a plain tqdm bar of an earlier test may have one
    assert set(threading.enumerate()) == before and "monitor" not in vars(_bar_class())


PROJECT = """
import sys
import projection.executors.local as local

chosen = []
auto = local.auto_start_method
local.auto_start_method = lambda: chosen.append(auto()) or chosen[-1]

if __name__ == "__main__":
    from projection.cli import main

    code = main(["project", "--source", "s.conll", "--target", "t.conll", "--alignments", "a.txt", "--out", "o.conll",
                 "--jobs", "2"])
    print(code, *chosen)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_project_with_given_alignments_forks_its_workers(tmp_path):
    """The CLI's run, progress bar on, reaches the pool with one thread (no tqdm monitor, no numpy), so its
    workers are forked: 4,000 pairs, 4 chunks, the smallest run that uses a pool."""
    (tmp_path / "s.conll").write_text("Anna\tB-PER\n\n" * 4000, encoding="utf-8")
    (tmp_path / "t.conll").write_text("Anna\tB-PER\n\n" * 4000, encoding="utf-8")
    (tmp_path / "a.txt").write_text("0-0\n" * 4000, encoding="utf-8")
    (tmp_path / "driver.py").write_text(PROJECT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "driver.py"], env=env, cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.split()[-2:] == ["0", "fork"]
    assert (tmp_path / "o.conll").read_text(encoding="utf-8") == "Anna\tB-PER\n\n" * 4000


def _fail_on_3(x: int) -> int:
    if x == 3:
        raise ValueError("task failed on item 3")
    return x


def _items_then_read_error(n: int):
    yield from range(n)
    raise ValueError(f"reading item {n} failed")


@pytest.mark.parametrize("n", [3, 5])
def test_an_items_error_comes_after_the_results_of_the_items_before_it_as_with_one_job(n):
    """The pool reads items ahead (4 before it starts, then a window): an error while making an item (a read error
    of ``project``'s driver) was raised before an earlier item's own error, so the error of a run depended on
    ``--jobs``. Now the items before it are finished first, as one process finishes them."""
    from projection.executors import LocalExecutor

    for jobs in (1, 2):
        got = []
        with pytest.raises(ValueError) as info:
            for result in LocalExecutor(jobs, start_method="fork").map(_fail_on_3, _items_then_read_error(n)):
                got.append(result)
        assert (got, str(info.value)) == (
            ([0, 1, 2], "reading item 3 failed") if n == 3 else ([0, 1, 2], "task failed on item 3")
        ), jobs


def _die(item: int) -> int:
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    return item


def test_a_worker_that_dies_is_one_error_that_says_what_happened():
    """Found in review: a worker killed by a signal ended the run with a BrokenProcessPool traceback."""
    from projection.executors.local import LocalExecutor, WorkerDied

    with pytest.raises(WorkerDied) as info:
        list(LocalExecutor(2, start_method="fork").map(_die, range(8)))
    assert str(info.value) == ("a worker process died before its work was done (killed, or out of memory?); run "
                               "again, with fewer processes than --jobs 2 if memory is short")


def test_a_pool_worker_leaves_on_ctrl_c_by_system_exit_not_a_traceback():
    """Found in review: Ctrl-C reaches the whole process group, and an idle worker printed the traceback of its
    KeyboardInterrupt (3 runs in 10) before the driver's one line. A process set up by the pool's initializer now
    leaves quietly with 130 and runs its cleanup."""
    code = ("import atexit, os, signal\n"
            # as in a terminal: a test run started in the background inherits SIGINT ignored, which die_with keeps
            "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
            "from projection.tmp import die_with\n"
            "die_with(os.getppid())\n"
            "atexit.register(print, 'cleaned up')\n"
            "os.kill(os.getpid(), 2)\n"
            "import time; time.sleep(5)\n")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "cleaned up\n", "")


IGNORING_DRIVER = textwrap.dedent('''
    import os
    import signal
    import sys
    from projection.executors import LocalExecutor

    def interrupted(k):  # a Ctrl-C that reaches the whole process group while the worker works
        os.kill(os.getpid(), signal.SIGINT)
        return k * k

    if __name__ == "__main__":
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a job that a script starts in the background
        print(list(LocalExecutor(2, start_method=sys.argv[1]).map(interrupted, range(8))))
''')


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_the_workers_of_a_driver_that_ignores_ctrl_c_ignore_it_too(tmp_path, start_method):
    """Found in review: the pool's initializer made every worker leave on SIGINT even where the driver ignored it
    (a job a script starts with ``&``; the shell sets SIGINT to ignored): a Ctrl-C meant for the foreground ended a
    ``--jobs 2`` run that ``--jobs 1`` would have finished, with exit 130 and no message, or exit 1 saying "a worker
    process died ... (killed, or out of memory?)", and once it hung. The workers now inherit the driver's choice."""
    script = tmp_path / "ignoring_driver.py"
    script.write_text(IGNORING_DRIVER)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, str(script), start_method], env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "[0, 1, 4, 9, 16, 25, 36, 49]\n", "")


STOPPED_WORKER_DRIVER = textwrap.dedent('''
    import os
    import signal
    import sys
    import threading
    from projection.executors import LocalExecutor

    def task(k):
        if k == 0:  # an unresponsive worker: stopped (Ctrl-Z, SIGSTOP), as one hung in native code would be
            with open(sys.argv[2], "w") as fh:
                fh.write(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGSTOP)
        return k

    if __name__ == "__main__":
        signal.signal(signal.SIGINT, signal.default_int_handler)
        threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()  # Ctrl-C while it waits for item 0
        try:
            list(LocalExecutor(2, start_method=sys.argv[1]).map(task, range(8)))
        except KeyboardInterrupt:
            print("interrupted", flush=True)
''')


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_ctrl_c_ends_a_run_whose_worker_is_stopped(tmp_path, start_method):
    """Found in review: a ``--jobs 2`` run whose worker was stopped (SIGSTOP, or hung) printed "silver-ner:
    interrupted" on Ctrl-C and then never ended (the pool's shutdown and multiprocessing's exit hook joined the
    stopped worker; a second Ctrl-C did not help either). The pool left early now kills the workers that do not end."""
    script = tmp_path / "driver.py"
    script.write_text(STOPPED_WORKER_DRIVER)
    pid_file = tmp_path / "worker.pid"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    driver = subprocess.Popen([sys.executable, str(script), start_method, str(pid_file)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = driver.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.communicate()
        pytest.fail("the driver did not end after Ctrl-C")
    finally:
        if pid_file.exists():  # never leave a stopped process behind, whatever happened
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
    assert (driver.returncode, out, err) == (0, "interrupted\n", "")
    assert wait_gone(int(pid_file.read_text()), 5)
