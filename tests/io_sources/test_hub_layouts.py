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



def test_hub_facts_are_the_published_ones():
    """Pinned against the Hub's own pages (HUB_LABELS also makes the fake Hub's files, so a slip there would pass
    every other test): repo, config, split and the ClassLabel order a Parquet file without metadata falls back on."""
    # https://huggingface.co/datasets/masakhane/masakhaner2 (card: "The NER tags correspond to this list")
    assert HUB_LABELS["masakhaner2"] == ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE")
    # https://huggingface.co/datasets/eriktks/conll2003 (card: {'O': 0, 'B-PER': 1, ..., 'B-MISC': 7, 'I-MISC': 8})
    assert HUB_LABELS["conll2003"] == ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
    # https://huggingface.co/datasets/google/xtreme/commit/6d98a07a7b825ee0e3a3a06f14aa4390956eba06 (xtreme.py, PAN-X)
    assert HUB_LABELS["xtreme"] == ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
    # configs ``PAN-X.<lang>`` on main: https://huggingface.co/datasets/google/xtreme/tree/main/PAN-X.af
    assert hub_location("xtreme", "af", "dev") == ("google/xtreme", "PAN-X.af", "validation")
    assert data_files(["PAN-X.af/test-00000-of-00001.parquet", "PAN-X.af/train-00000-of-00001.parquet",
                       "PAN-X.af/validation-00000-of-00001.parquet"], "PAN-X.af", "validation") == [
        "PAN-X.af/validation-00000-of-00001.parquet"]
    # the converter's layouts: ``sna/masakhaner2-test.parquet`` (https://huggingface.co/datasets/masakhane/
    # masakhaner2/commit/e7200e23e246db84e930e390abe727dc011ebb17) and ``conll2003/<split>/0000.parquet`` (its
    # refs/convert/parquet branch, as read by public code: .../conll2003/resolve/refs%2Fconvert%2Fparquet/conll2003)
    assert hub_location("masakhaner2", "sna", "test") == ("masakhane/masakhaner2", "sna", "test")
    assert data_files(["sna/masakhaner2-test.parquet", "sna/masakhaner2-validation.parquet"], "sna", "test") == [
        "sna/masakhaner2-test.parquet"]
    assert hub_location("conll2003", "en", "dev") == ("eriktks/conll2003", "conll2003", "validation")
    assert data_files(["conll2003/train/0000.parquet", "conll2003/validation/0000.parquet"], "conll2003",
                      "validation") == ["conll2003/validation/0000.parquet"]

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


def test_empty_tokens_are_counted_where_read_not_guessed_from_underscores(tmp_path, caplog):
    """Found in review: a MasakhaNER2 file with a real ``_`` token logged "empty tokens were replaced"."""
    from projection.io.sources import load_source

    (tmp_path / "bam").mkdir()
    (tmp_path / "bam" / "train.txt").write_text("_ O\nKati B-LOC\n\n O\nx O\n", encoding="utf-8")
    with caplog.at_level("INFO", logger="projection.io.sources"):
        got = load_source("masakhaner2", "bam", "train", data_dir=str(tmp_path))
    assert [s.tokens for s in got.sentences] == [("_", "Kati"), ("_", "x")]
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'bam' / 'train.txt'}: 1 empty tokens were replaced by '_'"]
    (tmp_path / "bam" / "train.txt").write_text("_ O\nKati B-LOC\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level("INFO", logger="projection.io.sources"):
        load_source("masakhaner2", "bam", "train", data_dir=str(tmp_path))
    assert caplog.records == []


def test_a_parallel_corpus_in_a_language_it_lacks_says_which_it_has():
    """Found in review: uner-pud fr raised a bare KeyError, europarl-ner fr named a file inside the package."""
    from projection.io.parallel import load_parallel

    for family, message in (("europarl-ner", "europarl-ner has no target language 'fr'; it has de, es, it "
                                             "(English is the source)"),
                            ("uner-pud", "uner-pud has no target language 'fr'; it has de (English is the source)")):  # fmt: skip
        with pytest.raises(ValueError) as info:
            load_parallel(family, "fr", "/nonexistent")
        assert str(info.value) == message


def test_an_empty_token_error_gives_a_way_out_on_the_command_line(tmp_path):
    """Found in review: the only remedy named was the Python keyword empty_token=."""
    from projection.io.conll import ConllError, read_conll

    path = tmp_path / "x.txt"
    path.write_text("a O\n O\n", encoding="utf-8")
    with pytest.raises(ConllError) as info:
        read_conll(path)
    assert str(info.value) == (f"{path}:2: empty token in ' O'; give the line a token (e.g. _), or in Python pass "
                               "empty_token='_' to replace empty tokens")
