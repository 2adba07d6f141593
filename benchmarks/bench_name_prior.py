"""The eflomal ``name_prior`` on the gold word alignments (de-en RWTH, en-fr Hansards): AER of the parallel
default aligner's sure links (eflomal, stems of 4 from a glued name, 2 samples voting, NTREX-128 extra text),
over all gold links and over the links of *name words*: English words that start upper case, continue lower
case, and are not the first word of the sentence (the words an NER projection cares about).

    python benchmarks/bench_name_prior.py --priors 0,0.1,1,10 --runs 3 --out benchmarks/results/name_prior.json
    python benchmarks/bench_name_prior.py --options "default;n_samplers=6;rel_iterations=2;stem=5;stem=3;runs=3" \
        --runs 2 --out benchmarks/results/eflomal_settings.json

No NER data is read: this is where ``name_prior`` is chosen (``benchmarks/README.md``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_aer import PAIRS, load_gold, load_ntrex

from projection.align.aer import alignment_scores
from projection.align.eflomal import EflomalAligner
from projection.options import ALIGNER_DEFAULTS
from projection.types import Alignment

#: the English side of each gold set (de-en: German source, English target)
ENGLISH_SIDE = {"de-en": 1, "en-fr": 0}


def name_words(tokens: list[str]) -> set[int]:
    return {k for k, w in enumerate(tokens) if k > 0 and w[:1].isupper() and w[1:].islower()}


def restrict(alignments, keep, side: int) -> list[Alignment]:
    return [Alignment(tuple(p for p in a.pairs if p[side] in k)) for a, k in zip(alignments, keep)]


def _changes(text: str) -> tuple[tuple[str, object], ...]:
    """``"n_samplers=6,stem=5"`` -> ``(("n_samplers", 6), ("stem", 5))`` (values read as ``--aligner-option``
    reads them); ``"default"`` -> no change."""
    from projection.cli.options import parse_aligner_options
    from projection.options import check_aligner_options

    text = text.strip()
    if text == "default":
        return ()
    try:
        changes = parse_aligner_options([item.strip() for item in text.split(",")])
        # a misspelled name (or a value of the wrong type) failed only at its first run, with a TypeError from
        # the aligner, after every earlier setting had trained: refused here, naming the valid options
        check_aligner_options("eflomal.v1", changes)
        return tuple(changes.items())
    except ValueError as err:
        raise SystemExit(f"--options: {err}") from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--priors", default="0,0.1,1,10", help="name_prior values to compare (0: none)")
    ap.add_argument("--similar", default=None,
                    help="similar_names values to compare instead, with the default name_prior (0: equal names only); "
                         "a value ending in c also sets similar_cased (0.5c)")
    ap.add_argument("--options", default=None,
                    help='other eflomal settings to compare instead, ";"-separated, each "default" or k=v[,k=v] '
                         '(e.g. "default;n_samplers=6;rel_iterations=2;stem=5;runs=3")')
    ap.add_argument("--runs", type=int, default=3, help="aligner runs per value (eflomal samples)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    defaults = dict(ALIGNER_DEFAULTS["eflomal.v1"])
    # each setting compared: (label, the options changed from the parallel default)
    if args.options is not None:
        settings = [(text.strip(), _changes(text)) for text in args.options.split(";")]
    else:
        try:  # a value that is not a number: refused here, not with a traceback
            if args.similar is None:
                settings = [(f"name_prior={v}", (("name_prior", float(v)),)) for v in args.priors.split(",")]
            else:
                settings = [(f"similar_names={v}", (("similar_names", float(v.removesuffix("c"))),
                                                    ("similar_cased", v.endswith("c"))))
                            for v in args.similar.split(",")]  # fmt: skip
        except ValueError:
            ap.error(f"--{'priors' if args.similar is None else 'similar'} takes comma-separated numbers, got "
                     f"{args.priors if args.similar is None else args.similar!r}")
    rows = []
    for pair, (_, _, ntrex_src, ntrex_tgt) in PAIRS.items():
        bitext, gold = load_gold(args.data, pair)
        src, tgt = [s for s, _ in bitext], [t for _, t in bitext]
        side = ENGLISH_SIDE[pair]
        keep = [name_words(b[side]) for b in bitext]
        sure, possible = [g.sure for g in gold], [g.possible for g in gold]
        name_sure, name_possible = restrict(sure, keep, side), restrict(possible, keep, side)
        extra = load_ntrex(args.data, ntrex_src, ntrex_tgt)
        per = {p: {"aer": [], "name_aer": [], "seconds": []} for p in settings}
        for _ in range(args.runs):  # interleaved: every value sees the same machine load
            for prior in settings:
                options = {**defaults, **dict(prior[1])}
                aligner = EflomalAligner(**options, extra=extra)
                t0 = time.perf_counter()
                links = aligner.align(src, tgt)
                per[prior]["seconds"].append(time.perf_counter() - t0)
                sure_links = [Alignment(a.pairs) for a in links]  # the links the vote made sure
                per[prior]["aer"].append(alignment_scores(sure_links, sure, possible).aer)
                per[prior]["name_aer"].append(alignment_scores(restrict(sure_links, keep, side), name_sure,
                                                               name_possible).aer)  # fmt: skip
                print(pair, prior[0], round(per[prior]["aer"][-1], 4), round(per[prior]["name_aer"][-1], 4), flush=True)
        for prior, got in per.items():
            options = {**defaults, **dict(prior[1])}
            rows.append({
                "pair": pair, "setting": prior[0], "name_prior": options["name_prior"],
                "similar_names": options.get("similar_names", 0.0), "similar_cased": options.get("similar_cased", False),
                "options": options, "runs": args.runs,
                "aer": statistics.fmean(got["aer"]), "aer_sd": statistics.stdev(got["aer"]) if args.runs > 1 else 0.0,
                "name_aer": statistics.fmean(got["name_aer"]),
                "name_aer_sd": statistics.stdev(got["name_aer"]) if args.runs > 1 else 0.0,
                "name_links": sum(len(a.pairs) for a in name_sure), "seconds": statistics.median(got["seconds"]),
                "aer_runs": got["aer"], "name_aer_runs": got["name_aer"],
            })  # fmt: skip
    print(f"\n{'pair':6} {'setting':<28} {'AER':>7} {'±sd':>6} {'name AER':>9} {'±sd':>6} {'s':>6}")
    for r in rows:
        print(f"{r['pair']:6} {r['setting']:<28} {r['aer']:7.4f} {r['aer_sd']:6.4f} {r['name_aer']:9.4f} "
              f"{r['name_aer_sd']:6.4f} {r['seconds']:6.1f}")  # fmt: skip
    if args.out:
        from projection.cache import atomic_write_text

        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(args.out, json.dumps({"runs": args.runs, "results": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
