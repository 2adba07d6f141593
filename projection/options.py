"""The one table of defaults: one default method per mode, the default models, and option validation.

Every entry point (``silver-ner project``/``demo``/``translate-test``/``translate-train``/``build``, the
datasets builder, ``push.py``, the benchmarks) takes its defaults from here, so one task has one default.

| mode              | inputs                                   | aligner                                  | candidates   | score                            | matcher |
|-------------------|------------------------------------------|------------------------------------------|--------------|----------------------------------|---------|
| ``parallel``      | labelled source + target sentences       | eflomal.v1 (runs=2, stem=4 from a glued name, name prior 10, soft; for Germanic and Romance targets also similar_names=0.5, possible_votes=2), + NTREX-128 text where shipped | linked.v1 | align=1, possible=0.3, char=0.5 | greedy, then refine anchor.v1 (for MasakhaNER2 targets, then trim.v1) |
| ``translate-test``| gold target sentences (MT to English, NER) | simalign.v1 (mBERT, layer 8, itermax)   | ngrams.v1 ≤ 10 | align=1, possible=0.3, char=0.5 | greedy |
| ``translate-train``| labelled English (MT to the target)     | simalign.v1 (mBERT, layer 8, itermax)    | ngrams.v1 ≤ 10 | align=1, possible=0.3, char=0.5 | greedy |

Where each choice was made is stated in ``benchmarks/README.md``.
"""

from __future__ import annotations

import inspect
import logging
import math
import os
import sys
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

MODES = ("parallel", "translate-test", "translate-train")

DEFAULT_MT_MODEL = "facebook/nllb-200-3.3B"
DEFAULT_NER_MODEL = "FacebookAI/xlm-roberta-large-finetuned-conll03-english"
DEFAULT_ALIGN_MODEL = "google-bert/bert-base-multilingual-cased"
DEFAULT_BT_MODEL = "ychenNLP/nllb-200-3.3B-easyproject"
DEFAULT_BT_TOKENIZER = "facebook/nllb-200-3.3B"

#: default options of each aligner (any mode); a neural aligner's ``model`` comes from the model settings
ALIGNER_DEFAULTS: dict[str, tuple[tuple[str, Any], ...]] = {
    "eflomal.v1": (("name_prior", 10.0), ("runs", 2), ("stem", 4), ("stem_from", "name"), ("symmetrize", "soft")),
    "fastalign.v1": (("stem", 4), ("symmetrize", "soft")),
    "simalign.v1": (("layer", 8), ("method", "itermax")),
    "awesome.v1": (("layer", 8),),
}

#: Germanic and Romance languages written in Latin script, by ISO 639-1, 639-3 and 639-2/B code: the families of the
#: parallel mode's two development sets (German, French); the group of ``LANGUAGE_ALIGNER_DEFAULTS``
GERMANIC_ROMANCE_LATN = frozenset({"af", "afr", "de", "deu", "ger", "es", "spa", "fr", "fra", "fre", "it", "ita",
                                   "nl", "nld", "dut", "pt", "por"})  # fmt: skip

#: options that a target language adds to an aligner's ``ALIGNER_DEFAULTS``: per aligner, (languages, options).
#: Chosen on the gold de-en / en-fr alignment sets (benchmarks/README.md: *A default per language group*); every
#: other language, the MasakhaNER2 ones among them, keeps ``ALIGNER_DEFAULTS``, chosen on MasakhaNER2 dev.
LANGUAGE_ALIGNER_DEFAULTS: dict[str, tuple[tuple[frozenset[str], tuple[tuple[str, Any], ...]], ...]] = {
    "eflomal.v1": ((GERMANIC_ROMANCE_LATN, (("possible_votes", 2), ("similar_names", 0.5))),),
}

#: the 20 MasakhaNER2 languages, by ISO 639-3 code and 639-1 where one exists: the group of ``LANGUAGE_REFINE_DEFAULTS``
MASAKHANER2_GROUP = frozenset({"bam", "bm", "bbj", "ewe", "ee", "fon", "hau", "ha", "ibo", "ig", "kin", "rw", "lug",
                               "lg", "luo", "mos", "nya", "ny", "pcm", "sna", "sn", "swa", "sw", "tsn", "tn", "twi",
                               "tw", "wol", "wo", "xho", "xh", "yor", "yo", "zul", "zu"})  # fmt: skip

#: the refinements a target language gives a mode instead of ``DEFAULT_METHODS``' own: per mode, (languages,
#: refinements). ``trim.v1`` for the MasakhaNER2 languages, chosen on MasakhaNER2 dev (benchmarks/README.md: *0.6.0*)
LANGUAGE_REFINE_DEFAULTS: dict[str, tuple[tuple[frozenset[str], tuple[str, ...]], ...]] = {
    "parallel": ((MASAKHANER2_GROUP, ("anchor.v1", "trim.v1")),),
}

