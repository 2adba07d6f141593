"""``silver-ner project`` and ``silver-ner demo`` end to end, through ``projection.cli.main``."""

from __future__ import annotations

import io
import json
import logging
import sys
import textwrap
from pathlib import Path

import pytest

from projection.cli import main
from projection.version import __version__

SRC = textwrap.dedent(
    """\
    Angela\tB-PER
    Merkel\tI-PER
    visited\tO
    Paris\tB-LOC

    The\tO
    Commission\tB-ORG
    met\tO
    """
)
# German targets with gold tags; word order differs in the first sentence
TGT = textwrap.dedent(
    """\
    Paris\tB-LOC
    besuchte\tO
    Angela\tB-PER
    Merkel\tI-PER

    Die\tO
    Kommission\tB-ORG
    tagte\tO
    """
)
# hand alignments (source i - target j)
LINKS = "0-2 1-3 2-1 3-0\n0-0 1-1 2-2\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "src.conll").write_text(SRC, encoding="utf-8")
    (tmp_path / "tgt.conll").write_text(TGT, encoding="utf-8")
    (tmp_path / "links.txt").write_text(LINKS, encoding="utf-8")
    return tmp_path


def read_tags(path):
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")
    return [[line.split("\t") for line in block.splitlines()] for block in blocks]


@pytest.mark.parametrize("matcher", ["greedy", "exact", "heuristic"])
def test_project_with_given_alignments(files, matcher):
    out, report = files / "out.conll", files / "report.json"
    code = main([
        "project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
        "--out", str(out), "--alignments", str(files / "links.txt"), "--matcher", matcher,
        "--report", str(report), "--quiet",
    ])
    assert code == 0
    # every entity has a one-to-one aligned counterpart: the projection is exactly the gold target
    assert read_tags(out) == [
        [["Paris", "B-LOC"], ["besuchte", "O"], ["Angela", "B-PER"], ["Merkel", "I-PER"]],
        [["Die", "O"], ["Kommission", "B-ORG"], ["tagte", "O"]],
    ]
    data = json.loads(report.read_text())
    assert (data["precision"], data["recall"], data["f1"]) == (1.0, 1.0, 1.0)
    assert data["sentences"] == 2 and data["per_type"]["PER"]["f1"] == 1.0
    assert data["signature"].startswith("mode:parallel|aligner:fixed.v1(sha=") and data["signature"].endswith(f"|version:{__version__}")
    assert f"match:{matcher}" in data["signature"]
    assert data["projection_rate"] == 1.0 and data["seconds"] > 0  # all 3 source entities projected, by hand


def test_saved_alignments_are_reused_exactly(files):
    first, second, links = files / "a.conll", files / "b.conll", files / "saved.txt"
    common = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--quiet"]
    assert main(common + ["--out", str(first), "--aligner", "fastalign.v1", "--save-alignments", str(links)]) == 0
    # two pairs with no repeated word give no evidence but the diagonal prior: the diagonal
    assert links.read_text() == "0-0 1-1 2-2 3-3\n0-0 1-1 2-2\n"
    assert main(common + ["--out", str(second), "--alignments", str(links)]) == 0
    assert first.read_text() == second.read_text()


def test_plain_text_target_is_accepted(files):
    plain = files / "tgt.txt"
    plain.write_text("Paris besuchte Angela Merkel\nDie Kommission tagte\n", encoding="utf-8")
    out = files / "out.conll"
    assert main(["project", "--source", str(files / "src.conll"), "--target", str(plain), "--out", str(out),
                 "--alignments", str(files / "links.txt"), "--quiet"]) == 0
    # the hand links project every entity exactly: the output is the gold target
    assert read_tags(out) == [
        [["Paris", "B-LOC"], ["besuchte", "O"], ["Angela", "B-PER"], ["Merkel", "I-PER"]],
        [["Die", "O"], ["Kommission", "B-ORG"], ["tagte", "O"]],
    ]


def run_error(args, capsys):
    code = main(args)
    err = capsys.readouterr().err.strip().splitlines()
    return code, err


def test_mismatched_sentence_counts_exit_2(files, capsys):
    (files / "one.conll").write_text("Paris\tB-LOC\n", encoding="utf-8")
    code, err = run_error(["project", "--source", str(files / "src.conll"), "--target", str(files / "one.conll"),
                           "--out", str(files / "o.conll"), "--quiet"], capsys)
    assert code == 2 and len(err) == 1
    assert "has 2 sentences" in err[0] and "has 1" in err[0]


def test_empty_file_exit_2(files, capsys):
    (files / "empty.conll").write_text("", encoding="utf-8")
    code, err = run_error(["project", "--source", str(files / "empty.conll"), "--target", str(files / "tgt.conll"),
                           "--out", str(files / "o.conll")], capsys)
    assert code == 2 and "empty" in err[-1]


def test_unreadable_line_names_path_and_line(files, capsys):
    (files / "bad.conll").write_text("Angela\tB-PER\nMerkel\tX-PER\n", encoding="utf-8")
    code, err = run_error(["project", "--source", str(files / "bad.conll"), "--target", str(files / "tgt.conll"),
                           "--out", str(files / "o.conll")], capsys)
    assert code == 2 and f"{files / 'bad.conll'}:2" in err[-1]


def test_unknown_matcher_lists_valid_names(files, capsys):
    code, err = run_error(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                           "--out", str(files / "o.conll"), "--matcher", "hungarian"], capsys)
    assert code == 2 and "greedy" in err[-1] and "exact" in err[-1]


