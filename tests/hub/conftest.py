"""Fixtures for the Hub integration tests: a fake Hub on 127.0.0.1 and clients run in subprocesses.

`huggingface_hub` reads `HF_ENDPOINT`, `HF_HUB_OFFLINE` and `HF_HUB_DISABLE_XET` into module constants at
import time, and other test folders run offline; so every client (push.py, HfApi, load_dataset) runs in a
fresh subprocess whose environment points at the fake Hub, with its own HF_HOME / datasets cache and the
dummy token `hf_test`. The pytest process itself never goes online.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
if str(HERE) not in sys.path:  # so that `import fake_hub` works under any pytest import mode
    sys.path.insert(0, str(HERE))

from fake_hub import FakeHub

TOKEN = "hf_test"
_DROP = ("HF_", "HUGGINGFACE_", "TRANSFORMERS_OFFLINE", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")

#: client run in a subprocess: `LOAD_SCRIPT <repo_id> <out.json> <config>...` loads each config from the Hub
#: with `datasets.load_dataset` and writes, per config and split, the columns and every ClassLabel's names.
LOAD_SCRIPT = r"""
import json, sys
import datasets
repo_id, out, configs = sys.argv[1], sys.argv[2], sys.argv[3:]
result = {}
for config in configs:
    loaded = datasets.load_dataset(repo_id, config)
    result[config] = {}
    for split, ds in loaded.items():
        names = {}
        for column, feature in ds.features.items():
            inner = getattr(feature, "feature", feature)
            if isinstance(inner, datasets.ClassLabel):
                names[column] = inner.names
        result[config][split] = {"columns": ds.to_dict(), "label_names": names}
with open(out, "w", encoding="utf-8") as f:
    json.dump(result, f)
"""

#: `UPLOAD_SCRIPT <folder> <repo_id> <message>`: create the dataset repo (exist_ok) and commit every file of
#: the folder with the real HfApi; prints the commit id; a Hub error -> one line on stderr and exit 2.
UPLOAD_SCRIPT = r"""
import pathlib, sys
from huggingface_hub import CommitOperationAdd, HfApi
folder, repo_id, message = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
api = HfApi()
api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
ops = [CommitOperationAdd(p.relative_to(folder).as_posix(), str(p)) for p in sorted(folder.rglob("*")) if p.is_file()]
try:
    info = api.create_commit(repo_id, ops, commit_message=message, repo_type="dataset")
except Exception as err:
    print(f"{type(err).__name__}: {' '.join(str(err).split())}", file=sys.stderr)
    sys.exit(2)
print(info.oid)
"""


@pytest.fixture
def fake_hub():
    hub = FakeHub()
    try:
        yield hub
    finally:
        hub.close()


@pytest.fixture
def hub_env(fake_hub: FakeHub, tmp_path: Path) -> dict[str, str]:
    """The environment of a client subprocess: online, pointed at the fake Hub, caches under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(_DROP)}
    env.update(
        HF_ENDPOINT=fake_hub.endpoint,
        HF_HUB_DISABLE_XET="1",
        HF_HUB_OFFLINE="0",
        HF_DATASETS_OFFLINE="0",
        HF_TOKEN=TOKEN,
        HF_HOME=str(tmp_path / "hf_home"),
        HF_DATASETS_CACHE=str(tmp_path / "hf_datasets"),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        HF_DATASETS_DISABLE_PROGRESS_BARS="1",
        SILVER_NER_CACHE=str(tmp_path / "silver_ner_cache"),
        XDG_CACHE_HOME=str(tmp_path / "xdg_cache"),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p),
    )
    return env


@dataclass(frozen=True)
class Clients:
    """Runs the Hub clients in subprocesses with the fake Hub's environment."""

    env: dict[str, str]
    tmp: Path

    def python(self, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        """`python <args>` in the repository root; stdout/stderr captured as text."""
        return subprocess.run(
            [sys.executable, *args],
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def upload(self, folder: Path, repo_id: str, message: str) -> subprocess.CompletedProcess:
        return self.python(["-c", UPLOAD_SCRIPT, str(folder), repo_id, message])

    def load(self, repo_id: str, configs: list[str]) -> dict:
        """`{config: {split: {"columns": {...}, "label_names": {column: [...]}}}}` as load_dataset reads it."""
        out = self.tmp / f"loaded-{len(list(self.tmp.glob('loaded-*')))}.json"
        result = self.python(["-c", LOAD_SCRIPT, repo_id, str(out), *configs])
        if result.returncode != 0:
            raise AssertionError(f"load_dataset failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def clients(hub_env: dict[str, str], tmp_path: Path) -> Clients:
    return Clients(hub_env, tmp_path)


#: the CoNLL-2003 IOB2 label set in the order of the Hub's NER datasets (O, then B-/I- per PER ORG LOC MISC)
CONLL_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def _europarl_gold(lang: str, n: int) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    from projection.io.conll import read_conll

    corpus = read_conll(REPO_ROOT / "projection" / "data" / "europarl" / f"{lang}.conll")
    return [(s.tokens, s.tags) for s in corpus.sentences[:n]]


@pytest.fixture
def europarl_gold():
    """`gold(lang, n)`: (tokens, gold IOB2 tags) of the first n sentences of the embedded Europarl-NER file."""
    return _europarl_gold


def _card(configs: list[str], split: str) -> str:
    import yaml

    label = {"class_label": {"names": {str(i): name for i, name in enumerate(CONLL_LABELS)}}}
    features = [
        {"name": "id", "dtype": "string"},
        {"name": "tokens", "list": "string"},
        {"name": "ner_tags", "list": label},
        {"name": "silver_ner_tags", "list": label},
    ]
    meta = {
        "configs": [{"config_name": c, "data_files": [{"split": split, "path": f"{c}/{split}-*"}]} for c in configs],
        "dataset_info": [{"config_name": c, "features": features} for c in configs],
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n# Hand-made export for the fake Hub tests\n"


@pytest.fixture
def hand_export(tmp_path: Path):
    """`make(lang, n, card_configs) -> folder`: a push-style export of `europarl-ner.<lang>` made by hand.

    Rows are the first n gold sentences; `silver_ner_tags` is the gold with MISC turned into O (so the two
    tag columns differ); the card lists `card_configs` (default: this config) and the features.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    def make(lang: str, n: int, card_configs: list[str] | None = None, split: str = "test") -> Path:
        config = f"europarl-ner.{lang}"
        folder = tmp_path / f"export-{lang}"
        (folder / config).mkdir(parents=True)
        rows = _europarl_gold(lang, n)
        ids = {name: i for i, name in enumerate(CONLL_LABELS)}
        table = pa.table(
            {
                "id": [str(i) for i in range(len(rows))],
                "tokens": [list(tokens) for tokens, _ in rows],
                "ner_tags": [[ids[t] for t in tags] for _, tags in rows],
                "silver_ner_tags": [[ids["O" if t.endswith("MISC") else t] for t in tags] for _, tags in rows],
            }
        )
        pq.write_table(table, folder / config / f"{split}-00000-of-00001.parquet")
        (folder / "README.md").write_text(_card(card_configs or [config], split), encoding="utf-8")
        return folder

    return make
