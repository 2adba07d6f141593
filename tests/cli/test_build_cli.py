"""``silver-ner build``: config patterns, one-line input errors (exit 2), the progress display, a local build."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from builders.export import Progress, resolve_configs
from projection.cli import main
from projection.cli.build import JobDisplay


def test_patterns_resolve_to_names_in_order_once():
    assert resolve_configs(["europarl-ner.*"]) == ["europarl-ner.de", "europarl-ner.es", "europarl-ner.it"]
    assert resolve_configs(["europarl-ner.it", "europarl-ner", "uner-pud.de"]) == [
        "europarl-ner.it", "europarl-ner.de", "europarl-ner.es", "uner-pud.de"]  # fmt: skip
    masakha = resolve_configs(["masakhaner2.*"])
    assert len(masakha) == 20 and masakha[0] == "masakhaner2.bam" and masakha[-1] == "masakhaner2.zul"
    assert [n for n in resolve_configs(["*.it"]) if not n.startswith("translate-train.")] == [
        "xtreme.it", "europarl-ner.it"]  # fmt: skip
    everything = resolve_configs(["all"])
    assert len(everything) == len(set(everything)) and "translate-train.conll2003.swa" in everything


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--configs", "wikiann.de"], "unknown config 'wikiann.de'; valid forms: xtreme.<lang>"),
        (["--configs", "nosuch.*"], "config pattern 'nosuch.*' matches no config; valid forms: a name"),
        (["--configs", "europarl-ner.xx"], "config 'europarl-ner.xx': language 'xx' is not one of"),
        (["--configs", "europarl-ner.de", "--aligner-option", "stem"], "--aligner-option expects KEY=VALUE"),
        (["--configs", "europarl-ner.de", "--ray-address", "auto"], "--ray-address needs --executor ray"),
        (["--configs", "europarl-ner.de", "--limit", "0"], "--limit must be ≥ 1, got 0"),
        (["--configs", "europarl-ner.de", "--repo-id", ""], "repo id must look like ORG/NAME, got ''"),
        (["--configs", "europarl-ner.de", "--matcher", "nope"],
         "unknown matcher 'nope'; valid: heuristic, heuristic.v1, exact, exact.v1, greedy, greedy.v1, ilp, ilp.v1"),
        # found in review: these failed after work had started (or 0 silently meant the default), or were ignored
        (["--configs", "europarl-ner.de", "--chunk-size", "0"], "--chunk-size must be ≥ 1, got 0"),
        (["--configs", "europarl-ner.de", "--chunk-size", "-5"], "--chunk-size must be ≥ 1, got -5"),
        (["--configs", "europarl-ner.de", "--num-proc", "0"], "--num-proc must be ≥ 1, got 0"),
        (["--configs", "europarl-ner.de", "--max-retries", "-4", "--gpus-per-model", "3"],
         "--gpus-per-model and --max-retries need --executor ray"),
        # found in review: failed as a config (exit 1) after the run had started, in Python syntax only
        (["--configs", "europarl-ner.de", "--splits", "train"],
         "europarl-ner.de has only a test split; use splits=('test',) (--splits test)"),
        (["--configs", "uner-pud.de", "--splits", "test", "validation"], "uner-pud.de has only a test split"),
        (["--configs", "europarl-ner.de", "--device", "nonsense"], "--device nonsense: not a torch device"),
        (["--configs", "europarl-ner.de", "--executor", "ray", "--device", "cuda"],
         "--device is for a local build; on Ray the models run on the GPUs --gpus-per-model reserves"),
        # found in review: named RayExecutor's keywords (num_gpus_per_model_task, max_retries), and NaN got through
        (["--configs", "europarl-ner.de", "--executor", "ray", "--gpus-per-model", "-1"],
         "--gpus-per-model must be a number ≥ 0, got -1"),
        (["--configs", "europarl-ner.de", "--executor", "ray", "--gpus-per-model", "nan"],
         "--gpus-per-model must be a number ≥ 0, got nan"),
        # found in review: refused by Ray inside every config's task (exit 1), naming no option
        (["--configs", "europarl-ner.de", "--executor", "ray", "--gpus-per-model", "1.5"],
         "--gpus-per-model 1.5: Ray gives a model actor a fraction of one GPU or whole GPUs; give a number ≤ 1 or a "
         "whole number (e.g. 0.5, 1, 2)"),
        (["--configs", "europarl-ner.de", "--executor", "ray", "--max-retries", "-2"],
         "--max-retries must be ≥ 0, got -2"),
        # found in review: --aligner-option model= won over --align-model without a word (the card signed the other)
        (["--configs", "europarl-ner.de", "--aligner", "simalign.v1", "--align-model", "enc", "--aligner-option",
          "model=other"], "--align-model and --aligner-option model= set the same thing; give one of them"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2_before_any_work(argv, message, tmp_path, capsys):
    assert main(["build", *argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("silver-ner: error: ") and message in err and "\n" not in err
    assert not (tmp_path / "out").exists()


def test_the_terminal_display_is_one_line_for_the_whole_job():
    stream = io.StringIO()
    display = JobDisplay(["europarl-ner.de", "europarl-ner.es"], "ray (local, 2 CPUs)", stream, tty=True)
    display(Progress("europarl-ner.de", 0, 6))
    display(Progress("europarl-ner.es", 2, 6, reused=2))
    assert display.line() == (
        "build [ray (local, 2 CPUs)]: 0/2 configs, chunks 2/12 · europarl-ner.de 0/6, europarl-ner.es 2/6"
    )
    display(Progress("europarl-ner.de", 6, 6, state="done"))
    assert display.line() == "build [ray (local, 2 CPUs)]: 1/2 configs, chunks 8/12 · europarl-ner.es 2/6"
    display.close()
    assert "\n" not in stream.getvalue() and stream.getvalue().startswith("\rbuild [")


def test_a_finished_config_stays_finished_when_a_stale_running_event_arrives(caplog):
    """Found in review: on Ray the mailbox thread could hand over a dead task's last ``running`` event after the
    main thread had reported the config failed, and the display showed it running again."""
    stream = io.StringIO()
    display = JobDisplay(["europarl-ner.de", "europarl-ner.es"], "ray (local, 2 CPUs)", stream, tty=True)
    display(Progress("europarl-ner.de", 0, None, 0, "failed"))
    display(Progress("europarl-ner.de", 3, 6))  # posted by the task before it died
    display(Progress("europarl-ner.es", 1, 6))
    # the failed config's size was never known: it adds what it did (0), not "?" for the rest of the job
    assert display.line() == "build [ray (local, 2 CPUs)]: 1/2 configs, chunks 1/6 · europarl-ner.es 1/6"
    logged = JobDisplay(["europarl-ner.de"], "local", io.StringIO(), tty=False)
    with caplog.at_level(logging.INFO, logger="silver_ner.build"):
        logged(Progress("europarl-ner.de", 6, 6, state="done"))
        logged(Progress("europarl-ner.de", 5, 6))
    assert [r.getMessage() for r in caplog.records] == ["[1/1 configs] europarl-ner.de: done, chunks 6/6"]


def test_a_local_build_logs_progress_and_writes_the_layout(tmp_path, capsys, caplog):
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "5", "--out",
            str(tmp_path / "out"), "--cache-dir", str(tmp_path / "ds")]  # fmt: skip
    with caplog.at_level(logging.INFO, logger="silver_ner.build"):
        assert main(argv) == 0
    assert [r.getMessage() for r in caplog.records if r.name == "silver_ner.build"] == [
        "[0/1 configs] europarl-ner.es: running, chunks 0/1",
        "[0/1 configs] europarl-ner.es: running, chunks 1/1",
        "[1/1 configs] europarl-ner.es: done, chunks 1/1",
    ]
    out = capsys.readouterr().out
    assert out.startswith("built 1 of 1 config(s) on local (1 process) in ")
    assert "europarl-ner.es: 1 file(s), 1 chunk(s) run," in out
    files = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert files == ["README.md", "europarl-ner.es/test-00000-of-00001.parquet"]
    # found in review: a rebuild that took every split from the datasets cache said "done, chunks 0/0" and
    # "0 chunk(s) run", naming no cache
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="silver_ner.build"):
        assert main([*argv[:-3], str(tmp_path / "out2"), *argv[-2:]]) == 0
    assert [r.getMessage() for r in caplog.records if r.name == "silver_ner.build"] == [
        "[0/1 configs] europarl-ner.es: running, chunks 0/1",
        "[1/1 configs] europarl-ner.es: cached, chunks 0/0",
    ]
    assert "europarl-ner.es: 1 file(s), from the datasets cache," in capsys.readouterr().out
    assert (tmp_path / "out2" / "europarl-ner.es" / "test-00000-of-00001.parquet").read_bytes() == (
        tmp_path / "out" / "europarl-ner.es" / "test-00000-of-00001.parquet").read_bytes()


def test_the_progress_total_counts_chunks_of_the_chunk_size_given(tmp_path, caplog):
    """Found in review: with --chunk-size the first estimate divided by the default size (1,000): 20 pairs in
    chunks of 5 showed ``chunks 0/1`` until the first chunk was done (after the aligner's whole training)."""
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "20", "--chunk-size",
            "5", "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "ds"), "--silver-cache",
            str(tmp_path / "cache")]  # fmt: skip
    with caplog.at_level(logging.INFO, logger="silver_ner.build"):
        assert main(argv) == 0
    assert [r.getMessage() for r in caplog.records if r.name == "silver_ner.build"] == [
        "[0/1 configs] europarl-ner.es: running, chunks 0/4",
        *(f"[0/1 configs] europarl-ner.es: running, chunks {k}/4" for k in range(1, 5)),
        "[1/1 configs] europarl-ner.es: done, chunks 4/4",
    ]


