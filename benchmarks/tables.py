"""Markdown tables for benchmarks/README.md from benchmarks/results/projection.json.

    python benchmarks/tables.py [benchmarks/results/projection.json]
"""

from __future__ import annotations

import json
import statistics

ROWS = [
    ("eflomal", "intersection", "heuristic"),
    ("eflomal", "grow-diag-final-and", "heuristic"),
    ("eflomal", "intersection", "greedy/ngrams-inf/align"),
    ("eflomal", "intersection", "greedy/ngrams-10/align"),
    ("eflomal", "intersection", "greedy/aligned/align"),
    ("eflomal", "intersection", "exact/aligned/align"),
    ("eflomal", "grow-diag-final-and", "greedy/aligned/align"),
    ("eflomal", "soft", "greedy/linked/align+possible+char (default)"),
    ("eflomal+ntrex", "intersection", "heuristic"),
    ("eflomal+ntrex", "grow-diag-final-and", "heuristic"),
    ("eflomal+ntrex", "intersection", "greedy/ngrams-inf/align"),
    ("eflomal+ntrex", "intersection", "greedy/aligned/align"),
    ("eflomal+ntrex", "intersection", "exact/aligned/align"),
    ("eflomal+ntrex", "grow-diag-final-and", "greedy/aligned/align"),
    ("eflomal+ntrex", "intersection", "greedy/linked/align+char"),
    ("eflomal+ntrex", "soft", "greedy/linked/align+possible"),
    ("eflomal+ntrex", "soft", "greedy/linked/align+possible+char (default)"),
    ("eflomal+ntrex", "soft", "exact/linked/align+possible+char"),
    ("eflomal-vote2+ntrex", "soft", "greedy/linked/align+possible"),
    ("eflomal-vote2+ntrex", "soft", "greedy/linked/align+possible+char (default)"),
    ("eflomal-vote2+ntrex", "soft", "exact/linked/align+possible+char"),
    ("eflomal-vote2+ntrex", "soft", "greedy/aligned/align+possible+char"),
    ("eflomal-vote2+ntrex", "soft", "greedy/aligned-w1/align+possible+char"),
    ("fastalign", "intersection", "heuristic"),
    ("fastalign", "intersection", "greedy/aligned/align"),
    ("fastalign", "soft", "greedy/linked/align+possible+char (default)"),
    ("fastalign+ntrex", "intersection", "greedy/aligned/align"),
    ("fastalign+ntrex", "soft", "greedy/linked/align+possible+char (default)"),
    ("fastalign+ntrex", "soft", "exact/linked/align+possible+char"),
]


def main(path: str = "benchmarks/results/projection.json") -> None:
    data = json.load(open(path))
    by = {(s["data"], s["aligner"], s["sym"], s["method"]): s for s in data["summary"]}
    print("| aligner | sym | method | de | es | it | **Europarl avg** | UNER-PUD de | runs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for al, sym, m in ROWS:
        cells = [by.get((f"europarl.{lang}", al, sym, m)) for lang in ("de", "es", "it")]
        if None in cells:
            continue
        u = by.get(("uner-pud.de", al, sym, m))
        fmt = lambda s: f"{s['f1_mean']:.2f} ± {s['f1_std']:.2f}" if s["runs"] > 1 else f"{s['f1_mean']:.2f}"
        avg = statistics.mean(c["f1_mean"] for c in cells)
        print(f"| {al} | {sym} | {m} | {' | '.join(fmt(c) for c in cells)} | **{avg:.2f}** | "
              f"{fmt(u) if u else '–'} | {cells[0]['runs']} |")
    # per-run averages of the default (min over runs matters for a sampling aligner)
    print()
    for al in ("eflomal+ntrex", "eflomal-vote2+ntrex"):
        runs = {}
        for r in data["rows"]:
            if r["aligner"] == al and r["method"].endswith("(default)") and r["data"].startswith("europarl"):
                runs.setdefault(r["run"], []).append(100 * r["f1"])
        per_run = [statistics.mean(v) for _, v in sorted(runs.items())]
        print(f"{al} default, Europarl average per run: {', '.join(f'{x:.2f}' for x in per_run)}")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default="benchmarks/results/projection.json", help="bench_projection.py's JSON")
    path = ap.parse_args().path
    try:
        main(path)
    except FileNotFoundError:
        raise SystemExit(f"{path} not found: pass the JSON that bench_projection.py wrote (run from the repository root)")