def test_alignments_file_with_wrong_count_exit_2(files, capsys):
    (files / "short.txt").write_text("0-0\n", encoding="utf-8")
    code, err = run_error(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                           "--out", str(files / "o.conll"), "--alignments", str(files / "short.txt")], capsys)
    assert code == 2 and "has 1 lines but there are 2 sentence pairs" in err[-1]


def test_demo_on_embedded_europarl(tmp_path, capsys):
    """The demo projects English gold onto German gold (799 real sentences) with the deterministic aligner. The
    693 gold entities are the German file's (86 PER, 91 LOC, 325 ORG, 191 MISC: SOURCES.md); the 697 predicted and
    591 correct are fastalign.v1's, pinned (it is deterministic)."""
    report = tmp_path / "demo.json"
    assert main(["demo", "--langs", "de", "--aligner", "fastalign.v1", "--quiet", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "de " in out and "signature[de]: mode:parallel|data:europarl-ner(lang=de)|aligner:fastalign.v1" in out
    data = json.loads(report.read_text())
    assert data["languages"]["de"]["sentences"] == 799
    scores = data["languages"]["de"]
    assert (scores["precision"], scores["recall"], scores["f1"]) == pytest.approx((591 / 697, 591 / 693, 1182 / 1390))


def test_project_with_a_pool_writes_the_gold_projection_like_one_process(files):
    """4,000 pairs (4 chunks: the pool starts) through the real entry point, ``python -m projection``, with 2
    processes and with 1: every pair projects onto its gold target, so both outputs equal the gold file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    n = 2000  # copies of the two pairs
    for name, text in (("src4k.conll", SRC + "\n"), ("tgt4k.conll", TGT + "\n"), ("links4k.txt", LINKS)):
        (files / name).write_text(text * n, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "HF_HUB_OFFLINE": "1"}
    reports = {}
    for jobs in ("1", "2"):
        out, report = files / f"out{jobs}.conll", files / f"report{jobs}.json"
        proc = subprocess.run([sys.executable, "-m", "projection", "project", "--source", str(files / "src4k.conll"),
                               "--target", str(files / "tgt4k.conll"), "--alignments", str(files / "links4k.txt"),
                               "--out", str(out), "--report", str(report), "--jobs", jobs, "--quiet"],
                              env=env, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        reports[jobs] = json.loads(report.read_text())
    gold = (files / "tgt4k.conll").read_text(encoding="utf-8")
    assert (files / "out2.conll").read_text(encoding="utf-8") == gold == (files / "out1.conll").read_text(encoding="utf-8")
    assert reports["2"]["executor"] == "local (2 processes)" and reports["1"]["executor"] == "local (1 process)"
    assert reports["2"]["sentences"] == 2 * n and reports["2"]["f1"] == 1.0


def test_a_first_target_token_with_a_byte_order_mark_names_the_target_line_with_a_pool_too(files):
    """A target starting with two byte-order marks keeps one on its first token, which ``--out`` cannot hold (reading
    drops it at the start of a file). One process named the target's line 1; a pool, whose workers read the chunks
    themselves, failed at writing with "sentence 1: token ... cannot be written to CoNLL", naming no file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    n = 2000  # copies of the two pairs: 4 chunks, the pool starts and reads shards
    for name, text in (("src4k.conll", SRC + "\n"), ("tgt4k.conll", "\ufeff\ufeff" + (TGT + "\n") * n),
                       ("links4k.txt", LINKS)):  # fmt: skip
        (files / name).write_text(text * n if name != "tgt4k.conll" else text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "HF_HUB_OFFLINE": "1"}
    for jobs in ("1", "2"):
        out = files / f"out{jobs}.conll"
        proc = subprocess.run([sys.executable, "-m", "projection", "project", "--source", str(files / "src4k.conll"),
                               "--target", str(files / "tgt4k.conll"), "--alignments", str(files / "links4k.txt"),
                               "--out", str(out), "--jobs", jobs, "--quiet"],
                              env=env, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert proc.returncode == 2 and proc.stderr == (
            f"silver-ner: error: {files / 'tgt4k.conll'}:1: token '\\ufeffParis' cannot be written to the CoNLL "
            "output (it starts with a byte-order mark, which reading drops at the start of a file); change or remove "
            "it in the target file\n"), (jobs, proc.stderr)
        assert not out.exists()


def test_a_full_disk_at_the_last_output_replaces_no_old_output(files, monkeypatch, capsys):
    """Found in review: the sinks were committed one after the other, so a disk that filled up while the second
    output was flushed left --out replaced by the new run and --save-alignments from the old one."""
    import errno
    import os

    out, saved = files / "out.conll", files / "saved.txt"
    out.write_text("OLD RUN\n", encoding="utf-8")
    saved.write_text("OLD RUN\n", encoding="utf-8")
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the second output's data reaches the disk: it is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    code = main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--out",
                 str(out), "--alignments", str(files / "links.txt"), "--save-alignments", str(saved), "--quiet"])  # fmt: skip
    assert code == 2 and "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == saved.read_text(encoding="utf-8") == "OLD RUN\n"
    assert sorted(p.name for p in files.iterdir()) == ["links.txt", "out.conll", "saved.txt", "src.conll", "tgt.conll"]
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--out",
                 str(out), "--alignments", str(files / "links.txt"), "--save-alignments", str(saved), "--quiet"]) == 0  # fmt: skip
    assert saved.read_text(encoding="utf-8") == LINKS


