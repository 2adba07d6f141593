"""Root test configuration: everything runs offline, with a throw-away cache directory per session."""

from __future__ import annotations

import os
import tempfile

import pytest

_OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def pytest_configure(config) -> None:
    # Set before any test module imports huggingface_hub / datasets / transformers (they read these once).
    os.environ.update(_OFFLINE)
    cache = tempfile.mkdtemp(prefix="silver-ner-test-cache-")
    os.environ["SILVER_NER_CACHE"] = cache
    config._silver_ner_cache = cache  # type: ignore[attr-defined]


def pytest_unconfigure(config) -> None:
    import shutil

    cache = getattr(config, "_silver_ner_cache", None)
    if cache:
        shutil.rmtree(cache, ignore_errors=True)



@pytest.fixture()
def ctrl_c_as_in_a_terminal():
    """Ctrl-C (SIGINT) raising ``KeyboardInterrupt`` in this process for the test, then as it was: a test run started in
    the background by a non-interactive shell (``nohup … &``, some CI runners) inherits SIGINT ignored, and the library
    rightly leaves an ignored signal alone."""
    import signal

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
