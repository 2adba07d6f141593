"""The one runner: chunk plans and executors never change the output, checkpoints resume a killed run, sinks
commit only on success, a whole-corpus stage sees the whole split."""

from __future__ import annotations

import json
import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from projection.cache import Store
from projection.executors import LocalExecutor
from projection.io.package_data import europarl
from projection.options import default_config
from projection.plans import parallel_plan
from projection.runner import run
from projection.signature import Part
from projection.stages.base import CorpusStage, Sink, Stage
from projection.stages.read import PairsSource, parallel_pairs
from projection.stages.write import ConllSink, PharaohSink
from projection.version import __version__

N = 120
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus():
    return list(europarl("en").sentences[:N]), list(europarl("de").sentences[:N])


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    src, tgt = corpus
    cfg = default_config("parallel", aligner="fastalign.v1")
    plan = parallel_plan(src, tgt, cfg, cache_dir=tmp_path_factory.mktemp("c"))
    return cfg, run(plan.source, plan.stages, progress=False)


@pytest.mark.parametrize("chunk_size, jobs", [(1, 1), (7, 1), (1000, 1), (25, 2)])
def test_any_chunk_plan_and_executor_give_the_same_pairs(corpus, reference, tmp_path, chunk_size, jobs):
    cfg, ref = reference
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path)
    got = run(plan.source, plan.stages, executor=LocalExecutor(jobs), chunk_size=chunk_size, progress=False)
    assert got.pairs == ref.pairs and got.signature == ref.signature and got.stats.sentences == N


class WhereRun(Stage):
    """Counts the chunks it processed outside the process that built it (a real Stage subclass)."""

    name = "where"

    def __init__(self) -> None:
        self.driver = os.getpid()
        self.outside = 0

    def process(self, pairs):
        self.outside += os.getpid() != self.driver
        return list(pairs)

    def counts(self):
        return {"chunks_in_workers": self.outside}


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_sinks_encode_in_the_workers_and_write_the_same_bytes_as_one_process(corpus, reference, tmp_path,
                                                                             start_method):  # fmt: skip
    from projection.evaluate import evaluate
    from projection.io.conll_write import write_conll
    from projection.io.pharaoh import write_alignments
    from projection.stages.write import EvaluationSink, PharaohSink

    cfg, ref = reference
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path)
    write_conll(tmp_path / "ref.conll", [(p.target.tokens, p.silver) for p in ref.pairs])
    write_alignments(tmp_path / "ref.txt", [p.alignment for p in ref.pairs])
    expected = evaluate([p.target.tags for p in ref.pairs], [p.silver for p in ref.pairs])
    for jobs in (1, 2):
        out, links, scores = tmp_path / f"{jobs}.conll", tmp_path / f"{jobs}.txt", EvaluationSink()
        got = run(plan.source, [*plan.stages, WhereRun()], [ConllSink(out), PharaohSink(links), scores],
                  executor=LocalExecutor(jobs, start_method=start_method), chunk_size=20, keep=False,
                  progress=False)  # fmt: skip
        assert got.stats.count("chunks_in_workers") == (6 if jobs == 2 else 0)  # 120 pairs, 6 chunks
        assert got.pairs == () and got.stats.sentences == N
        assert got.stats.projected_entities == ref.stats.projected_entities
        assert out.read_bytes() == (tmp_path / "ref.conll").read_bytes()
        assert links.read_bytes() == (tmp_path / "ref.txt").read_bytes()
        assert scores.scores == expected


def test_a_report_sink_renders_the_finished_run_with_the_scores_before_any_output_appears(corpus, reference, tmp_path):
    """``ReportSink`` gets the run's ``Run`` at ``finish`` and renders at ``prepare``, after every sink has its totals:
    placed before the ``EvaluationSink`` it still sees the scores; the report holds what the returned ``Run`` holds."""
    import json

    from projection.evaluate import evaluate
    from projection.stages.write import EvaluationSink, ReportSink

    cfg, ref = reference
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path)
    scores = EvaluationSink()
    seen = []

    def render(done):
        seen.append((done, (tmp_path / "out.conll").exists()))
        return {"sentences": done.stats.sentences, "f1": scores.scores.f1, "signature": done.signature.format()}

    report = ReportSink(tmp_path / "r.json", render)
    got = run(plan.source, plan.stages, [report, ConllSink(tmp_path / "out.conll"), scores], chunk_size=20, keep=False,
              progress=False)  # fmt: skip
    expected = evaluate([p.target.tags for p in ref.pairs], [p.silver for p in ref.pairs])
    assert seen == [(got, False)]  # rendered once, from the returned run, before --out appeared
    assert json.loads((tmp_path / "r.json").read_text()) == {
        "sentences": N, "f1": expected.f1, "signature": ref.signature.format()}  # fmt: skip