def test_a_full_disk_at_the_report_replaces_no_old_output(files, monkeypatch, capsys):
    """Found in review (0.4.5 left it): --report was written after the other outputs were committed, so a disk
    that filled up at the report left a new --out beside the old report. The report is now an output of the run,
    prepared with the others before any is committed."""
    import errno
    import os

    out, report = files / "out.conll", files / "r.json"
    out.write_text("OLD RUN\n", encoding="utf-8")
    report.write_text("OLD REPORT\n", encoding="utf-8")
    real_fsync = os.fsync

    def fsync(fd):
        if os.readlink(f"/proc/self/fd/{fd}").rsplit("/", 1)[1].startswith(".r.json."):  # the report's temporary file
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    argv = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--out", str(out),
            "--alignments", str(files / "links.txt"), "--report", str(report), "--quiet"]  # fmt: skip
    monkeypatch.setattr(os, "fsync", fsync)
    assert main(argv) == 2 and "No space left on device" in capsys.readouterr().err
    assert (out.read_text(encoding="utf-8"), report.read_text(encoding="utf-8")) == ("OLD RUN\n", "OLD REPORT\n")
    assert sorted(p.name for p in files.iterdir()) == ["links.txt", "out.conll", "r.json", "src.conll", "tgt.conll"]
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert main(argv) == 0
    assert json.loads(report.read_text(encoding="utf-8"))["f1"] == 1.0  # the hand links project every gold entity
    assert read_tags(out)[0] == [["Paris", "B-LOC"], ["besuchte", "O"], ["Angela", "B-PER"], ["Merkel", "I-PER"]]


def _full_disk_at(monkeypatch, prefix):
    """``os.fsync`` of a temporary file whose name starts with ``prefix`` fails as on a full disk: a write error
    names no file (``err.filename`` is ``None``), as the kernel's does."""
    import errno
    import os

    real_fsync = os.fsync

    def fsync(fd):
        if os.readlink(f"/proc/self/fd/{fd}").rsplit("/", 1)[1].startswith(prefix):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_full_disk_at_an_output_names_that_output(files, monkeypatch, capsys):
    """Found in review: a full disk (or quota) while --out, --save-alignments or --report was written gave only
    ``[Errno 28] No space left on device`` with no file named, so with outputs and cache on different disks the
    user could not tell which one was full."""
    out, saved = files / "out.conll", files / "saved.txt"
    for prefix, where in ((".out.conll.", out), (".saved.txt.", saved)):
        monkeypatch.undo()
        _full_disk_at(monkeypatch, prefix)
        code = main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--out",
                     str(out), "--alignments", str(files / "links.txt"), "--save-alignments", str(saved), "--quiet"])  # fmt: skip
        assert code == 2
        assert capsys.readouterr().err == (f"silver-ner: error: [Errno 28] No space left on device: '{where}' (free "
                                           "some space, or write there elsewhere: TMPDIR for scratch files)\n")
        assert sorted(p.name for p in files.iterdir()) == ["links.txt", "src.conll", "tgt.conll"]


def test_a_full_disk_in_the_cache_points_at_the_cache(files, monkeypatch, capsys):
    """Found in review: the alignment cache's entry written to a full disk failed with the bare errno line and the
    hint for outputs (TMPDIR), not the cache's (SILVER_NER_CACHE, --no-cache): the error named no file, so the hint
    could not tell it was the cache's."""
    cache = files / "cache"
    monkeypatch.setenv("SILVER_NER_CACHE", str(cache))
    _full_disk_at(monkeypatch, ".")
    out = files / "out.conll"
    code = main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--out",
                 str(out), "--aligner", "fastalign.v1", "--quiet"])  # fmt: skip
    assert code == 2
    (lock,) = (cache / "alignments").rglob("*.lock")
    entry = lock.with_suffix(".json")
    assert capsys.readouterr().err == (f"silver-ner: error: [Errno 28] No space left on device: '{entry}' (in the "
                                       f"silver-ner cache {cache}: point SILVER_NER_CACHE at a writable folder with "
                                       "free space; project and demo also take --no-cache)\n")
    assert not out.exists() and not entry.exists()


@pytest.mark.parametrize("langs", ["", " , "])
def test_demo_with_no_language_is_a_usage_error(langs, capsys):
    """``demo --langs ''`` printed an empty table and exited 0. Found in review."""
    from projection.cli import main

    assert main(["demo", "--langs", langs]) == 2
    captured = capsys.readouterr()
    assert captured.err == (f"silver-ner: error: --langs {langs!r} names no language; give some of de, es, it "
                            "(e.g. --langs de,es)\n")
    assert captured.out == ""


def test_a_pair_with_only_possible_links_saves_them(files):
    """An alignment with possible links and no sure one is not empty: it is saved as given (it once became an
    empty line, and projecting again from the saved file lost every entity)."""
    links, saved, first, second = files / "p.txt", files / "saved.txt", files / "a.conll", files / "b.conll"
    links.write_text("0p2 1p3 2p1 3p0\n0-0 1-1 2-2\n", encoding="utf-8")
    common = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--quiet",
              "--possible-weight", "0.3"]  # fmt: skip
    assert main(common + ["--alignments", str(links), "--out", str(first), "--save-alignments", str(saved)]) == 0
    assert saved.read_text() == "0p2 1p3 2p1 3p0\n0-0 1-1 2-2\n"
    assert main(common + ["--alignments", str(saved), "--out", str(second)]) == 0
    assert read_tags(second) == read_tags(first) == read_tags(files / "tgt.conll")


