"""SimAlign and AWESoME algorithms on hand-made matrices, brute force, and the model wrapper."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from projection.align.awesome import softmax_links
from projection.align.simalign import argmax_links, cosine_similarity, itermax_links, match_links
from projection.neural.encoder import subword_links_to_words

SIM = np.array([[0.9, 0.1, 0.2], [0.8, 0.3, 0.1], [0.1, 0.2, 0.7]])


def pairs(links):
    return sorted(zip(*map(list, np.nonzero(links))))


def test_argmax_is_the_intersection_of_both_directions():
    # row bests: 0->0, 1->0, 2->2; column bests: 0->0, 1->2, 2->2  => {(0,0), (2,2)}
    assert pairs(argmax_links(SIM)) == [(0, 0), (2, 2)]


def test_itermax_adds_a_discounted_link_for_an_unaligned_word():
    # round 2: row 1 is free; weights: (1,0)=0.8*0.9, (1,1)=0.3*1, (1,2)=0.1*0.9 -> row best col 0;
    # column 0 sees only row 1 (rows 0, 2 and column 0 aligned -> weight 0) -> (1,0) is mutual
    assert pairs(itermax_links(SIM)) == [(0, 0), (1, 0), (2, 2)]


def test_itermax_keeps_argmax_on_tiny_matrices():
    sim = np.array([[0.9, 0.8], [0.7, 0.1]])
    assert pairs(itermax_links(sim)) == pairs(argmax_links(sim)) == [(0, 0)]


def test_match_is_a_maximum_weight_matching_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(20):
        sim = rng.random((4, 3))
        best = max(
            sum(sim[i, j] for i, j in zip(rows, cols))
            for rows in itertools.permutations(range(4), 3)
            for cols in [range(3)]
        )
        got = match_links(sim)
        assert got.sum(0).max() <= 1 and got.sum(1).max() <= 1
        assert abs(sim[got].sum() - best) < 1e-9


def test_cosine_similarity_rescaled():
    a = np.array([[1.0, 0.0], [0.0, 2.0]])
    b = np.array([[1.0, 0.0], [-1.0, 0.0]])
    assert np.allclose(cosine_similarity(a, b), [[1.0, 0.0], [0.5, 0.5]])


def test_softmax_links_by_hand():
    # scores = [[10, 0], [0, 0]]: row 0 softmax (1, 4.5e-5) -> (0,1) below 0.001; row 1 (.5, .5);
    # column 0 (1, 4.5e-5) -> (1,0) below; column 1 (.5, .5)  => links (0,0) and (1,1)
    src = np.array([[10.0, 0.0], [0.0, 0.0]])
    tgt = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert pairs(softmax_links(src, tgt, 0.001)) == [(0, 0), (1, 1)]
    assert pairs(softmax_links(src, tgt, 0.6)) == [(0, 0)]


def test_subword_links_map_to_words():
    links = np.zeros((3, 2), dtype=bool)
    links[0, 1] = links[1, 1] = links[2, 0] = True  # sub-words 0, 1 belong to word 0
    got = subword_links_to_words(links, np.array([0, 0, 1]), np.array([0, 1]))
    assert got.pairs == ((0, 1), (1, 0))


@pytest.mark.neural
def test_layer_is_validated_against_the_model(tiny_models):
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    aligner = get_aligner("simalign.v1", model=str(tiny_models["enc"]))
    with pytest.raises(ValueError, match=r"layer 8 .* has 2 layers; choose a layer between 0 .* and 2"):
        aligner.validate()


@pytest.mark.neural
@pytest.mark.parametrize("name", ["simalign.v1", "awesome.v1"])
def test_neural_aligners_on_the_tiny_encoder(tiny_models, name):
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    aligner = get_aligner(name, model=str(tiny_models["enc"]), layer=2)
    src = [("Angela", "Merkel", "visited", "Paris"), (), ("a",)]
    tgt = [("Angela", "Merkel", "alitembelea", "Parisi", "."), ("x",), ()]
    out = aligner.align(src, tgt)
    assert len(out) == 3 and out[1].pairs == () and out[2].pairs == ()
    out[0].check_bounds(4, 5)
    assert "model=enc@" in aligner.signature() and "layer=2" in aligner.signature()


@pytest.mark.neural
@pytest.mark.parametrize("method", ["argmax", "itermax", "match"])
def test_simalign_aligns_a_sentence_with_itself_on_the_diagonal(tiny_models, method):
    """Same words in the same context have identical vectors: cosine 1 on the diagonal, the unique maximum."""
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    words = ("Angela", "Merkel", "visited", "Paris", "and", "Berlin", ".")
    aligner = get_aligner("simalign.v1", model=str(tiny_models["enc"]), layer=2, method=method, unit="word")
    assert aligner.align([words], [words])[0].pairs == tuple((k, k) for k in range(len(words)))


@pytest.mark.neural
def test_words_without_sub_words_are_not_counted_as_truncated(tiny_models, caplog):
    """A zero-width space has no sub-word: it is counted apart and no "longer than the limit" warning fires;
    a sentence over the tiny encoder's 128 positions is truncated and warned about."""
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    aligner = get_aligner("simalign.v1", model=str(tiny_models["enc"]), layer=2)
    words = ("Angela", "\u200b", "Merkel", "\u200b")
    with caplog.at_level("INFO", logger="projection.neural.encoder"):
        out = aligner.align([words], [words])
    assert (aligner.encoder.truncated, aligner.encoder.no_subwords) == (0, 4)
    assert not [r for r in caplog.records if "longer than" in r.getMessage()]
    # a sentence with itself: each word's vector equals its own, so the words that have sub-words link diagonally
    assert out[0].pairs == ((0, 0), (2, 2))
    long = ("Paris",) * 200
    aligner.align([long], [("Paris",)])
    assert aligner.encoder.truncated == 1
    assert [r.getMessage() for r in caplog.records if "longer than" in r.getMessage()] == [
        "1 sentences were longer than the alignment model's limit: their tail is unaligned"]


