"""push.py: export folder, reload with load_dataset, merge-on-publish against an in-memory fake api, CLI errors.

(The round trip through a local Hub server lives in tests/hub.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import datasets
import pytest
import yaml
from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.hf_api import CommitInfo, DatasetInfo  # noqa: E402

import push  # noqa: E402
from cards.render import ConfigCard, render_card, split_front_matter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
N = 20


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "silver-cache"))
    datasets.disable_progress_bars()


def _gold(lang: str, n: int) -> list[list[str]]:
    """Tokens of the first n sentences of the embedded Europarl-NER file, read by plain splitting."""
    blocks = (ROOT / "projection" / "data" / "europarl" / f"{lang}.conll").read_text(encoding="utf-8").split("\n\n")
    return [[line.split("\t")[0] for line in b.splitlines()] for b in blocks if b.strip()][:n]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    result = push.export(
        ["europarl-ner.de"], tmp / "out", aligner="fastalign.v1", limit=N, cache_dir=str(tmp / "ds"),
        alignment_cache_dir=str(tmp / "al"), progress=False,
    )  # fmt: skip
    return result


def test_export_layout_and_reload_keeps_classlabel_names(exported, tmp_path):
    out = exported.export_dir
    assert exported.files == ("README.md", "europarl-ner.de/test-00000-of-00001.parquet")
    assert (out / "europarl-ner.de" / "test-00000-of-00001.parquet").is_file()
    loaded = datasets.load_dataset(str(out), "europarl-ner.de", cache_dir=str(tmp_path / "reload"))
    test = loaded["test"]
    for column in ("ner_tags", "silver_ner_tags", "source_ner_tags"):
        assert test.features[column].feature.names == LABELS
    assert test["tokens"] == _gold("de", N) and test["source_tokens"] == _gold("en", N)
    meta, body = split_front_matter((out / "README.md").read_text(encoding="utf-8"))
    assert [c["config_name"] for c in meta["configs"]] == ["europarl-ner.de"]
    assert meta["license"] == "other" and "europarl-ner.de" in meta["silver_ner"]
    assert "fastalign.v1" in meta["silver_ner"]["europarl-ner.de"]["signature"]


def test_parquet_schema_alone_carries_the_classlabels(exported):
    import pyarrow.parquet as pq

    path = exported.export_dir / "europarl-ner.de" / "test-00000-of-00001.parquet"
    features = datasets.Features.from_arrow_schema(pq.read_schema(path))
    assert features["silver_ner_tags"].feature.names == LABELS


@dataclass
class Commit:
    """What the fake Hub received in one ``create_commit``."""

    ops: list
    message: str
    parent: str | None


class FakeApi(HfApi):
    """The real ``HfApi`` with the calls ``push.publish`` makes answered in memory, with the real return types: one
    dataset repo with files and a head sha, and the commits it receives (no network: the endpoint is closed)."""

    def __init__(self, tmp: Path = Path("."), files: dict[str, bytes] | None = None, sha: str = "a" * 40,
                 reject: Exception | None = None) -> None:  # fmt: skip
        super().__init__(endpoint="http://127.0.0.1:9", token=False)
        self.tmp, self.files, self.sha, self.reject = tmp, dict(files or {}), sha, reject
        self.commits: list[Commit] = []

    def repo_info(self, repo_id, *, repo_type=None, token=None, **kwargs):
        return DatasetInfo(id=repo_id, sha=self.sha, private=False, downloads=0, likes=0, tags=[],
                           siblings=[{"rfilename": f} for f in sorted(self.files)])  # fmt: skip

    def list_repo_files(self, repo_id, *, repo_type=None, revision=None, token=None, **kwargs):
        assert revision == self.sha
        return sorted(self.files)

    def create_repo(self, *a, **k):  # pragma: no cover - the repo exists in these tests
        raise AssertionError("repo exists")

    def hf_hub_download(self, repo_id, filename, *, repo_type=None, revision=None, token=None, **kwargs):
        assert revision == self.sha
        path = self.tmp / "download" / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.files[filename])
        return str(path)

    def create_commit(self, repo_id, operations, *, commit_message, repo_type=None, token=None, parent_commit=None,
                      **kwargs):  # fmt: skip
        if self.reject is not None:
            raise self.reject
        self.commits.append(Commit(list(operations), commit_message, parent_commit))
        oid = "b" * 40
        return CommitInfo(commit_url=f"https://huggingface.co/datasets/{repo_id}/commit/{oid}",
                          commit_message=commit_message, commit_description="", oid=oid)  # fmt: skip


def _existing_card() -> str:
    it = ConfigCard(
        name="europarl-ner.it", kind="parallel-gold", languages=("en", "it"), license="other", source_datasets=(),
        signature="old-it", metrics={}, data_files={"test": "europarl-ner.it/test-*.parquet"},
    )  # fmt: skip
    handmade = {"config_name": "handmade", "data_files": [{"split": "train", "path": "handmade/*.parquet"}]}
    return render_card("org/silver", [it], foreign_configs=[handmade])


def test_publish_merges_the_card_and_touches_only_the_exported_config(exported, tmp_path):
    api = FakeApi(tmp=tmp_path)
    api.files = {
        "README.md": _existing_card().encode(),
        "europarl-ner.it/test-00000-of-00001.parquet": b"it",
        "europarl-ner.de/test-00000-of-00002.parquet": b"stale",
        "europarl-ner.de/test-00001-of-00002.parquet": b"stale",
        "handmade/x.parquet": b"x",
    }
    push.publish(exported.export_dir, "org/silver", api=api)
    (commit,) = api.commits
    assert commit.parent == api.sha
    adds = {op.path_in_repo: op for op in commit.ops if type(op).__name__ == "CommitOperationAdd"}
    deletes = sorted(op.path_in_repo for op in commit.ops if type(op).__name__ == "CommitOperationDelete")
    assert sorted(adds) == ["README.md", "europarl-ner.de/test-00000-of-00001.parquet"]
    assert deletes == ["europarl-ner.de/test-00000-of-00002.parquet", "europarl-ner.de/test-00001-of-00002.parquet"]
    meta, _ = split_front_matter(adds["README.md"].path_or_fileobj.decode())
    assert [c["config_name"] for c in meta["configs"]] == ["europarl-ner.de", "europarl-ner.it", "handmade"]
    assert meta["silver_ner"]["europarl-ner.it"]["signature"] == "old-it"


def test_publish_checks_its_inputs(tmp_path):
    with pytest.raises(FileNotFoundError, match="export"):
        push.publish(tmp_path, "org/silver", api=FakeApi(tmp=tmp_path))


def test_cli_errors_are_one_line_with_exit_code_2(capsys, tmp_path, monkeypatch, exported):
    assert push.main(["--configs", "wikiann.de", "--dry-run", "--export-dir", str(tmp_path / "e")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("push.py: error: unknown config 'wikiann.de'") and "\n" not in err
    assert not (tmp_path / "e").exists()
    assert push.main(["--configs", "europarl-ner.de"]) == 2
    assert "--repo-id" in capsys.readouterr().err
    # found in review: an empty --repo-id was taken as none, and the card said ORG/NAME
    assert push.main(["--configs", "europarl-ner.de", "--dry-run", "--repo-id", ""]) == 2
    assert capsys.readouterr().err == "push.py: error: repo id must look like ORG/NAME, got ''\n"
    assert push.main(["--configs", "europarl-ner.de", "--dry-run", "--aligner-option", "stem"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err

    import importlib.util

    from huggingface_hub.errors import HfHubHTTPError

    # the HTTP client huggingface_hub is built on (httpx2 in this huggingface_hub, httpx in older ones)
    http = importlib.import_module("httpx2" if importlib.util.find_spec("httpx2") else "httpx")

    def rejected(*a, **k):  # the Hub refusing the commit: a real error with its response, as the client raises it
        request = http.Request("POST", "https://huggingface.co/api/datasets/org/silver/commit/main")
        raise HfHubHTTPError("403 Forbidden: commit rejected\n(details)", response=http.Response(403, request=request))

    monkeypatch.setattr(push, "export", lambda *a, **k: exported)
    monkeypatch.setattr(push, "publish", rejected)
    monkeypatch.setattr(push, "_api", lambda token: FakeApi(tmp=tmp_path))  # the Hub is reachable
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # publishing is faked: no Hub is reached
    assert push.main(["--configs", "europarl-ner.de", "--repo-id", "org/silver"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("push.py: error: 403 Forbidden: commit rejected (details)")


def test_cli_dry_run_writes_the_export_folder(tmp_path, capsys, caplog):
    argv = ["--configs", "europarl-ner.es", "--dry-run", "--export-dir", str(tmp_path / "e"), "--aligner",
            "fastalign.v1", "--limit", "5", "--cache-dir", str(tmp_path / "ds"), "--matcher", "exact"]  # fmt: skip
    import logging

    with caplog.at_level(logging.INFO, logger="silver_ner.build"):
        assert push.main(argv) == 0
    # the build's progress, as silver-ner build shows it (off a terminal: log lines; noted in review: push.py
    # showed none)
    assert [r.getMessage() for r in caplog.records if r.name == "silver_ner.build"] == [
        "[0/1 configs] europarl-ner.es: running, chunks 0/1",
        "[0/1 configs] europarl-ner.es: running, chunks 1/1",
        "[1/1 configs] europarl-ner.es: done, chunks 1/1",
    ]
    meta, _ = split_front_matter((tmp_path / "e" / "README.md").read_text(encoding="utf-8"))
    assert "match:exact" in meta["silver_ner"]["europarl-ner.es"]["signature"]
    assert meta["silver_ner"]["europarl-ner.es"]["metrics"]["test"]["sentences"] == 5
    assert (tmp_path / "e" / "europarl-ner.es" / "test-00000-of-00001.parquet").is_file()


def test_push_publishes_only_the_configs_it_built(tmp_path, monkeypatch):
    """Found in review: the export folder's card keeps configs of earlier runs (a --dry-run trial), and publish
    sent them all. push.py now publishes what it built; ``publish`` alone still takes the whole folder."""
    common = ["--export-dir", str(tmp_path / "e"), "--aligner", "fastalign.v1", "--cache-dir", str(tmp_path / "ds")]
    assert push.main(["--configs", "europarl-ner.de", "--dry-run", "--limit", "5", *common]) == 0
    api = FakeApi(tmp=tmp_path)
    monkeypatch.setattr(push, "_api", lambda token: api)  # the real publish, against the fake Hub
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # publishing is faked: no Hub is reached
    assert push.main(["--configs", "europarl-ner.es", "--limit", "6", "--repo-id", "org/silver", *common]) == 0
    (commit,) = api.commits
    assert sorted(op.path_in_repo for op in commit.ops) == ["README.md", "europarl-ner.es/test-00000-of-00001.parquet"]
    meta, _ = split_front_matter(commit.ops[0].path_or_fileobj.decode())
    assert list(meta["silver_ner"]) == ["europarl-ner.es"]
    assert commit.message == "Add silver NER configs: europarl-ner.es"
    # the folder's card still lists both, and publish without a selection sends both
    everything = FakeApi(tmp=tmp_path / "b")
    push.publish(tmp_path / "e", "org/silver", api=everything)
    assert sorted(op.path_in_repo for op in everything.commits[0].ops) == [
        "README.md", "europarl-ner.de/test-00000-of-00001.parquet", "europarl-ner.es/test-00000-of-00001.parquet"]
    with pytest.raises(ValueError, match="does not list europarl-ner.it; export them first"):
        push.publish(tmp_path / "e", "org/silver", api=FakeApi(tmp=tmp_path / "c"), configs=["europarl-ner.it"])


def test_a_card_that_does_not_parse_is_named_before_any_build(tmp_path, capsys):
    """Found in review: a hand-edited card with broken YAML let the whole build run and replace the Parquet, then
    failed with a yaml traceback naming no file."""
    out = tmp_path / "e"
    out.mkdir()
    (out / "README.md").write_text("---\nconfigs: [a, b\n---\n", encoding="utf-8")
    argv = ["--configs", "europarl-ner.de", "--dry-run", "--limit", "5", "--export-dir", str(out), "--aligner",
            "fastalign.v1", "--cache-dir", str(tmp_path / "ds")]  # fmt: skip
    assert push.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"push.py: error: {out / 'README.md'}: the YAML front matter does not parse") and "\n" not in err
    assert sorted(p.name for p in out.iterdir()) == ["README.md"]  # nothing built or written
    api = FakeApi(tmp=tmp_path, files={"README.md": b"---\nconfigs: [a\n---\n"})
    (out / "README.md").unlink()
    assert push.main([*argv[:-6], "--export-dir", str(tmp_path / "f"), "--aligner", "fastalign.v1", "--cache-dir",
                      str(tmp_path / "ds")]) == 0  # fmt: skip
    with pytest.raises(ValueError, match="org/silver:README.md: the YAML front matter does not parse"):
        push.publish(tmp_path / "f", "org/silver", api=api)


def test_a_same_named_config_without_a_silver_ner_record_is_replaced_not_duplicated(exported, tmp_path):
    """A Hub card written by ``push_to_hub`` (no ``silver_ner`` section) for the config being published: the card
    keeps one entry per config name, the new one; a duplicate let ``datasets`` read the old entry (the last wins)."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    old = (
        "---\nconfigs:\n- config_name: europarl-ner.de\n  data_files:\n  - split: train\n    path: europarl-ner.de/train-*\n"
        "dataset_info:\n  config_name: europarl-ner.de\n  features:\n  - name: tokens\n    list: string\n  splits:\n"
        "  - name: train\n    num_bytes: 10\n    num_examples: 1\n---\n"
    )  # fmt: skip
    api = FakeApi(tmp=tmp_path, files={"README.md": old.encode(), "europarl-ner.de/train-00000-of-00001.parquet": b"x"})
    push.publish(exported.export_dir, "org/silver", api=api)
    (commit,) = api.commits
    (readme,) = [op for op in commit.ops if op.path_in_repo == "README.md"]
    meta, _ = split_front_matter(readme.path_or_fileobj.decode())
    assert [c["config_name"] for c in meta["configs"]] == ["europarl-ner.de"]
    assert [d["config_name"] for d in meta["dataset_info"]] == ["europarl-ner.de"]
    card = DatasetCardData(**meta)
    assert MetadataConfigs.from_dataset_card_data(card)["europarl-ner.de"]["data_files"] == [
        {"split": "test", "path": "europarl-ner.de/test-*.parquet"}
    ]
    assert list(DatasetInfosDict.from_dataset_card_data(card)["europarl-ner.de"].splits) == ["test"]


