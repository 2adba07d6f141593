"""Resumable work: the rows of each finished shard of an expensive (model-based) build, on disk.

A crash or Ctrl-C in the middle of a translate-test build loses at most the shard being processed; a rerun
reuses every finished shard. Entries are JSON files named by a content hash of (signature, shard inputs),
written atomically (temp file + ``os.replace``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)


def default_work_dir() -> Path:
    root = os.environ.get("SILVER_NER_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "silver-ner")
    return Path(root) / "builder-work"


class ShardCache:
    """``get(key) -> list[dict] | None`` and ``put(key, rows)``; ``key`` is a hex digest."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_work_dir()

    def _path(self, key: str) -> Path:
        if not key or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"shard cache keys are lowercase hex digests, got {key!r}")
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict] | None:
        path = self._path(key)
        try:
            with open(path, encoding="utf-8") as fh:
                rows = json.load(fh)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:  # a damaged entry is recomputed, not trusted
            logger.warning("ignoring unreadable shard cache entry %s (%s)", path, err)
            return None
        return rows if isinstance(rows, list) else None

    def put(self, key: str, rows: list[dict]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(rows, fh, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