def test_an_evaluation_sink_closed_by_its_own_caller_scores_every_chunk_written():
    """Review of 0.4.6: scores moved to ``finish``; a caller that writes and closes (no runner) must still get the
    scores of everything written, after each close, and a failed run none."""
    from projection.evaluate import EntityCounts
    from projection.stages.write import EvaluationSink

    def chunk(gold, silver, first):
        counts = EntityCounts(frozenset())
        counts.add(gold, silver, first=first)
        return counts, 0

    sink = EvaluationSink()
    sink.write(chunk([["B-PER", "O"]], [["B-PER", "O"]], 0))
    sink.close()
    assert sink.scores.f1 == 1.0
    sink.write(chunk([["B-LOC", "O"]], [["O", "O"]], 1))
    sink.close()
    assert (sink.scores.precision, sink.scores.recall) == (1.0, 0.5)  # 1 of 1 predicted right, 1 of 2 gold found
    sink.abort()
    assert sink.scores is None


class Recorder(Stage):
    """Counts the pairs of every call (a real Stage subclass)."""

    name = "recorder"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def process(self, pairs):
        self.calls.append(len(pairs))
        return list(pairs)

    def counts(self):
        return {"recorded": sum(self.calls)}


class CorpusRecorder(CorpusStage):
    """Fits on the stream (a real CorpusStage subclass): records how many pairs it read and fills each pair
    with its own position as its id, so the runner's order of ``fill`` calls is visible."""

    name = "corpus-recorder"

    def __init__(self) -> None:
        self.fits: list[int] = []

    def fit(self, pairs):
        self.fits.append(sum(1 for _ in pairs))
        return lambda k, pair: replace(pair, id=f"#{k}")


def test_a_corpus_stage_fits_once_on_every_pair_and_batch_stages_see_chunks(corpus):
    pairs = parallel_pairs(*corpus)
    whole, batch = CorpusRecorder(), Recorder()
    result = run(PairsSource(pairs), [batch, whole], chunk_size=50, progress=False)
    assert whole.fits == [N] and batch.calls == [50, 50, 20]
    assert result.stats.count("recorded") == N  # the batch stage's counts arrive with each chunk
    assert [p.id for p in result.pairs] == [f"#{k}" for k in range(N)]
    assert [replace(p, id=q.id) for p, q in zip(result.pairs, pairs)] == pairs  # the spilled pairs come back whole


def test_a_last_segment_without_batch_stages_never_reaches_the_executor(corpus, tmp_path):
    """Only the sinks' encoders are left after a corpus stage: they run in the driver, not on an executor
    (Ray's in-process path would ship them to an actor)."""
    from projection.executors.base import Executor

    class Refuses(Executor):  # a real Executor subclass
        name = "refuses"

        def map(self, task, items, *, in_process=False):
            raise AssertionError("the executor was asked to run a task without stages")

    out = tmp_path / "out.conll"
    pairs = parallel_pairs(*corpus)
    result = run(PairsSource(pairs), [CorpusRecorder()], [ConllSink(out)], executor=Refuses(), chunk_size=50,
                 keep=False, progress=False)  # fmt: skip
    assert result.stats.sentences == N and out.read_text(encoding="utf-8").count("\n\n") == N


class DropsFirst(Stage):
    """Drops the first pair of every chunk, as the translation stage drops empty translations (a real Stage)."""

    name = "drops-first"

    def process(self, pairs):
        return list(pairs)[1:]


