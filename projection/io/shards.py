"""Cutting ``project``'s three input files into matching shards that workers read themselves.

``FilePairsSource.shards`` uses this when the CoNLL files have the plainest shape: every line ``token<TAB>tag``
(one tab, no whitespace at a column's edge, no ``\\r``, no ``#`` or ``-DOCSTART-`` line) and sentences separated
by exactly one empty line. Then each piece of text between empty lines is exactly one sentence, so the driver
can count sentences without reading them: it cuts each file after every ``size`` pieces (and the Pharaoh file
after every ``size`` lines), and a worker parses its pieces with the ordinary reader, which checks that it found
as many sentences as the driver counted. Any other file (``regular_conll`` says False) is read in the driver as
before: the result is the same either way, and so is every error, except that files whose sentence or line
counts differ fail on that before any sentence is read (the driver's reading meets the counts at the end).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from projection.io.lines import CHUNK, iter_text_blocks

#: bytes read at a time (tests make it tiny, so that block edges fall everywhere)
BLOCK = CHUNK

#: substrings that make a CoNLL file not plain enough to be cut by counting pieces (checked across block edges)
_IRREGULAR = ("\r", "-DOCSTART-", "\x0b", "\x0c", "\n#", "\n ", "\n\t", " \n", "\t\n", " \t", "\t ", "\n\n\n")


#: the patterns that hold a space, or a ``#``: looked for only when that character occurs at all
_SPACED = tuple(x for x in _IRREGULAR if " " in x)
_HASHED = tuple(x for x in _IRREGULAR if "#" in x)
_OTHERS = tuple(x for x in _IRREGULAR if x not in _SPACED + _HASHED)


def _irregular(text: str) -> bool:
    """Whether ``text`` holds one of ``_IRREGULAR``; the patterns with a space or a ``#`` are looked for only after
    one fast scan finds that character (a plain text has no space: none of the four is scanned for)."""
    return (
        any(x in text for x in _OTHERS)
        or ("#" in text and any(x in text for x in _HASHED))
        or (" " in text and any(x in text for x in _SPACED))
    )


class Irregular(Exception):
    """The file is not plain enough to be cut by counting pieces (never reaches a user: the caller falls back)."""


def _blocks(path: str | os.PathLike) -> Iterator[tuple[str, int]]:
    """The file's text blocks (``iter_text_blocks``) and the ``\\n\\n`` each holds, each checked to be plain across
    its edges; ``Irregular`` otherwise (also for a file that cannot be read as UTF-8 text: the reader says why)."""
    try:
        tail = "\n"  # the end of the text before this block: a file starts at a line start
        first = True
        for block in iter_text_blocks(path, chunk=BLOCK):
            if first and block.startswith("\n"):
                raise Irregular("starts with an empty line")
            first = False
            if len(block) < 4:
                probe = tail + block + "\n"
                bad = _irregular(probe)
                tail = probe[-3:]
            else:  # tail + block + "\n" without copying the block: a pattern with a line end has at most 3
                # characters, and one without lies inside a line, so each occurrence is in the block or in an edge
                bad = _irregular(block) or _irregular(tail + block[:2]) or _irregular(block[-2:] + "\n")
                tail = block[-2:] + "\n"
            if bad:
                raise Irregular("irregular text")
            n_lines = block.count("\n") + 1
            n_pairs = block.count("\n\n")
            n_empty = n_pairs + block.startswith("\n") + block.endswith("\n") if block else 1
            if block.count("\t") != n_lines - n_empty:
                raise Irregular("a line without exactly one tab")
            yield block, n_pairs
    except (ValueError, OSError) as err:
        raise Irregular(str(err)) from None


def regular_conll(path: str | os.PathLike) -> int | None:
    """The number of sentences of a plain CoNLL file (one pass, no sentence built), or ``None`` when it is not
    plain enough to be cut by counting pieces."""
    separators = 0  # empty lines between two pieces: "\\n\\n" in the file's text ("\\n".join of the blocks)
    end = ""  # the last character of the text so far
    any_token = False
    try:
        for k, (block, pairs) in enumerate(_blocks(path)):
            # the block's own, and one across the line end before it: an empty line ends the text so far or
            # starts the block (both at once is "\\n\\n\\n", which is not plain)
            separators += pairs + (k > 0 and (end == "\n" or block[:1] == "\n"))
            end = block[-1:] if block or not k else "\n"
            any_token = any_token or "\t" in block
    except Irregular:
        return None
    return separators + 1 if any_token else None


def conll_chunks(path: str | os.PathLike, size: int) -> Iterator[tuple[str, int, int]]:
    """``(text, first line number, sentences)`` of every ``size`` sentences of a file ``regular_conll`` accepted
    (so not checked again): the text runs from a sentence's first line to the ``size``-th sentence's last, found
    by looking for the empty lines that end sentences, without splitting the file into sentences. Linear in the
    file's size for any ``size``: each text is scanned once, plus the one sentence that crosses a block edge."""
    done: list[str] = []  # the texts of the chunk's finished sentences so far, each with its empty line
    found = 0  # sentences in done
    line = 1  # the chunk's first line
    carry = ""  # the start of a sentence that the last block did not finish
    for block in iter_text_blocks(path, chunk=BLOCK):
        text = carry + block + "\n"  # blocks are whole lines without their last line end
        start = pos = 0  # text[start:pos]: finished sentences of the chunk not in done yet
        while (cut := text.find("\n\n", pos)) >= 0:
            pos = cut + 2
            found += 1
            if found == size:
                done.append(text[start:cut])
                chunk = "".join(done)
                yield chunk, line, size
                line += chunk.count("\n") + 2
                done, found, start = [], 0, pos
        if pos > start:
            done.append(text[start:pos])
        carry = text[pos:]
    pieces = ("".join(done) + carry).split("\n\n")
    last = pieces.pop().removesuffix("\n")  # the last sentence, when no empty line follows it
    if last:
        pieces.append(last)
    if pieces:
        yield "\n\n".join(pieces), line, len(pieces)


def line_chunks(path: str | os.PathLike, size: int, error: type[ValueError]) -> Iterator[list[str]]:
    """Every ``size`` lines of a text file (Pharaoh alignments), in order."""
    lines: list[str] = []
    for block in iter_text_blocks(path, error, chunk=BLOCK):
        lines.extend(block.split("\n"))
        while len(lines) >= size:
            yield lines[:size]
            del lines[:size]
    if lines:
        yield lines


def count_lines(path: str | os.PathLike, error: type[ValueError]) -> int:
    """How many lines ``line_chunks`` gives for the file."""
    return sum(block.count("\n") + 1 for block in iter_text_blocks(path, error, chunk=BLOCK))
