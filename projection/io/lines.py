"""Streaming, strict line reading shared by the file readers.

A file is read in 1 MiB blocks cut at line ends and decoded as UTF-8 (strict), so memory stays flat in file size.
Lines end with ``\\n`` (a ``\\r`` before it is left for the caller's whitespace stripping); a UTF-8 byte-order mark
at the start of the file is dropped. Every error names the path (and the line where there is one) and says what to
do; a missing path, a directory or an unreadable file raises the caller's error class, never a bare ``OSError``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

BOM = "\ufeff"
CHUNK = 1 << 20


class InputFileError(ValueError):
    """An input file that cannot be read as asked; the message starts with ``path`` or ``path:line``."""


class OutputFileError(ValueError):
    """An output path that cannot be written; the message starts with the path."""


def _os_message(path: str | os.PathLike, err: OSError) -> str:
    if isinstance(err, IsADirectoryError) or Path(path).is_dir():
        return f"{path}: cannot read (it is a directory; give the path of a file)"
    if isinstance(err, FileNotFoundError):
        return f"{path}: cannot read (no such file)"
    if isinstance(err, PermissionError):
        return f"{path}: cannot read (permission denied)"
    return f"{path}: cannot read ({err.strerror or err})"


def check_readable(path: str | os.PathLike, error: type[ValueError] = InputFileError) -> None:
    """Raise ``error`` with one clear line unless ``path`` is an existing, readable regular file."""
    p = Path(path)
    if p.is_dir():
        raise error(f"{path}: cannot read (it is a directory; give the path of a file)")
    if not p.exists():
        raise error(f"{path}: cannot read (no such file)")
    if not os.access(p, os.R_OK):
        raise error(f"{path}: cannot read (permission denied)")


def open_output(path: str | os.PathLike):
    """``projection.cache.atomic_open(path)`` entered, or one clear ``OutputFileError`` when ``path`` is a directory
    or cannot be created (a parent that is a file, no permission, a name too long); returns (manager, file)."""
    from projection.cache import atomic_open

    if Path(path).is_dir():
        raise OutputFileError(f"{path}: cannot write (it is a directory; give the path of a file)")
    manager = atomic_open(path)
    try:
        return manager, manager.__enter__()
    except OSError as err:
        raise OutputFileError(f"{path}: cannot write ({err.strerror or err})") from None


class OutputFile:
    """The ``with`` protocol of the streaming writers: ``__enter__`` opens ``path`` through ``open_output`` (the
    subclass writes to ``self._fh``), ``__exit__`` runs ``_finish(ok)`` and then commits the file (atomically
    replacing an old one) when the block ended without an error, or discards it."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._cm = None
        self._fh = None
        self._prepared = False

    def __enter__(self):
        self._cm, self._fh = open_output(self.path)
        self._prepared = False
        return self

    def _finish(self, ok: bool) -> None:
        """Write what is still buffered (``ok``) or drop it; called before the file is committed or discarded."""

    def prepare(self) -> None:
        """Write what is still buffered and make the temporary file durable (flush, ``fsync``) without publishing
        it: a run with several outputs prepares them all before it commits any, so a full disk fails the run
        before one of its files replaces an old one."""
        if self._fh is None or self._prepared:
            return
        self._finish(True)
        self._prepared = True
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def __exit__(self, *exc) -> bool | None:
        cm = self._cm
        try:
            if not self._prepared:
                self._finish(exc[0] is None)
        except BaseException as err:  # the last write failed (a full disk): the file is discarded all the same
            cm.__exit__(type(err), err, err.__traceback__)  # type: ignore[union-attr]
            raise
        finally:
            self._cm, self._fh, self._prepared = None, None, False
        return cm.__exit__(*exc)  # type: ignore[union-attr]