def test_dropped_labels_are_left_out_of_the_report(files):
    """Found in review: ``--drop-label ORG`` took ORG out of the projection, and ``--report`` still counted the gold
    ORG entity as missed (recall 2/3 although both other entities were projected exactly)."""
    out, report = files / "out.conll", files / "report.json"
    assert main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                 "--alignments", str(files / "links.txt"), "--drop-label", "ORG", "--out", str(out),
                 "--report", str(report), "--quiet"]) == 0  # fmt: skip
    data = json.loads(report.read_text())
    assert (data["precision"], data["recall"], data["f1"]) == (1.0, 1.0, 1.0)
    assert data["ignored_types"] == ["ORG"] and set(data["per_type"]) == {"LOC", "PER"}


def _scored_then_dropped(files, source: str, target: str, label: str, caplog) -> tuple:
    """Run ``project --report`` on ``files/source`` and ``files/target`` (the fixture's links), then again with
    ``--drop-label label``: each run's report and the warnings it logged that name the gold."""
    common = ["project", "--source", str(files / source), "--target", str(files / target),
              "--alignments", str(files / "links.txt"), "--quiet"]
    out = []
    for k, extra in enumerate(([], ["--drop-label", label])):
        caplog.clear()
        report = files / f"report{k}.json"
        with caplog.at_level(logging.WARNING):
            assert main([*common, *extra, "--out", str(files / f"out{k}.conll"), "--report", str(report)]) == 0
        out.append((json.loads(report.read_text()), [m for m in caplog.messages if "gold" in m]))
    return tuple(out)


def test_a_projected_type_the_gold_lacks_is_named_once_with_the_way_out(files, caplog):
    """Found in review: the source's MISC against a gold without MISC was scored as false positives, which lowered
    precision and F1 without a word. The scores stay; the run says so once, with its count, and the report counts
    the type's predicted entities beside its support."""
    src = SRC.replace("visited\tO", "visited\tB-MISC")  # linked to "besuchte", O in the gold, which has no MISC
    (files / "misc.conll").write_text(src, encoding="utf-8")
    (data, warned), (dropped, warned_dropped) = _scored_then_dropped(files, "misc.conll", "tgt.conll", "MISC", caplog)
    # MISC (visited) -> besuchte: 4 predicted, 3 of them gold; precision 3/4, recall 3/3, F1 6/7
    assert (data["precision"], data["recall"], data["f1"]) == (0.75, 1.0, 2 * 0.75 / 1.75)
    assert data["per_type"]["MISC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "predicted": 1}
    assert data["per_type"]["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}
    assert warned == ["the projection wrote 1 MISC span and the gold has no MISC entity: it was scored as false "
                      "positive; pass --drop-label MISC to leave MISC out of the projection and the score"]
    # the way out: no MISC projected nor scored, and nothing to say
    assert (warned_dropped, dropped["f1"]) == ([], 1.0)


def test_a_gold_type_the_source_lacks_is_named_once_and_can_be_left_out_of_the_score(files, caplog):
    """Found in review: a gold type the source never has (a MasakhaNER2 gold's DATE against an English source) was
    scored as misses without a word, and ``--drop-label DATE`` was refused as no type of the source. The run now says
    so once, and ``--drop-label`` takes a type of the target's gold, left out of the score."""
    tgt = TGT.replace("besuchte\tO", "besuchte\tB-DATE")  # the source has no DATE
    (files / "date.conll").write_text(tgt, encoding="utf-8")
    (data, warned), (dropped, warned_dropped) = _scored_then_dropped(files, "src.conll", "date.conll", "DATE", caplog)
    # 3 gold entities of the source's types, all found, and 1 DATE missed: precision 3/3, recall 3/4, F1 6/7
    assert (data["precision"], data["recall"], data["f1"]) == (1.0, 0.75, 2 * 0.75 / 1.75)
    assert data["per_type"]["DATE"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1, "predicted": 0}
    assert warned == ["the gold has 1 DATE entity and the projection wrote no DATE span: it was scored as missed; if "
                      "the source has no DATE, pass --drop-label DATE to leave DATE out of the score"]
    # the way out, a type of the target's gold alone: no longer refused, and nothing to say
    assert warned_dropped == []
    assert (dropped["f1"], dropped["ignored_types"], sorted(dropped["per_type"])) == (1.0, ["DATE"], ["LOC", "ORG", "PER"])
    assert read_tags(files / "out1.conll") == read_tags(files / "out0.conll")  # the projection is the same


def test_a_drop_label_in_neither_file_names_both(files, capsys):
    """A typo is still refused, naming both files whose types were read."""
    code, err = run_error(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                           "--alignments", str(files / "links.txt"), "--out", str(files / "o.conll"),
                           "--drop-label", "DAET", "--quiet"], capsys)  # fmt: skip
    assert code == 2
    assert err[-1] == (f"silver-ner: error: --drop-label DAET: no such entity type in {files / 'src.conll'} or "
                       f"{files / 'tgt.conll'} (its types: LOC, ORG, PER)")


def test_a_count_mismatch_names_how_the_target_was_read_and_the_option_to_change_it(files, capsys):
    """Found in review: one-word lines (CJK sentences) were read as CoNLL, and the count error said only that the
    files differ; it now says why the target was read as CoNLL and how to read it as plain text."""
    src = files / "three.conll"
    src.write_text("Tokyo\tB-LOC\n\nOsaka\tB-LOC\n\nKyoto\tB-LOC\n", encoding="utf-8")
    (files / "cjk.txt").write_text("東京\n大阪\n京都\n", encoding="utf-8")
    code, err = run_error(["project", "--source", str(src), "--target", str(files / "cjk.txt"), "--out",
                           str(files / "o.conll"), "--aligner", "fastalign.v1", "--quiet"], capsys)  # fmt: skip
    assert code == 2
    assert err[-1] == (
        f"silver-ner: error: {src} has 3 sentences but {files / 'cjk.txt'} has 1; the files must be sentence-aligned "
        f"({files / 'cjk.txt'} was read as CoNLL because 3 of its first 3 lines are a single token or a token and an "
        "IOB2 tag; if the file is one sentence per line, read it as plain text: --target-format plain on the "
        "command line, format='plain' in Python)"
    )


def test_an_output_path_with_a_trailing_slash_names_a_folder(files, capsys):
    """Found in review: ``--out new_dir/`` wrote a file named ``new_dir``."""
    code = main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                 "--alignments", str(files / "links.txt"), "--out", f"{files / 'new_dir'}/", "--quiet"])  # fmt: skip
    assert code == 2 and not (files / "new_dir").exists()
    assert capsys.readouterr().err == f"silver-ner: error: --out {files / 'new_dir'}/ is a directory; give a file name\n"


