"""The run's ``Signature``: one structured value, ``parse(format(s)) == s``, exactly one version, a pinned
default, and the same spelling from every entry point."""

from __future__ import annotations

import hashlib
import random

import pytest

from projection.signature import Part, Signature
from projection.version import __version__

V = __version__


def test_format_golden_and_parse_back():
    sig = Signature((
        ("mode", Part("parallel")),
        ("aligner", Part("fastalign.v1", (("stem", 4), ("symmetrize", "soft")))),
        ("score", Part("", (("align", 1.0), ("char", 0.5)))),
        ("match", Part("greedy.v1")),
    ), version="9.9")  # fmt: skip
    text = "mode:parallel|aligner:fastalign.v1(stem=4,symmetrize=soft)|score:align=1,char=0.5|match:greedy.v1|version:9.9"
    assert sig.format() == text
    assert Signature.parse(text) == sig
    assert sig["aligner"].get("stem") == "4"
    assert sig.hash() == hashlib.sha256(text.encode()).hexdigest()[:12]


def test_reserved_characters_are_escaped_and_round_trip():
    part = Part("my|model(v2)", (("path", "/a,b/c=d:e%f"),))
    sig = Signature((("mt", part),))
    assert sig.format() == f"mt:my%7Cmodel%28v2%29(path=/a%2Cb/c%3Dd%3Ae%25f)|version:{V}"
    assert Signature.parse(sig.format()) == sig


