"""Helpers of the process tests (``test_tmp.py``, ``projection/align/test_align_eflomal_process.py``): reading
``/proc`` and waiting for processes to end. Importable from any test (``tests/`` is on ``sys.path`` through the
root ``conftest.py``)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

#: first line of a child script that a test interrupts with SIGINT: Ctrl-C raises KeyboardInterrupt as in a
#: terminal, whatever the test run inherited (a job started in the background by a non-interactive shell has
#: SIGINT and SIGQUIT ignored, and a Python started with SIGINT ignored keeps ignoring it: the Ctrl-C tests then
#: timed out, with SigIgn 0x1001006 in the child's /proc status)
CTRL_C_AS_IN_A_TERMINAL = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"


def proc_state(pid: int) -> tuple[str, int, str] | None:
    """(state, parent PID, command name) from /proc, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), name


def gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (absent, or a zombie that nobody reaped yet)."""
    state = proc_state(pid)
    return state is None or state[0] in ("Z", "X")


def wait_gone(pid: int, seconds: float) -> bool:
    """True once ``pid`` has ended (see ``gone``), waiting up to ``seconds`` on its pidfd (readable when the process
    ends) rather than polling; False when it still runs then."""
    import os
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        select.select([fd], [], [], seconds)
    finally:
        os.close(fd)
    return gone(pid)


def wait_until(condition, seconds: float):
    """The first truthy value of ``condition()`` within ``seconds`` (polled every 50 ms), else its last value."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


def wait_exit(proc: subprocess.Popen, seconds: float) -> int:
    """``proc.wait(seconds)``; on a timeout, fail with what the process was doing: its state, signal masks and
    kernel wait channel."""
    try:
        return proc.wait(seconds)
    except subprocess.TimeoutExpired:
        try:
            lines = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
            wchan = Path(f"/proc/{proc.pid}/wchan").read_text()
        except OSError as e:
            lines, wchan = [str(e)], ""
        keep = [x for x in lines if x.split(":")[0] in ("State", "Threads", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt")]
        raise AssertionError(f"process {proc.pid} still runs {seconds} s later: {'; '.join(keep)}; wchan {wchan!r}") from None
