"""On-disk translation cache: (model, source language, target language, text) -> translation.

One folder per (model, src, tgt); every batch of new translations is written as one JSON file with a temp
file + ``os.replace`` (atomic: a crash loses at most the batch in flight, never a half-written file). Files
are only ever added, so concurrent runs do not overwrite each other. Every method and mode reuses them.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Iterable, Mapping

from projection.cache import atomic_write_text, cache_root
from projection.signature import content_hash

logger = logging.getLogger(__name__)


class TranslationCache:
    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root() / "translations"
        self._loaded: dict[str, dict[str, str]] = {}
        #: per folder, the cached texts that were translated in pieces (over the model's input limit)
        self._split: dict[str, set[str]] = {}

    def _folder(self, model: str, src: str, tgt: str) -> Path:
        return self.root / content_hash(model, src, tgt)[:16]

    def _table(self, model: str, src: str, tgt: str) -> dict[str, str]:
        folder = self._folder(model, src, tgt)
        key = str(folder)
        if key not in self._loaded:
            table: dict[str, str] = {}
            split: set[str] = set()
            for file in _oldest_first(folder.glob("*.json")) if folder.is_dir() else []:
                try:
                    data = json.loads(file.read_text(encoding="utf-8"))
                    pairs = list(data["translations"].items())
                    pieces = data.get("split", [])  # files written before 0.4.6 have none
                    if not isinstance(pieces, list) or not all(isinstance(t, str) for t in pieces):
                        raise ValueError(f"'split' is not a list of texts: {pieces!r:.60}")
                    # found in review: a translation that is no text failed the run far from here (AttributeError in
                    # split_words), and a file of another model or language pair, copied into this folder, was used
                    if not all(isinstance(t, str) and isinstance(u, str) for t, u in pairs):
                        raise ValueError("a translation is not a text")
                    if (data.get("model"), data.get("src"), data.get("tgt")) != (model, src, tgt):
                        raise ValueError(f"it holds translations of {data.get('model')!r:.60} from "
                                         f"{data.get('src')!r:.20} to {data.get('tgt')!r:.20}, not of {model} from "
                                         f"{src} to {tgt}: a file copied or moved there")  # fmt: skip
                except (OSError, ValueError, KeyError, AttributeError, TypeError) as err:  # TypeError: not a JSON object
                    logger.warning("ignoring unreadable translation cache file %s (%s)", file, err)
                    continue
                for text, translation in pairs:
                    table.setdefault(text, translation)  # two runs translated it differently: the first made
                split.update(pieces)
            self._loaded[key] = table
            self._split[key] = split
        return self._loaded[key]

    def get_many(self, model: str, src: str, tgt: str, texts: Iterable[str]) -> dict[str, str]:
        """The cached translations among ``texts``."""
        table = self._table(model, src, tgt)
        return {t: table[t] for t in texts if t in table}

    def split_texts(self, model: str, src: str, tgt: str, texts: Iterable[str]) -> set[str]:
        """Those of ``texts`` cached as translated in pieces (``put_many``'s ``split``)."""
        self._table(model, src, tgt)
        return set(texts) & self._split[str(self._folder(model, src, tgt))]

    def put_many(self, model: str, src: str, tgt: str, translations: Mapping[str, str],
                 split: Iterable[str] = ()) -> None:  # fmt: skip
        """Cache ``translations``; ``split``: those of their texts that were translated in pieces (a later run that
        takes them from the cache reports them in ``split_long`` too)."""
        if not translations:
            return
        folder = self._folder(model, src, tgt)
        folder.mkdir(parents=True, exist_ok=True)
        pieces = sorted(set(split) & set(translations))
        payload = {"model": model, "src": src, "tgt": tgt, "translations": dict(translations)}
        if pieces:  # an entry with no split text is written as before 0.4.6 (the same file name)
            payload["split"] = pieces
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        name = content_hash(text)[:16] + ".json"
        atomic_write_text(folder / name, text)
        self._table(model, src, tgt).update(translations)
        self._split[str(folder)].update(pieces)


def _oldest_first(files) -> list[Path]:
    """The files in the order they were written (modification time, then name); a file that vanished comes last."""

    def written(path: Path) -> tuple[int, str]:
        try:
            return path.stat().st_mtime_ns, path.name
        except OSError:
            return 1 << 62, path.name

    return sorted(files, key=written)
