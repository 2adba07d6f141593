"""Two methods' resampled dev runs side by side: the paired comparison of step 2′ (benchmarks/README.md,
*Stray words at a span's end*), from the JSON files of ``noise.py --resample`` for each method.

    python benchmarks/extrinsic/paired.py benchmarks/results/extrinsic_dev_resample_names.json \\
        benchmarks/results/extrinsic_dev_resample_trim.json --tprojection benchmarks/results/extrinsic_dev_trim.json

Both files must hold the same languages and number of replicates, made with the same ``--cache`` (replicate r of
either method projects through the same eflomal sample). Per language: each method's mean over the replicates
(the run's own draw, ``f1``, is left out: ``run.py`` made it for both on other links), their difference, and each
method's difference from T-Projection's F1 (read from a ``run.py`` JSON). Then the two checks of step 2′: the
mean difference and the lowest language's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path


def _resample_run(path: Path) -> dict:
    data = json.loads(path.read_text())
    if data.get("kind") != "resample":
        raise SystemExit(f"{path}: not a noise.py --resample run (kind {data.get('kind')!r})")
    return data


def replicate_means(path: Path) -> tuple[str, dict[str, float]]:
    data = _resample_run(path)
    return data["method"], {lang: statistics.mean(row["replicates"]) for lang, row in data["languages"].items()}


def tprojection_f1(path: Path) -> dict[str, float]:
    data = json.loads(path.read_text())
    return {lang: row["methods"]["tprojection"]["f1"] for lang, row in data["languages"].items()}


def check_paired(base: Path, new: Path, tprojection: Path | None) -> None:
    """The two runs must be comparable: one split, and per language the same number of replicates (replicate r
    of each projects through the same eflomal sample); a ``--tprojection`` file must be of that split too."""
    a, b = _resample_run(base), _resample_run(new)
    if a.get("split") != b.get("split"):
        raise SystemExit(
            f"{base} is a {a.get('split')} run and {new} a {b.get('split')} run: compare runs of one split"
        )
    for lang in a["languages"].keys() & b["languages"].keys():
        na, nb = len(a["languages"][lang]["replicates"]), len(b["languages"][lang]["replicates"])
        if na != nb:
            raise SystemExit(f"{lang}: {na} replicates in {base} and {nb} in {new}; the comparison pairs replicate r "
                             "of each, so both need the same --replicates")  # fmt: skip
    if tprojection is not None:
        split = json.loads(tprojection.read_text()).get("split")
        if split != a.get("split"):
            raise SystemExit(f"--tprojection {tprojection} is a {split} run; the resampled runs are {a.get('split')}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="noise.py --resample JSON of the current default")
    ap.add_argument("new", type=Path, help="noise.py --resample JSON of the candidate")
    ap.add_argument("--tprojection", type=Path, help="a run.py JSON of the same split with T-Projection's F1")
    args = ap.parse_args(argv)
    check_paired(args.base, args.new, args.tprojection)
    base_name, base = replicate_means(args.base)
    new_name, new = replicate_means(args.new)
    if base.keys() != new.keys():
        raise SystemExit(f"the files hold different languages: {sorted(base)} and {sorted(new)}")
    tp = tprojection_f1(args.tprojection) if args.tprojection else {}
    if tp and not base.keys() <= tp.keys():
        raise SystemExit(f"--tprojection {args.tprojection} has no T-Projection F1 for "
                         f"{' '.join(sorted(base.keys() - tp.keys()))}: pass a run.py file of these languages")
    tp = {lang: tp[lang] for lang in base if lang in tp}  # its average: over the compared languages only
    print(f"| lang | T-Proj | {base_name} | {new_name} | difference |")
    print("|---|---|---|---|---|")
    for lang in base:
        ref = f"{tp[lang]:.2f}" if lang in tp else "–"
        print(f"| {lang} | {ref} | {base[lang]:.2f} | {new[lang]:.2f} | {new[lang] - base[lang]:+.2f} |")
    diffs = {lang: new[lang] - base[lang] for lang in base}
    mean_base, mean_new = statistics.mean(base.values()), statistics.mean(new.values())
    ref = f"{statistics.mean(tp.values()):.2f}" if tp else "–"
    print(f"| avg | {ref} | {mean_base:.2f} | {mean_new:.2f} | {mean_new - mean_base:+.2f} |")
    worst = min(diffs, key=diffs.get)
    print(f"mean difference {mean_new - mean_base:+.2f}; lowest language {worst} {diffs[worst]:+.2f}")
    for name, means in ((base_name, base), (new_name, new)):
        if tp:
            gaps = {lang: means[lang] - tp[lang] for lang in means}
            low = min(gaps, key=gaps.get)
            print(f"{name} - T-Projection: mean {statistics.mean(gaps.values()):+.2f}, lowest {low} {gaps[low]:+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
