"""The data revision: resolved however a builder is made, and moved by any change to what the rows hold."""

from __future__ import annotations

from builders.make import build
from builders.silver_ner import SilverNER
from tests.builders.builder_helpers import EUROPARL


def _data_dir(tmp_path):
    """The packaged Europarl-NER files under the names a ``data_dir`` holds."""
    data = tmp_path / "europarl"
    data.mkdir()
    for lang in ("en", "de"):
        (data / f"{lang}-europarl.test.conll02").write_bytes((EUROPARL / f"{lang}.conll").read_bytes())
    return data


def _rows(builder, column: str) -> list:
    builder.download_and_prepare()
    return builder.as_dataset()["test"][column]


def test_a_builder_made_directly_follows_a_data_file_edited_in_place(caches, tmp_path):
    """Found in review: only ``build``/``from_config`` resolved the revision, so ``SilverNER(...)`` (the module's
    own example) returned the old rows after the data changed, under the same cache id."""
    data = _data_dir(tmp_path)
    kw = dict(config_name="europarl-ner.de", data_dir=str(data), aligner="fastalign.v1", limit=3,
              cache_dir=caches.datasets(), silver_cache_dir=caches.work, progress=False)  # fmt: skip
    first = SilverNER(**kw)
    assert "rev=" in first.config.signature().format()
    assert _rows(first, "tokens")[0][:3] == ["Wiederaufnahme", "der", "Sitzungsperiode"]
    german = data / "de-europarl.test.conll02"
    german.write_text(german.read_text(encoding="utf-8").replace("Wiederaufnahme\t", "Geändert\t", 1), encoding="utf-8")
    again = SilverNER(**kw)
    assert again.config.config_id != first.config.config_id
    assert _rows(again, "tokens")[0][:3] == ["Geändert", "der", "Sitzungsperiode"]
    built = build("europarl-ner.de", data_dir=str(data), aligner="fastalign.v1", limit=3, cache_dir=caches.datasets(),
                  silver_cache_dir=caches.work, progress=False)  # fmt: skip
    assert built.config.config_id == again.config.config_id


def test_ids_are_part_of_the_revision(caches, tmp_path):
    """Found in review: two empty lines before the first sentence move every row's ``file:line`` id, but the
    revision hashed only tokens and tags, so the old ids came back from the cache."""
    data = _data_dir(tmp_path)
    kw = dict(data_dir=str(data), aligner="fastalign.v1", limit=3, cache_dir=caches.datasets(),
              silver_cache_dir=caches.work, progress=False)  # fmt: skip
    first = build("europarl-ner.de", **kw).splits["test"]["id"]
    for lang in ("en", "de"):
        path = data / f"{lang}-europarl.test.conll02"
        path.write_text("\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = build("europarl-ner.de", **kw).splits["test"]["id"]
    lines = [int(i.rsplit(":", 1)[1]) for i in first]
    assert lines[0] == 1
    assert [int(i.rsplit(":", 1)[1]) for i in moved] == [n + 2 for n in lines]
