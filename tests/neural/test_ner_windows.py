"""Overlapping NER windows: hand-computed ranges, and a window-edge entity kept whole by a tagger with a known
context-dependent answer (tests/neural/tiny_models.py::build_position_tagger: B-PER at the first sub-word of
its input, I-PER elsewhere)."""

from __future__ import annotations

import pytest

from projection.neural.ner import WordNer, edge_distance, windows

WORDS = "Angela Merkel visited Paris and Berlin last week with Peter Blackburn of the United Nations".split()


def test_windows_consecutive_without_overlap():
    # limit 5: 2+2 | 3+1 (+3 > 5) | 3+2
    assert windows([2, 2, 3, 1, 3, 2], 5) == [(0, 2), (2, 4), (4, 6)]


def test_windows_overlap_by_sub_words():
    # limit 5, overlap 2: [0,2) then back over word 1 (2 sub-words) -> start 1: 2+3 -> [1,3);
    # back over word 2 (3 > 2, but one word is always shared) -> [2,4) = 3+1; back over word 3 (1) -> [3,5) = 1+3;
    # back over word 4 (3, shared anyway) -> [4,6) = 3+2, the end
    assert windows([2, 2, 3, 1, 3, 2], 5, overlap=2) == [(0, 2), (1, 3), (2, 4), (3, 5), (4, 6)]
    assert windows([1] * 6, 4, overlap=2) == [(0, 4), (2, 6)]
    assert windows([9, 1], 4, overlap=2) == [(0, 1), (1, 2)]  # a word longer than the window stands alone
    assert windows([], 4, overlap=2) == []


def test_edge_distance_ignores_the_sentence_ends():
    assert edge_distance(0, (0, 4), 10) == 3  # only the right edge is a cut
    assert edge_distance(5, (2, 6), 10) == 0
    assert edge_distance(4, (2, 6), 10) == 1
    assert edge_distance(3, (0, 10), 10) == float("inf")


@pytest.mark.neural
def test_entity_across_a_window_edge_is_kept_whole(tmp_path):
    import tiny_models as tm

    path = str(tm.build_position_tagger(tmp_path / "pos"))
    whole = WordNer(path, device="cpu", progress=False).predict([WORDS])[0]
    assert whole == ["B-PER"] + ["I-PER"] * (len(WORDS) - 1)  # the sentence fits one window: one entity

    tagger = WordNer(path, device="cpu", progress=False, window=16, overlap=0)
    cut = tagger.predict([WORDS])[0]
    counts = [len(tagger._tok.tokenize(w)) for w in WORDS]
    starts = [a for a, _ in windows(counts, 16)]
    assert len(starts) > 1
    # the old consecutive cut: a new entity where each window starts
    assert [k for k, t in enumerate(cut) if t == "B-PER"] == starts

    assert WordNer(path, device="cpu", progress=False, window=16).predict([WORDS])[0] == whole


@pytest.mark.parametrize("size", [0, -1])
def test_a_batch_size_below_one_is_refused(tmp_path, size):
    """Found in review: WordNer(batch_size=0) (or -1) never moved past its first, empty batch: predict hung."""
    import tiny_models as tm

    folder = tm.build_ner(tmp_path / "ner")
    with pytest.raises(ValueError) as info:
        WordNer(str(folder), batch_size=size)
    assert str(info.value) == f"NER batch_size must be a positive integer or None (by device), got {size}"


def test_a_tagger_device_torch_cannot_use_is_an_error(tmp_path, monkeypatch):
    """Found in review: WordNer(device="cuda") on a CPU-only torch failed with torch's AssertionError traceback."""
    import tiny_models as tm
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    tagger = WordNer(str(tm.build_ner(tmp_path / "ner")), device="cuda", progress=False)
    with pytest.raises(ValueError) as info:
        tagger.predict([["Paris"]])
    assert str(info.value) == ("--device cuda: this torch sees no CUDA GPU (torch.cuda.is_available() is False); "
                               "give cpu or leave --device out")


@pytest.mark.neural
def test_a_sentence_over_the_tokenizers_limit_is_windowed_without_transformers_indexing_warning(tmp_path):
    """Found in review: counting the sub-words of a sentence longer than the tokenizer's ``model_max_length`` (512)
    made transformers warn "Running this sequence through the model will result in indexing errors", in every
    translate-test run with such a sentence; the sentence is labelled in windows, never run whole."""
    import logging

    import tiny_models as tm

    tagger = WordNer(str(tm.build_ner(tmp_path / "ner", favour="I-PER")), device="cpu", progress=False)
    words = WORDS * 40  # 600 words
    messages = []  # transformers' own logger does not propagate to the root logger: caplog does not see it
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    hf = logging.getLogger("transformers")
    hf.addHandler(handler)
    try:
        tags = tagger.predict([words])[0]
    finally:
        hf.removeHandler(handler)
    assert sum(len(tagger._tok.tokenize(w)) for w in words) > tagger._tok.model_max_length == 512
    assert tagger.windowed == 1
    assert [m for m in messages if "indexing errors" in m] == []
    # every word I-PER: one entity, repaired to begin with B-PER
    assert tags == ["B-PER"] + ["I-PER"] * (len(words) - 1)
