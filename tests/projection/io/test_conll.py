"""Strict CoNLL / plain-text reading (``projection.io.conll``) and atomic CoNLL writing
(``projection.io.conll_write``); small files written per test."""

from __future__ import annotations

import random

import pytest

from projection.io.conll import (
    ConllError,
    ConllReader,
    Detected,
    detect_format,
    iter_conll,
    read_conll,
    read_plain,
    read_sentences,
)
from projection.io.conll_write import ConllWriter, write_conll
from projection.io.lines import OutputFileError
from projection.types import Sentence


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


def test_a_token_that_reading_accepts_is_written_and_reads_back(tmp_path):
    """Found in review: a target token with a form feed or vertical tab inside (scraped text) was read, aligned and
    projected, and then refused by the writer ("cannot be written to CoNLL: it holds ... control whitespace") after
    all the work, though it reads back identically: lines end at \\n only, columns lose only edge whitespace."""
    rows = [(("Wi\x0cen", "a\x0bb", "Ber\u2028lin", "Pa\x85ris"), ("B-LOC", "O", "B-LOC", "B-LOC"))]
    path = tmp_path / "out.conll"
    source = tmp_path / "in.conll"
    source.write_text("Wi\x0cen\tB-LOC\na\x0bb\tO\nBer\u2028lin\tB-LOC\nPa\x85ris\tB-LOC\n", encoding="utf-8")
    assert as_rows(read_conll(source)) == rows
    write_conll(path, rows)
    assert as_rows(read_conll(path)) == rows
    write_conll(path, [(rows[0][0], None)])
    assert [s.tokens for s in read_sentences(path, format="conll").sentences] == [rows[0][0]]


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


# ---------------------------------------------------------------- reading rules (issue 8)


def test_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.conll"
    path.write_bytes("\ufeffWiederaufnahme\tO\nder\tO\n".encode("utf-8"))
    assert read_conll(path).sentences[0].tokens == ("Wiederaufnahme", "der")
    plain = tmp_path / "bom.txt"
    plain.write_bytes("\ufeffEin Satz .\n".encode("utf-8"))
    assert read_plain(plain).sentences[0].tokens == ("Ein", "Satz", ".")


def test_whitespace_around_columns_is_stripped(tmp_path):
    # a space before the tab, a space after it, trailing spaces and tabs: none stays in the token or the tag
    corpus = read_conll(write(tmp_path, "Berlin \tB-LOC\nist\t O\nschön\tO  \t\n"))
    assert as_rows(corpus) == [(("Berlin", "ist", "schön"), ("B-LOC", "O", "O"))]
    # runs of spaces separate columns; a token with a space inside survives only in a tab-separated line
    corpus = read_conll(write(tmp_path, "New York\tB-LOC\nis   O\n"))
    assert as_rows(corpus) == [(("New York", "is"), ("B-LOC", "O"))]


def test_hash_tokens_in_a_one_column_file_are_kept(tmp_path):
    # issue 8: 33 tokens in, 32 out; now every '#' line of a one-column file is a token, also at a sentence start
    tokens = [f"w{k}" for k in range(30)] + ["#", "#hashtag", "#1"]
    text = "#hashtag\n" + "\n".join(tokens[:20]) + "\n\n#\n" + "\n".join(tokens[20:30]) + "\n#1\n"
    corpus = read_conll(write(tmp_path, text))
    assert not corpus.has_tags
    assert [s.tokens for s in corpus.sentences] == [("#hashtag", *tokens[:20]), ("#", *tokens[20:30], "#1")]
    assert sum(len(s) for s in corpus.sentences) == 33


def test_multi_word_hash_line_before_a_one_column_sentence_is_a_comment(tmp_path):
    corpus = read_conll(write(tmp_path, "# text = Hallo Welt\nHallo\nWelt\n"))
    assert [s.tokens for s in corpus.sentences] == [("Hallo", "Welt")]


def test_comments_off(tmp_path):
    # with comments=False a '#' line is a token line like any other: here a bad tag, named with its line
    path = write(tmp_path, "# id = 1\nPeter\tB-PER\n")
    with pytest.raises(ConllError, match="IOB2 tag") as info:
        read_conll(path, comments=False)
    assert str(info.value).startswith(f"{path}:1:")
    assert read_conll(write(tmp_path, "#\nHallo\n"), comments=False).sentences[0].tokens == ("#", "Hallo")


def test_token_only_first_line_is_blamed_on_line_1(tmp_path):
    path = write(tmp_path, "Peter\nlives\tO\nin\tO\nRome\tB-LOC\n")
    with pytest.raises(ConllError, match="expected a token and a tag") as info:
        read_conll(path)
    assert str(info.value).startswith(f"{path}:1:")
    assert "reads as tagged: 3 of its first 4 token lines" in str(info.value)


