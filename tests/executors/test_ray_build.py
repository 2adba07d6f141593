"""``silver-ner build`` on Ray against the local executor: same files byte for byte, a failing config reported
by name while the others are written, and a killed build that resumes from its chunk checkpoints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cards.render import split_front_matter  # noqa: E402
from projection.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EUROPARL = ["europarl-ner.de", "europarl-ner.es", "europarl-ner.it"]
from tests.executors.ray_tasks import TEST_CHUNK_SIZE  # noqa: E402

LIMIT = "60"  # 6 chunks of ray_tasks.TEST_CHUNK_SIZE per config


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(tmp: Path, name: str, executor: str | None, *configs: str) -> list[str]:
    where = ["--executor", executor] if executor else []
    return ["build", "--configs", *configs, "--aligner", "fastalign.v1", "--limit", LIMIT, "--out", str(tmp / name),
            *where, "--cache-dir", str(tmp / f"{name}-ds"), "--silver-cache", str(tmp / f"{name}-cache"),
            "--chunk-size", str(TEST_CHUNK_SIZE), "--quiet"]  # fmt: skip


@pytest.fixture(scope="module")
def local_export(tmp_path_factory):
    """The three Europarl configs plus uner-pud.de (no --data-dir: it fails) built by the local executor."""
    tmp = tmp_path_factory.mktemp("local")
    code = main(_build(tmp, "A", "local", *EUROPARL, "uner-pud.de"))
    return code, tmp / "A"


def test_ray_writes_the_same_files_as_local_and_reports_the_failed_config(ray_cluster, local_export, tmp_path,
                                                                          capsys):  # fmt: skip
    code_a, out_a = local_export
    capsys.readouterr()
    code_b = main(_build(tmp_path, "B", "ray", *EUROPARL, "uner-pud.de"))
    captured = capsys.readouterr()
    assert (code_a, code_b) == (1, 1)
    a, b = _files(out_a), _files(tmp_path / "B")
    assert sorted(a) == ["README.md", *(f"{c}/test-00000-of-00001.parquet" for c in EUROPARL)]
    assert a == b  # byte for byte
    assert "built 3 of 4 config(s) on ray (local, 2 CPUs)" in captured.out
    assert captured.err.strip().splitlines() == [
        (
            "silver-ner: config uner-pud.de failed: FileNotFoundError: uner-pud needs data_dir (silver-ner build "
            "--data-dir DIR): a folder with en_pud-ud-test.iob2 and de_pud-ud-test.iob2 from "
            "github.com/UniversalNER/UNER_English-PUD and UNER_German-PUD"
        )
    ]
    meta, _ = split_front_matter(a["README.md"].decode())
    assert [c["config_name"] for c in meta["configs"]] == EUROPARL
    assert all(meta["silver_ner"][c]["metrics"]["test"]["sentences"] == 60 for c in EUROPARL)


def test_a_killed_build_resumes_from_its_checkpoints_with_the_same_bytes(ray_cluster, local_export, tmp_path,
                                                                         capsys):  # fmt: skip
    marker = tmp_path / "killed"
    argv = _build(tmp_path, "C", None, "europarl-ner.de")[1:]  # the script adds build, ray and the address
    killed = subprocess.run(
        [sys.executable, "-m", "tests.executors.killed_build", ray_cluster, str(marker), *argv],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert marker.read_text() == "3 chunks checkpointed\n"
    assert not (tmp_path / "C" / "europarl-ner.de").exists()  # nothing exported by the killed run

    capsys.readouterr()
    assert main(_build(tmp_path, "C", "ray", "europarl-ner.de")) == 0
    out = capsys.readouterr().out
    assert "europarl-ner.de: 1 file(s), 3 chunk(s) run, 3 reused from the checkpoints" in out
    _, out_a = local_export
    rel = "europarl-ner.de/test-00000-of-00001.parquet"
    assert (tmp_path / "C" / rel).read_bytes() == (out_a / rel).read_bytes()
    card_a, _ = split_front_matter((out_a / "README.md").read_text(encoding="utf-8"))
    card_c, _ = split_front_matter((tmp_path / "C" / "README.md").read_text(encoding="utf-8"))
    assert card_c["silver_ner"]["europarl-ner.de"] == card_a["silver_ner"]["europarl-ner.de"]
