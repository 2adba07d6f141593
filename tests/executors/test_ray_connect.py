"""RayExecutor.connect: a Ctrl-C during Ray's start-up takes effect once Ray is up, so closing shuts it down."""

from __future__ import annotations

import signal

import pytest
import ray

from projection.executors.ray import RayExecutor


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_a_ctrl_c_during_ray_start_up_waits_for_it_so_that_close_shuts_ray_down(monkeypatch):
    """Review of 0.4.x: a Ctrl-C inside ``ray.init`` could stop it between its forks (CPython's logging lock left held:
    a hung display) and left ``_started`` false, so ``close`` did not shut Ray down. ``ray.init`` stands for itself
    here by sending the Ctrl-C and recording that it ran to its end (no instance is started)."""
    calls = []

    def init(**kwargs) -> None:
        signal.raise_signal(signal.SIGINT)
        calls.append(kwargs["num_cpus"])  # the start-up went on to its end

    shutdowns = []
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", init)
    monkeypatch.setattr(ray, "shutdown", lambda: shutdowns.append(True))
    ex = RayExecutor(num_cpus=1)
    with pytest.raises(KeyboardInterrupt):
        ex.connect()
    assert calls == [1]
    ex.close()
    assert shutdowns == [True]


def test_a_sigterm_that_rays_own_handler_takes_during_start_up_still_shuts_ray_down(monkeypatch):
    """Found in review: ``ray.init`` installs its own SIGTERM handler first (it calls ``sys.exit``), which takes the
    signal from the held ones; the start-up then ended by ``SystemExit`` with nothing to shut down what it had started."""
    import sys

    shutdowns = []

    def init(**kwargs) -> None:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(signum))  # what Ray's start-up does first
        signal.raise_signal(signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", init)
    monkeypatch.setattr(ray, "shutdown", lambda: shutdowns.append(True))
    try:
        with pytest.raises(SystemExit):
            RayExecutor(num_cpus=1).connect()
    finally:
        signal.signal(signal.SIGTERM, before)
    assert shutdowns == [True]


def test_without_an_address_a_local_instance_starts_even_where_ray_address_is_set(tmp_path):
    """Found in review: ``--executor ray`` without ``--ray-address`` (documented: start a local instance) joined the
    cluster named by ``RAY_ADDRESS`` (set for a Ray job's driver, often on cluster nodes), where Ray refused the
    local instance's ``num_cpus``: 'When connecting to an existing cluster, num_cpus and num_gpus must not be
    provided', options the user never gave. Run in a process of its own (this session may hold a Ray connection)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("from projection.executors.ray import RayExecutor\n"
            "import ray\n"
            "with RayExecutor(num_cpus=1) as ex:\n"
            "    ex.connect()\n"
            "    print(ex.describe(), int(ray.cluster_resources()['CPU']))\n")  # fmt: skip
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "RAY_ADDRESS": "127.0.0.1:1", "PYTHONPATH": str(root),
           "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "ray (local, 1 CPUs) 1"