def test_crlf_and_blank_lines_made_of_spaces(tmp_path):
    corpus = read_conll(write(tmp_path, "a\tO\r\nb\tB-PER\r\n  \r\nc\tO\r\n"))
    assert as_rows(corpus) == [(("a", "b"), ("O", "B-PER")), (("c",), ("O",))]


def test_non_utf8_error_names_the_line(tmp_path):
    path = tmp_path / "latin1.conll"
    path.write_bytes("a\tO\n\nZürich\tB-LOC\n".encode("latin-1"))
    with pytest.raises(ConllError, match="not UTF-8") as info:
        read_conll(path)
    assert str(info.value).startswith(f"{path}:3:")


@pytest.mark.parametrize("reader", [read_conll, read_plain, read_sentences])
def test_a_directory_is_one_clear_error(tmp_path, reader):
    with pytest.raises(ConllError, match="is a directory") as info:
        reader(tmp_path)
    assert str(info.value).startswith(str(tmp_path))


# ---------------------------------------------------------------- format detection of targets


def test_plain_text_with_a_blank_line_is_detected_and_the_blank_line_named(tmp_path):
    lines = ["Wiederaufnahme der Sitzungsperiode", "Ich erkläre die Sitzung für eröffnet .", "", "Danke !"]
    path = write(tmp_path, "\n".join(lines) + "\n", "target.txt")
    assert detect_format(path).format == "plain"
    with pytest.raises(ConllError) as info:
        read_sentences(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: blank line between sentences")
    assert "read as one sentence per line because 3 of its first 3 lines are neither" in message


def test_short_plain_lines_are_plain(tmp_path):
    path = write(tmp_path, "Danke !\nJa .\nDas ist gut .\n", "short.txt")
    corpus = read_sentences(path)
    assert corpus.format == "plain" and corpus.sentences[0].tokens == ("Danke", "!")


def test_trailing_blank_lines_of_plain_text_are_ignored(tmp_path):
    corpus = read_plain(write(tmp_path, "eins zwei drei\nvier fünf sechs\n\n\n", "p.txt"))
    assert [len(s) for s in corpus.sentences] == [3, 3]


def test_space_separated_conll_with_four_columns_is_conll(tmp_path):
    text = "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\n"
    path = write(tmp_path, text, "c.txt")
    found = detect_format(path)
    assert found == Detected("conll", "3 of its first 3 lines are a single token or a token and an IOB2 tag")
    assert as_rows(read_sentences(path)) == [(("EU", "rejects"), ("B-ORG", "O")), (("Peter",), ("B-PER",))]


def test_conll_error_says_why_the_file_was_read_as_conll(tmp_path):
    path = write(tmp_path, "a\tO\nb\tO\nc\tO\nd\tO\ne\tO\nf\tO\ng\tO\nh\tO\ni\tO\nj\tQ-PER\n", "t.conll")
    with pytest.raises(ConllError) as info:
        read_sentences(path)
    message = str(info.value)
    assert message.startswith(f"{path}:10: expected an IOB2 tag")
    assert "read as CoNLL because line 1 has a tab; if the file is one sentence per line" in message


def test_format_can_be_forced(tmp_path):
    path = write(tmp_path, "a\tO\n", "t.conll")
    assert read_sentences(path, format="plain").sentences[0].tokens == ("a", "O")
    with pytest.raises(ValueError, match="format must be"):
        read_sentences(path, format="tsv")


# ---------------------------------------------------------------- streaming reading and writing


def test_iter_conll_streams_and_counts_repairs(tmp_path):
    path = write(tmp_path, "a\tI-PER\nb\tO\n\nc\tO\nd\tI-LOC\n")
    reader = iter_conll(path)
    it = iter(reader)
    first = next(it)
    assert first == Sentence(("a", "b"), ("B-PER", "O"), id="in.conll:1")
    assert reader.repaired == 1 and reader.has_tags
    assert next(it).tags == ("O", "B-LOC")
    assert list(it) == [] and reader.repaired == 2 and reader.sentences == 2
    assert [s.tokens for s in reader] == [("a", "b"), ("c", "d")]  # iterating again re-reads


def test_conll_writer_is_atomic_and_streams(tmp_path):
    path = tmp_path / "sub" / "out.conll"
    with ConllWriter(path) as writer:
        writer.write(("Peter", "lebt"), ("B-PER", "O"))
        assert not path.exists()  # appears only when the with block ends
        writer.write(("#", "hier"), ("O", "O"))
    assert path.read_text(encoding="utf-8") == "Peter\tB-PER\nlebt\tO\n\n#\tO\nhier\tO\n\n"
    assert as_rows(read_conll(path)) == [(("Peter", "lebt"), ("B-PER", "O")), (("#", "hier"), ("O", "O"))]
    with pytest.raises(RuntimeError), ConllWriter(path) as writer:
        writer.write(("neu",), ("O",))
        raise RuntimeError("stop")
    assert path.read_text(encoding="utf-8").startswith("Peter")  # untouched
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.conll"]


def test_untagged_writing_round_trips_hash_tokens(tmp_path):
    path = tmp_path / "plain.conll"
    rows = [(("#hashtag", "ja"), None), (("#",), None)]
    write_conll(path, rows)
    assert path.read_text(encoding="utf-8") == "#hashtag\nja\n\n#\n\n"
    assert [(s.tokens, s.tags) for s in read_conll(path).sentences] == rows


@pytest.mark.parametrize(
    "tokens, tags, what",
    [
        (("a ",), ("O",), "whitespace"),
        (("-DOCSTART-",), ("O",), "DOCSTART"),
        (("a\tb",), ("O",), "tab"),
        (("New York",), None, "space inside a token"),
        ((), (), "no tokens"),
        (("a",), ("PER",), "IOB2 tag"),
    ],
)
def test_writer_refuses_what_would_not_read_back(tmp_path, tokens, tags, what):
    path = tmp_path / "out.conll"
    with pytest.raises(ValueError, match=what), ConllWriter(path) as writer:
        writer.write(("ok",), None if tags is None else ("O",))
        writer.write(tokens, tags)
    assert list(tmp_path.iterdir()) == []


def test_formatted_lines_by_hand_with_a_tag_met_for_the_first_time():
    from projection.io.conll_write import ConllFormatter

    fmt = ConllFormatter().format
    tags = ("B-QXZ", "I-QXZ", "O")  # a type no other test writes: its column is made, then remembered
    for _ in range(2):
        assert fmt(("a", "b", "c"), tags, 1) == "a\tB-QXZ\nb\tI-QXZ\nc\tO\n\n"
    with pytest.raises(ValueError, match="sentence 3"):
        fmt(("a",), ("QXZ",), 3)


def test_text_formatted_apart_is_appended_with_the_checks_across_chunks(tmp_path):
    """A worker formats its chunk with a ``ConllFormatter``; the writer appends the text, and still refuses a
    chunk tagged unlike the chunks before, naming the run's sentence number."""
    from projection.io.conll_write import ConllFormatter

    chunk = ConllFormatter()
    text = chunk.format(("Peter", "lebt"), ("B-PER", "O"), 1) + chunk.format(("hier",), ("O",), 2)
    path = tmp_path / "out.conll"
    with ConllWriter(path) as writer:
        writer.write_text(text, 2, chunk.tagged)
        writer.write(("#",), ("O",))
    assert path.read_text(encoding="utf-8") == "Peter\tB-PER\nlebt\tO\n\nhier\tO\n\n#\tO\n\n"
    untagged = ConllFormatter()
    with pytest.raises(ValueError, match="^sentence 4: no tags, unlike"), ConllWriter(path) as writer:
        writer.write_text(text, 2, chunk.tagged)
        writer.write(("#",), ("O",))
        writer.write_text(untagged.format(("ja",), None, 4), 1, untagged.tagged)
    with pytest.raises(ValueError, match="^sentence 7: token 'a ' cannot be written"):
        ConllFormatter().format(("a ",), ("O",), 7)


def test_text_formatted_apart_goes_to_the_file_at_once(tmp_path):
    """A run appends 1,000 sentences per chunk: the writer must not hold chunk texts until it closes (a
    buffer of 512 chunks once made memory grow with the corpus)."""
    from projection.io.conll_write import ConllFormatter

    formatter = ConllFormatter()
    text = "".join(formatter.format((f"w{k}", "x"), ("O", "O"), k) for k in range(1, 1001))
    path = tmp_path / "out.conll"
    with ConllWriter(path) as writer:
        for k in range(3):
            writer.write_text(text, 1000, True)
            (temp,) = tmp_path.glob(".out.conll*")
            assert temp.stat().st_size >= (k + 1) * len(text.encode("utf-8")) - 8192  # at most io's own buffer
    assert path.stat().st_size == 3 * len(text.encode("utf-8"))


LINE_KINDS = [
    "a\tO", "b\tB-PER", "c\tI-PER", "d\tI-LOC", "", "", "  ", "# c", "#\tO", "# x\tB-LOC", "-DOCSTART-\tO",
    "e O", "f\tO ", " g\tO", "h \tB-X", "x\x0c\tO", "y\tO\r", "z\tNN\tO", "w NN B-LOC", "\tO", "k", "v\tO\tx",
    "u O ", "t  O", "s\t\tO", "New York\tB-LOC",
]


@pytest.mark.parametrize("seed", range(40))
def test_fast_reading_equals_line_by_line_reading(tmp_path, seed):
    """The C-level paths and the block boundaries must not change a result or an error (tiny blocks put a
    boundary inside every line)."""
    rng = random.Random(seed)
    path = tmp_path / "r.conll"
    for _ in range(300):
        lines = [rng.choice(LINE_KINDS) for _ in range(rng.randint(0, 25))]
        if rng.random() < 0.5:  # mostly well-formed files too
            lines = [rng.choice(LINE_KINDS[:6]) for _ in range(rng.randint(1, 40))]
        path.write_bytes(("\n".join(lines) + rng.choice(["", "\n", "\n\n"])).encode("utf-8"))
        kwargs = dict(
            zip(("token_col", "tag_col"), rng.choice([(0, -1), (0, -1), (0, None), (1, 2), (-2, -1), (0, 1)]))
        )
        kwargs.update(empty_token=rng.choice([None, "_"]), comments=rng.random() < 0.8)
        results = []
        for chunk, fast in ((1 << 20, False), (rng.randint(1, 9), True), (1 << 20, True)):
            reader = ConllReader(path, **kwargs)
            reader._chunk, reader._fast_path = chunk, fast
            try:
                out = [(s.tokens, s.tags, s.id) for s in reader]
                results.append((out, reader.repaired, reader.has_tags))
            except ConllError as err:
                results.append((str(err), None, None))
        assert results[0] == results[1] == results[2], (path.read_bytes(), kwargs)


@pytest.mark.parametrize("token_col", [1, -2])
def test_a_token_column_a_one_column_file_lacks_is_an_error_on_every_path(tmp_path, token_col):
    """The one-column sentences were read from column 0 whatever ``token_col`` said, where line-by-line reading
    names the missing column (found by the test above with more seeds)."""
    path = tmp_path / "one.conll"
    path.write_text("k\nm\n\nn\n", encoding="utf-8")
    for fast in (True, False):
        reader = ConllReader(path, token_col=token_col, tag_col=None)
        reader._fast_path = fast
        with pytest.raises(ConllError, match=f"one.conll:1: no column {token_col} for the token in 'k'"):
            list(reader)


def test_unwritable_outputs_are_one_clear_error(tmp_path):
    with pytest.raises(OutputFileError, match="it is a directory") as info:
        write_conll(tmp_path, [(("a",), ("O",))])
    assert str(info.value).startswith(str(tmp_path))
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFileError, match="cannot write") as info:
        write_conll(blocker / "out.conll", [(("a",), ("O",))])
    assert str(info.value).startswith(str(blocker / "out.conll"))


