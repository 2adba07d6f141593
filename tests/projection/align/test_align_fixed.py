"""``fixed.v1``: given links, and how they are signed."""

from __future__ import annotations

import hashlib

import pytest

from projection.align.fixed import FixedAligner, file_digest
from projection.types import Alignment


def test_links_and_their_canonical_file_sign_alike_and_other_spellings_do_not(tmp_path) -> None:
    links = [Alignment.of([(0, 0), (1, 2)], possible=[(2, 1)]), Alignment()]
    canonical = "0-0 1-2 2p1\n\n"
    assert "".join(a.to_pharaoh() + "\n" for a in links) == canonical
    sha = hashlib.sha256(canonical.encode()).hexdigest()[:10]
    assert FixedAligner(links).signature() == f"fixed.v1(sha={sha})"
    (tmp_path / "a.txt").write_text(canonical, encoding="utf-8")
    assert file_digest(tmp_path / "a.txt") == sha
    # the same links in another order: another file, another signature (the file's bytes are signed)
    (tmp_path / "b.txt").write_text("1-2 0-0 2p1\n\n", encoding="utf-8")
    assert file_digest(tmp_path / "b.txt") != sha


def test_a_count_or_bound_mismatch_names_the_origin() -> None:
    aligner = FixedAligner([Alignment.of([(0, 3)])], origin="al.txt")
    with pytest.raises(ValueError, match="1 given alignments in al.txt for 2 sentence pairs"):
        aligner.align([["a"], ["b"]], [["x"], ["y"]])
    with pytest.raises(ValueError, match="al.txt:1"):
        aligner.align([["a"]], [["x", "y"]])


def test_an_unreadable_alignments_file_is_named_as_when_its_links_are_read(tmp_path, monkeypatch) -> None:
    """Found in review: ``project --alignments FILE`` signs the file before reading it, and an unreadable file gave
    ``silver-ner: error: [Errno 13] Permission denied: 'FILE'`` (a bare ``OSError``) where every other input says
    ``FILE: cannot read (permission denied)``. Root reads any file, so the permission check is made to fail."""
    import os

    from projection.io.pharaoh import PharaohError

    path = tmp_path / "a.txt"
    path.write_text("0-0\n", encoding="utf-8")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(path) else real(p, mode, **kw))
    with pytest.raises(PharaohError) as info:
        file_digest(path)
    assert str(info.value) == f"{path}: cannot read (permission denied)"

