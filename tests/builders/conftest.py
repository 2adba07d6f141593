"""Builder tests: offline, fresh datasets / alignment / work caches per test, no progress bars."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()


@dataclass(frozen=True)
class Caches:
    root: Path

    def datasets(self, name: str = "ds") -> str:
        return str(self.root / name)

    @property
    def alignments(self) -> str:
        return str(self.root / "alignments")

    @property
    def work(self) -> str:
        return str(self.root / "work")


@pytest.fixture
def caches(tmp_path: Path) -> Caches:
    return Caches(tmp_path)
