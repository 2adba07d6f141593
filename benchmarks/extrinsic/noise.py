"""How noisy is the extrinsic benchmark? The same silver set, trained again after a change that should not
matter, gives the spread that any difference between two methods has to beat.

    SILVER_NER_SHARED=../shared/data python benchmarks/extrinsic/noise.py --split dev \\
        --method default+anchor --replicates 3 [--drop 10] [--resample] [--out …]

Two kinds of replicate of ``--method``'s silver set (``tprojection``: T-Projection's labels, ``--drop`` only) (cached under ``--cache``/silver like ``run.py``):

- ``--drop N`` (default): replicate r leaves out N training sentences drawn with seed r (of ~14k; a method
  such as the lexicon step changes ~2-130 sentences). Only the CRF sees a change: this is the instrument's
  own noise (CRFsuite's L-BFGS stops after 100 iterations, not at convergence).
- ``--resample``: replicate r aligns again with a fresh eflomal sample (a separate alignment cache
  ``--cache``/resample-r) and projects with the method on those links: the noise of a method that computes new
  alignments (``capstem*``) against the cached ones, alignment sampling and CRF together.

Printed per language: the F1 of the cached set and of each replicate, and their standard deviation; then the
standard deviation of the eight-language mean.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crf import PARAMS, Counts, Crf, counts, features
from data import LANGS, english_train, masakhaner, shared_data
from methods import METHODS
from silver import cached_tags, load_bitext

from projection.cache import atomic_write_text


def crf_f1(lang: str, tokens, ys, dev, cache: Path, tag: str, split: str = "dev") -> float:
    """F1 on ``dev`` (the sentences of ``split``) of a CRF trained on (tokens, ys), cached under
    ``cache/crf/noise`` by the training data and the split (dev entries keep their earlier names)."""
    key = hashlib.sha256(json.dumps([PARAMS, [list(t) for t in tokens], [list(y) for y in ys]]).encode()).hexdigest()
    path = cache / "crf" / "noise" / f"{lang}.{tag}{'' if split == 'dev' else '.' + split}.{key[:16]}.json"
    if not path.exists():
        crf = Crf([features(t) for t in tokens], ys)
        c = counts([s.tags for s in dev], crf.predict([features(s.tokens) for s in dev]))
        crf.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps([c.tp.tolist(), c.pred.tolist(), c.gold.tolist()]))
    return Counts(*map(np.array, json.loads(path.read_text()))).f1


def run_f1(lang: str, name: str, ys, split: str, cache: Path) -> float | None:
    """The F1 ``run.py`` cached for this silver set, if it did."""
    key = hashlib.sha256(json.dumps([PARAMS, [list(y) for y in ys]]).encode()).hexdigest()[:16]
    path = cache / "crf" / f"{lang}.{name.replace('/', '_')}.{key}.json"
    if not path.exists():
        return None
    return Counts(*map(np.array, json.loads(path.read_text())["counts"][split])).f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # test: only to measure the spread of a method already fixed (nothing may be chosen on it)
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--langs", nargs="+", default=list(LANGS), choices=LANGS)
    ap.add_argument("--method", default="default+anchor", choices=["tprojection", *sorted(METHODS)])
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--drop", type=int, default=10)
    ap.add_argument("--resample", action="store_true")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/silver-ner-extrinsic"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.replicates < 1:
        ap.error("--replicates must be at least 1: the spread (standard deviation) needs a draw beside the run")
    root = shared_data()
    english = english_train(root)
    kind = "resample" if args.resample else f"drop{args.drop}"
    rows = {}
    for lang in args.langs:
        t0 = time.perf_counter()
        bitext = load_bitext(root, lang, english)
        dev = masakhaner(root, lang, args.split)
        tokens = [t.tokens for t in bitext.target]
        if args.method == "tprojection":
            if args.resample:
                ap.error("--resample: T-Projection's labels do not come from an alignment")
            ys = [t.tags for t in bitext.target]
        else:
            ys, _ = cached_tags(args.method, METHODS[args.method], bitext, args.cache)
        base = run_f1(lang, args.method, ys, args.split, args.cache)
        if base is None:
            base = crf_f1(lang, tokens, ys, dev, args.cache, args.method, args.split)
        reps = []
        for r in range(args.replicates):
            if args.resample:
                ys_r, _ = cached_tags(args.method, METHODS[args.method], bitext, args.cache / f"resample-{r}")
                reps.append(crf_f1(lang, tokens, ys_r, dev, args.cache, f"{args.method}.resample", args.split))
            else:
                rng = np.random.default_rng(r)
                out = set(rng.choice(len(tokens), size=args.drop, replace=False).tolist())
                keep = [k for k in range(len(tokens)) if k not in out]
                reps.append(crf_f1(lang, [tokens[k] for k in keep], [ys[k] for k in keep], dev, args.cache,
                                   f"{args.method}.drop", args.split))  # fmt: skip
        values = [base, *reps]
        rows[lang] = {"f1": round(base, 2), "replicates": [round(v, 2) for v in reps],
                      "sd": round(statistics.stdev(values), 2), "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip
        print(f"{lang} {args.method} {kind}: {base:.2f} | " + " ".join(f"{v:.2f}" for v in reps)
              + f" | sd {rows[lang]['sd']:.2f}", flush=True)  # fmt: skip
    means = [statistics.mean(row["f1"] for row in rows.values())]
    means += [statistics.mean(row["replicates"][r] for row in rows.values()) for r in range(args.replicates)]
    summary = {"means": [round(m, 2) for m in means], "sd_of_mean": round(statistics.stdev(means), 2),
               "mean_sd_per_language": round(statistics.mean(row["sd"] for row in rows.values()), 2)}  # fmt: skip
    print(f"mean over languages: {' '.join(f'{m:.2f}' for m in means)}; sd of the mean {summary['sd_of_mean']:.2f}; "
          f"mean per-language sd {summary['mean_sd_per_language']:.2f}")  # fmt: skip
    if args.out:
        payload = {"split": args.split, "method": args.method, "kind": kind, "crf": PARAMS, "languages": rows,
                   **summary}  # fmt: skip
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