def _one_cached_alignment(files, monkeypatch) -> tuple[list[str], Path, object]:
    """A fastalign.v1 run's arguments (without --out), the one alignment cache entry its run to ``a.conll`` wrote,
    and that entry's JSON."""
    monkeypatch.setenv("SILVER_NER_CACHE", str(files / "cache"))
    args = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--aligner",
            "fastalign.v1", "--quiet"]  # fmt: skip
    assert main([*args, "--out", str(files / "a.conll")]) == 0
    (entry,) = (files / "cache" / "alignments").rglob("*.json")
    return args, entry, json.loads(entry.read_text())


def test_a_damaged_alignment_cache_entry_is_computed_again_or_named_with_the_way_out(files, monkeypatch, capsys):
    """Found in review: an entry whose JSON still parsed but held a number for a line crashed every later run with
    a traceback, and a bad link stopped every later run without saying it was the cache's file."""
    args, entry, good = _one_cached_alignment(files, monkeypatch)
    for damaged in ({**good, "links": [5, None]}, [1, 2]):  # not text, not an entry: computed again
        entry.write_text(json.dumps(damaged))
        assert main([*args, "--out", str(files / "b.conll")]) == 0
        assert (files / "b.conll").read_bytes() == (files / "a.conll").read_bytes()
        assert json.loads(entry.read_text()) == good
    entry.write_text(json.dumps({**good, "links": ["zz", good["links"][1]]}))
    capsys.readouterr()
    assert main([*args, "--out", str(files / "c.conll")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"silver-ner: error: {entry}:1: ")
    assert err.endswith(f"(a damaged cache entry: delete {entry}, or run with --no-cache)\n")


@pytest.mark.parametrize("counts", ["x", {"truncated": None}, [1]])
def test_an_alignment_cache_entry_with_damaged_counts_is_computed_again(files, monkeypatch, counts):
    """Found in review: an entry whose "counts" was no mapping of numbers failed every later run with a traceback
    (AttributeError / TypeError in AlignStage._add) instead of being computed again as other damage is."""
    args, entry, good = _one_cached_alignment(files, monkeypatch)
    entry.write_text(json.dumps({**good, "counts": counts}))
    assert main([*args, "--out", str(files / "b.conll")]) == 0
    assert (files / "b.conll").read_bytes() == (files / "a.conll").read_bytes()
    assert json.loads(entry.read_text()) == good


def test_an_os_error_in_the_cache_or_a_full_disk_says_what_to_do(monkeypatch, tmp_path):
    """Found in review: a read-only cache or a full disk gave only the bare errno line."""
    import errno

    from projection.cli import _os_hint

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "c"))
    err = OSError(errno.EROFS, "Read-only file system", str(tmp_path / "c" / "alignments"))
    assert _os_hint(err) == (f" (in the silver-ner cache {tmp_path / 'c'}: point SILVER_NER_CACHE at a writable "
                             "folder with free space; project and demo also take --no-cache)")
    assert _os_hint(OSError(errno.ENOSPC, "No space left on device", "/elsewhere/out.conll")) == (
        " (free some space, or write there elsewhere: TMPDIR for scratch files)")
    assert _os_hint(OSError(errno.ENOENT, "No such file or directory", "/elsewhere/x")) == ""
    # found in review: a cache entry made a directory got the hint above, which does not remove it
    entry = tmp_path / "c" / "alignments" / "7b" / "7b60.json"
    entry.mkdir(parents=True)
    err = OSError(errno.EISDIR, "Is a directory", str(entry.parent / ".7b60.json.tmp"), None, str(entry))
    assert _os_hint(err) == f" ({entry} is a directory where a file goes: remove it; project and demo also take --no-cache)"
    (tmp_path / "out.conll").mkdir()
    err = OSError(errno.EISDIR, "Is a directory", str(tmp_path / "out.conll"))
    assert _os_hint(err) == f" ({tmp_path / 'out.conll'} is a directory where a file goes: remove it)"


@pytest.mark.parametrize("argv, message", [
    (["--drop-label", "ORGS"], "--drop-label ORGS: no such entity type in Europarl-NER's English (its types: LOC, "
                               "MISC, ORG, PER)"),
    (["--device", "cpu"], "--device is for a neural aligner (simalign.v1, awesome.v1); eflomal.v1 uses no model: "
                          "leave it out"),
    (["--align-model", "foo"], "--align-model is for a neural aligner (simalign.v1, awesome.v1); eflomal.v1 uses no "
                               "model: leave it out"),
    (["--aligner", "simalign.v1", "--device", "bogus"], "--device bogus: not a torch device; give cpu, cuda, cuda:1, "
                                                        "mps …, or leave it out (the GPU when torch sees one)"),
])  # fmt: skip
def test_demo_refuses_what_project_refuses(argv, message, capsys):
    """Found in review: demo took a --drop-label typo, a model or device for eflomal, and a bad device (a traceback
    once the model loaded), all of which project refuses."""
    assert main(["demo", "--langs", "de", *argv]) == 2
    assert capsys.readouterr().err == f"silver-ner: error: {message}\n"


