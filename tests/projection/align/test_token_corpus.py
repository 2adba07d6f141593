"""TokenCorpus: the compact token store of whole-corpus stages reads back exactly what went in."""

from __future__ import annotations

import random

import pytest

from projection.align.cache import cache_key
from projection.align.text import TokenCorpus


def test_token_corpus_gives_back_the_same_tuples():
    rng = random.Random(3)
    words = ["a", "b", "Haus", "haus", "ß", "İ", "", "x y"]
    sentences = [tuple(rng.choice(words) for _ in range(rng.randint(0, 6))) for _ in range(500)]
    corpus = TokenCorpus(sentences)
    assert len(corpus) == 500
    assert list(corpus) == sentences
    assert [corpus[k] for k in range(500)] == sentences
    assert corpus[-1] == sentences[-1] and corpus[2:5] == sentences[2:5]
    with pytest.raises(IndexError):
        corpus[500]
    with pytest.raises(TypeError, match="not a string"):
        corpus.append("a string")


def test_cache_key_of_a_token_corpus_equals_the_key_of_the_lists():
    """The alignment cache key is the same whichever sequence type holds the tokens (entries stay valid)."""
    src = [("Das", "Haus"), ("Ein", "Haus", "!")]
    tgt = [("The", "house"), ("A", "house", "!")]
    assert cache_key("sig", TokenCorpus(src), TokenCorpus(tgt)) == cache_key("sig", [list(s) for s in src], tgt)


def test_an_aligners_extra_corpus_is_kept_as_token_ids():
    """Found in review: ``--align-corpus`` text was held as two lists of strings per pair (48k Europarl pairs: ~220
    MB); it is kept as token ids now (``TokenPairs``), reads back the same tokens, and the signature is unchanged."""
    from projection.align.fastalign import FastAlignAligner
    from projection.align.text import TokenPairs, corpus_digest

    extra = [(["Rome", "is", "big"], ["Rom", "ist", "groß"]), (["Rome"], ["Rom"]), (["big"], ["groß"])]
    for given in (extra, iter(extra), TokenPairs(extra)):  # a list, an iterator (read once), the compact form
        aligner = FastAlignAligner(extra=given)
        assert isinstance(aligner.extra, TokenPairs)
        assert list(aligner.extra) == [(("Rome", "is", "big"), ("Rom", "ist", "groß")), (("Rome",), ("Rom",)),
                                       (("big",), ("groß",))]  # fmt: skip
        assert aligner.extra[1] == (("Rome",), ("Rom",))
        assert list(aligner.extra.src._ids) == [0, 1, 2, 0, 2]  # Rome is big / Rome / big: one id per word
        assert aligner._extra_digest == corpus_digest(extra)
        assert aligner.signature() == FastAlignAligner(extra=extra).signature()


def test_a_string_in_the_extra_corpus_is_still_refused():
    from projection.align.fastalign import FastAlignAligner

    with pytest.raises(TypeError, match="extra corpus: pair 1 is a string"):
        FastAlignAligner(extra=[(["a"], ["b"]), ("a b", ["b"])])
