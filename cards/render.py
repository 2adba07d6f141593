"""The dataset card: YAML metadata + a Markdown body, rendered by pure functions from ``ConfigCard`` records.

The YAML carries what the Hub and ``datasets`` read (``configs`` with ``data_files`` per split,
``dataset_info`` with the ClassLabel names, licences, languages, task categories) plus a ``silver_ner``
section with one machine-readable record per config (signature, metrics), so that a later push can merge
its configs into an existing card without losing the others (``records_from_card``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from typing import Any, Sequence

PRETTY_NAME = "Silver NER: projected named-entity labels for XTREME PAN-X, MasakhaNER 2.0 and parallel gold data"
TASK_CATEGORIES = ("token-classification",)
TASK_IDS = ("named-entity-recognition",)


def _yaml():
    from projection.extras import require

    return require("yaml", purpose="dataset cards")


@dataclass(frozen=True)
class ConfigCard:
    """Everything the card says about one config."""

    name: str
    kind: str
    languages: tuple[str, ...]
    license: str
    source_datasets: tuple[str, ...]
    signature: str
    #: split name -> ``SplitMetrics.as_dict()``
    metrics: dict[str, dict[str, Any]]
    #: split name -> path pattern inside the repo, e.g. ``europarl-ner.de/test-*.parquet``
    data_files: dict[str, str]
    license_note: str = ""
    citation: str = ""
    #: the ``dataset_info`` YAML entry (features, splits) or ``None``
    dataset_info: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.name or not self.data_files:
            raise ValueError(f"config card {self.name!r} needs a name and at least one split in data_files")
        for split, path in self.data_files.items():
            if not path.startswith(self.name + "/"):
                raise ValueError(f"config {self.name!r}: data file pattern {path!r} must lie under {self.name}/")

    def record(self) -> dict[str, Any]:
        """The ``silver_ner`` YAML record (everything not already in ``configs``/``dataset_info``)."""
        return {
            "kind": self.kind,
            "languages": list(self.languages),
            "license": self.license,
            "license_note": self.license_note,
            "source_datasets": list(self.source_datasets),
            "signature": self.signature,
            "metrics": self.metrics,
            "citation": self.citation,
        }


def split_front_matter(text: str, where: str = "README.md") -> tuple[dict[str, Any], str]:
    """(YAML metadata, body) of a card; a card without ``---`` front matter has empty metadata. Errors name
    ``where`` (the card's path, or ``repo:README.md``)."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise ValueError(f"{where}: the YAML front matter opened by '---' on line 1 is never closed by '---'")
    yaml = _yaml()
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{where}: the YAML front matter does not parse ({' '.join(str(err).split())}); fix or "
                         "remove the card") from None  # fmt: skip
    if not isinstance(meta, dict):
        raise ValueError(f"{where}: the YAML front matter is not a mapping")
    body = text[end + 4 :].lstrip("\n")
    return meta, body


def records_from_card(text: str, where: str = "README.md") -> tuple[list[ConfigCard], list[dict], list[dict]]:
    """The silver-ner configs of an existing card, and the ``configs``/``dataset_info`` entries of any other
    configs (kept as they are when the card is re-rendered); errors name ``where``."""
    return _checked_records(split_front_matter(text, where)[0], where)


def read_card(text: str, where: str = "README.md") -> tuple[list[ConfigCard], list[dict], list[dict], dict[str, Any]]:
    """What writing a card again keeps of an existing one, its front matter parsed once: ``records_from_card``'s
    three parts and its settings (``_settings``)."""
    meta, _ = split_front_matter(text, where)
    cards, foreign_configs, foreign_infos = _checked_records(meta, where)
    return cards, foreign_configs, foreign_infos, _settings(meta, cards)


def _checked_records(meta: dict[str, Any], where: str) -> tuple[list[ConfigCard], list[dict], list[dict]]:
    """``_records``, with a front matter of another shape than the one written (a hand-edited ``configs: [foo]``)
    one ``ValueError`` naming ``where``, not a traceback (found in review)."""
    try:
        return _records(meta)
    except (AttributeError, KeyError, TypeError, IndexError) as err:
        raise ValueError(f"{where}: the front matter's configs, dataset_info or silver_ner entries are not in the shape "
                         f"silver-ner writes ({type(err).__name__}: {err}); fix or remove the card") from None
    except ValueError as err:  # a record ConfigCard refuses (a data file outside its folder): which card says it
        raise ValueError(f"{where}: {err}; fix or remove the card") from None


