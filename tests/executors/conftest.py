"""One local Ray instance (2 CPUs, listening on 127.0.0.1 only) for every test of this folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # Ray workers import tests.executors.ray_tasks from the repository root
    sys.path.insert(0, str(ROOT))

os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # the local instance listens on 127.0.0.1 only
import ray


@pytest.fixture(scope="session")
def ray_cluster():
    """The address of a local Ray instance started for these tests (shut down at the end)."""
    if ray.is_initialized():  # pragma: no cover - another suite left one running
        ray.shutdown()
    env = {k: os.environ[k] for k in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE") if k in os.environ}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)  # for the hook
    ray.init(
        num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=100 * 1024 * 1024,
        runtime_env={"env_vars": env},
    )  # fmt: skip
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
