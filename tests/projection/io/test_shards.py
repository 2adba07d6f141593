"""Shards of ``project``'s input files read where the chunk runs: the same pairs, counts and errors as reading the
files in the driver (``FilePairsSource.read``), or no shards at all for a file that is not plain."""

from __future__ import annotations

import random

import pytest

from projection.io import shards as shards_module
from projection.stages.read import FilePairsSource

TAGS = ["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
WORDS = ["Haus", "Berlin", "über", "a", "b", "Merkel", "x-y", "’s", "z9", "a#"]  # no line starts with "#": that is not plain
#: one change per case at most, so that a file holds at most one error and both readings must name it
PERTURBATIONS = [None, None, None, "comment", "docstart", "crlf", "blank", "space", "bad_tag", "bom", "no_newline",
                 "fewer_targets", "fewer_links", "link_outside", "space_sep", "one_column"]  # fmt: skip


def sentences(rng: random.Random, n: int) -> list[list[tuple[str, str]]]:
    return [[(rng.choice(WORDS), rng.choice(TAGS)) for _ in range(rng.randint(1, 5))] for _ in range(n)]


def conll(sents, sep: str = "\t", newline: str = "\n") -> str:
    return "".join(newline.join(f"{w}{sep}{t}" for w, t in s) + newline + newline for s in sents)


def make_case(rng: random.Random, folder, perturbation):
    n = rng.randint(1, 14)
    src, tgt = sentences(rng, n), sentences(rng, n)
    links = [" ".join(sorted({f"{rng.randrange(len(s))}-{rng.randrange(len(t))}" for _ in range(rng.randint(0, 4))}))
             for s, t in zip(src, tgt)]  # fmt: skip
    src_text, tgt_text = conll(src), conll(tgt)
    k = rng.randrange(n)  # where the change goes
    if perturbation == "comment":
        tgt_text = "# a comment\n" + tgt_text
    elif perturbation == "docstart":
        src_text = "-DOCSTART-\tO\n\n" + src_text
    elif perturbation == "crlf":
        tgt_text = conll(tgt, newline="\r\n")
    elif perturbation == "blank":
        src_text = src_text.replace("\n\n", "\n\n\n", 1)
    elif perturbation == "space":
        tgt_text = tgt_text.replace("\t", " \t", 1)
    elif perturbation == "bad_tag":
        tgt[k][0] = (tgt[k][0][0], "NN")
        tgt_text = conll(tgt)
    elif perturbation == "bom":
        src_text = "\ufeff" + src_text
    elif perturbation == "no_newline":
        tgt_text = tgt_text.rstrip("\n")
    elif perturbation == "fewer_targets" and n > 1:
        tgt_text = conll(tgt[:-1])
    elif perturbation == "fewer_links" and n > 1:
        links = links[:-1]
    elif perturbation == "link_outside":
        links[k] = f"{len(src[k])}-0"
    elif perturbation == "space_sep":
        src_text = conll(src, sep=" ")
    elif perturbation == "one_column":
        tgt_text = "".join("\n".join(w for w, _ in s) + "\n\n" for s in tgt)
    paths = [folder / "src.conll", folder / "tgt.conll", folder / "links.txt"]
    for path, text in zip(paths, (src_text, tgt_text, "\n".join(links) + "\n")):
        path.write_text(text, encoding="utf-8")
    return paths


def outcome(read):
    try:
        return "ok", read()
    except ValueError as err:
        return "error", str(err)


def sequential(paths):
    source = FilePairsSource(*paths)
    state, value = outcome(lambda: list(source.read()))
    return (state, value, source.counts()) if state == "ok" else (state, value, None)


def sharded(paths, size):
    source = FilePairsSource(*paths)
    state, shards = outcome(lambda: source.shards(size))
    if state == "error" or shards is None:
        return state, shards, None
    pairs, counts = [], {}
    try:
        for shard in shards:
            got, seen = shard.read()
            pairs += got
            counts = {k: counts.get(k, 0) + v for k, v in seen.items()}
    except ValueError as err:
        return "error", str(err), None
    return "ok", pairs, counts


@pytest.mark.parametrize("seed", range(60))
def test_shards_read_what_the_driver_reads(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr(shards_module, "BLOCK", rng.choice([5, 17, 64, 1 << 20]))  # block edges everywhere
    perturbation = rng.choice(PERTURBATIONS)
    paths = make_case(rng, tmp_path, perturbation)
    want = sequential(paths)
    got = sharded(paths, size=rng.choice([1, 2, 3, 1000]))
    if got[0] == "ok" and got[1] is None:  # not plain: read in the driver; only plain shapes may say so
        assert perturbation in ("comment", "docstart", "crlf", "blank", "space", "space_sep", "one_column"), (
            perturbation, want)  # fmt: skip
        return
    assert got == want, perturbation


def test_plain_files_are_sharded_and_a_bad_tag_in_a_late_shard_names_its_line(tmp_path):
    rng = random.Random(7)
    src, tgt = sentences(rng, 12), sentences(rng, 12)
    tgt[10][0] = (tgt[10][0][0], "NN")
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    paths[0].write_text(conll(src), encoding="utf-8")
    paths[1].write_text(conll(tgt), encoding="utf-8")
    paths[2].write_text("\n" * 12, encoding="utf-8")
    line = sum(len(s) + 1 for s in tgt[:10]) + 1
    state, message = sequential(paths)[:2]
    assert state == "error" and f"tgt.conll:{line}:" in message
    assert sharded(paths, size=4)[:2] == (state, message)
    source = FilePairsSource(*paths)
    assert [s.size for s in source.shards(4)] == [4, 4, 4] and len(source) == 12  # counted before any work


@pytest.mark.parametrize("case", ["target_then_source", "links_then_target"])
def test_of_several_errors_a_shard_raises_the_one_the_driver_meets_first(tmp_path, case):
    """A shard is read pair by pair, as ``read()`` reads: a bad tag in the target of pair 1 comes before one in the
    source of pair 3, and a link out of bounds in pair 1 before a bad tag in the target of pair 2 (the shard used
    to read all its source sentences, then all its targets, then the links)."""
    src, tgt, links = ["a\tO", "b\tO", "c\tO"], ["x\tO", "y\tO", "z\tO"], ["0-0", "0-0", "0-0"]
    if case == "target_then_source":
        tgt[0], src[2] = "x\tNN", "c\tNN"
        want = "tgt.conll:1: expected an IOB2 tag"
    else:
        links[0], tgt[1] = "5-0", "y\tNN"
        want = "links.txt:1: link 5-0 is outside a pair of 1 source and 1 target tokens"
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    for path, lines in zip(paths, (src, tgt, links)):
        path.write_text("\n\n".join(lines) + "\n" if path.suffix == ".conll" else "\n".join(lines) + "\n",
                        encoding="utf-8")  # fmt: skip
    state, message = sequential(paths)[:2]
    assert state == "error" and want in message
    assert sharded(paths, size=3)[:2] == (state, message)


def test_a_language_prefix_in_the_target_comes_after_a_bad_tag_in_the_first_source_sentence(tmp_path):
    """Both files are plain, so they could be sharded; the target's tokens all start with "de:", which reading refuses
    from the file's first lines. ``read()`` reads the source's first sentence first and names its bad tag: the
    shards must name the same error, not the target's prefix (found in review: --jobs 2 named the prefix)."""
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    paths[0].write_text("Paris\tX\n\nBob\tB-PER\n", encoding="utf-8")
    paths[1].write_text("de:Paris\tO\n\nde:Bob\tB-PER\n", encoding="utf-8")
    paths[2].write_text("0-0\n0-0\n", encoding="utf-8")
    want = f"{paths[0]}:1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'X'"
    assert sequential(paths)[:2] == ("error", want)
    assert sharded(paths, 1)[:2] in (("error", want), ("ok", None))  # the same error, or read in the driver


def test_mismatched_counts_fail_before_any_shard(tmp_path):
    rng = random.Random(3)
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    paths[0].write_text(conll(sentences(rng, 5)), encoding="utf-8")
    paths[1].write_text(conll(sentences(rng, 4)), encoding="utf-8")
    paths[2].write_text("\n" * 5, encoding="utf-8")
    with pytest.raises(ValueError, match="src.conll has 5 sentences but .*tgt.conll has 4"):
        FilePairsSource(*paths).shards(2)
    assert sequential(paths)[:2] == ("error", sharded(paths, 2)[1])


def test_a_pool_reads_the_shards_and_writes_the_bytes_of_one_process(tmp_path):
    """With workers (``LocalExecutor(2)``, 5 chunks) the chunks are read where they run (the runner times a
    ``read`` there); with one process the driver reads the files; both write the same file."""
    from projection.executors import LocalExecutor
    from projection.options import default_config
    from projection.runner import run
    from projection.stages.project import ProjectStage
    from projection.stages.write import ConllSink

    rng = random.Random(11)
    src, tgt = sentences(rng, 50), sentences(rng, 50)
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    paths[0].write_text(conll(src), encoding="utf-8")
    paths[1].write_text(conll(tgt), encoding="utf-8")
    paths[2].write_text("".join(f"0-{rng.randrange(len(t))}\n" for t in tgt), encoding="utf-8")
    repairs = FilePairsSource(*paths)
    list(repairs.read())
    expected = repairs.counts()  # the driver's reading: repaired I- tags of both files
    assert expected["repaired_source_tags"] > 0 and expected["repaired_target_tags"] > 0
    outs = {}
    # 1 process: the driver reads; 2 processes on 5 chunks: the workers read; on 2 chunks the shards stay here
    for jobs, chunk_size in ((1, 10), (2, 10), (2, 25)):
        outs[jobs, chunk_size] = tmp_path / f"out{jobs}-{chunk_size}.conll"
        result = run(FilePairsSource(*paths), [ProjectStage(default_config("parallel"))],
                     [ConllSink(outs[jobs, chunk_size])], executor=LocalExecutor(jobs), chunk_size=chunk_size,
                     keep=False, progress=False)  # fmt: skip
        assert ("read" in dict(result.stats.seconds)) == (jobs == 2) and result.stats.sentences == 50
        assert {k: result.stats.count(k) for k in expected} == expected
    assert outs[1, 10].read_bytes() == outs[2, 10].read_bytes() == outs[2, 25].read_bytes()
    assert outs[1, 10].read_text(encoding="utf-8").count("\n\n") == 50


@pytest.mark.parametrize("block", [1, 4, 9, 1 << 20])
@pytest.mark.parametrize("ending", ["\n\n", "\n", ""])
def test_conll_chunks_by_hand(tmp_path, monkeypatch, block, ending):
    """Sentences of 2, 1, 3, 1 and 2 lines cut in twos: the texts run from a sentence's first line to the second
    sentence's last, the first lines are 1, 6 and 12, whatever the block size and the file's last line end."""
    monkeypatch.setattr(shards_module, "BLOCK", block)
    lines = [["a\tO", "b\tO"], ["c\tB-PER"], ["d\tO", "e\tO", "f\tO"], ["g\tO"], ["h\tO", "i\tO"]]
    path = tmp_path / "x.conll"
    path.write_text("\n\n".join("\n".join(s) for s in lines) + ending, encoding="utf-8")
    assert shards_module.regular_conll(path) == 5
    assert list(shards_module.conll_chunks(path, 2)) == [
        ("a\tO\nb\tO\n\nc\tB-PER", 1, 2), ("d\tO\ne\tO\nf\tO\n\ng\tO", 6, 2), ("h\tO\ni\tO", 12, 1),
    ]  # fmt: skip
    assert [c[1:] for c in shards_module.conll_chunks(path, 5)] == [(1, 5)]


def test_a_non_utf8_alignments_file_is_read_by_the_driver_which_names_an_earlier_bad_tag_first(tmp_path):
    """The shards counted the lines of the Pharaoh file before any sentence was read, so a latin-1 byte on its
    line 2 was named where ``read()`` names the bad tag of the target's line 1 (met first, pair by pair)."""
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    paths[0].write_text("a\tO\n\nb\tO\n", encoding="utf-8")
    paths[1].write_text("x\tNN\n\ny\tO\n", encoding="utf-8")
    paths[2].write_bytes(b"0-0\n0-0 \xe9\n")
    want = ("error", f"{paths[1]}:1: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got 'NN' (read as CoNLL "
                     "because line 1 has a tab; if the file is one sentence per line, read it as plain text: "
                     "--target-format plain on the command line, format='plain' in Python)", None)  # fmt: skip
    assert sequential(paths) == want
    assert FilePairsSource(*paths).shards(1) is None
    paths[1].write_text("x\tO\n\ny\tO\n", encoding="utf-8")  # no other error: the byte is named
    assert sequential(paths)[1].startswith(f"{paths[2]}:2: not UTF-8 text")


@pytest.mark.parametrize("keep", [4, 3, 0])
@pytest.mark.parametrize("which", ["tgt", "all"])
def test_a_file_cut_short_after_it_was_counted_fails_naming_it(tmp_path, keep, which):
    """Found in review: a file rewritten during the run, after ``shards()`` counted it, lost the pairs past its new
    end without a word when it ended at a chunk's edge (4 of 5 sentences, chunks of 2: ``--out`` held 4 sentences,
    exit 0) and failed with a ``RuntimeError`` traceback elsewhere (3 of 5)."""
    rng = random.Random(7)
    src, tgt = sentences(rng, 5), sentences(rng, 5)
    paths = [tmp_path / "src.conll", tmp_path / "tgt.conll", tmp_path / "links.txt"]
    paths[0].write_text(conll(src), encoding="utf-8")
    paths[1].write_text(conll(tgt), encoding="utf-8")
    paths[2].write_text("0-0\n" * 5, encoding="utf-8")
    shards = FilePairsSource(*paths).shards(2)
    assert shards is not None
    paths[1].write_text(conll(tgt[:keep]), encoding="utf-8")  # another process rewrites the target
    if which == "all":
        paths[0].write_text(conll(src[:keep]), encoding="utf-8")
        paths[2].write_text("0-0\n" * keep, encoding="utf-8")
    named = "src.conll" if which == "all" else "tgt.conll"
    with pytest.raises(ValueError, match=rf"{named} changed while it was read \(it had 5 sentences when the run"):
        for shard in shards:
            shard.read()