def test_demo_leaves_a_dropped_label_out_of_its_scores(tmp_path, monkeypatch):
    """Found in review: ``demo --drop-label MISC`` scored the 191 gold MISC entities of German as missed. Its F1
    now equals seqeval's on the same projection (``project`` with the demo's extra text, fastalign: deterministic)
    against the gold with MISC read as O."""
    from seqeval.metrics import f1_score

    from projection.io.conll import read_conll
    from projection.io.package_data import europarl

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "cache"))
    report, out = tmp_path / "r.json", tmp_path / "de.conll"
    common = ["--aligner", "fastalign.v1", "--drop-label", "MISC", "--quiet"]
    assert main(["demo", "--langs", "de", *common, "--report", str(report)]) == 0
    data = Path(__file__).resolve().parents[2] / "projection" / "data"
    assert main(["project", "--source", str(data / "europarl" / "en.conll"), "--target",
                 str(data / "europarl" / "de.conll"), "--align-corpus", str(data / "ntrex" / "eng.txt"),
                 str(data / "ntrex" / "deu.txt"), *common, "--out", str(out)]) == 0  # fmt: skip
    rep = json.loads(report.read_text())
    de = rep["languages"]["de"]
    assert rep["ignored_types"] == ["MISC"] and set(de["per_type"]) == {"LOC", "ORG", "PER"}
    gold = [["O" if t.endswith("MISC") else t for t in s.tags] for s in europarl("de").sentences]
    silver = [list(s.tags) for s in read_conll(out).sentences]
    assert de["f1"] == pytest.approx(f1_score(gold, silver))


def test_project_lang_gives_the_aligner_the_languages_defaults(files):
    """``--lang de``: eflomal.v1 with ``similar_names=0.5`` and ``possible_votes=2`` besides its defaults (issue 9,
    0.5.0); the run's signature spells them. Without ``--lang`` the signature is the language-independent one."""
    common = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--no-cache",
              "--quiet"]  # fmt: skip
    spelled = {}
    for lang in ("de", None):
        report = files / f"report-{lang}.json"
        argv = [*common, "--out", str(files / f"out-{lang}.conll"), "--report", str(report)]
        assert main(argv + (["--lang", lang] if lang else [])) == 0
        spelled[lang] = json.loads(report.read_text(encoding="utf-8"))["signature"]
    head = "mode:parallel|aligner:eflomal.v1(sym=soft,stem=4,stem_from=name,model=3,samplers=3,rel_it=1,it=auto,null=0.2,runs=2,name_prior=10,"
    tail = f"extra=none)|cand:linked.v1|score:align=1,possible=0.3,char=0.5|match:greedy.v1|refine:anchor.v1|version:{__version__}"
    assert spelled["de"] == head + "similar_names=0.5,possible_votes=2," + tail
    assert spelled[None] == head + tail


@pytest.mark.parametrize("lang", ["German", "DE"])
def test_project_lang_that_is_no_iso_code_is_a_usage_error(files, lang, capsys):
    argv = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
            "--out", str(files / "out.conll"), "--lang", lang]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err == ("silver-ner: error: --lang takes an ISO 639-1 or 639-3 code in lower case, such "
                                       f"as de or deu, got {lang!r}\n")  # fmt: skip
    assert not (files / "out.conll").exists()


def test_project_lang_with_given_alignments_is_refused(files, capsys):
    """Found in review: with --alignments no aligner runs, so --lang (its defaults) did nothing, while --aligner-option
    was refused."""
    argv = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--alignments",
            str(files / "links.txt"), "--out", str(files / "out.conll"), "--lang", "de"]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err == ("silver-ner: error: --lang sets up the aligner, which does not run with "
                                       "--alignments; leave one out\n")  # fmt: skip


def test_a_language_silver_ner_does_not_know_is_logged(caplog):
    """A code of the right shape that no dataset or group has (a typo, or a language without data here) gets the
    language-independent defaults, and the CLI says so."""
    import logging

    from projection.cli import build_parser
    from projection.cli.options import config_from_args
    from projection.options import default_config

    args = build_parser().parse_args(["project", "--source", "s", "--target", "t", "--out", "o", "--lang", "qq"])
    with caplog.at_level(logging.WARNING, logger="projection.options"):
        assert config_from_args(args, "parallel") == default_config("parallel")
    assert caplog.messages == ["--lang qq is not a language silver-ner knows (PAN-X, MasakhaNER2 and Germanic/"
                               "Romance group codes): the language-independent defaults apply"]  # fmt: skip
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="projection.options"):
        config_from_args(build_parser().parse_args(["project", "--source", "s", "--target", "t", "--out", "o",
                                                    "--lang", "ger"]), "parallel")  # fmt: skip
    assert caplog.messages == []


