"""``silver-ner project``: project gold source labels onto a target file.

    silver-ner project --source SRC.conll --target TGT.conll --out OUT.conll
        [--aligner NAME] [--align-corpus SRC.txt TGT.txt]... [--alignments FILE] [--save-alignments FILE]
        [--matcher heuristic|greedy|exact] [--candidates NAME] [--report REPORT.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from projection.cli.options import add_method_options, config_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "project",
        help="project gold source labels onto target sentences",
        description="Project the gold entity labels of SRC onto the tokens of TGT (same number of sentences).",
    )
    p.add_argument("--source", required=True, metavar="SRC.conll", help="source sentences with gold IOB2 tags")
    p.add_argument(
        "--target", required=True, metavar="TGT.conll",
        help="target sentences: CoNLL (tags, if present, are gold for the report) or one tokenised sentence per line",
    )
    p.add_argument("--out", required=True, metavar="OUT.conll", help="target tokens with silver tags (token<TAB>tag)")
    p.add_argument(
        "--align-corpus", nargs=2, action="append", default=[], metavar=("SRC.txt", "TGT.txt"),
        help="extra parallel text to train the aligner (one sentence per line), repeatable",
    )
    p.add_argument(
        "--alignments", metavar="FILE",
        help="reuse saved alignments (Pharaoh i-j, one line per pair, 0-based; ipj marks a possible link)",
    )
    p.add_argument(
        "--save-alignments", metavar="FILE",
        help="write the alignments used: Pharaoh i-j (i: SRC token, j: TGT token, 0-based); with the default "
        "soft symmetrisation, links found in one direction only are written ipj",
    )
    p.add_argument("--report", metavar="REPORT.json", help="write scores, timings and the signature as JSON")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the alignment cache")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_method_options(p)
    p.set_defaults(run=run)


def read_bitexts(pairs: list[list[str]]) -> list[tuple[list[str], list[str]]]:
    from projection.align.text import tokenize

    extra = []
    for src_path, tgt_path in pairs:
        with open(src_path, encoding="utf-8") as fs, open(tgt_path, encoding="utf-8") as ft:
            src_lines, tgt_lines = fs.read().splitlines(), ft.read().splitlines()
        if len(src_lines) != len(tgt_lines):
            raise ValueError(
                f"--align-corpus {src_path} has {len(src_lines)} lines but {tgt_path} has {len(tgt_lines)}"
            )
        for s, t in zip(src_lines, tgt_lines):
            s_tok, t_tok = tokenize(s), tokenize(t)
            if s_tok and t_tok:
                extra.append((s_tok, t_tok))
    return extra


def run(args: argparse.Namespace) -> int:
    from projection.io.conll import read_conll, read_sentences, write_conll
    from projection.evaluate import evaluate
    from projection.pipeline import project_corpus

    start = time.perf_counter()
    config = config_from_args(args)
    source = read_conll(args.source)
    if not source.has_tags:
        raise ValueError(f"{args.source}: the source needs gold tags (token and tag columns)")
    target = read_sentences(args.target)
    if len(source) != len(target):
        raise ValueError(
            f"{args.source} has {len(source)} sentences but {args.target} has {len(target)}; "
            "the files must be sentence-aligned"
        )
    alignments = None
    aligner_signature = None
    if args.alignments:
        from projection.align.fixed import FixedAligner
        from projection.io.pharaoh import read_alignments

        alignments = read_alignments(args.alignments)
        fixed = FixedAligner(alignments, origin=args.alignments)
        fixed.align([s.tokens for s in source.sentences], [t.tokens for t in target.sentences])
        aligner_signature = fixed.signature()
    extra = read_bitexts(args.align_corpus) if args.align_corpus and alignments is None else []
    run_ = project_corpus(
        list(source.sentences),
        [t.tokens for t in target.sentences],
        config,
        alignments=alignments,
        aligner_signature=aligner_signature,
        extra=extra,
        use_cache=not args.no_cache,
        progress=not args.quiet,
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_conll(args.out, ((t.tokens, tags) for t, tags in zip(target.sentences, run_.tags)))
    if args.save_alignments:
        from projection.io.pharaoh import write_alignments

        write_alignments(args.save_alignments, run_.alignments)
    report = {
        "sentences": len(source),
        "signature": run_.signature,
        "projection_rate": run_.stats.projection_rate,
        "source_entities": run_.stats.source_entities,
        "projected_entities": run_.stats.projected_entities,
        "repaired_tags": {"source": source.repaired, "target": target.repaired},
        "align_seconds": run_.align_seconds,
        "project_seconds": run_.project_seconds,
    }
    if target.has_tags:
        scores = evaluate([t.tags for t in target.sentences], run_.tags, projection_rate=run_.stats.projection_rate)
        report.update(precision=scores.precision, recall=scores.recall, f1=scores.f1, per_type=scores.per_type)
        summary = f"P {scores.precision:.2%}  R {scores.recall:.2%}  F1 {scores.f1:.2%}"
    else:
        report.update(precision=None, recall=None, f1=None, per_type={})
        summary = "no gold tags in the target: no scores"
    report["seconds"] = time.perf_counter() - start
    if args.report:
        tmp = args.report + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, args.report)
    print(
        f"{len(source)} sentences, {run_.stats.projected_entities}/{run_.stats.source_entities} entities projected; "
        f"{summary}\nsignature: {run_.signature}",
        file=sys.stderr,
    )
    return 0
