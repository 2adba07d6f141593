"""``fixed.v1``: alignments given in advance (Pharaoh lines), for ``--alignments`` and for tests."""

from __future__ import annotations

from typing import Sequence

from projection.align.base import ALIGNERS, Aligner, Tokens
from projection.types import Alignment


@ALIGNERS.register("fixed.v1", alias="fixed")
class FixedAligner(Aligner):
    name = "fixed.v1"

    def __init__(self, alignments: Sequence[Alignment], origin: str = "") -> None:
        self.alignments = list(alignments)
        self.origin = origin

    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        if len(src) != len(self.alignments):
            raise ValueError(
                f"{len(self.alignments)} given alignments{' in ' + self.origin if self.origin else ''} "
                f"for {len(src)} sentence pairs"
            )
        for k, (s, t, a) in enumerate(zip(src, tgt, self.alignments)):
            a.check_bounds(len(s), len(t), where=f"{self.origin or 'alignments'}:{k + 1}", given=True)
        return list(self.alignments)

    def signature(self) -> str:
        """``fixed.v1(sha=…)``: the first 10 hex of the sha256 of the alignments as a Pharaoh file (the bytes
        ``--save-alignments`` writes). ``project --alignments FILE`` signs the file's own bytes (``file_digest``,
        known before any line is parsed), so the two agree when the file is written that way (each line as
        ``Alignment.to_pharaoh`` gives it, ending in ``\\n``), and differ for the same links written otherwise."""
        return f"fixed.v1(sha={pharaoh_digest(a.to_pharaoh() + chr(10) for a in self.alignments)})"


def pharaoh_digest(lines) -> str:
    """sha256 (10 hex) of Pharaoh text given line by line (each with its newline)."""
    import hashlib

    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
    return h.hexdigest()[:10]


def file_digest(path) -> str:
    """``pharaoh_digest`` of a file's bytes, read in 1 MiB blocks. A file that cannot be read raises
    ``PharaohError`` naming it (as reading its links does), never a bare ``OSError``."""
    import hashlib

    from projection.io.lines import _os_message, check_readable
    from projection.io.pharaoh import PharaohError

    check_readable(path, PharaohError)
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as err:
        raise PharaohError(_os_message(path, err)) from None
    return h.hexdigest()[:10]