def test_an_unwritable_silver_sentence_is_named_by_its_pair_even_after_pairs_were_dropped(corpus, tmp_path):
    """The encoder numbers a chunk's sentences from its first input pair; a stage that drops pairs shifts that
    number, so the error names the pair's id too, and no file appears."""
    from projection.types import Sentence

    pairs = parallel_pairs(*corpus)[:30]
    bad = replace(pairs[17], id="de.conll:345", target=Sentence(("gut", "tab\there"), ("O", "O")))
    pairs = pairs[:17] + [bad] + pairs[18:]
    out = tmp_path / "out.conll"
    with pytest.raises(ValueError) as err:
        run(PairsSource(pairs), [DropsFirst()], [ConllSink(out)], chunk_size=10, keep=False, progress=False)
    # chunk 2 (pairs 10..19) lost pair 10: the bad pair is its 7th sentence out, numbered 10 + 7 = 17
    assert str(err.value) == ("sentence 17: token 'tab\\there' cannot be written to CoNLL: it holds a tab, a line "
                              "break or another control whitespace (pair de.conll:345)")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


class AddsOne(Stage):
    """Returns the first pair of its chunk twice (a real Stage that breaks the contract)."""

    name = "adds-one"

    def process(self, pairs):
        return [*pairs, pairs[0]]


class ReturnsNone(Stage):
    name = "returns-none"

    def process(self, pairs):
        return None


class HoldsALock(Stage):
    """Picklable class, unpicklable instance: its lock cannot reach a worker process."""

    name = "holds-a-lock"

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()

    def process(self, pairs):
        return list(pairs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stage_that_returns_more_pairs_than_it_was_given_is_named(corpus, tmp_path, jobs):
    """Found in review: the extra pair was written (a sentence twice in the output), with no error."""
    out = tmp_path / "out.conll"
    with pytest.raises(ValueError) as err:
        run(PairsSource(parallel_pairs(*corpus)[:40]), [AddsOne()], [ConllSink(out)], chunk_size=10,
            executor=LocalExecutor(jobs), progress=False)  # fmt: skip
    assert str(err.value) == ("AddsOne(adds-one).process returned 11 pairs for the 10 it was given (pairs 0-9 of the "
                              "run): a stage returns the same pairs, in order (it may drop some)")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_stage_that_returns_no_list_of_pairs_is_named():
    """Found in review: ``None`` failed in the next stage, "'NoneType' object is not iterable", naming neither."""
    pairs = parallel_pairs(*[list(europarl(lang).sentences[:3]) for lang in ("en", "de")])
    with pytest.raises(TypeError) as err:
        run(PairsSource(pairs), [ReturnsNone(), Recorder()], progress=False)
    assert str(err.value) == "ReturnsNone(returns-none).process must return a list of Pair, got None (pairs 0-2 of the run)"


def test_a_stage_that_cannot_reach_the_workers_is_named_before_any_work(corpus):
    """Found in review: the pool's feeder thread raised "cannot pickle '_thread.lock' object", naming no stage, and
    only on inputs of 4 chunks or more (fewer ran in the driver); now any input with jobs=2 fails first, by name."""
    for n in (20, 120):
        with pytest.raises(TypeError) as err:
            run(PairsSource(parallel_pairs(*corpus)[:n]), [Recorder(), HoldsALock()], chunk_size=10,
                executor=LocalExecutor(2), progress=False)  # fmt: skip
        assert str(err.value).startswith("HoldsALock(holds-a-lock) cannot be sent to worker processes (jobs=2), which "
                                         "receive it pickled: TypeError: cannot pickle '_thread.lock' object.")
    got = run(PairsSource(parallel_pairs(*corpus)[:20]), [HoldsALock()], chunk_size=10, progress=False)
    assert got.stats.sentences == 20  # in this process it runs


def test_a_corpus_stage_that_stops_reading_early_is_an_error(corpus):
    class Lazy(CorpusRecorder):
        def fit(self, pairs):
            next(pairs)
            return lambda k, pair: pair

    with pytest.raises(RuntimeError, match="before it read every pair"):
        run(PairsSource(parallel_pairs(*corpus)), [Lazy()], progress=False)


class FailOnce(Stage):
    """Raises on the third chunk it sees, the first time only (a crash in the middle of a run)."""

    name = "fail-once"

    def __init__(self) -> None:
        self.seen = 0
        self.failed = False

    def process(self, pairs):
        self.seen += 1
        if self.seen == 3 and not self.failed:
            self.failed = True
            raise RuntimeError("simulated crash")
        return list(pairs)


def test_a_crashed_run_resumes_from_its_checkpoints_and_writes_nothing_partial(corpus, reference, tmp_path):
    cfg, ref = reference
    store = Store("chunks", tmp_path / "cache")
    fail = FailOnce()
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path / "cache")
    out = tmp_path / "out.conll"
    stages = [*plan.stages, fail]
    with pytest.raises(RuntimeError, match="simulated crash"):
        run(plan.source, stages, [ConllSink(out)], checkpoint=store, chunk_size=30, progress=False)
    assert not out.exists() and not list(tmp_path.glob(".out.conll*"))  # no partial output, no temp file
    again = run(plan.source, stages, [ConllSink(out)], checkpoint=store, chunk_size=30, progress=False)
    assert again.stats.count("chunks_cached") == 2 and len(again.chunk_files) == 4  # two chunks were done
    assert again.pairs == ref.pairs
    assert out.read_text(encoding="utf-8").count("\n\n") == N


