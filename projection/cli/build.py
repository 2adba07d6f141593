"""``silver-ner build``: build configs into the publishable layout (card ``README.md`` + Parquet), on this
machine or on a Ray cluster, same bytes either way.

    silver-ner build --configs europarl-ner.* --aligner fastalign.v1 --out export
    silver-ner build --configs masakhaner2.* --data-dir DATA --out export --executor ray --ray-address auto

Exit codes: 0 every config written; 1 some config failed (one line each, the others are written);
2 bad input (unknown config or option, a config named on its own that its models cannot build), before any work.
A family, glob or ``all`` leaves out the configs its models cannot build (NLLB-200: bbj, pcm), with one note.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from typing import Any, TextIO

from projection.cli.options import add_method_options, check_aligner_shorthands, method_kwargs

logger = logging.getLogger("silver_ner.build")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "build",
        help="build configs (names, families, globs, all) into Parquet + a dataset card",
        description="Build silver NER configs and write README.md + <config>/<split>-*.parquet (what push.py "
        "publishes), locally or on a Ray cluster.",
    )
    p.add_argument("--configs", nargs="+", required=True, metavar="CONFIG",
                   help="names (europarl-ner.de), families (masakhaner2), globs (masakhaner2.*, *.de) or all")
    p.add_argument("--out", required=True, metavar="DIR", help="export folder (configs already there stay in the card)")
    p.add_argument("--data-dir", help="local source data (offline); default: the Hub / package data")
    p.add_argument("--repo-id", help="Hub dataset repo ORG/NAME the card names (default ORG/NAME)")
    add_build_options(p)
    p.add_argument("--quiet", action="store_true", help="no progress display (failures and the summary only)")
    p.set_defaults(run=run)


def add_build_options(p: argparse.ArgumentParser) -> None:
    """The options ``silver-ner build`` and ``push.py`` share: method, models and data, executor, building."""
    add_method_options(p, None)
    m = p.add_argument_group("models and data")
    m.add_argument("--mt-model")
    m.add_argument("--ner-model")
    m.add_argument("--align-model")
    m.add_argument("--back-translation", action="store_true", default=None)
    m.add_argument("--bt-model", help="back-translation model (with --back-translation; default the translation model's)")
    m.add_argument("--bt-tokenizer", help="tokenizer of --bt-model (default its own)")
    m.add_argument("--splits", nargs="+", help="train validation test (default: each config's)")
    m.add_argument("--limit", type=int, help="only the first N sentences per split")
    add_executor_options(p)
    b = p.add_argument_group("building")
    b.add_argument("--num-proc", type=int, help="processes that write the Arrow files (same rows for any value)")
    b.add_argument("--cache-dir", help="datasets cache folder")
    b.add_argument("--chunk-size", type=int, metavar="N",
                   help="sentence pairs per chunk: the unit of parallel work and of checkpoints (default 1000)")
    b.add_argument("--silver-cache", "--alignment-cache-dir", dest="silver_cache", metavar="DIR",
                   help="silver-ner's cache: alignments, translations, finished chunks (what a rerun resumes from; "
                   "on a cluster a shared path); default $SILVER_NER_CACHE, else $XDG_CACHE_HOME/silver-ner or "
                   "~/.cache/silver-ner")


def add_executor_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("where to run (the output is the same)")
    g.add_argument("--executor", choices=("local", "ray"), default="local",
                   help="local (default): configs one after the other here; ray: one Ray task per config, chunks "
                   "fanned out, model stages in actors")  # fmt: skip
    g.add_argument("--ray-address", metavar="ADDR",
                   help="join a running Ray cluster (auto, HOST:6379, ray://HOST:10001); default: start a local one")
    g.add_argument("--jobs", type=int, metavar="N",
                   help="local: processes for the chunks (default 1); ray without --ray-address: CPUs of the local "
                   "instance (default: all cores)")  # fmt: skip
    g.add_argument("--gpus-per-model", type=float, metavar="G",
                   help="ray: GPUs each model actor asks for (e.g. 1 on GPU nodes; default 0: the models run on CPU)")
    g.add_argument("--device", help="local: where the models run, cpu, cuda, cuda:1 … (default: the GPU when one is "
                   "seen); ray: set by --gpus-per-model")  # fmt: skip
    g.add_argument("--max-retries", type=int, metavar="N",
                   help="ray: retries of a task whose worker died (default 3)")


def make_executor(args: argparse.Namespace):
    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be ≥ 1, got {args.jobs}")
    if args.executor == "local":
        if args.ray_address:
            raise ValueError("--ray-address needs --executor ray")
        ray_only = [o for o, value in (("--gpus-per-model", args.gpus_per_model), ("--max-retries", args.max_retries))
                    if value is not None]  # fmt: skip
        if ray_only:
            raise ValueError(f"{' and '.join(ray_only)} {'need' if len(ray_only) > 1 else 'needs'} --executor ray")
        from projection.executors import LocalExecutor

        return LocalExecutor(args.jobs or 1)
    if args.ray_address and args.jobs is not None:
        raise ValueError("--jobs sizes a local Ray instance; a cluster at --ray-address has its own CPUs")
    # named by their options here (RayExecutor's own checks name its keywords, and let NaN through)
    if args.gpus_per_model is not None and not 0 <= args.gpus_per_model < float("inf"):
        raise ValueError(f"--gpus-per-model must be a number ≥ 0, got {args.gpus_per_model:g}")
    from projection.executors.ray import RayExecutor, _ray, whole_gpus_message

    if args.gpus_per_model is not None and args.gpus_per_model > 1 and not args.gpus_per_model.is_integer():
        raise ValueError(whole_gpus_message(args.gpus_per_model, "--gpus-per-model"))
    if args.max_retries is not None and args.max_retries < 0:
        raise ValueError(f"--max-retries must be ≥ 0, got {args.max_retries}")
    _ray()  # ImportError with the install hint, before any work
    return RayExecutor(args.ray_address, num_cpus=args.jobs,
                       num_gpus_per_model_task=0 if args.gpus_per_model is None else args.gpus_per_model,
                       max_retries=3 if args.max_retries is None else args.max_retries)  # fmt: skip


def _method(args: argparse.Namespace) -> dict[str, Any]:
    check_aligner_shorthands(args)  # --align-model beside --aligner-option model=: one would be dropped
    if args.limit is not None and args.limit < 1:
        raise ValueError(f"--limit must be ≥ 1, got {args.limit}")
    for option, value in (("--chunk-size", args.chunk_size), ("--num-proc", args.num_proc)):
        if value is not None and value < 1:  # checked here, before any work (0 also: it is no size)
            raise ValueError(f"{option} must be ≥ 1, got {value}")
    method = {
        **method_kwargs(args),
        "mt_model": args.mt_model,
        "ner_model": args.ner_model,
        "align_model": args.align_model,
        "back_translation": args.back_translation,
        "bt_model": args.bt_model,
        "bt_tokenizer": args.bt_tokenizer,
        "splits": tuple(args.splits) if args.splits else None,
        "limit": args.limit,
        "device": model_device(args),
    }
    return {k: v for k, v in method.items() if v is not None}


def model_device(args: argparse.Namespace) -> str | None:
    """Where the configs' models run: locally ``--device``, else ``None`` (the GPU when one is seen). On Ray the
    executor decides (``RayExecutor.model_device``: the GPUs ``--gpus-per-model`` reserves, else the CPU) and
    ``builders.build`` gives each config that device, so that it signs its models' dtype (bf16 on a GPU) wherever it
    is made (a Ray task without a GPU once signed fp32 for actors that translated in bf16)."""
    if args.executor == "ray":
        if args.device:
            raise ValueError("--device is for a local build; on Ray the models run on the GPUs --gpus-per-model "
                             "reserves (G > 0), else on the CPU")  # fmt: skip
        return None
    if args.device:
        from projection.neural.hub import check_device

        check_device(args.device)
    return args.device


class JobDisplay:
    """One progress display for the whole job: chunks done / total per config. On a terminal one status line
    redrawn in place; otherwise one ``logging`` line per event.

    Events may come from two threads (on Ray, a thread polls the tasks' mailbox while the main thread reports a
    config whose task died), so each is taken under a lock, and a config that is done or failed stays so: a
    ``running`` event of it that was still in the mailbox is dropped."""

    def __init__(self, names: list[str], where: str, stream: TextIO = sys.stderr, tty: bool | None = None) -> None:
        self.names = names
        self.where = where
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.state: dict[str, Any] = {}
        self._width = 0
        self._lock = threading.Lock()

    def __call__(self, event) -> None:
        with self._lock:
            self._take(event)

    def _take(self, event) -> None:
        before = self.state.get(event.config)
        if before is not None and before.state != "running" and event.state == "running":
            return
        self.state[event.config] = event
        if self.tty:
            self._draw()
            return
        total = "?" if event.total is None else event.total
        reused = f", {event.reused} reused" if event.reused else ""
        finished = sum(1 for e in self.state.values() if e.state != "running")
        logger.info("[%d/%d configs] %s: %s, chunks %d/%s%s", finished, len(self.names), event.config, event.state,
                    event.done, total, reused)  # fmt: skip

    def line(self) -> str:
        finished = [e for e in self.state.values() if e.state != "running"]
        done = sum(e.done for e in self.state.values())
        # a config that failed before its size was known adds what it did (found in review: "chunks N/?" stayed)
        totals = [e.done if e.total is None and e.state == "failed" else e.total for e in self.state.values()]
        total = "?" if any(t is None for t in totals) or len(totals) < len(self.names) else sum(totals)
        running = [f"{e.config} {e.done}/{'?' if e.total is None else e.total}"
                   for e in self.state.values() if e.state == "running"]  # fmt: skip
        text = f"build [{self.where}]: {len(finished)}/{len(self.names)} configs, chunks {done}/{total}"
        return text + (" · " + ", ".join(running) if running else "")

    def _draw(self) -> None:
        text = self.line()
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()

    def write(self, text: str) -> None:
        """A line of its own above the status line (a warning logged while the job runs): the status line is cleared,
        the text written, the status line drawn again. Found in review: a warning went on after the status line's
        last number (``masakhaner2.swa 1/2`` + ``167 sentences …`` read ``1/2167 sentences``)."""
        with self._lock:
            self._close()
            self.stream.write(text + "\n")
            self.stream.flush()
            self._width = 0
            if self.tty and self.state:
                self._draw()


def run(args: argparse.Namespace) -> int:
    from builders.export import DEFAULT_REPO_ID, export, resolve_configs, select_configs, skipped_note
    from projection.extras import require_extra

    start = time.perf_counter()
    require_extra("hub", purpose="building dataset configs")  # the install line, not "No module named 'datasets'"
    resolve_configs(args.configs)  # a bad name before a bad option
    method = _method(args)
    from builders.export import check_export_dir, check_repo_id

    if args.repo_id is not None:  # an empty one too (found in review: --repo-id '' was taken as none)
        check_repo_id(args.repo_id)
    check_export_dir(args.out)
    # what a family, glob or all named that the models cannot build (bbj, pcm) is left out, with one note
    names, skipped = select_configs(args.configs, data_dir=args.data_dir, **method)
    if skipped:
        print(f"silver-ner: note: {skipped_note(skipped)}", file=sys.stderr)
    executor = make_executor(args)
    if not sys.stderr.isatty() and not args.quiet:  # log lines stand in for the display; --quiet wants neither
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    import datasets

    datasets.disable_progress_bars()  # the job's display replaces the per-split bars
    display = None if args.quiet else JobDisplay(names, executor.describe())
    from projection.cli import warnings_to

    try:
        with warnings_to(display.write if display is not None and display.tty else None):  # above the status line
            result = export(
                names, args.out, data_dir=args.data_dir, repo_id=args.repo_id or DEFAULT_REPO_ID,
                cache_dir=args.cache_dir, num_proc=args.num_proc, silver_cache_dir=args.silver_cache,
                progress=display or False, executor=executor, chunk_size=args.chunk_size, **method,
            )  # fmt: skip
    except ConnectionError as err:
        where = f"--ray-address {args.ray_address}" if args.ray_address else "a local Ray instance"
        raise ValueError(f"{where}: cannot connect to Ray ({err})") from None
    finally:
        if display is not None:
            display.close()
        close = getattr(executor, "close", None)
        if close is not None:
            close()
    seconds = time.perf_counter() - start
    left_out = f" ({len(skipped)} left out, see the note above)" if skipped else ""
    print(f"built {len(result.configs)} of {len(names)} config(s) on {result.executor} in {seconds:.1f} s "
          f"-> {result.export_dir}{left_out}")  # fmt: skip
    failed = {name for name, _ in result.failed}  # also a config built whose files could not be written
    for o in result.outcomes:
        if o.name not in failed:
            reused = f", {o.chunks_reused} reused from the checkpoints" if o.chunks_reused else ""
            ran = "from the datasets cache" if o.cached else f"{o.chunks_run} chunk(s) run{reused}"
            print(f"  {o.name}: {len(o.files)} file(s), {ran}, {o.seconds:.1f} s")
    for name, reason in result.failed:
        print(f"silver-ner: config {name} failed: {reason}", file=sys.stderr)
    return 1 if result.failed else 0