@pytest.mark.parametrize("langs, message", [
    ("de,xx", "Europarl-NER has no language 'xx'; the demo projects onto de, es, it"),
    ("DE", "Europarl-NER has no language 'DE'; the demo projects onto de, es, it"),
    ("de,en", "the demo projects English onto another language: choose from de, es, it"),
])  # fmt: skip
def test_demo_checks_every_language_before_any_work(langs, message, monkeypatch, capsys):
    """Found in review: ``--langs de,xx`` aligned and projected German for half a minute before failing on xx, and
    ``--langs DE`` got the message of an ISO-code check that suggested deu."""
    import projection.demo

    monkeypatch.setattr(projection.demo, "parallel_plan", None)  # nothing may be planned (it would raise TypeError)
    assert main(["demo", "--langs", langs, "--quiet"]) == 2
    assert capsys.readouterr().err == f"silver-ner: error: {message}\n"


def test_demo_projects_each_language_with_its_own_default(monkeypatch, capsys):
    """The demo builds one method per language (its options applied to each): the default, or with options."""
    import projection.demo
    from projection.options import default_config

    seen = {}

    def record(langs, config, **kwargs):
        seen.update({lang: config(lang) for lang in langs})
        return []

    monkeypatch.setattr(projection.demo, "run_demo", record)
    assert main(["demo", "--langs", "de,it", "--quiet"]) == 0
    assert seen == {"de": default_config("parallel", "de"), "it": default_config("parallel", "it")}
    assert main(["demo", "--langs", "es", "--quiet", "--aligner-option", "runs=1"]) == 0
    assert seen["es"] == default_config("parallel", "es", aligner_options=(("runs", 1),))
    assert dict(seen["es"].aligner_options)["similar_names"] == 0.5 and "possible_votes" not in dict(seen["es"].aligner_options)


def test_project_lang_of_a_masakhaner2_target_refines_with_trim_even_on_given_alignments(files, capsys):
    """0.6.0: ``--lang hau`` adds ``trim.v1`` after the anchor; the refinement runs on given links too, so there
    ``--lang`` is taken (``--lang de`` only sets up the aligner and is refused), unless --refine/--no-refine decide."""
    common = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--alignments",
              str(files / "links.txt"), "--quiet"]  # fmt: skip
    report = files / "report-hau.json"
    assert main([*common, "--out", str(files / "out-hau.conll"), "--report", str(report), "--lang", "hau"]) == 0
    assert json.loads(report.read_text(encoding="utf-8"))["signature"].endswith(
        f"|refine:anchor.v1+trim.v1|version:{__version__}")  # fmt: skip
    capsys.readouterr()
    for extra in (["--no-refine"], ["--refine", "anchor.v1"]):
        assert main([*common, "--out", str(files / "out.conll"), "--lang", "hau", *extra]) == 2
        assert capsys.readouterr().err == ("silver-ner: error: --lang sets up the aligner, which does not run with "
                                           "--alignments; leave one out\n")  # fmt: skip


NOTE = ("note: without --lang the language-independent defaults were used; --lang CODE (such as de or hau) takes the "
        "target language's own (see silver-ner project --help)\n")  # fmt: skip
#: only a language whose refinements differ (trim.v1): with --alignments, or an aligner without language defaults
#: (found in review: the note named de with --alignments, where --lang de is refused: it sets up the aligner)
NOTE_HAU = NOTE.replace("such as de or hau", "such as hau")


@pytest.mark.parametrize("extra, noted", [
    ([], True),  # given links: a MasakhaNER2 --lang would add trim.v1
    (["--lang", "hau"], False),
    (["--no-refine"], False),  # the refinements are the user's: no language changes them
    (["--refine", "anchor.v1"], False),
])  # fmt: skip
def test_project_says_when_lang_was_left_out_and_would_change_the_run(files, extra, noted, capsys):
    argv = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--alignments",
            str(files / "links.txt"), "--out", str(files / "out.conll"), "--quiet", *extra]  # fmt: skip
    assert main(argv) == 0
    assert capsys.readouterr().err.endswith(NOTE_HAU) is noted


def test_project_without_lang_notes_only_what_a_language_would_change(files, capsys):
    """fastalign.v1 has no language defaults; with the refinements given, --lang would change nothing; with the
    default refinements it would (trim.v1 for a MasakhaNER2 target)."""
    argv = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--no-cache",
            "--quiet", "--aligner", "fastalign.v1", "--out", str(files / "out.conll")]  # fmt: skip
    assert main([*argv, "--refine", "anchor.v1"]) == 0
    assert "note:" not in capsys.readouterr().err
    assert main(argv) == 0
    assert capsys.readouterr().err.endswith(NOTE_HAU)
    # the default aligner (eflomal.v1) has options of its own for de: both examples are named
    argv[argv.index("--aligner") : argv.index("--aligner") + 2] = []
    assert main(argv) == 0
    assert capsys.readouterr().err.endswith(NOTE)