def test_an_i_tag_met_after_the_tag_cache_is_full_is_still_repaired(tmp_path, monkeypatch):
    """``tag_parts`` keeps at most ``_MAX_CACHED`` tags; the fast reader found I- tags among the kept ones only, so
    an I- tag first met after the cache was full stayed after an O unrepaired (found in review). Now such a tag
    sends its sentence to line-by-line reading, which repairs it."""
    from projection import tags

    monkeypatch.setattr(tags, "_MAX_CACHED", len(tags._PARTS))  # full: no new tag is kept
    path = tmp_path / "full.conll"
    path.write_text("a\tO\nb\tI-QQZFULL\nc\tI-QQZFULL\n\nd\tB-QQZFULL\n\n", encoding="utf-8")
    for fast in (True, False):
        reader = ConllReader(path)
        reader._fast_path = fast
        assert [s.tags for s in reader] == [("O", "B-QQZFULL", "I-QQZFULL"), ("B-QQZFULL",)]
        assert reader.repaired == 1


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (("B-PER ",), "tag 'B-PER ' cannot be written to CoNLL: it starts or ends with whitespace"),
        (("B-X\nI-Y",), "tag 'B-X\\\\nI-Y' cannot be written to CoNLL: it holds a tab, a line break"),
        (("I-PER",), "tag 'I-PER' at token 1 comes first, so reading would repair it to 'B-PER'"),
        (("O", "I-QQZW"), "tag 'I-QQZW' at token 2 comes after 'O', so reading would repair it to 'B-QQZW'"),
        (("B-PER", "I-LOC"), "tag 'I-LOC' at token 2 comes after 'B-PER', so reading would repair it to 'B-LOC'"),
    ],
)
def test_tags_that_would_not_read_back_are_refused(tmp_path, tags, message):
    """The writer promised to refuse them; it wrote them (found in review: ``B-PER `` read back as ``B-PER``, an I-
    after O as B-, and a tag with a line break broke the file)."""
    with pytest.raises(ValueError, match="^sentence 1: " + message):
        write_conll(tmp_path / "t.conll", [(("a", "b")[: len(tags)], tags)])
    assert not (tmp_path / "t.conll").exists()
    write_conll(tmp_path / "ok.conll", [(("a", "b"), ("B-PER", "I-PER"))])  # IOB2 is written
    assert [s.tags for s in read_conll(tmp_path / "ok.conll").sentences] == [("B-PER", "I-PER")]


