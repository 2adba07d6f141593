"""The stage lists of the three modes. Entry points call one of these, then ``projection.runner.run``.

- ``parallel_plan``: labelled source + target sentences -> [align] -> project (``project``, ``demo``, the
  ``europarl-ner.*`` / ``uner-pud.*`` configs). With given alignments there is no alignment stage.
- ``translate_test_plan``: gold target sentences -> translate to English -> tag -> [back-translate] -> align
  -> project (``translate-test``, ``masakhaner2.*`` / ``xtreme.*`` configs).
- ``translate_train_plan``: labelled English -> translate to the target -> [back-translate] -> align ->
  project (``translate-train``, ``translate-train.*`` configs).

Defaults come from ``projection.options`` (one default method per mode).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from projection.cache import Store, cache_root
from projection.config import ProjectionConfig
from projection.options import ModelSettings, default_config
from projection.signature import Part, content_hash
from projection.stages.align import AlignStage, CorpusAlignStage
from projection.stages.base import Source, Stage
from projection.stages.project import ProjectStage
from projection.stages.read import PairsSource, english_pairs, mode_field, model_input, parallel_pairs, target_pairs
from projection.types import Alignment, Sentence

NEURAL_ALIGNERS = ("simalign", "awesome")


@dataclass(frozen=True)
class Plan:
    """What to run: a source and its stages (sinks and the executor are the caller's)."""

    mode: str
    source: Source
    stages: tuple[Stage, ...]


def _config(config, mode: str, lang: str | None = None) -> ProjectionConfig:
    """``config``, or the default of ``mode`` for ``None``; anything else is refused by name (found in review: a dict
    or a str failed later with an ``AttributeError``)."""
    if config is None:
        return default_config(mode, lang)
    if not isinstance(config, ProjectionConfig):
        raise TypeError(f"config must be a ProjectionConfig (ProjectionConfig(...) or default_config({mode!r}, ...)), "
                        f"got a {type(config).__name__}")  # fmt: skip
    return config


def _models(models) -> ModelSettings:
    if models is None:
        return ModelSettings()
    if not isinstance(models, ModelSettings):
        raise TypeError(f"models must be a ModelSettings, got a {type(models).__name__}")
    if models.translations_file and not models.back_translation:
        # as the CLI refuses --num-beams/--mt-lang-code with --translations (found in review: accepted here, ignored)
        for name in ("num_beams", "mt_lang_code"):
            if getattr(models, name) is not None:
                raise ValueError(f"{name} would do nothing with translations_file, which replaces machine "
                                 "translation, and without back_translation: leave it out")  # fmt: skip
    return models


def _root(cache_dir: str | os.PathLike | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else cache_root()


def is_neural(config: ProjectionConfig) -> bool:
    return config.aligner.split(".")[0] in NEURAL_ALIGNERS


def takes_extra(config: ProjectionConfig) -> bool:
    from projection.options import aligner_option_names

    return "extra" in aligner_option_names(config.aligner)


def align_stage(
    config: ProjectionConfig,
    *,
    extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (),
    models: ModelSettings | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
) -> AlignStage | CorpusAlignStage:
    """The alignment stage of ``config``: a neural aligner reads its model from ``models``; a statistical
    one trains on the split plus ``extra``."""
    from projection.align.base import ALIGNERS, get_aligner

    if ALIGNERS.resolve(config.aligner) == "fixed.v1":
        raise ValueError("aligner fixed.v1 only holds given links: give them (alignments=…, --alignments FILE), or "
                         "choose an aligner that aligns (eflomal.v1, fastalign.v1, simalign.v1, awesome.v1)")  # fmt: skip
    options = dict(config.aligner_options)
    neural = is_neural(config)
    if extra and (neural or not takes_extra(config)):  # a neural aligner trains on nothing: it would drop the text
        raise ValueError(f"aligner {config.aligner} does not train on extra parallel text (--align-corpus)")
    if neural:
        models = models or ModelSettings()
        options.setdefault("model", models.align_model)
        if models.device:
            options.setdefault("device", models.device)
    elif extra:
        options["extra"] = extra  # the aligner checks it (a sentence given as a string is refused) and copies it
    aligner = get_aligner(config.aligner, **options)
    store = Store("alignments", _root(cache_dir)) if use_cache else None
    return AlignStage(aligner, store=store) if neural else CorpusAlignStage(aligner, store=store)


def default_extra(lang: str, config: ProjectionConfig) -> tuple:
    """Extra aligner training text shipped with the package for ``lang`` (NTREX-128 de/es/it) when the
    aligner learns from text; nothing otherwise."""
    from projection.io.package_data import ntrex_bitext

    return ntrex_bitext(lang) if takes_extra(config) else ()


def _check_target_spans(config: ProjectionConfig, given: bool) -> None:
    """``ner.v1`` candidates are spans a model found on the target: in the parallel mode only given ones (before any
    work, not when the first pair is projected); given ones with other candidates would do nothing."""
    ner = tags_target(config)
    if given and not ner:
        method = "the heuristic" if config.is_heuristic else f"candidates {config.candidates}"
        raise ValueError(f"target_spans are the candidates of ner.v1, and {method} would not read them: pass "
                         "candidates='ner.v1' or leave target_spans out")  # fmt: skip
    if ner and not given:
        raise ValueError("the ner.v1 candidates are spans an NER model found on the target, and the parallel mode "
                         "runs no model and was given no such spans (target_spans=, from Python only): choose "
                         "candidates linked.v1 (the default), aligned.v1 or ngrams.v1, or translate-test/translate-train, "
                         "which tag the target")  # fmt: skip


def parallel_plan(
    sources: Sequence[Sentence],
    targets: Sequence[Sentence | Sequence[str]],
    config: ProjectionConfig | None = None,
    *,
    alignments: Sequence[Alignment] | None = None,
    alignments_origin: str = "",
    target_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (),
    data: Part | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    models: ModelSettings | None = None,
) -> Plan:
    """Project gold source labels onto targets; ``alignments`` given: used as they are (the signature names
    their content hash), else the configured aligner aligns (and caches) the corpus."""
    config = _config(config, "parallel")
    if target_spans is not None and hasattr(target_spans, "__len__") and not isinstance(target_spans, str):
        # read once: the signature hashes them and the pairs hold them, and an iterator read twice (found in review)
        # gave the pairs its spans and the signature the hash of none (other spans, one signature)
        target_spans = [tuple(map(tuple, spans)) for spans in target_spans]
    _check_target_spans(config, target_spans is not None)
    if alignments is not None and extra:
        raise ValueError("extra trains the aligner, which does not run with given alignments; leave one out")
    pairs = parallel_pairs(sources, targets, alignments, target_spans)
    fields = [mode_field("parallel")]
    if data is not None:
        fields.append(("data", data))
    stages: list[Stage] = []
    if target_spans is not None:  # given candidates change the output as given links do: named by their content
        from projection.signature import content_hash

        spans_text = "\n".join(" ".join(f"{a}-{b}" for a, b in sorted(map(tuple, s))) for s in target_spans)
        fields.append(("spans", Part.of("given", sha=content_hash(spans_text)[:10])))
    if alignments is not None:
        from projection.align.fixed import FixedAligner

        fields.append(("aligner", Part.parse(FixedAligner(alignments, origin=alignments_origin).signature())))
    else:
        stages.append(align_stage(config, extra=extra, models=models, cache_dir=cache_dir, use_cache=use_cache))
    stages.append(ProjectStage(config))
    return Plan("parallel", PairsSource(pairs, tuple(fields)), tuple(stages))


def file_plan(
    source_path: str | os.PathLike,
    target_path: str | os.PathLike,
    config: ProjectionConfig | None = None,
    *,
    alignments_path: str | os.PathLike | None = None,
    extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (),
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    models: ModelSettings | None = None,
    target_format: str = "auto",
    conll_out: bool = False,
) -> Plan:
    """``parallel_plan`` over files, streamed (``FilePairsSource``): with ``alignments_path`` no stage holds
    more than a chunk, so memory stays flat in corpus size. ``conll_out``: the target's tokens are written to CoNLL
    (``silver-ner project --out``), so a plain target's token that CoNLL cannot hold is refused while reading."""
    from projection.align.fixed import file_digest
    from projection.stages.read import FilePairsSource

    config = _config(config, "parallel")
    _check_target_spans(config, False)
    fields = [mode_field("parallel")]
    stages: list[Stage] = []
    if alignments_path is not None:
        fields.append(("aligner", Part.of("fixed.v1", sha=file_digest(alignments_path))))
    else:
        stages.append(align_stage(config, extra=extra, models=models, cache_dir=cache_dir, use_cache=use_cache))
    stages.append(ProjectStage(config))
    source = FilePairsSource(source_path, target_path, alignments_path, drop_labels=config.drop_labels,
                             fields=tuple(fields), target_format=target_format, conll_out=conll_out)  # fmt: skip
    return Plan("parallel", source, tuple(stages))


def _translator(models: ModelSettings, lang: str, cache_dir, progress: bool, *, bt: bool = False):
    from projection.neural.cache import TranslationCache
    from projection.neural.translate import Translator

    cache = TranslationCache(_root(cache_dir) / "translations")
    codes = ((lang, models.mt_lang_code),) if models.mt_lang_code else ()
    if bt:
        return Translator(models.bt_model, tokenizer=models.bt_tokenizer, device=models.device,
                          batch_size=models.batch_size, num_beams=models.num_beams, cache=cache, lang_codes=codes,
                          option="--bt-model", tokenizer_option="--bt-tokenizer", role="back-translation",
                          progress=progress)  # fmt: skip
    return Translator(models.mt_model, device=models.device, batch_size=models.batch_size,
                      num_beams=models.num_beams, cache=cache, lang_codes=codes, progress=progress)  # fmt: skip


def _translations(models: ModelSettings, n: int) -> tuple[list[str], Part] | None:
    if not models.translations_file:
        return None
    path = Path(models.translations_file)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise ValueError(f"--translations {path}: cannot read ({err.strerror})") from None
    from projection.io.lines import BOM, text_lines

    if text.startswith(BOM):  # as every other reader: an editor's byte-order mark is no part of the first line
        text = text[len(BOM) :]
    lines = text_lines(text)
    if len(lines) != n:
        raise ValueError(f"{path}: {len(lines)} lines but {n} sentences to translate; give one translation per "
                         f"sentence, in order (with the same --limit)")  # fmt: skip
    return lines, Part.of("file", sha=content_hash(text)[:16])


def _check_conll_words(words: Sequence[Sequence[str]], path) -> None:
    """A ``ValueError`` naming ``path:line`` for a word of a translations file that the CoNLL output cannot hold
    (found in review: ``-DOCSTART-`` failed the run at writing, after the alignment, naming the English file's line)."""
    from projection.io.conll_write import unwritable

    first = True  # the output's first word: its first sentence is the first non-empty line
    for k, line in enumerate(words):
        found = unwritable(line, first=first)
        if found is not None:
            token, why = found
            raise ValueError(f"{path}:{k + 1}: word {token!r} cannot be written to the CoNLL output ({why}); "
                             "change or remove it in the translations file")  # fmt: skip
        first = first and not line


def tags_target(config: ProjectionConfig) -> bool:
    """Whether the method runs an NER model on the target: ``ner.v1`` candidates (the heuristic takes none)."""
    return config.candidates.startswith("ner") and not config.is_heuristic


def _model_stages(config, models, lang, cache_dir, progress, use_cache, ner=None) -> tuple[list[Stage], ProjectStage]:
    """[tag?] … the shared tail of both model modes: back-translation, alignment, projection."""
    from projection.stages.neural import BackTranslateStage, TargetSpansStage

    stages: list[Stage] = []
    if models.back_translation:
        stages.append(BackTranslateStage(_translator(models, lang, cache_dir, progress, bt=True), lang))
    if tags_target(config):
        stages.append(TargetSpansStage(ner if ner is not None else _ner(models, progress)))
    stages.append(align_stage(config, models=models, cache_dir=cache_dir, use_cache=use_cache))
    drop_after = ("MISC",) if models.drop_misc == "after" else ()
    return stages, ProjectStage(config, drop_after=drop_after)


def _ner(models: ModelSettings, progress: bool):
    from projection.neural.ner import WordNer

    return WordNer(models.ner_model, device=models.device, batch_size=models.batch_size, progress=progress)


def translate_test_plan(
    sentences: Sequence[Sentence],
    lang: str,
    config: ProjectionConfig | None = None,
    models: ModelSettings | None = None,
    *,
    data: Part | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = True,
) -> Plan:
    """Label gold target sentences through English: MT to English, English NER, project back."""
    from projection.neural.text import english_words
    from projection.stages.neural import TagStage, TranslateStage

    config = _config(config, "translate-test", lang)
    models = _models(models)
    sentences = model_input(sentences, "sentences", "target", labelled=False)  # before any work (found in review)
    cache_dir = cache_dir if cache_dir is not None else models.cache_dir
    fields = [mode_field("translate-test")]
    if data is not None:
        fields.append(("data", data))
    given = _translations(models, len(sentences))
    stages: list[Stage] = []
    counts = {}
    if given is not None:
        pairs = target_pairs(sentences, [english_words(t) for t in given[0]])
        counts["empty_translations"] = sum(not p.source.tokens for p in pairs)  # kept, unlabelled: as TranslateStage
        fields.append(("mt", given[1]))
    else:
        pairs = target_pairs(sentences)
        stages.append(TranslateStage(_translator(models, lang, cache_dir, progress), lang, to_english=True))
    ner = _ner(models, progress)  # the tagger and ner.v1 candidates share one model
    stages.append(TagStage(ner, drop_misc=models.drop_misc))
    tail, project = _model_stages(config, models, lang, cache_dir, progress, use_cache, ner)
    return Plan("translate-test", PairsSource(pairs, tuple(fields), counts=counts), (*stages, *tail, project))


def translate_train_plan(
    english: Sequence[Sentence],
    lang: str,
    config: ProjectionConfig | None = None,
    models: ModelSettings | None = None,
    *,
    data: Part | None = None,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = True,
    conll_out: bool = False,
) -> Plan:
    """Translate labelled English into ``lang`` and project its gold labels onto the translation. ``conll_out``: the
    target's words are written to CoNLL (``silver-ner translate-train --out``), so a ``translations_file`` word that
    CoNLL cannot hold is refused here, naming its line, before any work."""
    from projection.neural.text import split_words
    from projection.stages.neural import TranslateStage

    config = _config(config, "translate-train", lang)
    models = _models(models)
    english = model_input(english, "english", "English", labelled=True)  # before any work (found in review)
    cache_dir = cache_dir if cache_dir is not None else models.cache_dir
    if models.drop_misc == "before":
        from projection.tags import LabelMap

        misc = LabelMap(frozenset({"MISC"}))
        # `is not None`, not the tags' truth value: tags in a numpy array have none (found in review)
        english = [Sentence(s.tokens, None if s.tags is None else tuple(misc.apply(s.tags)), s.id) for s in english]
    fields = [mode_field("translate-train")]
    if data is not None:
        fields.append(("data", data))
    fields.append(("gold", Part.of("english", misc=f"drop-{models.drop_misc}")))
    given = _translations(models, len(english))
    stages: list[Stage] = []
    counts = {}
    if given is not None:
        words = [split_words(t, lang) for t in given[0]]
        if conll_out:
            _check_conll_words(words, models.translations_file)
        pairs = [p for p in english_pairs(english, words) if p.target.tokens]
        # an empty line has nothing to label: left out and counted, as TranslateStage counts an empty translation
        counts["empty_translations"] = len(english) - len(pairs)
        fields.append(("mt", given[1]))
    else:
        pairs = english_pairs(english)
        stages.append(TranslateStage(_translator(models, lang, cache_dir, progress), lang, to_english=False))
    tail, project = _model_stages(config, models, lang, cache_dir, progress, use_cache)
    return Plan("translate-train", PairsSource(pairs, tuple(fields), counts=counts), (*stages, *tail, project))


def check_models(config: ProjectionConfig, models: ModelSettings, *, tagger: bool = True,
                 translation: bool = True) -> None:
    """Fail fast (before data is loaded) when a model the run needs cannot be had."""
    from projection.neural.hub import check_model

    if translation and not models.translations_file:
        check_model(models.mt_model, role="translation", option="--mt-model")
    if tagger or tags_target(config):
        check_model(models.ner_model, role="NER", option="--ner-model")
    if models.back_translation:
        check_model(models.bt_model, role="back-translation", option="--bt-model")
        if models.bt_tokenizer:
            check_model(models.bt_tokenizer, role="back-translation tokenizer", option="--bt-tokenizer")
    if is_neural(config):
        options = dict(config.aligner_options)
        # the option that named the model: --aligner-option model= wins over --align-model (make_align_stage)
        option = "--aligner-option model=" if "model" in options else "--align-model"
        check_model(options.get("model", models.align_model), role="alignment", option=option)


def with_model_defaults(config: ProjectionConfig, models: ModelSettings) -> ProjectionConfig:
    """``config`` with a neural aligner's ``model`` filled from ``models`` (what the alignment stage uses)."""
    if not is_neural(config):
        return config
    options = dict(config.aligner_options)
    options.setdefault("model", models.align_model)
    return replace(config, aligner_options=tuple(sorted(options.items())))


def project_corpus(
    sources: Sequence[Sentence],
    targets: Sequence[Sentence | Sequence[str]],
    config: ProjectionConfig | None = None,
    *,
    alignments: Sequence[Alignment] | None = None,
    target_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    extra: Sequence[tuple[Sequence[str], Sequence[str]]] = (),
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = True,
    executor=None,
):
    """Project the gold spans of ``sources`` onto ``targets`` in one call (``parallel_plan`` + ``run``);
    returns the ``Run`` (``run.tags``, ``run.alignments``, ``run.projected``, ``run.signature``)."""
    from projection.runner import run

    plan = parallel_plan(sources, targets, config, alignments=alignments, target_spans=target_spans, extra=extra,
                         cache_dir=cache_dir, use_cache=use_cache)  # fmt: skip
    return run(plan.source, plan.stages, executor=executor, progress=progress)
