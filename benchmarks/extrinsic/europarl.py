"""Europarl-NER (4 classes) with and without the name anchor, on the same alignments (evaluation only:
nothing in issue 9 was chosen on Europarl).

    python benchmarks/extrinsic/europarl.py --runs 3 --out benchmarks/results/extrinsic_europarl.json

Each run aligns de/es/it afresh (the default aligner with the shipped NTREX-128 text, as ``silver-ner
demo``; no alignment cache), projects with the default method, then applies ``anchor_names`` to the
same projections, and scores both against the target gold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from projection.demo import run_demo
from projection.evaluate import evaluate
from projection.io.package_data import europarl
from projection.refine import anchor_names
from projection.types import ProjectionInput


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    langs = ("de", "es", "it")
    source = europarl("en").sentences
    rows = []
    for r in range(args.runs):
        for res in run_demo(langs, use_cache=False, progress=False):
            gold = [t.tags for t in europarl(res.lang).sentences]
            tgt = [t.tokens for t in europarl(res.lang).sentences]
            anchored = [
                anchor_names(ProjectionInput(s, tuple(t), a), p).tags(len(t))
                for s, t, a, p in zip(source, tgt, res.run.alignments, res.run.projected)
            ]
            f_anchor = 100 * evaluate(gold, anchored).f1
            rows.append({"run": r, "lang": res.lang, "default": round(100 * res.scores.f1, 2), "default+anchor": round(f_anchor, 2)})
            print(rows[-1], flush=True)
    for m in ("default", "default+anchor"):
        per_run = [statistics.mean(x[m] for x in rows if x["run"] == r) for r in range(args.runs)]
        print(f"{m}: Europarl avg per run {[round(v, 2) for v in per_run]}, mean {statistics.mean(per_run):.2f}")
    if args.out:
        args.out.write_text(json.dumps({"runs": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
