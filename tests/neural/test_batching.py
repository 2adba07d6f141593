"""Batch sizes by device, and batches halved when the GPU runs out of memory (simulated on CPU with the real
``torch.OutOfMemoryError``)."""

from __future__ import annotations

import logging

import pytest
import torch

from projection.neural.batching import batch_size_for, shrinking_batches


def test_batch_size_by_device():
    assert batch_size_for("translation", "cpu", None) == 16
    assert batch_size_for("NER", "cpu", None) == 16
    assert batch_size_for("translation", "cuda", None) == 128
    assert batch_size_for("back-translation", "cuda:1", None) == 128
    assert batch_size_for("NER", "cuda", None) == 64
    assert batch_size_for("NER", "cuda", 7) == 7 and batch_size_for("translation", "cpu", 3) == 3


def _refuse_above(limit, calls):
    def run(batch):
        calls.append(len(batch))
        if len(batch) > limit:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return [x * 10 for x in batch]

    return run


def test_out_of_memory_halves_the_batch_and_keeps_every_item(caplog):
    calls = []
    with caplog.at_level(logging.WARNING, logger="projection.neural.batching"):
        got = list(shrinking_batches(list(range(11)), 8, _refuse_above(2, calls), what="translation"))
    assert [list(b) for b, _ in got] == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10]]
    assert [r for _, r in got] == [[0, 10], [20, 30], [40, 50], [60, 70], [80, 90], [100]]
    assert calls == [8, 4, 2, 2, 2, 2, 2, 1]  # halved twice, then the smaller size sticks
    assert [r.getMessage() for r in caplog.records] == [
        "translation ran out of GPU memory; going on with batches of 4 (set --batch-size to choose)",
        "translation ran out of GPU memory; going on with batches of 2 (set --batch-size to choose)",
    ]


def test_out_of_memory_at_one_item_is_raised():
    with pytest.raises(torch.OutOfMemoryError):
        list(shrinking_batches([1, 2], 4, _refuse_above(0, []), what="NER"))


def test_other_errors_pass_through():
    def run(batch):
        raise RuntimeError("device-side assert triggered")

    with pytest.raises(RuntimeError, match="device-side assert"):
        list(shrinking_batches([1], 4, run, what="NER"))


@pytest.mark.neural
def test_translator_after_out_of_memory_equals_the_smaller_batch(tiny_models, monkeypatch):
    from projection.neural.translate import Translator

    texts = ["Nairobi ni mji mkuu .", "Rais wa Tanzania", "Kenya na Uganda .", "jana", "mji mkuu wa Kenya"]
    small = Translator(str(tiny_models["mt"]), progress=False, batch_size=2).translate(texts, "swa", "en")
    mt = Translator(str(tiny_models["mt"]), progress=False, batch_size=8)
    sizes = _out_of_memory_above_two(mt, monkeypatch)
    assert mt.translate(texts, "swa", "en") == small
    assert sizes == [5, 4, 2, 2, 1]  # 5 unique texts: a batch of 5 (size 8), then 4, then 2s


@pytest.mark.neural
def test_ner_after_out_of_memory_equals_the_smaller_batch(tiny_models, monkeypatch):
    from projection.neural.ner import WordNer

    sentences = [
        ["Angela", "Merkel", "visited", "Paris"],
        ["Nairobi"],
        ["EU", "rejects", "German", "call"],
        ["Peter", "Blackburn"],
        ["Brussels"] * 3,
    ]
    small = WordNer(str(tiny_models["ner"]), progress=False, batch_size=1).predict(sentences)
    ner = WordNer(str(tiny_models["ner"]), progress=False, batch_size=4)
    rows = _out_of_memory_above_one(ner._load()[0], monkeypatch)
    assert ner.predict(sentences) == small
    assert rows == [4, 2, 1, 1, 1, 1, 1]


