"""``projection.plans`` helpers that need no model."""

from __future__ import annotations

from projection.options import ModelSettings
from projection.plans import _translations


def test_a_translations_file_with_a_byte_order_mark_reads_as_without_one(tmp_path):
    """Found in review: ``--translations`` kept a UTF-8 byte-order mark (Notepad, Excel exports) as part of the first
    translation; translate-train then failed at the very end ("token '\\ufeff' cannot be written to CoNLL") and
    translate-test tagged a stray English token. Every other reader drops it."""
    plain, marked = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes(b"Angela Merkel visited Paris .\nEU rejects German call\n")
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    lines, part = _translations(ModelSettings(translations_file=str(marked)), 2)
    assert lines == ["Angela Merkel visited Paris .", "EU rejects German call"]
    assert (lines, part) == _translations(ModelSettings(translations_file=str(plain)), 2)
