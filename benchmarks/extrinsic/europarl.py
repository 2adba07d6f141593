"""Europarl-NER (4 classes): the parallel default against the previous one (evaluation only: nothing in
issue 9 was chosen on Europarl).

    python benchmarks/extrinsic/europarl.py --runs 3 --methods default default-0.4 --out benchmarks/results/extrinsic_europarl_v050.json

Each run aligns de/es/it afresh (the default aligner with the shipped NTREX-128 text, as ``silver-ner
demo``; no alignment cache) for each method, projects and scores against the target gold:

- ``default``: the parallel default of this version for each language (eflomal with ``stem_from=name`` and
  ``name_prior=10``, greedy, ``anchor.v1``; from 0.5.0 de/es/it, Germanic and Romance, add ``similar_names=0.5``
  and ``possible_votes=2``);
- ``default-0.4``: the language-independent default, which every language had up to 0.4.6;
- ``default-0.3``: the 0.3.0 default (the same without the name prior).

``--paired NAME=REFINE`` adds a method that projects through each run's ``default`` alignments with the
default's settings but the refinements ``REFINE`` (``+``-joined, or ``none``): it differs from the default only in
the projection, so the difference is the refinements' alone, with no new eflomal sample
(``--paired trim=anchor.v1+trim.v1``: the default with ``trim.v1``). ``--methods default`` skips ``default-0.3``.
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
from projection.options import default_config
from projection.plans import project_corpus


def methods() -> dict:
    # default_config adds the given aligner options to the default ones: a key left out comes back with its
    # default (the 0.4.0 run compared the default with itself that way); name_prior=0 is no prior.
    # ``default``: each language's default (None: run_demo asks default_config("parallel", lang));
    # ``default-0.4``: the language-independent default, which every language had up to 0.4.6
    return {"default": None,
            "default-0.4": default_config("parallel"),
            "default-0.3": default_config("parallel", aligner_options=(("name_prior", 0.0),))}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--methods", nargs="+", default=list(methods()), choices=list(methods()))
    ap.add_argument("--paired", nargs="*", default=[], metavar="NAME=REFINE")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    paired = {}
    for item in args.paired:
        name, sep, refine = item.partition("=")
        if not sep or not name or not refine:
            ap.error(f"--paired {item!r}: write NAME=REFINE (e.g. trim=anchor.v1+trim.v1, or NAME=none)")
        if name in args.methods or name in paired:
            ap.error(f"--paired {item!r}: the name {name!r} is taken (a --methods name or an earlier --paired); the two "
                     "would be averaged together")  # fmt: skip
        if refine != "none":
            try:  # checked here, not after the first run's alignments
                default_config("parallel", refine=tuple(refine.split("+")))
            except ValueError as err:
                ap.error(f"--paired {item!r}: {err}")
        paired[name] = refine
    if paired and "default" not in args.methods:
        ap.error("--paired projects through the default's alignments: keep default in --methods")
    source = europarl("en").sentences
    rows = []
    for r in range(args.runs):
        for name in args.methods:
            for res in run_demo(("de", "es", "it"), methods()[name], use_cache=False, progress=False):
                rows.append({"run": r, "method": name, "lang": res.lang, "f1": round(100 * res.scores.f1, 2),
                             "signature": res.run.signature.format()})  # fmt: skip
                print({k: v for k, v in rows[-1].items() if k != "signature"}, flush=True)
                if name != "default":
                    continue
                target = europarl(res.lang).sentences
                for other, refine in paired.items():
                    config = default_config("parallel", res.lang,
                                            refine=() if refine == "none" else tuple(refine.split("+")))  # fmt: skip
                    out = project_corpus(source, [t.tokens for t in target], config, alignments=list(res.run.alignments),
                                         use_cache=False, progress=False)  # fmt: skip
                    f1 = evaluate([t.tags for t in target], out.tags).f1
                    rows.append({"run": r, "method": other, "lang": res.lang, "f1": round(100 * f1, 2),
                                 "signature": out.signature.format()})  # fmt: skip
                    print({k: v for k, v in rows[-1].items() if k != "signature"}, flush=True)
    summary = {}
    for name in [*args.methods, *paired]:
        per_run = [statistics.mean(x["f1"] for x in rows if x["run"] == r and x["method"] == name) for r in range(args.runs)]
        per_lang = {lang: round(statistics.mean(x["f1"] for x in rows if x["lang"] == lang and x["method"] == name), 2)
                    for lang in ("de", "es", "it")}  # fmt: skip
        summary[name] = {"per_run": [round(v, 2) for v in per_run], "mean": round(statistics.mean(per_run), 2),
                         "per_language": per_lang}  # fmt: skip
        print(f"{name}: Europarl avg per run {summary[name]['per_run']}, mean {summary[name]['mean']:.2f}, "
              f"per language {per_lang}")  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps({"runs": rows, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
