"""Gold NER datasets: XTREME PAN-X, MasakhaNER2, CoNLL-2003 English, from disk or from the Hub.

On disk (``data_dir``), in their published layouts:

- ``xtreme`` / ``panx-en``: ``{train,dev,test}-<lang>.tsv`` (tab separated, as XTREME's preprocessing writes);
- ``masakhaner2``: ``<lang>/{train,dev,test}.txt`` (space separated);
- ``conll2003``: ``en.conll.{train,dev,test}.tsv`` (or ``en/en.conll.<split>.tsv``), ``-DOCSTART-`` skipped.

From the Hub (no ``data_dir``): ``google/xtreme`` config ``PAN-X.<lang>``, ``masakhane/masakhaner2`` config
``<lang>``, ``eriktks/conll2003`` config ``conll2003``, split ``dev`` read as ``validation``. The Parquet files
are read directly (no loading script is ever run; ``datasets`` ≥ 4 refuses them): from ``main`` when it holds
Parquet for the config and split, else from the parquet-converter's branch ``refs/convert/parquet``
(``<config>/<split>/NNNN.parquet`` or ``<config>/<name>-<split>[-NNNNN-of-NNNNN].parquet``). The revision
read is pinned to its commit sha, which ``load_source`` returns. Offline (``HF_HUB_OFFLINE=1``) the same
lookup runs over the local Hub cache. Integer tags become strings through the ClassLabel names stored in the
Parquet metadata (else the label list of the dataset's loading script). Gold tags are repaired to IOB2.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from projection.extras import require
from projection.io.conll import WS, read_conll
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
_HUB = {"xtreme": "google/xtreme", "masakhaner2": "masakhane/masakhaner2", "conll2003": "eriktks/conll2003"}
#: ClassLabel names as each dataset's loading script defines them (used when a Parquet file lacks the metadata)
HUB_LABELS: dict[str, tuple[str, ...]] = {
    "xtreme": ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"),
    "masakhaner2": ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE"),
    "conll2003": ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"),
}
CONVERT_BRANCH = "refs/convert/parquet"
#: MasakhaNER2 train has empty tokens (e.g. xho); they become this placeholder
EMPTY_TOKEN = "_"
_SPLIT_WORDS = {"train": "train", "validation": "validation", "dev": "validation", "valid": "validation",
                "test": "test"}


class HubSourceError(ValueError):
    """A dataset could not be read from the Hub; the message names the repo, what was tried and ``--data-dir``."""


@dataclass(frozen=True)
class SourceData:
    """The gold sentences of one split and where they came from.

    ``origin``: the local file, or ``hf://datasets/<repo>@<revision>/<file>[,...]``; ``revision``: the Hub
    commit sha read (None for a local file); ``content``: sha256 of the bytes read, so a cache keyed by it
    notices a data file edited in place.
    """

    sentences: tuple[Sentence, ...]
    origin: str
    revision: str | None
    content: str


def canonical_split(split: str) -> str:
    """The split's name as the sources use it (``validation`` is ``dev``)."""
    return {"validation": "dev"}.get(split, split)


def _check(dataset: str, lang: str, split: str) -> tuple[str, str]:
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; valid: {', '.join(DATASETS)}")
    split = canonical_split(split)
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
    return list(load_source(dataset, lang, split, data_dir=data_dir, limit=limit).sentences)