_SCORE = {"align": 1.0, "char": 0.5, "possible": 0.3}

#: the default method of each mode, as ``ProjectionConfig`` fields (see the table above)
DEFAULT_METHODS: dict[str, dict[str, Any]] = {
    "parallel": {"aligner": "eflomal.v1", "candidates": "linked.v1", "max_len": None, "matcher": "greedy",
                 "score": _SCORE, "refine": ("anchor.v1",)},
    "translate-test": {"aligner": "simalign.v1", "candidates": "ngrams.v1", "max_len": 10, "matcher": "greedy",
                       "score": _SCORE, "refine": ()},
    "translate-train": {"aligner": "simalign.v1", "candidates": "ngrams.v1", "max_len": 10, "matcher": "greedy",
                        "score": _SCORE, "refine": ()},
}


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
    return mode


def resolve_aligner(name: str) -> str:
    from projection.align.base import ALIGNERS

    return ALIGNERS.resolve(name)


def check_lang(lang: str | None, option: str = "lang", *, warn: bool = False) -> str | None:
    """A target language code as given (``None``: unknown); ``ValueError`` for what is not an ISO 639 code (the
    message names ``option``). ``warn``: log a code silver-ner does not know (not a PAN-X, MasakhaNER2 or group
    code), which gets the language-independent defaults, as a typo would."""
    if lang is None:
        return None
    if not (isinstance(lang, str) and 2 <= len(lang) <= 3 and lang.isascii() and lang.isalpha() and lang.islower()):
        raise ValueError(f"{option} takes an ISO 639-1 or 639-3 code in lower case, such as de or deu, got {lang!r}")
    if warn and lang not in GERMANIC_ROMANCE_LATN and lang not in MASAKHANER2_GROUP:
        from projection.neural.langs import ALL_LANGS

        if lang not in ALL_LANGS:
            logging.getLogger(__name__).warning(
                "%s %s is not a language silver-ner knows (PAN-X, MasakhaNER2 and Germanic/Romance group codes): "
                "the language-independent defaults apply", option, lang)  # fmt: skip
    return lang


def default_aligner_options(name: str, lang: str | None = None) -> tuple[tuple[str, Any], ...]:
    """The default options of the aligner ``name`` (full name or alias) for target language ``lang``
    (``None``: the language-independent default); none for unlisted aligners."""
    full = resolve_aligner(name)
    options = dict(ALIGNER_DEFAULTS.get(full, ()))
    if check_lang(lang) is not None:
        for langs, extra in LANGUAGE_ALIGNER_DEFAULTS.get(full, ()):
            if lang in langs:
                options.update(extra)
    return tuple(options.items())


def default_refine(mode: str, lang: str | None = None) -> tuple[str, ...]:
    """The default refinements of ``mode`` for target language ``lang`` (``None``: the language-independent ones)."""
    refine = DEFAULT_METHODS[check_mode(mode)]["refine"]
    if check_lang(lang) is not None:
        for langs, own in LANGUAGE_REFINE_DEFAULTS.get(mode, ()):
            if lang in langs:
                refine = own
    return tuple(refine)


