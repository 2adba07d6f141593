"""Publish to a local Hub (tests/hub/fake_hub.py) through the real huggingface_hub client, read back with datasets.

Two levels: the real HfApi + load_dataset on a hand-made Parquet export (verifies the fake Hub speaks the
protocol the clients use), and `push.py` end to end (export + publish of europarl-ner.de, then .es).
The expected tokens and gold tags come from the embedded Europarl-NER CoNLL files, not from the code under test.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.hub

REPO = "org/silver"
#: CoNLL-2003 IOB2 labels in the Hub NER datasets' order
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
PUBLISH_KINDS = {"repo_create", "preupload", "lfs_batch", "lfs_put", "commit"}
READ_KINDS = {"repo_info", "tree", "resolve"}
N = 12  # the first 12 sentences hold PER, ORG, LOC and MISC in de and es

#: `<repo> <start> <end> <path>...`: per path, a line with paths-info's size and LFS sha256 (or "-") and the
#: hex of bytes [start, end) read with HfFileSystem
FS_SCRIPT = r"""
import sys
from huggingface_hub import HfApi, HfFileSystem
repo_id, start, end, paths = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
infos = HfApi().get_paths_info(repo_id, [*paths, "no/such/file"], repo_type="dataset", expand=True)
for path, info in zip(paths, infos):
    chunk = HfFileSystem().cat_file(f"datasets/{repo_id}/{path}", start=start, end=end)
    print(info.path, info.size, info.lfs.sha256 if info.lfs else "-", chunk.hex())
