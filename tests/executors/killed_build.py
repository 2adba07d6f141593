"""``python -m tests.executors.killed_build RAY_ADDRESS MARKER BUILD-ARGS…``: ``silver-ner build`` on the Ray
cluster at RAY_ADDRESS whose workers kill this driver after the third chunk checkpoint (see ``ray_tasks``)."""

from __future__ import annotations

import os
import sys

import projection.cli.build as build_cli
from projection.cli import main

address, marker, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
make_executor = build_cli.make_executor


def killing_executor(args):
    executor = make_executor(args)
    executor.runtime_env = {
        "worker_process_setup_hook": "tests.executors.ray_tasks.kill_driver_on_third_chunk",
        "env_vars": {"SILVER_NER_TEST_DRIVER": str(os.getpid()), "SILVER_NER_TEST_MARKER": marker,
                     "PYTHONPATH": os.getcwd()},
    }
    return executor


build_cli.make_executor = killing_executor
sys.exit(main(["build", *argv, "--executor", "ray", "--ray-address", address]))
