"""Refinements of a projected sentence that need no model: pure functions, one sentence pair in, one out.

``anchor_names``: the character-level anchor. A name is often copied into the translation, but glued to
a prefix (Zulu/Xhosa noun-class and locative prefixes: ``laseAmsterdam`` "of Amsterdam", ``KWE-AUSTRIA``)
or to a suffix, so a word aligner that sees only the first characters of a word (``stem=4`` sees
``lase``) cannot link it and the entity lands on a neighbouring word. Here a target word is an
*anchor* of a source entity when it contains one of the entity's capitalised words (at least
``min_len`` characters, case-insensitive, compared in NFC with a Turkish ``İ`` as ``I``: ``fold``) starting at
the target word's start, after a hyphen or apostrophe, or at an upper-case letter (``lase|A|msterdam``).
Consecutive anchors form a group. Then:

- a projected span that overlaps one of its entity's groups, or whose entity has no anchor, stays;
- an entity whose span misses all of its groups (or that got no span) takes the free group nearest
  to where it was projected (else to its aligned words, else to its relative position); a span of
  an entity without anchors that sits on that group gives way (it was placed by alignment alone,
  on a word that spells another entity's name);
- with no free group, the entity keeps its span if that span is still free;
- an entity projected to several spans (the heuristic keeps every run) is left as it is: its spans stay, and no
  other entity moves onto them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from projection.types import Match, ProjectedSentence, ProjectionInput, Span


def anchor_signature(min_len: int = 3) -> str:
    """The signature part of ``anchor_names`` (for ``|refine:…`` in a run's signature)."""
    return f"anchor.v1(min_len={min_len})"


def bridge_signature(max_link_len: int = 3) -> str:
    """The signature part of ``bridge_links``."""
    return f"bridge.v1(max_link={max_link_len})"


#: score given to a match placed by an anchor (matches from the method keep their own score)
ANCHOR_SCORE = 1.0
_JOINERS = "-'’`"


#: capitalised English articles, conjunctions, prepositions and determiners of 3+ letters are no names
#: (``The Hague``: ``the`` anchored ``Theater``); ``Per`` stays out of the list: it is also a first name
FUNCTION_WORDS = frozenset(
    "the and for nor but yet with from into upon against among between over under all its our their this that".split()
)


def name_keys(words: Sequence[str], min_len: int = 3) -> tuple[str, ...]:
    """The lower-cased words of an entity that can anchor it: capitalised, at least ``min_len`` long and not an
    English function word (``FUNCTION_WORDS``). Its length is counted in NFC, as it is compared (``fold`` keeps one
    character per NFC character): found in review, a two-letter name written decomposed (``I`` + U+0300 ``o`` +
    U+0300, four code points) was a key, and the same name composed was not, so the two forms projected apart.
    Capitalised: a first character that is upper or title case. A single character's ``istitle()`` is ``isupper()``
    or title case, at the same cost, and the same for its decomposed form (the refinements below test it on the
    user's words): found in review, ``isupper()`` read the polytonic Greek capitals with prosgegrammeni (``ᾍδης``,
    title case) as no capital and their decomposed form (``Α`` + marks) as one, so an NFD text projected otherwise."""
    keys = (fold(w) for w in words if w[:1].istitle())
    return tuple(k for k in keys if len(k) >= min_len and k not in FUNCTION_WORDS)


def fold(text: str) -> str:
    """``text`` as names are compared: in NFC (a word written decomposed, ``e`` + U+0301, is the same word composed)
    and lower-cased, a Turkish dotted ``İ`` as ``i`` (``İstanbul`` holds the English ``Istanbul``; ``lower()``
    makes it ``i`` + U+0307). The folded text has one character for each character of the NFC text."""
    text = unicodedata.normalize("NFC", text)
    return (text.replace("İ", "I") if "İ" in text else text).lower()


def _fold_key(key: str) -> str:
    """A key as ``fold`` writes it, also when it was lower-cased by ``str.lower`` (``i`` + U+0307 for ``İ``)."""
    return fold(key).replace("i\u0307", "i")


def contains_name(token: str, key: str) -> bool:
    """``key`` (lower-cased) occurs in ``token`` at a word-like start: position 0, after a hyphen or
    apostrophe, or at an upper-case letter. Both are compared as ``fold`` writes them (NFC, ``İ`` as ``i``)."""
    key = _fold_key(key)
    word = unicodedata.normalize("NFC", token)
    low = fold(word)  # one character for each of ``word``'s: a match's offset is a position in ``word``
    p = low.find(key)
    while p >= 0:
        if _word_start(word, p):
            return True
        p = low.find(key, p + 1)
    return False


def _word_start(token: str, p: int) -> bool:
    """Position ``p`` of ``token`` starts a word-like part: the token's start, an upper-case letter, or just
    after a hyphen or apostrophe."""
    return p == 0 or token[p].istitle() or token[p - 1] in _JOINERS


def anchor_groups(keys: Sequence[str], tokens: Sequence[str], lowered: str | None = None) -> list[tuple[int, int]]:
    """Maximal runs ``[start, end)`` of consecutive target words that contain one of ``keys``.

    ``lowered`` is ``fold("\n".join(tokens))`` when the caller has it (one per sentence): a key absent from
    it is in no word, so most sentences are settled by one substring test per key."""
    if not keys:
        return []
    if lowered is None:
        lowered = fold("\n".join(tokens))
    keys = [k for k in map(_fold_key, keys) if k in lowered]
    if not keys:
        return []
    hits = _hits(keys, tokens, lowered)
    groups: list[tuple[int, int]] = []
    for j in hits:
        if groups and groups[-1][1] == j:
            groups[-1] = (groups[-1][0], j + 1)
        else:
            groups.append((j, j + 1))
    return groups


def _hits(keys: Sequence[str], tokens: Sequence[str], lowered: str) -> list[int]:
    """The words that contain one of ``keys`` (``contains_name``), found by searching ``lowered`` once per key
    and placing each occurrence in its word. ``fold`` keeps the length of NFC text, so when the words are in NFC
    and ``lowered`` is as long as the joined words, every word kept its length and its offsets; otherwise (a word
    written decomposed), or when a word holds a line break, every word is tested on its own."""
    n = len(tokens)
    if (
        len(lowered) != sum(map(len, tokens)) + n - 1
        or lowered.count("\n") != n - 1
        or not unicodedata.is_normalized("NFC", "\n".join(tokens))
    ):
        return [j for j, t in enumerate(tokens) if any(contains_name(t, k) for k in keys)]
    hits: set[int] = set()
    for key in keys:
        p = lowered.find(key)
        while p >= 0:
            start = lowered.rfind("\n", 0, p) + 1  # where the word holding position p starts ...
            j = lowered.count("\n", 0, start)  # ... and its number
            off = p - start
            if j not in hits and off + len(key) <= len(tokens[j]) and _word_start(tokens[j], off):
                hits.add(j)
            p = lowered.find(key, p + 1)
    return sorted(hits)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _reference(inp: ProjectionInput, ent: Span, current: tuple[int, int] | None) -> float:
    if current is not None:
        return (current[0] + current[1] - 1) / 2
    js = [j for i, j in inp.alignment.pairs + inp.alignment.possible if ent.start <= i < ent.end]
    if js:
        return sum(js) / len(js)
    n_src = max(len(inp.source.tokens), 1)
    return (ent.start + ent.end - 1) / 2 * len(inp.target_tokens) / n_src


def one_per_entity(matches: Sequence[Match]) -> tuple[dict[int, Match], list[Match]]:
    """The matches of the entities projected once, by entity, and the matches of those projected several times
    (the heuristic keeps every run), which the refinements leave as they are."""
    by_entity = {m.entity: m for m in matches}
    if len(by_entity) == len(matches):
        return by_entity, []
    several = {e for e, n in Counter(m.entity for m in matches).items() if n > 1}
    return {e: m for e, m in by_entity.items() if e not in several}, [m for m in matches if m.entity in several]


def anchor_names(inp: ProjectionInput, projected: ProjectedSentence, *, min_len: int = 3) -> ProjectedSentence:
    """``projected`` with entities moved onto (or given) target words that contain their names."""
    if min_len < 1:
        raise ValueError(f"min_len must be >= 1, got {min_len}")
    entities = inp.entities
    tokens = inp.target_tokens
    src = inp.source.tokens
    by_entity, held = one_per_entity(projected.matches)  # held: the spans of entities with several, kept as they are
    current = {e: (m.start, m.end) for e, m in by_entity.items()}
    several = {m.entity for m in held}
    kept = [(m.start, m.end) for m in held]
    keys = [name_keys(src[e.start : e.end], min_len) for e in entities]
    lowered = fold("\n".join(tokens)) if any(keys) else ""  # anchor_groups reads it only for some key
    groups = [anchor_groups(k, tokens, lowered) for k in keys]
    strong: dict[int, tuple[int, int]] = {}  # spans confirmed by an anchor
    weak: dict[int, tuple[int, int]] = {}  # spans of entities without any anchor
    todo: list[int] = []
    for e in range(len(entities)):
        if e in several:
            continue
        cur = current.get(e)
        if not groups[e]:
            if cur is not None:
                weak[e] = cur
        elif cur is not None and any(_overlap(cur, g) for g in groups[e]):
            strong[e] = cur
        else:
            todo.append(e)
    moved: dict[int, tuple[int, int]] = {}
    for e in todo:
        taken = kept + list(strong.values()) + list(moved.values())
        free = [g for g in groups[e] if not any(_overlap(g, t) for t in taken)]
        if not free:
            continue
        ref = _reference(inp, entities[e], current.get(e))
        g = min(free, key=lambda g: (abs((g[0] + g[1] - 1) / 2 - ref), g[0]))
        moved[e] = g
        for w in [w for w, span in weak.items() if _overlap(span, g)]:
            del weak[w]
    final: dict[int, tuple[int, int]] = {**strong, **moved}
    for e in todo:  # entities that found no free group keep their span where it is still free
        cur = current.get(e)
        if (
            e not in final
            and cur is not None
            and not any(_overlap(cur, s) for s in final.values())
            and not any(_overlap(cur, s) for s in kept)
        ):
            final[e] = cur
    for e, span in weak.items():
        if not any(_overlap(span, s) for s in final.values()) and not any(_overlap(span, s) for s in kept):
            final[e] = span
    matches = tuple(
        by_entity[e] if e in by_entity and current[e] == final[e] else Match(e, final[e][0], final[e][1], ANCHOR_SCORE)
        for e in sorted(final, key=lambda e: final[e])
    )
    if held:
        matches = tuple(sorted(matches + tuple(held), key=lambda m: (m.start, m.end)))
    spans = tuple(Span(m.start, m.end, entities[m.entity].label) for m in matches)
    return ProjectedSentence(spans, matches, projected.n_source_entities)


def _is_link(word: str, max_link_len: int) -> bool:
    """A short lower-case word: at most ``max_link_len`` letters, a letter with its accents or tone marks counting
    once, written composed or decomposed alike (found in review: MasakhaNER2's Yoruba writes ``ní`` as ``i`` + U+0301,
    whose mark is no letter, so the word was no link; a tone mark on ``ẹ`` has no composed form even in NFC)."""
    if not word.islower():
        return False
    letters = "".join(ch for ch in unicodedata.normalize("NFC", word) if not unicodedata.category(ch).startswith("M"))
    return 0 < len(letters) <= max_link_len and letters.isalpha()


def _free_test(spans: list[tuple[int, int]]):
    return lambda j: not any(a <= j < b for a, b in spans)


def bridge_links(inp: ProjectionInput, projected: ProjectedSentence, *, max_link_len: int = 3) -> ProjectedSentence:
    """``projected`` with each span widened over ``Capitalised link`` pairs on its left, then ``link
    Capitalised`` pairs on its right, where a link is a short lower-case word (at most ``max_link_len``
    letters, a letter with its accents or tone marks counting once, composed or decomposed), both words are free of other spans, and the span still has fewer capitalised words than
    its English entity has words (a one-word name is never widened).

    Spans are widened from left to right whatever the order of ``projected.matches`` (kept in the output).

    Multi-word names joined by linking words (Swahili ``Wizara ya Mambo ya Ndani``, ``Umoja wa Mataifa``)
    are often projected as their last or first word only, because the aligner links the English name
    to one of them; the linking word itself is rarely aligned.
    """
    if max_link_len < 1:
        raise ValueError(f"max_link_len must be >= 1, got {max_link_len}")
    tokens = inp.target_tokens
    entities = inp.entities
    taken = [(m.start, m.end) for m in projected.matches]
    matches = list(projected.matches)
    # left to right whatever order the matches come in: a word two spans could take goes to the earlier span
    for k in sorted(range(len(matches)), key=lambda k: (taken[k], matches[k].entity)):
        m = matches[k]
        others = taken[:k] + taken[k + 1 :]
        free = _free_test(others)

        start, end = m.start, m.end
        ent = entities[m.entity]
        # a one-word name is never widened (a span on a lower-case word would otherwise have a budget of one)
        budget = len(ent) - sum(1 for t in tokens[start:end] if t[:1].istitle()) if len(ent) > 1 else 0
        while (
            budget > 0
            and start >= 2
            and _is_link(tokens[start - 1], max_link_len)
            and tokens[start - 2][:1].istitle()
            and free(start - 1)
            and free(start - 2)
        ):
            start -= 2
            budget -= 1
        while (
            budget > 0
            and end + 1 < len(tokens)
            and _is_link(tokens[end], max_link_len)
            and tokens[end + 1][:1].istitle()
            and free(end)
            and free(end + 1)
        ):
            end += 2
            budget -= 1
        if (start, end) != (m.start, m.end):
            matches[k] = Match(m.entity, start, end, m.score)
            taken[k] = (start, end)
    spans = tuple(Span(m.start, m.end, entities[m.entity].label) for m in matches)
    return ProjectedSentence(spans, tuple(matches), projected.n_source_entities)


def _no_word(token: str) -> bool:
    return not any(ch.isalnum() for ch in token)


def _one_char(token: str) -> bool:
    """One letter or digit, with any combining marks on it (``é`` written decomposed is one letter too)."""
    base = [ch for ch in token if not unicodedata.combining(ch)]
    return len(base) == 1 and base[0].isalnum()


def _spelled(tokens: Sequence[str], start: int, end: int) -> str | None:
    """The word that a run of at least three one-character tokens ending the span ``tokens[start:end]`` spells,
    joined (PAN-X zh/ja write a Latin name one letter per token: ``P o r t a b l e``), or None. Two are no such
    run: an initial and a one-letter word (Tswana ``Nyathi J e``, Italian ``Serie C a``) are two words."""
    k = end - 1
    while k >= start and _one_char(tokens[k]):
        k -= 1
    return "".join(tokens[k + 1 : end]) if end - 1 - k >= 3 else None


def trim_edges(inp: ProjectionInput, projected: ProjectedSentence, *, min_similarity: float = 0.2) -> ProjectedSentence:
    """``projected`` with stray words cut from the edges of its multi-word spans: a token with no letter or digit at
    either edge, and a last word that starts lower case, that an upper-case word before it in the span shows to
    lie after the name, and that is unlike every word of its English entity (character-trigram Dice below
    ``min_similarity``, ``scores.char_similarity``). A span keeps at least one word; spans only shrink, so no
    two come to overlap, and every match keeps its score.

    A statistical aligner links each English word of a name somewhere, and when the target writes the name as
    one word (German ``Green Paper`` -> ``Grünbuch``), the second English word takes the next target word,
    often the verb: ``Grünbuch nimmt``, ``Mitgliedstaat erwähnt``. A lower-case adjective that translates a
    word of the name (``Parlamento europeo``, ``Banca centrale europea``) is like it and stays.

    A text tokenised by character (PAN-X zh/ja) writes a Latin name one letter per token: ``P o r t a b l e``.
    A one-character last token that ends a run of such tokens stays when the word the run spells, its
    characters joined (``Portable``), is like a word of the English entity, as a word written whole would."""
    if not 0.0 <= min_similarity <= 1.0:
        raise ValueError(f"min_similarity must be between 0 and 1, got {min_similarity}")
    from projection.scores import char_similarity

    tokens = inp.target_tokens
    entities = inp.entities
    src = inp.source.tokens
    matches = []
    changed = False
    for m in projected.matches:
        start, end = m.start, m.end
        english = src[entities[m.entity].start : entities[m.entity].end]
        while end - start >= 2:
            if _no_word(tokens[end - 1]):
                end -= 1
            elif _no_word(tokens[start]):
                start += 1
            elif (
                tokens[end - 1][:1].islower()
                and any(t[:1].istitle() for t in tokens[start : end - 1])
                and all(char_similarity(tokens[end - 1], w) < min_similarity for w in english)
                and all(char_similarity(word, w) < min_similarity for w in english
                        for word in (_spelled(tokens, start, end),) if word is not None)
            ):  # fmt: skip
                end -= 1
            else:
                break
        if (start, end) != (m.start, m.end):
            m = Match(m.entity, start, end, m.score)
            changed = True
        matches.append(m)
    if not changed:
        return projected
    spans = tuple(Span(m.start, m.end, entities[m.entity].label) for m in matches)
    return ProjectedSentence(spans, tuple(matches), projected.n_source_entities)


# -- the registry the method's ``refine`` setting names (applied in order after the matching) ------------------

from projection.registry import Registry  # noqa: E402

REFINERS: Registry = Registry("refinement")


@REFINERS.register("anchor.v1", alias="anchor")
def make_anchor():
    """``anchor_names`` with ``min_len=3`` (chosen on MasakhaNER2 dev, benchmarks/README.md)."""
    return anchor_names


@REFINERS.register("bridge.v1", alias="bridge")
def make_bridge():
    """``bridge_links`` with ``max_link_len=3`` (measured on dev and not a default)."""
    return bridge_links


@REFINERS.register("trim.v1", alias="trim")
def make_trim():
    """``trim_edges`` with ``min_similarity=0.2`` (chosen on the gold-projection development set,
    benchmarks/README.md)."""
    return trim_edges
