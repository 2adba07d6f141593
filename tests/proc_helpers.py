"""Helpers of the process tests (``test_tmp.py``, ``projection/align/test_align_eflomal_process.py``): reading
``/proc`` and waiting for processes to end. Importable from any test (``tests/`` is on ``sys.path`` through the
root ``conftest.py``)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


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
    kernel wait channel (a Ctrl-C test once timed out in 2 of 4 full CI runs and passed alone)."""
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
