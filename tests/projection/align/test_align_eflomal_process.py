"""eflomal's binary never outlives the run that started it, and leaves no temporary files behind.

Each test starts a Python process that aligns the 447 Hansards pairs with eflomal (20x the usual
iterations: it would take minutes), waits until the eflomal binary runs, then kills or interrupts it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proc_helpers import CTRL_C_AS_IN_A_TERMINAL, gone, proc_state, wait_exit, wait_gone, wait_until

from projection import tmp

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

ROOT = Path(__file__).resolve().parents[3]

_SCRIPT = CTRL_C_AS_IN_A_TERMINAL + """
import sys
from projection import tmp
from projection.align.cache import AlignmentCache, align_cached
from projection.align.eflomal import EflomalAligner
from projection.align.text import read_bitext

pairs = read_bitext("tests/data/align/hansards-enfr.txt")
print(tmp.process_dir(), flush=True)
try:
    align_cached(EflomalAligner(rel_iterations=20), [s for s, _ in pairs], [t for _, t in pairs],
                 AlignmentCache(sys.argv[1]))
except KeyboardInterrupt:  # what the CLI does
    sys.exit(130)
"""


def eflomal_children(parent: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            state = proc_state(int(entry))
            if state is not None and state[1] == parent and state[2] == "eflomal" and state[0] not in "ZX":
                out.append(int(entry))
    return out


@pytest.fixture
def aligning(tmp_path: Path):
    """A process busy in eflomal: (process, its scratch dir, the eflomal PID, the cache dir)."""
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(cache)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        scratch = Path(proc.stdout.readline().strip())
        children = wait_until(lambda: eflomal_children(proc.pid), 60)
        assert len(children) == 1, "eflomal did not start within 60 s"
        made = [p.name for p in scratch.iterdir() if p.name != tmp.MARKER]
        assert made[0].startswith("eflomal-")  # its files are in the scratch dir
        yield proc, scratch, children[0], cache
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sigkill_takes_eflomal_along_and_the_next_start_sweeps(aligning, tmp_path: Path) -> None:
    proc, scratch, child, _ = aligning
    proc.kill()
    assert proc.wait(5) == -signal.SIGKILL
    assert wait_gone(child, 5)
    assert scratch.is_dir()
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", "from projection import tmp; tmp.process_dir()"], env=env, check=True)
    assert not scratch.exists()


def test_sigterm_removes_the_temp_files_and_eflomal(aligning) -> None:
    proc, scratch, child, _ = aligning
    proc.terminate()
    assert proc.wait(5) == -signal.SIGTERM
    assert not scratch.exists()
    assert wait_gone(child, 5)


def test_ctrl_c_exits_130_within_a_second_with_nothing_in_the_cache(aligning) -> None:
    proc, scratch, child, cache = aligning
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    assert wait_exit(proc, 5) == 130
    assert time.monotonic() - start < 1.0
    assert gone(child) and not scratch.exists()
    assert [p for p in cache.rglob("*") if p.is_file() and p.suffix != ".lock"] == []  # the key's lock: no entry


def test_eflomal_killed_by_a_signal_is_one_line_exit_1_not_a_traceback(tmp_path: Path) -> None:
    # the kernel's out-of-memory killer ends the eflomal binary, not silver-ner: before, the run ended in a
    # RuntimeError traceback that said "eflomal exited with status -9" and the log's last line
    from projection.align.text import read_bitext

    pairs = read_bitext(str(ROOT / "tests/data/align/hansards-enfr.txt"))
    for name, side in (("src.conll", 0), ("tgt.conll", 1)):
        (tmp_path / name).write_text("".join("".join(f"{w}\tO\n" for w in p[side]) + "\n" for p in pairs))
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT), "SILVER_NER_CACHE": str(tmp_path / "c")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "projection", "project", "--source", "src.conll", "--target", "tgt.conll",
         "--out", "out.conll", "--quiet", "--jobs", "1", "--aligner-option", "rel_iterations=20",
         "--aligner-option", "runs=1", "--aligner-option", "symmetrize=intersection"],
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    try:
        children = wait_until(lambda: eflomal_children(proc.pid), 60)
        assert len(children) == 1, "eflomal did not start within 60 s"
        os.kill(children[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1
    assert err.strip().splitlines() == [
        f"silver-ner: error: the eflomal process was killed by SIGKILL before it finished (out of memory?); run "
        f"again, with more memory or fewer pairs ({len(pairs):,} here)"
    ]
    assert not (tmp_path / "out.conll").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(tmp.PREFIX)] == []
