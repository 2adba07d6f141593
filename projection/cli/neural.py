"""``silver-ner translate-test`` and ``silver-ner translate-train``: the neural pipeline end to end."""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)


def _common(p: argparse.ArgumentParser) -> None:
    from projection.neural.backtrans import DEFAULT_BT_MODEL, DEFAULT_BT_TOKENIZER
    from projection.neural.encoder import DEFAULT_ALIGN_MODEL
    from projection.neural.ner import DEFAULT_NER_MODEL
    from projection.neural.translate import DEFAULT_MT_MODEL

    p.add_argument("--lang", required=True, help="target language (PAN-X or MasakhaNER2 code, e.g. sw, swa)")
    p.add_argument("--data-dir", help="read the dataset from this folder (published layout) instead of the Hub")
    p.add_argument("--limit", type=int, help="only the first N sentences")
    p.add_argument("--mt-model", default=DEFAULT_MT_MODEL, help="NLLB / M2M100 Hub id or local directory")
    p.add_argument("--mt-lang-code", help="the MT model's code for --lang (for languages NLLB lacks: bbj, pcm)")
    p.add_argument("--translations", metavar="FILE", help="one translation per sentence, in order, instead of MT")
    p.add_argument("--num-beams", type=int, help="beam size (default: the model's generation config)")
    p.add_argument("--ner-model", default=DEFAULT_NER_MODEL, help="token-classification Hub id or local directory")
    p.add_argument("--aligner", default="simalign.v1", help="simalign.v1, awesome.v1, fastalign.v1, eflomal.v1 …")
    p.add_argument("--align-model", default=DEFAULT_ALIGN_MODEL, help="encoder for simalign/awesome")
    p.add_argument("--align-layer", type=int, default=8, help="hidden layer of the alignment encoder (default 8)")
    p.add_argument("--align-method", default="itermax", choices=("itermax", "argmax", "match"),
                   help="SimAlign method")
    p.add_argument("--matcher", default="greedy", help="heuristic | greedy | exact | ilp")
    p.add_argument("--candidates", default="ngrams.v1", help="ngrams.v1 | linked.v1 | aligned.v1 | ner.v1")
    p.add_argument("--max-len", type=int, default=10, help="longest n-gram candidate (0: unbounded)")
    p.add_argument("--drop-misc", choices=("after", "before"), default="after",
                   help="drop MISC after matching (paper's code, default) or before projection (thesis)")
    p.add_argument("--back-translation", action="store_true", help="EasyProject marker back-translation refinement")
    p.add_argument("--bt-model", default=DEFAULT_BT_MODEL, help="marker-trained MT model for --back-translation")
    p.add_argument("--bt-tokenizer", default=DEFAULT_BT_TOKENIZER, help="tokenizer of --bt-model ('' for its own)")
    p.add_argument("--device", help="cpu, cuda, cuda:1 … (default: cuda when available)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--cache-dir", help="translation/alignment cache (default $SILVER_NER_CACHE or ~/.cache/silver-ner)")
    p.add_argument("--out", required=True, help="output CoNLL file (token<TAB>tag)")
    p.add_argument("--report", help="write a JSON report here")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def add_parser(subparsers) -> None:
    test = subparsers.add_parser("translate-test", help="label gold target sentences via English and score them")
    test.add_argument("--dataset", required=True, choices=("xtreme", "masakhaner2"))
    test.add_argument("--split", default="test", help="train | dev | test (default test)")
    _common(test)
    test.set_defaults(run=run_test)
    train = subparsers.add_parser("translate-train", help="translate labelled English and project: silver train set")
    train.add_argument("--source", required=True, choices=("conll2003", "panx-en"))
    train.add_argument("--source-file", help="CoNLL file of labelled English sentences (instead of --data-dir/Hub)")
    train.add_argument("--split", default="train", help="split of the English source (default train)")
    _common(train)
    train.set_defaults(run=run_train)


