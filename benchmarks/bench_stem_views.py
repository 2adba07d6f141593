"""A screen (issue 9): eflomal's soft vote over sampling runs that see the words cut to *different* stem lengths.

The parallel default votes over 2 eflomal samples that both see stems of 4 letters (from a glued name's start). A
view ensemble gives each run its own stem length (``4,5``: the first run stems of 4, the second of 5), at the same
cost, in the hope that two views err on different words. Measured on the development sets of the parallel mode,
no NER data read: AER of the sure links over all gold links and over *name words* (``bench_name_prior.py``), and
the projection F1 of ``bench_gold_projection.py`` (the parallel default method through these links).

    python benchmarks/bench_stem_views.py --views "4,4;4,5;4,6" --runs 3 --out benchmarks/results/stem_views.json

``4,4`` is the parallel default. The views are benchmark code (a subclass of the aligner), not a library option.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_aer import PAIRS
from bench_gold_projection import load, score
from bench_name_prior import name_words, restrict

from projection.align.aer import alignment_scores
from projection.align.eflomal import EflomalAligner
from projection.options import ALIGNER_DEFAULTS, default_config
from projection.plans import project_corpus
from projection.types import Alignment


class ViewVote(EflomalAligner):
    """The default's soft vote, one sampling run per stem length of ``views``."""

    def __init__(self, views: tuple[int, ...], **options) -> None:
        super().__init__(**{**options, "runs": len(views)})
        self.views = views

    def _soft_vote(self, src, tgt):
        samples = []
        for length in self.views:
            self.stem = length
            samples.append(self._directional_once(src, tgt))
        runs = len(self.views)
        out = []
        for per_run in zip(*samples):
            votes = Counter(p for fwd, rev in per_run for p in fwd.pairs + rev.pairs)
            out.append(Alignment(tuple(sorted(p for p, n in votes.items() if n > runs)),
                                 tuple(sorted(p for p, n in votes.items() if n <= runs))))  # fmt: skip
        return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--views", default="4,4;4,5;4,6", help='";"-separated stem lengths per run ("4,4": the default)')
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    try:
        views = {text.strip(): tuple(int(v) for v in text.split(",")) for text in args.views.split(";")}
    except ValueError:
        ap.error(f'--views takes ";"-separated lists of whole numbers (e.g. "4,4;4,5"), got {args.views!r}')
    options = dict(ALIGNER_DEFAULTS["eflomal.v1"])
    config = default_config("parallel")
    rows = []
    for pair in PAIRS:
        english, target, gold, reference, extra = load(args.data, pair)
        sure, possible = [Alignment(g.pairs) for g in gold], [Alignment(g.possible) for g in gold]
        keep = [name_words(list(s.tokens)) for s in english]  # English is the source side here
        name_sure, name_possible = restrict(sure, keep, 0), restrict(possible, keep, 0)
        for run in range(args.runs):  # interleaved: every view sees the same machine load
            for label, stems in views.items():
                t0 = time.perf_counter()
                links = ViewVote(stems, **options, extra=extra).align([s.tokens for s in english], target)
                seconds = time.perf_counter() - t0
                result = project_corpus(english, target, config, alignments=links, use_cache=False, progress=False)
                predicted = [{(s.start, s.end) for s in p.spans} if p else set() for p in result.projected]
                sure_links = [Alignment(a.pairs) for a in links]
                rows.append({
                    "pair": pair, "views": label, "run": run, "f1": 100 * score(predicted, reference)["f1"],
                    "aer": alignment_scores(sure_links, sure, possible).aer,
                    "name_aer": alignment_scores(restrict(sure_links, keep, 0), name_sure, name_possible).aer,
                    "seconds": seconds,
                })  # fmt: skip
                r = rows[-1]
                print(f"{pair} {label:6} run {run}: F1 {r['f1']:.2f} AER {r['aer']:.4f} name AER {r['name_aer']:.4f}",
                      flush=True)  # fmt: skip
    summary = []
    for pair in PAIRS:
        for label in views:
            got = [r for r in rows if r["pair"] == pair and r["views"] == label]
            summary.append({"pair": pair, "views": label, **{
                k: statistics.fmean(r[k] for r in got) for k in ("f1", "aer", "name_aer", "seconds")}})  # fmt: skip
    print(f"\n{'pair':6} {'views':6} {'F1':>6} {'AER':>7} {'name AER':>9}")
    for s in summary:
        print(f"{s['pair']:6} {s['views']:6} {s['f1']:6.2f} {s['aer']:7.4f} {s['name_aer']:9.4f}")
    for label in views:
        print(f"mean F1 {label}: {statistics.fmean(s['f1'] for s in summary if s['views'] == label):.2f}")
    if args.out:
        from projection.cache import atomic_write_text

        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(args.out, json.dumps({"runs": args.runs, "rows": rows, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