def test_a_token_starting_with_a_byte_order_mark_is_refused(tmp_path):
    """Reading drops a byte-order mark at the start of a file, so a first token ``\\ufeffAngela`` read back as
    ``Angela`` (found in review)."""
    with pytest.raises(ValueError, match="token '\\\\ufeffAngela' cannot be written to CoNLL: it starts with a byte"):
        write_conll(tmp_path / "t.conll", [(("\ufeffAngela",), ("B-PER",))])



def test_a_byte_order_mark_after_the_first_token_is_written_as_reading_keeps_it(tmp_path):
    """Found in review: reading keeps a byte-order mark that is not at the start of its file (a concatenation of
    files that had one), and the writer refused it everywhere, so such a run failed at writing after all its work.
    Only the file's first token may not start with one, also when its text was formatted elsewhere (a worker's)."""
    from projection.io.conll_write import ConllFormatter, ConllWriter

    source = tmp_path / "cat.conll"
    source.write_bytes("Angela\tB-PER\n\n\ufeffMaria\tB-PER\nx\tO\n".encode())
    read = [(s.tokens, s.tags) for s in read_conll(source).sentences]
    assert read == [(("Angela",), ("B-PER",)), (("\ufeffMaria", "x"), ("B-PER", "O"))]
    write_conll(tmp_path / "out.conll", read)
    assert (tmp_path / "out.conll").read_bytes() == source.read_bytes() + b"\n"
    text = ConllFormatter().format(("\ufeffMaria",), ("B-PER",), 7)  # a worker does not know where its text goes
    with pytest.raises(ValueError) as info, ConllWriter(tmp_path / "w.conll") as writer:
        writer.write_text(text, 1, True)
    assert str(info.value) == ("sentence 1: token '\\ufeffMaria' cannot be written to CoNLL: it starts with a "
                               "byte-order mark, which reading drops at the start of a file")
    assert not (tmp_path / "w.conll").exists()