def test_card_dataset_info_sizes_are_those_datasets_recorded(tmp_path):
    """``dataset_info`` as ``push_to_hub`` writes it: a split's ``num_bytes`` is the Arrow size ``datasets`` recorded
    when it prepared the split (it was 0), ``download_size`` the Parquet bytes, ``dataset_size`` the sum of the
    splits' ``num_bytes``."""
    import json

    result = push.export(["europarl-ner.de"], tmp_path / "out", aligner="fastalign.v1", limit=5,
                         cache_dir=str(tmp_path / "ds"), progress=False)  # fmt: skip
    (recorded,) = (tmp_path / "ds").rglob("dataset_info.json")
    split = json.loads(recorded.read_text(encoding="utf-8"))["splits"]["test"]
    assert split["num_bytes"] > 0 and split["num_examples"] == 5
    meta, _ = split_front_matter((result.export_dir / "README.md").read_text(encoding="utf-8"))
    (info,) = meta["dataset_info"]
    assert info["splits"] == [{"name": "test", "num_bytes": split["num_bytes"], "num_examples": 5}]
    path = result.export_dir / "europarl-ner.de" / "test-00000-of-00001.parquet"
    assert info["download_size"] == path.stat().st_size
    assert info["dataset_size"] == split["num_bytes"]