def test_a_resumed_run_reports_the_counts_of_the_chunks_it_reused(corpus, tmp_path):
    """Found in review: a chunk found in the checkpoint store skipped its stages and brought back no counts, so a
    resumed run reported other stage counts (long_pairs, translations, ...) than a fresh one."""
    pairs = parallel_pairs(*corpus)
    store = Store("chunks", tmp_path / "cache")
    signature = (("mode", Part("parallel")),)
    fresh = run(PairsSource(pairs, signature), [Recorder()], checkpoint=store, chunk_size=50, progress=False)
    again = run(PairsSource(pairs, signature), [Recorder()], checkpoint=store, chunk_size=50, progress=False)
    assert fresh.stats.count("recorded") == again.stats.count("recorded") == N
    assert (fresh.stats.count("chunks_cached"), again.stats.count("chunks_cached")) == (0, 3)
    entry = json.loads(Path(again.chunk_files[0]).read_text(encoding="utf-8"))
    assert entry["counts"] == {"recorded": 50} and len(entry["pairs"]) == 50


@pytest.mark.parametrize("damage", ["links outside", "no id", "no target"])
def test_a_damaged_checkpoint_entry_is_computed_again_not_reused(corpus, reference, tmp_path, damage, caplog):
    """Found in review: an edited chunk file was reused as it was: a link 0-99 went into the published rows, and a
    pair without its id failed the build with a bare KeyError."""
    cfg, ref = reference
    store = Store("chunks", tmp_path / "cache")
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path / "cache")
    first = run(plan.source, plan.stages, checkpoint=store, chunk_size=30, progress=False)
    path = Path(first.chunk_files[0])
    entry = json.loads(path.read_text(encoding="utf-8"))
    if damage == "links outside":
        entry["pairs"][0]["al"] = [[[0, 99]], []]
    elif damage == "no id":
        del entry["pairs"][0]["id"]
    else:
        entry["pairs"][0]["tgt"] = None
    path.write_text(json.dumps(entry), encoding="utf-8")
    with caplog.at_level("WARNING", logger="projection.runner"):
        again = run(plan.source, plan.stages, checkpoint=store, chunk_size=30, progress=False)
    assert again.stats.count("chunks_cached") == 3 and again.pairs == ref.pairs
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring a damaged checkpoint entry {path}: its chunk is computed again"]


def test_a_checkpoint_entry_copied_over_another_chunks_file_is_not_reused(corpus, reference, tmp_path, caplog):
    """Found in review: the first chunk's file copied over the second's name (same number of pairs, links that fit
    their own pairs) was reused, and the run gave the first chunk's 30 pairs twice and lost the second's."""
    cfg, ref = reference
    store = Store("chunks", tmp_path / "cache")
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path / "cache")
    first = run(plan.source, plan.stages, checkpoint=store, chunk_size=30, progress=False)
    one, two = map(Path, first.chunk_files[:2])
    two.write_bytes(one.read_bytes())
    with caplog.at_level("WARNING", logger="projection.runner"):
        again = run(plan.source, plan.stages, checkpoint=store, chunk_size=30, progress=False)
    assert again.pairs == ref.pairs and again.stats.count("chunks_cached") == 3
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring the checkpoint entry {two}: it holds another chunk (a file copied or moved there); its chunk is "
        "computed again"]
    rewritten = json.loads(two.read_text(encoding="utf-8"))["pairs"]  # the file holds its own chunk again
    assert [p["id"] for p in rewritten] == [p.id for p in ref.pairs[30:60]]


