"""Whole-process speed and memory of ``silver-ner project --alignments A --report R`` (issue 10).

Europarl-NER en→de (799 pairs) repeated to ~20k and ~200k sentence pairs, with fastalign soft links
(deterministic) as the given alignments. Each command runs as its own process under ``/usr/bin/time`` (wall
seconds and peak RSS), side by side with the paper-style reference (``paper_reference.py``: plain Python,
unbounded n-grams; its ``literal`` and ``lean`` styles, which must write the same file), in one run; medians of
``--repeats``.

    python benchmarks/bench_whole.py --repeats 3 --out benchmarks/results/whole.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projection.io.package_data import europarl  # noqa: E402


def make_data(folder: Path, copies: int) -> tuple[Path, Path, Path]:
    from projection.align.fastalign import FastAlignAligner

    en, de = europarl("en"), europarl("de")
    links = FastAlignAligner(stem=4, symmetrize="soft").align([s.tokens for s in en.sentences],
                                                              [t.tokens for t in de.sentences])  # fmt: skip
    src, tgt, al = folder / f"en.{copies}.conll", folder / f"de.{copies}.conll", folder / f"al.{copies}.txt"
    for path, corpus in ((src, en), (tgt, de)):
        block = "".join("".join(f"{w}\t{t}\n" for w, t in zip(s.tokens, s.tags)) + "\n" for s in corpus.sentences)
        path.write_text(block * copies, encoding="utf-8")
    al.write_text("".join(a.to_pharaoh() + "\n" for a in links) * copies, encoding="utf-8")
    return src, tgt, al


def timed(cmd: list[str], env: dict) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of ``cmd`` run under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr[-2000:]}")
        wall, rss_kb = tf.read().split()[-2:]
    return float(wall), int(rss_kb) // 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--big", type=int, default=250, help="copies of the 799 pairs for the memory run (~200k)")
    ap.add_argument("--jobs", type=int, default=None, help="--jobs of silver-ner (default: all cores)")
    ap.add_argument("--exact", action="store_true",
                    help="compare silver-ner's exact matcher with the reference's ILP (pulp + CBC per sentence)")
    ap.add_argument("--copies", type=int, default=25, help="copies of the 799 pairs for the timed runs (~20k)")
    ap.add_argument("--out", default="benchmarks/results/whole.json")
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    if args.exact:
        jobs += ["--matcher", "exact"]
    result: dict = {"cpu": os.cpu_count(), "rows": [], "matcher": "exact vs ILP" if args.exact else "greedy"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src, tgt, al = make_data(folder, args.copies)
        n = args.copies * 799
        styles = ["ilp"] if args.exact else ["literal", "lean"]
        ours: list = []
        refs: dict[str, list] = {style: [] for style in styles}
        for _ in range(args.repeats):  # interleaved: all see the same machine load
            ours.append(timed([sys.executable, "-m", "projection", "project", "--source", str(src), "--target",
                               str(tgt), "--alignments", str(al), "--out", str(folder / "o.conll"), "--report",
                               str(folder / "r.json"), "--quiet", *jobs], env))  # fmt: skip
            for style in styles:
                option = "--solver=ilp" if style == "ilp" else f"--style={style}"
                refs[style].append(timed([sys.executable, str(REPO / "benchmarks" / "paper_reference.py"), option,
                                          str(src), str(tgt), str(al), str(folder / f"ref.{style}.conll")], env))  # fmt: skip
        if not args.exact:  # the two styles are one method: they must choose the same spans
            same = (folder / "ref.literal.conll").read_bytes() == (folder / "ref.lean.conll").read_bytes()
            if not same:
                raise RuntimeError("the literal and lean references wrote different files")
            result["references_identical"] = same
        ours_s = statistics.median(t for t, _ in ours)
        result["rows"].append({"what": "silver-ner project", "sentences": n, "median_s": ours_s,
                               "runs_s": [t for t, _ in ours], "peak_rss_mb": max(m for _, m in ours)})
        result["speedup"] = {}
        for style, runs in refs.items():
            ref_s = statistics.median(t for t, _ in runs)
            result["rows"].append({"what": f"reference ({style})", "sentences": n, "median_s": ref_s,
                                   "runs_s": [t for t, _ in runs], "peak_rss_mb": max(m for _, m in runs)})
            result["speedup"][style] = ref_s / ours_s
        for f in (src, tgt, al):
            f.unlink()
        if not args.big:
            result["rss_ratio_big_to_20k"] = None
            return _finish(result, args.out)
        src, tgt, al = make_data(folder, args.big)
        big = timed([sys.executable, "-m", "projection", "project", "--source", str(src), "--target", str(tgt),
                     "--alignments", str(al), "--out", str(folder / "o.conll"), "--report", str(folder / "r.json"),
                     "--quiet", *jobs], env)  # fmt: skip
        result["rows"].append({"what": "silver-ner project", "sentences": args.big * 799, "median_s": big[0],
                               "runs_s": [big[0]], "peak_rss_mb": big[1]})
        result["rss_ratio_big_to_20k"] = big[1] / max(m for _, m in ours)
    return _finish(result, args.out)


def _finish(result: dict, out: str) -> int:
    print(f"{'what':<24}{'sentences':>10}{'median s':>10}{'peak RSS MB':>13}")
    for r in result["rows"]:
        print(f"{r['what']:<24}{r['sentences']:>10}{r['median_s']:>10.2f}{r['peak_rss_mb']:>13}")
    ratio = result["rss_ratio_big_to_20k"]
    for style, speedup in result["speedup"].items():
        print(f"speed-up vs the paper-style reference, {style} (same run, ~20k, {result['matcher']}): {speedup:.1f}x")
    if ratio:
        print(f"peak RSS ~200k / ~20k: {ratio:.2f}")
    Path(out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
