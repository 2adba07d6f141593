"""The datasets builder's model-based configs through the real neural code path, with tiny local models."""

from __future__ import annotations

import pytest

from projection.io.sources import load_sentences
from projection.tags import check_tag, repair_iob2

pytestmark = [pytest.mark.neural, pytest.mark.hub]


@pytest.mark.parametrize("config,dataset,lang,split", [
    ("masakhaner2.swa", "masakhaner2", "swa", "test"),
    ("xtreme.de", "xtreme", "de", "validation"),
])
def test_translate_test_config_builds_offline(tiny_models, data_dir, tmp_path, config, dataset, lang, split):
    pytest.importorskip("datasets")
    from builders import build

    built = build(
        config,
        data_dir=str(data_dir / dataset),
        splits=(split,),
        mt_model=str(tiny_models["mt"]),
        ner_model=str(tiny_models["ner"]),
        align_model=str(tiny_models["enc"]),
        aligner="simalign.v1",
        aligner_options={"layer": 2},
        cache_dir=str(tmp_path / "datasets"),
        alignment_cache_dir=str(tmp_path / "align"),
        work_dir=str(tmp_path / "work"),
        progress=False,
    )
    ds = built.splits[split]
    gold = load_sentences(dataset, lang, split, data_dir=str(data_dir / dataset))
    assert ds["tokens"] == [list(s.tokens) for s in gold]  # tokens in == tokens out
    names = ds.features["silver_ner_tags"].feature.names
    for row in ds["silver_ner_tags"]:
        tags = [names[k] for k in row]
        for t in tags:
            check_tag(t)
        assert repair_iob2(tags)[1] == 0  # valid IOB2
    gold_names = ds.features["ner_tags"].feature.names
    assert [[gold_names[k] for k in row] for row in ds["ner_tags"]] == [list(s.tags) for s in gold]
    assert "mt:mt@" in built.signature and "aligner:simalign.v1" in built.signature
