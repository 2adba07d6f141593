"""Gold-annotated parallel corpora (English source, target language) for the ``parallel-gold`` configs.

- Europarl-NER (en/de/es/it, 799 sentence-aligned sentences): package data in ``projection/data/europarl``,
  or ``<data_dir>/<lang>-europarl.test.conll02`` (also ``<data_dir>/europarl-ner/…``) when a data_dir is given.
- UNER-PUD (en/de, 1,000 sentences, same ``sent_id`` order): ``<xx>_pud-ud-test.iob2`` under ``data_dir``,
  ``data_dir/uner-pud`` or ``data_dir/UNER_{English,German}-PUD``; columns ``ID FORM NER - annotator``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from projection.io.conll import read_conll
from projection.types import Sentence

_UNER_DIRS = {"en": "UNER_English-PUD", "de": "UNER_German-PUD"}


@dataclass(frozen=True)
class ParallelCorpus:
    """Sentence-aligned English gold sentences and target gold sentences, and where they came from."""

    source: tuple[Sentence, ...]
    target: tuple[Sentence, ...]
    origin: str

    def __post_init__(self) -> None:
        if len(self.source) != len(self.target):
            raise ValueError(
                f"{self.origin}: {len(self.source)} English sentences but {len(self.target)} target sentences; "
                "the files must be sentence-aligned"
            )

    def head(self, limit: int | None) -> "ParallelCorpus":
        if limit is None:
            return self
        return ParallelCorpus(self.source[:limit], self.target[:limit], self.origin)


def _first_existing(candidates: list[Path], what: str) -> Path:
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(f"{what} not found; looked for: {', '.join(str(p) for p in candidates)}")


def europarl_files(lang: str, data_dir: str | None) -> tuple[Path, Path] | None:
    """The (en, lang) files under ``data_dir``, or ``None`` for the embedded package data."""
    if data_dir is None:
        return None
    root = Path(data_dir)
    found = []
    for code in ("en", lang):
        name = f"{code}-europarl.test.conll02"
        found.append(_first_existing([root / name, root / "europarl-ner" / name], f"Europarl-NER {code} file"))
    return found[0], found[1]


def load_europarl(lang: str, data_dir: str | None = None) -> ParallelCorpus:
    files = europarl_files(lang, data_dir)
    if files is None:
        base = resources.files("projection") / "data" / "europarl"
        with resources.as_file(base / "en.conll") as en, resources.as_file(base / f"{lang}.conll") as tgt:
            return ParallelCorpus(read_conll(en).sentences, read_conll(tgt).sentences, "projection/data/europarl")
    en, tgt = files
    return ParallelCorpus(read_conll(en).sentences, read_conll(tgt).sentences, str(tgt.parent))


def uner_file(code: str, data_dir: str | None) -> Path:
    if data_dir is None:
        raise FileNotFoundError(
            "uner-pud needs data_dir (silver-ner build --data-dir DIR): a folder with en_pud-ud-test.iob2 and "
            "de_pud-ud-test.iob2 from github.com/UniversalNER/UNER_English-PUD and UNER_German-PUD"
        )
    root = Path(data_dir)
    name = f"{code}_pud-ud-test.iob2"
    return _first_existing(
        [root / name, root / "uner-pud" / name, root / _UNER_DIRS[code] / name], f"UNER-PUD {code} file"
    )


def load_uner_pud(lang: str, data_dir: str | None) -> ParallelCorpus:
    en, tgt = uner_file("en", data_dir), uner_file(lang, data_dir)
    src = read_conll(en, token_col=1, tag_col=2).sentences
    trg = read_conll(tgt, token_col=1, tag_col=2).sentences
    return ParallelCorpus(src, trg, str(tgt.parent))


def load_parallel(family: str, lang: str, data_dir: str | None = None, limit: int | None = None) -> ParallelCorpus:
    """The parallel gold corpus of a ``parallel-gold`` config (its only split is ``test``)."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive number of sentences or None, got {limit!r}")
    from projection.io.package_data import EUROPARL_LANGS

    targets = {"europarl-ner": EUROPARL_LANGS, "uner-pud": tuple(_UNER_DIRS)}.get(family)
    langs = None if targets is None else tuple(x for x in targets if x != "en")
    if langs is None:
        raise ValueError(f"{family!r} is not a parallel-gold family (europarl-ner, uner-pud)")
    if lang not in langs:
        raise ValueError(f"{family} has no target language {lang!r}; it has {', '.join(langs)} (English is the source)")
    corpus = load_europarl(lang, data_dir) if family == "europarl-ner" else load_uner_pud(lang, data_dir)
    return corpus.head(limit)
