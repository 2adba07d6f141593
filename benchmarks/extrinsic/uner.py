"""UNER-PUD en→de (PER/ORG/LOC): the parallel default for German against the language-independent one
(evaluation only: nothing is chosen on UNER-PUD).

    python benchmarks/extrinsic/uner.py --runs 3 --data ../shared/data/uner-pud --out benchmarks/results/uner_v050.json

Each run aligns afresh for each method (interleaved), with the shipped NTREX-128 English–German text as extra
aligner text (as the ``uner-pud.de`` build does), projects the English gold and scores against the German gold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from projection.evaluate import evaluate
from projection.io.conll import ConllError, read_conll
from projection.options import default_config
from projection.plans import default_extra, project_corpus


def methods() -> dict:
    return {"default": default_config("parallel", "de"), "default-0.4": default_config("parallel")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, required=True, help="folder with en_pud-ud-test.iob2 and de_pud-ud-test.iob2")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    try:
        source = read_conll(args.data / "en_pud-ud-test.iob2", token_col=1, tag_col=2).sentences
        target = read_conll(args.data / "de_pud-ud-test.iob2", token_col=1, tag_col=2).sentences
    except ConllError as err:
        raise SystemExit(f"{err}: --data is the uner-pud folder of the shared data") from None
    rows = []
    for r in range(args.runs):
        for name, config in methods().items():
            out = project_corpus(list(source), [t.tokens for t in target], config, extra=default_extra("de", config),
                                 use_cache=False, progress=False)  # fmt: skip
            f1 = 100 * evaluate([t.tags for t in target], out.tags).f1
            rows.append({"run": r, "method": name, "f1": round(f1, 2), "signature": out.signature.format()})
            print(f"run {r} {name:12} F1 {f1:.2f}", flush=True)
    summary = {name: {"per_run": [x["f1"] for x in rows if x["method"] == name],
                      "mean": round(statistics.mean(x["f1"] for x in rows if x["method"] == name), 2)}
               for name in methods()}  # fmt: skip
    for name, s in summary.items():
        print(f"{name}: per run {s['per_run']}, mean {s['mean']:.2f}")
    if args.out:
        args.out.write_text(json.dumps({"runs": rows, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
