"""Language codes: dataset code (PAN-X ISO 639-1, MasakhaNER2 ISO 639-3) -> MT model code.

NLLB-200 codes are ``<iso639-3>_<Script>`` (FLORES-200); M2M100 uses ISO 639-1 codes. NLLB-200 covers 18 of
the 20 MasakhaNER2 languages: it has no Ghomálá' (bbj) and no Nigerian Pidgin (pcm).
"""

from __future__ import annotations

#: PAN-X (XTREME) languages, English included
XTREME_NLLB: dict[str, str] = {
    "af": "afr_Latn", "ar": "arb_Arab", "bg": "bul_Cyrl", "bn": "ben_Beng", "de": "deu_Latn", "el": "ell_Grek",
    "en": "eng_Latn", "es": "spa_Latn", "et": "est_Latn", "eu": "eus_Latn", "fa": "pes_Arab", "fi": "fin_Latn",
    "fr": "fra_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hu": "hun_Latn", "id": "ind_Latn", "it": "ita_Latn",
    "ja": "jpn_Jpan", "jv": "jav_Latn", "ka": "kat_Geor", "kk": "kaz_Cyrl", "ko": "kor_Hang", "ml": "mal_Mlym",
    "mr": "mar_Deva", "ms": "zsm_Latn", "my": "mya_Mymr", "nl": "nld_Latn", "pt": "por_Latn", "ru": "rus_Cyrl",
    "sw": "swh_Latn", "ta": "tam_Taml", "te": "tel_Telu", "th": "tha_Thai", "tl": "tgl_Latn", "tr": "tur_Latn",
    "ur": "urd_Arab", "vi": "vie_Latn", "yo": "yor_Latn", "zh": "zho_Hans",
}  # fmt: skip

#: MasakhaNER2 languages; None: NLLB-200 has no code for the language
MASAKHANER2_NLLB: dict[str, str | None] = {
    "bam": "bam_Latn", "bbj": None, "ewe": "ewe_Latn", "fon": "fon_Latn", "hau": "hau_Latn", "ibo": "ibo_Latn",
    "kin": "kin_Latn", "lug": "lug_Latn", "luo": "luo_Latn", "mos": "mos_Latn", "nya": "nya_Latn", "pcm": None,
    "sna": "sna_Latn", "swa": "swh_Latn", "tsn": "tsn_Latn", "twi": "twi_Latn", "wol": "wol_Latn", "xho": "xho_Latn",
    "yor": "yor_Latn", "zul": "zul_Latn",
}  # fmt: skip

#: ISO 639-1 codes of MasakhaNER2 languages, for M2M100-style models (which may still lack some)
_MASAKHANER2_ISO1 = {
    "hau": "ha", "ibo": "ig", "kin": "rw", "lug": "lg", "nya": "ny", "sna": "sn", "swa": "sw", "tsn": "tn",
    "wol": "wo", "xho": "xh", "yor": "yo", "zul": "zu", "ewe": "ee", "bam": "bm", "twi": "tw",
}  # fmt: skip

LANGUAGE_NAMES = {"bbj": "Ghomálá'", "pcm": "Nigerian Pidgin"}

#: languages whose PAN-X tokens are characters and whose text has no spaces between words
NO_SPACE_LANGS = frozenset({"ja", "zh", "th"})

ALL_LANGS = tuple(sorted(set(XTREME_NLLB) | set(MASAKHANER2_NLLB)))


class UnsupportedLanguageError(ValueError):
    """The MT model has no code for the language; the message lists the ways out (of the CLI's translate-test and
    translate-train; ``for_config`` says those of a builder config)."""

    def __init__(self, lang: str, model: str, role: str = "translation") -> None:
        super().__init__(missing_language_message(lang, model, role))
        self.lang, self.model, self.role = lang, model, role

    def __reduce__(self):  # pickled (a Ray task's error) by its own arguments, not the message alone
        return (type(self), (self.lang, self.model, self.role))

    def for_config(self, config: str) -> str:
        """The message for the builder config named ``config``, which takes neither a translations file nor a model
        language code. Found in review: ``build`` repeated the CLI's advice (``--translations FILE``,
        ``--mt-lang-code``), options that ``build`` and ``SilverNERConfig`` do not have."""
        name = LANGUAGE_NAMES.get(self.lang, self.lang)
        if self.role == "back-translation":
            return (f"config {config}: the back-translation model {self.model} has no language code for {self.lang} "
                    f"({name}); NLLB-200 lacks bbj and pcm, and a builder config takes no model language code: build "
                    f"{config} without back-translation (--back-translation), or leave it out of the configs")
        return (
            f"config {config}: the {self.role} model {self.model} has no language code for {self.lang} ({name}); "
            f"NLLB-200 lacks bbj and pcm, and a builder config takes neither a translations file nor a model language "
            f"code. Leave {config} out of the configs, or make its silver data with silver-ner translate-test or "
            f"translate-train --lang {self.lang} and --translations FILE (or a model that covers {self.lang} with "
            f"--mt-lang-code CODE)"
        )


def _check_known(lang: str) -> None:
    if lang not in XTREME_NLLB and lang not in MASAKHANER2_NLLB:
        raise ValueError(f"unknown language {lang!r}; valid: {', '.join(ALL_LANGS)}")


def nllb_code(lang: str) -> str | None:
    """The NLLB-200 code of a dataset language (``swa`` -> ``swh_Latn``), None where NLLB lacks it."""
    _check_known(lang)
    return XTREME_NLLB[lang] if lang in XTREME_NLLB else MASAKHANER2_NLLB[lang]


def m2m100_code(lang: str) -> str:
    """The ISO 639-1 code an M2M100 model uses (its tokenizer says whether it covers it)."""
    _check_known(lang)
    return lang if lang in XTREME_NLLB else _MASAKHANER2_ISO1.get(lang, lang)


def missing_language_message(lang: str, model: str, role: str = "translation") -> str:
    name = LANGUAGE_NAMES.get(lang, lang)
    if role == "back-translation":
        return (
            f"the back-translation model {model} has no language code for {lang} ({name}); NLLB-200 lacks bbj and "
            f"pcm. Ways out: leave --back-translation out, or pass --bt-model (and --bt-tokenizer) with a model that "
            f"covers {lang} together with --mt-lang-code CODE (the code that model uses for {lang})"
        )
    return (
        f"the translation model {model} has no language code for {lang} ({name}); NLLB-200 covers 18 of the 20 "
        f"MasakhaNER2 languages and lacks bbj and pcm. Ways out: pass --translations FILE with one translation per "
        f"sentence (same order), or --mt-model with a model that covers {lang} together with --mt-lang-code CODE "
        f"(the code that model uses for {lang})"
    )