@pytest.mark.neural
def test_an_xlmr_encoder_truncates_at_its_positions_less_the_padding_offset(tiny_models):
    """XLM-R counts positions from padding_idx + 1 (2): the tiny tagger's 40 position embeddings hold 38 tokens,
    36 sub-words besides <s> and </s>. The input limit was min(model_max_length 512, 40) = 40 tokens, so a long
    sentence failed in the embeddings ("index 40 is out of bounds") instead of being truncated. Found in review."""
    from transformers import AutoTokenizer

    from projection.neural.encoder import SubwordEncoder

    words = ("Angela Merkel visited Paris and Berlin last week . " * 3).split()
    tok = AutoTokenizer.from_pretrained(tiny_models["ner"])
    counts = [len(tok(w, add_special_tokens=False).input_ids) for w in words]
    assert sum(counts) > 36  # the sentence does not fit
    # the first 36 sub-words: whole words while they fit, then the first sub-words of the word cut in two
    kept, total = [], 0
    for k, n in enumerate(counts):
        kept += [k] * min(n, 36 - total)
        total += n
        if total >= 36:
            break
    encoder = SubwordEncoder(str(tiny_models["ner"]), layer=1, device="cpu")
    (encoded,) = encoder.encode([words])
    assert encoded.word_of.tolist() == kept
    assert encoder.truncated == 1


@pytest.mark.neural
@pytest.mark.parametrize("family, tokens", [("bert", 20), ("roberta", 18), ("xlm", 20), ("flaubert", 20)])
def test_the_input_limit_is_the_positions_less_only_the_position_tables_padding_offset(family, tokens):
    """20 position embeddings: BERT counts positions from 0 (20 tokens), RoBERTa from padding_idx + 1 = 2 (18).
    XLM and FlauBERT count from 0 too, but their ``model.embeddings`` is the word table, whose padding_idx (2) was
    taken for a position offset: they were cut at 17 tokens. Found in review."""
    import torch
    import transformers

    from projection.neural.encoder import input_positions

    torch.manual_seed(0)
    layers = dict(vocab_size=50, num_hidden_layers=1, num_attention_heads=2, max_position_embeddings=20)
    if family in ("xlm", "flaubert"):
        config = {"xlm": transformers.XLMConfig, "flaubert": transformers.FlaubertConfig}[family](
            vocab_size=50, emb_dim=16, n_layers=1, n_heads=2, max_position_embeddings=20)
        model = {"xlm": transformers.XLMModel, "flaubert": transformers.FlaubertModel}[family](config)
    elif family == "bert":
        model = transformers.BertModel(transformers.BertConfig(hidden_size=16, intermediate_size=32, **layers))
    else:
        model = transformers.RobertaModel(transformers.RobertaConfig(hidden_size=16, intermediate_size=32,
                                                                     pad_token_id=1, **layers))
    assert input_positions(model) == tokens
    with torch.inference_mode():  # the model takes that many tokens, and fails on one more
        model.eval()(input_ids=torch.full((1, tokens), 5))
        with pytest.raises((IndexError, RuntimeError)):  # out of the table, or past a buffer of positions
            model(input_ids=torch.full((1, tokens + 1), 5))


