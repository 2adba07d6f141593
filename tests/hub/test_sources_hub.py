"""Gold datasets read from a local Hub that serves them as they are published (no --data-dir).

- ``masakhane/masakhaner2``: a loading script on main; Parquet only on ``refs/convert/parquet``
  (``<lang>/<split>/0000.parquet``, features metadata as the parquet-converter writes it);
- ``eriktks/conll2003``: a loading script on main; the converter's older layout
  ``conll2003/conll2003-<split>.parquet`` with no features metadata (the known label list applies);
- ``google/xtreme``: Parquet on main (``PAN-X.<lang>/<split>-00000-of-00001.parquet``), no script.

The rows are the fixture sentences of tests/data/neural (see tests/data/NOTICE); the expected tokens and tags
are read from those CoNLL files, and the expected revisions are the fake Hub's commit ids.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from projection.io.sources import HUB_LABELS, load_sentences  # noqa: E402

pytestmark = pytest.mark.hub

DATA = Path(__file__).parents[1] / "data" / "neural"
CONVERT = "refs/convert/parquet"

#: `<dataset> <lang> <split> <out.json>`: load_source from the Hub; a failure -> "Type: message" on stderr, exit 3
LOAD = r"""
import json, sys
from projection.io.sources import load_source
try:
    d = load_source(sys.argv[1], sys.argv[2], sys.argv[3], limit=int(sys.argv[5]) if len(sys.argv) > 5 else None)
except Exception as err:
    print(f"{type(err).__name__}: {err}", file=sys.stderr)
    sys.exit(3)
