"""Pharaoh and TALP alignment files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from projection.io.lines import OutputFileError
from projection.io.pharaoh import (
    AlignmentWriter,
    GoldAlignment,
    PharaohError,
    format_pharaoh,
    iter_alignments,
    parse_pharaoh,
    parse_talp,
    read_alignments,
    read_talp,
    write_alignments,
    write_talp,
)
from projection.types import Alignment


def test_pharaoh_round_trip_keeps_empty_lines(tmp_path: Path) -> None:
    alignments = [Alignment.of([(0, 0), (2, 1)]), Alignment(), Alignment.of([(1, 3)])]
    path = tmp_path / "sub" / "links.txt"
    write_alignments(path, alignments)
    assert path.read_text(encoding="utf-8") == "0-0 2-1\n\n1-3\n"
    assert read_alignments(path) == alignments
    assert [p.name for p in path.parent.iterdir()] == ["links.txt"]  # no temporary file left


def test_pharaoh_errors_name_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("0-0\n1-1 2:3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2: .*'2:3'"):
        read_alignments(path)


def test_talp_one_based_sure_and_possible(tmp_path: Path) -> None:
    path = tmp_path / "gold.talp"
    path.write_text("1-1 2p3 3-2 \n\n", encoding="utf-8")
    gold = read_talp(path)
    assert gold[0] == GoldAlignment(Alignment.of([(0, 0), (2, 1)]), Alignment.of([(0, 0), (1, 2), (2, 1)]))
    assert gold[1] == GoldAlignment(Alignment(), Alignment())
    out = tmp_path / "gold0.talp"
    write_talp(out, gold)
    assert out.read_text(encoding="utf-8") == "0-0 1p2 2-1\n\n"
    assert read_talp(out, one_based=False) == gold


def test_talp_errors() -> None:
    with pytest.raises(ValueError, match="g:7: .*'1x2'"):
        parse_talp("1-1 1x2", where="g:7")
    with pytest.raises(ValueError, match="one_based=False"):
        parse_talp("0-1")
    with pytest.raises(ValueError, match="sure ⊆ possible"):
        GoldAlignment(Alignment.of([(0, 0)]), Alignment())


def random_pharaoh_line(rng: random.Random) -> str:
    items = []
    for _ in range(rng.randint(0, 12)):
        i, j = rng.randint(0, 6), rng.randint(0, 6)  # small ranges: duplicates and sure/possible overlaps
        items.append(f"{i}{rng.choice('--p')}{j}")
    rng.shuffle(items)
    return rng.choice([" ", "  ", "\t"]).join(items) + rng.choice(["", " ", "\r"])


def test_fast_parser_equals_alignment_from_pharaoh_on_random_lines() -> None:
    rng = random.Random(11)
    for _ in range(5000):
        line = random_pharaoh_line(rng)
        assert parse_pharaoh(line) == Alignment.from_pharaoh(line), line
        assert parse_pharaoh(line) == Alignment.of(*_split_links(line)), line


def _split_links(line: str) -> tuple[list, list]:
    sure, weak = [], []
    for item in line.split():
        sep = "-" if "-" in item else "p"
        i, j = item.split(sep)
        (sure if sep == "-" else weak).append((int(i), int(j)))
    return sure, weak


def test_format_equals_to_pharaoh_on_random_alignments() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        pairs = tuple((rng.randint(0, 9), rng.randint(0, 9)) for _ in range(rng.randint(0, 8)))
        possible = tuple((rng.randint(0, 9), rng.randint(0, 9)) for _ in range(rng.randint(0, 2)))
        for alignment in (Alignment.of(pairs, possible), Alignment(pairs), Alignment(pairs, possible)):
            assert format_pharaoh(alignment) == alignment.to_pharaoh()


@pytest.mark.parametrize("item", ["+1-2", "1_0-2", "\u0663-4", "1-2-3", "-1", "1-", "1p", "a-b", "12"])
def test_links_are_strict_ascii(tmp_path: Path, item: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(f"0-0\n\n0-0 {item} 1-1\n", encoding="utf-8")
    with pytest.raises(PharaohError, match=r"expected Pharaoh links") as info:
        read_alignments(path)
    assert str(info.value).startswith(f"{path}:3: ")


def test_non_utf8_and_directory_errors_name_the_path(tmp_path: Path) -> None:
    path = tmp_path / "links.txt"
    path.write_bytes(b"0-0\n1-1 \xff2-2\n")
    with pytest.raises(PharaohError, match="not UTF-8") as info:
        read_alignments(path)
    assert str(info.value).startswith(f"{path}:2: ")
    with pytest.raises(PharaohError, match="is a directory") as info:
        read_alignments(tmp_path)
    assert str(info.value).startswith(str(tmp_path))


def test_bom_crlf_and_possible_links(tmp_path: Path) -> None:
    path = tmp_path / "links.txt"
    path.write_bytes("\ufeff0-0 1p1\r\n2-2 0-0\r\n".encode("utf-8"))
    assert read_alignments(path) == [Alignment(((0, 0),), ((1, 1),)), Alignment(((0, 0), (2, 2)))]


def test_iter_alignments_streams(tmp_path: Path) -> None:
    path = tmp_path / "links.txt"
    path.write_text("0-0\n1-1 bad\n", encoding="utf-8")
    it = iter_alignments(path)
    assert next(it) == Alignment(((0, 0),))  # the bad line 2 is met only when it is read
    with pytest.raises(PharaohError, match=":2: "):
        next(it)


def test_alignment_writer_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    with AlignmentWriter(path) as writer:
        writer.write(Alignment.of([(1, 0), (0, 1)]))
        writer.write(Alignment())
        assert not path.exists()
        writer.write(Alignment.of([(0, 0)], [(1, 1)]))
    assert path.read_text(encoding="utf-8") == "0-1 1-0\n\n0-0 1p1\n"
    with pytest.raises(KeyboardInterrupt), AlignmentWriter(path) as writer:
        writer.write(Alignment())
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "0-1 1-0\n\n0-0 1p1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_to_a_directory_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="it is a directory"):
        write_alignments(tmp_path, [Alignment()])


@pytest.mark.parametrize("chunk", [1 << 20, 7, 64])
@pytest.mark.parametrize("with_possible", [False, True])
def test_iter_alignments_equals_from_pharaoh_per_line(tmp_path: Path, monkeypatch, chunk, with_possible) -> None:
    """Whole blocks of sure links are parsed at once; the result must equal Alignment.from_pharaoh line by line
    (unsorted and repeated links, empty lines, block boundaries anywhere)."""
    import projection.io.pharaoh as pharaoh

    monkeypatch.setattr(pharaoh, "_chunk", chunk)
    if chunk == 64:  # a tiny cache of checked links, forgotten and relearnt all the time
        monkeypatch.setattr(pharaoh, "_MAX_CACHED", 5)
        pharaoh._LINKS.clear()
    rng = random.Random(chunk + with_possible)
    lines = []
    for _ in range(400):
        line = random_pharaoh_line(rng)
        lines.append(line if with_possible else line.replace("p", "-"))
    path = tmp_path / "links.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(iter_alignments(path)) == [Alignment.from_pharaoh(line) for line in lines]


@pytest.mark.parametrize("chunk", [1 << 20, 4, 1])
def test_of_a_bad_link_and_a_later_non_utf8_line_the_first_is_named_whatever_the_block_size(
    tmp_path: Path, monkeypatch, chunk: int
) -> None:
    """The lines before a line that cannot be decoded are read first: a bad link on line 2 is the error, not the
    latin-1 byte on line 3 (a 1 MiB block held both, and its decoding failed before line 2 was read)."""
    from projection.io import pharaoh

    monkeypatch.setattr(pharaoh, "_chunk", chunk)
    path = tmp_path / "links.txt"
    path.write_bytes(b"0-0\n1-x\n2-2 \xe9\n")
    with pytest.raises(PharaohError) as info:
        read_alignments(path)
    assert str(info.value) == f"{path}:2: expected Pharaoh links like '3-4' (or '3p4' for possible), got '1-x'"
    path.write_bytes(b"\xef\xbb\xbf0-0\n\n1-1\n2-2 \xe9")  # no error before it: the byte is named, line 4
    assert str(pytest.raises(PharaohError, read_alignments, path).value).startswith(f"{path}:4: not UTF-8 text")


def test_a_utf16_alignments_file_is_named_as_utf16(tmp_path: Path) -> None:
    """Found in review: it was told to convert "e.g. iconv -f latin1 -t utf-8"."""
    path = tmp_path / "links.txt"
    path.write_bytes("0-0 1-1\n".encode("utf-16"))
    with pytest.raises(PharaohError) as info:
        read_alignments(path)
    assert str(info.value).startswith(f"{path}:1: UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8")