def test_publish_refuses_to_replace_a_hub_readme_that_is_no_dataset_card(exported, tmp_path):
    """As for a local export folder: a README.md on the Hub without YAML front matter (someone's own text) is not
    silently replaced by the card; nothing is committed."""
    api = FakeApi(tmp=tmp_path, files={"README.md": b"# Our corpus\n\nWritten by hand.\n"})
    with pytest.raises(ValueError) as info:
        push.publish(exported.export_dir, "org/silver", api=api)
    assert str(info.value) == ("org/silver:README.md is not a dataset card (it has no YAML front matter) and "
                               "publishing would replace it; add the front matter or move the text, then publish again")
    assert api.commits == []


def test_a_cards_own_settings_survive_publishing_and_exporting_again(exported, tmp_path):
    """Noted in review: a card written again dropped every top-level key the renderer does not make (the Hub's
    ``viewer``, a gated repo's ``extra_gated_prompt``) and ``default: true`` on one of our configs; they are kept."""
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    local = (exported.export_dir / "README.md").read_text(encoding="utf-8")
    meta, body = split_front_matter(local)
    meta["configs"][0]["default"] = True
    remote = "---\n" + yaml.safe_dump({**meta, "viewer": False, "extra_gated_prompt": "Agree to the terms."},
                                      sort_keys=False) + "---\n" + body  # fmt: skip
    api = FakeApi(tmp=tmp_path, files={"README.md": remote.encode()})
    push.publish(exported.export_dir, "org/silver", api=api)
    (commit,) = api.commits
    (readme,) = [op for op in commit.ops if op.path_in_repo == "README.md"]
    got, _ = split_front_matter(readme.path_or_fileobj.decode())
    assert (got["viewer"], got["extra_gated_prompt"]) == (False, "Agree to the terms.")
    assert got["configs"] == [{"config_name": "europarl-ner.de", "default": True,
                               "data_files": [{"split": "test", "path": "europarl-ner.de/test-*.parquet"}]}]  # fmt: skip
    assert MetadataConfigs.from_dataset_card_data(DatasetCardData(**got)).get_default_config_name() == "europarl-ner.de"
    assert list(got)[-2:] == ["viewer", "extra_gated_prompt"]  # after the keys the card makes
    # exporting into the folder again keeps what its card holds (on a copy: the export is the module's)
    import shutil

    from builders.export import write_card
    from cards.render import records_from_card

    folder = Path(shutil.copytree(exported.export_dir, tmp_path / "again"))
    (folder / "README.md").write_text(remote, encoding="utf-8")
    cards, _, _ = records_from_card(remote)
    write_card(folder, "org/silver", cards)
    again, _ = split_front_matter((folder / "README.md").read_text(encoding="utf-8"))
    assert (again["viewer"], again["configs"][0]["default"]) == (False, True)