@pytest.mark.neural
def test_literal_sep_is_masked_by_awesome_and_kept_by_simalign(tiny_models):
    """awesome-align leaves every [CLS]/[SEP]/[PAD] id out of its softmaxes, a literal one in the text too;
    SimAlign keeps it. On a sentence aligned with itself SimAlign's argmax links the diagonal (identical
    vectors), so it links the [SEP] word to itself; AWESoME never links it."""
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    words = ("Angela", "[SEP]", "Merkel", "visited", "[CLS]", "Paris")
    sim = get_aligner("simalign.v1", model=str(tiny_models["enc"]), layer=2, method="argmax")
    assert sim.align([words], [words])[0].pairs == tuple((k, k) for k in range(len(words)))
    awesome = get_aligner("awesome.v1", model=str(tiny_models["enc"]), layer=2)
    pairs = awesome.align([words], [words])[0].pairs
    assert (0, 0) in pairs and (5, 5) in pairs
    assert not [p for p in pairs if {1, 4} & set(p)]


@pytest.mark.neural
def test_a_model_folder_with_a_comma_in_its_name_signs_readably(tiny_models, tmp_path):
    """Found in review: the signatures were written by hand without escaping, so a model folder named ``enc,ft``
    made every signature fail to parse ("not a signature setting")."""
    import shutil

    from projection.align import get_aligner
    from projection.signature import Part

    folder = tmp_path / "enc,ft"
    shutil.copytree(tiny_models["enc"], folder)
    for name, options in (("simalign.v1", {"method": "itermax"}), ("awesome.v1", {})):
        signature = get_aligner(name, model=str(folder), layer=2, **options).signature()
        part = Part.parse(signature)
        assert part.name == name and dict(part.options)["model"].startswith("enc,ft@")
        assert Part.parse(part.format()) == part


@pytest.mark.neural
def test_a_cache_hit_reports_the_encoders_counts_of_the_links_it_returns(tiny_models, tmp_path):
    """Found in review: a second run with cached links reported align_truncated 0 (the encoder did not run); the
    counts are now kept with the links."""
    import projection.align.neural_registered  # noqa: F401
    from projection.options import ModelSettings, default_config
    from projection.plans import align_stage
    from projection.types import Pair, Sentence

    config = default_config("translate-test", aligner_options=(("layer", 2),))
    models = ModelSettings(align_model=str(tiny_models["enc"]), device="cpu")
    long = ("Paris",) * 200
    pairs = [Pair("a", Sentence(long, ("O",) * 200), Sentence(("Paris",))),
             Pair("b", Sentence(("Angela", "\u200b")), Sentence(("Angela",)))]  # fmt: skip
    counts = []
    for _ in range(2):  # the second stage finds the first one's links in the cache
        stage = align_stage(config, models=models, cache_dir=tmp_path)
        out = stage.process(pairs)
        counts.append(stage.counts())
    assert counts[0] == counts[1] == {"align_truncated": 1, "align_no_subwords": 1}
    assert out[0].alignment is not None and out[1].alignment is not None


@pytest.mark.neural
@pytest.mark.parametrize("size", [0, -2])
def test_a_batch_size_below_one_is_refused_before_any_links_are_cached(tiny_models, tmp_path, size):
    """Found in review: ``--aligner-option batch_size=-2`` encoded no sentence, so every pair got no links, and
    those were cached under a signature without the batch size (a later batch_size=32 run reused them);
    batch_size=0 failed with a bare "range() arg 3 must not be zero"."""
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    for name in ("simalign.v1", "awesome.v1"):
        with pytest.raises(ValueError) as info:
            get_aligner(name, model=str(tiny_models["enc"]), layer=2, batch_size=size)
        assert str(info.value) == ("the alignment encoder's batch_size must be a positive integer "
                                   f"(--aligner-option batch_size=N), got {size}")


