"""Text preparation for the statistical aligners, with no downloaded data.

* ``tokenize``: a Unicode-aware rule tokenizer for raw lines (e.g. NTREX): runs of letters, digits and
  combining marks form words (keeping inner hyphens/apostrophes, zero-width (non-)joiners and soft hyphens, and
  digit separators such as ``3.5`` or ``1,000``); a Chinese character or kana is a word of its own (Chinese and
  Japanese are written without spaces; PAN-X and the translations into them are tokenised by character), and
  every other non-space character is a token of its own.
* ``stem``: NFC-normalise, lowercase and keep the first ``n`` characters; the aligners learn over stems while the link
  indices keep referring to the original tokens. With ``from_name=True`` (the aligners' opt-in
  ``stem_from="name"``) a name glued to a short prefix is stemmed from where the name starts
  (``name_start``: ``laseAmsterdam`` -> ``amst``, ``KWE-AUSTRIA`` -> ``aust``), so that it can link to the
  English name (Zulu/Xhosa/Shona noun-class and locative prefixes).
"""

from __future__ import annotations

import json
import os
import unicodedata
from array import array
from collections.abc import Sequence as SequenceABC
from functools import lru_cache
from typing import Iterable, Sequence

from projection.signature import content_hash

_INNER_JOINERS = frozenset("-'’")
_DIGIT_JOINERS = frozenset(".,")
#: invisible characters that belong inside a word: zero-width non-joiner and joiner (Persian ``می‌خواهم``,
#: Malayalam and Devanagari conjuncts), soft hyphen, word joiner; one that joins no two word characters is dropped
_ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d\u00ad\u2060")
#: zero-width space: a word break that shows none
_ZERO_WIDTH_SPACE = "\u200b"


