"""AER of the no-download aligners on the gold de-en (RWTH) and en-fr (Hansards) test sets.

    python benchmarks/bench_aer.py [--data /work/shared/data] [--runs 3] [--extra none|ntrex|both]
                                   [--out benchmarks/results/aer.json]

For each language pair, aligner (fastalign, eflomal), stem prefix length (4, 5, None) and symmetrisation
(intersection, grow-diag-final-and, union) it reports corpus AER / precision / recall / F1 and seconds.
Training is done once per (aligner, stem, run) and the three symmetrisations are applied to the same
directional links (they do not change training). eflomal samples, so it is run ``--runs`` times and the
table gives the mean AER with its std/min/max. ``--extra ntrex`` adds the 1,997 NTREX-128 lines
(deu-eng or eng-fra, tokenised with ``projection.align.text.tokenize``) as extra training pairs.
Seconds = training (both directions) + symmetrisation, for the whole test set, on this machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from projection.align.aer import alignment_scores, diagonal_alignment  # noqa: E402
from projection.align.symmetrize import symmetrize  # noqa: E402
from projection.align.text import read_bitext, tokenize  # noqa: E402
from projection.io.pharaoh import read_talp  # noqa: E402
from projection.version import __version__  # noqa: E402

# name: (bitext file, gold file, NTREX source language, NTREX target language)
PAIRS = {
    "de-en": ("test.de-en", "deen.talp", "newstest2019-ref.deu.txt", "newstest2019-src.eng.txt"),
    "en-fr": ("test.en-fr", "enfr.talp", "newstest2019-src.eng.txt", "newstest2019-ref.fra.txt"),
}
SYM_SHORT = {"intersection": "inter", "grow-diag-final-and": "gdfa", "union": "union"}
SYMMETRIZATIONS = tuple(SYM_SHORT)


def require(path: Path, data: Path) -> Path:
    """``path`` (a file of the shared data folder ``data``), or a clear exit when it is not there."""
    if not path.is_file():
        raise SystemExit(f"{path} not found: pass --data, the shared data folder (the one with SOURCES.md); "
                         f"--data is {data}")  # fmt: skip
    return path


def load_gold(data: Path, pair: str) -> tuple[list[tuple[list[str], list[str]]], list]:
    """The gold set of ``pair``: its tokenised sentence pairs and their gold links (``GoldAlignment`` per line)."""
    bitext_file, gold_file, _, _ = PAIRS[pair]
    gold_dir = data / "cross-align-gold-alignments"
    return read_bitext(require(gold_dir / bitext_file, data)), read_talp(require(gold_dir / gold_file, data))


def load_ntrex(data: Path, src_file: str, tgt_file: str) -> list[tuple[list[str], list[str]]]:
    root = data / "ntrex-128" / "NTREX-128"
    require(root / src_file, data), require(root / tgt_file, data)
    src = (root / src_file).read_text(encoding="utf-8").splitlines()
    tgt = (root / tgt_file).read_text(encoding="utf-8").splitlines()
    if len(src) != len(tgt):
        raise SystemExit(f"NTREX files {src_file} and {tgt_file} have {len(src)} and {len(tgt)} lines")
    return [(tokenize(s), tokenize(t)) for s, t in zip(src, tgt)]


def make_aligner(name: str, stem: int | None, extra):
    if name == "fastalign":
        from projection.align.fastalign import FastAlignAligner

        return FastAlignAligner(stem=stem, extra=extra)
    from projection.align.eflomal import EflomalAligner

    return EflomalAligner(stem=stem, extra=extra)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--pairs", default="de-en,en-fr")
    ap.add_argument("--aligners", default="fastalign,eflomal")
    ap.add_argument("--stems", default="4,5,none")
    ap.add_argument("--runs", type=int, default=3, help="runs of non-deterministic aligners (eflomal)")
    ap.add_argument("--extra", choices=("none", "ntrex", "both"), default="none")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = ap.parse_args(argv)
    # checked before any training: make_aligner read every name but fastalign as eflomal (a misspelled aligner gave
    # eflomal's rows under that name), and an unknown pair or stem stopped the run with a traceback, after the
    # earlier pairs' training
    aligners, pairs = args.aligners.split(","), args.pairs.split(",")
    unknown = [name for name in aligners if name not in ("fastalign", "eflomal")]
    if unknown:
        ap.error(f"unknown --aligners {','.join(unknown)}; valid: fastalign,eflomal")
    unknown = [pair for pair in pairs if pair not in PAIRS]
    if unknown:
        ap.error(f"unknown --pairs {','.join(unknown)}; valid: {','.join(PAIRS)}")
    try:
        stems = [None if s.lower() == "none" else int(s) for s in args.stems.split(",")]
    except ValueError:
        ap.error(f"--stems takes whole numbers or none, comma-separated (e.g. 4,5,none), got {args.stems!r}")
    extras = {"none": [False], "ntrex": [True], "both": [False, True]}[args.extra]
    rows: list[dict] = []
    for pair in pairs:
        _, _, ntrex_src, ntrex_tgt = PAIRS[pair]
        bitext, gold = load_gold(args.data, pair)
        src, tgt = [s for s, _ in bitext], [t for _, t in bitext]
        sure, possible = [g.sure for g in gold], [g.possible for g in gold]
        diag = alignment_scores([diagonal_alignment(len(s), len(t)) for s, t in bitext], sure, possible)
        rows.append(_row(pair, "diagonal", "-", None, False, [diag], [0.0], "diagonal baseline"))
        for use_extra in extras:
            extra = load_ntrex(args.data, ntrex_src, ntrex_tgt) if use_extra else None
            for name in aligners:
                for stem in stems:
                    aligner = make_aligner(name, stem, extra)
                    runs = 1 if aligner.deterministic else args.runs
                    per_sym: dict[str, tuple[list, list]] = {s: ([], []) for s in SYMMETRIZATIONS}
                    for _ in range(runs):
                        start = time.perf_counter()
                        directional = aligner.directional(src, tgt)
                        trained = time.perf_counter() - start
                        for sym in SYMMETRIZATIONS:
                            start = time.perf_counter()
                            pred = [
                                symmetrize(sym, f, r, len(s), len(t)) for (f, r), s, t in zip(directional, src, tgt)
                            ]
                            seconds = trained + time.perf_counter() - start
                            per_sym[sym][0].append(alignment_scores(pred, sure, possible))
                            per_sym[sym][1].append(seconds)
                    for sym, (scores, seconds) in per_sym.items():
                        aligner.symmetrize = sym
                        rows.append(_row(pair, name, sym, stem, use_extra, scores, seconds, aligner.signature()))
                        print(_format(rows[-1]), flush=True)
    print()
    print(table(rows))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "silver_ner_version": __version__,
            "python": platform.python_version(),
            "machine": platform.platform(),
            "data": str(args.data),
            "runs": args.runs,
            "date": time.strftime("%Y-%m-%d"),
        }
        args.out.write_text(json.dumps({"meta": meta, "results": rows}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


def _row(pair, aligner, sym, stem, extra, scores, seconds, signature) -> dict:
    aers = [s.aer for s in scores]
    return {
        "pair": pair,
        "aligner": aligner,
        "symmetrize": sym,
        "stem": stem,
        "extra": "ntrex" if extra else "none",
        "signature": signature,
        "runs": len(scores),
        "aer": statistics.fmean(aers),
        "aer_std": statistics.stdev(aers) if len(aers) > 1 else 0.0,
        "aer_min": min(aers),
        "aer_max": max(aers),
        "precision": statistics.fmean(s.precision for s in scores),
        "recall": statistics.fmean(s.recall for s in scores),
        "f1": statistics.fmean(s.f1 for s in scores),
        "seconds": statistics.fmean(seconds),
        "aer_runs": aers,
    }


_HEADER = (
    f"{'pair':6} {'aligner':9} {'sym':5} {'stem':4} {'extra':5} {'AER':>6} {'±std':>6} {'min':>6} {'max':>6} "
    f"{'P':>6} {'R':>6} {'F1':>6} {'sec':>6} runs"
)


def _format(r: dict) -> str:
    return (
        f"{r['pair']:6} {r['aligner']:9} {SYM_SHORT.get(r['symmetrize'], r['symmetrize']):5} {str(r['stem']):4} "
        f"{r['extra']:5} {r['aer']:6.3f} {r['aer_std']:6.3f} {r['aer_min']:6.3f} {r['aer_max']:6.3f} "
        f"{r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['seconds']:6.1f} {r['runs']}"
    )


def table(rows: list[dict]) -> str:
    return "\n".join([_HEADER] + [_format(r) for r in rows])


if __name__ == "__main__":
    raise SystemExit(main())
