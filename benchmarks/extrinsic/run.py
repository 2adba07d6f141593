"""Extrinsic benchmark (issue 9): a CRF trained on each silver set, scored on MasakhaNER2.

    SILVER_NER_SHARED=../shared/data python benchmarks/extrinsic/run.py --split dev \\
        [--langs hau ibo …] [--methods tprojection default heuristic …] [--out benchmarks/results/extrinsic_dev.json]

Silver sets: T-Projection's labels (``tprojection``) and silver-ner's projections of the English gold
(MISC as O) onto the same target sentences (``methods.METHODS``), all restricted to the recovered
sentence pairs (``data.pair_sentences``). The same CRF (``crf.py``) is trained on each and scored on
MasakhaNER2 ``--split`` (PER/ORG/LOC; DATE as O). On test, each method is compared with T-Projection by
a paired bootstrap over the test sentences (1000 resamples, 95 % percentile interval).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crf import Crf, PARAMS, counts, features, paired_bootstrap  # noqa: E402
from data import LANGS, english_train, masakhaner, shared_data  # noqa: E402
from methods import METHODS  # noqa: E402
from silver import cached_tags, load_bitext  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--langs", nargs="+", default=list(LANGS))
    ap.add_argument("--methods", nargs="+", default=["tprojection", "default", "heuristic"])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/silver-ner-extrinsic"))
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    unknown = [m for m in args.methods if m != "tprojection" and m not in METHODS]
    if unknown:
        ap.error(f"unknown methods {unknown}; valid: tprojection {' '.join(METHODS)}")
    root = shared_data()
    english = english_train(root)
    rows: dict[str, dict] = {}
    for lang in args.langs:
        t0 = time.perf_counter()
        bitext = load_bitext(root, lang, english)
        xs = [features(t.tokens) for t in bitext.target]
        evalset = masakhaner(root, lang, args.split)
        ex = [features(s.tokens) for s in evalset]
        gold = [s.tags for s in evalset]
        per: dict[str, dict] = {}
        results = {}
        for name in args.methods:
            if name == "tprojection":
                ys, info = [t.tags for t in bitext.target], {}
            else:
                ys, info = cached_tags(name, METHODS[name], bitext, args.cache)
            t1 = time.perf_counter()
            crf = Crf(xs, ys)
            pred = crf.predict(ex)
            crf.close()
            results[name] = counts(gold, pred)
            per[name] = {
                "f1": round(results[name].f1, 2),
                "silver_entities": sum(t.startswith("B-") for y in ys for t in y),
                "crf_seconds": round(time.perf_counter() - t1, 1),
                **info,
            }
            print(f"{lang} {name:28s} F1 {per[name]['f1']:6.2f}  ({per[name]['crf_seconds']} s)", flush=True)
        if "tprojection" in results and args.split == "test":
            for name in args.methods:
                if name != "tprojection":
                    d, lo, hi = paired_bootstrap(results[name], results["tprojection"], args.bootstrap)
                    per[name]["minus_tprojection"] = [round(d, 2), round(lo, 2), round(hi, 2)]
        rows[lang] = {
            "pairs": len(bitext.target),
            "tprojection_sentences": bitext.pairing.n_target,
            "dropped_pairs": bitext.pairing.n_dropped,
            "eval_sentences": len(evalset),
            "methods": per,
            "seconds": round(time.perf_counter() - t0, 1),
        }
    print_table(rows, args.methods, args.split)
    if args.out:
        payload = {"split": args.split, "crf": PARAMS, "bootstrap": args.bootstrap, "languages": rows}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=1) + "\n")
    return 0


def print_table(rows: dict, methods: list[str], split: str) -> None:
    print(f"\nCRF F1 on MasakhaNER2 {split} (PER/ORG/LOC)")
    print("| lang | pairs | " + " | ".join(methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    for lang, row in rows.items():
        cells = []
        for m in methods:
            r = row["methods"][m]
            cell = f"{r['f1']:.1f}"
            if "minus_tprojection" in r:
                d, lo, hi = r["minus_tprojection"]
                cell += f" ({d:+.1f} [{lo:+.1f}, {hi:+.1f}])"
            cells.append(cell)
        print(f"| {lang} | {row['pairs']} | " + " | ".join(cells) + " |")
    avg = [statistics.mean(row["methods"][m]["f1"] for row in rows.values()) for m in methods]
    print("| avg | | " + " | ".join(f"{a:.1f}" for a in avg) + " |")
    if "tprojection" in methods:
        for m in methods:
            if m != "tprojection":
                diffs = [row["methods"][m]["f1"] - row["methods"]["tprojection"]["f1"] for row in rows.values()]
                print(f"{m}: mean {statistics.mean(diffs):+.2f}, worst {min(diffs):+.2f} vs tprojection")


if __name__ == "__main__":
    sys.exit(main())