rows = [[list(s.tokens), list(s.tags)] for s in d.sentences]
json.dump({"rows": rows, "origin": d.origin, "revision": d.revision, "content": d.content}, open(sys.argv[4], "w"))
"""


def _gold(dataset: str, lang: str, split: str, data_dir: str) -> list[list[list[str]]]:
    sentences = load_sentences(dataset, lang, split, data_dir=str(DATA / data_dir))
    return [[list(s.tokens), list(s.tags)] for s in sentences]


def _parquet(rows: list[list[list[str]]], names: tuple[str, ...], *, metadata: bool) -> bytes:
    """Rows as the parquet-converter writes them: id, tokens, ner_tags as ClassLabel ids (+ features metadata)."""
    ids = {n: i for i, n in enumerate(names)}
    columns = {"id": [str(k) for k in range(len(rows))], "tokens": [t for t, _ in rows],
               "ner_tags": [[ids[x] for x in tags] for _, tags in rows]}
    buf = io.BytesIO()
    if metadata:
        import datasets

        features = datasets.Features({"id": datasets.Value("string"),
                                      "tokens": datasets.List(datasets.Value("string")),
                                      "ner_tags": datasets.List(datasets.ClassLabel(names=list(names)))})
        datasets.Dataset.from_dict(columns, features=features).to_parquet(buf)
    else:
        pq.write_table(pa.table(columns), buf)
    return buf.getvalue()


SCRIPT = b"import datasets\n# a loading script: datasets >= 4 refuses to run it\n"


@pytest.fixture
def published(fake_hub) -> dict[str, str]:
    """Seed the three repos; returns the commit id each source must be read from."""
    swa = _gold("masakhaner2", "swa", "test", "masakhaner2")
    fake_hub.seed("masakhane/masakhaner2", {"masakhaner2.py": SCRIPT, "README.md": b"# MasakhaNER 2.0\n"}, "script")
    mas = fake_hub.seed_branch("masakhane/masakhaner2", CONVERT, {
        "swa/test/0000.parquet": _parquet(swa, HUB_LABELS["masakhaner2"], metadata=True),
        "swa/train/0000.parquet": _parquet(swa[:1], HUB_LABELS["masakhaner2"], metadata=True),
        "yor/test/0000.parquet": _parquet(swa[1:2], HUB_LABELS["masakhaner2"], metadata=True),
    }, "Update parquet files")
    conll = _gold("conll2003", "en", "train", "conll2003")
    fake_hub.seed("eriktks/conll2003", {"conll2003.py": SCRIPT, "README.md": b"# CoNLL-2003\n"}, "script")
    con = fake_hub.seed_branch("eriktks/conll2003", CONVERT, {
        "conll2003/conll2003-test.parquet": _parquet(conll[2:], HUB_LABELS["conll2003"], metadata=False),
        "conll2003/conll2003-train.parquet": _parquet(conll, HUB_LABELS["conll2003"], metadata=False),
    }, "Update parquet files")
    de = _gold("xtreme", "de", "dev", "xtreme")
    xtr = fake_hub.seed("google/xtreme", {
        "PAN-X.de/validation-00000-of-00001.parquet": _parquet(de, HUB_LABELS["xtreme"], metadata=True),
        "PAN-X.de/test-00000-of-00001.parquet": _parquet(de[:1], HUB_LABELS["xtreme"], metadata=True),
        "README.md": b"# XTREME\n",
    }, "Convert dataset to Parquet").head
    return {"masakhaner2": mas, "conll2003": con, "xtreme": xtr}


def _load(clients, dataset: str, lang: str, split: str, limit: int | None = None) -> dict:
    out = clients.tmp / f"source-{dataset}-{lang}-{split}.json"
    result = clients.python(["-c", LOAD, dataset, lang, split, str(out), *([str(limit)] if limit else [])])
    if result.returncode != 0:
        raise AssertionError(f"load_source failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def test_script_main_masakhaner2_reads_the_convert_branch(published, clients):
    got = _load(clients, "masakhaner2", "swa", "test")
    assert got["rows"] == _gold("masakhaner2", "swa", "test", "masakhaner2")
    assert got["revision"] == published["masakhaner2"]
    assert got["origin"] == f"hf://datasets/masakhane/masakhaner2@{published['masakhaner2']}/swa/test/0000.parquet"


def test_script_main_conll2003_reads_the_convert_branch_older_layout(published, clients):
    got = _load(clients, "conll2003", "en", "test")
    assert got["rows"] == _gold("conll2003", "en", "train", "conll2003")[2:]
    assert got["revision"] == published["conll2003"]
    assert got["origin"].endswith("/conll2003/conll2003-test.parquet")


def test_parquet_main_xtreme_without_script_reads_main_and_maps_dev(published, clients):
    got = _load(clients, "xtreme", "de", "dev")
    assert got["rows"] == _gold("xtreme", "de", "dev", "xtreme")
    assert got["revision"] == published["xtreme"]
    assert "/PAN-X.de/validation-00000-of-00001.parquet" in got["origin"]


def test_convert_branch_is_read_offline_from_the_cache(published, clients):
    online = _load(clients, "masakhaner2", "swa", "test")
    clients.env.update(HF_HUB_OFFLINE="1", HF_ENDPOINT="http://127.0.0.1:9")  # nothing listens on port 9
    offline = _load(clients, "masakhaner2", "swa", "test")
    assert offline == online


def test_a_limited_read_caches_the_whole_split_for_a_later_offline_read(fake_hub, clients):
    """Found in review: with ``limit`` the reading stopped downloading at the first file that filled it, and a
    later offline read listed the cached snapshot, half the split, as the whole split of the same commit."""
    swa = _gold("masakhaner2", "swa", "test", "masakhaner2")
    fake_hub.seed("masakhane/masakhaner2", {"masakhaner2.py": SCRIPT}, "script")
    fake_hub.seed_branch("masakhane/masakhaner2", CONVERT, {
        "swa/test/0000.parquet": _parquet(swa[:2], HUB_LABELS["masakhaner2"], metadata=True),
        "swa/test/0001.parquet": _parquet(swa[2:], HUB_LABELS["masakhaner2"], metadata=True),
    }, "Update parquet files")  # fmt: skip
    limited = _load(clients, "masakhaner2", "swa", "test", limit=1)
    assert limited["rows"] == swa[:1]
    clients.env.update(HF_HUB_OFFLINE="1", HF_ENDPOINT="http://127.0.0.1:9")  # nothing listens on port 9
    offline = _load(clients, "masakhaner2", "swa", "test")
    assert offline["rows"] == swa and offline["origin"].endswith("/swa/test/0000.parquet,swa/test/0001.parquet")


def test_hub_tokens_are_read_as_a_conll_file_reads_them(fake_hub, clients):
    """Found in review: a Parquet token with whitespace around it (``" "``, ``"x "``) was kept as it was, where the
    same row read from a file with --data-dir is stripped (an empty token becomes ``_``); a silver output holding
    it could not be written."""
    rows = [[["Kati", " ", "Dar ", "\tes", ""], ["B-LOC", "O", "B-LOC", "I-LOC", "O"]]]
    fake_hub.seed("masakhane/masakhaner2", {"masakhaner2.py": SCRIPT}, "script")
    fake_hub.seed_branch("masakhane/masakhaner2", CONVERT, {
        "swa/test/0000.parquet": _parquet(rows, HUB_LABELS["masakhaner2"], metadata=True)}, "Update parquet files")
    got = _load(clients, "masakhaner2", "swa", "test")
    assert got["rows"] == [[["Kati", "_", "Dar", "es", "_"], ["B-LOC", "O", "B-LOC", "I-LOC", "O"]]]


def test_script_without_convert_branch_is_one_clear_error(fake_hub, clients):
    fake_hub.seed("masakhane/masakhaner2", {"masakhaner2.py": SCRIPT}, "script only")
    out = clients.python(["-c", LOAD, "masakhaner2", "hau", "test", str(clients.tmp / "x.json")])
    assert out.returncode == 3
    message = out.stderr.strip().splitlines()[-1]
    assert message.startswith("HubSourceError: cannot read masakhane/masakhaner2 config hau split test")
    assert "main (commit " in message and "a loading script" in message
    assert f"{CONVERT}: RevisionNotFoundError" in message
    assert message.endswith("pass --data-dir DIR (the file DIR/hau/test.txt)")


def test_convert_branch_without_the_config_names_the_configs_found(published, clients):
    out = clients.python(["-c", LOAD, "masakhaner2", "hau", "test", str(clients.tmp / "x.json")])
    assert out.returncode == 3
    assert f"{CONVERT} (commit {published['masakhaner2'][:12]}): no Parquet for hau/test; Parquet configs " \
           "there: swa, yor" in out.stderr


@pytest.mark.neural
def test_translate_test_on_a_script_repo_reads_the_convert_branch(published, clients, tmp_path):
    """`silver-ner translate-test --dataset masakhaner2` with no --data-dir, tiny local models."""
    import torch
    sys.path.insert(0, str(Path(__file__).parents[1] / "neural"))
    import tiny_models as tm

    torch.set_num_threads(1)  # tiny tensors: threads only add contention (here and in the client below)
    clients.env["OMP_NUM_THREADS"] = "1"

    models = {"mt": tm.build_mt(tmp_path / "mt"), "ner": tm.build_ner(tmp_path / "ner"),
              "enc": tm.build_encoder(tmp_path / "enc")}
    out, report = tmp_path / "out.conll", tmp_path / "report.json"
    result = clients.python([
        "-m", "projection", "translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--split", "test",
        "--mt-model", str(models["mt"]), "--ner-model", str(models["ner"]), "--align-model", str(models["enc"]),
        "--align-layer", "2", "--no-progress", "--batch-size", "2", "--cache-dir", str(tmp_path / "cache"),
        "--out", str(out), "--report", str(report),
    ], timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    from projection.io.conll import read_conll

    gold = _gold("masakhaner2", "swa", "test", "masakhaner2")
    assert [list(s.tokens) for s in read_conll(out).sentences] == [tokens for tokens, _ in gold]
    assert json.loads(report.read_text())["sentences"] == 4