def _records(meta: dict[str, Any]) -> tuple[list[ConfigCard], list[dict], list[dict]]:
    records = meta.get("silver_ner") or {}
    infos = {d.get("config_name"): d for d in meta.get("dataset_info") or [] if isinstance(d, dict)}
    if isinstance(meta.get("dataset_info"), dict):
        infos = {meta["dataset_info"].get("config_name", "default"): meta["dataset_info"]}
    cards, foreign_configs = [], []
    for entry in meta.get("configs") or []:
        name = entry.get("config_name")
        rec = records.get(name)
        if rec is None:
            foreign_configs.append(entry)
            continue
        files = entry.get("data_files") or []
        if isinstance(files, str):
            files = [{"split": "train", "path": files}]
        cards.append(
            ConfigCard(
                name=name,
                kind=rec.get("kind", ""),
                languages=tuple(rec.get("languages") or ()),
                license=rec.get("license", "unknown"),
                source_datasets=tuple(rec.get("source_datasets") or ()),
                signature=rec.get("signature", ""),
                metrics=dict(rec.get("metrics") or {}),
                data_files={f["split"]: f["path"] if isinstance(f["path"], str) else f["path"][0] for f in files},
                license_note=rec.get("license_note", ""),
                citation=rec.get("citation", ""),
                dataset_info=infos.get(name),
            )
        )
    mine = {c.name for c in cards}
    foreign_infos = [d for n, d in infos.items() if n not in mine]
    return cards, foreign_configs, foreign_infos


#: the top-level YAML keys a card's front matter gets from ``metadata``; any other key was put there by someone else
WRITTEN_KEYS = frozenset({
    "pretty_name", "language", "license", "license_name", "annotations_creators", "language_creators",
    "multilinguality", "source_datasets", "task_categories", "task_ids", "tags", "configs", "dataset_info",
    "silver_ner",
})  # fmt: skip


#: the top-level keys that describe the repo's data, made from the configs' records; values an existing card lists
#: there that none of its silver-ner configs accounts for (a config added by hand: its language, licence, source)
#: are kept when the card is written again
DATA_KEYS = ("language", "license", "source_datasets")