def test_random_signatures_round_trip():
    rng = random.Random(7)
    alphabet = "ab|,()=:%_-./xy 9é"
    for _ in range(300):
        fields = []
        for k in range(rng.randint(0, 5)):
            name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
            opts = tuple((f"k{j}", "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))))
                         for j in range(rng.randint(0 if name else 1, 3)))  # fmt: skip
            fields.append((f"f{k}", Part(name, opts)))
        sig = Signature(tuple(fields), version="1.2")
        assert Signature.parse(sig.format()) == sig


@pytest.mark.parametrize("text, message", [
    ("aligner:x|version:1|version:2", "exactly one version"),
    ("aligner:x", "ends with its version"),
    ("aligner:x|oops|version:1", "key:value"),
    ("aligner:x(a)|version:1", "key=value"),
])  # fmt: skip
def test_parse_errors(text, message):
    with pytest.raises(ValueError, match=message):
        Signature.parse(text)


@pytest.mark.parametrize("text, message", [
    ("a:b(c=1|version:1", "unbalanced or unescaped parentheses in 'b\\(c=1'"),  # not "option names … 'b(c'"
    ("a:b(c=1))|version:1", "unbalanced or unescaped parentheses"),
    ("a:b|version:1|x:y", "the version field last"),
    ("a:b(c=%41)|version:1", "as Signature.format\\(\\) writes it"),  # format() writes A, never %41
    ("a:(k=1)|version:1", "as Signature.format\\(\\) writes it"),
    ("mode:parallel|version:1\n", "no surrounding whitespace"),  # was accepted with version '1\n'
    (" mode:parallel|version:1", "no surrounding whitespace"),
])  # fmt: skip
def test_parse_refuses_text_that_format_never_writes(text, message):
    with pytest.raises(ValueError, match=message):
        Signature.parse(text)


def test_fields_are_unique_and_named():
    with pytest.raises(ValueError, match="twice"):
        Signature((("a", Part("x")), ("a", Part("y"))))
    with pytest.raises(ValueError, match="version"):
        Signature((("version", Part("x")),))


def test_default_parallel_run_signature_is_pinned():
    """The signature of the default method of the ``parallel`` mode (``silver-ner project`` with no options),
    assembled by the runner from the stages that run."""
    from projection.plans import parallel_plan
    from projection.runner import run_signature

    plan = parallel_plan([], [])
    assert run_signature(plan.source, plan.stages).format() == (
        "mode:parallel|aligner:eflomal.v1(sym=soft,stem=4,stem_from=name,model=3,samplers=3,rel_it=1,it=auto,"
        "null=0.2,runs=2,name_prior=10,"
        f"extra=none)|cand:linked.v1|score:align=1,possible=0.3,char=0.5|match:greedy.v1|refine:anchor.v1|version:{V}"
    )


def test_default_parallel_run_signature_for_a_germanic_or_romance_target_is_pinned():
    """0.5.0: the same with the two options such a target language adds (``project --lang de``, the demo, the
    ``europarl-ner`` builds); another language signs as the language-independent default, a MasakhaNER2 language
    (0.6.0) with ``trim.v1`` after the anchor."""
    from projection.options import default_config
    from projection.plans import parallel_plan
    from projection.runner import run_signature

    def signed(lang):
        plan = parallel_plan([], [], default_config("parallel", lang))
        return run_signature(plan.source, plan.stages).format()

    assert signed("de") == (
        "mode:parallel|aligner:eflomal.v1(sym=soft,stem=4,stem_from=name,model=3,samplers=3,rel_it=1,it=auto,"
        "null=0.2,runs=2,name_prior=10,similar_names=0.5,possible_votes=2,"
        f"extra=none)|cand:linked.v1|score:align=1,possible=0.3,char=0.5|match:greedy.v1|refine:anchor.v1|version:{V}"
    )
    assert signed("fi") == signed(None) == (
        "mode:parallel|aligner:eflomal.v1(sym=soft,stem=4,stem_from=name,model=3,samplers=3,rel_it=1,it=auto,"
        "null=0.2,runs=2,name_prior=10,"
        f"extra=none)|cand:linked.v1|score:align=1,possible=0.3,char=0.5|match:greedy.v1|refine:anchor.v1|version:{V}"
    )
    # 0.6.0: a MasakhaNER2 language adds trim.v1 after the anchor, and nothing else
    assert signed("hau") == signed("ha") == (
        "mode:parallel|aligner:eflomal.v1(sym=soft,stem=4,stem_from=name,model=3,samplers=3,rel_it=1,it=auto,"
        "null=0.2,runs=2,name_prior=10,"
        "extra=none)|cand:linked.v1|score:align=1,possible=0.3,char=0.5|match:greedy.v1|refine:anchor.v1+trim.v1|"
        f"version:{V}"
    )


def test_config_and_run_spell_the_aligner_the_same_way():
    from projection.config import ProjectionConfig
    from projection.plans import parallel_plan
    from projection.runner import run_signature

    plan = parallel_plan([], [], ProjectionConfig())
    run_sig = run_signature(plan.source, plan.stages)
    assert run_sig.fields[1:] == ProjectionConfig().signature().fields


def test_numbers_that_differ_past_six_digits_sign_differently():
    """Found in review: the ``g`` format keeps 6 significant digits, so ``min_score`` 1.3684210 and 1.3684211 signed
    alike, and a chunk store answered the second run with the first run's output. Short values sign as before."""
    from projection.scores import ScoreConfig
    from projection.signature import Part, number

    assert [number(x) for x in (0.3, 10.0, 1e-05, 0.08, 4)] == ["0.3", "10", "1e-05", "0.08", "4"]
    assert (number(1.3684210), number(1.3684211), number(0.1234567)) == ("1.368421", "1.3684211", "0.1234567")
    assert Part.of("x", p=0.1234567) != Part.of("x", p=0.1234568)
    assert Part.parse(Part.of("x", p=0.1234567).format()) == Part.of("x", p=0.1234567)
    assert ScoreConfig(min_score=1.3684210).signature() != ScoreConfig(min_score=1.3684211).signature()
    assert ScoreConfig(possible=0.3, char=0.5).signature() == "score(align=1,possible=0.3,char=0.5)"


def test_list_items_holding_a_plus_sign_differently():
    """List values are joined with ``+``; an item's own ``+`` is escaped so that two lists never sign alike (left
    alone in 0.4.2: ``("a+b", "c")`` and ``("a", "b+c")`` both gave ``a+b+c``)."""
    one, two = Part.of("x", labels=("a+b", "c")), Part.of("x", labels=("a", "b+c"))
    assert one.format() == "x(labels=a%252Bb+c)" and two.format() == "x(labels=a+b%252Bc)"
    assert Part.of("x", labels=("B-X", "MISC")).format() == "x(labels=B-X+MISC)"  # items without + or % as before
    # an item's "%" becomes "%25", then the value's own escaping turns each "%" into "%25" again
    pct, escaped = Part.of("x", labels=("5%", "5")), Part.of("x", labels=("5%25", "5"))
    assert pct.format() == "x(labels=5%2525+5)" and escaped.format() == "x(labels=5%252525+5)"
    for part in (one, two, pct, escaped):
        assert Part.parse(part.format()) == part


def test_negative_zero_signs_as_zero():
    """Found in review: ``-0.0`` equals ``0.0`` and sets the same method, but signed ``-0`` (``number`` used ``g``):
    ``--aligner fastalign --aligner-option diagonal_tension=-0.0`` gave the same links as ``=0`` under
    ``lam=-0``, so they were aligned and cached again. Zero of any type signs ``0``, as ``0`` and ``0.0`` did."""
    from projection.config import ProjectionConfig
    from projection.scores import ScoreConfig
    from projection.signature import number

    assert [number(x) for x in (-0.0, 0.0, 0)] == ["0", "0", "0"]
    assert Part.of("x", p=-0.0).format() == "x(p=0)"
    assert ScoreConfig(align=-0.0, char=0.5).signature() == "score(align=0,char=0.5)"
    fast = [ProjectionConfig(aligner="fastalign", aligner_options={"diagonal_tension": t}).signature()["aligner"]
            for t in (-0.0, 0.0)]
    assert fast[0] == fast[1] and fast[0].get("lam") == "0"
    heur = [ProjectionConfig(matcher="heuristic", ratio=r).signature()["match"] for r in (-0.0, 0.0)]
    assert heur[0] == heur[1] == Part("heuristic.v1", (("gap", "1"), ("ratio", "0")))


def test_a_field_or_option_name_ending_in_a_newline_is_refused():
    """Found in review: the name check let a trailing newline through ("$" matches before it)."""
    with pytest.raises(ValueError, match="signature field names are lowercase identifiers"):
        Signature((("aligner\n", Part("x")),))
    with pytest.raises(ValueError, match="signature option names are lowercase identifiers"):
        Part("x", (("stem\n", 4),))