def test_a_file_of_only_a_byte_order_mark_has_no_line(tmp_path):
    from projection.io.lines import iter_text_blocks
    from projection.io.pharaoh import read_alignments

    bom, empty = tmp_path / "bom.txt", tmp_path / "empty.txt"
    bom.write_bytes("\ufeff".encode("utf-8"))
    empty.write_bytes(b"")
    assert list(iter_text_blocks(bom)) == list(iter_text_blocks(empty)) == []
    assert read_alignments(bom) == read_alignments(empty) == []


def test_text_lines_split_at_line_feeds_only():
    from projection.io.lines import text_lines

    assert text_lines("a\x85b\u2028c\x0cd\ne\n") == ["a\x85b\u2028c\x0cd", "e"]
    assert text_lines("") == [] and text_lines("x") == ["x"] and text_lines("\n") == [""]


@pytest.mark.parametrize("chunk", [1 << 20, 7])
def test_a_bad_tag_before_a_non_utf8_line_is_the_error_whatever_the_block_size(tmp_path, chunk):
    """Sentences before a line that cannot be decoded are read first (past the lines that decide the layout):
    the bad tag of line 1,501 is named, not the latin-1 byte of line 1,504, also when one block holds both."""
    path = tmp_path / "late.conll"
    path.write_bytes(b"a\tO\n\n" * 750 + b"b\tNN\n\nc\tO\n\nZ\xfcrich\tB-LOC\n")
    for fast in (True, False):
        reader = ConllReader(path)
        reader._chunk, reader._fast_path = chunk, fast
        with pytest.raises(ConllError) as info:
            list(reader)
        assert str(info.value) == f"{path}:1501: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'NN'"


@pytest.mark.parametrize("sep", ["\t", " "])
def test_a_separator_ending_every_line_does_not_move_a_column_counted_from_the_end(tmp_path, sep):
    """Trailing whitespace of a line is ignored, so ``x<SEP>y<SEP>B-PER<SEP>`` has three columns and column -2 is
    ``y``; the one-shape reading counted the empty piece after the last separator as a fourth column when every
    line of a sentence ended with one (tokens from the wrong column, or no error for a bad tag)."""
    path = tmp_path / "trail.conll"
    path.write_text(f"a{sep}x{sep}B-PER{sep}\nb{sep}y{sep}I-PER{sep}\n", encoding="utf-8")
    for fast in (True, False):
        reader = ConllReader(path, token_col=-2, tag_col=None)
        reader._fast_path = fast
        assert [(s.tokens, s.tags) for s in reader] == [(("x", "y"), None)]
        reader = ConllReader(path, token_col=0, tag_col=-2)
        reader._fast_path = fast
        with pytest.raises(ConllError) as info:
            list(reader)
        assert str(info.value) == f"{path}:1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'x'"


