"""Model stages: machine translation, English NER, NER spans on the target, back-translation.

Each holds a lazily loaded model (``uses_model``): the runner keeps it in the driver process, so a model is
loaded once per run and never in a forked worker. Their signature fields name the model and every setting
that changes the output (``mt``, ``ner``, ``bt``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Sequence

from projection.signature import Part
from projection.stages.base import Fields, Stage
from projection.tags import LabelMap
from projection.types import Pair, Sentence

_MISC = LabelMap(frozenset({"MISC"}))


def model_part(identity: str, **options) -> Part:
    return Part.of(identity, **options)


def _bf16(translator) -> str | None:
    """``"bf16"`` for a translator whose model runs in bf16 (on a GPU), as this process sees it; ``None`` (not
    signed, the signature of earlier versions) for fp32. A Ray driver without a GPU signs fp32 for workers that
    translate on GPUs: the README says so."""
    return "bf16" if translator.precision() == "bf16" else None


def _split_warning(n: int, translator) -> list[str]:
    """The translator's warning about sentences over its model's input limit, once per run with the run's total
    (inside a run the translator leaves its per-batch warning out: ``projection.runner.counted_by_run``)."""
    return [f"{n} sentences exceed the input limit of {translator.model_name}: translated in pieces"] if n else []


class TranslateStage(Stage):
    """``to_english``: fills ``source`` with the English words of the target's translation (translate-test);
    otherwise fills ``target`` with the words of the English source's translation (translate-train) and
    drops the pairs whose translation is empty (counted as ``empty_translations``)."""

    uses_model = True

    def __init__(self, translator, lang: str, *, to_english: bool) -> None:
        self.translator = translator
        self.lang = lang
        self.to_english = to_english
        self.name = "translate"
        self._counts: Counter = Counter()

    def signature(self) -> Fields:
        from projection.neural.hub import model_identity, pinned

        t = self.translator
        code = t.lang_codes.get(self.lang)
        return (("mt", model_part(model_identity(pinned(t, t.model_name)), code=code, beams=t.num_beams, dtype=_bf16(t))),)

    def check(self) -> None:
        self.translator.check_language(self.lang)

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def count_warnings(self, counts: dict[str, int]) -> list[str]:
        return _split_warning(counts.get("split_long", 0), self.translator)

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        from projection.neural.text import detokenize, english_words, split_words

        if self.to_english:
            texts = [detokenize(p.target.tokens, self.lang) for p in pairs]
            out = self.translator.translate(texts, self.lang, "en")
            result = [replace(p, source=Sentence(tuple(english_words(t)), None, p.source.id)) for p, t in zip(pairs, out)]
            self._counts["empty_translations"] += sum(not r.source.tokens for r in result)
        else:
            texts = [detokenize(p.source.tokens, "en") for p in pairs]
            out = self.translator.translate(texts, "en", self.lang)
            result = [replace(p, target=Sentence(tuple(split_words(t, self.lang)))) for p, t in zip(pairs, out)]
            kept = [r for r in result if r.target.tokens]  # an empty translation has nothing to label
            self._counts["empty_translations"] += len(result) - len(kept)
            result = kept
        stats = self.translator.last_stats
        self._counts["split_long"] += stats.split_long
        self._counts["translations_cached"] += stats.cached
        return result


class TagStage(Stage):
    """English NER on ``source`` (first sub-word of each word). ``drop_misc="before"`` maps MISC to O here;
    ``"after"`` keeps it for the matching (the projection stage removes it from the output)."""

    name = "tag"
    uses_model = True

    def __init__(self, ner, *, drop_misc: str = "after") -> None:
        self.ner = ner
        self.drop_misc = drop_misc

    def signature(self) -> Fields:
        from projection.neural.hub import model_identity, pinned

        ner = self.ner  # the window settings change the tags: named when set (the default signs as before)
        return (("ner", model_part(model_identity(pinned(ner, ner.model_name)), misc=f"drop-{self.drop_misc}",
                                   window=getattr(ner, "window", None), overlap=getattr(ner, "overlap", None))),)

    def counts(self) -> dict[str, int]:
        return {"ner_windowed": int(getattr(self.ner, "windowed", 0))}

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        tags = self.ner.predict([p.source.tokens for p in pairs])
        out = []
        for p, t in zip(pairs, tags):
            t = tuple(_MISC.apply(t)) if self.drop_misc == "before" else tuple(t)
            out.append(replace(p, source=Sentence(p.source.tokens, t, p.source.id)))
        return out


class TargetSpansStage(Stage):
    """Spans an NER model finds on the target (classes discarded): the candidates of ``ner.v1``."""

    name = "ner-candidates"
    uses_model = True

    def __init__(self, ner) -> None:
        self.ner = ner

    def signature(self) -> Fields:
        from projection.neural.hub import model_identity, pinned

        ner = self.ner
        return (("cand_model", model_part(model_identity(pinned(ner, ner.model_name)), window=getattr(ner, "window", None),
                                          overlap=getattr(ner, "overlap", None))),)

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        from projection.tags import bio_to_spans

        tags = self.ner.predict([p.target.tokens for p in pairs])
        return [
            replace(p, target_spans=tuple((s.start, s.end) for s in bio_to_spans(t))) for p, t in zip(pairs, tags)
        ]


class BackTranslateStage(Stage):
    """EasyProject-style refinement: the labelled English is translated with entity markers into the target
    language; the decoded, labelled sentence becomes the projection source (``Pair.backtranslated``)."""

    name = "back-translate"
    uses_model = True

    def __init__(self, translator, lang: str) -> None:
        self.translator = translator
        self.lang = lang
        self._counts: Counter = Counter()

    def signature(self) -> Fields:
        from projection.neural.hub import model_identity, pinned

        t = self.translator
        tok = model_identity(pinned(t, t.tokenizer_name)) if t.tokenizer_name else None
        code = t.lang_codes.get(self.lang)  # --mt-lang-code reaches this translator too
        return (("bt", model_part(model_identity(pinned(t, t.model_name)), tok=tok, code=code, beams=t.num_beams,
                                  dtype=_bf16(t))),)  # fmt: skip

    def check(self) -> None:
        self.translator.check_language(self.lang)

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def count_warnings(self, counts: dict[str, int]) -> list[str]:
        return [f"back-translation: {w}" for w in _split_warning(counts.get("bt_split_long", 0), self.translator)]

    def process(self, pairs: Sequence[Pair]) -> list[Pair]:
        from projection.neural.backtrans import back_translate

        result = back_translate([p.source for p in pairs], self.lang, self.translator)
        self._counts.update(bt_markers=result.markers, bt_matched=result.matched, bt_lost=result.lost,
                            bt_split_long=result.split_long)
        return [replace(p, backtranslated=s) for p, s in zip(pairs, result.sentences)]
