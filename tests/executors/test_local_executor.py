"""``LocalExecutor``'s pool: its spawned workers die with the process that started them, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from proc_helpers import gone, proc_state, wait_until

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent('''
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
        run(PairsSource(pairs), [Slow()], executor=LocalExecutor(2), chunk_size=10, progress=False)
''')


def children(pid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            state = proc_state(int(name))
            if state is not None and state[1] == pid and state[0] not in ("Z", "X"):
                out.append(int(name))
    return out


def test_the_workers_die_with_a_killed_driver(tmp_path):
    script = tmp_path / "driver.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    driver = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    found: list[int] = []
    try:
        # the resource tracker and two workers (the workers' own Python: at least 3 children in all)
        found = (wait_until(lambda: len(children(driver.pid)) >= 3, 30) and children(driver.pid)) or []
        assert len(found) >= 3, found
        driver.send_signal(signal.SIGKILL)
        driver.wait(10)
        assert wait_until(lambda: all(gone(pid) for pid in found), 10), [proc_state(p) for p in found]
    finally:
        if driver.poll() is None:
            driver.kill()
        for pid in found:  # orphans (their parent is init now) if the test failed
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
