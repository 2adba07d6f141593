"""Europarl-NER (4 classes): the parallel default against the previous one (evaluation only: nothing in
issue 9 was chosen on Europarl).

    python benchmarks/extrinsic/europarl.py --runs 3 --out benchmarks/results/extrinsic_europarl.json

Each run aligns de/es/it afresh (the default aligner with the shipped NTREX-128 text, as ``silver-ner
demo``; no alignment cache) for each method, projects and scores against the target gold:

- ``default``: the default since 0.4.0 (eflomal with ``stem_from=name`` and ``name_prior=10``, greedy, ``anchor.v1``);
- ``default-0.3``: the 0.3.0 default (the same without the name prior).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from projection.demo import run_demo
from projection.options import default_config


def methods() -> dict:
    # default_config adds the given aligner options to the default ones: a key left out comes back with its
    # default (the 0.4.0 run compared the default with itself that way); name_prior=0 is no prior
    return {"default": default_config("parallel"),
            "default-0.3": default_config("parallel", aligner_options=(("name_prior", 0.0),))}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    rows = []
    for r in range(args.runs):
        for name, config in methods().items():
            for res in run_demo(("de", "es", "it"), config, use_cache=False, progress=False):
                rows.append({"run": r, "method": name, "lang": res.lang, "f1": round(100 * res.scores.f1, 2),
                             "signature": res.run.signature.format()})  # fmt: skip
                print({k: v for k, v in rows[-1].items() if k != "signature"}, flush=True)
    summary = {}
    for name in methods():
        per_run = [statistics.mean(x["f1"] for x in rows if x["run"] == r and x["method"] == name) for r in range(args.runs)]
        summary[name] = {"per_run": [round(v, 2) for v in per_run], "mean": round(statistics.mean(per_run), 2)}
        print(f"{name}: Europarl avg per run {summary[name]['per_run']}, mean {summary[name]['mean']:.2f}")
    if args.out:
        args.out.write_text(json.dumps({"runs": rows, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