@pytest.mark.neural
def test_an_aligner_device_torch_cannot_use_is_an_error_before_any_work(tiny_models, monkeypatch):
    """Found in review: ``--aligner-option device=cuda`` (or ``device="cuda"`` in the API) skipped the --device check
    and failed on a CPU-only machine with torch's AssertionError traceback when the model was moved there."""
    import torch

    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    aligner = get_aligner("simalign.v1", model=str(tiny_models["enc"]), layer=2, device="cuda")
    message = ("--device / --aligner-option device= cuda: this torch sees no CUDA GPU (torch.cuda.is_available() "
               "is False); give cpu or leave --device / --aligner-option device= out")
    for call in (aligner.validate, lambda: aligner.align([("Paris",)], [("Paris",)])):
        with pytest.raises(ValueError) as info:
            call()
        assert str(info.value) == message


@pytest.mark.neural
def test_an_aligner_on_a_shared_encoder_signs_the_encoders_layer(tiny_models):
    """Found in review: ``SimAlignAligner(encoder=SubwordEncoder(..., layer=1))`` encoded layer 1 but signed (and so
    cached under) the aligner's default layer=8."""
    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner
    from projection.neural.encoder import SubwordEncoder

    encoder = SubwordEncoder(str(tiny_models["enc"]), 1, device="cpu")
    for name in ("simalign.v1", "awesome.v1"):
        shared = get_aligner(name, encoder=encoder)
        own = get_aligner(name, model=str(tiny_models["enc"]), layer=1, device="cpu")
        assert shared.layer == 1 and shared.signature() == own.signature()


@pytest.mark.neural
def test_a_run_warns_once_about_the_sentences_its_chunks_truncated(tiny_models, tmp_path, caplog):
    """Found in review: the encoder warned once per chunk ("1 sentences were longer ...", every 1,000 pairs of a
    run); a run now warns once with its total (the stage's count ``align_truncated``), on a cache hit too."""
    import projection.align.neural_registered  # noqa: F401
    from projection.options import ModelSettings, default_config
    from projection.plans import align_stage
    from projection.runner import run
    from projection.stages.read import PairsSource
    from projection.types import Pair, Sentence

    config = default_config("translate-test", aligner_options=(("layer", 2),))
    models = ModelSettings(align_model=str(tiny_models["enc"]), device="cpu")
    long, short = ("Paris",) * 200, ("Angela", "Merkel")
    # chunks of 2: the long sentences (pairs 0, 2 and 4) fall in three chunks
    pairs = [Pair(str(k), Sentence(long if k % 2 == 0 else short), Sentence(("Paris",))) for k in range(6)]
    for _ in range(2):  # the second run finds the links in the cache: the same warning
        caplog.clear()
        with caplog.at_level("WARNING"):
            result = run(PairsSource(pairs), [align_stage(config, models=models, cache_dir=tmp_path)], chunk_size=2,
                         progress=False)  # fmt: skip
        assert result.stats.count("align_truncated") == 3
        assert [r.getMessage() for r in caplog.records] == [
            "3 sentences were longer than the alignment model's limit: their tail is unaligned"]


@pytest.mark.neural
def test_a_sentence_over_the_tokenizers_limit_gives_no_transformers_indexing_warning(tiny_models):
    """Found in review: the encoder counts each sentence's sub-words untruncated, and for one over the tokenizer's
    ``model_max_length`` (512: mBERT's) transformers warned "Running this sequence through the model will result in
    indexing errors"; the sentence is truncated, and silver-ner's own warning says so."""
    import logging

    from projection.neural.encoder import SubwordEncoder

    encoder = SubwordEncoder(str(tiny_models["enc"]), layer=2, device="cpu")
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    hf = logging.getLogger("transformers")
    hf.addHandler(handler)
    try:
        (encoded,) = encoder.encode([("Paris",) * 600])
    finally:
        hf.removeHandler(handler)
    assert encoder._tok.model_max_length == 512
    assert [m for m in messages if "indexing errors" in m] == []
    # the tiny encoder's 128 positions: [CLS] + 126 sub-words + [SEP], one a word
    assert encoded.word_of.tolist() == list(range(126))
    assert encoder.truncated == 1