def load_source(dataset: str, lang: str, split: str, *, data_dir: str | None = None,
                limit: int | None = None) -> SourceData:
    """Like ``load_sentences``, with the origin, the Hub revision and a content hash of what was read."""
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be ≥ 1, got {limit}")
    name, split_ = _check(dataset, lang, split)
    if data_dir is None:
        return _from_hub(name, lang, split_, limit)
    path = expected_path(dataset, lang, split, data_dir)
    if not path.is_file():
        present = sorted(p.name for p in path.parent.glob(f"*{path.suffix}")) if path.parent.is_dir() else []
        hint = f" (found: {', '.join(present[:8])})" if present else ""
        raise FileNotFoundError(f"{dataset} {lang} {split_}: expected {path}{hint}")
    content = hashlib.sha256(path.read_bytes()).hexdigest()
    corpus = read_conll(path, empty_token=EMPTY_TOKEN)
    if corpus.sentences and not corpus.has_tags:
        raise ValueError(f"{path}: no tag column; gold NER needs token<TAB>tag lines (XTREME's own preprocessing "
                         "drops the test labels: read the split from the Hub, or give the labelled file)")
    sentences = corpus.sentences
    if corpus.empty_replaced:  # counted where read: a real "_" token is no replacement
        logger.info("%s: %d empty tokens were replaced by %r", path, corpus.empty_replaced, EMPTY_TOKEN)
    return SourceData(tuple(sentences[:limit] if limit is not None else sentences), str(path), None, content)


# ---- the Hub ---------------------------------------------------------------------------------------------
def hub_location(dataset: str, lang: str, split: str) -> tuple[str, str, str]:
    """``(repo, config, hub split)`` of a dataset split on the Hub."""
    name, split_ = _check(dataset, lang, split)
    config = {"xtreme": f"PAN-X.{lang}", "masakhaner2": lang}.get(name, "conll2003")
    return _HUB[name], config, {"dev": "validation"}.get(split_, split_)


def split_of(path: str) -> str | None:
    """The split a data file name denotes (``test/0000.parquet``, ``swa-test.parquet``, ``validation-0-of-1``)."""
    for word in re.split(r"[/\-._]", path.rsplit(".", 1)[0]):
        if word.lower() in _SPLIT_WORDS:
            return _SPLIT_WORDS[word.lower()]
    return None


def data_files(files: list[str], config: str, split: str) -> list[str]:
    """The Parquet files of ``config`` and ``split`` among a revision's files, in order."""
    prefix = config + "/"
    return sorted(f for f in files if f.endswith(".parquet") and f.startswith(prefix)
                  and split_of(f[len(prefix) :]) == split)


def _is_script_repo(files: list[str]) -> bool:
    return any(f.endswith(".py") and "/" not in f for f in files)


def _from_hub(dataset: str, lang: str, split: str, limit: int | None) -> SourceData:
    hub = require("huggingface_hub", purpose=f"loading {dataset} from the Hugging Face Hub (or pass --data-dir)")
    repo, config, hub_split = hub_location(dataset, lang, split)
    where = f"{repo} config {config} split {hub_split}"
    tried: list[str] = []
    for revision in ("main", CONVERT_BRANCH):
        try:
            sha, files = _listing(hub, repo, revision)
        except Exception as err:  # noqa: BLE001 - network, auth, offline cache miss: report each and go on
            tried.append(f"{revision}: {type(err).__name__}: {' '.join(str(err).split())[:200]}")
            continue
        found = data_files(files, config, hub_split)
        if found:
            return _read_parquet(hub, dataset, repo, sha, found, hub_split, limit, revision)
        script = " (a loading script, which datasets ≥ 4 no longer runs)" if _is_script_repo(files) else ""
        configs = sorted({f.split("/", 1)[0] for f in files if f.endswith(".parquet") and "/" in f})
        have = f"; Parquet configs there: {', '.join(configs[:10])}" if configs else "; no Parquet files"
        tried.append(f"{revision} (commit {sha[:12]}){script}: no Parquet for {config}/{hub_split}{have}")
    raise HubSourceError(
        f"cannot read {where} from the Hugging Face Hub; tried {' | '.join(tried)}. Download the split in its "
        f"published layout and pass --data-dir DIR (the file {expected_path(dataset, lang, split, 'DIR')})"
    )


