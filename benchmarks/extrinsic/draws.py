"""Issue 9's MasakhaNER2 targets on the mean of several test draws of one fixed method (nothing is chosen here).

    python benchmarks/extrinsic/draws.py --reads benchmarks/results/extrinsic_test_v040.json \\
        --method-noise benchmarks/results/extrinsic_test_draws_default.json \\
        --tprojection-noise benchmarks/results/extrinsic_test_draws_tprojection.json \\
        --out benchmarks/results/extrinsic_test_draws.json

The method's draws per language: its F1 in each ``--reads`` file of ``run.py --split test`` (reads of other silver
sets of the method: not of the cached set, which is the ``--method-noise`` file's base), then that file's base and
replicates. T-Projection's: the ``--tprojection-noise`` file's base and replicates (its cached CRF is the one every
read scored). Printed: each language's draws, the two means and their difference; then the mean difference and
the worst language, against the targets (mean ≥ 0, no language below −1.0).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path


def draws(noise: dict, lang: str) -> list[float]:
    row = noise["languages"][lang]
    return [row["f1"], *row["replicates"]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reads", nargs="*", type=Path, default=[], help="earlier run.py --split test files")
    ap.add_argument("--method-noise", type=Path, required=True)
    ap.add_argument("--tprojection-noise", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    mine, theirs = (json.loads(p.read_text()) for p in (args.method_noise, args.tprojection_noise))
    if mine["split"] != "test" or theirs["split"] != "test" or theirs["method"] != "tprojection":
        raise SystemExit("--method-noise and --tprojection-noise must be noise.py --split test files (T-Projection's "
                         "with --method tprojection)")  # fmt: skip
    method = mine["method"]
    reads = [json.loads(p.read_text()) for p in args.reads]
    for path, read in zip(args.reads, reads):
        if read.get("split") != "test":
            raise SystemExit(f"--reads {path}: a run.py --split {read.get('split')} file; the draws are test F1s, "
                             "pass run.py --split test files only")  # fmt: skip
        missing = [lang for lang in mine["languages"]
                   if method not in read.get("languages", {}).get(lang, {}).get("methods", {})]  # fmt: skip
        if missing:
            raise SystemExit(f"--reads {path}: no F1 of {method} for {' '.join(missing)}; pass only reads of the "
                             "--method-noise file's method")  # fmt: skip
    missing = [lang for lang in mine["languages"] if lang not in theirs["languages"]]
    if missing:
        raise SystemExit(f"--tprojection-noise has no draws for {' '.join(missing)}; run noise.py --method tprojection "
                         "on the same --langs")  # fmt: skip
    rows = {}
    for lang in mine["languages"]:
        ours = [*(r["languages"][lang]["methods"][method]["f1"] for r in reads), *draws(mine, lang)]
        tproj = draws(theirs, lang)
        rows[lang] = {"method": ours, "tprojection": tproj, "method_mean": round(statistics.mean(ours), 2),
                      "tprojection_mean": round(statistics.mean(tproj), 2),
                      "difference": round(statistics.mean(ours) - statistics.mean(tproj), 2)}  # fmt: skip
    mean = round(statistics.mean(r["difference"] for r in rows.values()), 2)
    worst = min(rows, key=lambda lang: rows[lang]["difference"])
    print(f"{'lang':<5} {'T-Proj draws':<28} {'mean':>6}  {method + ' draws':<40} {'mean':>6} {'diff':>6}")
    for lang, r in rows.items():
        print(f"{lang:<5} {' '.join(f'{v:.2f}' for v in r['tprojection']):<28} {r['tprojection_mean']:>6.2f}  "
              f"{' '.join(f'{v:.2f}' for v in r['method']):<40} {r['method_mean']:>6.2f} {r['difference']:>+6.2f}")
    held = mean >= 0 and rows[worst]["difference"] >= -1.0
    print(f"mean difference {mean:+.2f}, worst {worst} {rows[worst]['difference']:+.2f}: the targets "
          f"{'hold' if held else 'do not hold'} on the means")
    if args.out:
        args.out.write_text(json.dumps({"method": method, "languages": rows, "mean_difference": mean,
                                        "worst": worst, "targets_hold": held}, indent=1) + "\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
