"""The translate-test code path of ``masakhaner2.<lang>`` with the neural stage replaced by a fake."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest

from builders.make import build
from projection.types import Alignment

from builder_helpers import DATA, conll_rows

MASAKHA_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE"]


@dataclass(frozen=True)
class FakeRun:
    target_tokens: list
    silver_tags: list
    source_tokens: list
    source_tags: list
    alignments: list
    signature: str
    seconds: float = 0.0


def _fake_neural(calls: list) -> types.ModuleType:
    """``projection.neural.run`` stand-in: the "English translation" is the sentence itself, the English NER
    tags it like the gold without DATE and with an extra MISC on the last word, and the silver tags are
    those English tags copied over the diagonal alignment."""
    module = types.ModuleType("projection.neural.run")

    @dataclass(frozen=True)
    class NeuralSettings:
        mt_model: str = "fake-mt"
        ner_model: str = "fake-ner"
        align_model: str = "fake-align"
        back_translation: bool = False

        def signature(self) -> str:
            return f"mt:{self.mt_model}|ner:{self.ner_model}|align:{self.align_model}"

    def translate_test(sentences, lang, settings, config, progress=True):
        calls.append((lang, len(sentences)))
        english = []
        for s in sentences:
            tags = ["O" if t.endswith("DATE") else t for t in s.tags]
            tags[-1] = "B-MISC"
            english.append(tags)
        return FakeRun(
            [list(s.tokens) for s in sentences], english, [list(s.tokens) for s in sentences], english,
            [Alignment.of((k, k) for k in range(len(s))) for s in sentences], "fake|" + settings.signature(),
        )  # fmt: skip

    module.NeuralSettings = NeuralSettings
    module.translate_test = translate_test
    return module


@pytest.fixture
def fake_neural(monkeypatch):
    calls: list = []
    monkeypatch.setitem(sys.modules, "projection.neural.run", _fake_neural(calls))
    return calls


def test_masakhaner2_translate_test_with_a_fake_neural_stage(caches, fake_neural):
    data_dir = str(DATA / "masakhaner2")
    kw = dict(data_dir=data_dir, aligner="fastalign.v1", work_dir=caches.work, progress=False)
    built = build("masakhaner2.hau", cache_dir=caches.datasets("a"), mt_model="fake-mt-2", **kw)
    test = built.splits["test"]
    gold = conll_rows(DATA / "masakhaner2" / "hau" / "test.txt")
    assert fake_neural == [("hau", 3)]
    assert test.features["ner_tags"].feature.names == MASAKHA_LABELS
    assert test.features["source_ner_tags"].feature.names[-2:] == ["B-MISC", "I-MISC"]
    assert test["tokens"] == [t for t, _ in gold]
    names = MASAKHA_LABELS
    silver = [[names[i] for i in row] for row in test["silver_ner_tags"]]
    # DATE was never predicted; MISC is outside MasakhaNER2's schema and is written as O
    expected = [["O" if t.endswith(("DATE", "MISC")) else t for t in tags[:-1]] + ["O"] for _, tags in gold]
    assert silver == expected
    assert test["signature"][0] == "fake|mt:fake-mt-2|ner:fake-ner|align:fake-align"
    assert "neural:mt:fake-mt-2" in built.config.signature()
    m = built.metrics["test"]
    # PER, ORG, LOC only (DATE and MISC ignored as in the paper): all 4 gold entities found, nothing else
    assert (m.precision, m.recall, m.f1) == (1.0, 1.0, 1.0)
    assert m.ignored_types == ("DATE", "MISC")
    # source entities: Musa Bello, Kano, MISC(.) | Dangote, Abuja, MISC(.) | MISC(.) = 7
    assert m.source_entities == 7

    # a fresh datasets cache with the same work dir reuses the finished shard: no second neural run
    again = build("masakhaner2.hau", cache_dir=caches.datasets("b"), mt_model="fake-mt-2", **kw)
    assert fake_neural == [("hau", 3)]
    assert again.splits["test"].to_list() == test.to_list()