def _settings_and_config(args):
    import projection.align.neural_registered  # noqa: F401
    from projection.config import ProjectionConfig, default_aligner_options
    from projection.neural.run import NeuralSettings, check_models

    settings = NeuralSettings(
        mt_model=args.mt_model, ner_model=args.ner_model, align_model=args.align_model,
        back_translation=args.back_translation, bt_model=args.bt_model, bt_tokenizer=args.bt_tokenizer or None,
        device=args.device, batch_size=args.batch_size, cache_dir=args.cache_dir, drop_misc=args.drop_misc,
        translations_file=args.translations, mt_lang_code=args.mt_lang_code, num_beams=args.num_beams,
    )
    family = args.aligner.split(".")[0]
    if family == "simalign":
        options = {"model": args.align_model, "layer": args.align_layer, "method": args.align_method}
    elif family == "awesome":
        options = {"model": args.align_model, "layer": args.align_layer}
    elif family in ("eflomal", "fastalign"):
        options = dict(default_aligner_options(args.aligner))
    else:
        options = {}
    if args.device and family in ("simalign", "awesome"):
        options["device"] = args.device
    config = ProjectionConfig(aligner=args.aligner, aligner_options=options, matcher=args.matcher,
                              candidates=args.candidates, max_len=args.max_len or None)
    if args.limit is not None and args.limit < 1:
        raise ValueError(f"--limit must be ≥ 1, got {args.limit}")
    check_models(settings, config)
    return settings, config


def _write(args, run, report: dict) -> None:
    from projection.io.conll import write_conll

    write_conll(args.out, zip(run.target_tokens, run.silver_tags))
    if args.report:
        path = Path(args.report)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def _base_report(args, run, mode: str) -> dict:
    return {"mode": mode, "lang": args.lang, "sentences": len(run.target_tokens), "seconds": round(run.seconds, 3),
            "projection_rate": run.projection_rate, "counts": dict(run.counts), "signature": run.signature}


def run_test(args) -> int:
    from projection.evaluate import evaluate
    from projection.neural.run import translate_test
    from projection.io.sources import load_sentences

    settings, config = _settings_and_config(args)
    sentences = load_sentences(args.dataset, args.lang, args.split, data_dir=args.data_dir, limit=args.limit)
    run = translate_test(sentences, args.lang, settings, config, progress=not args.no_progress)
    scores = evaluate([s.tags for s in sentences], run.silver_tags, ignore=("MISC", "DATE"))
    report = {**_base_report(args, run, "translate-test"), "dataset": args.dataset, "split": args.split,
              "precision": scores.precision, "recall": scores.recall, "f1": scores.f1, "per_type": scores.per_type}
    _write(args, run, report)
    print(f"{args.dataset} {args.lang} {args.split}: P {scores.precision:.4f} R {scores.recall:.4f} "
          f"F1 {scores.f1:.4f} ({len(sentences)} sentences, {run.seconds:.1f} s)\n{run.signature}")
    return 0


def run_train(args) -> int:
    from projection.io.conll import read_conll
    from projection.neural.run import translate_train
    from projection.io.sources import load_sentences

    settings, config = _settings_and_config(args)
    if args.source_file:
        english = list(read_conll(args.source_file).sentences)[: args.limit]
        if any(s.tags is None for s in english):
            raise ValueError(f"{args.source_file}: needs token and tag columns (labelled English)")
    else:
        english = load_sentences(args.source, "en", args.split, data_dir=args.data_dir, limit=args.limit)
    run = translate_train(english, args.lang, settings, config, progress=not args.no_progress)
    report = {**_base_report(args, run, "translate-train"), "source": args.source,
              "source_sentences": len(english)}
    _write(args, run, report)
    print(f"{args.lang}: {len(run.target_tokens)} silver sentences from {len(english)} English ({run.seconds:.1f} s)"
          f" -> {args.out}\n{run.signature}")
    return 0
