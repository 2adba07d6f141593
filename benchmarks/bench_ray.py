"""Scale out: ``silver-ner build``'s job on the local executor (configs one after the other) vs on a local Ray
instance (one task per config), same machine, same run, interleaved (needs ../shared/data; not a test).

    nice -n 19 python benchmarks/bench_ray.py [--runs 3] [--out benchmarks/results/ray.json]

The job: the four parallel-gold configs (Europarl-NER en→de/es/it, 799 sentences each, and UNER-PUD en→de,
1,000 sentences), each built twice with different method options (A: fastalign.v1 defaults, greedy
matcher; B: fastalign.v1 stem=5, exact matcher), so 8 config builds, each training its aligner on the whole
split plus NTREX-128. Every run starts from empty caches (no alignment or chunk is reused) and the Ray run
includes starting and stopping Ray. Each run checks that both executors wrote the same files byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builders.export import export  # noqa: E402
from projection.executors import LocalExecutor  # noqa: E402
from projection.executors.ray import RayExecutor  # noqa: E402

SHARED = Path(os.environ.get("SILVER_NER_SHARED", Path(__file__).resolve().parents[2] / "shared" / "data"))
CONFIGS = ["europarl-ner.de", "europarl-ner.es", "europarl-ner.it", "uner-pud.de"]
METHODS = {
    "A": dict(aligner="fastalign.v1"),
    "B": dict(aligner="fastalign.v1", aligner_options={"stem": 5}, matcher="exact"),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def job(executor, tmp: Path) -> tuple[float, dict[str, bytes], list[str]]:
    """Both method sets over the four configs on ``executor``; seconds, files written, failures."""
    os.environ["SILVER_NER_CACHE"] = str(tmp / "cache")  # workers inherit it (and get it via runtime_env)
    start = time.perf_counter()
    files: dict[str, bytes] = {}
    failed: list[str] = []
    try:
        for label, method in METHODS.items():
            out = tmp / f"out-{label}"
            result = export(CONFIGS, out, data_dir=str(SHARED), cache_dir=str(tmp / "ds"),
                            silver_cache_dir=str(tmp / "cache"), progress=False, executor=executor,
                            **method)  # fmt: skip
            failed += [f"{label}:{name}: {why}" for name, why in result.failed]
            files.update({f"{label}/{k}": v for k, v in _files(out).items()})
    finally:
        if hasattr(executor, "close"):
            executor.close()
    return time.perf_counter() - start, files, failed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--out", default="benchmarks/results/ray.json")
    args = p.parse_args()
    if not (SHARED / "uner-pud").is_dir():
        raise SystemExit(f"{SHARED}/uner-pud not found; set SILVER_NER_SHARED to the shared data folder")
    import datasets

    datasets.disable_progress_bars()
    seconds: dict[str, list[float]] = {"local": [], "ray": []}
    identical = []
    described = {}
    for run in range(args.runs):
        outputs = {}
        for name in ("local", "ray"):
            executor = LocalExecutor(1) if name == "local" else RayExecutor(num_cpus=2)
            with tempfile.TemporaryDirectory(prefix=f"bench-ray-{name}-") as tmp:
                s, files, failed = job(executor, Path(tmp))
            if failed:
                raise SystemExit(f"{name}: configs failed: {failed}")
            described[name] = executor.describe()
            seconds[name].append(s)
            outputs[name] = files
            print(f"run {run + 1}/{args.runs} {described[name]:>22}: {s:6.1f} s, {len(files)} files", flush=True)
        identical.append(outputs["local"] == outputs["ray"])
    med = {k: statistics.median(v) for k, v in seconds.items()}
    result = {
        "configs": CONFIGS,
        "methods": {k: {kk: (dict(vv) if isinstance(vv, dict) else vv) for kk, vv in v.items()} for k, v in METHODS.items()},
        "builds_per_job": len(CONFIGS) * len(METHODS),
        "executors": described,
        "seconds": seconds,
        "median_seconds": med,
        "speedup_ray_vs_local": med["local"] / med["ray"],
        "identical_files_every_run": all(identical),
        "files_per_job": len(outputs["local"]),
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
    }
    print()
    print("| executor | job seconds (median) | runs | speed-up |")
    print("|---|---|---|---|")
    for name in ("local", "ray"):
        ratio = med["local"] / med[name]
        print(f"| {described[name]} | {med[name]:.1f} | {', '.join(f'{x:.1f}' for x in seconds[name])} | {ratio:.2f}x |")
    print(f"\nidentical files in every run: {all(identical)}; load average at the end: {os.getloadavg()}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if all(identical) else 1


if __name__ == "__main__":
    sys.exit(main())