def test_possible_weight_is_a_build_option_as_its_help_says(tmp_path, capsys):
    """``build --help`` (and ``push.py --help``) list ``--possible-weight``; it used to fail every time with
    "--possible-weight is not a builder config option yet". Found in review."""
    from builders import make_config

    sig = make_config("europarl-ner.de", aligner="fastalign.v1", possible_weight=0.7).signature().format()
    assert "|score:align=1,possible=0.7,char=0.5|" in sig
    assert make_config("europarl-ner.de", possible_weight=0.3).signature() == make_config("europarl-ner.de").signature()
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "5", "--out",
            str(tmp_path / "out"), "--cache-dir", str(tmp_path / "ds"), "--quiet"]  # fmt: skip
    assert main([*argv, "--possible-weight", "0.7"]) == 0
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "score:align=1,possible=0.7,char=0.5" in card
    capsys.readouterr()
    assert main([*argv, "--possible-weight", "2"]) == 2
    assert capsys.readouterr().err == "silver-ner: error: --possible-weight must be at most 1, got 2.0\n"


@pytest.mark.parametrize("module", ["datasets", "yaml", "huggingface_hub"])
def test_build_and_push_without_the_hub_extra_give_the_install_line(module, tmp_path, capsys, monkeypatch):
    """README: "A missing extra is named in the error with the pip install line". ``build`` said only
    "No module named 'datasets'" and push.py without huggingface_hub ended in a traceback. Found in review."""
    import push

    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    hint = 'run: pip install "silver-ner[hub]"'
    argv = ["--configs", "europarl-ner.de", "--aligner", "fastalign.v1", "--limit", "3"]
    assert main(["build", *argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"silver-ner: error: {module} is needed for building dataset configs but is not installed (")
    assert err.endswith(f"); {hint}\n") and err.count("\n") == 1
    assert push.main([*argv, "--dry-run", "--export-dir", str(tmp_path / "export")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"push.py: error: {module} is needed for building and publishing dataset configs but is "
                          "not installed (")
    assert err.endswith(f"); {hint}\n") and err.count("\n") == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "export").exists()


def test_a_readme_that_is_no_dataset_card_is_not_replaced(tmp_path, capsys):
    """``build --out .`` in a project folder replaced its README.md by the dataset card, without a word.
    Found in review."""
    import push

    own = "# My NER project\n\nNotes I want to keep.\n"
    (tmp_path / "README.md").write_text(own, encoding="utf-8")
    argv = ["--configs", "europarl-ner.de", "--aligner", "fastalign.v1", "--limit", "3", "--cache-dir",
            str(tmp_path / "ds")]  # fmt: skip
    message = (f"{tmp_path / 'README.md'} is not a dataset card (it has no YAML front matter) and the export would "
               "replace it; choose another export folder, or move the file\n")
    assert main(["build", *argv, "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "silver-ner: error: " + message
    assert push.main([*argv, "--dry-run", "--export-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "push.py: error: " + message
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == own
    assert not (tmp_path / "europarl-ner.de").exists()


def test_a_ray_address_where_nothing_listens_fails_at_once(tmp_path, capsys, monkeypatch):
    """Found in review: ``ray.init`` retries an address where nothing listens for about 12 minutes (20 tries of
    ~35 s) before its ``ConnectionError``; the build looked hung. Now a HOST:PORT that refuses is reported at once
    (``ray.init`` is never reached)."""
    import socket

    import ray  # a declared dependency (extras ray, all): a plain import, not a skip

    def no_init(**kwargs):
        raise AssertionError(f"ray.init reached for {kwargs.get('address')}")

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", no_init)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"127.0.0.1:{port}"
    argv = ["build", "--configs", "europarl-ner.de", "--aligner", "fastalign.v1", "--limit", "20", "--quiet",
            "--out", str(tmp_path / "out"), "--silver-cache", str(tmp_path / "cache"), "--cache-dir",
            str(tmp_path / "ds"), "--executor", "ray", "--ray-address", address]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"silver-ner: error: --ray-address {address}: cannot connect to Ray (nothing listens at {address}: "
        "Connection refused)\n"
    )


def test_quiet_configures_no_log_lines_off_a_terminal(tmp_path, capsys, monkeypatch):
    """Found in review: off a terminal (a batch job's log), build turns on INFO log lines in place of its display,
    and did so with --quiet too, whose help promises failures and the summary only."""
    calls = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kwargs: calls.append(kwargs["level"]))
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "5", "--out",
            str(tmp_path / "out"), "--cache-dir", str(tmp_path / "ds")]  # fmt: skip
    assert main([*argv, "--quiet"]) == 0 and calls == []
    assert main(argv) == 0 and calls == [logging.INFO]


def test_a_file_where_a_config_folder_goes_is_refused_before_any_work(tmp_path, capsys):
    """Noted in review: ``out/<config>`` being a file failed the export after every build, with exit 2 and no card."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "europarl-ner.es").write_text("not a folder\n", encoding="utf-8")
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "5", "--out", str(out),
            "--cache-dir", str(tmp_path / "ds"), "--silver-cache", str(tmp_path / "cache"), "--quiet"]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err == (f"silver-ner: error: {out / 'europarl-ner.es'} is a file, where the export "
                                       "writes config europarl-ner.es's Parquet files; move it, or choose another "
                                       "export folder\n")  # fmt: skip
    assert not (tmp_path / "cache").exists()  # no work was done


def test_on_ray_the_models_device_follows_gpus_per_model_so_every_config_signs_what_its_actors_do(tmp_path):
    """Left open since 0.4.4: a config signs its models' dtype (bf16 on a GPU) in the process that makes it, a Ray task
    that may see no GPU while the model actors translate on one. The executor now says where its models run, and
    ``build`` gives the config that device (or refuses a config that says otherwise)."""
    from builders import build
    from projection.executors import LocalExecutor
    from projection.executors.ray import RayExecutor

    assert [RayExecutor(num_gpus_per_model_task=g).model_device() for g in (0, 0.5, 1)] == ["cpu", "cuda", "cuda"]
    assert LocalExecutor(1).model_device() is None

    class OnGpus(LocalExecutor):  # a local executor whose models run on a GPU, as a RayExecutor with GPUs says
        def model_device(self):
            return "cuda"

    built = build("europarl-ner.de", aligner="fastalign.v1", limit=20, cache_dir=str(tmp_path / "ds"),
                  silver_cache_dir=str(tmp_path / "c"), progress=False, executor=OnGpus(1))  # fmt: skip
    assert built.config.device == "cuda"  # a model-free config: its signature has no dtype to change
    assert built.signature == build("europarl-ner.de", aligner="fastalign.v1", limit=20, cache_dir=str(tmp_path / "ds"),
                                    silver_cache_dir=str(tmp_path / "c"), progress=False).signature  # fmt: skip
    with pytest.raises(ValueError, match=r"config 'europarl-ner.de' has device='cpu', but local \(1 process\) runs "
                                         r"its models on cuda: leave device out"):  # fmt: skip
        build("europarl-ner.de", aligner="fastalign.v1", limit=20, device="cpu", executor=OnGpus(1), progress=False,
              cache_dir=str(tmp_path / "ds"), silver_cache_dir=str(tmp_path / "c"))  # fmt: skip


@pytest.mark.parametrize("option", ["stem=abc", "stemm=4"])
def test_a_bad_aligner_option_says_nothing_about_aligner_options_none(option, tmp_path, capsys):
    """Found in review: every bad --aligner-option (a CLI user who changed no aligner) got ProjectionConfig's advice for
    ``dataclasses.replace``: "also pass aligner_options=None for the new aligner's defaults", which no verb takes."""
    argv = ["build", "--configs", "europarl-ner.de", "--aligner-option", option, "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    expected = {"stem=abc": "silver-ner: error: aligner eflomal.v1 option stem takes int | None, got 'abc'",
                "stemm=4": "silver-ner: error: aligner eflomal.v1 has no option 'stemm'; valid: symmetrize, stem, model, "
                           "n_samplers, rel_iterations, iterations, null_prior, runs, stem_from, name_prior, "
                           "similar_names, similar_cased, possible_votes"}[option]  # fmt: skip
    assert err == expected


def test_the_card_lock_lies_in_the_silver_cache_given(tmp_path, capsys, monkeypatch):
    """Found in review: with --silver-cache the card's lock was still taken in the default cache
    ($XDG_CACHE_HOME/silver-ner); where that could not be made the build exited 2 after writing the Parquet files,
    leaving an export folder without its card."""
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.delenv("SILVER_NER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    out, silver = tmp_path / "out", tmp_path / "silver"
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "5", "--quiet", "--out",
            str(out), "--cache-dir", str(tmp_path / "ds"), "--silver-cache", str(silver)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == ["README.md", "europarl-ner.es/test-00000-of-00001.parquet"]
    assert len(list((silver / "locks").glob("card-*.lock"))) == 1


def test_a_config_whose_files_could_not_be_written_is_not_listed_as_built(tmp_path, capsys, monkeypatch):
    """Found in review: a config built but whose Parquet files failed to be written (a full disk) was reported
    "built 0 of 1 config(s)" and then listed as "europarl-ner.es: 1 file(s), 1 chunk(s) run" beside its failure."""
    import errno

    import builders.export as export_module

    def full_disk(out, outcome):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "_write_config", full_disk)
    argv = ["build", "--configs", "europarl-ner.es", "--aligner", "fastalign.v1", "--limit", "5", "--out",
            str(tmp_path / "out"), "--cache-dir", str(tmp_path / "ds"), "--quiet"]  # fmt: skip
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("built 0 of 1 config(s) on local (1 process) in ")
    assert len(captured.out.splitlines()) == 1  # the summary alone: no config line
    assert captured.err == (f"silver-ner: config europarl-ner.es failed: writing its files into "
                            f"{tmp_path / 'out' / 'europarl-ner.es'}: [Errno 28] No space left on device\n")


def test_a_warning_during_a_build_on_a_terminal_gets_a_line_above_the_status_line():
    """Found in review: a warning logged while the status line was drawn went on after its last number
    (``masakhaner2.swa 1/2`` then ``167 sentences exceed …`` read ``1/2167 sentences``). It is written on a line of its
    own: the status line cleared, the warning, the status line drawn again."""
    from projection.cli import _WarningLines

    stream = io.StringIO()
    display = JobDisplay(["masakhaner2.swa"], "local (1 process)", stream, tty=True)
    display(Progress("masakhaner2.swa", 1, 2))
    status = "build [local (1 process)]: 0/1 configs, chunks 1/2 · masakhaner2.swa 1/2"
    log = logging.getLogger("test_build_cli.display")
    log.propagate = False
    log.addHandler(_WarningLines(display.write))
    try:
        log.warning("167 sentences exceed the %d-token input limit", 64)
    finally:
        log.handlers.clear()
    assert stream.getvalue() == ("\r" + status + "\r" + " " * len(status) + "\r"
                                 + "167 sentences exceed the 64-token input limit\n" + "\r" + status)


def test_a_ray_address_ray_cannot_read_names_the_option(tmp_path, capsys):
    """Found in review: ``--ray-address garbage`` failed with Ray's "Invalid address format: garbage" alone, naming
    no option. (Ray reads the address itself: this runs its real ``init``, which refuses before starting anything.)"""
    argv = ["build", "--configs", "europarl-ner.de", "--aligner", "fastalign.v1", "--limit", "20", "--quiet",
            "--out", str(tmp_path / "out"), "--silver-cache", str(tmp_path / "cache"), "--cache-dir",
            str(tmp_path / "ds"), "--executor", "ray", "--ray-address", "garbage"]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err == ("silver-ner: error: --ray-address garbage: cannot connect to Ray (Invalid "
                                       "address format: garbage)\n")  # fmt: skip


def _fake_models(tmp_path):
    """Model folders that pass the checks made before any work (a config.json); nothing loads them here."""
    for role in ("mt", "ner"):
        (tmp_path / role).mkdir()
        (tmp_path / role / "config.json").write_text("{}", encoding="utf-8")
    return ["--mt-model", str(tmp_path / "mt"), "--ner-model", str(tmp_path / "ner"), "--aligner", "fastalign.v1"]


def test_a_family_or_glob_leaves_out_what_its_models_cannot_build_with_one_note(tmp_path, capsys, monkeypatch):
    """Found in review: NLLB-200 has no bbj and pcm, so ``--configs all`` (and ``masakhaner2``) failed them after
    building the rest, exit 1 every time, and push.py then published nothing; the advice "leave it out of the
    configs" could not be followed with a family or all. A family, glob or all now leaves them out, with one note."""
    import builders.export
    from builders.export import ExportResult

    seen = {}

    def fake_export(configs, export_dir, **kwargs):
        seen["configs"] = list(configs)
        return ExportResult(tmp_path / "out", (), ())

    monkeypatch.setattr(builders.export, "export", fake_export)
    models = _fake_models(tmp_path)
    assert main(["build", "--configs", "masakhaner2.[bhp]*", *models, "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert seen["configs"] == ["masakhaner2.bam", "masakhaner2.hau"]
    captured = capsys.readouterr()
    assert captured.err == (
        f"silver-ner: note: left out 2 config(s) that these models cannot build (masakhaner2.bbj: the translation "
        f"model {tmp_path / 'mt'} has no language code for bbj (Ghomálá'); masakhaner2.pcm: the translation model "
        f"{tmp_path / 'mt'} has no language code for pcm (Nigerian Pidgin)); name one of them in --configs to see the "
        "ways out\n")  # fmt: skip
    assert captured.out.startswith("built 0 of 2 config(s) on local in ")
    assert captured.out.endswith(f" -> {tmp_path / 'out'} (2 left out, see the note above)\n")


@pytest.mark.parametrize("configs", [["masakhaner2.hau", "masakhaner2.pcm"], ["masakhaner2", "masakhaner2.pcm"]])
def test_a_config_named_on_its_own_that_its_models_cannot_build_is_refused_before_any_work(configs, tmp_path, capsys):
    """Found in review: it failed (exit 1) only after the configs before it were built."""
    models = _fake_models(tmp_path)
    assert main(["build", "--configs", *configs, *models, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"silver-ner: error: config masakhaner2.pcm: the translation model {tmp_path / 'mt'} has no "
                          "language code for pcm (Nigerian Pidgin); NLLB-200 lacks bbj and pcm")  # fmt: skip
    assert err.count("\n") == 1 and not (tmp_path / "out").exists()


def test_patterns_that_leave_nothing_to_build_and_a_missing_data_dir_are_refused_before_any_work(tmp_path, capsys):
    models = _fake_models(tmp_path)
    out = ["--out", str(tmp_path / "out")]
    assert main(["build", "--configs", "masakhaner2.[bp][bc]*", *models, *out]) == 2
    assert capsys.readouterr().err.startswith("silver-ner: error: nothing to build: left out 2 config(s) that these "
                                              "models cannot build (masakhaner2.bbj: ")  # fmt: skip
    # found in review: every config failed alone reading it (exit 1), one line each, after an empty export folder
    assert main(["build", "--configs", "masakhaner2.hau", "masakhaner2.swa", *models, "--data-dir",
                 str(tmp_path / "nope"), *out]) == 2  # fmt: skip
    assert capsys.readouterr().err == (
        f"silver-ner: error: data_dir (--data-dir) {tmp_path / 'nope'} does not exist; give the folder that holds the "
        "family's files in its published layout (masakhaner2: DIR/<lang>/test.txt; xtreme: DIR/test-<lang>.tsv), or "
        "leave it out to read the Hub\n")  # fmt: skip
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "pattern, hint",
    [
        ("masakhaner", "did you mean masakhaner2?"),
        ("Masakhaner2", "did you mean masakhaner2?"),
        ("ALL", "did you mean all?"),
        ("masakhaner.hau", "did you mean masakhaner2.hau?"),
        ("masakhaner2.hua", "did you mean masakhaner2.hau?"),
        ("masakhaner2.sw", "did you mean masakhaner2.swa?"),
        ("xtreme.DE", "did you mean xtreme.de?"),
        ("europarl.*", "did you mean europarl-ner.*?"),
        ("translate-train", "did you mean translate-train.panx-en or translate-train.conll2003?"),
    ],
)
def test_a_config_pattern_close_to_a_real_one_names_it(pattern, hint):
    """Found in review: a typo of a family (masakhaner) was told only the ``<family>.<lang>`` forms, not that the
    family alone, a glob or all would do, nor which name was meant."""
    with pytest.raises(ValueError) as err:
        resolve_configs([pattern])
    assert str(err.value).endswith(f"or all; {hint}")


def test_a_pattern_close_to_nothing_gets_no_guess():
    for pattern in ("wikiann.de", "europarl-ner.xx"):
        with pytest.raises(ValueError) as err:
            resolve_configs([pattern])
        assert str(err.value).endswith("a glob (masakhaner2.*) or all")
