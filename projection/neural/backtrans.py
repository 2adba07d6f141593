"""Back-translation refinement (EasyProject markers): labelled English -> labelled sentence in the target language.

English entities are wrapped in ``[ ]`` and translated with a marker-trained model
(``ychenNLP/nllb-200-3.3B-easyproject``, with the original NLLB tokenizer); every entity is also translated
alone; the markers are read back (``projection.neural.markers``: ASCII ``[ ]`` and the full-width / lenticular /
tortoise-shell variants MT writes into CJK and Thai). The result is a labelled target-language
sentence that is then aligned to the target tokens (same-language alignment) and projected.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Sequence

from projection.neural.markers import CLOSE, CLOSE_VARIANTS, OPEN, OPEN_VARIANTS, decode_markers, mark_entities
from projection.neural.text import detokenize, split_words
from projection.options import DEFAULT_BT_MODEL, DEFAULT_BT_TOKENIZER  # noqa: F401  (the one defaults table)
from projection.types import Sentence

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackTranslation:
    sentences: tuple[Sentence, ...]
    markers: int
    matched: int
    lost: int
    split_long: int = 0  # marked sentences over the model's input limit, translated in pieces


def back_translate(english: Sequence[Sentence], lang: str, translator, *, threshold: float = 0.5) -> BackTranslation:
    """Labelled sentences in ``lang`` for labelled English sentences (``translator``: a ``Translator``). Brackets
    in the English words become parentheses first: the decoder would read them as markers."""
    english = [_without_markers(s) for s in english]
    marked = [detokenize(mark_entities(s.tokens, s.spans), "en") if s.tokens else "" for s in english]
    entity_texts = [[detokenize(s.tokens[sp.start : sp.end], "en") for sp in s.spans] for s in english]
    unique = sorted({t for texts in entity_texts for t in texts})
    translated = translator.translate(marked, "en", lang)
    stats = getattr(translator, "last_stats", None)  # read before the entities' call replaces it
    split_long = int(getattr(stats, "split_long", 0))
    alone = dict(zip(unique, translator.translate(unique, "en", lang)))
    out: list[Sentence] = []
    markers = matched = lost = 0
    for s, text, ents in zip(english, translated, entity_texts):
        decoded = decode_markers(text, [alone[e] for e in ents], [sp.label for sp in s.spans],
                                 lambda t: split_words(t, lang), threshold=threshold, sentence_id=s.id)
        out.append(decoded.sentence)
        markers, matched, lost = markers + decoded.markers, matched + decoded.matched, lost + decoded.lost
    if lost:
        logger.info("back-translation: %d of %d entities did not come back with their markers", lost, matched + lost)
    return BackTranslation(tuple(out), markers, matched, lost, split_long)


#: the characters the decoder reads as markers, and what they become in the English text
_NOT_MARKERS = str.maketrans({**dict.fromkeys(OPEN + OPEN_VARIANTS, "("), **dict.fromkeys(CLOSE + CLOSE_VARIANTS, ")")})


def _without_markers(sentence: Sentence) -> Sentence:
    """``sentence`` with every bracket the marker decoder reads turned into a parenthesis (``[ COM 101 ]`` inside
    an entity took the marker's place, and the entity's first word lost its label)."""
    tokens = tuple(t.translate(_NOT_MARKERS) for t in sentence.tokens)
    return sentence if tokens == sentence.tokens else replace(sentence, tokens=tokens)