def _listing(hub, repo: str, revision: str) -> tuple[str, list[str]]:
    """``(commit sha, files)`` of a revision: from the Hub, or from the local cache when offline."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return _cached_listing(repo, revision)
    api = hub.HfApi()
    sha = api.dataset_info(repo, revision=revision).sha
    return sha, sorted(api.list_repo_files(repo, repo_type="dataset", revision=sha))


def _cached_listing(repo: str, revision: str) -> tuple[str, list[str]]:
    from huggingface_hub import constants

    root = Path(constants.HF_HUB_CACHE) / f"datasets--{repo.replace('/', '--')}"
    ref = root / "refs" / revision
    if not ref.is_file():
        raise FileNotFoundError(f"HF_HUB_OFFLINE=1 and {revision} of {repo} is not in the Hub cache ({root})")
    sha = ref.read_text(encoding="utf-8").strip()
    snapshot = root / "snapshots" / sha
    return sha, sorted(p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file())


def _read_parquet(hub, dataset: str, repo: str, sha: str, files: list[str], split: str, limit: int | None,
                  revision: str) -> SourceData:
    require("pyarrow", purpose=f"reading the Parquet files of {repo}")
    import pyarrow.parquet as pq

    out: list[Sentence] = []
    digest = hashlib.sha256()
    for name in files:
        # by revision name, so that the cache records the branch for offline use; the snapshot is the commit.
        # Every file is fetched, also once ``limit`` rows are read: an offline run lists the cached snapshot,
        # which must then hold the whole split (a limited run left half of it, read later as the full split)
        path = Path(hub.hf_hub_download(repo, name, repo_type="dataset", revision=revision))
        read_sha = path.parents[len(Path(name).parts) - 1].name
        if read_sha != sha:
            raise HubSourceError(f"{repo} {revision} moved from commit {sha[:12]} to {read_sha[:12]} while "
                                 f"{name} was read; run again")
        if limit is not None and len(out) >= limit:
            continue
        digest.update(path.read_bytes())
        table = pq.read_table(path)
        names = _label_names(table.schema, dataset, f"{repo}@{sha[:12]}/{name}")
        tokens_col, tags_col = table.column("tokens").to_pylist(), table.column("ner_tags").to_pylist()
        for k, (tokens, tags) in enumerate(zip(tokens_col, tags_col)):
            if limit is not None and len(out) >= limit:
                break
            where = f"{repo}@{sha[:12]}/{name} row {k}"
            tags = [t if isinstance(t, str) else _label(names, t, where) for t in tags]
            tags, _ = repair_iob2(tags, where=where)
            # as a CoNLL file reads (``--data-dir``): ASCII whitespace around a token stripped, an empty one "_"; a
            # token kept as " " could not be written (found in review)
            out.append(Sentence(tuple((t or "").strip(WS) or EMPTY_TOKEN for t in tokens), tuple(tags),
                                id=f"{repo}:{split}:{len(out)}"))
    if revision != "main":
        logger.info("%s: main is not Parquet for this split; read %s (commit %s)", repo, revision, sha[:12])
    origin = f"hf://datasets/{repo}@{sha}/" + ",".join(files)
    return SourceData(tuple(out), origin, sha, digest.hexdigest())


def _label(names: tuple[str, ...], tag: int, where: str) -> str:
    if not 0 <= tag < len(names):
        raise HubSourceError(f"{where}: tag id {tag} is outside the {len(names)} labels {', '.join(names)}")
    return names[tag]


def _label_names(schema, dataset: str, where: str) -> tuple[str, ...]:
    """ClassLabel names of ``ner_tags`` from the ``huggingface`` schema metadata, else the known list."""
    raw = (schema.metadata or {}).get(b"huggingface")
    if raw:
        feature = json.loads(raw).get("info", {}).get("features", {}).get("ner_tags")
        while isinstance(feature, (dict, list)):
            if isinstance(feature, list):
                feature = feature[0] if len(feature) == 1 else None
            elif "names" in feature:
                return tuple(feature["names"])
            else:
                feature = feature.get("feature")
    logger.info("%s: no ClassLabel names in the Parquet metadata; using the %s label list", where, dataset)
    return HUB_LABELS[dataset]
