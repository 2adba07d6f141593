"""The method and model options every verb shares (``project``, ``demo``, ``translate-*``, ``build``,
``push.py``). Every option defaults to ``None`` = "the mode's default from ``projection.options``", so giving
an option its default value changes nothing."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from projection.options import (
    DEFAULT_METHODS,
    ModelSettings,
    check_lang,
    check_weight,
    default_config,
    is_heuristic,
    refuse_unused_by_heuristic,
)


def _parse_value(text: str) -> Any:
    if text.lower() in ("none", "null"):
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_aligner_options(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--aligner-option expects KEY=VALUE (e.g. stem=4), got {item!r}")
        out[key] = _parse_value(value)
    return out


def _weight(name: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} expects a number, got {text!r}") from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{name} must be a finite number ≥ 0, got {text!r}")
        return value

    return parse


def _positive_int(name: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} expects a whole number, got {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{name} must be ≥ 1, got {text!r}")
        return value

    return parse


def add_method_options(parser: argparse.ArgumentParser, mode: str | None = "parallel") -> None:
    """The method options; ``mode=None`` when the defaults depend on each config's mode (``build``, push)."""
    if mode is None:
        d = {"aligner": "the mode's", "matcher": "the mode's", "candidates": "the mode's", "max_len": "the mode's",
             "score": {"char": "the mode's", "possible": "the mode's"}}
    else:
        d = DEFAULT_METHODS[mode]
    title = "each config's mode" if mode is None else f"the {mode} method"
    g = parser.add_argument_group(f"method (defaults: {title} in projection/options.py)")
    g.add_argument("--aligner", help=f"word aligner: eflomal.v1, fastalign.v1, simalign.v1, awesome.v1 (default {d['aligner']})")
    g.add_argument("--aligner-option", action="append", metavar="KEY=VALUE",
                   help="aligner setting, repeatable (e.g. stem=4, symmetrize=grow-diag-final-and)")
    g.add_argument("--matcher", help=f"heuristic | greedy | exact | ilp (default {d['matcher']})")
    # ner.v1 needs spans a model found on the target: the parallel mode (project, demo) refuses it
    kinds = "linked.v1 | aligned.v1 | ngrams.v1" + {"parallel": "", None: " | ner.v1 (model-based modes)"}.get(
        mode, " | ner.v1")
    g.add_argument("--candidates", help=f"{kinds} (default {d['candidates']})")
    g.add_argument("--max-len", type=int, metavar="N",
                   help=f"longest candidate span in words; 0: unbounded (default {d['max_len'] or 'unbounded'})")
    g.add_argument("--char-weight", type=_weight("--char-weight"),
                   help=f"weight of the character-similarity score (default {_fmt(d['score']['char'])})")
    g.add_argument("--possible-weight", type=_weight("--possible-weight"),
                   help=f"weight of a possible link next to a sure one, in [0, 1] (default {_fmt(d['score']['possible'])})")
    g.add_argument("--refine", action="append", metavar="NAME",
                   help="refinement after the matching, repeatable: anchor.v1 (names glued into target words), "
                   "bridge.v1, trim.v1 (stray words cut from a span's edges) (default: the mode's; parallel: anchor.v1, and for "
                   "a MasakhaNER2 --lang anchor.v1 then trim.v1)")
    g.add_argument("--no-refine", action="store_true",
                   help="no refinement (the paper's methods as published with --char-weight 0 --possible-weight 1, "
                   "and, where eflomal.v1 aligns (not with --alignments), --aligner-option stem_from=start "
                   "--aligner-option name_prior=0: README, *Default method*)")
    g.add_argument("--drop-label", action="append", default=[], metavar="TYPE",
                   help="entity type removed from the source before projection (e.g. MISC), repeatable; "
                        "a report then leaves it out of the scores (its ignored_types)"
                        + ("; a type of the target's gold alone (DATE of a MasakhaNER2 gold) is only left out of the "
                           "scores" if mode == "parallel" else ""))


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def refine_from_args(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The refinements ``--refine``/``--no-refine`` give (``()`` for none), ``None`` when neither is given."""
    if getattr(args, "no_refine", False):
        if getattr(args, "refine", None):
            raise ValueError("--refine and --no-refine exclude each other")
        return ()
    return tuple(args.refine) if getattr(args, "refine", None) else None


def check_heuristic_options(args: argparse.Namespace) -> None:
    """``--matcher heuristic`` projects through the links alone: a candidate or score option given with it would
    be accepted and do nothing, so it is refused."""
    if is_heuristic(getattr(args, "matcher", None)):
        given = [flag for flag, dest in (("--candidates", "candidates"), ("--max-len", "max_len"),
                 ("--char-weight", "char_weight"), ("--possible-weight", "possible_weight"))
                 if getattr(args, dest, None) is not None]  # fmt: skip
        refuse_unused_by_heuristic(given[:1], "--matcher")  # the first one given, as before
    check_candidate_options(args)


def check_candidate_options(args: argparse.Namespace) -> None:
    """``ner.v1`` candidates are the spans the NER model found, whatever their length: ``--max-len`` with them would be
    accepted and do nothing (found in review), so it is refused."""
    candidates, max_len = getattr(args, "candidates", None), getattr(args, "max_len", None)
    if candidates is None or max_len is None:
        return
    from projection.candidates import CANDIDATES

    try:
        name = CANDIDATES.resolve(candidates)
    except (KeyError, ValueError):
        return  # an unknown name is reported where the config is made, with the valid ones
    if name == "ner.v1":
        raise ValueError("--candidates ner.v1 takes the spans the NER model found, whatever their length: --max-len "
                         "has no effect on it; leave it out")  # fmt: skip


def check_aligner_runtime(config, align_model: str | None, device: str | None) -> None:
    """``--align-model``/``--device`` are a neural aligner's: refused for a statistical one (they would do nothing);
    a device torch cannot use is one error before any work, not a traceback when the model loads."""
    from projection.plans import is_neural

    if not is_neural(config):
        for flag, value in (("--align-model", align_model), ("--device", device)):
            if value:
                raise ValueError(f"{flag} is for a neural aligner (simalign.v1, awesome.v1); {config.aligner} uses "
                                 "no model: leave it out")  # fmt: skip
    elif device:
        from projection.neural.hub import check_device

        check_device(device)


#: the options that set one neural-aligner setting a second way, beside ``--aligner-option KEY=``
_ALIGNER_SHORTHANDS = (("--align-model", "align_model", "model"), ("--align-layer", "align_layer", "layer"),
                       ("--align-method", "align_method", "method"))


def check_aligner_shorthands(args: argparse.Namespace, *, device: bool = False) -> None:
    """A setting given both by its own option (``--align-model``, ``--align-layer``, ``--align-method``; with
    ``device=True`` also ``--device``, where it is the aligner's alone) and by ``--aligner-option KEY=``: one of the
    two would be dropped without a word, so the pair is refused."""
    options = parse_aligner_options(getattr(args, "aligner_option", None))
    shorthands = _ALIGNER_SHORTHANDS + ((("--device", "device", "device"),) if device else ())
    for flag, dest, key in shorthands:
        if getattr(args, dest, None) is not None and key in options:
            raise ValueError(f"{flag} and --aligner-option {key}= set the same thing; give one of them")


def method_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The method options as ``SilverNERConfig`` fields (only those given)."""
    check_heuristic_options(args)
    options = parse_aligner_options(getattr(args, "aligner_option", None))
    out = dict(
        aligner=args.aligner, aligner_options=options or None, matcher=args.matcher, candidates=args.candidates,
        max_len=args.max_len, char_weight=args.char_weight, possible_weight=getattr(args, "possible_weight", None),
        drop_labels=tuple(args.drop_label) if getattr(args, "drop_label", None) else None, refine=refine_from_args(args),
    )  # fmt: skip
    if out["possible_weight"] is not None:
        check_weight("--possible-weight", out["possible_weight"], upper=1.0)
    return {k: v for k, v in out.items() if v is not None}


def config_from_args(args: argparse.Namespace, mode: str = "parallel", lang: str | None = None, **overrides: Any):
    """The mode's default ``ProjectionConfig`` for target language ``lang`` (``None``: ``args.lang`` where the
    command has one) with the given options applied."""
    check_heuristic_options(args)
    options = parse_aligner_options(getattr(args, "aligner_option", None))
    max_len = getattr(args, "max_len", None)
    if max_len is not None and max_len < 0:
        raise ValueError(f"--max-len must be ≥ 0 (0: unbounded), got {max_len}")
    possible = getattr(args, "possible_weight", None)
    if possible is not None:
        check_weight("--possible-weight", possible, upper=1.0)
    changes: dict[str, Any] = dict(
        aligner=getattr(args, "aligner", None),
        aligner_options=tuple(options.items()) if options else None,
        matcher=getattr(args, "matcher", None),
        candidates=getattr(args, "candidates", None),
        score_char=getattr(args, "char_weight", None),
        score_possible=possible,
        drop_labels=tuple(getattr(args, "drop_label", None) or ()) or None,
        refine=refine_from_args(args),
    )
    changes.update(overrides)
    given = getattr(args, "lang", None)  # project's, translate-test's and translate-train's --lang
    lang = check_lang(given, "--lang", warn=True) if lang is None else lang
    config = default_config(mode, lang, **changes)
    if max_len is not None:
        from dataclasses import replace

        config = replace(config, max_len=max_len or None)
    return config


def add_model_options(p: argparse.ArgumentParser, mode: str = "translate-test") -> None:
    d = ModelSettings()
    g = p.add_argument_group("models: a Hub id, ID@REVISION (a branch, tag or commit), or a local directory")
    g.add_argument("--mt-model", help=f"NLLB / M2M100 translation model (default {d.mt_model})")
    g.add_argument("--mt-lang-code", help="the MT model's code for --lang (for languages NLLB lacks: bbj, pcm)")
    g.add_argument("--translations", metavar="FILE", help="one translation per sentence, in order, instead of MT")
    g.add_argument("--num-beams", type=_positive_int("--num-beams"), help="beam size (default: the model's)")
    if mode == "translate-train":  # the English keeps its gold labels: the model only tags the translation (ner.v1)
        ner_help = f"token-classification model that tags the translation, for --candidates ner.v1 only (default {d.ner_model})"
    else:
        ner_help = f"English token-classification model (default {d.ner_model})"
    g.add_argument("--ner-model", help=ner_help)
    g.add_argument("--align-model", help=f"encoder of simalign.v1 / awesome.v1 (default {d.align_model})")
    g.add_argument("--align-layer", type=int, help="hidden layer of the alignment encoder (default 8)")
    g.add_argument("--align-method", choices=("itermax", "argmax", "match"), help="SimAlign method (default itermax)")
    g.add_argument("--drop-misc", choices=("after", "before"),
                   help="drop English MISC after matching (paper's code, default) or before projection")
    g.add_argument("--back-translation", action="store_true", help="marker back-translation refinement")
    g.add_argument("--bt-model", help=f"marker-trained MT model for --back-translation (default {d.bt_model})")
    g.add_argument("--bt-tokenizer", help=f"tokenizer of --bt-model ('' for its own; default {d.bt_tokenizer})")
    g.add_argument("--device", help="cpu, cuda, cuda:1 … (default: cuda when available)")
    g.add_argument("--batch-size", type=_positive_int("--batch-size"),
                   help="sentences per translation and tagging batch (default: 16 on CPU; on a GPU 128 for "
                        "translation and 64 for tagging, halved whenever the GPU runs out of memory); the alignment "
                        "encoder takes 32 on any device: --aligner-option batch_size=N")


def models_from_args(args: argparse.Namespace) -> ModelSettings:
    bt_tok = getattr(args, "bt_tokenizer", None)
    return ModelSettings().with_changes(
        mt_model=args.mt_model, ner_model=args.ner_model, align_model=args.align_model,
        back_translation=args.back_translation or None, bt_model=args.bt_model,
        device=args.device, batch_size=args.batch_size, drop_misc=args.drop_misc,
        translations_file=args.translations, mt_lang_code=args.mt_lang_code, num_beams=args.num_beams,
        cache_dir=getattr(args, "cache_dir", None),
    ) if bt_tok is None else _with_bt_tok(args, bt_tok)  # fmt: skip


def _with_bt_tok(args, bt_tok: str) -> ModelSettings:
    from dataclasses import replace

    args_copy = argparse.Namespace(**{**vars(args), "bt_tokenizer": None})
    return replace(models_from_args(args_copy), bt_tokenizer=bt_tok or None)


def neural_aligner_options(args: argparse.Namespace) -> list[str]:
    """``--align-layer``/``--align-method`` as aligner options (only where given)."""
    out = []
    if getattr(args, "align_layer", None) is not None:
        out.append(f"layer={args.align_layer}")
    if getattr(args, "align_method", None) is not None:
        out.append(f"method={args.align_method}")
    return out
