"""Same config -> byte-identical Parquet (also from fresh caches); changed method -> new cache; crash -> no
corrupt cache."""

from __future__ import annotations

import os
from pathlib import Path

import datasets
import pytest

from builders.make import build, make_config
from builders.silver_ner import SilverNER

N = 30


def _parquet(built, path: Path) -> bytes:
    built.splits["test"].to_parquet(str(path))
    return path.read_bytes()


def test_same_config_twice_gives_identical_parquet_also_from_fresh_caches(caches, tmp_path):
    kw = dict(aligner="fastalign.v1", limit=N, progress=False)
    first = build("europarl-ner.it", cache_dir=caches.datasets("a"), alignment_cache_dir=str(tmp_path / "al1"), **kw)
    again = build("europarl-ner.it", cache_dir=caches.datasets("a"), alignment_cache_dir=str(tmp_path / "al1"), **kw)
    fresh = build("europarl-ner.it", cache_dir=caches.datasets("b"), alignment_cache_dir=str(tmp_path / "al2"), **kw)
    assert again.cache_dir == first.cache_dir and fresh.cache_dir != first.cache_dir
    a, b, c = (_parquet(x, tmp_path / f"{k}.parquet") for k, x in enumerate((first, again, fresh)))
    assert a == b == c


def test_eflomal_is_reproducible_through_the_alignment_cache(caches, tmp_path):
    kw = dict(aligner="eflomal.v1", limit=N, alignment_cache_dir=caches.alignments, progress=False)
    first = build("europarl-ner.es", cache_dir=caches.datasets("a"), **kw)
    fresh = build("europarl-ner.es", cache_dir=caches.datasets("b"), **kw)  # new datasets cache, same links
    assert fresh.cache_dir != first.cache_dir
    assert _parquet(first, tmp_path / "1.parquet") == _parquet(fresh, tmp_path / "2.parquet")
    assert any(Path(caches.alignments).rglob("*.json"))


def test_a_changed_method_never_reuses_the_cache(caches):
    kw = dict(aligner="fastalign.v1", limit=N, alignment_cache_dir=caches.alignments, progress=False)
    greedy = build("europarl-ner.de", cache_dir=caches.datasets(), **kw)
    exact = build("europarl-ner.de", cache_dir=caches.datasets(), matcher="exact", **kw)
    assert exact.cache_dir != greedy.cache_dir
    assert "match:exact" in exact.splits["test"]["signature"][0]
    assert "match:greedy" in greedy.splits["test"]["signature"][0]


def test_a_crash_in_generate_examples_leaves_no_cache_and_a_rerun_completes(caches, monkeypatch):
    config = make_config("europarl-ner.de", aligner="fastalign.v1", limit=N)
    calls = {"n": 0}
    original = SilverNER._generate_examples

    def crash_once(self, files):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("simulated crash")
        yield from original(self, files)

    monkeypatch.setattr(SilverNER, "_generate_examples", crash_once)
    builder = SilverNER.from_config(config, cache_dir=caches.datasets(), silver_cache_dir=caches.alignments)
    with pytest.raises(datasets.exceptions.DatasetGenerationError):
        builder.download_and_prepare()
    assert not os.path.exists(builder.cache_dir)
    assert not os.path.exists(builder.cache_dir + ".incomplete")
    rerun = build(config, cache_dir=caches.datasets(), alignment_cache_dir=caches.alignments, progress=False)
    assert rerun.cache_dir == builder.cache_dir and len(rerun.splits["test"]) == N
    assert os.path.isfile(os.path.join(rerun.cache_dir, "dataset_info.json"))


def test_num_proc_shards_give_the_same_rows(caches):
    kw = dict(aligner="fastalign.v1", limit=N, alignment_cache_dir=caches.alignments, progress=False)
    one = build("europarl-ner.de", cache_dir=caches.datasets("one"), **kw)
    two = build("europarl-ner.de", cache_dir=caches.datasets("two"), num_proc=2, **kw)
    assert two.splits["test"].to_list() == one.splits["test"].to_list()
    assert two.metrics == one.metrics


def test_shards_left_by_a_killed_build_are_not_counted_by_the_rerun(caches):
    """Found in review: ``datasets`` writes into ``<output>.incomplete`` and reuses a folder of that name that a killed
    build left (SIGKILL, a power cut), files and all. A build killed with ``--num-proc 2`` left its two shards there;
    the rerun without ``--num-proc`` wrote ``silver_ner-test.arrow`` beside them, the split summary read all three
    files, and the card said 2N sentences (every count doubled) from then on, the stale shards kept in the cache."""
    import shutil

    kw = dict(aligner="fastalign.v1", limit=N, chunk_size=10, alignment_cache_dir=caches.alignments, progress=False)
    first = build("europarl-ner.de", cache_dir=caches.datasets("first"), **kw)
    # what a build killed with num_proc=2 after writing its shards (before datasets' rename) leaves behind: a shard
    # of that name (here the whole split, under a shard's name: the pool itself is tested above)
    target = Path(caches.datasets("one")) / Path(first.cache_dir).relative_to(caches.datasets("first"))
    leftover = Path(f"{target}.incomplete")
    leftover.mkdir(parents=True)
    shutil.copy(Path(first.cache_dir) / "silver_ner-test.arrow", leftover / "silver_ner-test-00000-of-00002.arrow")
    one = build("europarl-ner.de", cache_dir=caches.datasets("one"), **kw)
    assert one.cache_dir == str(target)
    assert one.metrics["test"].sentences == N
    assert one.metrics == first.metrics
    assert sorted(p.name for p in target.glob("*.arrow")) == ["silver_ner-test.arrow"]
    assert not leftover.exists()
