"""Strict CoNLL / plain-text reading and atomic CoNLL writing (small files written per test)."""

from __future__ import annotations

import pytest

from projection.io.conll import ConllError, read_conll, read_plain, read_sentences, write_conll


def write(tmp_path, text: str, name: str = "in.conll"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


TWO_SENTENCES = [
    (("John", "Smith", "lives", "in", "Berlin", "."), ("B-PER", "I-PER", "O", "O", "B-LOC", "O")),
    (("Hello", "!"), ("O", "O")),
]


def as_rows(corpus):
    return [(s.tokens, s.tags) for s in corpus.sentences]


@pytest.mark.parametrize("sep", ["\t", " ", "  "])
@pytest.mark.parametrize("trailing", ["\n", "\n\n", "", "\n\n\n"])
def test_separators_and_trailing_blank_lines(tmp_path, sep, trailing):
    body = "\n\n".join("\n".join(f"{t}{sep}{g}" for t, g in zip(toks, tags)) for toks, tags in TWO_SENTENCES)
    corpus = read_conll(write(tmp_path, body + trailing))
    assert as_rows(corpus) == TWO_SENTENCES
    assert corpus.has_tags and corpus.repaired == 0 and len(corpus) == 2


def test_middle_columns_ignored_and_crlf(tmp_path):
    text = "EU NNP B-NP B-ORG\r\nrejects VBZ B-VP O\r\n\r\nPeter NNP B-NP B-PER\r\n"
    corpus = read_conll(write(tmp_path, text))
    assert as_rows(corpus) == [(("EU", "rejects"), ("B-ORG", "O")), (("Peter",), ("B-PER",))]


def test_comments_and_docstart_are_skipped(tmp_path):
    text = (
        "-DOCSTART- -X- -X- O\n\n"
        "# id = 1\n# text = Peter lives\n"
        "Peter\tB-PER\nlives\tO\n\n"
        "-DOCSTART-\tO\n"
        "# a comment line before a sentence\n"
        "Rome\tB-LOC\n"
    )
    corpus = read_conll(write(tmp_path, text))
    assert as_rows(corpus) == [(("Peter", "lives"), ("B-PER", "O")), (("Rome",), ("B-LOC",))]
    # ids name the first token line of each sentence
    assert [s.id for s in corpus.sentences] == ["in.conll:5", "in.conll:10"]


def test_hash_token_inside_a_sentence_is_a_token(tmp_path):
    corpus = read_conll(write(tmp_path, "we\tO\n#\tO\nwin\tO\n"))
    assert corpus.sentences[0].tokens == ("we", "#", "win")


@pytest.mark.parametrize("sep", ["\t", " "])
def test_hash_token_at_sentence_start_is_a_token(tmp_path, sep):
    # PAN-X dev-zh/dev-ja and several MasakhaNER2 files have sentences starting with the token "#"
    text = f"# text = a comment\n#{sep}O\n#{sep}O\nfoo{sep}B-LOC\n"
    corpus = read_conll(write(tmp_path, text))
    assert corpus.sentences[0].tokens == ("#", "#", "foo")
    assert corpus.sentences[0].tags == ("O", "O", "B-LOC")


def test_iob2_repair_is_counted(tmp_path):
    # line 2: I-PER after O; line 4: I-LOC after B-PER; sentence 2 starts with I-ORG
    text = "a\tO\nb\tI-PER\nc\tB-PER\nd\tI-LOC\ne\tI-LOC\n\nf\tI-ORG\ng\tI-ORG\n"
    corpus = read_conll(write(tmp_path, text))
    assert corpus.repaired == 3
    assert corpus.sentences[0].tags == ("O", "B-PER", "B-PER", "B-LOC", "I-LOC")
    assert corpus.sentences[1].tags == ("B-ORG", "I-ORG")


def test_untagged_file(tmp_path):
    corpus = read_conll(write(tmp_path, "Hallo\nWelt\n\nTschüss\n"))
    assert not corpus.has_tags
    assert [(s.tokens, s.tags) for s in corpus.sentences] == [(("Hallo", "Welt"), None), (("Tschüss",), None)]


def test_tag_col_none_reads_tokens_only(tmp_path):
    corpus = read_conll(write(tmp_path, "Peter\tB-PER\nlives\tO\n"), tag_col=None)
    assert not corpus.has_tags and corpus.sentences[0].tokens == ("Peter", "lives")


@pytest.mark.parametrize(
    "text, line, what",
    [
        ("a\tO\nb\tB-XYZ\nc\tQ-PER\n", 3, "IOB2 tag"),  # bad tag on line 3
        ("a\tO\nb\tO\n\nc\n", 4, "token and a tag"),  # tagged, then an untagged line
        ("a\nb\n\nc\tO\n", 4, "single token"),  # untagged, then a tagged line
        ("a\tO\n\tO\n", 2, "empty token"),  # empty token (tab)
        ("a O\n O\n", 2, "empty token"),  # empty token (space), as in MasakhaNER2 xho
    ],
)
def test_errors_name_path_and_line(tmp_path, text, line, what):
    path = write(tmp_path, text)
    with pytest.raises(ConllError, match=what) as info:
        read_conll(path)
    assert str(info.value).startswith(f"{path}:{line}:")


def test_empty_token_replacement(tmp_path):
    corpus = read_conll(write(tmp_path, "a O\n O\n"), empty_token="_")
    assert corpus.sentences[0].tokens == ("a", "_") and corpus.sentences[0].tags == ("O", "O")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "-DOCSTART- O\n\n"])
