"""Build silver NER configs, export them as Parquet + dataset card, and publish them in one Hub commit.

    python push.py --configs europarl-ner.de europarl-ner.es --aligner fastalign.v1 --dry-run
    python push.py --configs masakhaner2.hau --data-dir /data --repo-id ORG/silver-ner

The export folder holds ``README.md`` and ``<config>/<split>-00000-of-00001.parquet``. Publishing reads the
repo's current card, merges its configs with the exported ones (files of other configs stay untouched,
stale files of re-exported configs are deleted) and makes one atomic commit on top of the revision it read.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from cards.render import ConfigCard, merge_cards, records_from_card, render_card
from projection.cli.options import add_method_options, method_kwargs

logger = logging.getLogger("push")

ROWS_PER_FILE = 100_000
DEFAULT_REPO_ID = "ORG/NAME"


@dataclass(frozen=True)
class ExportResult:
    export_dir: Path
    configs: tuple[ConfigCard, ...]
    #: every file of the exported configs, relative to ``export_dir`` (README.md first)
    files: tuple[str, ...]


def _dataset_info_entry(name: str, split_ds: dict) -> dict[str, Any]:
    import datasets

    first = next(iter(split_ds.values()))
    info = datasets.DatasetInfo(features=first.features)
    info.splits = datasets.SplitDict()
    for split, ds in split_ds.items():
        info.splits.add(datasets.SplitInfo(name=split, num_examples=len(ds)))
    return {"config_name": name, **info._to_yaml_dict()}


def _write_parquet(ds, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    ds.to_parquet(str(tmp))
    os.replace(tmp, path)


def export_built(built, export_dir: Path) -> tuple[ConfigCard, list[str]]:
    """Write one built config's splits as Parquet under ``export_dir/<config>/``; its card record."""
    cfg = built.config
    family = cfg.family
    folder = export_dir / cfg.name
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.parquet"):
        stale.unlink()
    files, data_files = [], {}
    for split in sorted(built.splits):
        ds = built.splits[split]
        n = max(1, math.ceil(len(ds) / ROWS_PER_FILE))
        for k in range(n):
            part = ds.shard(num_shards=n, index=k, contiguous=True) if n > 1 else ds
            rel = f"{cfg.name}/{split}-{k:05d}-of-{n:05d}.parquet"
            _write_parquet(part, export_dir / rel)
            files.append(rel)
        data_files[split] = f"{cfg.name}/{split}-*.parquet"
    card = ConfigCard(
        name=cfg.name,
        kind=family.kind,
        languages=tuple(sorted({cfg.lang, "en"})),
        license=family.license,
        source_datasets=family.source_datasets,
        signature=built.signature,
        metrics={s: m.as_dict() for s, m in sorted(built.metrics.items())},
        data_files=data_files,
        license_note=_LICENSE_NOTES.get(family.name, ""),
        citation="\n\n".join(c for c in (built.splits[next(iter(built.splits))].info.citation,) if c),
        dataset_info=_dataset_info_entry(cfg.name, dict(built.splits)),
    )
    return card, files


_LICENSE_NOTES = {
    "europarl-ner": "Europarl: no known copyright restrictions",
    "translate-train.conll2003": "CoNLL-2003: Reuters RCV1, research use",
    "xtreme": "WikiANN / PAN-X: licence not stated",
    "translate-train.panx-en": "WikiANN / PAN-X: licence not stated",
}


def export(
    configs: Sequence[str],
    export_dir: str | os.PathLike,
    *,
    data_dir: str | None = None,
    repo_id: str = DEFAULT_REPO_ID,
    cache_dir: str | None = None,
    num_proc: int | None = None,
    alignment_cache_dir: str | None = None,
    work_dir: str | None = None,
    progress: bool = True,
    **method: Any,
) -> ExportResult:
    """Build ``configs`` with the method options (``aligner``, ``matcher``, ``limit`` … see
    ``SilverNERConfig``) and write them with a card into ``export_dir`` (configs already exported there
    are kept in the card)."""
    from builders.make import build, make_config

    if not configs:
        raise ValueError("no configs given; pick some of builders.all_config_names(), e.g. europarl-ner.de")
    cfgs = [make_config(name, data_dir=data_dir, **method) for name in configs]  # validate all first
    out = Path(export_dir)
    out.mkdir(parents=True, exist_ok=True)
    cards, files = [], []
    for cfg in cfgs:
        logger.info("building %s (%s)", cfg.name, cfg.config_id)
        built = build(
            cfg, cache_dir=cache_dir, num_proc=num_proc, alignment_cache_dir=alignment_cache_dir,
            work_dir=work_dir, progress=progress,
        )  # fmt: skip
        card, written = export_built(built, out)
        cards.append(card)
        files.extend(written)
    readme = out / "README.md"
    old, foreign_configs, foreign_infos = ([], [], [])
    if readme.is_file():
        old, foreign_configs, foreign_infos = records_from_card(readme.read_text(encoding="utf-8"))
    merged = merge_cards(old, cards)
    tmp = readme.with_name("README.md.tmp")
    text = render_card(repo_id, merged, foreign_configs=foreign_configs, foreign_infos=foreign_infos)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, readme)
    return ExportResult(out, tuple(cards), ("README.md", *files))