def test_the_signature_is_assembled_from_the_stages_that_ran(corpus):
    pairs = parallel_pairs(*corpus)
    result = run(PairsSource(pairs, (("mode", Part("parallel")),)), [Recorder()], progress=False)
    assert result.signature.format() == f"mode:parallel|version:{__version__}"
    cfg = default_config("parallel", aligner="fastalign.v1", matcher="exact")
    plan = parallel_plan(*corpus, replace(cfg, drop_labels=("MISC",)), data=Part.of("europarl-ner", lang="de"))
    assert [k for k, _ in plan.source.signature()] == ["mode", "data"]
    from projection.runner import run_signature

    assert run_signature(plan.source, plan.stages).keys() == ["mode", "data", "aligner", "cand", "score", "match",
                                                              "refine", "drop"]  # fmt: skip


class GcState(Stage):
    """Records whether the cyclic garbage collector runs while it processes a chunk (a real Stage subclass)."""

    name = "gc-state"

    def __init__(self) -> None:
        self.seen: list[bool] = []

    def process(self, pairs):
        import gc

        self.seen.append(gc.isenabled())
        return list(pairs)


@pytest.mark.parametrize("enabled", [True, False])
def test_a_chunk_runs_with_the_collector_paused_and_leaves_it_as_found(corpus, enabled):
    import gc

    stage = GcState()
    pairs = parallel_pairs(*corpus)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        run(PairsSource(pairs), [stage], chunk_size=50, progress=False)
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert stage.seen == [False, False, False] and after is enabled  # 120 pairs in chunks of 50


class ModelGcState(GcState):
    """The same, marked as a stage that holds a model."""

    name = "model-gc-state"
    uses_model = True


def test_a_chunk_with_a_model_stage_keeps_the_collector(corpus):
    import gc

    plain, model = GcState(), ModelGcState()
    was = gc.isenabled()
    gc.enable()
    try:
        run(PairsSource(parallel_pairs(*corpus)), [plain, model], chunk_size=50, progress=False)
    finally:
        (gc.enable if was else gc.disable)()
    assert plain.seen == model.seen == [True, True, True]  # the collector runs through the whole chunk


class SignalsAtClose(Sink):
    """A sink that sends this process ``signum`` when the runner commits it, between two other sinks' commits."""

    name = "signals"

    def __init__(self, signum: int) -> None:
        self.signum = signum

    def write(self, chunk) -> None:
        pass

    def close(self) -> None:
        signal.raise_signal(self.signum)


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_a_ctrl_c_while_the_outputs_are_committed_leaves_every_output_new(corpus, reference, tmp_path):
    """Before 0.5.1 the outputs were renamed one after the other, and a Ctrl-C between two renames left a new --out
    beside the old saved alignments. Now the commit is whole: both files are this run's, then the Ctrl-C is raised."""
    cfg, ref = reference
    out, links = tmp_path / "out.conll", tmp_path / "links.txt"
    out.write_text("old\n")
    links.write_text("old\n")
    plan = parallel_plan(*corpus, cfg, cache_dir=tmp_path)
    with pytest.raises(KeyboardInterrupt):
        run(plan.source, plan.stages, [ConllSink(out), SignalsAtClose(signal.SIGINT), PharaohSink(links)],
            keep=False, progress=False)  # fmt: skip
    assert out.read_text() == "".join(
        "".join(f"{w}\t{t}\n" for w, t in zip(p.target.tokens, p.silver)) + "\n" for p in ref.pairs)  # fmt: skip
    assert links.read_text() == "".join(p.alignment.to_pharaoh() + "\n" for p in ref.pairs)
    assert sorted(f.name for f in tmp_path.iterdir() if f.is_file()) == ["links.txt", "out.conll"]  # no temporary


_SIGTERM_AT_COMMIT = """
import signal, sys
from projection.io.package_data import europarl
from projection.options import default_config
from projection.plans import parallel_plan
from projection.runner import run
from projection.stages.base import Sink
from projection.stages.write import ConllSink, PharaohSink

class SignalsAtClose(Sink):
    def write(self, chunk):
        pass

    def close(self):
        signal.raise_signal(signal.SIGTERM)

src, tgt = europarl("en").sentences[:30], europarl("de").sentences[:30]
plan = parallel_plan(src, tgt, default_config("parallel", aligner="fastalign.v1"), cache_dir=sys.argv[3])
run(plan.source, plan.stages, [ConllSink(sys.argv[1]), SignalsAtClose(), PharaohSink(sys.argv[2])],
    keep=False, progress=False)
print("not reached")
"""


