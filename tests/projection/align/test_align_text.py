"""Rule tokenizer and prefix stemming."""

from __future__ import annotations

from pathlib import Path

import pytest

from projection.align.text import corpus_digest, read_bitext, stem, stem_tokens, tokenize


def test_tokenize_splits_punctuation_keeps_inner_joiners() -> None:
    assert tokenize("Hello, world! It's 3.5 km—Müller's e-mail (1,000).") == [
        "Hello", ",", "world", "!", "It's", "3.5", "km", "—", "Müller's", "e-mail", "(", "1,000", ")", ".",
    ]


def test_tokenize_unicode_scripts() -> None:
    # Devanagari vowel signs are combining marks: they stay inside the word
    assert tokenize("नमस्ते दुनिया।") == ["नमस्ते", "दुनिया", "।"]
    assert tokenize("«Ça va ?»") == ["«", "Ça", "va", "?", "»"]
    assert tokenize("   ") == []


def test_stem() -> None:
    assert stem("Häuser", 4) == "häus"
    assert stem("Häuser", None) == "häuser"
    assert stem("ab", 4) == "ab"
    assert stem_tokens(["The", "Houses"], 3) == ["the", "hou"]
    with pytest.raises(ValueError, match="positive integer or None"):
        stem("x", 0)
    # found in review: "İ" lower-cases to two characters, so every İ-word kept 3 letters and İsveç (Sweden) and
    # İsviçre (Switzerland) were one stem
    assert (stem("İsveç", 4), stem("İsviçre", 4), stem("KİMSE", None)) == ("isve", "isvi", "kimse")
    for word in ("İsveç", "KİMSE", "Straße", "ΟΔΟΣ", "İ"):
        assert stem(stem(word, None), 4) == stem(word, 4) and len(stem(word, 4)) == min(4, len(word))


def test_a_decomposed_word_has_the_stem_of_the_composed_word() -> None:
    """Found in review: stems were cut from the word as written, so a target written decomposed (MasakhaNER2's
    Yoruba: 60% of its tokens, ``ba`` + U+0300 ...) had other stems than the same words composed, which is how
    ``tokenize`` writes every ``--align-corpus`` line: the extra corpus shared few stems with such a batch."""
    nfd = ["Ba\u0300ba\u0301", "Yoru\u0300ba\u0301", "o\u0323\u0300na", "e\u0301"]
    assert stem_tokens(nfd, 4) == ["b\u00e0b\u00e1", "yor\u00f9", "\u1ecd\u0300na", "\u00e9"]
    assert stem_tokens(nfd, 4) == stem_tokens(["B\u00e0b\u00e1", "Yor\u00f9b\u00e1", "\u1ecd\u0300na", "\u00e9"], 4)
    assert stem("laseA\u0301msterdam", 4, True) == "\u00e1mst"  # the name starts at the composed capital


def test_stems_are_the_same_when_remembered() -> None:
    """A word met again (``stem`` remembers frequent words) gets the same stem, for each length and start, and a
    bad length still raises on every call."""
    words = ["laseAmsterdam", "Häuser", "KWE-AUSTRIA", "laseAmsterdam", "Häuser", "eGoli"]
    for _ in range(2):
        assert stem_tokens(words, 4, True) == ["amst", "häus", "aust", "amst", "häus", "goli"]
        assert stem_tokens(words, 4) == ["lase", "häus", "kwe-", "lase", "häus", "egol"]
        assert stem_tokens(words, None, True) == ["amsterdam", "häuser", "austria", "amsterdam", "häuser", "goli"]
        with pytest.raises(ValueError, match="positive integer or None"):
            stem_tokens(words, -1)


def test_read_bitext(tmp_path: Path) -> None:
    path = tmp_path / "bi.txt"
    path.write_text("a b ||| c\n ||| d\n", encoding="utf-8")
    assert read_bitext(path) == [(["a", "b"], ["c"]), ([], ["d"])]
    path.write_text("a b c\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bi\.txt:1:"):
        read_bitext(path)


def test_corpus_digest() -> None:
    assert corpus_digest(None) == "none"
    assert len(corpus_digest([(["a"], ["b"])])) == 8
    assert corpus_digest([(["a b"], ["c"])]) != corpus_digest([(["a", "b"], ["c"])])


def test_tokenize_keeps_zero_width_joiners_inside_words() -> None:
    # Persian "I want" is one word written with a zero-width non-joiner; it was three tokens (the ZWNJ alone)
    assert tokenize("من می\u200cخواهم.") == ["من", "می\u200cخواهم", "."]
    assert tokenize("ക്\u200dക a\u00adb x\u2060y") == ["ക്\u200dക", "a\u00adb", "x\u2060y"]
    # a joiner that joins nothing is dropped, and a zero-width space breaks words as a space does
    assert tokenize("a\u200c b \u200d\u200c") == ["a", "b"]
    assert tokenize("one\u200btwo") == ["one", "two"]


def test_tokenize_splits_chinese_and_japanese_into_characters() -> None:
    # written without spaces, a clause was one "word" (NTREX's Chinese ``有人提议应将``), which shares no stem with a
    # target tokenised by character (PAN-X zh/ja, translate-train's output): --align-corpus text added nothing
    assert tokenize("有人提议应将AM的头衔改为MWP。") == [
        "有", "人", "提", "议", "应", "将", "AM", "的", "头", "衔", "改", "为", "MWP", "。",
    ]
    assert tokenize("東京々タワーへX-線") == ["東", "京", "々", "タ", "ワ", "ー", "へ", "X", "-", "線"]
    # Korean is written with spaces: its words stay whole
    assert tokenize("서울에서 만나요") == ["서울에서", "만나요"]
