"""Projection quality and speed on gold parallel NER (needs ../shared/data; not part of the tests).

    python benchmarks/bench_projection.py [--runs 3] [--out benchmarks/results/projection.json]

Quality: Europarl-NER en→de/es/it (4 classes, embedded in the package) and UNER-PUD en→de (3 classes),
for every matcher × candidates × score setting over alignments from eflomal (sampling: ``--runs``
independent runs, mean ± std and min/max reported) and fastalign (deterministic), each symmetrised as
intersection, grow-diag-final-and, union and soft (intersection sure + union-only possible links).
One aligner run gives the directional links; every symmetrisation is derived from the same run.
Speed: 10,000 sentence pairs (Europarl de repeated) projected on one core with alignments given.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from projection.align.eflomal import EflomalAligner  # noqa: E402
from projection.align.fastalign import FastAlignAligner  # noqa: E402
from projection.align.symmetrize import grow_diag_final_and  # noqa: E402
from projection.config import ProjectionConfig  # noqa: E402
from projection.evaluate import evaluate  # noqa: E402
from projection.io.conll import read_conll  # noqa: E402
from projection.io.package_data import europarl, ntrex_bitext  # noqa: E402
from projection.plans import project_corpus  # noqa: E402
from projection.scores import ScoreConfig  # noqa: E402
from projection.types import Alignment  # noqa: E402

SHARED = Path(os.environ.get("SILVER_NER_SHARED", Path(__file__).resolve().parents[2] / "shared" / "data"))

SYMS = ("intersection", "grow-diag-final-and", "union", "soft")
#: the aligner rows of the quality table (``--aligners`` picks among them)
ALIGNERS = ("eflomal", "eflomal+ntrex", "fastalign", "fastalign+ntrex", "eflomal-vote2+ntrex")

# name -> config kwargs (aligner fields are irrelevant: alignments are given)
METHODS = {
    "heuristic": dict(matcher="heuristic"),
    "greedy/ngrams-inf/align": dict(matcher="greedy", candidates="ngrams.v1", max_len=None, score=ScoreConfig()),
    "greedy/ngrams-10/align": dict(matcher="greedy", candidates="ngrams.v1", max_len=10, score=ScoreConfig()),
    "greedy/aligned/align": dict(matcher="greedy", candidates="aligned.v1", score=ScoreConfig()),
    "exact/aligned/align": dict(matcher="exact", candidates="aligned.v1", score=ScoreConfig()),
    "greedy/linked/align": dict(matcher="greedy", candidates="linked.v1", score=ScoreConfig()),
    "greedy/linked/align+char": dict(matcher="greedy", candidates="linked.v1", score=ScoreConfig(char=0.5)),
    # the soft rows need sym=soft (possible links)
    "greedy/linked/align+possible": dict(matcher="greedy", candidates="linked.v1", score=ScoreConfig(possible=0.3)),
    "greedy/linked/align+possible+char (default)": dict(),
    "exact/linked/align+possible+char": dict(matcher="exact"),
    "greedy/aligned/align+possible+char": dict(candidates="aligned.v1"),
    "greedy/aligned-w1/align+possible+char": dict(candidates="aligned.v1", window=1),
}
SOFT_ONLY = {k for k in METHODS if "possible" in k}


def symmetrize(kind: str, fwd: Alignment, rev: Alignment, n_src: int, n_tgt: int) -> Alignment:
    f, r = set(fwd.pairs), set(rev.pairs)
    if kind == "intersection":
        return Alignment.of(f & r)
    if kind == "union":
        return Alignment.of(f | r)
    if kind == "grow-diag-final-and":
        return grow_diag_final_and(fwd, rev, n_src, n_tgt)
    return Alignment.of(f & r, (f | r) - (f & r))


def load_pairs() -> dict[str, tuple[list, list, int]]:
    en = europarl("en")
    pairs = {f"europarl.{lang}": (list(en.sentences), list(europarl(lang).sentences)) for lang in ("de", "es", "it")}
    uner = SHARED / "uner-pud"
    if not uner.is_dir():  # the table's UNER-PUD column: refuse rather than write results without it
        raise SystemExit(f"{uner} not found: the quality run needs UNER-PUD; set SILVER_NER_SHARED to the shared "
                         "data folder (or pass --skip-quality for the speed run alone)")
    en_u = read_conll(uner / "en_pud-ud-test.iob2", token_col=1, tag_col=2)
    de_u = read_conll(uner / "de_pud-ud-test.iob2", token_col=1, tag_col=2)
    pairs["uner-pud.de"] = (list(en_u.sentences), list(de_u.sentences))
    return pairs


def quality(runs: int, only: set[str] | None = None) -> list[dict]:
    rows = []
    for name, (src, tgt) in load_pairs().items():
        s_tok, t_tok = [s.tokens for s in src], [t.tokens for t in tgt]
        gold = [t.tags for t in tgt]
        lang = name.rsplit(".", 1)[1]
        extra = [(list(a), list(b)) for a, b in ntrex_bitext(lang)]
        aligners = [("eflomal", k, EflomalAligner(stem=4)) for k in range(runs)]
        aligners += [("eflomal+ntrex", k, EflomalAligner(stem=4, extra=extra)) for k in range(runs)]
        aligners += [("fastalign", 0, FastAlignAligner(stem=4)), ("fastalign+ntrex", 0, FastAlignAligner(stem=4, extra=extra))]
        # the default: two eflomal runs voting over both directions (soft links only)
        aligners += [("eflomal-vote2+ntrex", k, EflomalAligner(stem=4, extra=extra, runs=2, symmetrize="soft"))
                     for k in range(runs)]
        for aname, k, aligner in aligners:
            if only and aname not in only:
                continue
            t0 = time.perf_counter()
            if "vote" in aname:
                by_sym = {"soft": aligner.align(s_tok, t_tok)}
            else:
                directional = aligner.directional(s_tok, t_tok)
                by_sym = {
                    sym: [symmetrize(sym, f, r, len(s), len(t)) for (f, r), s, t in zip(directional, s_tok, t_tok)]
                    for sym in SYMS
                }
            align_s = time.perf_counter() - t0
            for sym, alignments in by_sym.items():
                for method, kwargs in METHODS.items():
                    if (method in SOFT_ONLY) != (sym == "soft"):
                        continue
                    config = ProjectionConfig(aligner="fixed.v1", aligner_options=(), refine=(), **kwargs)
                    run = project_corpus(src, t_tok, config, alignments=alignments, progress=False)
                    sc = evaluate(gold, run.tags)
                    rows.append(dict(
                        data=name, aligner=aname, run=k, sym=sym, method=method, precision=sc.precision,
                        recall=sc.recall, f1=sc.f1, align_seconds=align_s, project_seconds=run.stats.second("project"),
                    ))
            print(f"  {name} {aname} run {k}: aligned in {align_s:.1f}s", file=sys.stderr, flush=True)
    return rows


def summarise(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["data"], r["aligner"], r["sym"], r["method"]), []).append(r)
    out = []
    for (data, aligner, sym, method), rs in groups.items():
        f1s = [100 * r["f1"] for r in rs]
        out.append(dict(
            data=data, aligner=aligner, sym=sym, method=method, runs=len(rs),
            f1_mean=statistics.mean(f1s), f1_std=statistics.stdev(f1s) if len(f1s) > 1 else 0.0,
            f1_min=min(f1s), f1_max=max(f1s),
            precision=100 * statistics.mean(r["precision"] for r in rs), recall=100 * statistics.mean(r["recall"] for r in rs),
            project_seconds=statistics.median(r["project_seconds"] for r in rs),
            align_seconds=statistics.median(r["align_seconds"] for r in rs),
        ))
    return out


def speed(n: int = 10_000, repeats: int = 5) -> list[dict]:
    """Project n sentence pairs (Europarl de repeated) with fixed alignments; median of ``repeats``."""
    en, de = europarl("en"), europarl("de")
    aligner = FastAlignAligner(stem=4)
    directional = aligner.directional([s.tokens for s in en.sentences], [t.tokens for t in de.sentences])
    soft = [symmetrize("soft", f, r, len(s), len(t)) for (f, r), s, t in zip(directional, en.sentences, de.sentences)]
    reps = -(-n // len(en))
    src = (list(en.sentences) * reps)[:n]
    tgt = ([t.tokens for t in de.sentences] * reps)[:n]
    al = (soft * reps)[:n]
    out = []
    for method in ("heuristic", "greedy/ngrams-10/align", "greedy/aligned/align", "exact/aligned/align",
                   "greedy/linked/align", "greedy/linked/align+possible+char (default)", "exact/linked/align+possible+char"):
        config = ProjectionConfig(aligner="fixed.v1", aligner_options=(), refine=(), **METHODS[method])
        times = []
        for _ in range(repeats):
            run = project_corpus(src, tgt, config, alignments=al, progress=False)
            times.append(run.stats.second("project"))
        out.append(dict(method=method, sentences=n, median_seconds=statistics.median(times), min_seconds=min(times)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="eflomal runs per language (default: 3)")
    ap.add_argument("--out", default="benchmarks/results/projection.json")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--aligners", nargs="+", help="only these aligner rows (e.g. fastalign eflomal-vote2+ntrex)")
    args = ap.parse_args(argv)
    unknown = sorted(set(args.aligners or ()) - set(ALIGNERS))
    if unknown:  # an unknown name matched no row: the run wrote empty quality results over --out
        ap.error(f"unknown --aligners {' '.join(unknown)}; valid: {' '.join(ALIGNERS)}")
    result: dict = {"cpu": os.cpu_count()}
    if not args.skip_quality:
        rows = quality(args.runs, set(args.aligners) if args.aligners else None)
        summary = summarise(rows)
        result.update(rows=rows, summary=summary)
        print(f"\n{'data':<13}{'aligner':<16}{'sym':<21}{'method':<46}{'F1 mean':>8}{'± std':>7}{'min':>7}{'max':>7}{'P':>7}{'R':>7}")
        for s in summary:
            print(f"{s['data']:<13}{s['aligner']:<16}{s['sym']:<21}{s['method']:<46}{s['f1_mean']:>8.2f}{s['f1_std']:>7.2f}"
                  f"{s['f1_min']:>7.2f}{s['f1_max']:>7.2f}{s['precision']:>7.2f}{s['recall']:>7.2f}")
    sp = speed()
    result["speed"] = sp
    print(f"\n{'method (10,000 sentences, alignments given, 1 core)':<56}{'median s':>10}{'min s':>8}")
    for s in sp:
        print(f"{s['method']:<56}{s['median_seconds']:>10.3f}{s['min_seconds']:>8.3f}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(result, fh, indent=1)
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