def _write_one_card(folder: str, card, barrier) -> None:
    from builders.export import write_card

    barrier.wait()  # every writer starts at once
    write_card(Path(folder), "org/silver", [card])


def test_builds_that_write_one_card_at_once_keep_every_config(exported, tmp_path):
    """Found in review: write_card read, merged and wrote the card unlocked; three writers at once each merged into
    the same old card and the last one dropped the others' configs (40 of 40 trials)."""
    import dataclasses
    import multiprocessing

    from cards.render import records_from_card

    (card,) = records_from_card((exported.export_dir / "README.md").read_text(encoding="utf-8"))[0]
    cards = [dataclasses.replace(card, name=f"europarl-ner.x{k}", data_files={"test": f"europarl-ner.x{k}/test-*.parquet"})
             for k in range(3)]  # fmt: skip
    ctx = multiprocessing.get_context("fork")
    for trial in range(5):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        barrier = ctx.Barrier(len(cards))
        procs = [ctx.Process(target=_write_one_card, args=(str(folder), c, barrier)) for c in cards]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0]
        got = records_from_card((folder / "README.md").read_text(encoding="utf-8"))[0]
        assert sorted(c.name for c in got) == [c.name for c in cards]
        assert sorted(p.name for p in folder.iterdir()) == ["README.md"]  # the lock lives in the cache


