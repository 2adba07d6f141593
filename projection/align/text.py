"""Text preparation for the statistical aligners, with no downloaded data.

* ``tokenize``: a Unicode-aware rule tokenizer for raw lines (e.g. NTREX): runs of letters, digits and
  combining marks form words (keeping inner hyphens/apostrophes and digit separators such as ``3.5`` or
  ``1,000``); every other non-space character is a token of its own.
* ``stem``: lowercase and keep the first ``n`` characters; the aligners learn over stems while the link
  indices keep referring to the original tokens.
"""

from __future__ import annotations

import json
import os
import unicodedata
from array import array
from collections.abc import Sequence as SequenceABC
from typing import Iterable, Sequence

from projection.signature import content_hash

_INNER_JOINERS = frozenset("-'’")
_DIGIT_JOINERS = frozenset(".,")


def _is_word_char(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LNM"


def tokenize(line: str) -> list[str]:
    """Split a raw line into words and single punctuation/symbol characters."""
    text = unicodedata.normalize("NFC", line)
    tokens: list[str] = []
    k, n = 0, len(text)
    while k < n:
        ch = text[k]
        if ch.isspace():
            k += 1
            continue
        if not _is_word_char(ch):
            tokens.append(ch)
            k += 1
            continue
        start = k
        k += 1
        while k < n:
            if _is_word_char(text[k]):
                k += 1
                continue
            joiner, nxt = text[k], text[k + 1] if k + 1 < n else ""
            if nxt and _is_word_char(nxt) and (
                joiner in _INNER_JOINERS or (joiner in _DIGIT_JOINERS and text[k - 1].isdigit() and nxt.isdigit())
            ):
                k += 2
                continue
            break
        tokens.append(text[start:k])
    return tokens


def stem(token: str, n: int | None) -> str:
    """Lowercase ``token`` and cut it to its first ``n`` characters (``n=None`` keeps the whole word)."""
    if n is not None and (not isinstance(n, int) or n < 1):
        raise ValueError(f"stem length must be a positive integer or None (whole word), got {n!r}")
    low = token.lower()
    return low if n is None else low[:n]


def stem_tokens(tokens: Iterable[str], n: int | None) -> list[str]:
    return [stem(t, n) for t in tokens]


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