def test_a_sigterm_while_the_outputs_are_committed_ends_the_process_after_every_output_is_new(tmp_path):
    """A scheduler's SIGTERM (SLURM at its time limit) during the commit: the process still ends as killed by
    SIGTERM, and only after both outputs are this run's (before 0.5.1 the second one's temporary was removed)."""
    import subprocess
    import sys

    out, links = tmp_path / "out" / "o.conll", tmp_path / "out" / "links.txt"
    out.parent.mkdir()
    out.write_text("old\n")
    links.write_text("old\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _SIGTERM_AT_COMMIT, str(out), str(links), str(tmp_path / "cache")], env=env, capture_output=True, text=True,
                          preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))  # fmt: skip
    assert proc.returncode == -signal.SIGTERM, proc.stderr
    assert "not reached" not in proc.stdout
    src, tgt = europarl("en").sentences[:30], europarl("de").sentences[:30]
    plan = parallel_plan(src, tgt, default_config("parallel", aligner="fastalign.v1"), cache_dir=tmp_path / "c2")
    ref = run(plan.source, plan.stages, progress=False)
    assert out.read_text() == "".join(
        "".join(f"{w}\t{t}\n" for w, t in zip(p.target.tokens, p.silver)) + "\n" for p in ref.pairs)  # fmt: skip
    assert links.read_text() == "".join(p.alignment.to_pharaoh() + "\n" for p in ref.pairs)
    assert sorted(f.name for f in out.parent.iterdir()) == ["links.txt", "o.conll"]  # no temporary left


def test_a_plan_run_twice_reports_each_runs_own_corpus_stage_counts(corpus, tmp_path):
    """Found in review: the alignment stage of a statistical aligner added each run's long pairs to the last run's,
    so a plan run again in one process (a notebook) reported twice its long pairs in ``stats`` and ``--report``."""
    from projection.align.base import Aligner
    from projection.stages.align import CorpusAlignStage
    from projection.types import Alignment

    class Limited(Aligner):  # a length limit like eflomal's 1,023 tokens, here 20
        name = "limited.v1"
        max_tokens = 20

        def align(self, src, tgt):
            return [Alignment() for _ in src]

    src, tgt = corpus
    long = sum(max(len(s.tokens), len(t.tokens)) > 20 for s, t in zip(src, tgt))
    assert long > 0
    plan = parallel_plan(src, tgt, default_config("parallel", aligner="fastalign.v1"), cache_dir=tmp_path)
    stages = [CorpusAlignStage(Limited()) if isinstance(s, CorpusAlignStage) else s for s in plan.stages]
    first = run(plan.source, stages, progress=False)
    again = run(plan.source, stages, progress=False)
    assert first.stats.count("long_pairs") == again.stats.count("long_pairs") == long


class CountsLong(Stage):
    """Counts the pairs whose source has more than 20 tokens, and warns about them once per run (a real Stage)."""

    name = "counts-long"

    def __init__(self) -> None:
        self.long = 0

    def process(self, pairs):
        self.long += sum(len(p.source.tokens) > 20 for p in pairs)
        return list(pairs)

    def counts(self):
        return {"long": self.long}

    def count_warnings(self, counts):
        return [f"{counts['long']} long sentences"] if counts.get("long") else []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stage_warns_once_per_run_with_the_total_of_its_chunks(corpus, jobs, caplog):
    """Found in review: what a stage warned about per chunk was printed once per 1,000-pair chunk; the runner now
    logs each stage's ``count_warnings`` once, about the counts added up over every chunk (in a pool too)."""
    pairs = parallel_pairs(*corpus)
    expected = sum(len(s.tokens) > 20 for s in corpus[0])  # by hand, over the whole corpus
    assert expected > 12
    with caplog.at_level("WARNING"):
        result = run(PairsSource(pairs), [CountsLong()], executor=LocalExecutor(jobs), chunk_size=10, progress=False)
    assert result.stats.count("long") == expected
    assert [r.getMessage() for r in caplog.records] == [f"{expected} long sentences"]


