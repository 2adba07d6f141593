from __future__ import annotations

import dataclasses

import pytest

from builders import all_config_names, parse_config_name
from builders.configs import SilverNERConfig
from builders.families import label_names


def test_every_panx_and_masakhaner2_language_has_a_config():
    names = all_config_names()
    assert sum(n.startswith("xtreme.") for n in names) == 40
    assert sum(n.startswith("masakhaner2.") for n in names) == 20
    assert {"europarl-ner.de", "europarl-ner.es", "europarl-ner.it", "uner-pud.de"} <= set(names)
    assert "translate-train.conll2003.swa" in names and "translate-train.panx-en.de" in names
    assert len(names) == len(set(names))


def test_unknown_config_names_say_what_is_valid():
    with pytest.raises(ValueError, match="valid forms"):
        parse_config_name("wikiann.de")
    with pytest.raises(ValueError, match="not one of masakhaner2"):
        parse_config_name("masakhaner2.de")
    with pytest.raises(ValueError, match="unknown config"):
        SilverNERConfig(name="default")


def test_label_names_follow_the_hub_order():
    assert label_names(("PER", "ORG", "LOC")) == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def test_config_is_frozen_and_validated():
    cfg = SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.matcher = "exact"
    with pytest.raises(ValueError, match="matcher"):
        SilverNERConfig(name="europarl-ner.de", matcher="best")
    with pytest.raises(ValueError, match="aligner"):
        SilverNERConfig(name="europarl-ner.de", aligner="nonexistent.v1")
    with pytest.raises(ValueError, match="uses no model"):
        SilverNERConfig(name="europarl-ner.de", mt_model="facebook/nllb-200-distilled-600M")
    with pytest.raises(ValueError, match="limit"):
        SilverNERConfig(name="europarl-ner.de", limit=0)
    with pytest.raises(ValueError, match="splits"):
        SilverNERConfig(name="europarl-ner.de", splits=("dev",))


def test_a_string_where_a_sequence_goes_and_an_unknown_label_are_refused():
    """Found in review: drop_labels="MISC" became the labels M, I, S, C and dropped nothing, as did ("Misc",)."""
    for field, value, needle in [
        ("drop_labels", "MISC", "drop_labels takes a sequence such as ('MISC',), not the string 'MISC'"),
        ("refine", "anchor.v1", "refine takes a sequence such as ('anchor.v1',), not the string 'anchor.v1'"),
        ("splits", "test", "splits takes a sequence such as ('test',), not the string 'test'"),
        ("aligner_options", "stem=3", "aligner_options takes a mapping such as {'stem': 5}, not the string 'stem=3'"),
        ("drop_labels", ("Misc",), "drop_labels (--drop-label) Misc: no such entity type in europarl-ner.de's source (its types: "
                                   "PER, ORG, LOC, MISC)"),
    ]:
        with pytest.raises(ValueError) as err:
            SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1", **{field: value})
        assert str(err.value) == needle
    assert SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1", drop_labels=["MISC"]).drop_labels == ("MISC",)


def test_cache_id_follows_the_whole_method():
    base = SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1", limit=10)
    same = SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1", limit=10, matcher=base.matcher)
    assert same.config_id == base.config_id and same == base
    changed = [
        dataclasses.replace(base, matcher="exact"),
        dataclasses.replace(base, aligner_options={"stem": 3, "symmetrize": "intersection"}),
        dataclasses.replace(base, limit=11),
        dataclasses.replace(base, drop_labels=("MISC",)),
        dataclasses.replace(base, aligner="eflomal.v1"),
        dataclasses.replace(base, data_dir="/somewhere/else"),
        SilverNERConfig(name="europarl-ner.es", aligner="fastalign.v1", limit=10),
    ]
    ids = {c.config_id for c in changed}
    assert len(ids) == len(changed) and base.config_id not in ids
    assert all(c.config_id.startswith(c.name + "-") for c in changed)
    assert "match:exact" in changed[0].signature().format() and "fastalign.v1" in base.signature().format()


