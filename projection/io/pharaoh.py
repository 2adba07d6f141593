"""Reading and writing alignment files, streaming and strict.

* Pharaoh: one line per sentence pair, 0-based ``i-j`` links (i: source, j: target), ``ipj`` for a possible
  link; an empty line means the pair has no links. Indices are ASCII digits; links may come in any order and
  repeat (the result is sorted and unique, as ``Alignment.of`` makes it).
* TALP gold (e.g. the Hansards / RWTH test sets): the same layout but **1-based**, with sure links ``i-j``
  and possible links ``ipj``.

Files are UTF-8 (a byte-order mark is dropped); every error names ``path:line``. Writing goes through
``projection.cache.atomic_open``: the file appears only when every line was written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, compress, count, islice, repeat
from operator import ge, is_, lt, methodcaller

from projection.io.lines import CHUNK, InputFileError, OutputFile, check_readable, iter_line_blocks, iter_text_blocks
from projection.types import Alignment

_EMPTY = Alignment._sorted()
_MAX_CACHED = 1 << 16
#: "i-j" -> (i, j) for the links seen so far (bounded); a hit also proves the text is a well-formed link
_LINKS: dict[str, tuple[int, int]] = {}
_POSSIBLE: dict[str, tuple[int, int]] = {}  # the same for possible links ("3p4")
#: (i, j) -> "i-j" for writing
_TEXTS: dict[tuple[int, int], str] = {}
_count_dash = methodcaller("count", "-")
_chunk = CHUNK  # bytes read at a time (tests make it tiny)


class PharaohError(InputFileError):
    """A malformed alignment file; the message starts with ``path:line`` (or ``path``)."""


@dataclass(frozen=True, slots=True)
class GoldAlignment:
    """Gold links of one sentence pair: ``sure`` ⊆ ``possible`` (both 0-based)."""

    sure: Alignment
    possible: Alignment

    def __post_init__(self) -> None:
        if not set(self.sure.pairs) <= set(self.possible.pairs):
            raise ValueError("GoldAlignment needs sure ⊆ possible; add the sure links to possible")


def _link(item: str, where: str) -> tuple[str, int, int]:
    """``("-" or "p", i, j)`` of one link, ASCII digits only."""
    sep = "-" if "-" in item else "p"
    left, found, right = item.partition(sep)
    if not (found and left.isascii() and left.isdigit() and right.isascii() and right.isdigit()):
        raise PharaohError(f"{where}: expected Pharaoh links like '3-4' (or '3p4' for possible), got {item!r}")
    return sep, int(left), int(right)


def _parse_slow(items: list[str], where: str) -> Alignment:
    sure, weak = set(), set()
    for item in items:
        sep, i, j = _link(item, where)
        (sure if sep == "-" else weak).add((i, j))
    return Alignment._sorted(tuple(sorted(sure)), tuple(sorted(weak - sure)))


def _sorted_unique(links: list) -> tuple:
    if len(links) > 1 and not all(map(lt, links, islice(links, 1, None))):
        return tuple(sorted(set(links)))
    return tuple(links)


def parse_pharaoh(line: str, *, where: str = "<string>") -> Alignment:
    """The ``Alignment`` of one Pharaoh line: the value ``Alignment.from_pharaoh`` gives (sorted, unique links,
    possible links minus sure ones) for ASCII-digit indices, parsed with one dictionary look-up per known link
    (sure links in ``_LINKS``, possible ones in ``_POSSIBLE``)."""
    items = line.split()
    if not items:
        return _EMPTY
    cache = _LINKS
    if "p" not in line:
        pairs = list(map(cache.get, items))
        if None not in pairs:
            return Alignment._sorted(_sorted_unique(pairs))
    else:  # sure and possible links apart in C-level passes (no text is in both caches); an unknown item, in
        # neither, makes the counts fall short and takes the loop below
        sure = list(filter(None, map(cache.get, items)))
        weak = list(filter(None, map(_POSSIBLE.get, items)))
        if len(sure) + len(weak) == len(items):
            return _sure_and_possible(sure, weak)
    sure, weak = [], []
    possible = _POSSIBLE
    for item in items:
        pair = cache.get(item)
        if pair is not None:
            sure.append(pair)
            continue
        pair = possible.get(item)
        if pair is not None:
            weak.append(pair)
            continue
        sep, i, j = _link(item, where)
        store = cache if sep == "-" else possible
        (sure if sep == "-" else weak).append((i, j))
        if len(store) < _MAX_CACHED:
            store[item] = (i, j)
    return _sure_and_possible(sure, weak)


def _sure_and_possible(sure: list, weak: list) -> Alignment:
    sure_t = _sorted_unique(sure)
    weak_t = _sorted_unique(weak)
    if weak_t and sure_t:
        taken = set(sure_t)
        if not taken.isdisjoint(weak_t):
            weak_t = tuple(w for w in weak_t if w not in taken)
    return Alignment._sorted(sure_t, weak_t)


def iter_alignments(path: str | os.PathLike) -> Iterator[Alignment]:
    """One ``Alignment`` per line of a 0-based Pharaoh file, read one block of lines at a time.

    A block of sure links only is parsed with a few C-level calls: all its links split at once and looked up
    in a bounded cache of checked links, links per line counted from the dashes, order checked in one pass; a
    block with possible links or a bad link is parsed line by line (``parse_pharaoh``, errors name the line)."""
    check_readable(path, PharaohError)
    lineno = 0
    cache = _LINKS
    for text in iter_text_blocks(path, PharaohError, chunk=_chunk):
        lines = text.split("\n")
        if "p" in text:
            for line in lines:
                lineno += 1
                yield parse_pharaoh(line, where=f"{path}:{lineno}") if line else _EMPTY
            continue
        items = text.split()
        pairs = list(map(cache.get, items))
        if None in pairs:
            missing = set(compress(items, map(is_, pairs, repeat(None))))
            if len(cache) + len(missing) > _MAX_CACHED:  # keep memory bounded: forget, then learn this block's
                cache.clear()
                missing = set(items)
            try:
                for item in missing:
                    cache[item] = _link(item, "")[1:]
            except PharaohError:  # a bad link: read the block line by line for the error
                for line in lines:
                    lineno += 1
                    yield parse_pharaoh(line, where=f"{path}:{lineno}") if line else _EMPTY
                continue
            pairs = list(map(cache.get, items))
        breaks = list(compress(count(1), map(ge, pairs, islice(pairs, 1, None))))  # pairs[k] >= pairs[k + 1]
        breaks.append(len(pairs))
        next_break = 0
        start = 0
        for n in map(_count_dash, lines):
            if not n:
                yield _EMPTY
                continue
            end = start + n
            while breaks[next_break] <= start:
                next_break += 1
            if breaks[next_break] < end:  # out of order or repeated within the line
                yield Alignment._sorted(tuple(sorted(set(pairs[start:end]))))
            else:
                yield Alignment._sorted(tuple(pairs[start:end]))
            start = end
        lineno += len(lines)


def read_alignments(path: str | os.PathLike) -> list[Alignment]:
    """One ``Alignment`` per line of a 0-based Pharaoh file; errors name ``path:line``."""
    return list(iter_alignments(path))


def format_pharaoh(alignment: Alignment) -> str:
    """``Alignment.to_pharaoh()`` (``"0-0 1p2 ..."``, sorted by (i, j)), with cached link texts."""
    if alignment.possible:
        return alignment.to_pharaoh()
    pairs = alignment.pairs
    if len(pairs) > 1 and not all(map(lt, pairs, islice(pairs, 1, None))):
        pairs = tuple(sorted(pairs))
    texts = _TEXTS
    out = list(map(texts.get, pairs))
    if None in out:
        for k, pair in enumerate(pairs):
            if out[k] is None:
                out[k] = text = f"{pair[0]}-{pair[1]}"
                if len(texts) < _MAX_CACHED:
                    texts[pair] = text
    return " ".join(out)  # type: ignore[arg-type]


class AlignmentWriter(OutputFile):
    """Write Pharaoh lines one alignment at a time: ``with AlignmentWriter(path) as w: w.write(alignment)``;
    the file appears (atomically replacing an old one) only when the ``with`` block ends without an error."""

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__(path)
        self.lines = 0

    def write(self, alignment: Alignment) -> None:
        if self._fh is None:
            raise ValueError("AlignmentWriter.write outside its with block")
        self.lines += 1
        self._fh.write(format_pharaoh(alignment) + "\n")

    def write_all(self, alignments: Iterable[Alignment]) -> None:
        fh = self._fh
        if fh is None:
            raise ValueError("AlignmentWriter.write_all outside its with block")
        buf: list[str] = []
        for alignment in alignments:
            buf.append(format_pharaoh(alignment))
            if len(buf) >= 4096:
                fh.write("\n".join(buf) + "\n")
                self.lines += len(buf)
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")
            self.lines += len(buf)

    def write_text(self, text: str, lines: int) -> None:
        """Append ``lines`` Pharaoh lines formatted elsewhere (``format_pharaoh`` each, every line ending in ``\\n``)."""
        if self._fh is None:
            raise ValueError("AlignmentWriter.write_text outside its with block")
        self._fh.write(text)
        self.lines += lines


def write_alignments(path: str | os.PathLike, alignments: Iterable[Alignment]) -> None:
    """Write one Pharaoh line per alignment atomically."""
    with AlignmentWriter(path) as writer:
        writer.write_all(alignments)


def parse_talp(line: str, *, one_based: bool = True, where: str = "<string>") -> GoldAlignment:
    """Parse ``"1-1 2p3 ..."``: ``i-j`` sure, ``ipj`` possible; the result is 0-based and possible ⊇ sure."""
    sure: list[tuple[int, int]] = []
    possible: list[tuple[int, int]] = []
    offset = 1 if one_based else 0
    for item in line.split():
        sep = "-" if "-" in item else "p"
        left, found, right = item.partition(sep)
        if not (found and left.isascii() and left.isdigit() and right.isascii() and right.isdigit()):
            raise PharaohError(
                f"{where}: expected gold links like '3-4' (sure) or '3p4' (possible), got {item!r}"
            )
        i, j = int(left) - offset, int(right) - offset
        if i < 0 or j < 0:
            raise PharaohError(
                f"{where}: link {item!r} has index 0 but the file is read as 1-based; pass one_based=False"
            )
        (sure if sep == "-" else possible).append((i, j))
    return GoldAlignment(Alignment.of(sure), Alignment.of(sure + possible))


def read_talp(path: str | os.PathLike, *, one_based: bool = True) -> list[GoldAlignment]:
    """Read a TALP gold file (1-based by default) into one ``GoldAlignment`` per line."""
    check_readable(path, PharaohError)
    lines = chain.from_iterable(iter_line_blocks(path, PharaohError))
    return [parse_talp(line, one_based=one_based, where=f"{path}:{n}") for n, line in enumerate(lines, start=1)]


def write_talp(path: str | os.PathLike, gold: Iterable[GoldAlignment], *, one_based: bool = False) -> None:
    """Write gold links (``i-j`` sure, ``ipj`` possible-only), 0-based unless ``one_based``."""
    from projection.cache import atomic_open

    offset = 1 if one_based else 0
    with atomic_open(path) as fh:
        for g in gold:
            sure = set(g.sure.pairs)
            items = [f"{i + offset}{'-' if (i, j) in sure else 'p'}{j + offset}" for i, j in g.possible.pairs]
            fh.write(" ".join(items) + "\n")