def test_a_config_whose_files_cannot_be_written_fails_alone(exported, tmp_path):
    """Found in review: a folder where one config's Parquet file goes stopped the whole export with exit 2 after
    every build had run; the next config's files and the card were not written."""
    out = tmp_path / "out"
    (out / "europarl-ner.de" / "test-00000-of-00001.parquet").mkdir(parents=True)
    result = push.export(
        ["europarl-ner.de", "europarl-ner.es"], out, aligner="fastalign.v1", limit=N, cache_dir=str(tmp_path / "ds"),
        alignment_cache_dir=str(tmp_path / "al"), progress=False,
    )  # fmt: skip
    ((name, reason),) = result.failed
    assert name == "europarl-ner.de" and reason.startswith(f"writing its files into {out / 'europarl-ner.de'}: ")
    assert [c.name for c in result.configs] == ["europarl-ner.es"]
    assert (out / "europarl-ner.es" / "test-00000-of-00001.parquet").is_file()
    meta, _ = split_front_matter((out / "README.md").read_text(encoding="utf-8"))
    assert [c["config_name"] for c in meta["configs"]] == ["europarl-ner.es"]


def _http():
    import importlib
    import importlib.util

    return importlib.import_module("httpx2" if importlib.util.find_spec("httpx2") else "httpx")


class _Unreachable(FakeApi):
    """The Hub cannot be reached: the client's transport error (no HTTP status, not an OSError)."""

    def repo_info(self, repo_id, **kwargs):
        http = _http()
        raise http.ConnectError("[Errno 111] Connection refused")


