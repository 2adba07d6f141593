"""Detokenisation before translation and word splitting after it (no downloaded data: sacremoses rules).

- ja, zh, th: tokens are joined without spaces. Translations into ja and zh are split into single characters, Latin
  letters and digits too (PAN-X tokenises these languages by character: ``G U N D A M``, ``2 0 0 6``); translations
  into th into single Thai characters, other runs (Latin, digits) by Moses rules.
- other languages: Moses detokenizer / tokenizer (``escape=False``: no ``&amp;`` entities), with combining marks and
  zero-width (non-)joiners and soft hyphens kept inside the word they are written in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Sequence

from projection.extras import require
from projection.neural.langs import MASAKHANER2_NLLB, NO_SPACE_LANGS

#: languages whose PAN-X tokens are single characters whatever the script (dev: 4,318 of 4,369 letter pairs and all
#: 1,642 digit pairs of Latin runs in zh, 2,660 of 2,852 and 1,808 in ja are split)
_PER_CHARACTER = frozenset({"ja", "zh"})

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


#: apostrophes as they are written inside words (ASCII, right and left single quotation marks, modifier letter)
_APOSTROPHES = "'\u2019\u2018\u02bc"
#: languages whose gold data keeps a word-final apostrophe in its word: Luo ``ng'`` (a letter: ``bang'``,
#: ``okang'``), Ghomálá' glottal stops (``ta'``), Yoruba elisions (``l'``, ``n'``); MasakhaNER 2.0 dev
_FINAL_APOSTROPHE = frozenset({"luo", "bbj", "yor"})
#: punctuation the gold data (PAN-X dev) keeps attached to the word before it
_ATTACHED_AFTER = {
    "ar": "\u060c\u061b\u061f", "fa": "\u060c\u061b\u061f", "ur": "\u060c\u061b\u061f\u06d4",  # ، ؛ ؟ ۔
    "hi": "\u0964\u0965", "bn": "\u0964\u0965",  # danda ।, double danda ॥
    "my": "\u104a\u104b",  # ၊ ။
}  # fmt: skip
#: MasakhaNER 2.0 languages. Their gold data writes every full stop as a token of its own: after an abbreviation
#: or initial (``Dr .``, ``M .``), after a number (``Desemba 2020 . kendo``: none of its tokens ends in a digit and a
#: stop), and each stop of an ellipsis (``. . .``); Moses keeps ``Dr.``, ``M.``, ``...`` whole, and ``2020.`` before
#: a lower-case word
_MASAKHANER2 = frozenset(MASAKHANER2_NLLB)
_WORD_THEN_STOP = re.compile(r"(.*[^\W_].*)\.")


def _letter(ch: str) -> bool:
    return ch.isalpha() or _in_word(ch)


def _glued(text: str, lang: str) -> set[int]:
    """Positions ``j`` of ``text`` where the gold data of ``lang`` has no word boundary between ``text[j-1]`` and
    ``text[j]`` but Moses puts one. Measured on MasakhaNER 2.0 and PAN-X dev data (English, the source side, keeps
    Moses's rules):

    - an apostrophe between letters (Hausa ``jama'a``, Igbo/Kinyarwanda ``n'otu``, Luganda ``gw'okugezaako``, French
      ``d'Uruguay``, Italian ``l'episodio``, Turkish ``Avustralya'da``, Hebrew ``ג'פרי``): gold keeps the word whole;
    - Hausa's hooked letters written with an apostrophe first (``‘yan``, ``‘dage``), Afrikaans ``'n``;
    - a word-final apostrophe in Luo, Ghomálá' and Yoruba (see ``_FINAL_APOSTROPHE``);
    - PAN-X: a colon or an en or em dash between digits (``3:56``, ``1:1``, ``1984–1985``); MasakhaNER 2.0 splits
      them (``10 : 30``);
    - the comma, semicolon and question mark of Arabic script, the danda, Burmese ``၊`` ``။`` after a word, and
      Burmese ``၌`` ``၍`` ``၎`` ``၏`` between letters (``ထိုနှစ်၌ပင်``).
    """
    if lang == "en" or lang in NO_SPACE_LANGS:
        return set()
    glued: set[int] = set()
    attached = _ATTACHED_AFTER.get(lang, "")
    n = len(text)
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if ch in _APOSTROPHES:
            if _letter(prev) and nxt.isalpha():
                glued.update((i, i + 1))
            elif _letter(prev) and lang in _FINAL_APOSTROPHE and not nxt.isalnum():
                glued.add(i)
            elif not _letter(prev) and not prev.isdigit():
                after = text[i + 2] if i + 2 < n else " "
                if (lang == "hau" and nxt in "bdkyBDKY" and after.isalpha()) or (
                        lang == "af" and nxt in "nN" and not _letter(after)):
                    glued.add(i + 1)
        elif ch in ":\u2013\u2014" and prev.isdigit() and nxt.isdigit() and lang not in _MASAKHANER2:
            glued.update((i, i + 1))
        elif ch in attached and _letter(prev):
            glued.add(i)
        elif lang == "my" and "\u104c" <= ch <= "\u104f" and _letter(prev) and _letter(nxt):
            glued.update((i, i + 1))
    return glued


def _moses_words(moses, text: str, lang: str = "en") -> list[str]:
    """Moses words of ``text``, with the marks it splits off glued back. Moses pads every character that is not
    alphanumeric by its tables, and those leave out many combining marks and the joiners: the tone marks of
    Yoruba, Fon, Ewe or Ghomálá' written decomposed (``Ọlọ́run`` -> ``Ọlọ`` ``́`` ``run``), the Burmese asat, the
    Russian stress accent, Persian's zero-width non-joiner (``قهوه‌ای``), a soft hyphen. Found in review: translate-train wrote
    such pieces as words of their own. A piece made of them joins the words it touched in ``text``. Words that
    touch where the gold data of ``lang`` writes one word (``_glued``) are joined too. Found in review: Moses cut
    ``jama'a``, ``n'otu``, ``d'Uruguay``, ``Avustralya'da``, ``3:56``, ``فرهنگی،`` and ``है।`` apart, which the
    gold data of those languages writes as one token (MasakhaNER 2.0 and PAN-X dev)."""
    words = moses.tokenize(text, escape=False)
    glued = _glued(text, lang)
    out: list[str] = []
    pos, glue_next = 0, False
    for word in words:
        at = text.find(word, pos)
        if at < 0:  # a word Moses rewrote: kept as it is, and nothing glued across it
            out.append(word)
            glue_next = False
            continue
        touching = bool(out) and at == pos
        if touching and (_in_word(word[0]) or at in glued or (glue_next and unicodedata.category(word[0])[0] in "LN")):
            out[-1] += word
        else:
            out.append(word)
        glue_next = _in_word(word[-1])  # a letter right after a mark was split off by it
        pos = at + len(word)
    if lang in _MASAKHANER2:
        out = [piece for word in out for piece in _stops_apart(word)]
    return out


def _stops_apart(word: str) -> list[str]:
    if len(word) > 1 and word == "." * len(word):
        return list(word)
    match = _WORD_THEN_STOP.fullmatch(word)
    return [match.group(1), "."] if match else [word]


def split_words(text: str, lang: str) -> list[str]:
    """Words of a sentence in ``lang`` (English: Moses/Treebank-style rules), combining marks, zero-width
    (non-)joiners and soft hyphens kept in their word."""
    text = text.strip()
    if not text:
        return []
    if lang in _PER_CHARACTER:  # a mark or joiner stays with the character it is written on
        words = []
        for prev, ch in zip(" " + text, text):
            if ch.isspace():
                continue
            if words and not prev.isspace() and _in_word(ch):
                words[-1] += ch
            else:
                words.append(ch)
        return words
    moses = _tokenizer(lang)
    if lang not in NO_SPACE_LANGS:
        return _moses_words(moses, text, lang)
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
