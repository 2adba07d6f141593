"""Reading, writing and scoring speed: the I/O of issue 10, before vs after, side by side in one run.

    nice -n 19 python benchmarks/bench_io.py [--repeat 25] [--runs 5] [--out benchmarks/results/io.json]

Data: the Europarl-NER en/de files shipped in the package (799 sentences each), repeated ``--repeat`` times
(~20,000 sentences at 25) and written to a temporary folder; the de file once more with every token of copy k
suffixed "~k" (no line repeats across copies: the reader's cache of checked lines helps only within a copy); and a
Pharaoh file of the same length (a cheap diagonal alignment: source word i links target word round(i * m / n)). "before" is the code of the commit before
this benchmark, copied below (``old_*``); "after" is the package. Every operation is timed ``--runs`` times
alternately (freeing the result and collecting garbage outside the timed window) and the median reported; the outputs of both are checked to be equal before timing. Also measured:
the wall time of ``python -X importtime -c "import projection.io.conll, projection.evaluate"`` (and of the
seqeval import the old scorer needed), median of ``--runs`` fresh interpreters.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from projection.cache import atomic_write_text  # noqa: E402
from projection.evaluate import evaluate  # noqa: E402
from projection.io.conll import read_conll
from projection.io.conll_write import write_conll  # noqa: E402
from projection.io.pharaoh import read_alignments, write_alignments  # noqa: E402
from projection.tags import LabelMap  # noqa: E402
from projection.types import Alignment, Sentence  # noqa: E402

# ---------------------------------------------------------------- before: the code as it was (commit bfc3c2a)


class OldConllError(ValueError):
    pass


def old_split(tag: str, where: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not label:
        raise ValueError(f"{where}: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {tag!r}")
    return prefix, label


def old_check_tag(tag: str, *, where: str = "<tag>") -> None:
    old_split(tag, where)


def old_repair_iob2(tags, *, where="<tags>"):
    out, repaired, prev_label = [], 0, ""
    for k, tag in enumerate(tags):
        prefix, label = old_split(tag, f"{where} token {k}")
        if prefix == "I" and label != prev_label:
            tag = "B-" + label
            repaired += 1
        out.append(tag)
        prev_label = label
    return out, repaired


def old_columns(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    return line.split(" ")


def old_is_token_line(line, tag_col, has_tags) -> bool:
    cols = old_columns(line.rstrip())
    if tag_col is None or has_tags is False:
        return cols == ["#"]
    if len(cols) < 2:
        return False
    try:
        old_check_tag(cols[tag_col].strip())
    except (ValueError, IndexError):
        return False
    return True


def old_read_conll(path, *, token_col=0, tag_col=-1, empty_token=None):
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    sentences, tokens, tags, tag_lines = [], [], [], []
    has_tags = None
    repaired = 0
    first_line = 0

    def flush() -> None:
        nonlocal repaired, tokens, tags, tag_lines
        if tokens:
            fixed = None
            if has_tags:
                fixed_list, n = old_repair_iob2(tags, where=f"{path}:{first_line}")
                repaired += n
                fixed = tuple(fixed_list)
            sentences.append(Sentence(tuple(tokens), fixed, id=f"{path.name}:{first_line}"))
        tokens, tags, tag_lines = [], [], []

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            flush()
            continue
        stripped = line.strip()
        if stripped.startswith("#") and not tokens and not old_is_token_line(line, tag_col, has_tags):
            continue
        if stripped.startswith("-DOCSTART-"):
            flush()
            continue
        cols = old_columns(line.rstrip())
        if len(cols) == 1 and has_tags is not False and tag_col is not None:
            if has_tags:
                raise OldConllError(f"{path}:{lineno}: expected a token and a tag, got {line!r}")
        wants_tag = tag_col is not None and len(cols) > 1
        if has_tags is None:
            has_tags = wants_tag
        elif has_tags != wants_tag:
            raise OldConllError(f"{path}:{lineno}: inconsistent columns in {line!r}")
        token = cols[token_col]
        if not token:
            if empty_token is None:
                raise OldConllError(f"{path}:{lineno}: empty token in {line!r}")
            token = empty_token
        if not tokens:
            first_line = lineno
        tokens.append(token)
        if has_tags:
            tag = cols[tag_col].strip()
            old_check_tag(tag, where=f"{path}:{lineno}")
            tags.append(tag)
            tag_lines.append(lineno)
    flush()
    return tuple(sentences), bool(has_tags), repaired


def old_write_conll(path, rows) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for k, (tokens, tags) in enumerate(rows):
                if len(tokens) != len(tags):
                    raise ValueError(f"sentence {k + 1}: {len(tokens)} tokens but {len(tags)} tags")
                for token, tag in zip(tokens, tags):
                    if not token or any(c in token for c in "\t\n"):
                        raise ValueError(f"sentence {k + 1}: token {token!r} cannot be written to CoNLL")
                    fh.write(f"{token}\t{tag}\n")
                fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def old_read_alignments(path):
    with open(path, encoding="utf-8") as f:
        return [Alignment.from_pharaoh(line, where=f"{path}:{n}") for n, line in enumerate(f, start=1)]


def old_write_alignments(path, alignments) -> None:
    atomic_write_text(path, "".join(a.to_pharaoh() + "\n" for a in alignments))


def old_evaluate(gold, pred, *, ignore=()):
    from seqeval.metrics import classification_report

    lm = LabelMap(frozenset(ignore))
    y_true = [lm.apply(g) for g in gold]
    y_pred = [lm.apply(p) for p in pred]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    per_type = {
        label: {"precision": float(v["precision"]), "recall": float(v["recall"]), "f1": float(v["f1-score"]),
                "support": int(v["support"])}
        for label, v in sorted(report.items())
        if not label.endswith(" avg")
    }
    return float(micro["precision"]), float(micro["recall"]), float(micro["f1-score"]), per_type


# ---------------------------------------------------------------- data and timing


def diagonal(n: int, m: int) -> Alignment:
    return Alignment.of((i, min(m - 1, round(i * m / n))) for i in range(n))


def perturb(tags: tuple[str, ...], rng: random.Random) -> list[str]:
    """A plausible prediction: most tags kept, some entities dropped or retyped, some I- after O."""
    out = list(tags)
    for k, t in enumerate(out):
        r = rng.random()
        if t != "O" and r < 0.1:
            out[k] = "O"
        elif t != "O" and r < 0.15:
            out[k] = t[:2] + rng.choice(["PER", "LOC", "ORG", "MISC"])
        elif t == "O" and r < 0.01:
            out[k] = rng.choice(["B-LOC", "I-PER"])
    return out


def timed(fn) -> float:
    """Seconds of one call; the result is freed and garbage collected outside the timed window, so neither side
    pays for the other's (or its own earlier) objects."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    del result
    gc.collect()
    return elapsed


