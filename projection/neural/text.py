"""Detokenisation before translation and word splitting after it (no downloaded data: sacremoses rules).

- ja, zh, th: tokens are joined without spaces; translations into them are split into single CJK/kana/Thai
  characters (PAN-X tokenises these languages by character), other runs (Latin, digits) by Moses rules.
- other languages: Moses detokenizer / tokenizer (``escape=False``: no ``&amp;`` entities), with combining marks and
  zero-width (non-)joiners and soft hyphens kept inside the word they are written in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Sequence

from projection.extras import require
from projection.neural.langs import NO_SPACE_LANGS

# CJK ideographs, kana, CJK punctuation and full-width forms, Thai (Hangul is not: Korean uses spaces)
_CHAR_SCRIPT = re.compile(r"([\u0E00-\u0E7F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3000-\u303F\uFF00-\uFFEF])")


def _moses_lang(lang: str) -> str:
    return lang if len(lang) == 2 else "en"


@lru_cache(maxsize=None)
def _detokenizer(lang: str):
    sacremoses = require("sacremoses", purpose="detokenising sentences before translation")
    return sacremoses.MosesDetokenizer(lang=_moses_lang(lang))


@lru_cache(maxsize=None)
def _tokenizer(lang: str):
    sacremoses = require("sacremoses", purpose="splitting translations into words")
    return sacremoses.MosesTokenizer(lang=_moses_lang(lang))


def detokenize(tokens: Sequence[str], lang: str) -> str:
    """One sentence string for the MT model."""
    if lang in NO_SPACE_LANGS:
        return "".join(tokens)
    return _detokenizer(lang).detokenize(list(tokens))


def _in_word(ch: str) -> bool:
    """A combining mark (category M), a zero-width (non-)joiner or a soft hyphen: written inside a word, never one
    of its own."""
    return unicodedata.category(ch)[0] == "M" or ch in "\u200c\u200d\u00ad"


def _moses_words(moses, text: str) -> list[str]:
    """Moses words of ``text``, with the marks it splits off glued back. Moses pads every character that is not
    alphanumeric by its tables, and those leave out many combining marks and the joiners: the tone marks of
    Yoruba, Fon, Ewe or Ghomálá' written decomposed (``Ọlọ́run`` -> ``Ọlọ`` ``́`` ``run``), the Burmese asat, the
    Russian stress accent, Persian's zero-width non-joiner (``قهوه‌ای``), a soft hyphen. Found in review: translate-train wrote
    such pieces as words of their own. A piece made of them joins the words it touched in ``text``."""
    words = moses.tokenize(text, escape=False)
    out: list[str] = []
    pos, glue_next = 0, False
    for word in words:
        at = text.find(word, pos)
        if at < 0:  # a word Moses rewrote: kept as it is, and nothing glued across it
            out.append(word)
            glue_next = False
            continue
        touching = bool(out) and at == pos
        if touching and (_in_word(word[0]) or (glue_next and unicodedata.category(word[0])[0] in "LN")):
            out[-1] += word
        else:
            out.append(word)
        glue_next = _in_word(word[-1])  # a letter right after a mark was split off by it
        pos = at + len(word)
    return out


def split_words(text: str, lang: str) -> list[str]:
    """Words of a sentence in ``lang`` (English: Moses/Treebank-style rules), combining marks, zero-width
    (non-)joiners and soft hyphens kept in their word."""
    text = text.strip()
    if not text:
        return []
    moses = _tokenizer(lang)
    if lang not in NO_SPACE_LANGS:
        return _moses_words(moses, text)
    words: list[str] = []
    for piece in _CHAR_SCRIPT.split(text):
        if not piece.strip():
            continue
        if _CHAR_SCRIPT.fullmatch(piece):
            words.append(piece)
        else:
            words.extend(_moses_words(moses, piece.strip()))
    return words


def english_words(text: str) -> list[str]:
    return split_words(text, "en")


def split_to_fit(text: str, count: Callable[[str], int], limit: int, *, joiner: str = " ") -> list[str]:
    """Cut ``text`` into consecutive pieces of at most ``limit`` units by ``count`` (the MT model's tokens),
    at spaces where possible, else between characters. Pieces joined by ``joiner`` give back ``text``
    (up to whitespace). A text that fits comes back whole."""
    if limit < 1:
        raise ValueError(f"limit must be ≥ 1, got {limit}")
    if count(text) <= limit:
        return [text]
    units = list(text) if joiner == "" else text.split()
    if len(units) == 1:  # one long word: cut between characters
        units, joiner = list(units[0]), ""
    pieces: list[str] = []
    current: list[str] = []
    for unit in units:
        trial = joiner.join(current + [unit])
        if current and count(trial) > limit:
            pieces.append(joiner.join(current))
            current = [unit]
        else:
            current.append(unit)
    if current:
        pieces.append(joiner.join(current))
    out: list[str] = []
    for piece in pieces:  # a single unit may still be too long
        out.extend(split_to_fit(piece, count, limit, joiner="") if count(piece) > limit and len(piece) > 1 else [piece])
    return out