def test_statistical_aligners_get_the_default_options():
    """German is a Germanic target: eflomal's defaults plus the two options of that group (0.5.0)."""
    config = SilverNERConfig(name="europarl-ner.de").projection_config()
    assert dict(config.aligner_options) == {"name_prior": 10.0, "possible_votes": 2, "runs": 2, "similar_names": 0.5,
                                            "stem": 4, "stem_from": "name", "symmetrize": "soft"}  # fmt: skip


def test_each_statistical_aligner_gets_its_own_default_options():
    cfg = SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1").projection_config()
    assert dict(cfg.aligner_options) == {"stem": 4, "symmetrize": "soft"}


def test_a_translate_train_config_refuses_a_ner_model_it_would_not_use():
    """As ``silver-ner translate-train`` does (0.5.0): the English keeps its gold labels, so a tagger does nothing
    unless the candidates are ner.v1."""
    with pytest.raises(ValueError) as info:
        SilverNERConfig(name="translate-train.conll2003.swa", ner_model="x")
    assert str(info.value) == ("config 'translate-train.conll2003.swa': ner_model (--ner-model) would do nothing: a "
                               "translate-train config keeps the English gold labels and tags nothing unless its "
                               "candidates are ner.v1 (with a matcher other than the heuristic); drop it, or build "
                               "the translate-train configs in a run of their own")  # fmt: skip


def test_ner_candidates_for_a_parallel_config_are_refused_before_any_work():
    """Found in review: ``candidates="ner.v1"`` was accepted for a parallel-gold config; the build then trained the
    aligner and failed at the first projected pair, with a traceback."""
    with pytest.raises(ValueError) as info:
        SilverNERConfig(name="europarl-ner.de", aligner="fastalign.v1", candidates="ner.v1")
    assert "choose candidates linked.v1 (the default), aligned.v1 or ngrams.v1" in str(info.value)



def test_card_licences_and_citations_of_the_families():
    """Found in review: uner-pud's card said cc-by-sa-3.0 while its source, universalner/universal_ner, is CC BY-SA 4.0
    (3.0 is the UD PUD text's), and translate-train.panx-en cards cited no source dataset."""
    from builders.export import _LICENSE_NOTES
    from builders.families import FAMILIES

    assert FAMILIES["uner-pud"].license == "cc-by-sa-4.0"
    assert _LICENSE_NOTES["uner-pud"] == ("UNER annotations: CC BY-SA 4.0 (universalner/universal_ner); the UD PUD "
                                          "sentences: CC BY-SA 3.0")
    assert FAMILIES["translate-train.panx-en"].citation == FAMILIES["xtreme"].citation
    assert FAMILIES["xtreme"].citation.startswith("@inproceedings{pan-etal-2017-cross,")
    # found in review: the README asks to cite XTREME (Hu et al. 2020), whose PAN-X the configs read; the cards did not
    blocks = FAMILIES["xtreme"].citation.split("\n\n")
    # and Rahimi et al. 2019, whose PAN-X splits XTREME uses
    assert [b.split(",")[0] for b in blocks] == ["@inproceedings{pan-etal-2017-cross",
                                                 "@inproceedings{hu-etal-2020-xtreme",
                                                 "@inproceedings{rahimi-etal-2019-massively"]
    assert "title={Massively Multilingual Transfer for {NER}}" in blocks[2] and "pages={151--164}" in blocks[2]
    assert "title={{XTREME}: A Massively Multilingual Multi-task Benchmark for Evaluating Cross-lingual " \
           "Generalisation}" in blocks[1]