def _listed(value: Any) -> list[str]:
    """A front matter value given as one string or a list, as a list of its strings."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _settings(meta: dict[str, Any], cards: Sequence[ConfigCard] = ()) -> dict[str, Any]:
    """What an existing card holds that ``metadata`` does not make, kept when the card is written again: its other
    top-level keys (``viewer``, ``extra_gated_prompt`` …, under ``"keys"``), the configs it marks as the default
    (``default: true``, under ``"defaults"``) and, under ``"values"``, the ``DATA_KEYS`` values that its silver-ner
    configs ``cards`` do not account for (found in review: a config added by hand kept its ``configs`` entry, but its
    language and licence were dropped from the card's ``language`` and ``license``, so the Hub misstated the repo's
    licence)."""
    defaults = sorted(e["config_name"] for e in meta.get("configs") or []
                      if isinstance(e, dict) and e.get("default") is True and "config_name" in e)  # fmt: skip
    ours = _data_values(cards)
    values: dict[str, Any] = {k: [v for v in _listed(meta.get(k)) if v not in ours[k]] for k in DATA_KEYS}
    if "other" in values["license"] and isinstance(meta.get("license_name"), str):
        # the name of that "other" licence, which the Hub shows for it (found in review: replaced by our own
        # "source-terms-see-card", which names the terms of silver-ner's configs, not the hand-added one's)
        values["license_name"] = meta["license_name"]
    return {"keys": {k: v for k, v in meta.items() if k not in WRITTEN_KEYS}, "defaults": defaults,
            "values": {k: v for k, v in values.items() if v}}  # fmt: skip


def _data_values(configs: Sequence[ConfigCard]) -> dict[str, list[str]]:
    """The ``DATA_KEYS`` values that ``configs`` make, sorted: their languages, licences and source datasets."""
    return {
        "language": sorted({lang for c in configs for lang in c.languages}),
        "license": sorted({c.license for c in configs}),
        "source_datasets": sorted({f"extended|{s}" for c in configs for s in c.source_datasets}),
    }


def merge_cards(existing: Sequence[ConfigCard], new: Sequence[ConfigCard]) -> list[ConfigCard]:
    """Configs of both, the new record winning on a name clash; sorted by name."""
    merged = {c.name: c for c in existing}
    merged.update({c.name: c for c in new})
    return [merged[k] for k in sorted(merged)]


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.1f}"


def metrics_table(configs: Sequence[ConfigCard]) -> str:
    rows = []
    for c in configs:
        for split in sorted(c.metrics):
            m = c.metrics[split]
            ignored = ", ".join(m.get("ignored_types") or ()) or "–"
            rows.append(
                f"| `{c.name}` | {split} | {m.get('sentences', 0)} | {_fmt(m.get('precision'))} | "
                f"{_fmt(m.get('recall'))} | {_fmt(m.get('f1'))} | {_fmt(m.get('projection_rate'))} | {ignored} |"
            )
    return "\n".join(rows) if rows else "| – | – | – | – | – | – | – | – |"


def metadata(configs: Sequence[ConfigCard], foreign_configs=(), foreign_infos=(), settings=None) -> dict[str, Any]:
    """The YAML front matter as a dict (key order is kept when dumped); ``settings``: those of the card it replaces
    (``read_card``): its other keys come after ours, its default config keeps ``default: true``."""
    kept = (settings or {}).get("values") or {}
    derived = {k: sorted({*values, *kept.get(k, ())}) for k, values in _data_values(configs).items()}
    licenses = derived["license"]
    meta: dict[str, Any] = {
        "pretty_name": PRETTY_NAME,
        "language": derived["language"],
        "license": licenses[0] if len(licenses) == 1 else licenses,
    }
    if "other" in licenses:  # the name of a hand-added config's "other" licence where none of ours is "other"
        mine = any(c.license == "other" for c in configs)
        meta["license_name"] = "source-terms-see-card" if mine else kept.get("license_name", "source-terms-see-card")
    meta.update(
        annotations_creators=["machine-generated"],
        # machine-translated text only in the model-based configs: a parallel-gold config's both sides are human
        # translations (found in review: a card of europarl-ner configs alone said machine-generated)
        language_creators=["found", "machine-generated"] if any(c.kind != "parallel-gold" for c in configs)
        else ["found"],
        multilinguality=["multilingual"],
        source_datasets=derived["source_datasets"],
        task_categories=list(TASK_CATEGORIES),
        task_ids=list(TASK_IDS),
        tags=["silver-data", "annotation-projection", "cross-lingual", "ner"],
    )
    # another card's entry of a config named as one of ours (e.g. a push_to_hub card) is replaced by ours, not
    # kept beside it: datasets reads the last of two same-named entries
    mine = {c.name for c in configs}
    foreign_configs = [e for e in foreign_configs if e.get("config_name") not in mine]
    foreign_infos = [d for d in foreign_infos if d.get("config_name", "default") not in mine]
    defaults = set((settings or {}).get("defaults", ()))
    entries = [
        {
            "config_name": c.name,
            **({"default": True} if c.name in defaults else {}),
            "data_files": [{"split": s, "path": c.data_files[s]} for s in sorted(c.data_files)],
        }
        for c in configs
    ]
    meta["configs"] = sorted(entries + list(foreign_configs), key=lambda e: e["config_name"])
    infos = [c.dataset_info for c in configs if c.dataset_info] + list(foreign_infos)
    if infos:
        meta["dataset_info"] = sorted(infos, key=lambda d: d.get("config_name", ""))
    meta["silver_ner"] = {c.name: c.record() for c in configs}
    meta.update({k: v for k, v in ((settings or {}).get("keys") or {}).items() if k not in WRITTEN_KEYS})
    return meta


def render_card(repo_id: str, configs: Sequence[ConfigCard], *, foreign_configs=(), foreign_infos=(),
                settings=None) -> str:
    """``README.md`` text: YAML front matter and the body of ``cards/template.md``; ``settings``: those of the card it
    replaces (``read_card``)."""
    if not configs:
        raise ValueError("a card needs at least one config")
    configs = sorted(configs, key=lambda c: c.name)
    yaml = _yaml()
    meta = metadata(configs, foreign_configs, foreign_infos, settings)
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    template = string.Template((resources.files("cards") / "template.md").read_text(encoding="utf-8"))
    first = configs[0]
    citations = []
    for c in configs:
        for block in c.citation.split("\n\n"):
            if block.strip() and block.strip() not in citations:
                citations.append(block.strip())
    notes = sorted({f"`{c.name}`: {c.license}" + (f" ({c.license_note})" if c.license_note else "") for c in configs})
    body = template.substitute(
        pretty_name=PRETTY_NAME,
        n_configs=len(configs),
        # the languages labels were projected into, the config names' last part (found in review: English, the
        # source side of every config, was counted, so three europarl-ner configs were said to be in 4 languages)
        n_languages=len({c.name.rpartition(".")[2] for c in configs}),
        signatures="\n".join(f"- `{c.name}`: `{c.signature}`" for c in configs),
        metrics_table=metrics_table(configs),
        repo_id=repo_id,
        example_config=first.name,
        example_split=sorted(first.data_files)[0],
        config_list=", ".join(f"`{c.name}`" for c in configs),
        licence_list="; ".join(notes),
        # the models' own terms, where a config holds a model's output (found in review: not mentioned)
        model_terms=(" The translate-test and translate-train configurations also hold the output of the models "
                     "named in their signatures (`mt:`, `ner:`), which come with terms of their own (the default "
                     "translation model, NLLB-200, is released under CC BY-NC 4.0): check them for your use."
                     if any(c.kind != "parallel-gold" for c in configs) else ""),
        citations="\n\n".join(citations),
    )
    return f"---\n{front}---\n\n{body}"
