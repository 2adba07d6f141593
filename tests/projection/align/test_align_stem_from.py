"""``stem_from="name"``: statistical aligners stem a name glued to a short prefix from where the name starts."""

from __future__ import annotations

import pytest

from projection import ProjectionConfig
from projection.align import get_aligner
from projection.align.eflomal import EflomalAligner
from projection.align.fastalign import FastAlignAligner
from projection.align.text import name_start, stem, stem_tokens
from projection.options import check_aligner_options


@pytest.mark.parametrize(
    ("token", "start"),
    [
        ("laseAmsterdam", 4),  # locative prefix, then an inner capital
        ("eGoli", 1),
        ("kwaZulu", 3),
        ("abangamaKurd", 8),  # the longest prefix skipped (NAME_PREFIX_MAX)
        ("ezazingamaSoviet", 0),  # a 9-letter prefix: kept whole
        ("KWE-AUSTRIA", 4),  # upper-case prefix, hyphen, name
        ("wase-Israel", 5),
        ("ngo-1996", 4),  # a number after the hyphen
        ("ngokwase-Israel", 9),  # an 8-letter prefix and its hyphen (the docstring said p <= 8; found in review)
        ("ezazingama-Soviet", 0),  # a 10-letter prefix
        ("I-EU", 2),
        ("e-mail", 0),  # lower case after the hyphen: an ordinary word
        ("Amsterdam", 0),  # no prefix
        ("McDonald", 0),  # the prefix is not lower case
        ("Coca-Cola", 0),  # title-case prefix: a hyphenated name, not a prefix
        ("iPhone", 1),
        ("uWerner-", 1),
        ("abc-", 0),  # nothing after the hyphen
        ("aB", 1),
        ("a", 0),
        ("", 0),
        ("7-Eleven", 0),  # the prefix is not letters
        ("x1Abc", 0),
    ],
)
def test_name_start(token: str, start: int) -> None:
    assert name_start(token) == start


def test_stem_from_name() -> None:
    assert stem("laseAmsterdam", 4, from_name=True) == "amst"
    assert stem("laseAmsterdam", 4) == "lase"  # the default is unchanged
    assert stem("KWE-AUSTRIA", 4, from_name=True) == "aust"
    assert stem("eGoli", None, from_name=True) == "goli"
    assert stem("Häuser", 4, from_name=True) == "häus"
    assert stem_tokens(["eBrithani", "ne", "Britain"], 4, True) == ["brit", "ne", "brit"]
    with pytest.raises(ValueError, match="positive integer or None"):
        stem("x", 0, from_name=True)


def test_option_and_signature() -> None:
    plain, named = EflomalAligner(), EflomalAligner(stem_from="name")
    assert "stem_from" not in plain.signature()  # the default's signature (and its cached links) is unchanged
    assert named.signature() == plain.signature().replace(",stem=4,", ",stem=4,stem_from=name,")
    fast = FastAlignAligner(stem_from="name").signature()
    assert fast.startswith("fastalign.v1(sym=intersection,stem=4,stem_from=name,ibm1=0,")
    assert "stem_from" not in FastAlignAligner().signature()
    assert named.stems(["laseAmsterdam", "Amsterdam"]) == ["amst", "amst"]
    assert plain.stems(["laseAmsterdam", "Amsterdam"]) == ["lase", "amst"]
    assert get_aligner("fastalign", stem_from="name").stem_from == "name"
    check_aligner_options("eflomal.v1", {"stem_from": "name"})
    check_aligner_options("fastalign.v1", {"stem_from": "start"})
    with pytest.raises(ValueError, match="stem_from"):
        EflomalAligner(stem_from="capital")
    # the parallel default stems from the name (since 0.3.0); stem_from="start" is the paper's stem, unnamed
    assert "stem=4,stem_from=name," in ProjectionConfig().signature().format()
    start = dict(ProjectionConfig().aligner_options) | {"stem_from": "start"}
    assert "stem_from" not in ProjectionConfig(aligner_options=tuple(start.items())).signature().format()


def test_aligners_learn_over_the_name_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the aligners are trained on: the words of both sides stemmed from the name."""
    from projection.align import fastalign

    seen = []
    encode = fastalign._encode

    def spy(sentences):
        seen.append([list(s) for s in sentences])
        return encode(sentences)

    monkeypatch.setattr(fastalign, "_encode", spy)
    src, tgt = [["in", "Amsterdam"]], [["laseAmsterdam", "KWE-AUSTRIA"]]
    FastAlignAligner(stem_from="name").align(src, tgt)
    assert seen == [[["in", "amst"]], [["amst", "aust"]]]
    seen.clear()
    FastAlignAligner().align(src, tgt)
    assert seen == [[["in", "amst"]], [["lase", "kwe-"]]]

    lines = []

    def run(self, src_lines, tgt_lines, n_lines=None, priors=None):  # eflomal's output: one Pharaoh line per input line
        lines.append((src_lines, tgt_lines))
        return [""] * len(src_lines), [""] * len(src_lines)

    monkeypatch.setattr(EflomalAligner, "_run", run)
    EflomalAligner(stem_from="name").align(src, tgt)
    assert lines == [(["in amst"], ["amst aust"])]