def test_model_options_that_would_do_nothing_are_refused_for_model_configs_too():
    """Found in review: ``silver-ner build --configs masakhaner2.hau --aligner fastalign.v1 --align-model DIR`` built
    (the encoder unused, the signature without it), where ``silver-ner translate-test`` refuses the same options; and
    bt_model / bt_tokenizer without back_translation did nothing. Refused before any model is looked up."""
    for name, kw, message in [
        ("masakhaner2.hau", dict(aligner="fastalign.v1", align_model="enc"),
         "config 'masakhaner2.hau': align_model (--align-model) is the encoder of a neural aligner (simalign.v1, "
         "awesome.v1), not of fastalign.v1; drop it or choose such an aligner"),
        ("translate-train.conll2003.swa", dict(aligner="eflomal.v1", align_model="enc"),
         "config 'translate-train.conll2003.swa': align_model (--align-model) is the encoder of a neural aligner "
         "(simalign.v1, awesome.v1), not of eflomal.v1; drop it or choose such an aligner"),
        ("xtreme.de", dict(bt_model="bt"),
         "config 'xtreme.de': bt_model would do nothing without back_translation=True; drop them or set "
         "back_translation=True"),
        ("masakhaner2.hau", dict(bt_model="bt", bt_tokenizer=""),
         "config 'masakhaner2.hau': bt_model and bt_tokenizer would do nothing without back_translation=True; drop "
         "them or set back_translation=True"),
    ]:  # fmt: skip
        with pytest.raises(ValueError) as err:
            SilverNERConfig(name=name, mt_model="mt", data_revision="r", **kw)
        assert str(err.value) == message


@pytest.mark.parametrize("revision", ["", " abc", 12])
def test_a_data_revision_that_names_nothing_is_refused(revision):
    """Found in review: ``data_revision=""`` was signed ``rev=`` and, being not None, never resolved from the data, so
    a data file edited in place gave back the cached rows of the old one."""
    with pytest.raises(ValueError) as err:
        SilverNERConfig(name="europarl-ner.de", data_revision=revision)
    assert str(err.value) == ("data_revision must be a non-empty revision such as a Hub commit, or None (resolved "
                              f"from the data read), got {revision!r}")



def test_method_fields_the_method_would_ignore_are_refused_as_the_cli_does():
    """Found in review: ``silver-ner build --matcher heuristic --char-weight 0.9`` (or ``--candidates ner.v1
    --max-len 0``) is refused, but the same ``SilverNERConfig`` was accepted, with the config id of the config
    without them: the fields changed nothing."""
    cases = [
        ("europarl-ner.de", dict(matcher="heuristic", char_weight=0.9),
         "matcher heuristic projects through the links alone: char_weight (--char-weight) has no effect on it; leave "
         "it out"),
        ("europarl-ner.de", dict(matcher="heuristic.v1", candidates="ngrams", max_len=0, possible_weight=0.3),
         "matcher heuristic projects through the links alone: candidates (--candidates), max_len (--max-len), "
         "possible_weight (--possible-weight) have no effect on it; leave it out"),
        ("masakhaner2.hau", dict(candidates="ner", max_len=0),
         "ner.v1 candidates are the spans the NER model found, whatever their length: max_len (--max-len) has no "
         "effect on them; leave it out"),
        ("translate-train.conll2003.swa", dict(candidates="ner.v1", max_len=5),
         "ner.v1 candidates are the spans the NER model found, whatever their length: max_len (--max-len) has no "
         "effect on them; leave it out"),
    ]  # fmt: skip
    for name, kwargs, message in cases:
        with pytest.raises(ValueError) as info:
            SilverNERConfig(name=name, **kwargs)
        assert str(info.value) == message, name
    assert SilverNERConfig(name="europarl-ner.de", matcher="heuristic").projection_config().is_heuristic


def test_an_encoder_named_twice_is_refused():
    """Found in review: ``aligner_options={"model": A}`` and ``align_model=B`` were both accepted; A was used and B
    dropped without a word (the CLI refuses ``--align-model`` beside ``--aligner-option model=``)."""
    with pytest.raises(ValueError) as err:
        SilverNERConfig(name="europarl-ner.de", aligner="simalign.v1", aligner_options={"model": "a"}, align_model="b")
    assert str(err.value) == ("config 'europarl-ner.de': align_model (--align-model) and aligner_options' model "
                              "(--aligner-option model=) both name the encoder; give one")