@pytest.mark.neural
def test_a_translation_does_not_depend_on_its_batch(tiny_models):
    """The output cap was set by the longest input of the batch, so a run-on translation of a short sentence
    was cut at a length --batch-size (or an out-of-memory halving) decided; translate-test gave other bytes
    with --batch-size 1 and 7. Now each sentence's cap follows its own input. Found in review."""
    from projection.neural.translate import Translator

    texts = ["Nairobi ni mji mkuu wa Kenya na Uganda na Tanzania . Rais wa Tanzania alitembelea Nairobi jana .",
             "Rais wa Tanzania", "Kenya na Uganda .", "jana", "mji mkuu wa Kenya"]
    alone = [Translator(str(tiny_models["mt"]), progress=False, batch_size=1).translate([t], "swa", "en")[0]
             for t in texts]
    together = Translator(str(tiny_models["mt"]), progress=False, batch_size=5).translate(texts, "swa", "en")
    by_one = Translator(str(tiny_models["mt"]), progress=False, batch_size=1).translate(texts, "swa", "en")
    assert together == by_one == alone
    assert len(set(alone)) > 1 and all(alone)


@pytest.mark.neural
def test_a_beam_search_translation_does_not_depend_on_its_batch(tiny_models):
    """Beam search ranks its hypotheses at the length limit: with max_new_tokens set by the longest sentence
    of the batch, a shorter sentence's best beam, cut to its own cap afterwards, was not the beam a search
    stopped at that cap keeps; --num-beams 3 gave other bytes with --batch-size 1 and 7. Found in review."""
    from projection.neural.translate import Translator

    texts = [
        "mkuu ni wa Merkel na Rais , Tanzania , Paris . jana , Uganda alitembelea Nairobi Rais Kenya alitembelea mkuu na",
        "Rais Tanzania mkuu mji Merkel Merkel mji jana mji , wa Nairobi Tanzania , , mkuu ni ni . alitembelea Rais Paris "
        "Uganda ni Tanzania Nairobi mji mkuu ni na",
        "Nairobi ni Nairobi jana Rais Angela Tanzania alitembelea Kenya jana Kenya alitembelea jana Rais Tanzania . mkuu "
        "Nairobi wa Tanzania Paris Uganda Rais Uganda alitembelea",
        "Rais wa Tanzania",
        "jana",
    ]
    alone = [Translator(str(tiny_models["mt"]), progress=False, batch_size=1, num_beams=3).translate([t], "swa", "en")[0]
             for t in texts]
    for size in (2, 5):
        together = Translator(str(tiny_models["mt"]), progress=False, batch_size=size, num_beams=3)
        assert together.translate(texts, "swa", "en") == alone


@pytest.mark.neural
def test_beam_search_translations_of_0_6_2_are_not_reused(tiny_models):
    # 0.6.2 cached beam-search translations that depended on their batch under the same key: a beam search's key
    # is marked, greedy decoding keeps its key (its translations were already batch-independent)
    from projection.neural.translate import Translator

    greedy = Translator(str(tiny_models["mt"]), progress=False, device="cpu")
    beams = Translator(str(tiny_models["mt"]), progress=False, device="cpu", num_beams=3)
    one = Translator(str(tiny_models["mt"]), progress=False, device="cpu", num_beams=1)
    assert greedy.cache_signature() == greedy.signature()
    assert one.cache_signature() == one.signature()
    assert beams.cache_signature() == beams.signature() + "+caps/2"