def test_a_failing_last_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    """The sentences still buffered are written when the ``with`` block ends; when that write fails (a full disk)
    the temporary file is removed at once and the old file kept (it stayed, with its descriptor open, until the
    writer was collected)."""
    import errno

    path = tmp_path / "out.conll"
    path.write_text("old\tO\n\n", encoding="utf-8")

    def full_disk(self, ok):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ConllWriter, "_finish", full_disk)
    with pytest.raises(OSError, match="No space left") as info, ConllWriter(path) as writer:
        writer.write(("neu",), ("O",))
    assert info.value.errno == errno.ENOSPC and writer._fh is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.conll"]
    assert path.read_text(encoding="utf-8") == "old\tO\n\n"


def test_a_uner_layout_is_named_with_the_columns_to_keep(tmp_path):
    """UNER's .iob2 (ID FORM NER - annotator) read with the tag in the last column: the error said only that '-'
    is not a tag; it now names the column that holds one and how to keep it."""
    path = write(tmp_path, "# sent_id = n01\n1\tObama\tB-PER\t-\t-\n2\twrote\tO\t-\t-\n")
    with pytest.raises(ConllError) as err:
        read_conll(path)
    assert str(err.value) == (
        f"{path}:2: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got '-'; column 3 holds a tag ('B-PER'): this "
        "file has more columns than a token and a tag (UNER's .iob2 is ID, FORM, NER, ...), and the tag is read from "
        "column 5; keep the token and tag columns first (for a tab-separated file: cut -f2,3 FILE > FILE.conll)"
    )
    # a two-column file with a bad tag has no other column to name
    with pytest.raises(ConllError, match=r"got 'X'$"):
        read_conll(write(tmp_path, "Obama\tX\n", "two.conll"))


@pytest.mark.parametrize("chunk", [None, 8])
def test_a_carriage_return_inside_a_line_is_an_error_on_its_line(tmp_path, monkeypatch, chunk):
    """Found in review: a file with old Mac line ends (``\\r`` alone) read as one line whose middle columns were
    dropped: one sentence, ``Johann O``, exit 0. A ``\\r`` at a line's edges stays whitespace (``\\r\\r\\n``)."""
    if chunk is not None:  # blocks of 8 bytes: the error's line is counted across block edges and carried lines
        monkeypatch.setattr(ConllReader, "_chunk", chunk)
    ok = tmp_path / "ok.conll"
    ok.write_bytes(b"a\tO \r\nb\tO\r\r\n\r\nc\tB-PER\r\n")
    assert [s.tokens for s in read_conll(ok).sentences] == [("a", "b"), ("c",)]
    bad = tmp_path / "bad.conll"
    bad.write_bytes(b"a\tO\nb\tO\n\nc\tO\nJohann\tB-PER\rMaria\tO\r\rx\tO\r")
    with pytest.raises(ConllError) as info:
        read_conll(bad)
    assert str(info.value) == (f"{bad}:5: a carriage return (\\r) inside a line: old Mac line ends, or a stray \\r? "
                               "Lines must end with \\n or \\r\\n: convert the file (e.g. tr '\\r' '\\n')")


@pytest.mark.parametrize("chunk", [None, 8])
@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(
    ("later", "bad_line"),
    [(b"An\rn\tO\n", 5), (b"Ann\xff\tO\n", 5)],
    ids=["stray-cr", "not-utf8"],
)
def test_an_error_on_an_earlier_line_comes_first(tmp_path, monkeypatch, chunk, fast, later, bad_line):
    """Found in review: a stray ``\\r`` anywhere in the first block (1 MiB), or a byte that is not UTF-8 in the first
    1,000 lines, was named before a bad tag on line 3. The first error in the file is the one named, whatever the
    block size."""
    if chunk is not None:
        monkeypatch.setattr(ConllReader, "_chunk", chunk)
    monkeypatch.setattr(ConllReader, "_fast_path", fast)
    path = tmp_path / "in.conll"
    path.write_bytes(b"Paris\tO\n\nBob\tX\n\n" + later)
    with pytest.raises(ConllError) as info:
        read_conll(path)
    assert str(info.value) == f"{path}:3: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'X'"
    path.write_bytes(b"Paris\tO\n\nBob\tO\n\n" + later)  # the later error alone is still named, on its line
    with pytest.raises(ConllError, match=f"^{path}:{bad_line}: "):
        read_conll(path)