def _drawn_bars(monkeypatch):
    """The run's bars as real tqdm bars drawn into a string, as on a terminal: (the bars made, the text drawn)."""
    import io

    from tqdm import tqdm

    import projection.runner as runner

    bars, text = [], io.StringIO()

    class Bar(tqdm):
        def __init__(self, **kwargs):
            super().__init__(**{**kwargs, "disable": False, "file": text, "mininterval": 0})
            bars.append(self)

    monkeypatch.setattr(runner, "_bar_class", lambda: Bar)
    return bars, text


def test_the_bar_of_a_file_source_gets_its_total_once_the_source_counted_its_pairs(corpus, tmp_path, monkeypatch):
    """Found in review: ``project``'s bar showed a count but no total (and so no ETA), although the source had
    counted its pairs before the first chunk was done (an aligner fits on the whole split first)."""
    from projection.io.conll_write import write_conll
    from projection.stages.read import FilePairsSource

    src, tgt = tmp_path / "en.conll", tmp_path / "de.conll"
    write_conll(src, corpus[0])
    write_conll(tgt, corpus[1])
    bars, text = _drawn_bars(monkeypatch)
    run(FilePairsSource(src, tgt), [CorpusRecorder()], chunk_size=50)
    assert [bar.total for bar in bars] == [N]
    assert f"50/{N}" in text.getvalue()  # drawn with its total from the first chunk on


class _Nothing(Stage):
    """A batch stage that hands its pairs on: the run reads the files as it goes (no corpus stage counts them)."""

    name = "nothing"

    def process(self, pairs):
        return list(pairs)


@pytest.mark.parametrize("links", [True, False])
def test_a_streamed_file_source_gives_its_bar_a_total_from_the_start(corpus, tmp_path, monkeypatch, links):
    """Found in review: with no stage that reads the whole split first (``--jobs 1`` with ``--alignments``, a neural
    aligner), the bar had no total, and so no ETA, until the last chunk. On a terminal the source counts the Pharaoh
    file's lines, or the plain source file's sentences, before the first chunk."""
    from projection.io.conll_write import write_conll
    from projection.stages.read import FilePairsSource

    src, tgt, al = tmp_path / "en.conll", tmp_path / "de.conll", tmp_path / "links.txt"
    write_conll(src, corpus[0])
    write_conll(tgt, corpus[1])
    al.write_text("0-0\n" * N, encoding="utf-8")
    bars, text = _drawn_bars(monkeypatch)
    source = FilePairsSource(src, tgt, al if links else None)
    assert source.expected_length() == N
    run(source, [_Nothing()], chunk_size=50)
    assert [bar.total for bar in bars] == [N]
    assert f"50/{N}" in text.getvalue()  # drawn with its total from the first chunk on


def test_a_quiet_run_with_eflomal_prints_nothing_in_a_jupyter_kernel_without_ipywidgets():
    """Found in review: ``project_corpus(..., progress=False)`` from a notebook printed tqdm's "TqdmWarning: IProgress
    not found. Please update jupyter and ipywidgets" on stderr: eflomal's step bar, disabled, was still made by
    ``tqdm.auto``, whose import warns in a Jupyter kernel without ipywidgets. A quiet run prints nothing there."""
    import subprocess
    import sys

    script = (
        "import sys, types\n"
        "class ZMQInteractiveShell:  # what tqdm.auto looks for in a Jupyter kernel (older and newer tqdm)\n"
        "    config = {'IPKernelApp': {}}\n"
        "kernel = types.ModuleType('IPython')\n"
        "kernel.get_ipython = ZMQInteractiveShell\n"
        "sys.modules['IPython'] = kernel\n"
        "sys.modules['ipykernel.zmqshell'] = types.ModuleType('ipykernel.zmqshell')\n"
        "sys.modules['ipywidgets'] = None  # not installed\n"
        "from projection import Sentence, default_config, project_corpus\n"
        "src = [Sentence(('Anna', 'saw', 'Rome', '.'), ('B-PER', 'O', 'B-LOC', 'O'))] * 3\n"
        "run = project_corpus(src, [('Anna', 'sah', 'Rom', '.')] * 3, default_config('parallel'), use_cache=False,\n"
        "                     progress=False)\n"
        "assert run.stats.sentences == 3\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