def test_the_readme_recipe_for_the_papers_method_scores_by_the_alignment_alone(tmp_path):
    """README, *Default method*: the options that give "the paper's methods exactly as published". The paper scores
    a candidate by 2·links/(|s|+|t|) only. Hand-computed: ``Union`` is linked to ``EU`` (word 1) and ``Union``
    (word 4); candidates [1, 2) and [4, 5) score 2·1/2 = 1, [1, 5) 2·2/5 = 0.8; the greedy takes the earliest of the
    tied best, ``EU`` (as ``benchmarks/paper_reference.py`` does). Before: the recipe kept the default char=0.5,
    whose character similarity moved the entity onto ``Union``."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    at = readme.index("gives the paper's")
    start = readme.rindex("`--no-refine", 0, at) + 1
    flags = readme[start : readme.index("`", start)].split()
    # with given alignments the aligner does not run: its options are left out, as the README says
    while "--aligner-option" in flags:
        k = flags.index("--aligner-option")
        del flags[k : k + 2]
    (tmp_path / "s.conll").write_text("the\tO\nUnion\tB-ORG\nsaid\tO\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("die EU und die Union sagten\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("0-0 1-1 1-4 2-5\n", encoding="utf-8")
    out = tmp_path / "o.conll"
    assert main(["project", "--source", str(tmp_path / "s.conll"), "--target", str(tmp_path / "t.txt"),
                 "--alignments", str(tmp_path / "a.txt"), "--out", str(out), "--quiet", *flags]) == 0  # fmt: skip
    tags = [line.split("\t")[1] for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert tags == ["O", "B-ORG", "O", "O", "O", "O"]



@pytest.mark.parametrize("verb", ["project", "demo"])
def test_the_no_refine_help_names_every_option_of_the_readme_recipe(verb, capsys):
    """Found in review: ``--no-refine``'s help said "the paper's methods as published with --char-weight 0
    --possible-weight 1", but where eflomal.v1 aligns its default ``stem_from=name`` and ``name_prior=10`` are not the
    paper's: the README's recipe adds ``--aligner-option stem_from=start --aligner-option name_prior=0``."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    at = readme.index("gives the paper's")
    start = readme.rindex("`--no-refine", 0, at) + 1
    flags = readme[start : readme.index("`", start)].split()
    assert flags == ["--no-refine", "--char-weight", "0", "--possible-weight", "1", "--aligner-option",
                     "stem_from=start", "--aligner-option", "name_prior=0"]  # fmt: skip
    with pytest.raises(SystemExit):
        main([verb, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    no_refine = help_text[help_text.index("--no-refine no refinement") :]
    no_refine = no_refine[: no_refine.index("--drop-label")].replace("- ", "-")  # argparse wraps at hyphens
    for option, value in zip(flags[1::2], flags[2::2]):
        assert f"{option} {value}" in no_refine, (option, value, no_refine)

class _Terminal(io.StringIO):
    """stderr as a terminal: progress bars are drawn on it."""

    def isatty(self) -> bool:
        return True


def test_a_warning_during_a_run_on_a_terminal_gets_a_line_of_its_own(files, monkeypatch):
    """Found in review: a warning logged while the progress bar was drawn (here: a damaged alignment-cache entry)
    went through logging's last-resort handler, straight after the bar's text (``projecting: 0sent […]ignoring …``),
    and later bar frames drew over it. It is written above the bar: the bar's line cleared, then the warning."""
    monkeypatch.setenv("SILVER_NER_CACHE", str(files / "cache"))
    args = ["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"), "--aligner",
            "fastalign.v1"]  # fmt: skip
    assert main([*args, "--quiet", "--out", str(files / "a.conll")]) == 0
    (entry,) = (files / "cache" / "alignments").rglob("*.json")
    entry.write_text("{")  # not JSON: logged and computed again
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # no handler but the CLI's (pytest adds its own)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*args, "--out", str(files / "b.conll")]) == 0
    shown = terminal.getvalue()
    with pytest.raises(ValueError) as bad:
        json.loads("{")
    warning = f"ignoring unreadable alignments cache entry {entry} ({bad.value}); it will be rewritten"
    assert shown.count(warning) == 1
    before, after = shown.split(warning)
    assert before.startswith("\rprojecting")  # the bar was drawn, and cleared to the line's start for the warning
    assert before.rstrip(" ").endswith("\r") and before.rstrip(" \r").endswith("]") and after.startswith("\n")
    assert (files / "b.conll").read_bytes() == (files / "a.conll").read_bytes()
    assert logging.getLogger().handlers == []  # the CLI's handler is gone after the run


def test_outputs_whose_names_are_not_utf8_are_written(files):
    """Found in review: a file name that is not UTF-8 (legal on Linux; Python holds its bytes as surrogates) as
    --out, --save-alignments or --report failed with "'utf-8' codec can't encode character '\\udcff' …", which named
    neither the option nor the file: the name's length was measured by encoding it as UTF-8."""
    import os

    names = {what: os.fsdecode(b"%s-\xff" % what.encode()) for what in ("out", "links", "report")}
    code = main(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                 "--alignments", str(files / "links.txt"), "--out", str(files / names["out"]),
                 "--save-alignments", str(files / names["links"]), "--report", str(files / names["report"]),
                 "--quiet"])  # fmt: skip
    assert code == 0
    assert read_tags(files / names["out"]) == [
        [["Paris", "B-LOC"], ["besuchte", "O"], ["Angela", "B-PER"], ["Merkel", "I-PER"]],
        [["Die", "O"], ["Kommission", "B-ORG"], ["tagte", "O"]],
    ]
    assert (files / names["links"]).read_text() == LINKS
    assert json.loads((files / names["report"]).read_text())["f1"] == 1.0


def test_ner_candidates_in_the_parallel_mode_are_refused_with_what_the_cli_can_do(files, capsys):
    """Found in review: the refusal told a CLI user that they gave no ``target_spans``, a Python argument the CLI
    cannot give; it now says where such spans come from, and what to choose instead."""
    code, err = run_error(["project", "--source", str(files / "src.conll"), "--target", str(files / "tgt.conll"),
                           "--alignments", str(files / "links.txt"), "--out", str(files / "o.conll"),
                           "--candidates", "ner.v1", "--quiet"], capsys)  # fmt: skip
    assert code == 2
    assert err[-1] == ("silver-ner: error: the ner.v1 candidates are spans an NER model found on the target, and the "
                       "parallel mode runs no model and was given no such spans (target_spans=, from Python only): "
                       "choose candidates linked.v1 (the default), aligned.v1 or ngrams.v1, or "
                       "translate-test/translate-train, which tag the target")