@pytest.mark.neural
def test_a_beam_search_set_by_the_model_alone_does_not_reuse_0_6_2_translations(tiny_models, tmp_path):
    # found in review: a model whose own generation config searches with beams (facebook/m2m100_418M: 5) is
    # generated by caps as --num-beams is, but kept 0.6.2's key, so its batch-dependent cached translations were used
    import shutil

    from transformers import GenerationConfig

    from projection.neural.translate import Translator

    model = shutil.copytree(tiny_models["mt"], tmp_path / "mt-beams")
    GenerationConfig(num_beams=3, bos_token_id=0, eos_token_id=2, pad_token_id=1,
                     decoder_start_token_id=2).save_pretrained(model)  # fmt: skip
    beams = Translator(str(model), progress=False, device="cpu")
    assert beams.cache_signature() == beams.signature() + "+caps/2"
    assert beams.beams() == 3
    beams._load()  # the same answer from the loaded model
    assert beams.beams() == 3 and beams.cache_signature() == beams.signature() + "+caps/2"
    greedy = Translator(str(model), progress=False, device="cpu", num_beams=1)  # --num-beams 1 overrides the model
    assert greedy.beams() == 1 and greedy.cache_signature() == greedy.signature()
    (model / "generation_config.json").unlink()  # no generation config: transformers' greedy default
    plain = Translator(str(model), progress=False, device="cpu")
    assert plain.beams() == 1 and plain.cache_signature() == plain.signature()


@pytest.mark.neural
def test_a_translators_next_call_starts_at_the_size_that_fitted_and_warns_no_more(tiny_models, monkeypatch, caplog):
    """Found in review: each call (each 1,000-pair chunk of a run) started again at the full size, ran out of memory
    again and warned again; the translator now keeps the size it went down to."""
    from projection.neural.translate import Translator

    mt = Translator(str(tiny_models["mt"]), progress=False, batch_size=4)
    sizes = _out_of_memory_above_two(mt, monkeypatch)
    with caplog.at_level(logging.WARNING, logger="projection.neural.batching"):
        mt.translate(["Nairobi ni mji mkuu .", "Rais wa Tanzania", "Kenya na Uganda ."], "swa", "en")
        mt.translate(["jana", "mji mkuu wa Kenya", "Rais wa Kenya"], "swa", "en")
    assert sizes == [3, 2, 1, 2, 1]  # the first call: 3 refused, then 2 and the last one; the second starts at 2
    assert [r.getMessage() for r in caplog.records] == [
        "translation ran out of GPU memory; going on with batches of 2 (set --batch-size to choose)"]


@pytest.mark.neural
def test_an_ner_models_next_call_starts_at_the_size_that_fitted(tiny_models, monkeypatch, caplog):
    from projection.neural.ner import WordNer

    ner = WordNer(str(tiny_models["ner"]), progress=False, batch_size=2)
    rows = _out_of_memory_above_one(ner._load()[0], monkeypatch)
    with caplog.at_level(logging.WARNING, logger="projection.neural.batching"):
        ner.predict([["Angela", "Merkel"], ["Nairobi"]])
        ner.predict([["Peter", "Blackburn"], ["Brussels"]])
    assert rows == [2, 1, 1, 1, 1]
    assert [r.getMessage() for r in caplog.records] == [
        "NER ran out of GPU memory; going on with batches of 1 (set --batch-size to choose)"]


def _out_of_memory_above_one(model, monkeypatch) -> list[int]:
    """``model.forward`` runs out of GPU memory on any batch of more than one row; the list of the batch sizes it was
    given (filled as it is called)."""
    forward, rows = model.forward, []

    def refusing(*args, **kwargs):
        rows.append(len(kwargs["input_ids"]))
        if len(kwargs["input_ids"]) > 1:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return forward(*args, **kwargs)

    monkeypatch.setattr(model, "forward", refusing)
    return rows


def _out_of_memory_above_two(translator, monkeypatch) -> list[int]:
    """``translator``'s generation runs out of GPU memory on any batch of more than two texts; the list of the batch
    sizes it was given (filled as it is called)."""
    generate, sizes = translator._generate, []

    def refusing(batch, forced, limit):
        sizes.append(len(batch))
        if len(batch) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return generate(batch, forced, limit)

    monkeypatch.setattr(translator, "_generate", refusing)
    return sizes
