"""Tiny random-weight models, built once per session (no download), and an offline Hugging Face setup."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

DATA = Path(__file__).parents[1] / "data" / "neural"


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path_factory):
    """Every test here runs as on a machine without the Hub."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    import tiny_models as tm
    import torch

    # tiny tensors: a thread pool only adds contention (20 ms per layer norm on a busy 2-core machine)
    torch.set_num_threads(1)

    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "mt": tm.build_mt(root / "mt"),
        "ner": tm.build_ner(root / "ner"),
        "ner_per": tm.build_ner(root / "ner-per", favour="I-PER"),
        "enc": tm.build_encoder(root / "enc"),
    }


@pytest.fixture()
def data_dir() -> Path:
    return DATA
