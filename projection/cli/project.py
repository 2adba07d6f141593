"""``silver-ner project``: project gold source labels onto a target file.

    silver-ner project --source SRC.conll --target TGT.conll --out OUT.conll
        [method options] [--align-corpus SRC.txt TGT.txt]... [--alignments FILE] [--save-alignments FILE]
        [--report REPORT.json] [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
import time

from projection.cli.options import (
    add_method_options,
    check_aligner_runtime,
    check_aligner_shorthands,
    config_from_args,
    refine_from_args,
)


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
    )  # fmt: skip
    p.add_argument("--target-format", choices=("auto", "conll", "plain"), default="auto",
                   help="how to read TGT (default: detected, and the reason is named in errors)")
    p.add_argument("--out", required=True, metavar="OUT.conll", help="target tokens with silver tags (token<TAB>tag)")
    p.add_argument(
        "--align-corpus", nargs=2, action="append", default=[], metavar=("SRC.txt", "TGT.txt"),
        help="extra parallel text to train the aligner (one sentence per line), repeatable",
    )  # fmt: skip
    p.add_argument(
        "--alignments", metavar="FILE",
        help="reuse saved alignments (Pharaoh i-j, one line per pair: i a SRC token, j a TGT token, both 0-based; "
             "ipj marks a possible link)",
    )  # fmt: skip
    p.add_argument(
        "--save-alignments", metavar="FILE",
        help="write the alignments used: Pharaoh i-j (i: SRC token, j: TGT token, 0-based); possible links are "
        "written ipj (with the default aligner, links found by at most half of its four directional alignments)",
    )
    p.add_argument(
        "--lang", metavar="CODE",
        help="the target language (ISO 639-1 or 639-3, e.g. de, deu, hau), which sets the method's defaults. Germanic "
        "and Romance targets (af de es fr it nl pt) add similar_names=0.5 and possible_votes=2 to eflomal.v1's (so "
        "not with --alignments); MasakhaNER2 targets (hau, ibo, swa, ...) refine with trim.v1 after anchor.v1; "
        "without --lang, or for other languages, the language-independent default",
    )  # fmt: skip
    p.add_argument("--report", metavar="REPORT.json", help="write scores, timings and the signature as JSON")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="processes that read, project, format and score the chunks (1,000 pairs each), same "
                   "output for any N (default: all cores; under 4 chunks the work stays in one process)")
    p.add_argument("--align-model", help="encoder of simalign.v1 / awesome.v1 (Hub id or local directory)")
    p.add_argument("--device", help="device of a neural aligner: cpu, cuda … (default: cuda when available)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the alignment cache")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_method_options(p, "parallel")
    p.set_defaults(run=run)


def read_bitexts(pairs: list[list[str]]):
    """The pairs of the ``--align-corpus`` files (``TokenPairs``: tokens kept as ids), pairs with an empty side left
    out."""
    from projection.align.text import TokenPairs, tokenize

    extra = TokenPairs()
    for src_path, tgt_path in pairs:
        src_lines, tgt_lines = _lines(src_path), _lines(tgt_path)
        if len(src_lines) != len(tgt_lines):
            raise ValueError(
                f"--align-corpus {src_path} has {len(src_lines)} lines but {tgt_path} has {len(tgt_lines)}"
            )
        for s, t in zip(src_lines, tgt_lines):
            s_tok, t_tok = tokenize(s), tokenize(t)
            if s_tok and t_tok:
                extra.append(s_tok, t_tok)
    return extra


def _lines(path: str) -> list[str]:
    from projection.io.lines import text_lines

    try:
        # lines end at \n (or \r\n) only, as in every other text file read; a byte-order mark is not a word
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return text_lines(fh.read().replace("\r\n", "\n"))
    except IsADirectoryError:
        raise ValueError(f"--align-corpus {path} is a directory; give a text file") from None
    except UnicodeDecodeError as err:
        raise ValueError(f"--align-corpus {path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise ValueError(f"--align-corpus {path}: cannot read ({err.strerror})") from None


def check_input(path: str, option: str) -> None:
    from pathlib import Path

    p = Path(path)
    if p.is_dir():
        raise ValueError(f"{option} {p} is a directory; give a file")
    if not p.exists():
        raise FileNotFoundError(f"{option} {p} does not exist")
    if not p.is_file():  # a pipe (``<(zcat …)``, /dev/stdin from a pipe): the second reading would find it drained
        raise ValueError(f"{option} {p} is not a regular file (a pipe or a process substitution?); project reads "
                         "each input file more than once: write it to a file and give that file")


def run(args: argparse.Namespace) -> int:
    from projection.executors import LocalExecutor
    from projection.options import ModelSettings
    from projection.plans import check_models, file_plan, is_neural
    from projection.runner import run as run_stages
    from projection.stages.write import ConllSink, EvaluationSink, PharaohSink, ReportSink, check_distinct

    start = time.perf_counter()
    check_aligner_shorthands(args, device=True)
    config = config_from_args(args, "parallel")
    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs {args.jobs}: give at least 1 process, or leave --jobs out to use all cores")
    executor = LocalExecutor(args.jobs)
    for path, option in ((args.source, "--source"), (args.target, "--target"), (args.alignments, "--alignments")):
        if path:
            check_input(path, option)
    inputs = [p for p in (args.source, args.target, args.alignments) if p]
    inputs += [p for pair in args.align_corpus for p in pair]
    sinks = [ConllSink(args.out, inputs=inputs)]
    if args.save_alignments:
        sinks.append(PharaohSink(args.save_alignments, inputs=inputs))
    if args.report:  # written with the other outputs (rendered from the finished run): none appears alone
        sinks.append(ReportSink(args.report, lambda done: _report(done, plan, config, evaluation, start), inputs=inputs))
    check_distinct(("--out", "--save-alignments", "--report"), (args.out, args.save_alignments, args.report))

    models = ModelSettings().with_changes(align_model=args.align_model, device=args.device)
    if args.align_corpus and args.alignments:
        raise ValueError("--align-corpus trains the aligner, which does not run with --alignments; leave one out")
    if args.alignments:  # no aligner runs: an option that sets one up would do nothing
        # --lang also picks the refinements (0.6.0: trim.v1 for a MasakhaNER2 target), which run on given links
        from projection.options import default_refine

        own = default_refine("parallel", args.lang) != default_refine("parallel")
        refines = own and refine_from_args(args) is None  # --refine / --no-refine win over the language's
        lang_only_aligner = bool(args.lang) and not refines
        for flag, value in (("--aligner", args.aligner), ("--aligner-option", args.aligner_option),
                            ("--align-model", args.align_model), ("--device", args.device),
                            ("--lang", lang_only_aligner)):  # fmt: skip
            if value:
                raise ValueError(f"{flag} sets up the aligner, which does not run with --alignments; leave one out")
    else:
        check_aligner_runtime(config, args.align_model, args.device)
    if is_neural(config) and not args.alignments:  # with given links no aligner (and no model) runs
        check_models(config, models, tagger=False, translation=False)
    for sink in sinks:  # after the option checks: it makes an output's missing folders (found in review)
        sink.check()
    extra = read_bitexts(args.align_corpus) if args.align_corpus else []
    evaluation = EvaluationSink(ignore=config.drop_labels)  # dropped types are not projected: not scored either
    plan = file_plan(args.source, args.target, config, alignments_path=args.alignments, extra=extra,
                     use_cache=not args.no_cache, models=models, target_format=args.target_format,
                     conll_out=True)  # fmt: skip
    result = run_stages(plan.source, plan.stages, [*sinks, evaluation], executor=executor, keep=False,
                        progress=not args.quiet)  # fmt: skip
    stats = result.stats
    scores = evaluation.scores
    if scores is not None:
        summary = f"P {scores.precision:.2%}  R {scores.recall:.2%}  F1 {scores.f1:.2%}"
        if config.drop_labels:
            summary += f" ({', '.join(config.drop_labels)} not scored)"
    else:
        summary = "no gold tags in the target: no scores"
    print(
        f"{stats.sentences} sentences, {stats.projected_entities}/{stats.source_entities} entities projected; "
        f"{summary}\nsignature: {result.signature.format()}",
        file=sys.stderr,
    )
    changing = langs_that_would_change(args, config) if args.lang is None else ()
    if changing:
        print(f"note: without --lang the language-independent defaults were used; --lang CODE (such as "
              f"{' or '.join(changing)}) takes the target language's own (see silver-ner project --help)",
              file=sys.stderr)  # fmt: skip
    return 0


#: one language of each group with defaults of its own (``projection.options``: Germanic and Romance, MasakhaNER2)
_GROUP_EXAMPLES = ("de", "hau")


def langs_that_would_change(args: argparse.Namespace, config) -> tuple[str, ...]:
    """The example languages (one per group with defaults of its own) whose ``--lang`` would have changed what this
    run did: their config against ``config`` (the one without a language); with ``--alignments`` only the
    refinements count, as no aligner runs (found in review: the note named ``de`` there, whose ``--lang`` is refused
    with ``--alignments``: it changes only the aligner)."""
    changing = []
    for lang in _GROUP_EXAMPLES:
        own = config_from_args(args, "parallel", lang=lang)
        if (own.refine != config.refine) if args.alignments else (own != config):
            changing.append(lang)
    return tuple(changing)


def _report(result, plan, config, evaluation, start: float) -> dict:
    """``project``'s report of a finished run (``result``: the runner's ``Run``)."""
    stats = result.stats
    report = {
        "sentences": stats.sentences,
        "signature": result.signature.format(),
        "projection_rate": stats.projection_rate,
        "source_entities": stats.source_entities,
        "projected_entities": stats.projected_entities,
        "target_format": plan.source.target_format,
        "repaired_tags": {"source": stats.count("repaired_source_tags"), "target": stats.count("repaired_target_tags")},
        "counts": dict(stats.counts),
        "align_seconds": stats.second("align"),
        "project_seconds": stats.second("project"),
        "executor": result.executor,
        "ignored_types": list(config.drop_labels),
    }
    report.update(evaluation.score_fields())
    report["seconds"] = time.perf_counter() - start
    return report


def write_report(path: str, report: dict) -> None:
    """A report that is the command's only output (``demo``), written atomically."""
    from projection.cache import atomic_write_text
    from projection.stages.write import report_text

    atomic_write_text(path, report_text(report))
