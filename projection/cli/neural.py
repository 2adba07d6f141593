"""``silver-ner translate-test`` and ``silver-ner translate-train``: the model-based modes end to end."""

from __future__ import annotations

import argparse

from projection.cli.options import (
    add_method_options,
    add_model_options,
    check_aligner_shorthands,
    config_from_args,
    models_from_args,
    neural_aligner_options,
)


def _common(p: argparse.ArgumentParser, mode: str) -> None:
    p.add_argument("--lang", required=True, help="target language (PAN-X or MasakhaNER2 code, e.g. sw, swa)")
    p.add_argument("--data-dir", help="read the dataset from this folder (published layout) instead of the Hub")
    p.add_argument("--limit", type=int, help="only the first N sentences")
    p.add_argument("--cache-dir",
                   help="the cache (default $SILVER_NER_CACHE, else $XDG_CACHE_HOME/silver-ner or "
                   "~/.cache/silver-ner)")
    p.add_argument("--out", required=True, help="output CoNLL file (token<TAB>tag)")
    p.add_argument("--report", help="write a JSON report here")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    add_model_options(p, mode)
    add_method_options(p, mode)


def add_parser(subparsers) -> None:
    test = subparsers.add_parser("translate-test", help="label gold target sentences via English and score them")
    test.add_argument("--dataset", required=True, choices=("xtreme", "masakhaner2"))
    test.add_argument("--split", default="test", help="train | dev | test (default test)")
    _common(test, "translate-test")
    test.set_defaults(run=run_test)
    train = subparsers.add_parser("translate-train", help="translate labelled English and project: silver train set")
    train.add_argument("--source", required=True, choices=("conll2003", "panx-en"))
    train.add_argument("--source-file", help="CoNLL file of labelled English sentences (instead of --data-dir/Hub)")
    train.add_argument("--split", help="split of the English source (default train; not with --source-file)")
    _common(train, "translate-train")
    train.set_defaults(run=run_train)


def _setup(args, mode: str):
    from projection.stages.write import ConllSink, check_distinct, check_writable

    if args.limit is not None and args.limit < 1:
        raise ValueError(f"--limit must be ≥ 1, got {args.limit}")
    check_aligner_shorthands(args)  # before --align-layer/--align-method join the aligner options
    models = models_from_args(args)
    extra_opts = neural_aligner_options(args)
    if extra_opts:
        args.aligner_option = [*(args.aligner_option or []), *extra_opts]
    config = config_from_args(args, mode)
    from projection.plans import check_models, is_neural, tags_target

    for flag, given, unused, why in (  # options that would do nothing: refused, as project refuses its own
        ("--bt-model", args.bt_model, not models.back_translation, "without --back-translation"),
        ("--bt-tokenizer", args.bt_tokenizer, not models.back_translation, "without --back-translation"),
        ("--align-model", args.align_model, not is_neural(config), f"with {config.aligner}, which uses no model"),
        ("--ner-model", args.ner_model, mode == "translate-train" and not tags_target(config),
         "in translate-train, whose English keeps its gold labels, unless the candidates are ner.v1"),
        # --translations replaces the MT model; beams and the language code still reach --back-translation's model
        ("--mt-model", args.mt_model, bool(args.translations), "with --translations, which replaces machine translation"),
        ("--num-beams", args.num_beams, bool(args.translations) and not models.back_translation,
         "with --translations, which replaces machine translation, and without --back-translation"),
        ("--mt-lang-code", args.mt_lang_code, bool(args.translations) and not models.back_translation,
         "with --translations, which replaces machine translation, and without --back-translation"),
    ):
        if given is not None and unused:
            raise ValueError(f"{flag} would do nothing {why}: leave it out")
    if models.device is not None:
        from projection.neural.hub import check_device

        check_device(models.device)
    check_models(config, models, tagger=mode == "translate-test")  # before any data is loaded
    inputs = [p for p in (getattr(args, "source_file", None), args.translations) if p]
    sinks = [ConllSink(args.out, inputs=inputs)]
    if args.report:
        check_writable(args.report, what="--report", inputs=inputs)
    check_distinct(("--out", "--report"), (args.out, args.report))  # the report would replace the output
    for sink in sinks:
        sink.check()
    return models, config, sinks


def _not_the_data(args, origin: str) -> None:
    """``--out`` and ``--report`` are not the dataset file just read from ``--data-dir`` (it was overwritten)."""
    from projection.stages.write import check_writable

    if origin.startswith("hf://"):
        return
    for path, what in ((args.out, "--out"), (args.report, "--report")):
        if path:
            check_writable(path, what=what, inputs=[origin])


def _with_report(args, sinks: list, render) -> list:
    """``sinks`` and, with ``--report``, a ``ReportSink`` of ``render(run)``: the report is written with the
    other outputs, so none appears alone."""
    if not args.report:
        return list(sinks)
    from projection.stages.write import ReportSink

    return [*sinks, ReportSink(args.report, render)]


