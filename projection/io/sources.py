"""Gold NER datasets: XTREME PAN-X, MasakhaNER2, CoNLL-2003 English, from disk or from the Hub.

On disk (``data_dir``), in their published layouts:

- ``xtreme`` / ``panx-en``: ``{train,dev,test}-<lang>.tsv`` (tab separated, as XTREME's preprocessing writes);
- ``masakhaner2``: ``<lang>/{train,dev,test}.txt`` (space separated);
- ``conll2003``: ``en.conll.{train,dev,test}.tsv`` (or ``en/en.conll.<split>.tsv``), ``-DOCSTART-`` skipped.

From the Hub (no ``data_dir``): ``google/xtreme`` config ``PAN-X.<lang>``, ``masakhane/masakhaner2`` config
``<lang>``, ``eriktks/conll2003``; integer tags become strings through the ClassLabel names. Gold tags are
repaired to IOB2 either way.
"""

from __future__ import annotations

import logging
from pathlib import Path

from projection.io.conll import read_conll
from projection.extras import require
from projection.tags import repair_iob2
from projection.types import Sentence

logger = logging.getLogger(__name__)

XTREME_LANGS: tuple[str, ...] = (
    "af", "ar", "bg", "bn", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "hu", "id", "it",
    "ja", "jv", "ka", "kk", "ko", "ml", "mr", "ms", "my", "nl", "pt", "ru", "sw", "ta", "te", "th", "tl", "tr",
    "ur", "vi", "yo", "zh",
)  # fmt: skip
MASAKHANER2_LANGS: tuple[str, ...] = (
    "bam", "bbj", "ewe", "fon", "hau", "ibo", "kin", "lug", "luo", "mos", "nya", "pcm", "sna", "swa", "tsn",
    "twi", "wol", "xho", "yor", "zul",
)  # fmt: skip
DATASETS = ("xtreme", "masakhaner2", "conll2003", "panx-en")
SPLITS = ("train", "dev", "test")
_HUB = {"xtreme": "google/xtreme", "panx-en": "google/xtreme", "masakhaner2": "masakhane/masakhaner2",
        "conll2003": "eriktks/conll2003"}
#: MasakhaNER2 train has empty tokens (e.g. xho); they become this placeholder
EMPTY_TOKEN = "_"


def _check(dataset: str, lang: str, split: str) -> tuple[str, str]:
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; valid: {', '.join(DATASETS)}")
    split = {"validation": "dev"}.get(split, split)
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; valid: {', '.join(SPLITS)}")
    valid = {"xtreme": XTREME_LANGS, "masakhaner2": MASAKHANER2_LANGS}.get(dataset, ("en",))
    if lang not in valid:
        raise ValueError(f"dataset {dataset} has no language {lang!r}; valid: {', '.join(valid)}")
    return ("xtreme" if dataset == "panx-en" else dataset), split


def expected_path(dataset: str, lang: str, split: str, data_dir: str | Path) -> Path:
    """Where ``data_dir`` must hold the split (the published layout)."""
    dataset, split = _check(dataset, lang, split)
    root = Path(data_dir)
    if dataset == "xtreme":
        return root / f"{split}-{lang}.tsv"
    if dataset == "masakhaner2":
        return root / lang / f"{split}.txt"
    nested = root / "en" / f"en.conll.{split}.tsv"
    return nested if nested.is_file() else root / f"en.conll.{split}.tsv"


def load_sentences(dataset: str, lang: str, split: str, *, data_dir: str | None = None,
                   limit: int | None = None) -> list[Sentence]:
    """Gold sentences with repaired IOB2 tags; ``limit``: the first N only."""
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be ≥ 1, got {limit}")
    name, split_ = _check(dataset, lang, split)
    if data_dir is not None:
        path = expected_path(dataset, lang, split, data_dir)
        if not path.is_file():
            present = sorted(p.name for p in path.parent.glob(f"*{path.suffix}")) if path.parent.is_dir() else []
            hint = f" (found: {', '.join(present[:8])})" if present else ""
            raise FileNotFoundError(f"{dataset} {lang} {split_}: expected {path}{hint}")
        sentences = list(read_conll(path, empty_token=EMPTY_TOKEN).sentences)
        if name == "masakhaner2" and any(EMPTY_TOKEN == t for s in sentences for t in s.tokens):
            logger.info("%s: empty tokens were replaced by %r", path, EMPTY_TOKEN)
    else:
        sentences = _from_hub(name, lang, split_, limit)
    return sentences[:limit] if limit is not None else sentences


def _from_hub(dataset: str, lang: str, split: str, limit: int | None) -> list[Sentence]:
    datasets = require("datasets", purpose=f"loading {dataset} from the Hugging Face Hub (or pass --data-dir)")
    repo = _HUB[dataset]
    config = {"xtreme": f"PAN-X.{lang}", "masakhaner2": lang}.get(dataset)
    hub_split = {"dev": "validation"}.get(split, split)
    where = f"{repo}" + (f" config {config}" if config else "") + f" split {hub_split}"
    try:
        data = datasets.load_dataset(repo, config, split=hub_split) if config else datasets.load_dataset(repo, split=hub_split)
    except Exception as err:  # noqa: BLE001 - datasets raises many kinds; report one actionable line
        raise FileNotFoundError(f"cannot load {where} from the Hub ({type(err).__name__}: {err}); "
                                f"download the files and pass --data-dir DIR") from err
    names = data.features["ner_tags"].feature.names
    out: list[Sentence] = []
    for k, row in enumerate(data):
        if limit is not None and k >= limit:
            break
        tags, _ = repair_iob2([names[t] for t in row["ner_tags"]], where=f"{where} row {k}")
        tokens = tuple(t if t else EMPTY_TOKEN for t in row["tokens"])
        out.append(Sentence(tokens, tuple(tags), id=f"{repo}:{hub_split}:{k}"))
    return out
