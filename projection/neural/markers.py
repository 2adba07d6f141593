"""EasyProject-style markers: wrap English entities in ``[ ]``, and read them back from a translation.

Decoding is robust to what MT does to markers: bracket variants that MT into CJK and Thai tends to write
(full-width ``［ ］``, lenticular ``【 】``, ``〖 〗``, tortoise-shell ``〔 〕``, and their mixtures) read as
``[ ]``; doubled brackets (``[[X]]``) are collapsed, stray brackets dropped, reordered entities found by their
text. Corner quotes ``「 」`` / ``『 』`` are NOT markers: they are the ordinary quotation marks of ja/zh text,
and reading them as markers would delete real quotes. Each bracketed span is paired with the separately
translated entity strings by the BEST fuzzy score (``similarity``: the Indel ratio on lowercased text, brackets
excluded), pairs chosen best-first, each marker and each entity used at most once, only above ``threshold``
(0.5). (The paper's code kept the *last* entity over 0.5, not the best: a bug not copied.) An entity whose
marker did not come back stays unprojected; an unmatched marker's words stay, labelled O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from projection.tags import spans_to_bio
from projection.types import Sentence, Span

OPEN, CLOSE = "[", "]"
#: bracket variants decoded as markers (opening, closing)
OPEN_VARIANTS, CLOSE_VARIANTS = "［【〖〔", "］】〗〕"
_VARIANTS = str.maketrans({**dict.fromkeys(OPEN_VARIANTS, OPEN), **dict.fromkeys(CLOSE_VARIANTS, CLOSE)})
_DOUBLE_OPEN = re.compile(r"\[(?:\s*\[)+")
_DOUBLE_CLOSE = re.compile(r"\](?:\s*\])+")
_MARKER = re.compile(r"\[([^\[\]]*)\]")


def mark_entities(words: Sequence[str], spans: Sequence[Span]) -> list[str]:
    """The words with ``[`` before and ``]`` after every span (detokenise the result for MT)."""
    starts = {s.start for s in spans}
    ends: dict[int, int] = {}
    for s in spans:
        ends[s.end - 1] = ends.get(s.end - 1, 0) + 1
    out: list[str] = []
    for k, word in enumerate(words):
        if k in starts:
            out.append(OPEN)
        out.append(word)
        out.extend([CLOSE] * ends.get(k, 0))
    return out


def similarity(a: str, b: str) -> float:
    """Indel ratio 2·LCS(a, b)/(|a|+|b|) on lowercased, stripped text (1.0 for two empty strings).

    One pure-Python function, so the decision never depends on what is installed: it equals
    ``rapidfuzz.fuzz.ratio / 100``, whereas ``difflib``'s greedy blocks undercount reorderings
    ("barack obama" vs "obama barack": 7/12 here and in rapidfuzz, 1/2 in difflib).
    """
    a, b = a.lower().strip(), b.lower().strip()
    if not a and not b:
        return 1.0
    return 2.0 * lcs_length(a, b) / (len(a) + len(b))


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence (dynamic programming, O(|a|·|b|))."""
    if len(a) < len(b):
        a, b = b, a
    row = [0] * (len(b) + 1)
    for ca in a:
        diagonal = 0
        for j, cb in enumerate(b, 1):
            diagonal, row[j] = row[j], (diagonal + 1 if ca == cb else max(row[j], row[j - 1]))
    return row[-1]


def best_pairs(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int]]:
    """Best-first one-to-one pairs (marker, entity) with score > threshold; ties: lower marker, lower entity."""
    cells = sorted(
        ((-v, m, e) for m, row in enumerate(scores) for e, v in enumerate(row) if v > threshold)
    )
    used_m: set[int] = set()
    used_e: set[int] = set()
    pairs = []
    for _, m, e in cells:
        if m not in used_m and e not in used_e:
            used_m.add(m)
            used_e.add(e)
            pairs.append((m, e))
    return sorted(pairs)


@dataclass(frozen=True)
class DecodedMarkers:
    """A labelled sentence read from a marked translation, and how the markers fared."""

    sentence: Sentence
    markers: int  # bracketed spans found
    matched: int  # markers paired with an entity
    lost: int  # entities with no marker


def decode_markers(
    text: str,
    entity_translations: Sequence[str],
    labels: Sequence[str],
    split: Callable[[str], list[str]],
    *,
    threshold: float = 0.5,
    sentence_id: str = "",
) -> DecodedMarkers:
    """Words and IOB2 tags of a marked translation; ``split`` turns text into words."""
    if len(entity_translations) != len(labels):
        raise ValueError(f"{len(entity_translations)} entity translations but {len(labels)} labels")
    text = _DOUBLE_CLOSE.sub(CLOSE, _DOUBLE_OPEN.sub(OPEN, text.translate(_VARIANTS)))
    words: list[str] = []
    marker_spans: list[tuple[int, int, str]] = []
    pos = 0
    for m in _MARKER.finditer(text):
        words.extend(split(_strip_stray(text[pos : m.start()])))
        inner = split(m.group(1).strip())
        if inner:
            marker_spans.append((len(words), len(words) + len(inner), m.group(1).strip()))
            words.extend(inner)
        pos = m.end()
    words.extend(split(_strip_stray(text[pos:])))
    # the entities translated alone, read like the markers' text: variants as brackets, brackets dropped
    entities = [" ".join(_strip_stray(t.translate(_VARIANTS)).split()) for t in entity_translations]
    scores = [[similarity(inner, t) for t in entities] for _, _, inner in marker_spans]
    pairs = best_pairs(scores, threshold)
    spans = [Span(marker_spans[m][0], marker_spans[m][1], labels[e]) for m, e in pairs]
    tags = tuple(spans_to_bio(spans, len(words)))
    return DecodedMarkers(Sentence(tuple(words), tags, sentence_id), len(marker_spans), len(pairs),
                          len(labels) - len(pairs))


def _strip_stray(text: str) -> str:
    return text.replace(OPEN, " ").replace(CLOSE, " ")