def _fill_defaults(name: str, lang: str | None, given: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """``given`` aligner options on top of the defaults for ``lang``. A language's option is left out where the
    given ones leave it nothing to act on: ``possible_votes`` counts the soft vote of 2 or more samples (not with
    ``runs=1`` or another ``symmetrize``), ``similar_names`` extends the name prior (not with ``name_prior=0``)."""
    base = dict(default_aligner_options(name))
    options = {**dict(default_aligner_options(name, lang)), **given}
    needs = {"possible_votes": lambda o: _whole(o.get("runs")) >= 2 and o.get("symmetrize") == "soft",
             "similar_names": lambda o: bool(o.get("name_prior"))}  # fmt: skip
    for key, ok in needs.items():
        if key in options and key not in given and key not in base and not ok(options):
            del options[key]
    return tuple(options.items())


def _aligner_params(name: str) -> dict[str, inspect.Parameter]:
    """The keyword parameters of the aligner ``name``'s constructor (empty when they cannot be seen)."""
    from projection.align.base import ALIGNERS

    factory = ALIGNERS.get(resolve_aligner(name))
    target = factory
    params = inspect.signature(factory).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):  # a lazy factory: inspect the class behind it
        make_class = getattr(sys.modules[factory.__module__], "_aligner_class", None)
        if make_class is None:
            return {}
        target = make_class().__init__
        params = inspect.signature(target).parameters
    return {k: p for k, p in params.items() if k != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def aligner_option_names(name: str) -> tuple[str, ...]:
    """The settings the aligner ``name`` accepts (its constructor's keyword parameters)."""
    return tuple(_aligner_params(name))


def _fits(annotation: Any, value: Any) -> bool:
    """Whether ``value`` has a type the parameter's annotation names (``int | None``, ``float``, ``bool``,
    ``str``, ``tuple[int, int, int] | None``); an unannotated parameter takes anything. An int fits a float,
    a bool fits only a bool, and NaN or infinity fit nothing. An annotation that is not a string (a module without
    postponed annotations) is read as its source would spell it (``int``, ``int | None``)."""
    if annotation is inspect.Parameter.empty:
        return True
    if not isinstance(annotation, str):
        annotation = annotation.__name__ if isinstance(annotation, type) else str(annotation).replace("typing.", "")
    kinds = {part.strip().split("[")[0] for part in annotation.split("|")}
    if value is None:
        return "None" in kinds
    if isinstance(value, bool):
        return "bool" in kinds
    if isinstance(value, int):
        return bool(kinds & {"int", "float"})
    if isinstance(value, float):
        return "float" in kinds and math.isfinite(value)
    if isinstance(value, str):
        return "str" in kinds
    if isinstance(value, tuple):
        return "tuple" in kinds and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
    return False


def check_aligner_options(name: str, options: Mapping[str, Any]) -> None:
    """``ValueError`` for an option the aligner does not take, listing the valid ones, or for a value of another
    type than the setting's (``tune_diagonal="0"`` would sign as ``tune=0`` and run as true: the cache would then
    give its links to the default)."""
    params = _aligner_params(name)
    if not params:
        return
    internal = {"extra", "encoder"}  # passed by the runner, not by users
    bad = sorted(k for k in options if k not in params or k in internal)
    if bad:
        names = ", ".join(k for k in params if k not in internal)
        raise ValueError(f"aligner {resolve_aligner(name)} has no option {', '.join(map(repr, bad))}; valid: {names}")
    for key, value in options.items():
        annotation = params[key].annotation
        if not _fits(annotation, value):
            # the hint that fits the value: a list for a tuple setting given otherwise (found in review: iterations=0
            # and iterations=0,0,0 were told "numbers must be finite"), finiteness for NaN or infinity only
            if isinstance(value, float) and not math.isfinite(value):
                hint = " (numbers must be finite)"
            elif "tuple" in str(annotation) and not isinstance(value, (tuple, list)):
                hint = f" (give a list of integers: {key}=[…])"
            else:
                hint = ""
            raise ValueError(f"aligner {resolve_aligner(name)} option {key} takes {annotation}, got {value!r}{hint}")


def check_labels_present(option: str, labels: Sequence[str], types: Sequence[str], where: str) -> None:
    """``ValueError`` for ``labels`` (given as ``option``) that are not among ``types``, the entity types found
    ``where`` (a typo in ``--drop-label ORGS`` would drop nothing)."""
    unknown = [x for x in labels if x not in types]
    if unknown:
        raise ValueError(f"{option} {', '.join(unknown)}: no such entity type in {where} "
                         f"(its types: {', '.join(types) or 'none'})")  # fmt: skip


def is_heuristic(matcher: Any) -> bool:
    """Whether ``matcher`` (a name or alias, any version) is the word-alignment heuristic."""
    return isinstance(matcher, str) and matcher.split(".")[0] == "heuristic"


def refuse_unused_by_heuristic(unused: Sequence[str], matcher: str = "matcher") -> None:
    """A ``ValueError`` naming the options in ``unused``, given with the heuristic matcher (named as ``matcher``: the
    field, or ``--matcher``), which projects through the links alone and would ignore them; none when it is empty."""
    if unused:
        verb = "has" if len(unused) == 1 else "have"
        raise ValueError(f"{matcher} heuristic projects through the links alone: {', '.join(unused)} {verb} no effect "
                         "on it; leave it out")  # fmt: skip


def check_weight(name: str, value: float, *, upper: float | None = None) -> float:
    """A finite, non-negative weight (at most ``upper``); NaN and negatives are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}")
    if upper is not None and value > upper:
        raise ValueError(f"{name} must be at most {upper:g}, got {value!r}")
    return float(value)


def _whole(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def default_config(mode: str = "parallel", lang: str | None = None, **changes: Any):
    """The default ``ProjectionConfig`` of ``mode`` for target language ``lang`` (``None``: the
    language-independent default) with ``changes`` applied (``None`` changes are ignored, so passing an option's
    default value changes nothing). ``score_*`` keys change one score weight: ``score_char=0.5``,
    ``score_possible=0.3``, ``score_align=1``. With ``matcher="heuristic"``, ``candidates``, ``max_len``, ``window``
    and ``score_*`` are refused (the heuristic uses none of them), as the CLI refuses their options; ``ner.v1``
    candidates take no ``max_len`` (the mode's n-gram length is not carried over to them). ``lang`` changes the aligner's default options
    (``LANGUAGE_ALIGNER_DEFAULTS``) and the default refinements (``LANGUAGE_REFINE_DEFAULTS``)."""
    from projection.config import ProjectionConfig
    from projection.scores import ScoreConfig

    fields = dict(DEFAULT_METHODS[check_mode(mode)])
    fields["refine"] = default_refine(mode, lang)
    score = dict(fields.pop("score"))
    scored = []  # the score_* changes given
    for key in list(changes):
        if key.startswith("score_"):
            value = changes.pop(key)
            if value is not None:
                score[key[6:]] = value
                scored.append(key)
    given = {k: v for k, v in changes.items() if v is not None}
    matcher, candidates = given.get("matcher", fields["matcher"]), given.get("candidates", fields["candidates"])
    if is_heuristic(matcher):
        # found in review: refused by the CLI (--candidates, --max-len, --char-weight, --possible-weight), accepted
        # here and by a builder config (SilverNERConfig), where they changed nothing
        refuse_unused_by_heuristic([k for k in ("candidates", "max_len", "window") if k in given] + scored)
    elif isinstance(candidates, str) and candidates.split(".")[0] == "ner" and "max_len" not in given:
        fields["max_len"] = None  # the mode's n-gram length is no setting of the NER model's spans
    if "refine" in given and not isinstance(given["refine"], str):  # a str: ProjectionConfig says so
        given["refine"] = tuple(given["refine"])
    aligner, options = given.get("aligner", fields["aligner"]), given.get("aligner_options", ())
    if not isinstance(options, str):  # a str: ProjectionConfig says what it takes
        # a list value (``--aligner-option iterations=[1,1,1]``: JSON has no tuple) is the tuple the setting takes,
        # as ProjectionConfig makes it; checked as a list, it was refused ("takes tuple[int, int, int]")
        options = {k: tuple(v) if isinstance(v, list) else v for k, v in dict(options).items()}
        given["aligner_options"] = _fill_defaults(aligner, lang, options)  # which checks lang
        # checked here, where the options were given for this very aligner: ProjectionConfig's own error adds advice
        # for dataclasses.replace (aligner_options=None), which told a CLI user of --aligner-option something false
        check_aligner_options(aligner, dict(given["aligner_options"]))
    fields.update(given)
    return ProjectionConfig(score=ScoreConfig(**score), **fields)


@dataclass(frozen=True)
class ModelSettings:
    """Models and runtime options of the model-based modes. ``batch_size`` and ``cache_dir`` stay out of the
    signature; so does ``device``, except that a translation model on a GPU runs in bf16, whose translations can
    differ from fp32 ones on CPU, and the signature then says ``dtype=bf16`` (README, *Reproducibility*; in bf16 a
    batch's padding can, rarely, change a translation too: *Limits*). ``batch_size=None`` picks by device
    (``batch_size_for``).

    ``translations_file``: one translation per sentence, in order, instead of machine translation.
    ``drop_misc``: ``"after"`` (the paper's code) keeps English MISC while matching and removes MISC spans
    from the output; ``"before"`` removes MISC from the English side first.
    """

    mt_model: str = DEFAULT_MT_MODEL
    ner_model: str = DEFAULT_NER_MODEL
    align_model: str = DEFAULT_ALIGN_MODEL
    back_translation: bool = False
    bt_model: str = DEFAULT_BT_MODEL
    bt_tokenizer: str | None = DEFAULT_BT_TOKENIZER
    device: str | None = None
    batch_size: int | None = None
    cache_dir: str | None = None
    drop_misc: str = "after"
    translations_file: str | None = None
    mt_lang_code: str | None = None
    num_beams: int | None = None

    def __post_init__(self) -> None:
        if self.drop_misc not in ("before", "after"):
            raise ValueError(f"drop_misc must be 'before' or 'after', got {self.drop_misc!r}")
        if not isinstance(self.back_translation, bool):  # a truthy "no" or "false" ran the back-translation
            raise ValueError(f"back_translation must be True or False, got {self.back_translation!r}")
        for name, what in (("batch_size", "a positive integer or None (by device)"),
                           ("num_beams", "a positive integer or None")):  # fmt: skip
            value = getattr(self, name)  # True is an int: it ran as 1
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be {what}, got {value!r}")
        for name in ("mt_model", "ner_model", "align_model", "bt_model"):
            if not getattr(self, name) or not isinstance(getattr(self, name), (str, os.PathLike)):
                raise ValueError(f"{name} must name a Hub model id or a local directory, got {getattr(self, name)!r}")

    def with_changes(self, **changes: Any) -> "ModelSettings":
        """A copy with the non-``None`` ``changes`` applied (an option given its default changes nothing)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