def import_wall(code: str, runs: int) -> tuple[float, int]:
    """Median wall seconds of a fresh ``python -X importtime -c code`` and the summed top-level import µs."""
    walls, totals = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        walls.append(time.perf_counter() - start)
        total = 0
        for line in proc.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].startswith(" ") and not parts[2].startswith("  "):
                try:
                    total += int(parts[1])
                except ValueError:
                    pass
        totals.append(total)
    return statistics.median(walls), int(statistics.median(totals))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=25)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "io.json"))
    args = ap.parse_args()

    data = ROOT / "projection" / "data" / "europarl"
    rng = random.Random(0)
    with tempfile.TemporaryDirectory(prefix="bench-io-") as tmp:
        tmp = Path(tmp)
        files = {}
        for lang in ("en", "de"):
            text = (data / f"{lang}.conll").read_text(encoding="utf-8").rstrip("\n") + "\n\n"
            files[lang] = tmp / f"{lang}.conll"
            files[lang].write_text(text * args.repeat, encoding="utf-8")
        # the same size without repetition across copies (every token of copy k gets the suffix "~k"): the
        # reader's cache of checked lines only helps within a copy, as in a corpus of distinct sentences
        unique = []
        for k in range(args.repeat):
            for line in (data / "de.conll").read_text(encoding="utf-8").rstrip("\n").split("\n"):
                unique.append(line.replace("\t", f"~{k}\t", 1) if line else line)
            unique.append("")
        files["distinct"] = tmp / "distinct.conll"
        files["distinct"].write_text("\n".join(unique) + "\n", encoding="utf-8")
        en = read_conll(files["en"]).sentences
        de = read_conll(files["de"]).sentences
        alignments = [diagonal(len(s), len(t)) for s, t in zip(en, de)]
        files["pharaoh"] = tmp / "links.txt"
        write_alignments(files["pharaoh"], alignments)
        rows = [(t.tokens, t.tags) for t in de]
        gold = [list(t.tags) for t in de]
        pred = [perturb(t.tags, rng) for t in de]
        n_sent, n_tok = len(de), sum(len(t) for t in de)

        # the outputs agree before anything is timed
        for lang in ("en", "de", "distinct"):
            new = read_conll(files[lang])
            old = old_read_conll(files[lang])
            if (new.sentences, new.has_tags, new.repaired) != old:
                raise SystemExit(f"read_conll differs from the old reader on {lang}")
        if read_alignments(files["pharaoh"]) != old_read_alignments(files["pharaoh"]):
            raise SystemExit("read_alignments differs from the old reader")
        write_conll(tmp / "new.conll", rows)
        old_write_conll(tmp / "old.conll", rows)
        write_alignments(tmp / "new.txt", alignments)
        old_write_alignments(tmp / "old.txt", alignments)
        for a, b in (("new.conll", "old.conll"), ("new.txt", "old.txt")):
            if (tmp / a).read_bytes() != (tmp / b).read_bytes():
                raise SystemExit(f"{a} and {b} differ")
        s = evaluate(gold, pred)
        if (s.precision, s.recall, s.f1, s.per_type) != old_evaluate(gold, pred):
            raise SystemExit("evaluate differs from seqeval")

        ops = {
            "read CoNLL (en+de)": (
                lambda: (old_read_conll(files["en"]), old_read_conll(files["de"])),
                lambda: (read_conll(files["en"]), read_conll(files["de"])),
            ),
            "read CoNLL (de, distinct copies)": (
                lambda: old_read_conll(files["distinct"]),
                lambda: read_conll(files["distinct"]),
            ),
            "write CoNLL (de)": (
                lambda: old_write_conll(tmp / "old.conll", rows),
                lambda: write_conll(tmp / "new.conll", rows),
            ),
            "read Pharaoh": (
                lambda: old_read_alignments(files["pharaoh"]),
                lambda: read_alignments(files["pharaoh"]),
            ),
            "write Pharaoh": (
                lambda: old_write_alignments(tmp / "old.txt", alignments),
                lambda: write_alignments(tmp / "new.txt", alignments),
            ),
            "evaluate (seqeval -> span sets)": (lambda: old_evaluate(gold, pred), lambda: evaluate(gold, pred)),
        }
        results = []
        for name, (old_fn, new_fn) in ops.items():
            old_fn(), new_fn()  # warm-up (seqeval's import is timed separately below)
            old_times, new_times = [], []
            for _ in range(args.runs):
                old_times.append(timed(old_fn))
                new_times.append(timed(new_fn))
            old_m, new_m = statistics.median(old_times), statistics.median(new_times)
            results.append(
                {"operation": name, "before_s": old_m, "after_s": new_m, "speedup": old_m / new_m,
                 "before_runs": old_times, "after_runs": new_times}
            )

    imp_new = import_wall("import projection.io.conll, projection.evaluate", args.runs)
    imp_seqeval = import_wall("import seqeval.metrics", args.runs)
    imp_bare = import_wall("pass", args.runs)

    print(f"{n_sent} sentences, {n_tok} tokens per file; median of {args.runs} runs, before/after alternating")
    print(f"{'operation':34} {'before s':>9} {'after s':>9} {'speedup':>8}")
    for r in results:
        print(f"{r['operation']:34} {r['before_s']:9.3f} {r['after_s']:9.3f} {r['speedup']:7.1f}x")
    total_old = sum(r["before_s"] for r in results if "distinct" not in r["operation"])
    total_new = sum(r["after_s"] for r in results if "distinct" not in r["operation"])
    print(f"{'all but distinct copies':34} {total_old:9.3f} {total_new:9.3f} {total_old / total_new:7.1f}x")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cpus (timings of shared machines vary; ratios hold)")
    print(f"import projection.io.conll, projection.evaluate: {imp_new[0]:.3f} s wall ({imp_new[1] / 1e6:.3f} s "
          f"in imports); bare interpreter {imp_bare[0]:.3f} s; import seqeval.metrics {imp_seqeval[0]:.3f} s wall")
    out = {
        "sentences": n_sent,
        "tokens": n_tok,
        "repeat": args.repeat,
        "runs": args.runs,
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "load_average_1min_at_end": os.getloadavg()[0],
        "operations": results,
        "total_before_s": total_old,
        "total_after_s": total_new,
        "import_wall_s": {"projection.io.conll+projection.evaluate": imp_new[0], "seqeval.metrics": imp_seqeval[0],
                          "bare python": imp_bare[0]},
        "import_us": {"projection.io.conll+projection.evaluate": imp_new[1], "seqeval.metrics": imp_seqeval[1]},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