"""


def card_configs(readme: bytes) -> list[str]:
    text = readme.decode("utf-8")
    if not text.startswith("---\n"):
        raise AssertionError(f"the card has no YAML front matter: {text[:80]!r}")
    return [c["config_name"] for c in yaml.safe_load(text.split("---\n", 2)[1])["configs"]]


def decoded(split: dict, column: str) -> list[list[str]]:
    names = split["label_names"][column]
    return [[names[i] for i in row] for row in split["columns"][column]]


def test_fake_hub_round_trip_with_the_real_client(fake_hub, clients, hand_export, europarl_gold):
    de = hand_export("de", N)
    first = clients.upload(de, REPO, "Add europarl-ner.de")
    assert first.returncode == 0, first.stderr
    state = fake_hub.state(REPO)
    assert first.stdout.strip() == state.head
    assert state.titles == ("initial commit", "Add europarl-ner.de")
    parquet = "europarl-ner.de/test-00000-of-00001.parquet"
    assert state.file(parquet) == (de / parquet).read_bytes()
    assert PUBLISH_KINDS <= fake_hub.kinds_used()

    # a second config whose card lists both; the first config's files stay as they were
    es = hand_export("es", N, card_configs=["europarl-ner.de", "europarl-ner.es"])
    second = clients.upload(es, REPO, "Add europarl-ner.es")
    assert second.returncode == 0, second.stderr
    after = fake_hub.state(REPO)
    assert after.history[:2] == state.history and len(after.history) == 3
    assert after.file(parquet) == state.file(parquet)
    assert card_configs(after.file("README.md")) == ["europarl-ner.de", "europarl-ner.es"]

    loaded = clients.load(REPO, ["europarl-ner.de", "europarl-ner.es"])
    for lang in ("de", "es"):
        split = loaded[f"europarl-ner.{lang}"]["test"]
        gold = europarl_gold(lang, N)
        assert split["label_names"] == {"ner_tags": LABELS, "silver_ner_tags": LABELS}
        assert split["columns"]["tokens"] == [list(tokens) for tokens, _ in gold]
        assert decoded(split, "ner_tags") == [list(tags) for _, tags in gold]
        no_misc = [["O" if t.endswith("MISC") else t for t in tags] for _, tags in gold]
        assert decoded(split, "silver_ner_tags") == no_misc
    assert READ_KINDS | {"cdn"} <= fake_hub.kinds_used()

    # paths-info and ranged reads (HfFileSystem) of a regular and an LFS file
    result = clients.python(["-c", FS_SCRIPT, REPO, "4", "20", "README.md", parquet])
    assert result.returncode == 0, result.stderr
    readme, lfs = (es / "README.md").read_bytes(), (de / parquet).read_bytes()
    assert result.stdout.split() == [
        "README.md", str(len(readme)), "-", readme[4:20].hex(),
        parquet, str(len(lfs)), hashlib.sha256(lfs).hexdigest(), lfs[4:20].hex(),
    ]  # fmt: skip
    ranged = {(r.kind, r.path.rsplit("/", 1)[-1]) for r in fake_hub.requests if r.status == 206}
    assert ranged == {("resolve", "README.md"), ("cdn", hashlib.sha256(lfs).hexdigest())}
    assert "paths_info" in fake_hub.kinds_used()
    assert fake_hub.unhandled == []


def push(clients, lang: str, export_dir: Path, limit: int):
    args = ["push.py", "--configs", f"europarl-ner.{lang}", "--repo-id", REPO, "--export-dir", str(export_dir)]
    return clients.python([*args, "--aligner", "fastalign.v1", "--limit", str(limit)], timeout=300)


def is_iob2(tags: list[str]) -> bool:
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True


@pytest.mark.slow  # two builds + publishes and a load in subprocesses: ~20 s
def test_push_publishes_and_load_dataset_reads_it_back(fake_hub, clients, europarl_gold, tmp_path):
    import pyarrow.parquet as pq

    limit = 15
    first = push(clients, "de", tmp_path / "export-de", limit)
    assert first.returncode == 0, first.stderr[-3000:]
    assert PUBLISH_KINDS <= fake_hub.kinds_used()
    de_state = fake_hub.state(REPO)
    parquet = "europarl-ner.de/test-00000-of-00001.parquet"
    assert de_state.file(parquet) == (tmp_path / "export-de" / parquet).read_bytes()
    assert card_configs(de_state.file("README.md")) == ["europarl-ner.de"]

    # the second publish comes from another export folder: the Hub card is what keeps europarl-ner.de listed
    second = push(clients, "es", tmp_path / "export-es", limit)
    assert second.returncode == 0, second.stderr[-3000:]
    state = fake_hub.state(REPO)
    assert state.history[:-1] == de_state.history  # one new commit on top of the first publish
    assert state.file(parquet) == de_state.file(parquet)
    assert sorted(card_configs(state.file("README.md"))) == ["europarl-ner.de", "europarl-ner.es"]

    loaded = clients.load(REPO, ["europarl-ner.de", "europarl-ner.es"])
    english = europarl_gold("en", limit)
    for lang in ("de", "es"):
        split = loaded[f"europarl-ner.{lang}"]["test"]
        gold = europarl_gold(lang, limit)
        for column in ("ner_tags", "silver_ner_tags", "source_ner_tags"):
            assert split["label_names"][column] == LABELS
        assert split["columns"]["tokens"] == [list(tokens) for tokens, _ in gold]
        assert decoded(split, "ner_tags") == [list(tags) for _, tags in gold]
        assert split["columns"]["source_tokens"] == [list(tokens) for tokens, _ in english]
        assert decoded(split, "source_ner_tags") == [list(tags) for _, tags in english]
        silver = decoded(split, "silver_ner_tags")
        assert all(is_iob2(tags) and len(tags) == len(tokens) for tags, (tokens, _) in zip(silver, gold))
        assert any(tag != "O" for tags in silver for tag in tags)  # something was projected
        local = pq.read_table(tmp_path / f"export-{lang}" / f"europarl-ner.{lang}" / "test-00000-of-00001.parquet")
        assert split["columns"]["silver_ner_tags"] == local.column("silver_ner_tags").to_pylist()
    assert READ_KINDS <= fake_hub.kinds_used()
    assert fake_hub.unhandled == []
