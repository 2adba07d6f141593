"""Whole-process speed and memory of ``silver-ner project --alignments A --report R`` (issue 10).

Europarl-NER en→de (799 pairs) repeated to ~20k and ~200k sentence pairs, with fastalign soft links
(deterministic) as the given alignments. Each command runs as its own process under ``/usr/bin/time`` (wall
seconds and peak RSS of the largest process; the whole process tree's memory is sampled in one more run of each
command, whose time is not counted: the sampler slows what it measures), side by side with
the paper-style reference (``paper_reference.py``: plain Python, unbounded n-grams; its ``literal`` and ``lean``
styles), in one run; medians of ``--repeats``, and the speed-up within each repeat (median, lowest, highest).
silver-ner runs twice: its default method, and the reference's own method (``PAPER`` flags); the two reference
styles and that second run must write the same file.

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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projection.io.package_data import europarl  # noqa: E402

#: silver-ner flags for the reference's own method: no refinement, no character term, and a possible link
#: (``ipj``) counting as much as a sure one, as the reference reads every Pharaoh link (candidates ``linked.v1``:
#: provably the same choice as unbounded n-grams for this score)
PAPER = ("--no-refine", "--char-weight", "0", "--possible-weight", "1")


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


def _tree_pss_kb(root: int) -> int:
    """Proportional set size (shared pages split between their users) of ``root`` and every descendant, in KB."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    parents[int(name)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def project_cmd(src: Path, tgt: Path, al: Path, out: Path, *flags: str) -> list[str]:
    """``silver-ner project --alignments AL --report`` (the report beside ``out``) with ``flags``."""
    return [sys.executable, "-m", "projection", "project", "--source", str(src), "--target", str(tgt),
            "--alignments", str(al), "--out", str(out), "--report", str(out.parent / "r.json"), "--quiet",
            *flags]  # fmt: skip