@pytest.mark.parametrize("chunk", [None, 8])
def test_the_sentence_just_before_a_line_that_is_not_utf8_is_read_first(tmp_path, monkeypatch, chunk):
    """Found in review: past the first 1,000 lines, the lines after the last empty line before a line that is not
    UTF-8 were held back and never read, so a bad tag among them was not named: the encoding error was."""
    if chunk is not None:
        monkeypatch.setattr(ConllReader, "_chunk", chunk)
    path = tmp_path / "in.conll"
    path.write_bytes(b"w\tO\n\n" * 600 + b"x\tO\ny\tX\nAnn\xff\tO\n")  # y is on line 1202, Ann on 1203
    with pytest.raises(ConllError) as info:
        read_conll(path)
    assert str(info.value) == f"{path}:1202: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'X'"


# ---------------------------------------------------------------- files in other shapes (review: formats)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (__import__("gzip").compress(b"EU\tB-ORG\n"), "in.conll:1: a gzip-compressed file, not text; decompress it"),
        ("EU\tB-ORG\n".encode("utf-16"), "in.conll:1: UTF-16 text (it starts with a UTF-16 byte-order mark)"),
        ("EU\tB-ORG\n".encode("utf-16-be").join([b"\xfe\xff", b""]), "in.conll:1: UTF-16 text"),
    ],
    ids=["gzip", "utf-16-le", "utf-16-be"],
)
def test_a_gzip_or_utf16_file_is_not_told_to_convert_from_latin1(tmp_path, data, expected):
    """Found in review: both were told "not UTF-8 text ...; convert the file to UTF-8 (e.g. iconv -f latin1 -t
    utf-8)", which turns them into garbage that may then be read (a gzip target read as plain text)."""
    path = tmp_path / "in.conll"
    path.write_bytes(data)
    for reader in (read_conll, read_sentences):
        with pytest.raises(ConllError) as info:
            reader(path)
        assert str(info.value).startswith(str(tmp_path / expected))
        assert "latin1" not in str(info.value)


def test_a_json_lines_target_is_refused_not_read_as_plain_text(tmp_path):
    """Found in review: read_sentences read {"tokens": [...], "ner_tags": [...]} lines as sentences of the words
    '{"tokens":', '["EU",' ..., and project wrote silver tags onto them with exit 0."""
    path = write(tmp_path, '\n{"tokens": ["EU", "lehnt"], "ner_tags": ["B-ORG", "O"]}\n{"tokens": ["Ja"]}\n', "t.jsonl")
    with pytest.raises(ConllError) as info:
        read_sentences(path)
    assert str(info.value).startswith(f"{path}:2: a JSON object (JSON Lines?)")
    # a plain sentence or a token that starts with a brace is no JSON object with a list
    assert read_sentences(write(tmp_path, "{ ja } .\nnein\n", "p.txt")).sentences[0].tokens == ("{", "ja", "}", ".")
    assert read_sentences(write(tmp_path, '{"a": 1}\t O\n', "c.conll")).sentences[0].tokens == ('{"a": 1}',)


@pytest.mark.parametrize("sep", ["\t", " "])
def test_tokens_with_a_language_prefix_are_refused(tmp_path, sep):
    """Found in review: PAN-X as distributed before XTREME's preprocessing (``en:Paris<TAB>B-LOC``) was read with the
    prefix in every word: project on Europarl-NER en->de fell from F1 89.3 to 49.5, exit 0."""
    text = f"en:EU{sep}B-ORG\nen:rejects{sep}O\n\nen:Peter{sep}B-PER\n"
    path = write(tmp_path, "# a comment line\n" + text)
    with pytest.raises(ConllError) as info:
        read_conll(path)
    assert str(info.value).startswith(f"{path}:2: every token starts with 'en:'")
    with pytest.raises(ConllError, match="every token starts with 'de:'"):
        read_sentences(write(tmp_path, "de:EU\nde:lehnt\n", "t.conll"))
    # one token with a colon, or tokens with different prefixes, are words
    corpus = read_conll(write(tmp_path, f"en:EU{sep}B-ORG\nrejects{sep}O\n", "a.conll"))
    assert corpus.sentences[0].tokens == ("en:EU", "rejects")
    corpus = read_conll(write(tmp_path, f"re:EU{sep}O\nvs:it{sep}O\n", "b.conll"))
    assert corpus.sentences[0].tokens == ("re:EU", "vs:it")