def _remote_state(api, repo_id: str, token: str | None) -> tuple[str | None, list[str], str | None]:
    """(head commit sha, files, README text) of the dataset repo; creates it when it does not exist."""
    from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError

    try:
        info = api.repo_info(repo_id, repo_type="dataset", token=token)
    except RepositoryNotFoundError:
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True, token=token)
        info = api.repo_info(repo_id, repo_type="dataset", token=token)
    sha = getattr(info, "sha", None)
    siblings = getattr(info, "siblings", None)
    if siblings is None:
        files = list(api.list_repo_files(repo_id, repo_type="dataset", revision=sha, token=token))
    else:
        files = [s.rfilename for s in siblings]
    readme = None
    if "README.md" in files:
        try:
            path = api.hf_hub_download(repo_id, "README.md", repo_type="dataset", revision=sha, token=token)
            readme = Path(path).read_text(encoding="utf-8")
        except EntryNotFoundError:
            readme = None
    return sha, files, readme


def publish(export_dir: str | os.PathLike, repo_id: str, *, token: str | None = None, api=None, commit_message=None):
    """One commit to the dataset repo ``repo_id``: the exported configs' Parquet files and the merged card.

    ``api`` is a ``huggingface_hub.HfApi`` (or a fake with ``repo_info``, ``create_repo``,
    ``list_repo_files``, ``hf_hub_download``, ``create_commit``). Returns the ``CommitInfo``.
    """
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

    root = Path(export_dir)
    local = root / "README.md"
    if not local.is_file():
        raise FileNotFoundError(f"{local} not found; run export (or push.py --dry-run) first")
    if repo_id.count("/") != 1:
        raise ValueError(f"repo id must look like ORG/NAME, got {repo_id!r}")
    mine, _, _ = records_from_card(local.read_text(encoding="utf-8"))
    if not mine:
        raise ValueError(f"{local} lists no silver-ner configs; export some first")
    api = api if api is not None else HfApi(token=token)
    sha, remote_files, remote_readme = _remote_state(api, repo_id, token)
    theirs, foreign_configs, foreign_infos = records_from_card(remote_readme) if remote_readme else ([], [], [])
    card = render_card(
        repo_id, merge_cards(theirs, mine), foreign_configs=foreign_configs, foreign_infos=foreign_infos
    )
    operations: list = [CommitOperationAdd(path_in_repo="README.md", path_or_fileobj=card.encode("utf-8"))]
    new_files = set()
    for c in mine:
        folder = root / c.name
        parquet = sorted(folder.glob("*.parquet"))
        if not parquet:
            raise FileNotFoundError(f"{folder} holds no Parquet files; export {c.name} again")
        for path in parquet:
            rel = f"{c.name}/{path.name}"
            new_files.add(rel)
            operations.append(CommitOperationAdd(path_in_repo=rel, path_or_fileobj=str(path)))
    prefixes = tuple(f"{c.name}/" for c in mine)
    stale = sorted(f for f in remote_files if f.startswith(prefixes) and f not in new_files)
    operations += [CommitOperationDelete(path_in_repo=f) for f in stale]
    message = commit_message or "Add silver NER configs: " + ", ".join(c.name for c in mine)
    return api.create_commit(
        repo_id, operations, commit_message=message, repo_type="dataset", token=token, parent_commit=sha
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="push.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--configs", nargs="+", required=True, metavar="CONFIG", help="e.g. europarl-ner.de xtreme.sw")
    p.add_argument("--data-dir", help="local source data (offline); default: the Hub / package data")
    p.add_argument("--export-dir", default="export", help="folder for README.md and Parquet files (default: export)")
    p.add_argument("--dry-run", action="store_true", help="write the export folder only, publish nothing")
    p.add_argument("--repo-id", help="Hub dataset repo ORG/NAME (needed unless --dry-run)")
    p.add_argument("--token", help="Hub token (default: the logged-in one)")
    add_method_options(p, None)
    m = p.add_argument_group("models and data")
    m.add_argument("--mt-model")
    m.add_argument("--ner-model")
    m.add_argument("--align-model")
    m.add_argument("--back-translation", action="store_true", default=None)
    m.add_argument("--splits", nargs="+", help="train validation test (default: the config's)")
    m.add_argument("--limit", type=int, help="only the first N sentences per split")
    b = p.add_argument_group("building")
    b.add_argument("--num-proc", type=int)
    b.add_argument("--cache-dir", help="datasets cache folder")
    b.add_argument("--alignment-cache-dir")
    return p


def _method(args: argparse.Namespace) -> dict[str, Any]:
    method = {
        **method_kwargs(args),
        "mt_model": args.mt_model,
        "ner_model": args.ner_model,
        "align_model": args.align_model,
        "back_translation": args.back_translation,
        "splits": tuple(args.splits) if args.splits else None,
        "limit": args.limit,
    }
    return {k: v for k, v in method.items() if v is not None}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from huggingface_hub.errors import HfHubHTTPError

    try:
        if not args.dry_run and not args.repo_id:
            raise ValueError("--repo-id ORG/NAME is needed to publish (or pass --dry-run to only export)")
        result = export(
            args.configs, args.export_dir, data_dir=args.data_dir, repo_id=args.repo_id or DEFAULT_REPO_ID,
            cache_dir=args.cache_dir, num_proc=args.num_proc, alignment_cache_dir=args.alignment_cache_dir,
            **_method(args),
        )  # fmt: skip
        print(f"exported {len(result.configs)} config(s), {len(result.files)} files to {result.export_dir}")
        if args.dry_run:
            return 0
        info = publish(result.export_dir, args.repo_id, token=args.token)
        print(f"published to {args.repo_id}: {getattr(info, 'commit_url', info)}")
        return 0
    except (ValueError, FileNotFoundError, ImportError, HfHubHTTPError) as err:
        message = " ".join(str(err).split())
        print(f"push.py: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("push.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(main())