def test_empty_file_is_an_error(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(ConllError, match="no sentences") as info:
        read_conll(path)
    assert str(info.value).startswith(str(path))


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(ConllError, match="cannot read"):
        read_conll(tmp_path / "nope.conll")
    bad = tmp_path / "latin1.conll"
    bad.write_bytes("Zürich\tB-LOC\n".encode("latin-1"))
    with pytest.raises(ConllError, match="not UTF-8"):
        read_conll(bad)


def test_read_plain(tmp_path):
    corpus = read_plain(write(tmp_path, "Der Hund  bellt .\nJa\n", "plain.txt"))
    assert [s.tokens for s in corpus.sentences] == [("Der", "Hund", "bellt", "."), ("Ja",)]
    assert not corpus.has_tags and [s.tags for s in corpus.sentences] == [None, None]


def test_read_plain_blank_line_and_empty_file(tmp_path):
    path = write(tmp_path, "eins zwei\n\ndrei\n", "plain.txt")
    with pytest.raises(ConllError) as info:
        read_plain(path)
    assert str(info.value).startswith(f"{path}:2:")
    with pytest.raises(ConllError, match="no sentences"):
        read_plain(write(tmp_path, "", "empty.txt"))


def test_read_sentences_detects_format(tmp_path):
    plain = write(tmp_path, "the cat sat on the mat\na dog barks loudly\n", "p.txt")
    assert [len(s) for s in read_sentences(plain).sentences] == [6, 4]
    conll = write(tmp_path, "the\tO\ncat\tO\n\nsat\tO\n", "c.conll")
    assert read_sentences(conll).has_tags and len(read_sentences(conll)) == 2


def test_write_conll_round_trip(tmp_path):
    path = tmp_path / "out.conll"
    rows = TWO_SENTENCES + [(("Ünïcödé", "東京"), ("B-MISC", "B-LOC"))]
    write_conll(path, rows)
    assert as_rows(read_conll(path)) == rows
    assert path.read_text(encoding="utf-8").startswith("John\tB-PER\nSmith\tI-PER\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.conll"]  # no temp file left behind


def test_write_conll_length_mismatch_keeps_old_file(tmp_path):
    path = tmp_path / "out.conll"
    path.write_text("old\tO\n", encoding="utf-8")
    with pytest.raises(ValueError, match="2 tokens but 1 tags"):
        write_conll(path, [(("a", "b"), ("O",))])
    assert path.read_text(encoding="utf-8") == "old\tO\n"  # atomic: the target is untouched


def test_write_conll_failure_leaves_no_temp_file(tmp_path):
    with pytest.raises(ValueError):
        write_conll(tmp_path / "out.conll", [(("a",), ("O",)), (("a", "b"), ("O",))])
    assert list(tmp_path.iterdir()) == []