def test_write_conll_takes_numpy_rows_and_sentences_as_lists_of_str(tmp_path):
    """Found in review: tokens in a numpy array (a row of ``Dataset.to_pandas()``) failed with numpy's "truth value of
    an array ... is ambiguous", and a ``Sentence`` (as ``read_conll`` gives it) with "cannot unpack non-iterable
    Sentence object"."""
    import numpy as np

    expected = "Angela\tB-PER\nMerkel\tI-PER\nsprach\tO\n\nParis\tB-LOC\n\n"
    rows = [(("Angela", "Merkel", "sprach"), ("B-PER", "I-PER", "O")), (("Paris",), ("B-LOC",))]
    for given in (
        [(np.array(t, dtype=object), np.array(g, dtype=object)) for t, g in rows],
        [(np.array(t), np.array(g)) for t, g in rows],
        [Sentence(t, g) for t, g in rows],
    ):
        path = tmp_path / "out.conll"
        write_conll(path, given)
        assert path.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("row, message", [
    ((("a", "b"), (1, 0)), "sentence 1 token 1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 1 (a int, "
                           "not a str: map label ids to their names)"),
    ((("a", "b"), (0, 0)), "sentence 1 token 1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 0 (a int, "
                           "not a str: map label ids to their names)"),
    ((("a", 7), ("O", "O")), "sentence 1: token 2 is 7 (a int): tokens must be strings"),
    ((("a", None), ("O", "O")), "sentence 1: token 2 is None (a NoneType): tokens must be strings"),
    (("ab", ("O", "O")), "sentence 1: tokens is the str 'ab', not a sequence of tokens"),
])  # fmt: skip
def test_write_conll_names_a_label_id_or_a_token_that_is_not_a_str(tmp_path, row, message):
    """Found in review: ClassLabel ids (a datasets column) failed with "argument of type 'int' is not iterable", a
    label id 0 or a None token was called "empty", and a str of tokens was written one character per line."""
    path = tmp_path / "out.conll"
    with pytest.raises(ValueError) as info:
        write_conll(path, [row])
    assert str(info.value) == message
    assert not path.exists()


def test_write_conll_refuses_a_datasets_row_by_what_it_takes(tmp_path):
    """Found in review: a Dataset's row (a dict) unpacked its keys, and was refused as "sentence 1: 6 tokens but 8
    tags" for {"tokens": ..., "ner_tags": ...}."""
    path = tmp_path / "out.conll"
    with pytest.raises(TypeError) as info:
        write_conll(path, [{"tokens": ["Paris"], "ner_tags": ["B-LOC"]}])
    assert str(info.value) == ("row 1 of write_conll is a dict: give (tokens, tags) pairs, such as "
                               "zip(tokens_lists, tags_lists), or Sentences")  # fmt: skip
    assert not path.exists()


def test_write_conll_still_takes_a_row_that_is_an_iterator_of_two(tmp_path):
    """Regression of the row check: a row given as an iterator of ``(tokens, tags)`` (``map(list, pair)``, a
    generator), which unpacked before, was refused as "row 1 of write_conll is a map" because it has no length."""
    toks, tags = ("Angela", "Merkel"), ("B-PER", "I-PER")
    path = tmp_path / "out.conll"
    write_conll(path, [map(list, (toks, tags)), (x for x in (("Paris",), ("B-LOC",)))])
    assert path.read_text(encoding="utf-8") == "Angela\tB-PER\nMerkel\tI-PER\n\nParis\tB-LOC\n\n"
    for row, kind in (((x for x in (toks, tags, tags)), "generator"), (iter((toks,)), "tuple_iterator"), (7, "int")):
        with pytest.raises(TypeError) as info:
            write_conll(path, [row])
        assert str(info.value) == (f"row 1 of write_conll is a {kind}: give (tokens, tags) pairs, such as "
                                   "zip(tokens_lists, tags_lists), or Sentences")  # fmt: skip


@pytest.mark.parametrize("text, hint", [
    ("O\tResumption\nO\tof\n", "; column 1 holds a tag ('O') and the tag is read from column 2: put the token first and "
                                 "its tag second"),
    ("Wiederaufnahme der Sitzungsperiode\nIch erkläre die Sitzungsperiode für wiederaufgenommen\n",
     "; the line has 3 columns and none is a tag: a file of one sentence per line has no tags (a labelled file holds "
     "a token and its IOB2 tag on each line)"),
])  # fmt: skip
def test_a_tag_in_the_first_column_or_a_sentence_per_line_says_so(tmp_path, text, hint):
    """Found in review: a file with the tag before the token, or one sentence per line given as the labelled source
    (the files swapped), was refused naming a word as a bad tag and no more."""
    path = write(tmp_path, text)
    with pytest.raises(ConllError) as info:
        read_conll(path)
    got = "Resumption" if text.startswith("O") else "Sitzungsperiode"
    assert str(info.value) == f"{path}:1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {got!r}{hint}"