def _lfs_upload_failed():
    """What huggingface_hub raises when an LFS upload (storage PUT or verify) is refused: a bare RuntimeError whose
    cause is the HTTP error."""
    from huggingface_hub.errors import HfHubHTTPError

    http = _http()
    request = http.Request("PUT", "https://storage.example/lfs-upload/abc")
    try:
        raise HfHubHTTPError("403 Forbidden: upload refused", response=http.Response(403, request=request))
    except HfHubHTTPError as cause:
        try:
            raise RuntimeError("Error while uploading 'europarl-ner.de/test-00000-of-00001.parquet' to the Hub.") from cause
        except RuntimeError as err:
            return err


@pytest.mark.parametrize("case", ["unreachable", "lfs upload refused"])
def test_network_and_upload_failures_are_one_line_with_exit_code_2(case, capsys, tmp_path, monkeypatch, exported):
    """Found in review: a Hub that cannot be reached (a transport error, no HTTP status) and a refused LFS upload
    (huggingface_hub's bare RuntimeError) ended push.py with a traceback and exit code 1 (that of a failed config)."""
    if case == "unreachable":  # found before the build (found in review: it was found after every config was built)
        api = _Unreachable(tmp=tmp_path)
        expected = ("push.py: error: cannot reach http://127.0.0.1:9 to read org/silver (ConnectError: [Errno 111] "
                    "Connection refused); nothing was built or published: check the network (or HF_ENDPOINT), or pass "
                    "--dry-run to only export")
    else:
        api = FakeApi(tmp=tmp_path, reject=_lfs_upload_failed())
        expected = ("push.py: error: Error while uploading 'europarl-ner.de/test-00000-of-00001.parquet' to the Hub. "
                    "(HfHubHTTPError: 403 Forbidden: upload refused); nothing was committed to org/silver: publish again")
    built = []
    monkeypatch.setattr(push, "export", lambda *a, **k: built.append(1) or exported)
    monkeypatch.setattr(push, "_api", lambda token: api)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # publishing is faked: no Hub is reached
    assert push.main(["--configs", "europarl-ner.de", "--repo-id", "org/silver"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines()[-1] == expected and "Traceback" not in err
    assert api.commits == [] and built == ([] if case == "unreachable" else [1])
    if case == "unreachable":  # the Hub lost between the check and the publish: publish says so itself
        with pytest.raises(ConnectionError) as err:
            push.publish(exported.export_dir, "org/silver", api=api, configs=["europarl-ner.de"])
        assert str(err.value) == ("cannot reach http://127.0.0.1:9 to read org/silver (ConnectError: [Errno 111] "
                                  "Connection refused); nothing was published: check the network (or HF_ENDPOINT) "
                                  "and publish again")


def test_a_first_publish_keeps_the_export_cards_own_settings(exported, tmp_path):
    """Found in review: the export folder's card keeps a key the renderer does not make (``viewer``) and a config's
    ``default: true`` when a build writes it again, but publishing into a repo that has no card yet rendered the
    Hub's card without them: the first publish dropped what the card that push.py --dry-run wrote said."""
    import shutil

    folder = Path(shutil.copytree(exported.export_dir, tmp_path / "edited"))
    meta, body = split_front_matter((folder / "README.md").read_text(encoding="utf-8"))
    meta["configs"][0]["default"] = True
    meta["viewer"] = False
    (folder / "README.md").write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + body,
                                      encoding="utf-8")  # fmt: skip
    api = FakeApi(tmp=tmp_path, files={".gitattributes": b""})
    push.publish(folder, "org/silver", api=api)
    (commit,) = api.commits
    (readme,) = [op for op in commit.ops if op.path_in_repo == "README.md"]
    got, _ = split_front_matter(readme.path_or_fileobj.decode())
    assert got["viewer"] is False
    assert got["configs"] == [{"config_name": "europarl-ner.de", "default": True,
                               "data_files": [{"split": "test", "path": "europarl-ner.de/test-*.parquet"}]}]  # fmt: skip


def test_reachable_names_a_refusal_not_the_network():
    """A 403 from the Hub (a token without read access) is a refusal, not an unreachable Hub (found in review: the
    pre-flight check said 'cannot reach … check the network')."""
    from unittest import mock

    from huggingface_hub.errors import HfHubHTTPError

    import push

    class Api:
        endpoint = "https://huggingface.co"

        def repo_info(self, *args, **kwargs):
            raise HfHubHTTPError("403 Forbidden: no read access", response=mock.MagicMock(status_code=403, headers={}))

    with pytest.raises(PermissionError) as info:
        push._reachable("org/name", "hf_x", Api())
    assert "refused to read org/name" in str(info.value) and "check the token" in str(info.value)
    assert "network" not in str(info.value)
