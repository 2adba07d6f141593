"""Data shipped inside the package: Europarl-NER (en/de/es/it) and NTREX-128 news sentences (en/de/es/it).

Europarl-NER (Agerri et al. 2018): 799 sentences of the Europarl corpus annotated with PER/ORG/LOC/MISC
in English, German, Spanish and Italian, sentence-aligned across the four files. NTREX-128 (CC BY-SA 4.0)
is extra aligner training text. Both are read through ``importlib.resources`` so a fresh install works offline.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from projection.io.conll import Corpus, read_conll

EUROPARL_LANGS = ("en", "de", "es", "it")
#: NTREX-128 files shipped for the aligner's extra training text (CC BY-SA 4.0, see data/ntrex/NOTICE)
NTREX_FILES = {"en": "eng", "de": "deu", "es": "spa", "it": "ita"}
NTREX_CITATION = (
    "Christian Federmann, Tom Kocmi, Ying Xin. 2022. NTREX-128 - News Test References for MT Evaluation of "
    "128 Languages. SUMEval 2022."
)
EUROPARL_CITATION = (
    "Rodrigo Agerri, Yiling Chung, Itziar Aldabe, Nora Aranberri, Gorka Labaka, German Rigau. 2018. "
    "Building Named Entity Recognition Taggers via Parallel Corpora. LREC 2018."
)


def europarl(lang: str) -> Corpus:
    """The embedded Europarl-NER file of ``lang`` (en, de, es, it)."""
    if lang not in EUROPARL_LANGS:
        raise ValueError(f"Europarl-NER has no language {lang!r}; valid: {', '.join(EUROPARL_LANGS)}")
    with resources.as_file(resources.files("projection") / "data" / "europarl" / f"{lang}.conll") as path:
        return read_conll(path)


@lru_cache(maxsize=8)
def ntrex_bitext(lang: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """English–``lang`` NTREX-128 sentence pairs (1,997), tokenised for the aligner; empty for a language
    the package does not ship (only de, es, it)."""
    from projection.align.text import tokenize

    if lang not in NTREX_FILES or lang == "en":
        return ()
    base = resources.files("projection") / "data" / "ntrex"
    eng = (base / "eng.txt").read_text(encoding="utf-8").splitlines()
    tgt = (base / f"{NTREX_FILES[lang]}.txt").read_text(encoding="utf-8").splitlines()
    if len(eng) != len(tgt):
        raise ValueError(f"NTREX-128 package data: {len(eng)} English lines but {len(tgt)} {lang} lines")
    return tuple((tuple(tokenize(a)), tuple(tokenize(b))) for a, b in zip(eng, tgt) if a.strip() and b.strip())
