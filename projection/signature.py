"""Reproducibility signatures (sacrebleu style): ``key:value|key:value|...|version:X``."""

from __future__ import annotations

import hashlib
from typing import Mapping

from projection.version import __version__


def format_signature(parts: Mapping[str, str | None], *, version: str = __version__) -> str:
    """Join the non-empty parts in the given order, with ``version`` always last."""
    items = [f"{k}:{v}" for k, v in parts.items() if v not in (None, "") and k != "version"]
    items.append(f"version:{version}")
    return "|".join(items)


def parse_signature(signature: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in signature.split("|"):
        key, sep, value = item.partition(":")
        if not sep:
            raise ValueError(f"not a signature field (key:value): {item!r}")
        out[key] = value
    return out


def signature_hash(signature: str, n: int = 12) -> str:
    """Short stable hash of a signature, for cache keys and builder config ids."""
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()[:n]


def content_hash(*chunks: str | bytes) -> str:
    """sha256 over length-prefixed chunks (so that ('ab','c') != ('a','bc'))."""
    h = hashlib.sha256()
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()
