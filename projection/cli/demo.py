"""``silver-ner demo``: the embedded default job (Europarl-NER, English gold → de/es/it, P/R/F1 table)."""

from __future__ import annotations

import argparse

from projection.cli.options import (
    add_method_options,
    check_aligner_runtime,
    check_aligner_shorthands,
    config_from_args,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="project English gold labels of the embedded Europarl-NER onto de/es/it and score them",
        description="Runs offline: Europarl-NER (Agerri et al. 2018) ships with the package.",
    )
    p.add_argument("--langs", default="de,es,it", help="comma-separated target languages (default: %(default)s)")
    p.add_argument("--report", metavar="REPORT.json", help="write the scores and signature as JSON")
    p.add_argument("--no-cache", action="store_true", help="re-align instead of reusing cached alignments")
    p.add_argument(
        "--no-extra-text", action="store_true",
        help="do not train the aligner on the shipped NTREX-128 news sentences as well",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--align-model", help="encoder of simalign.v1 / awesome.v1 (Hub id or local directory)")
    p.add_argument("--device", help="device of a neural aligner: cpu, cuda … (default: cuda when available)")
    add_method_options(p, "parallel")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from projection.demo import format_table, run_demo
    from projection.io.package_data import EUROPARL_CITATION, NTREX_CITATION
    from projection.options import ModelSettings
    from projection.plans import check_models, is_neural

    check_aligner_shorthands(args, device=True)
    config = config_from_args(args, "parallel")
    models = ModelSettings().with_changes(align_model=args.align_model, device=args.device)
    check_aligner_runtime(config, args.align_model, args.device)
    if is_neural(config):  # before any work, naming the option that points at a local copy
        check_models(config, models, tagger=False, translation=False)
    if args.report:
        from projection.stages.write import check_writable

        check_writable(args.report, what="--report")
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    if not langs:  # an empty table and exit code 0 said nothing about the mistake
        raise ValueError(f"--langs {args.langs!r} names no language; give some of de, es, it (e.g. --langs de,es)")
    repeated = sorted({x for x in langs if langs.count(x) > 1})
    if repeated:  # found in review: a language twice was run twice, and --report kept only its last run
        raise ValueError(f"--langs {args.langs!r} names {', '.join(repeated)} more than once; name each language once")
    print(f"Europarl-NER: projecting English gold labels onto {', '.join(langs)} (799 sentences each)")
    results = run_demo(  # each language's default method, with the options given
        langs, lambda lang: config_from_args(args, "parallel", lang), use_cache=not args.no_cache,
        progress=not args.quiet, extra_text=not args.no_extra_text, models=models,
    )
    print(format_table(results))
    for r in results:
        print(f"signature[{r.lang}]: {r.run.signature.format()}")
    print(f"data: {EUROPARL_CITATION}")
    if not args.no_extra_text:
        print(f"aligner extra text: {NTREX_CITATION} (CC BY-SA 4.0)")
    if args.report:
        payload = {
            "ignored_types": list(config.drop_labels),
            "languages": {
                r.lang: {
                    **r.scores.as_dict(),
                    "source_entities": r.run.stats.source_entities,  # as project's report counts them
                    "projected_entities": r.run.stats.projected_entities,
                    "signature": r.run.signature.format(),
                    "align_seconds": r.run.stats.second("align"),
                    "project_seconds": r.run.stats.second("project"),
                }
                for r in results
            },
        }
        from projection.cli.project import write_report

        write_report(args.report, payload)
    return 0
