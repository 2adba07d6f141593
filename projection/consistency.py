"""Corpus-level consistency: an English entity string usually becomes one target string across a corpus.

``build_lexicon`` counts, over the projected corpus, which target words each (English entity string,
label) was projected to, keeping a word's *core*: the part from an upper-case letter that follows a
lower-case prefix (``saseJalimane`` and ``eJalimane`` are both ``jalimane``), else the whole word,
lower-cased (``ye-LME`` is ``lme``). A form that makes at least ``min_share`` of the string's projections and was seen at
least ``min_count`` times is kept. ``apply_lexicon`` then, in each sentence:

- ``recover``: gives an entity that got no span the free occurrence of one of its forms (the most
  frequent form that occurs; the occurrence nearest to its aligned words);
- ``extend``: widens a span that lies strictly inside a free occurrence of one of its entity's forms
  (a Swahili ORG projected as ``Fife`` where the corpus says ``Mashariki ya Fife``).

A target word *matches* a core when the core starts the word, follows a hyphen or apostrophe, or starts
at an upper-case letter (``projection.refine.contains_name``).
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from projection.refine import contains_name, fold, one_per_entity
from projection.signature import number
from projection.types import Match, ProjectedSentence, ProjectionInput, Sentence, Span


def lexicon_signature(min_count: int = 3, min_share: float = 0.3, recover: bool = True, extend: bool = True) -> str:
    """The signature part of ``build_lexicon`` + ``apply_lexicon``."""
    return f"lexicon.v1(min_count={min_count},min_share={number(min_share)},recover={int(recover)},extend={int(extend)})"


#: score given to a match placed or widened by the lexicon
LEXICON_SCORE = 1.0


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """``source`` (English words in NFC, lower-cased) with ``label`` was projected ``count`` times to ``form``
    (target word cores), ``share`` of all its projections."""

    source: tuple[str, ...]
    label: str
    form: tuple[str, ...]
    count: int
    share: float


@dataclass(frozen=True)
class Lexicon:
    """The kept forms; ``forms`` looks them up by (English words, label), most frequent first."""

    entries: tuple[LexiconEntry, ...]
    _index: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        groups: dict = defaultdict(list)
        for e in sorted(self.entries, key=lambda e: (-e.count, e.form)):
            groups[(e.source, e.label)].append(e.form)
        object.__setattr__(self, "_index", dict(groups))

    def forms(self, source: tuple[str, ...], label: str) -> list[tuple[str, ...]]:
        return self._index.get((source, label), [])


def core(word: str) -> str:
    """``word`` without a glued prefix, lower-cased: the part after the last hyphen when what comes before is one
    case (``ye-LME``, ``KWE-AUSTRIA``; not ``Coca-Cola``), then from an upper-case letter after a lower-case prefix
    or a one-letter capital one (``saseJalimane``, ``IJalimane``; not ``LinkedIn`` or ``McDonald``, which the
    lexicon then placed on the word ``in`` and on any ``donald``). In NFC: a word written decomposed (``e`` + U+0301, as
    in MasakhaNER2's Yoruba) has the core of the same word composed, and a Turkish ``İ`` is read as ``I`` as the name
    search reads it (``İstanbul`` and ``Istanbul`` are one form, ``istanbul``; ``fold``)."""
    word = unicodedata.normalize("NFC", word)
    head, _, tail = word.rpartition("-")
    if tail and (head.islower() or head.isupper()):
        word = tail
    for k in range(1, len(word)):
        if word[k].isupper():
            if word[:k].islower() or (k == 1 and word[2:3].islower()):
                return fold(word[k:])
            break
    return fold(word)


def build_lexicon(
    sources: Sequence[Sentence],
    targets: Sequence[Sequence[str]],
    projected: Sequence[ProjectedSentence],
    *,
    min_count: int = 3,
    min_share: float = 0.3,
) -> Lexicon:
    """Forms seen at least ``min_count`` times and in at least ``min_share`` of an entity string's projections."""
    if min_count < 1 or not 0.0 < min_share <= 1.0:
        raise ValueError(f"need min_count >= 1 and 0 < min_share <= 1, got {min_count} and {min_share}")
    if not len(sources) == len(targets) == len(projected):
        raise ValueError(f"{len(sources)} sources, {len(targets)} targets, {len(projected)} projections")
    seen: dict[tuple[tuple[str, ...], str], Counter] = defaultdict(Counter)
    for k, (src, tgt, proj) in enumerate(zip(sources, targets, projected)):
        if isinstance(tgt, str):  # a str is a sequence too: of characters (found in review: forms of letters)
            raise TypeError(f"target {k} is a str, not a sequence of tokens: split it into words or pass its tokens")
        spans = src.spans
        _check_entities(spans, proj, f"sentence {k}")
        for m in proj.matches:
            ent = spans[m.entity]
            key = (_source_key(src.tokens[ent.start : ent.end]), ent.label)
            seen[key][tuple(core(w) for w in tgt[m.start : m.end])] += 1
    entries = []
    for (source, label), forms in seen.items():
        total = sum(forms.values())
        for form, n in forms.items():
            if n >= min_count and n / total >= min_share:
                entries.append(LexiconEntry(source, label, form, n, round(n / total, 4)))
    return Lexicon(tuple(sorted(entries, key=lambda e: (e.source, e.label, -e.count, e.form))))


def _source_key(words: Sequence[str]) -> tuple[str, ...]:
    """An entity's words as the lexicon looks them up: in NFC, lower-cased, a Turkish ``İ`` as ``I`` (``fold``)."""
    return tuple(fold(w) for w in words)


def _check_entities(entities: Sequence[Span], projected: ProjectedSentence, where: str) -> None:
    """Each match names one of ``entities`` with its span's label. Found in review: with a run's ``drop_labels``, a
    match indexes the source *after* those types were made O (``Match``), so the run's own sources put a projection
    under another English string and ``apply_lexicon`` relabelled its span (``Germany`` LOC written as MISC)."""
    labels = [s.label for s in projected.spans] if len(projected.spans) == len(projected.matches) else None
    for k, m in enumerate(projected.matches):
        if not 0 <= m.entity < len(entities) or (labels is not None and labels[k] != entities[m.entity].label):
            raise ValueError(
                f"{where}: the projection's match {k} (entity {m.entity}, label "
                f"{labels[k] if labels is not None else '?'}) is not an entity of the source given with it "
                f"({len(entities)} entities: {[e.label for e in entities]}); pass the sentence the projection was made "
                "from, with the run's drop_labels types made O (projection.tags.LabelMap(frozenset(drop_labels))"
                ".apply(tags))"
            )


def occurrences(form: Sequence[str], tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Spans ``[j, j + len(form))`` whose words match the form's cores one by one."""
    n = len(form)
    return [
        (j, j + n)
        for j in range(len(tokens) - n + 1)
        if all(contains_name(tokens[j + k], form[k]) for k in range(n))
    ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def apply_lexicon(
    inp: ProjectionInput,
    projected: ProjectedSentence,
    lexicon: Lexicon,
    *,
    recover: bool = True,
    extend: bool = True,
) -> ProjectedSentence:
    """``projected`` with unprojected entities recovered and short spans extended from ``lexicon``."""
    entities = inp.entities
    _check_entities(entities, projected, "apply_lexicon")
    tokens = inp.target_tokens
    src = inp.source.tokens
    final, held = one_per_entity(projected.matches)  # held: the spans of entities with several, kept as they are
    several = {m.entity for m in held}

    def free(span: tuple[int, int], me: int) -> bool:
        return not any(_overlap(span, (m.start, m.end)) for e, m in final.items() if e != me) and not any(
            _overlap(span, (m.start, m.end)) for m in held
        )

    for e, ent in enumerate(entities):
        if e in several:
            continue
        forms = lexicon.forms(_source_key(src[ent.start : ent.end]), ent.label)
        if not forms:
            continue
        m = final.get(e)
        if m is None and recover:
            links = [j for i, j in inp.alignment.pairs + inp.alignment.possible if ent.start <= i < ent.end]
            ref = sum(links) / len(links) if links else (ent.start / max(len(src), 1)) * len(tokens)
            for form in forms:
                spans = [s for s in occurrences(form, tokens) if free(s, e)]
                if spans:
                    # the gap from the occurrence's words to ref (0 when ref falls inside it), then the earliest
                    a, b = min(spans, key=lambda s: (max(0.0, s[0] - ref, ref - (s[1] - 1)), s[0]))
                    final[e] = Match(e, a, b, LEXICON_SCORE)
                    break
        elif m is not None and extend:
            for form in forms:
                wider = [
                    s
                    for s in occurrences(form, tokens)
                    if s[0] <= m.start and m.end <= s[1] and s != (m.start, m.end) and free(s, e)
                ]
                if wider:
                    final[e] = Match(e, wider[0][0], wider[0][1], LEXICON_SCORE)
                    break
    matches = tuple(sorted([*final.values(), *held], key=lambda m: (m.start, m.end)))
    spans = tuple(Span(m.start, m.end, entities[m.entity].label) for m in matches)
    return ProjectedSentence(spans, matches, projected.n_source_entities)
