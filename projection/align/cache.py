"""A disk cache of alignments keyed by the aligner's signature and every token of the batch.

This is what makes sampling aligners (eflomal) reproducible in practice: the first run's links are stored
and a second run over the same inputs with the same settings reuses them instead of re-sampling.
Entries are JSON files ``<root>/<key[:2]>/<key>.json`` written atomically.
"""

from __future__ import annotations

import json
import logging
import os
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from projection.align.base import Aligner, Tokens
from projection.align.text import check_batch
from projection.cache import atomic_write_text, file_lock
from projection.signature import ContentHasher
from projection.types import Alignment

logger = logging.getLogger(__name__)

ENV_VAR = "SILVER_NER_CACHE"
_FORMAT = 1
#: eflomal gave every pair over 1,023 tokens no links before such pairs were aligned in pieces: the key of a
#: batch holding one carries a mark, so that an entry cached before the fix is never reused (the same for the
#: later fixes that change some batches' links: long pairs cut anew, stems of words with İ)
_LONG_PAIR_TOKENS = 1023


def default_cache_root() -> Path:
    """``alignments/`` under the one cache root (``projection.cache.cache_root``)."""
    from projection.cache import cache_root

    return cache_root() / "alignments"


def cache_key(signature: str, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> str:
    """sha256 over the aligner signature and every source and target token sequence (in order)."""
    check_batch(src, tgt)
    h = ContentHasher()
    for chunk in (f"alignments/{_FORMAT}", signature, str(len(src))):
        h.update(chunk)
    if _has_long_pair(zip(src, tgt)):
        h.update(_LONG_MARK)
    dotted = decomposed = False
    for s, t in zip(src, tgt):
        texts = json.dumps(list(s), ensure_ascii=False), json.dumps(list(t), ensure_ascii=False)
        for text in texts:
            h.update(text)
        dotted = dotted or _dotted(texts[0]) or _dotted(texts[1])  # looked for in the text just made
        decomposed = decomposed or _decomposed(texts[0]) or _decomposed(texts[1])
    if dotted:
        h.update(_DOTTED_MARK)
    if decomposed:
        h.update(_NFC_MARK)
    return h.hexdigest()


#: 0.4.2: long pairs with few first-pass links are cut so that both sides are covered
_LONG_MARK = "long-pairs/3"
#: 0.4.2: a word with İ keeps n letters in its stem (statistical aligners)
_DOTTED_MARK = "dotted-I/2"


#: 0.6.2: a word not in NFC is stemmed from its NFC form (statistical aligners)
_NFC_MARK = "nfc-stems/1"


def _decomposed(text: str) -> bool:
    """Whether ``text`` is not in NFC: words whose stems 0.6.2 changed (``projection.align.text._stem``)."""
    return not unicodedata.is_normalized("NFC", text)


def _has_long_pair(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> bool:
    return any(max(len(s), len(t)) > _LONG_PAIR_TOKENS for s, t in pairs)


def _dotted(text: str) -> bool:
    """Whether ``text`` holds İ, or a combining dot above (``I`` or ``i`` + U+0307): the letters whose stems 0.4.2
    changed (``projection.align.text._stem``)."""
    return "\u0130" in text or "\u0307" in text


def extra_marks(pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> tuple[str, ...]:
    """The marks of ``cache_key`` that the aligner's extra corpus calls for (a long pair, a dotted I): they go into
    its digest, and so into the signature and the key, since the extra corpus trains the aligner too (0.4.3:
    before, a key marked only the batch, and a batch aligned with Turkish NTREX text reused 0.4.1's links)."""
    dotted = any(_dotted(w) for s, t in pairs for side in (s, t) for w in side)
    decomposed = any(_decomposed(w) for s, t in pairs for side in (s, t) for w in side)
    return (((_LONG_MARK,) if _has_long_pair(pairs) else ()) + ((_DOTTED_MARK,) if dotted else ())
            + ((_NFC_MARK,) if decomposed else ()))


class AlignmentCache:
    """Stored alignments, one JSON file per key (see ``cache_key``)."""

    def __init__(self, root: str | os.PathLike | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_root()

    def path(self, key: str) -> Path:
        if len(key) < 3 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"cache keys are lowercase hex digests (see cache_key), got {key!r}")
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, *, warn: bool = True) -> list[Alignment] | None:
        """The stored alignments, or None when absent (an unreadable entry is logged, unless not ``warn``, and treated
        as absent)."""
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
            return [Alignment.from_pharaoh(line, where=f"{path}:{n}") for n, line in enumerate(data["links"])]
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            if warn:
                logger.warning("ignoring unreadable alignment cache entry %s (%s); it will be rewritten", path, err)
            return None

    def put(self, key: str, alignments: Sequence[Alignment], *, signature: str = "") -> Path:
        """Store ``alignments`` atomically under ``key``; returns the file."""
        path = self.path(key)
        payload = {"format": _FORMAT, "signature": signature, "links": [a.to_pharaoh() for a in alignments]}
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False))
        return path


def align_cached(
    aligner: Aligner, src: Sequence[Tokens], tgt: Sequence[Tokens], cache: AlignmentCache | None
) -> list[Alignment]:
    """``aligner.align(src, tgt)``, reusing (and filling) ``cache`` when one is given."""
    check_batch(src, tgt)
    if cache is None:
        return _checked(aligner.align(src, tgt), src, tgt, aligner.signature())
    signature = aligner.signature()
    key = cache_key(signature, src, tgt)
    hit = _intact(cache.get(key), src, tgt, cache.path(key))
    if hit is None:
        seen = cache.path(key).exists()  # a damaged entry was logged above: not once more when read again below
        # the key is locked while it is aligned (as Store.get_or_compute does): a run started alongside waits and
        # then reads these links, instead of sampling its own and overwriting them (first writer wins)
        with file_lock(cache.path(key).with_suffix(".lock")):
            hit = _intact(cache.get(key, warn=not seen), src, tgt, cache.path(key), warn=not seen)
            if hit is None:
                alignments = _checked(aligner.align(src, tgt), src, tgt, signature)
                cache.put(key, alignments, signature=signature)
                return alignments
    logger.info("alignment cache hit for %s (%d pairs)", signature, len(src))
    return _checked(hit, src, tgt, f"cached {signature}")


def _intact(hit: list[Alignment] | None, src: Sequence[Tokens], tgt: Sequence[Tokens], path: Path, *,
            warn: bool = True) -> list[Alignment] | None:
    """A cache entry's links, or ``None`` (aligned again, and the entry rewritten) for an entry that is damaged as an
    unreadable one is: another number of pairs than the batch's, or a link outside its pair (which would otherwise
    fail every later call with the same batch)."""
    if hit is None:
        return None
    if len(hit) != len(src) or not all(a.fits(len(s), len(t)) for a, s, t in zip(hit, src, tgt)):
        if warn:
            logger.warning("ignoring a damaged alignment cache entry %s (its links do not fit the batch); it will "
                           "be rewritten", path)
        return None
    return hit


def _checked(alignments: list[Alignment], src: Sequence[Tokens], tgt: Sequence[Tokens], who: str) -> list[Alignment]:
    if len(alignments) != len(src):
        raise ValueError(f"{who} returned {len(alignments)} alignments for {len(src)} sentence pairs")
    for k, (a, s, t) in enumerate(zip(alignments, src, tgt)):
        a.check_bounds(len(s), len(t), where=f"{who}, pair {k}")
    return list(alignments)