class TextFile(OutputFile):
    """An atomic output file whose whole ``text`` (set before it is prepared) is written when it is prepared."""

    text: str | None = None

    def _finish(self, ok: bool) -> None:
        if ok and self.text is not None:
            self._fh.write(self.text)  # type: ignore[union-attr]


#: leading bytes of files that are not UTF-8 text at all, and how to make them so (found in review: a gzip or a
#: UTF-16 file was told to convert "e.g. iconv -f latin1", which turns it into garbage that may then be read)
_NOT_TEXT = (
    (b"\x1f\x8b", "a gzip-compressed file, not text; decompress it first (e.g. gunzip -k FILE)"),
    (b"\xff\xfe", "UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8; convert the file to UTF-8 (e.g. "
                  "iconv -f utf-16 -t utf-8 FILE)"),
    (b"\xfe\xff", "UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8; convert the file to UTF-8 (e.g. "
                  "iconv -f utf-16 -t utf-8 FILE)"),
)


def _decode_error(path: str | os.PathLike, data: bytes, first_line: int, err: UnicodeDecodeError) -> str:
    if first_line == 1:
        for magic, what in _NOT_TEXT:
            if data.startswith(magic):
                return f"{path}:1: {what}"
    line = first_line + data.count(b"\n", 0, err.start)
    col_start = data.rfind(b"\n", 0, err.start) + 1
    return (
        f"{path}:{line}: not UTF-8 text ({err.reason}, byte 0x{data[err.start]:02x} at column "
        f"{err.start - col_start + 1}); convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)"
    )


def _lines_before(data: bytes, err: UnicodeDecodeError, first: bool) -> Iterator[str]:
    """The whole lines of ``data`` before the one that cannot be decoded, as one block (none if it is the first):
    handed on before the error, so that an error on an earlier line comes first whatever the block size."""
    end = data.rfind(b"\n", 0, err.start)
    if end >= 0:
        text = data[:end].decode("utf-8")
        yield text[1:] if first and text.startswith(BOM) else text


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` split at ``\\n`` only (``str.splitlines`` also splits at U+2028, ``\\x85``, a form feed
    …, which a line of a sentence file may hold), without the empty piece after a final line end."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def iter_text_blocks(
    path: str | os.PathLike, error: type[ValueError] = InputFileError, *, chunk: int = CHUNK
) -> Iterator[str]:
    """Yield the file's text in blocks of whole lines of about ``chunk`` bytes, each without its last ``\\n``
    (so ``block.split("\\n")`` are its lines and every block starts a new line)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with block below
    except OSError as err:
        raise error(_os_message(path, err)) from None
    with fh:
        carry = b""
        line_no = 1  # number of the first line of the next block
        first = True
        while True:
            try:
                block = fh.read(chunk)
            except OSError as err:
                raise error(_os_message(path, err)) from None
            if not block:
                break
            data = carry + block if carry else block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data
                continue
            carry = data[cut:]
            try:
                text = data[: cut - 1].decode("utf-8")
            except UnicodeDecodeError as err:
                yield from _lines_before(data, err, first)
                raise error(_decode_error(path, data, line_no, err)) from None
            if first:
                first = False
                if text.startswith(BOM):
                    text = text[1:]
            line_no += data.count(b"\n", 0, cut)
            yield text
        if carry:
            try:
                text = carry.decode("utf-8")
            except UnicodeDecodeError as err:
                yield from _lines_before(carry, err, first)
                raise error(_decode_error(path, carry, line_no, err)) from None
            if first and text.startswith(BOM):
                text = text[1:]
                if not text:  # the file is only a byte-order mark: no line, like an empty file
                    return
            yield text


def iter_line_blocks(
    path: str | os.PathLike, error: type[ValueError] = InputFileError, *, chunk: int = CHUNK
) -> Iterator[list[str]]:
    """Yield the file's lines (without line ends) in blocks of about ``chunk`` bytes, in order."""
    for text in iter_text_blocks(path, error, chunk=chunk):
        yield text.split("\n")
