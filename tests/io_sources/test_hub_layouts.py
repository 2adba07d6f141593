"""Which Hub files hold a config and split, and the ClassLabel names read from Parquet metadata (no Hub)."""

from __future__ import annotations

import json

import pytest

from projection.io.sources import HUB_LABELS, _label_names, data_files, hub_location, split_of


@pytest.mark.parametrize("path,split", [
    ("test/0000.parquet", "test"),
    ("masakhaner2-validation.parquet", "validation"),
    ("conll2003-train-00001-of-00002.parquet", "train"),
    ("validation-00000-of-00001.parquet", "validation"),
    ("dev.parquet", "validation"),
    ("default/0000.parquet", None),
])
def test_split_of_parquet_branch_and_main_names(path, split):
    assert split_of(path) == split


def test_data_files_of_one_config_and_split_in_order():
    files = [".gitattributes", "masakhaner2.py", "swa/test/0001.parquet", "swa/test/0000.parquet",
             "swa/train/0000.parquet", "swahili/test/0000.parquet", "yor/test/0000.parquet", "swa/test/README.md"]
    assert data_files(files, "swa", "test") == ["swa/test/0000.parquet", "swa/test/0001.parquet"]
    assert data_files(files, "swa", "validation") == []
    assert data_files(["PAN-X.de/validation-00000-of-00001.parquet", "PAN-X.de.x/validation.parquet"],
                      "PAN-X.de", "validation") == ["PAN-X.de/validation-00000-of-00001.parquet"]


def test_hub_location_maps_dev_to_validation():
    assert hub_location("masakhaner2", "swa", "dev") == ("masakhane/masakhaner2", "swa", "validation")
    assert hub_location("panx-en", "en", "test") == ("google/xtreme", "PAN-X.en", "test")
    assert hub_location("conll2003", "en", "train") == ("eriktks/conll2003", "conll2003", "train")


def _schema(features=None):
    """A real pyarrow schema of a converted split, with the ``huggingface`` metadata when ``features`` are given."""
    import pyarrow as pa

    metadata = {b"huggingface": json.dumps({"info": {"features": features}}).encode()} if features else None
    return pa.schema([("tokens", pa.list_(pa.string())), ("ner_tags", pa.list_(pa.int64()))], metadata=metadata)


NAMES = ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]  # deliberately not the loading script's order


@pytest.mark.parametrize("ner_tags", [
    {"feature": {"names": NAMES, "_type": "ClassLabel"}, "_type": "Sequence"},  # datasets 2.x
    {"feature": {"names": NAMES, "_type": "ClassLabel"}, "_type": "List"},  # datasets >= 4
    [{"names": NAMES, "_type": "ClassLabel"}],  # list shorthand
])
def test_label_names_come_from_the_parquet_metadata(ner_tags):
    assert _label_names(_schema({"ner_tags": ner_tags}), "xtreme", "x") == tuple(NAMES)


def test_label_names_fall_back_to_the_script_labels():
    assert _schema().metadata is None
    assert _label_names(_schema(), "masakhaner2", "x") == HUB_LABELS["masakhaner2"]
    assert _label_names(_schema({"tokens": {"_type": "List"}}), "conll2003", "x") == HUB_LABELS["conll2003"]