def with_bytecode_cache(env: dict, folder: Path) -> dict:
    """``env`` where Python may cache the bytecode of the modules it compiles, under ``folder``: what a package
    installed by pip has (pip compiles it at install). This machine sets ``PYTHONDONTWRITEBYTECODE=1``, and the
    benchmark runs silver-ner from its source folder, so without this every process compiled all its modules
    again (about 85 ms). The reference gets the same ``env``; its script is ``__main__`` and is compiled either
    way. With a prefix Python reads no other cache, so the standard library and seqeval are cached there too: one
    untimed run of each command comes first."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}


def timed(cmd: list[str], env: dict, sample: bool = False) -> tuple[float, int, int]:
    """(wall seconds, peak RSS of the largest process in MB, peak memory of the whole process tree in MB) of
    ``cmd`` run under /usr/bin/time. With ``sample``, the tree (a driver and its spawned workers) is sampled
    every 20 ms as the sum of its processes' PSS, so pages shared between them count once; without, the tree's
    peak is 0. The sampler walks /proc and takes CPU from the command it measures (on 2 cores, a run of
    ``project`` took 2.07 s alone and 2.48 s sampled, medians of 7 alternating), so timed runs are not sampled."""
    import threading

    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        peak = [0]

        def watch() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=watch, daemon=True) if sample else None
        if sampler:
            sampler.start()
        _, stderr = proc.communicate()
        if sampler:
            sampler.join()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {stderr[-2000:]}")
        wall, rss_kb = tf.read().split()[-2:]
    return float(wall), int(rss_kb) // 1024, peak[0] // 1024


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
        env = with_bytecode_cache(env, folder)
        src, tgt, al = make_data(folder, args.copies)
        n = args.copies * 799
        styles = ["ilp"] if args.exact else ["literal", "lean"]
        # silver-ner's default method, and (greedy only) the reference's own method, which must write its bytes
        variants = {"default method": []} if args.exact else {"default method": [], "paper's method": PAPER}
        if args.jobs is None:  # all cores, and one process beside it
            variants["default method, --jobs 1"] = ["--jobs", "1"]
        ours: dict[str, list] = {name: [] for name in variants}
        refs: dict[str, list] = {style: [] for style in styles}
        def ref_cmd(style: str) -> list[str]:
            option = "--solver=ilp" if style == "ilp" else f"--style={style}"
            return [sys.executable, str(REPO / "benchmarks" / "paper_reference.py"), option, str(src), str(tgt),
                    str(al), str(folder / f"ref.{style}.conll")]  # fmt: skip

        # not counted: each fills the bytecode cache with the modules it imports (the reference's seqeval too)
        timed(project_cmd(src, tgt, al, folder / "warm.conll", *jobs), env)
        if not args.exact:  # (the ILP reference runs for minutes: its imports are lost in it)
            timed(ref_cmd("lean"), env)
        for _ in range(args.repeats):  # interleaved: all see the same machine load; not sampled (``timed``)
            for k, (name, flags) in enumerate(variants.items()):
                ours[name].append(timed(project_cmd(src, tgt, al, folder / f"o{k}.conll", *jobs, *flags), env))
            for style in styles:
                refs[style].append(timed(ref_cmd(style), env))
        # the whole tree's memory: one more run of each, sampled, its time not counted
        tree = {name: timed(project_cmd(src, tgt, al, folder / f"o{k}.conll", *jobs, *flags), env, sample=True)[2]
                for k, (name, flags) in enumerate(variants.items())}  # fmt: skip
        tree.update({style: timed(ref_cmd(style), env, sample=True)[2] for style in styles})
        if not args.exact:  # one method three times: the reference's two styles and silver-ner with its flags
            literal = (folder / "ref.literal.conll").read_bytes()
            if (folder / "ref.lean.conll").read_bytes() != literal:
                raise RuntimeError("the literal and lean references wrote different files")
            if (folder / "o1.conll").read_bytes() != literal:
                raise RuntimeError("silver-ner with the paper's method wrote another file than the reference")
            result["identical_outputs"] = ["reference (literal)", "reference (lean)", "silver-ner, paper's method"]
        result["speedup"], result["speedup_paired"] = {}, {}
        for name, runs in ours.items():
            result["rows"].append(_row(f"silver-ner, {name}", n, runs, tree[name]))
        for style, runs in refs.items():
            result["rows"].append(_row(f"reference ({style})", n, runs, tree[style]))
            for name, mine in ours.items():
                result["speedup"][f"{name} vs {style}"] = _median(runs) / _median(mine)
                result["speedup_paired"][f"{name} vs {style}"] = _paired(runs, mine)
        for f in (src, tgt, al):
            f.unlink()
        if not args.big:
            result["rss_ratio_big_to_20k"] = None
            return _finish(result, args.out)
        src, tgt, al = make_data(folder, args.big)
        big = timed(project_cmd(src, tgt, al, folder / "o.conll", *jobs), env, sample=True)
        result["rows"].append(_row("silver-ner, default method (sampled)", args.big * 799, [big], big[2]))
        result["rss_ratio_big_to_20k"] = big[1] / max(m for _, m, _ in ours["default method"])
        result["tree_ratio_big_to_20k"] = big[2] / tree["default method"]
    return _finish(result, args.out)


def _median(runs: list[tuple[float, int, int]]) -> float:
    return statistics.median(t for t, _, _ in runs)


def _paired(ref: list[tuple[float, int, int]], mine: list[tuple[float, int, int]]) -> dict[str, float]:
    """The speed-up within each repeat (the two commands ran one after the other there, on the same machine
    load): median, lowest and highest over the repeats. Less moved by the machine's drift between repeats than
    the ratio of the two medians."""
    ratios = [r / m for (r, _, _), (m, _, _) in zip(ref, mine)]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def _row(what: str, sentences: int, runs: list[tuple[float, int, int]], tree_mb: int) -> dict:
    """``tree_mb``: the whole tree's peak from the sampled run."""
    return {"what": what, "sentences": sentences, "median_s": _median(runs), "runs_s": [t for t, _, _ in runs],
            "peak_rss_mb": max(m for _, m, _ in runs), "peak_tree_mb": tree_mb}  # fmt: skip


def _finish(result: dict, out: str) -> int:
    print(f"{'what':<32}{'sentences':>10}{'median s':>10}{'peak RSS MB':>13}{'all processes MB':>18}")
    for r in result["rows"]:
        print(f"{r['what']:<32}{r['sentences']:>10}{r['median_s']:>10.2f}{r['peak_rss_mb']:>13}{r['peak_tree_mb']:>18}")
    ratio = result["rss_ratio_big_to_20k"]
    for what, speedup in result["speedup"].items():
        paired = result["speedup_paired"][what]
        print(f"speed-up, silver-ner {what} reference (same run, ~20k, {result['matcher']}): {speedup:.1f}x; "
              f"within each repeat {paired['median']:.1f}x (median), {paired['min']:.1f}-{paired['max']:.1f}x")
    if ratio:
        print(f"peak RSS ~200k / ~20k: {ratio:.2f} (largest process), {result['tree_ratio_big_to_20k']:.2f} (all)")
    Path(out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
