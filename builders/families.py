"""The source families behind the builder configs: which languages, labels, licences and Hub datasets.

A config name is ``<family>.<lang>`` (``xtreme.de``, ``masakhaner2.hau``, ``europarl-ner.de``) or
``translate-train.<english source>.<lang>`` (``translate-train.conll2003.swa``).
"""

from __future__ import annotations

from dataclasses import dataclass

from projection.io.sources import MASAKHANER2_LANGS, XTREME_LANGS  # 40 PAN-X and 20 MasakhaNER 2.0 languages

PAPER_CITATION = """@inproceedings{politov-etal-2025-revisiting,
  title = {Revisiting Projection-based Data Transfer for Cross-Lingual Named Entity Recognition in Low-Resource Languages},
  author = {Politov, Andrei and Shkalikov, Oleh and J{\\"a}kel, Ren{\\'e} and F{\\"a}rber, Michael},
  booktitle = {Proceedings of the Joint 25th Nordic Conference on Computational Linguistics and 11th Baltic Conference on Human Language Technologies (NoDaLiDa/Baltic-HLT 2025)},
  pages = {499--507},
  year = {2025},
  url = {https://aclanthology.org/2025.nodalida-1.54/}
}"""


@dataclass(frozen=True)
class Family:
    """One kind of builder config.

    ``kind``: ``parallel-gold`` (English gold spans projected onto gold-annotated parallel target text; no
    model), ``translate-test`` (gold target sentences, translated to English, labelled there, projected back)
    or ``translate-train`` (an English gold corpus translated into the target language, labels projected).
    """

    name: str
    kind: str
    langs: tuple[str, ...]
    target_types: tuple[str, ...]
    source_types: tuple[str, ...]
    license: str
    source_datasets: tuple[str, ...]
    pretty: str
    default_splits: tuple[str, ...]
    #: entity types left out of the P/R/F1 against gold (the paper's MasakhaNER2 protocol)
    eval_ignore: tuple[str, ...] = ()
    citation: str = ""

    @property
    def has_gold(self) -> bool:
        return self.kind != "translate-train"

    @property
    def needs_model(self) -> bool:
        return self.kind != "parallel-gold"


_CONLL_TYPES = ("PER", "ORG", "LOC", "MISC")
_PANX_TYPES = ("PER", "ORG", "LOC")
_EN_NER_TYPES = _CONLL_TYPES  # the English NER models are CoNLL-03 taggers
# WikiANN, and XTREME, whose PAN-X splits and preprocessing (google/xtreme) the configs read (found in review: the
# README asks to cite XTREME, Hu et al. 2020, and the cards of PAN-X configs did not)
_PANX_CITATION = ("@inproceedings{pan-etal-2017-cross, title={Cross-lingual Name Tagging and Linking for 282 "
                  "Languages}, author={Pan, Xiaoman and others}, booktitle={ACL}, year={2017}}\n\n"
                  "@inproceedings{hu-etal-2020-xtreme, title={{XTREME}: A Massively Multilingual Multi-task Benchmark "
                  "for Evaluating Cross-lingual Generalisation}, author={Hu, Junjie and Ruder, Sebastian and Siddhant, "
                  "Aditya and Neubig, Graham and Firat, Orhan and Johnson, Melvin}, booktitle={ICML}, year={2020}}\n\n"
                  # the PAN-X train/dev/test splits that XTREME uses (found in review: not cited)
                  "@inproceedings{rahimi-etal-2019-massively, title={Massively Multilingual Transfer for {NER}}, "
                  "author={Rahimi, Afshin and Li, Yuan and Cohn, Trevor}, booktitle={ACL}, year={2019}, "
                  "pages={151--164}}")

FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            "xtreme", "translate-test", XTREME_LANGS, _PANX_TYPES, _EN_NER_TYPES, "unknown",
            ("google/xtreme",), "XTREME PAN-X (WikiANN)", ("test",), citation=_PANX_CITATION,
        ),
        Family(
            "masakhaner2", "translate-test", MASAKHANER2_LANGS, ("PER", "ORG", "LOC", "DATE"), _EN_NER_TYPES,
            "cc-by-nc-4.0", ("masakhane/masakhaner2",), "MasakhaNER 2.0", ("test",), eval_ignore=("DATE", "MISC"),
            citation="@inproceedings{adelani-etal-2022-masakhaner, title={{MasakhaNER} 2.0: Africa-centric Transfer "
            "Learning for Named Entity Recognition}, author={Adelani, David Ifeoluwa and others}, booktitle={EMNLP}, "
            "year={2022}}",
        ),
        Family(
            "europarl-ner", "parallel-gold", ("de", "es", "it"), _CONLL_TYPES, _CONLL_TYPES, "other",
            ("ShkalikovOleh/europarl-ner",), "Europarl-NER (Agerri et al. 2018)", ("test",),
            citation="@inproceedings{agerri-etal-2018-building, title={Building Named Entity Recognition Taggers via "
            "Parallel Corpora}, author={Agerri, Rodrigo and Chung, Yiling and Aldabe, Itziar and Aranberri, Nora and "
            "Labaka, Gorka and Rigau, German}, booktitle={LREC}, year={2018}}",
        ),
        Family(
            "uner-pud", "parallel-gold", ("de",), _PANX_TYPES, _PANX_TYPES, "cc-by-sa-4.0",
            ("universalner/universal_ner",), "Universal NER, Parallel UD (PUD)", ("test",),
            citation="@inproceedings{mayhew-etal-2024-universal, title={Universal {NER}: A Gold-Standard Multilingual "
            "Named Entity Recognition Benchmark}, author={Mayhew, Stephen and others}, booktitle={NAACL}, "
            "year={2024}}",
        ),
        Family(
            "translate-train.conll2003", "translate-train",
            tuple(sorted(set(XTREME_LANGS + MASAKHANER2_LANGS) - {"en"})), _CONLL_TYPES, _CONLL_TYPES, "other",
            ("eriktks/conll2003",), "CoNLL-2003 English, translated", ("train",),
            citation="@inproceedings{tjong-kim-sang-de-meulder-2003-introduction, title={Introduction to the "
            "{CoNLL}-2003 Shared Task}, author={Tjong Kim Sang, Erik F. and De Meulder, Fien}, booktitle={CoNLL}, "
            "year={2003}}",
        ),
        Family(
            "translate-train.panx-en", "translate-train",
            tuple(sorted(set(XTREME_LANGS + MASAKHANER2_LANGS) - {"en"})), _PANX_TYPES, _PANX_TYPES, "unknown",
            ("google/xtreme",), "PAN-X English, translated", ("train",), citation=_PANX_CITATION,
        ),
    )
}  # fmt: skip

#: the English source of each translate-train family as named by ``projection.io.sources.load_sentences``
TRANSLATE_TRAIN_SOURCES = {
    "translate-train.conll2003": ("conll2003", "en"),
    "translate-train.panx-en": ("panx-en", "en"),
}
#: the ``load_sentences`` dataset name of each translate-test family
TRANSLATE_TEST_SOURCES = {"xtreme": "xtreme", "masakhaner2": "masakhaner2"}


def parse_config_name(name: str) -> tuple[Family, str]:
    """``"europarl-ner.de"`` -> (the europarl-ner family, ``"de"``); unknown names list the valid forms."""
    family_name, dot, lang = name.rpartition(".")
    family = FAMILIES.get(family_name) if dot else None
    if family is None:
        raise ValueError(
            f"unknown config {name!r}; valid forms: "
            + ", ".join(f"{f}.<lang>" for f in FAMILIES)
            + " (list them with builders.all_config_names())"
        )
    if lang not in family.langs:
        valid = ", ".join(family.langs)
        raise ValueError(f"config {name!r}: language {lang!r} is not one of {family.name}'s: {valid}")
    return family, lang


def all_config_names() -> list[str]:
    """Every valid config name, family by family."""
    out = []
    for family in FAMILIES.values():
        out.extend(f"{family.name}.{lang}" for lang in family.langs)
    return out


def label_names(types: tuple[str, ...]) -> list[str]:
    """ClassLabel names: ``O`` then ``B-``/``I-`` per type, in the given order (the Hub datasets' order)."""
    names = ["O"]
    for t in types:
        names += [f"B-{t}", f"I-{t}"]
    return names
