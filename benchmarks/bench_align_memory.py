"""Peak memory of ``silver-ner project`` with the default (statistical) aligner, by corpus size (issue 10).

A statistical aligner must see the whole split. Since 0.2.1 the runner keeps the split's pairs in a scratch
file while the aligner's stage holds the tokens as ids (``CorpusStage``, ``TokenCorpus``); before, every
pair stayed in memory as Python objects. This script runs ``project`` (fresh alignment cache, so eflomal
really trains) on Europarl-NER en→de repeated ``--copies`` times and reports the peak RSS of the Python
process itself (``ru_maxrss`` of RUSAGE_SELF: the eflomal binary, a child process, is not counted) and the
growth per extra sentence pair between the smallest and the largest size. ``--roots`` compares checkouts
(e.g. a worktree of an older commit) in the same run.

    git worktree add --detach ../wt/before a2509e0   # 0.2.0's runner: whole-corpus stages held every pair
    python benchmarks/bench_align_memory.py --copies 4 16 --roots . ../wt/before --out benchmarks/results/align_memory.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_WRAPPER = """
import resource, runpy, sys, time
t0 = time.time()
sys.argv = ["silver-ner", *sys.argv[1:]]
code = 0
import projection
print("CODE", projection.__file__, file=sys.stderr)
try:
    runpy.run_module("projection", run_name="__main__")
except SystemExit as e:
    code = e.code or 0
print("PEAK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, round(time.time() - t0, 1), file=sys.stderr)
sys.exit(code)
"""


def write_corpus(folder: Path, copies: int) -> tuple[Path, Path]:
    from projection.io.package_data import europarl

    paths = []
    for lang in ("en", "de"):
        corpus = europarl(lang)
        block = "".join("".join(f"{w}\t{t}\n" for w, t in zip(s.tokens, s.tags)) + "\n" for s in corpus.sentences)
        path = folder / f"{lang}.{copies}.conll"
        path.write_text(block * copies, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def peak(root: Path, src: Path, tgt: Path, out: Path) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(root), "HF_HUB_OFFLINE": "1", "SILVER_NER_CACHE": cache}
        # cwd: the scratch folder, so that ``python -c`` (which puts the cwd first on sys.path) imports the
        # package from ``root`` and not from wherever the script was started
        proc = subprocess.run([sys.executable, "-c", _WRAPPER, "project", "--source", str(src), "--target", str(tgt),
                               "--out", str(out), "--quiet"], env=env, cwd=cache, capture_output=True, text=True,
                              check=False)  # fmt: skip
    lines = [line for line in proc.stderr.splitlines() if line.startswith("PEAK ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"project under {root} failed: {proc.stderr[-2000:]}")
    code = [line.split(" ", 1)[1] for line in proc.stderr.splitlines() if line.startswith("CODE ")]
    if not code or not code[0].startswith(str(root)):
        raise RuntimeError(f"the run meant for {root} imported silver-ner from {code}")
    _, mb, seconds = lines[-1].split()
    return int(mb), float(seconds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, nargs="+", default=[4, 16], help="copies of the 799 Europarl pairs")
    ap.add_argument("--roots", nargs="+", default=[str(REPO)], help="checkouts to compare (PYTHONPATH of each run)")
    ap.add_argument("--out", default="benchmarks/results/align_memory.json")
    args = ap.parse_args(argv)
    # checked before any run (as bench_instructions.py does): a missing checkout failed with a RuntimeError
    # traceback only when its turn came, after the earlier roots' eflomal runs
    for root in args.roots:
        if not (Path(root) / "projection" / "__init__.py").is_file():
            ap.error(f"--roots {root}: not a silver-ner checkout (no projection/__init__.py)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for copies in sorted(args.copies):
            src, tgt = write_corpus(folder, copies)
            for root in args.roots:
                mb, seconds = peak(Path(root).resolve(), src, tgt, folder / "out.conll")
                rows.append({"root": root, "pairs": copies * 799, "peak_rss_mb": mb, "seconds": seconds})
                print(f"{root:<30}{copies * 799:>8} pairs {mb:>6} MB {seconds:>8.1f} s", flush=True)
    slopes = {}
    for root in args.roots:
        mine = sorted((r for r in rows if r["root"] == root), key=lambda r: r["pairs"])
        if len(mine) > 1:
            slopes[root] = round((mine[-1]["peak_rss_mb"] - mine[0]["peak_rss_mb"]) * 1024 / (mine[-1]["pairs"] - mine[0]["pairs"]), 2)
            print(f"{root}: {slopes[root]} KB of peak RSS per extra pair")
    Path(args.out).write_text(json.dumps({"rows": rows, "kb_per_pair": slopes}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
