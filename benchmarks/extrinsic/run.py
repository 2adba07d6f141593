"""Extrinsic benchmark (issue 9): a CRF trained on each silver set, scored on MasakhaNER2.

    SILVER_NER_SHARED=../shared/data python benchmarks/extrinsic/run.py --split dev \\
        [--langs hau ibo …] [--methods tprojection default heuristic …] [--out benchmarks/results/extrinsic_dev.json]

Silver sets: T-Projection's labels (``tprojection``) and silver-ner's projections of the English gold
(MISC as O) onto the same target sentences (``methods.METHODS``), all restricted to the recovered
sentence pairs (``data.pair_sentences``). The same CRF (``crf.py``) is trained on each and scored on
MasakhaNER2 ``--split`` (PER/ORG/LOC; DATE as O). Each CRF is trained once and tags dev and test; the
per-sentence counts are cached (``--cache``/crf) and only the split asked for is shown. On test, each method is compared with T-Projection by
a paired bootstrap over the test sentences (1000 resamples, 95 % percentile interval).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crf import PARAMS, Counts, Crf, counts, features, paired_bootstrap
from data import LANGS, english_train, masakhaner, shared_data
from methods import METHODS
from silver import Bitext, cached_tags, load_bitext

from projection.cache import atomic_write_text
from projection.types import Sentence


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--langs", nargs="+", default=list(LANGS), choices=LANGS)
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
    exact: dict[str, dict[str, float]] = {}  # unrounded F1 per language and method, for the summary line
    for lang in args.langs:
        t0 = time.perf_counter()
        bitext = load_bitext(root, lang, english)
        evalsets = {split: masakhaner(root, lang, split) for split in ("dev", "test")}
        per: dict[str, dict] = {}
        results = {}
        for name in args.methods:
            scored = scored_method(name, bitext, evalsets, args.cache)
            results[name] = scored.counts[args.split]
            per[name] = {"f1": round(results[name].f1, 2), **scored.info}
            exact.setdefault(lang, {})[name] = results[name].f1
            print(f"{lang} {name:28s} {args.split} F1 {per[name]['f1']:6.2f}", flush=True)
        if "tprojection" in results and args.split == "test":
            for name in args.methods:
                if name != "tprojection":
                    d, lo, hi = paired_bootstrap(results[name], results["tprojection"], args.bootstrap)
                    per[name]["minus_tprojection"] = [round(d, 2), round(lo, 2), round(hi, 2)]
        rows[lang] = {
            "pairs": len(bitext.target),
            "tprojection_sentences": bitext.pairing.n_target,
            "dropped_pairs": bitext.pairing.n_dropped,
            "eval_sentences": len(evalsets[args.split]),
            "methods": per,
            "seconds": round(time.perf_counter() - t0, 1),
        }
    print_table(rows, args.methods, args.split, exact)
    if args.out:
        payload = {"split": args.split, "crf": PARAMS, "bootstrap": args.bootstrap, "languages": rows}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=1) + "\n")
    return 0


@dataclass(frozen=True)
class Scored:
    """A CRF trained on one silver set: per-sentence counts on dev and test, and how the set was made."""

    counts: dict[str, Counts]
    info: dict


def scored_method(name: str, bitext: Bitext, evalsets: dict[str, list[Sentence]], cache: Path) -> Scored:
    """Train the CRF on the silver set ``name`` once and tag dev and test with it; the per-sentence counts
    are cached in ``cache/crf`` (keyed by the silver tags), so that a split is scored without retraining.
    Only the split asked for is printed."""
    if name == "tprojection":
        ys, info = [t.tags for t in bitext.target], {}
    else:
        ys, info = cached_tags(name, METHODS[name], bitext, cache)
    key = hashlib.sha256(json.dumps([PARAMS, [list(y) for y in ys]]).encode()).hexdigest()[:16]
    path = cache / "crf" / f"{bitext.lang}.{name.replace('/', '_')}.{key}.json"
    if path.exists():
        saved = json.loads(path.read_text())
    else:
        t1 = time.perf_counter()
        crf = Crf([features(t.tokens) for t in bitext.target], ys)
        saved = {"info": {**info, "silver_entities": sum(t.startswith("B-") for y in ys for t in y)}, "counts": {}}
        for split, sents in evalsets.items():
            c = counts([s.tags for s in sents], crf.predict([features(s.tokens) for s in sents]))
            saved["counts"][split] = [c.tp.tolist(), c.pred.tolist(), c.gold.tolist()]
        crf.close()
        saved["info"]["crf_seconds"] = round(time.perf_counter() - t1, 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(saved))
    return Scored({k: Counts(*map(np.array, v)) for k, v in saved["counts"].items()}, saved["info"])


def print_table(rows: dict, methods: list[str], split: str, exact: dict | None = None) -> None:
    """The table of ``rows``; the mean and worst differences from T-Projection come from the unrounded F1s in
    ``exact`` (language -> method -> F1) when given, as the bootstrap's differences do, not from rounded cells."""
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
                f1 = exact if exact is not None else {lang: {k: v["f1"] for k, v in row["methods"].items()}
                                                      for lang, row in rows.items()}  # fmt: skip
                diffs = [f1[lang][m] - f1[lang]["tprojection"] for lang in rows]
                print(f"{m}: mean {statistics.mean(diffs):+.2f}, worst {min(diffs):+.2f} vs tprojection")


if __name__ == "__main__":
    sys.exit(main())
