"""Instructions per sentence pair of ``silver-ner project --alignments A --report R --jobs 1`` (issue 10), counted by
valgrind's callgrind: a count that does not move with the machine's load, for changes too small for wall-clock
medians on a shared 2-core machine (whose speed drifts by ±15 % between runs).

The same command runs on Europarl-NER en→de ×``--small`` and ×``--large`` (fastalign soft links given, as in
``bench_whole.py``) under ``valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0``; the difference of the two counts
over the difference in pairs is what one more pair costs (start-up and imports cancel out). Each ``--roots``
folder is a checkout of silver-ner (e.g. a ``git worktree`` of an older commit), put first on ``PYTHONPATH``.
Needs ``valgrind`` (Debian: ``apt-get install valgrind``); about 1 minute per root.

    python benchmarks/bench_instructions.py --roots ../wt/before . --out benchmarks/results/instructions.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_whole import make_data, project_cmd


def instructions(cmd: list[str], root: Path) -> int:
    """Instructions (callgrind's ``Ir``) that ``cmd`` executes with ``root`` first on ``PYTHONPATH``."""
    # no .pyc is written: otherwise on a fresh checkout the small run compiles every module and the large run
    # reads the files it wrote, and the difference loses the compiling (about 276 k instructions per pair)
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": "0", "HF_HUB_OFFLINE": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    # run in ``root``: ``python -m`` puts the working directory before PYTHONPATH
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=env,
                          cwd=root, capture_output=True, text=True, check=False)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed under valgrind: {proc.stderr[-2000:]}")
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {proc.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--roots", nargs="+", type=Path, default=[REPO], help="silver-ner checkouts to compare")
    ap.add_argument("--small", type=int, default=1, help="copies of the 799 pairs of the smaller input")
    ap.add_argument("--large", type=int, default=3, help="copies of the 799 pairs of the larger input")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    if not 0 < args.small < args.large:
        raise SystemExit("--small must be a positive number of copies below --large")
    for root in args.roots:  # every root before any run (found in review: a bad second root came after the first's)
        if not (root.resolve() / "projection" / "__init__.py").is_file():
            raise SystemExit(f"{root.resolve()} is not a silver-ner checkout (no projection/__init__.py)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = {copies: make_data(folder, copies) for copies in (args.small, args.large)}
        for root in args.roots:
            root = root.resolve()
            counts = {}
            for copies, (src, tgt, al) in inputs.items():
                cmd = project_cmd(src, tgt, al, folder / f"out.{copies}.conll", "--jobs", "1")
                counts[copies] = instructions(cmd, root)
            commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True, check=False).stdout.strip()  # fmt: skip
            per_pair = (counts[args.large] - counts[args.small]) / ((args.large - args.small) * 799)
            rows.append({"root": str(root), "commit": commit, "instructions": counts, "per_pair": per_pair})
    base = rows[0]["per_pair"]
    print(f"{'root':<40}{'commit':>10}{'instructions per pair':>24}{'vs first':>10}")
    for r in rows:
        print(f"{r['root'][-40:]:<40}{r['commit']:>10}{r['per_pair']:>24,.0f}{r['per_pair'] / base:>10.3f}")
    if args.out:
        from projection.cache import atomic_write_text

        args.out.parent.mkdir(parents=True, exist_ok=True)
        result = {"small_pairs": args.small * 799, "large_pairs": args.large * 799, "rows": rows}
        atomic_write_text(args.out, json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
