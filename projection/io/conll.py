"""Strict CoNLL and plain-text reading and writing.

CoNLL: one token per line, the token in the first column and the tag in the last (or the columns given),
separated by a tab or by spaces; a blank line ends a sentence; ``#`` comment lines and ``-DOCSTART-``
lines are skipped. Every error names ``path:line`` and what was expected. Ill-formed IOB2 (an I- after O
or after another type) is repaired to B- and counted in ``Corpus.repaired``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from projection.tags import check_tag, repair_iob2
from projection.types import Sentence


class ConllError(ValueError):
    """A malformed input file; the message starts with ``path:line``."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """The sentences of one file, whether it carried tags, and how many IOB2 tags were repaired."""

    sentences: tuple[Sentence, ...]
    has_tags: bool
    repaired: int = 0
    path: str = ""

    def __len__(self) -> int:
        return len(self.sentences)


def _columns(line: str) -> list[str]:
    if "\t" in line:
        return line.split("\t")
    return line.split(" ")


def _is_token_line(line: str, tag_col: int | None, has_tags: bool | None) -> bool:
    """``#<sep>O`` is a token line (PAN-X zh/ja, MasakhaNER2 use ``#`` as a token); ``# text = …`` is a
    comment. In an untagged file only a lone ``#`` counts as a token."""
    cols = _columns(line.rstrip())
    if tag_col is None or has_tags is False:
        return cols == ["#"]
    if len(cols) < 2:
        return False
    try:
        check_tag(cols[tag_col].strip())
    except (ValueError, IndexError):
        return False
    return True


def read_conll(
    path: str | os.PathLike,
    *,
    token_col: int = 0,
    tag_col: int | None = -1,
    empty_token: str | None = None,
) -> Corpus:
    """Read a CoNLL file. ``tag_col=None`` reads tokens only.

    A file whose lines all have a single column is read as untagged. ``empty_token`` replaces an empty
    token (e.g. MasakhaNER2 ``xho/train.txt`` has lines ``" O"``); by default an empty token is an error.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ConllError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise ConllError(f"{path}: cannot read ({err.strerror})") from None
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    tag_lines: list[int] = []
    has_tags: bool | None = None
    repaired = 0
    first_line = 0

    def flush() -> None:
        nonlocal repaired, tokens, tags, tag_lines
        if tokens:
            fixed: tuple[str, ...] | None = None
            if has_tags:
                fixed_list, n = repair_iob2(tags, where=f"{path}:{first_line}")
                repaired += n
                fixed = tuple(fixed_list)
            sentences.append(Sentence(tuple(tokens), fixed, id=f"{path.name}:{first_line}"))
        tokens, tags, tag_lines = [], [], []

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            flush()
            continue
        stripped = line.strip()
        if stripped.startswith("#") and not tokens and not _is_token_line(line, tag_col, has_tags):
            continue
        if stripped.startswith("-DOCSTART-"):
            flush()
            continue
        cols = _columns(line.rstrip())
        if len(cols) == 1 and has_tags is not False and tag_col is not None:
            if has_tags:
                raise ConllError(
                    f"{path}:{lineno}: expected a token and a tag separated by a tab or spaces, got {line!r}"
                )
        wants_tag = tag_col is not None and len(cols) > 1
        if has_tags is None:
            has_tags = wants_tag
        elif has_tags != wants_tag:
            raise ConllError(
                f"{path}:{lineno}: expected {'a token and a tag' if has_tags else 'a single token'} "
                f"as on the lines before, got {line!r}"
            )
        try:
            token = cols[token_col]
        except IndexError:
            raise ConllError(f"{path}:{lineno}: no column {token_col} for the token in {line!r}") from None
        if not token:
            if empty_token is None:
                raise ConllError(f"{path}:{lineno}: empty token in {line!r}")
            token = empty_token
        if not tokens:
            first_line = lineno
        tokens.append(token)
        if has_tags:
            try:
                tag = cols[tag_col].strip()  # type: ignore[index]
            except IndexError:
                raise ConllError(f"{path}:{lineno}: no column {tag_col} for the tag in {line!r}") from None
            try:
                check_tag(tag, where=f"{path}:{lineno}")
            except ValueError as err:
                raise ConllError(str(err)) from None
            tags.append(tag)
            tag_lines.append(lineno)
    flush()
    if not sentences:
        raise ConllError(f"{path}: no sentences (the file is empty or holds only comments)")
    return Corpus(tuple(sentences), bool(has_tags), repaired, str(path))


def read_plain(path: str | os.PathLike) -> Corpus:
    """One sentence per line, tokens separated by whitespace; blank lines are errors (they shift pairs)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise ConllError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise ConllError(f"{path}: cannot read ({err.strerror})") from None
    sentences = []
    for lineno, line in enumerate(lines, start=1):
        tokens = tuple(line.split())
        if not tokens:
            raise ConllError(f"{path}:{lineno}: empty line in a one-sentence-per-line file")
        sentences.append(Sentence(tokens, None, id=f"{path.name}:{lineno}"))
    if not sentences:
        raise ConllError(f"{path}: no sentences (the file is empty)")
    return Corpus(tuple(sentences), False, 0, str(path))


def looks_like_plain(path: str | os.PathLike) -> bool:
    """True when the file has no blank line within its first 200 lines but lines with several words."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        head = [next(fh, None) for _ in range(200)]
    lines = [h.rstrip("\n") for h in head if h is not None]
    content = [ln for ln in lines if ln.strip()]
    if not content or any(not ln.strip() for ln in lines[: len(lines) - 1]):
        return False
    return sum(len(ln.split()) > 2 for ln in content) > len(content) / 2 and not any("\t" in ln for ln in content)


def read_sentences(path: str | os.PathLike) -> Corpus:
    """CoNLL, or one-sentence-per-line text when the file looks like that."""
    return read_plain(path) if looks_like_plain(path) else read_conll(path)


def write_conll(path: str | os.PathLike, rows: Iterable[tuple[Sequence[str], Sequence[str]]]) -> None:
    """Write ``token<TAB>tag`` lines, a blank line after each sentence; atomic (temp file + rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for k, (tokens, tags) in enumerate(rows):
                if len(tokens) != len(tags):
                    raise ValueError(f"sentence {k + 1}: {len(tokens)} tokens but {len(tags)} tags")
                for token, tag in zip(tokens, tags):
                    if not token or any(c in token for c in "\t\n"):
                        raise ValueError(f"sentence {k + 1}: token {token!r} cannot be written to CoNLL")
                    fh.write(f"{token}\t{tag}\n")
                fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