def _base_report(args, result, mode: str) -> dict:
    stats = result.stats
    return {"mode": mode, "lang": args.lang, "sentences": stats.sentences,
            "seconds": {k: round(v, 3) for k, v in stats.seconds},
            "projection_rate": stats.projection_rate, "source_entities": stats.source_entities,
            "projected_entities": stats.projected_entities, "counts": dict(stats.counts),
            "signature": result.signature.format(), "executor": result.executor}  # fmt: skip


def run_test(args) -> int:
    from projection.io.sources import canonical_split, load_source
    from projection.options import check_labels_present
    from projection.plans import translate_test_plan
    from projection.runner import run
    from projection.signature import Part
    from projection.stages.write import EvaluationSink

    models, config, sinks = _setup(args, "translate-test")
    src = load_source(args.dataset, args.lang, args.split, data_dir=args.data_dir, limit=args.limit)
    _not_the_data(args, src.origin)
    sentences = list(src.sentences)
    if config.drop_labels:  # a type of the tagger's, or of the gold alone (left out of the score only)
        from projection.neural.ner import model_types

        gold_types = {sp.label for s in sentences for sp in s.spans}
        check_labels_present("--drop-label", config.drop_labels, sorted({*model_types(models.ner_model), *gold_types}),
                             f"the NER model {models.ner_model} or the gold of {args.dataset} {args.lang}")  # fmt: skip
    args.split = canonical_split(args.split)  # dev and validation are one split: one signature
    data = Part.of(args.dataset, lang=args.lang, split=args.split, limit=args.limit,
                   rev=src.revision[:12] if src.revision else src.content[:12])  # fmt: skip
    plan = translate_test_plan(sentences, args.lang, config, models, data=data, cache_dir=args.cache_dir,
                               progress=not args.no_progress)  # fmt: skip
    ignored = tuple(sorted({"MISC", "DATE", *config.drop_labels}))  # dropped types are not projected: not scored
    evaluation = EvaluationSink(ignore=ignored)

    def render(done) -> dict:
        return {**_base_report(args, done, "translate-test"), "dataset": args.dataset, "split": args.split,
                "origin": src.origin, "ignored_types": list(ignored), **evaluation.score_fields()}

    result = run(plan.source, plan.stages, _with_report(args, [*sinks, evaluation], render), keep=False,
                 progress=not args.no_progress)  # fmt: skip
    scores = evaluation.scores
    # the English tagger has no DATE and its MISC is dropped: said here, as project says what it does not score
    print(f"{args.dataset} {args.lang} {args.split}: P {scores.precision:.4f} R {scores.recall:.4f} "
          f"F1 {scores.f1:.4f} ({len(sentences)} sentences; {', '.join(ignored)} not scored)\n"
          f"{result.signature.format()}")  # fmt: skip
    return 0


def run_train(args) -> int:
    from projection.io.conll import read_conll
    from projection.io.sources import canonical_split, load_source
    from projection.options import check_labels_present
    from projection.plans import translate_train_plan
    from projection.runner import run
    from projection.signature import Part

    models, config, sinks = _setup(args, "translate-train")
    if args.source_file:
        if args.data_dir:
            raise ValueError("--source-file is the English data: --data-dir would not be read; leave one out")
        if args.split is not None:
            raise ValueError("--source-file is the English data: --split would not be read; leave one out")
        import hashlib
        from pathlib import Path

        english = list(read_conll(args.source_file).sentences)[: args.limit]
        if any(s.tags is None for s in english):
            raise ValueError(f"{args.source_file}: needs token and tag columns (labelled English)")
        # the file read, named by its content (the run's --source and --split do not say what was read)
        data = Part.of("file", into=args.lang, sha=hashlib.sha256(Path(args.source_file).read_bytes()).hexdigest()[:12],
                       limit=args.limit)  # fmt: skip
    else:
        args.split = canonical_split(args.split or "train")  # dev and validation are one split: one signature
        src = load_source(args.source, "en", args.split, data_dir=args.data_dir, limit=args.limit)
        _not_the_data(args, src.origin)
        english = list(src.sentences)
        data = Part.of(args.source, into=args.lang, split=args.split, limit=args.limit,
                       rev=src.revision[:12] if src.revision else src.content[:12])  # fmt: skip
    if config.drop_labels:
        check_labels_present("--drop-label", config.drop_labels, sorted({sp.label for s in english for sp in s.spans}),
                             args.source_file or f"{args.source} {args.split}")  # fmt: skip
    plan = translate_train_plan(english, args.lang, config, models, data=data, cache_dir=args.cache_dir,
                                progress=not args.no_progress, conll_out=True)  # fmt: skip

    def render(done) -> dict:
        return {**_base_report(args, done, "translate-train"), "source": args.source_file or args.source,
                "source_sentences": len(english)}  # fmt: skip

    result = run(plan.source, plan.stages, _with_report(args, sinks, render), keep=False,
                 progress=not args.no_progress)  # fmt: skip
    print(f"{args.lang}: {result.stats.sentences} silver sentences from {len(english)} English -> {args.out}\n"
          f"{result.signature.format()}")  # fmt: skip
    return 0
