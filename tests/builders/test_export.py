"""``builders.export.export``: where a config's task finds its data and writes its caches."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from builder_helpers import DATA, conll_rows

from builders.export import BuildTask, export
from projection.executors import LocalExecutor


class WorkerFolderExecutor(LocalExecutor):
    """Runs each config's ``BuildTask`` as a Ray worker does, in a folder of its own (``ray start`` workers run in
    ``/``), and its chunks here, one process."""

    name = "ray"

    def __init__(self, folder: Path) -> None:
        super().__init__(1)
        self.folder = folder

    @contextlib.contextmanager
    def progress_channel(self, report):
        yield report

    def map(self, task, items, *, in_process=False, return_exceptions=False):
        if not isinstance(task, BuildTask):
            yield from super().map(task, items, in_process=in_process)
            return
        for item in items:
            caller = os.getcwd()
            os.chdir(self.folder)
            try:
                outcome = task(item)
            finally:
                os.chdir(caller)
            yield outcome


def test_relative_paths_name_the_folders_of_the_caller_not_of_the_worker(tmp_path, monkeypatch):
    """Found in review: ``build --executor ray --ray-address auto --data-dir data --cache-dir ds --silver-cache c``
    run from the folder holding ``data`` failed with "Europarl-NER en file not found; looked for:
    data/en-europarl.test.conll02" (the task read it in the worker's folder), and without --data-dir wrote the
    datasets cache and the chunk checkpoints into ``/ds`` and ``/c``."""
    here, worker = tmp_path / "here", tmp_path / "worker"
    worker.mkdir()
    shutil.copytree(DATA / "europarl-identical", here / "data")
    monkeypatch.chdir(here)
    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))  # the card's lock
    result = export(["europarl-ner.de"], "out", data_dir="data", cache_dir="ds", silver_cache_dir="c",
                    aligner="fastalign.v1", progress=False, executor=WorkerFolderExecutor(worker))  # fmt: skip
    assert result.failed == ()
    import pyarrow.parquet as pq

    table = pq.read_table(here / "out" / "europarl-ner.de" / "test-00000-of-00001.parquet")
    gold = conll_rows(DATA / "europarl-identical" / "de-europarl.test.conll02")
    assert table.column("tokens").to_pylist() == [tokens for tokens, _ in gold]
    assert (here / "ds").is_dir() and (here / "c" / "chunks").is_dir()
    assert os.listdir(worker) == []


def test_the_card_documents_every_form_of_link_the_alignment_column_holds(tmp_path, monkeypatch):
    """Found in review: the card's Columns section described ``alignment`` as Pharaoh ``i-j`` links, but the default
    symmetrisation (``sym=soft``) also writes possible links ``ipj`` (``1p1``), which a reader parsing ``i-j`` fails
    on. Every link of the exported column has a separator the card names."""
    import re

    import pyarrow.parquet as pq

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    result = export(["europarl-ner.de"], tmp_path / "out", aligner="fastalign.v1", limit=10,
                    cache_dir=str(tmp_path / "ds"), progress=False)  # fmt: skip
    assert result.failed == ()
    body = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    columns = body.split("## Columns", 1)[1].split("##", 1)[0]
    documented = set(re.findall(r"`i(\S)j`", columns))
    links = " ".join(pq.read_table(tmp_path / "out" / "europarl-ner.de" / "test-00000-of-00001.parquet")
                     .column("alignment").to_pylist()).split()  # fmt: skip
    used = {re.fullmatch(r"\d+(\D)\d+", link).group(1) for link in links}
    assert used == {"-", "p"}  # sure and possible links (sym=soft)
    assert used <= documented


def test_a_relative_silver_ner_cache_names_the_folder_of_the_caller_not_of_the_worker(tmp_path, monkeypatch):
    """Found in review: with ``SILVER_NER_CACHE=c`` (relative) and no --silver-cache, a Ray worker (``ray start``:
    in ``/``) wrote the alignments and chunk checkpoints into ``/c``, while the card's lock went to the caller's
    ``c``: the variable reaches the workers as it is, and only --silver-cache was made absolute."""
    here, worker = tmp_path / "here", tmp_path / "worker"
    worker.mkdir()
    shutil.copytree(DATA / "europarl-identical", here / "data")
    monkeypatch.chdir(here)
    monkeypatch.setenv("SILVER_NER_CACHE", "c")
    result = export(["europarl-ner.de"], "out", data_dir="data", cache_dir=str(tmp_path / "ds"),
                    aligner="fastalign.v1", progress=False, executor=WorkerFolderExecutor(worker))  # fmt: skip
    assert result.failed == ()
    assert sorted(os.listdir(here / "c")) == ["alignments", "chunks", "locks"]
    assert os.listdir(worker) == []


def test_builds_given_different_silver_caches_do_not_drop_each_others_configs_from_the_card(tmp_path, monkeypatch):
    """Found in review: the card's read-merge-write was locked only by a file in the silver-ner cache, so two builds
    into one export folder with different caches (--silver-cache, SILVER_NER_CACHE) both merged into the same old
    card and the last writer dropped the other's config (its Parquet files stayed, listed nowhere)."""
    import threading
    import time

    import builders.export as export_module

    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("---\n---\n", encoding="utf-8")

    def read(folder):  # the card as a list of config names, one a line after the front matter
        return [line for line in (folder / "README.md").read_text(encoding="utf-8").splitlines()[2:]], [], [], None

    def merge(old, cards):  # slow: the other build reads the card meanwhile, unless the merge is locked
        time.sleep(0.5)
        return [*old, *cards]

    monkeypatch.setattr(export_module, "_read_card", read)
    monkeypatch.setattr(export_module, "merge_cards", merge)
    monkeypatch.setattr(export_module, "render_card", lambda repo, merged, **kw: "---\n---\n" + "".join(
        f"{name}\n" for name in merged))
    threads = [threading.Thread(target=export_module.write_card, args=(out, "org/name", [name]),
                                kwargs={"lock_root": tmp_path / cache}) for name, cache in (("a", "c1"), ("b", "c2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(read(out)[0]) == ["a", "b"]


def _card_and_rows(out):
    """The card's record of europarl-ner.de (sentences, signature) and the rows of the Parquet files its glob
    matches (number, signatures), read apart."""
    import glob

    import pyarrow as pa
    import pyarrow.parquet as pq
    import yaml

    front = yaml.safe_load((out / "README.md").read_text(encoding="utf-8").split("---", 2)[1])
    record = front["silver_ner"]["europarl-ner.de"]
    (pattern,) = [f["path"] for c in front["configs"] if c["config_name"] == "europarl-ner.de" for f in c["data_files"]]
    table = pa.concat_tables([pq.read_table(f) for f in sorted(glob.glob(str(out / pattern)))])
    return ((record["metrics"]["test"]["sentences"], record["signature"]),
            (table.num_rows, sorted(set(table.column("signature").to_pylist()))))


def _outcomes_by_limit(tmp_path, *limits):
    """Real built outcomes of europarl-ner.de at each limit (built once, before the export under test)."""
    from builders.export import BuildTask

    task = BuildTask(method={"aligner": "fastalign.v1"}, cache_dir=str(tmp_path / "ds"),
                     silver_cache_dir=str(tmp_path / "silver"))  # fmt: skip
    out = {}
    for limit in limits:
        task.method["limit"] = limit
        out[limit] = task("europarl-ner.de")
        assert out[limit].error == ""
    return out


def test_two_builds_of_one_config_into_one_folder_leave_a_card_that_describes_the_files(tmp_path, monkeypatch):
    """Found in review: the Parquet files were written outside the card's lock, so of two builds of one config with
    different --limit into one folder, build A wrote its files, B replaced them and wrote its card, and A then wrote
    its card: the card said 3 sentences and A's signature over B's 5 rows. Build A pauses after writing its files
    until B is done (at most 3 s: with the lock, B cannot write before A is done)."""
    import threading

    import builders.export as export_module

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    built = _outcomes_by_limit(tmp_path, 3, 5)
    monkeypatch.setattr(export_module, "_outcomes",
                        lambda task, names, executor, report: iter([built[task.method["limit"]]]))  # fmt: skip
    a_wrote, b_done = threading.Event(), threading.Event()
    write = export_module._write_config

    def slow_write(out, outcome):
        write(out, outcome)
        if threading.current_thread().name == "A":
            a_wrote.set()
            b_done.wait(3)

    monkeypatch.setattr(export_module, "_write_config", slow_write)
    out = tmp_path / "out"

    def build(limit):
        export_module.export(["europarl-ner.de"], out, aligner="fastalign.v1", limit=limit, progress=False)
        if limit == 5:
            b_done.set()

    a = threading.Thread(target=build, args=(3,), name="A")
    b = threading.Thread(target=build, args=(5,), name="B")
    a.start()
    assert a_wrote.wait(60)
    b.start()
    a.join()
    b.join()
    (sentences, signature), (rows, row_signatures) = _card_and_rows(out)
    assert (sentences, rows) == (5, 5)  # B came last: its files and its card
    assert row_signatures == [signature] == [built[5].card.signature]


def test_a_build_stopped_while_writing_its_files_leaves_the_card_and_the_files_of_one_build(tmp_path, monkeypatch):
    """Found in review: a SIGTERM (or Ctrl-C) after a rebuild had written its Parquet files but before the card left
    the new 5 rows under the old card's 3 sentences and signature. The signal is now held until both are written."""
    import signal

    import builders.export as export_module

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    built = _outcomes_by_limit(tmp_path, 3, 5)
    monkeypatch.setattr(export_module, "_outcomes",
                        lambda task, names, executor, report: iter([built[task.method["limit"]]]))  # fmt: skip
    out = tmp_path / "out"
    export_module.export(["europarl-ner.de"], out, aligner="fastalign.v1", limit=3, progress=False)
    write = export_module._write_config

    def write_then_terminated(out, outcome):
        write(out, outcome)
        os.kill(os.getpid(), signal.SIGTERM)

    class Terminated(Exception):
        pass

    def on_term(signum, frame):
        raise Terminated

    monkeypatch.setattr(export_module, "_write_config", write_then_terminated)
    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        try:
            export_module.export(["europarl-ner.de"], out, aligner="fastalign.v1", limit=5, progress=False)
        except Terminated:
            pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    (sentences, signature), (rows, row_signatures) = _card_and_rows(out)
    assert (sentences, rows) == (5, 5)
    assert row_signatures == [signature] == [built[5].card.signature]


def test_a_rebuild_that_cannot_write_its_files_leaves_the_old_files_and_card_as_they_were(tmp_path, monkeypatch):
    """Found in review: the stale shards were removed before the new ones were written, so a rebuild whose second
    file met a full disk left one new shard (and none of the old four) under the old card. Every new file is now
    written and fsynced before any old one is replaced or removed."""
    import errno

    import builders.export as export_module

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    monkeypatch.setattr(export_module, "ROWS_PER_FILE", 2)
    built = _outcomes_by_limit(tmp_path, 7, 3)  # 4 shards, then 2
    assert [len(built[7].files), len(built[3].files)] == [4, 2]
    monkeypatch.setattr(export_module, "_outcomes",
                        lambda task, names, executor, report: iter([built[task.method["limit"]]]))  # fmt: skip
    out = tmp_path / "out"
    export_module.export(["europarl-ner.de"], out, aligner="fastalign.v1", limit=7, progress=False)
    before = {p.name: p.read_bytes() for p in (out / "europarl-ner.de").iterdir()}, (out / "README.md").read_bytes()
    real_fsync, calls = os.fsync, []

    def full_disk_on_the_second_file(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(export_module.os, "fsync", full_disk_on_the_second_file)
    result = export_module.export(["europarl-ner.de"], out, aligner="fastalign.v1", limit=3, progress=False)
    monkeypatch.setattr(export_module.os, "fsync", real_fsync)
    assert [name for name, _ in result.failed] == ["europarl-ner.de"]
    assert "No space left on device" in result.failed[0][1]
    after = {p.name: p.read_bytes() for p in (out / "europarl-ner.de").iterdir()}, (out / "README.md").read_bytes()
    assert after == before  # the four old shards, no temporary file, and the old card
    assert _card_and_rows(out)[0][0] == _card_and_rows(out)[1][0] == 7


def test_an_export_folder_whose_name_is_not_utf8_gets_its_files_and_card(tmp_path, monkeypatch):
    """Found in review: ``build --out`` into a folder whose name is not UTF-8 (legal on Linux) built every config,
    then failed at the card's lock, whose name hashed the folder's path as UTF-8 text ("'utf-8' codec can't encode
    character '\\udcff'", no path named); ``--data-dir`` such a folder failed so before any work."""
    import pyarrow.parquet as pq

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    data = tmp_path / os.fsdecode(b"data-\xff")
    shutil.copytree(DATA / "europarl-identical", data)
    out = tmp_path / os.fsdecode(b"out-\xff")
    result = export(["europarl-ner.de"], out, data_dir=str(data), aligner="fastalign.v1",
                    cache_dir=str(tmp_path / "ds"), progress=False)  # fmt: skip
    assert result.failed == ()
    assert result.files == ("README.md", "europarl-ner.de/test-00000-of-00001.parquet")
    assert (out / "README.md").read_text(encoding="utf-8").startswith("---")
    with open(out / "europarl-ner.de" / "test-00000-of-00001.parquet", "rb") as fh:  # pyarrow takes no such path
        table = pq.read_table(fh)
    gold = conll_rows(DATA / "europarl-identical" / "de-europarl.test.conll02")
    assert table.column("tokens").to_pylist() == [tokens for tokens, _ in gold]


def test_each_config_is_committed_as_soon_as_it_is_built_and_its_bytes_are_not_kept(tmp_path, monkeypatch):
    """Found in review: the driver held every config's Parquet bytes until the last config was built, and nothing
    reached the export folder before then (a driver killed late in a long job left no file). Now the first config's
    files and card record are in the folder while the second config builds, and the result keeps no bytes."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "europarl-identical", data)
    shutil.copy(data / "de-europarl.test.conll02", data / "es-europarl.test.conll02")
    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    out = tmp_path / "out"
    seen = []

    def report(event):
        if event.config == "europarl-ner.es" and event.state == "running" and not seen:
            card = (out / "README.md").read_text(encoding="utf-8") if (out / "README.md").exists() else ""
            seen.append((sorted(p.name for p in (out / "europarl-ner.de").glob("*.parquet")),
                         "config_name: europarl-ner.de" in card, "config_name: europarl-ner.es" in card))  # fmt: skip

    result = export(["europarl-ner.de", "europarl-ner.es"], out, data_dir=str(data), cache_dir=str(tmp_path / "ds"),
                    aligner="fastalign.v1", progress=report)  # fmt: skip
    assert result.failed == ()
    assert seen == [(["test-00000-of-00001.parquet"], True, False)]
    assert [f.data for o in result.outcomes for f in o.files] == [None, None]
    assert result.files == ("README.md", "europarl-ner.de/test-00000-of-00001.parquet",
                            "europarl-ner.es/test-00000-of-00001.parquet")  # fmt: skip
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "config_name: europarl-ner.de" in card and "config_name: europarl-ner.es" in card


_KILLED_WHILE_EXPORTING = """
import os, signal, sys
import datasets
from builders.export import export

write = datasets.Dataset.to_parquet

def write_then_killed(self, *args, **kwargs):
    write(self, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

datasets.Dataset.to_parquet = write_then_killed
export(["europarl-ner.de"], sys.argv[1], aligner="fastalign.v1", limit=5, progress=False, cache_dir=sys.argv[2],
       silver_cache_dir=sys.argv[3])
"""


def test_a_build_killed_while_it_writes_the_parquet_leaves_no_copy_in_the_temporary_folder(tmp_path):
    """Found in review: each config's Parquet files are written into a temporary folder first, which was a
    ``TemporaryDirectory`` of its own (``/tmp/silver-ner-export-*``): a build killed there (SIGKILL; SIGTERM too, whose
    default action skips every ``finally``) left it, with a whole copy of the files, and no later run swept it. It is
    now in the process's scratch directory, which the next run sweeps once its process has ended."""
    import subprocess
    import sys

    from projection.tmp import sweep_stale

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", _KILLED_WHILE_EXPORTING, str(tmp_path / "out"), str(tmp_path / "ds"),
                           str(tmp_path / "silver")], env=env, capture_output=True, timeout=300)  # fmt: skip
    assert done.returncode == -9, done.stderr.decode()
    assert not (tmp_path / "out" / "README.md").exists()
    sweep_stale(temporary)  # what the next run's first scratch directory does
    assert list(temporary.iterdir()) == []


def test_a_chunk_file_deleted_after_its_run_fails_the_build_naming_the_file_and_what_to_do(tmp_path, monkeypatch):
    """Found in review: what ``_generate_examples`` raised reached the build's report wrapped by ``datasets``, as
    "DatasetGenerationError: An error occurred while generating the dataset" alone: a chunk file deleted after its run
    (a cache cleaned meanwhile) was never named, nor that building again computes it again."""
    import builders.silver_ner as silver_ner

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver"))
    run_split = silver_ner.SilverNER._run_split
    deleted = []

    def then_deleted(self, split):
        files = run_split(self, split)
        os.unlink(files[1])
        deleted.append(files[1])
        return files

    monkeypatch.setattr(silver_ner.SilverNER, "_run_split", then_deleted)
    result = export(["europarl-ner.de"], tmp_path / "out", data_dir=str(DATA / "europarl-identical"),
                    cache_dir=str(tmp_path / "ds"), aligner="fastalign.v1", chunk_size=2, progress=False)  # fmt: skip
    ((name, reason),) = result.failed
    assert name == "europarl-ner.de" and deleted
    assert reason.startswith(f"RuntimeError: {deleted[0]}: the chunk file cannot be read since its run wrote it ")
    assert reason.endswith("build again (its chunk is computed again)")
