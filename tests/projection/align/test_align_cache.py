"""Alignment cache: same inputs and settings reuse stored links."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Sequence

import pytest

from projection.align.base import Aligner
from projection.align.cache import AlignmentCache, align_cached, cache_key, default_cache_root
from projection.types import Alignment


class CountingRandomAligner(Aligner):
    """Returns different links on every call (like a sampler) and counts its calls."""

    name = "fake-random.v1"
    deterministic = False

    def __init__(self, setting: int = 0) -> None:
        self.setting = setting
        self.calls = 0
        self._counter = itertools.count()

    def align(self, src: Sequence[Sequence[str]], tgt: Sequence[Sequence[str]]) -> list[Alignment]:
        self.calls += 1
        shift = next(self._counter)
        return [
            Alignment.of([((shift + k) % len(s), 0)]) if s and t else Alignment()
            for k, (s, t) in enumerate(zip(src, tgt))
        ]

    def signature(self) -> str:
        return f"{self.name}(setting={self.setting})"


SRC = [["a", "b", "c"], ["d", "e"], []]
TGT = [["x"], ["y", "z"], ["w"]]


def test_second_call_reuses_first_links(tmp_path: Path) -> None:
    cache = AlignmentCache(tmp_path)
    aligner = CountingRandomAligner()
    first = align_cached(aligner, SRC, TGT, cache)
    second = align_cached(aligner, SRC, TGT, cache)
    assert first == second and aligner.calls == 1
    assert aligner.align(SRC, TGT) != first  # without the cache the links would change
    fresh = CountingRandomAligner()
    assert align_cached(fresh, SRC, TGT, AlignmentCache(tmp_path)) == first and fresh.calls == 0


def test_changed_setting_or_tokens_miss(tmp_path: Path) -> None:
    cache = AlignmentCache(tmp_path)
    align_cached(CountingRandomAligner(setting=0), SRC, TGT, cache)
    other = CountingRandomAligner(setting=1)
    align_cached(other, SRC, TGT, cache)
    assert other.calls == 1
    sig = other.signature()
    assert cache_key(sig, SRC, TGT) != cache_key(sig, [["a", "b c"], ["d", "e"], []], TGT)
    assert cache_key(sig, SRC, TGT) != cache_key(sig, TGT, SRC)


def test_get_put_and_unreadable_entries(tmp_path: Path) -> None:
    cache = AlignmentCache(tmp_path)
    key = cache_key("s", SRC, TGT)
    assert cache.get(key) is None
    links = [Alignment.of([(0, 0)]), Alignment(), Alignment()]
    path = cache.put(key, links, signature="s")
    assert cache.get(key) == links and path.parent.parent == tmp_path
    path.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None
    with pytest.raises(ValueError, match="hex"):
        cache.get("../etc")


def test_no_cache_and_bad_aligner_output(tmp_path: Path) -> None:
    # a fresh aligner's first call: pair k links word k of its source to the target's word 0; an empty pair nothing
    assert align_cached(CountingRandomAligner(), SRC, TGT, None) == [Alignment.of([(0, 0)]), Alignment.of([(1, 0)]),
                                                                     Alignment()]

    class Broken(CountingRandomAligner):
        def align(self, src, tgt):
            return [Alignment.of([(5, 5)])] * len(src)

    with pytest.raises(ValueError, match="outside"):
        align_cached(Broken(), SRC, TGT, AlignmentCache(tmp_path))
    assert not any(tmp_path.rglob("*.json"))


def test_default_root_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path))
    assert default_cache_root() == tmp_path / "alignments"
    assert AlignmentCache().root == tmp_path / "alignments"
    monkeypatch.delenv("SILVER_NER_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert default_cache_root() == Path.home() / ".cache" / "silver-ner" / "alignments"


def test_key_marks_batches_with_a_pair_over_eflomals_limit() -> None:
    """Short batches keep their keys; a batch with a 1,024-token pair (no links from eflomal before it was
    aligned in pieces) gets a new key, so an entry cached before the fix is never reused."""
    import json

    from projection.signature import content_hash

    def old_key(signature, src, tgt):
        chunks = ["alignments/1", signature, str(len(src))]
        for s, t in zip(src, tgt):
            chunks += [json.dumps(list(s), ensure_ascii=False), json.dumps(list(t), ensure_ascii=False)]
        return content_hash(*chunks)

    short_src, short_tgt = [["a"] * 1023], [["x"] * 1023]
    assert cache_key("sig", short_src, short_tgt) == old_key("sig", short_src, short_tgt)
    long_src = [["a"] * 1024]
    assert cache_key("sig", long_src, short_tgt) != old_key("sig", long_src, short_tgt)
    assert cache_key("sig", short_src, [["x"] * 1024]) != old_key("sig", short_src, [["x"] * 1024])


def test_the_batch_is_locked_while_it_is_aligned(tmp_path: Path) -> None:
    """Found in review: align_cached took no lock (the runner's store does), so two runs started together on one
    cache each sampled their own links, and the last to finish overwrote the first's: the first run's output could
    then never be made again from the cache."""
    import fcntl

    cache = AlignmentCache(tmp_path)
    lock = cache.path(cache_key(CountingRandomAligner().signature(), SRC, TGT)).with_suffix(".lock")

    class Probing(CountingRandomAligner):
        def align(self, src, tgt):
            lock.parent.mkdir(parents=True, exist_ok=True)
            with open(lock, "a+b") as fh:  # another run's lock on this batch must wait for this one
                with pytest.raises(BlockingIOError):
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return super().align(src, tgt)

    first = align_cached(Probing(), SRC, TGT, cache)
    with open(lock, "a+b") as fh:  # released once the links are stored
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    other = CountingRandomAligner()
    assert align_cached(other, SRC, TGT, cache) == first and other.calls == 0


def test_an_extra_corpus_that_a_fix_changed_gives_another_signature_and_key():
    """Found in review: the 0.4.2 marks (a long pair, İ) went into a key only when the batch itself held one; an
    extra corpus that trains the aligner too (Turkish text with İ, a decomposed I + U+0307) kept its digest, so a
    batch aligned with it reused the links that 0.4.1 made. The digest now carries the marks."""
    from projection.align.cache import extra_marks
    from projection.align.fastalign import FastAlignAligner
    from projection.align.text import corpus_digest
    from projection.signature import content_hash

    plain, dotted, decomposed = [(["Ankara"], ["Ankara"])], [(["İzmir"], ["İzmir"])], [(["I\u0307zmir"], ["x"])]
    long = [(["w"] * 1024, ["v"])]
    assert extra_marks(plain) == () and extra_marks(dotted) == ("dotted-I/2",)
    assert extra_marks(decomposed) == ("dotted-I/2", "nfc-stems/1")  # I + U+0307 is not NFC either
    assert extra_marks(long) == ("long-pairs/3",) and extra_marks(long + dotted) == ("long-pairs/3", "dotted-I/2")
    assert f"extra={corpus_digest(plain)})" in FastAlignAligner(extra=plain).signature()  # unchanged without marks
    # the digest of a marked corpus: the first 8 hex digits of the hash of its plain digest and its marks
    for extra, marks in ((dotted, ("dotted-I/2",)), (decomposed, ("dotted-I/2", "nfc-stems/1")), (long, ("long-pairs/3",)),
                         (long + dotted, ("long-pairs/3", "dotted-I/2"))):  # fmt: skip
        sig = FastAlignAligner(extra=extra).signature()
        assert sig.endswith(f",extra={content_hash(corpus_digest(extra), *marks)[:8]})")
        assert f"extra={corpus_digest(extra)})" not in sig


def test_entry_with_links_outside_its_pairs_is_aligned_again(tmp_path: Path) -> None:
    """An entry damaged so that a link lies outside its pair is treated as an unreadable one (aligned again and
    rewritten), not a ValueError that names no file and fails every later call with the batch."""
    import json

    cache = AlignmentCache(tmp_path)
    first = align_cached(CountingRandomAligner(), SRC, TGT, cache)  # [0-0], [1-0], []
    path = cache.path(cache_key(CountingRandomAligner().signature(), SRC, TGT))
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["links"][1] = "1-0 7-7"  # pair 1 has 2 source and 2 target tokens
    path.write_text(json.dumps(entry), encoding="utf-8")
    again = CountingRandomAligner()
    again._counter = itertools.count(5)  # its first call links word (5+k) mod len(s) of pair k to target word 0
    assert align_cached(again, SRC, TGT, cache) == [Alignment.of([(2, 0)]), Alignment.of([(0, 0)]), Alignment()]
    assert again.calls == 1 and first != [Alignment.of([(2, 0)]), Alignment.of([(0, 0)]), Alignment()]
    assert json.loads(path.read_text(encoding="utf-8"))["links"] == ["2-0", "0-0", ""]


@pytest.mark.parametrize("damage", ["unreadable", "links outside"])
def test_a_damaged_entry_is_reported_once(tmp_path: Path, damage: str, caplog) -> None:
    """Found in review: the entry is read again under the batch's lock, and a damaged one was logged by both reads,
    so every damaged entry was reported twice."""
    import json
    import logging

    cache = AlignmentCache(tmp_path)
    align_cached(CountingRandomAligner(), SRC, TGT, cache)
    path = cache.path(cache_key(CountingRandomAligner().signature(), SRC, TGT))
    if damage == "unreadable":
        path.write_text("{", encoding="utf-8")
    else:
        path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), "links": ["", "7-7", ""]}))
    with caplog.at_level(logging.WARNING, logger="projection.align.cache"):
        align_cached(CountingRandomAligner(), SRC, TGT, cache)
    assert len(caplog.records) == 1 and str(path) in caplog.records[0].getMessage()