def _is_word_char(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LNM"


#: the lowest character ``_is_char_word`` holds: a cheap comparison skips its test for every alphabetic script
_FIRST_CHAR_WORD = "\u3005"


def _is_char_word(ch: str) -> bool:
    """A character that is a word by itself: a CJK ideograph (with ``々`` ``〆`` ``〇``) or kana. Written without
    spaces, such text was one "word" per clause (``有人提议应将``), which no character-tokenised target shares."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= o <= 0x323AF  # extensions B-H and compatibility supplement
        or 0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0x31F0 <= o <= 0x31FF  # katakana phonetic extensions
        or 0xFF66 <= o <= 0xFF9F  # half-width katakana
        or 0x3005 <= o <= 0x3007  # 々 〆 〇
    )


def tokenize(line: str) -> list[str]:
    """Split a raw line into words and single punctuation/symbol characters."""
    text = unicodedata.normalize("NFC", line)
    tokens: list[str] = []
    k, n = 0, len(text)
    while k < n:
        ch = text[k]
        if ch.isspace() or ch == _ZERO_WIDTH_SPACE or ch in _ZERO_WIDTH_JOINERS:
            k += 1
            continue
        if not _is_word_char(ch) or (ch >= _FIRST_CHAR_WORD and _is_char_word(ch)):
            tokens.append(ch)
            k += 1
            continue
        start = k
        k += 1
        while k < n:
            if text[k] >= _FIRST_CHAR_WORD and _is_char_word(text[k]):
                break
            if _is_word_char(text[k]):
                k += 1
                continue
            joiner, nxt = text[k], text[k + 1] if k + 1 < n else ""
            if nxt and _is_word_char(nxt) and not (nxt >= _FIRST_CHAR_WORD and _is_char_word(nxt)) and (
                joiner in _INNER_JOINERS
                or joiner in _ZERO_WIDTH_JOINERS
                or (joiner in _DIGIT_JOINERS and text[k - 1].isdigit() and nxt.isdigit())
            ):
                k += 2
                continue
            break
        tokens.append(text[start:k])
    return tokens


#: the longest prefix (in characters) that ``name_start`` skips before a glued name
NAME_PREFIX_MAX = 8
#: where a statistical aligner's stem starts: the word's first character, or ``name_start``
STEM_FROM = ("start", "name")


def name_start(token: str, max_prefix: int = NAME_PREFIX_MAX) -> int:
    """Where a name glued to a short prefix starts in ``token``; 0 when there is none.

    With a prefix of q letters (1 <= q <= ``max_prefix``), ``token[:q]`` letters only, a name starts
    - at p = q when the prefix is lower case and ``token[q]`` is an upper-case letter (``laseAmsterdam`` -> 4,
      ``eGoli`` -> 1), or
    - at p = q + 1, after a hyphen at q, when the prefix is all lower or all upper case and ``token[q + 1]`` is an
      upper-case letter or a digit (``KWE-AUSTRIA`` -> 4, ``wase-Israel`` -> 5, ``ngo-1996`` -> 4,
      ``ngokwase-Israel`` -> 9).
    The first such p counts. A word that starts upper case (``McDonald``), has a longer or non-letter
    prefix, or has nothing after the split keeps 0.
    """
    for p in range(1, min(max_prefix, len(token) - 1) + 1):
        prefix, ch = token[:p], token[p]
        if not prefix.isalpha():
            break
        if ch.isupper() and prefix.islower():
            return p
        if ch == "-" and p + 1 < len(token) and (prefix.islower() or prefix.isupper()):
            nxt = token[p + 1]
            if nxt.isupper() or nxt.isdigit():
                return p + 1
    return 0


def stem(token: str, n: int | None, from_name: bool = False) -> str:
    """Lowercase ``token`` and cut it to its first ``n`` characters (``n=None`` keeps the whole word);
    ``from_name``: count them from ``name_start(token)`` instead of the word's start."""
    _check_stem_length(n)
    return _stem(token, n, from_name)


def stem_tokens(tokens: Iterable[str], n: int | None, from_name: bool = False) -> list[str]:
    _check_stem_length(n)
    return [_stem(t, n, from_name) for t in tokens]


def _check_stem_length(n: int | None) -> None:
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError(f"stem length must be a positive integer or None (whole word), got {n!r}")


@lru_cache(maxsize=1 << 16)
def _stem(token: str, n: int | None, from_name: bool) -> str:
    """``stem`` of a checked ``n``, remembered for the most frequent words: a corpus repeats its words, and an
    aligner stems every token of every run (eflomal's name prior twice more)."""
    # NFC first: a word written decomposed (e + U+0301, as in MasakhaNER2's Yoruba) has the stem of the same word
    # composed, which is how ``tokenize`` writes the extra corpus (before, an NFD batch shared few stems with it)
    token = unicodedata.normalize("NFC", token)
    # "İ".lower() is "i" + a combining dot: the only letter that lower-casing lengthens; without the dot a stem of
    # n keeps n letters (İsveç and İsviçre became one stem, i̇sv)
    low = (token[name_start(token):] if from_name else token).lower().replace("i\u0307", "i")
    return low if n is None else low[:n]


def check_stem_from(value: str) -> str:
    """Validate a ``stem_from`` option (``"start"`` or ``"name"``) and return it."""
    if value not in STEM_FROM:
        raise ValueError(f"stem_from must be one of {', '.join(map(repr, STEM_FROM))}, got {value!r}")
    return value


def check_stem(n: int | None) -> int | None:
    """Validate a ``stem`` option (positive int or None) and return it."""
    stem("x", n)
    return n


def read_bitext(path: str | os.PathLike) -> list[tuple[list[str], list[str]]]:
    """Read pre-tokenised ``src ||| tgt`` lines (fast_align's input format)."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            src, sep, tgt = line.rstrip("\n").partition(" ||| ")
            if not sep:
                raise ValueError(f"{path}:{n}: expected 'source tokens ||| target tokens'")
            pairs.append((src.split(), tgt.split()))
    return pairs


def check_batch(src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]], *, what: str = "batch") -> None:
    """Raise unless ``src`` and ``tgt`` are equally long lists of token sequences."""
    if len(src) != len(tgt):
        raise ValueError(f"{what}: {len(src)} source sentences but {len(tgt)} target sentences; pass aligned pairs")
    for k, (s, t) in enumerate(zip(src, tgt)):
        if isinstance(s, str) or isinstance(t, str):
            raise TypeError(f"{what}: pair {k} is a string; pass token lists (see projection.align.text.tokenize)")


def check_tokens(tokens: Sequence, where: str) -> None:
    """A clear error naming ``where`` and the token's index for a token that is not a str, or a str that is no
    Unicode text (a lone surrogate, as ``errors="surrogateescape"`` leaves for undecodable bytes): either failed
    deep in the aligner or its cache, naming no sentence (found in review)."""
    for j, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"{where} token {j} is {token!r} (a {type(token).__name__}): tokens must be strings")
        if not token.isascii():
            try:
                token.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(f"{where} token {j} {token!r} is not Unicode text (a lone surrogate, as "
                                 "errors='surrogateescape' leaves for bytes that are not UTF-8): decode the text "
                                 "as UTF-8, or replace or drop the token") from None


def corpus_digest(pairs: Iterable[tuple[Sequence[str], Sequence[str]]] | None, n: int = 8) -> str:
    """Short hash of a parallel corpus (``"none"`` for no corpus), for aligner signatures."""
    if pairs is None:
        return "none"
    chunks = [json.dumps([list(s), list(t)], ensure_ascii=False) for s, t in pairs]
    return content_hash(*chunks)[:n]


class TokenCorpus(SequenceABC):
    """Token sequences kept as ids into one vocabulary (4 bytes a token), read back as tuples of the same
    strings: what a whole-corpus stage holds of a split instead of a ``Sentence`` per sentence."""

    def __init__(self, sentences: Iterable[Sequence[str]] = ()) -> None:
        self._vocab: dict[str, int] = {}
        self._words: list[str] = []
        self._ids = array("i")
        self._ends = array("q", [0])
        for tokens in sentences:
            self.append(tokens)

    def append(self, tokens: Sequence[str]) -> None:
        if isinstance(tokens, str):
            raise TypeError("TokenCorpus.append takes a token sequence, not a string")
        vocab, words = self._vocab, self._words
        ids = []
        for t in tokens:
            i = vocab.get(t)
            if i is None:
                i = vocab[t] = len(words)
                words.append(t)
            ids.append(i)
        self._ids.extend(ids)
        self._ends.append(len(self._ids))

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        n = len(self)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError(f"sentence {k} of a corpus of {n}")
        words = self._words
        return tuple([words[i] for i in self._ids[self._ends[k] : self._ends[k + 1]]])

    def __iter__(self):
        words, ids, ends = self._words, self._ids, self._ends
        for k in range(len(ends) - 1):
            yield tuple([words[i] for i in ids[ends[k] : ends[k + 1]]])


class TokenPairs(SequenceABC):
    """A parallel corpus of ``(source tokens, target tokens)`` pairs kept as two ``TokenCorpus`` (ids, 4 bytes a
    token), read back as pairs of tuples of the same strings: what an aligner's extra training text is held as
    instead of a list of two lists of strings per pair (found in review: 48k pairs of ``--align-corpus`` text cost
    ~220 MB so, against ~30 MB as ids)."""

    def __init__(self, pairs: Iterable[tuple[Sequence[str], Sequence[str]]] = ()) -> None:
        self.src, self.tgt = TokenCorpus(), TokenCorpus()
        for s, t in pairs:
            self.append(s, t)

    def append(self, src: Sequence[str], tgt: Sequence[str]) -> None:
        self.src.append(src)
        self.tgt.append(tgt)

    def __len__(self) -> int:
        return len(self.src)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        return self.src[k], self.tgt[k]

    def __iter__(self):
        return zip(self.src, self.tgt)
