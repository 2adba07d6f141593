"""Build parallel-gold configs offline and check the rows against the gold files."""

from __future__ import annotations

import pytest
from builder_helpers import CONLL_LABELS, DATA, EUROPARL, conll_rows

from builders.make import build
from builders.silver_ner import SilverNER, build_summary
from projection.align.base import ALIGNERS, Aligner
from projection.types import Alignment

N = 40


def _decode(ds, column):
    names = ds.features[column].feature.names
    return [[names[i] for i in row] for row in ds[column]]


def test_europarl_de_rows_carry_gold_source_and_audit_columns(caches):
    built = build(
        "europarl-ner.de", aligner="fastalign.v1", limit=N, cache_dir=caches.datasets(),
        alignment_cache_dir=caches.alignments, progress=False,
    )  # fmt: skip
    test = built.splits["test"]
    de, en = conll_rows(EUROPARL / "de.conll", N), conll_rows(EUROPARL / "en.conll", N)
    assert len(test) == N
    for column in ("ner_tags", "silver_ner_tags", "source_ner_tags"):
        assert test.features[column].feature.names == CONLL_LABELS
    assert test["tokens"] == [t for t, _ in de]
    assert _decode(test, "ner_tags") == [g for _, g in de]
    assert test["source_tokens"] == [t for t, _ in en]
    assert _decode(test, "source_ner_tags") == [g for _, g in en]
    n_source = sum(tag.startswith("B-") for _, tags in en for tag in tags)
    assert sum(test["source_entities"]) == n_source
    silver = _decode(test, "silver_ner_tags")
    for row, tags in zip(test, silver):
        links = Alignment.from_pharaoh(row["alignment"])
        links.check_bounds(len(row["source_tokens"]), len(row["tokens"]))
        for m in row["matches"]:  # every match is a silver span with the source entity's label
            assert tags[m["target_start"]] == "B-" + m["label"]
            assert all(t == "I-" + m["label"] for t in tags[m["target_start"] + 1 : m["target_end"]])
        assert row["projected_entities"] == len({m["source_start"] for m in row["matches"]})
    assert len(set(test["signature"])) == 1 and "aligner:fastalign.v1(" in test["signature"][0]
    metrics = built.metrics["test"]
    assert metrics.sentences == N and metrics.source_entities == n_source
    assert metrics.projection_rate == pytest.approx(sum(test["projected_entities"]) / n_source)
    from seqeval.metrics import f1_score  # the reference implementation, on the written columns

    names = test.features["ner_tags"].feature.names
    gold = [[names[k] for k in row] for row in test["ner_tags"]]
    silver = [[names[k] for k in row] for row in test["silver_ner_tags"]]
    assert metrics.f1 == pytest.approx(f1_score(gold, silver))
    summary = build_summary(SilverNER.from_config(built.config, cache_dir=caches.datasets()).info)
    assert summary["metrics"]["test"]["sentences"] == N and summary["signature"] == built.signature


class DiagonalAligner(Aligner):
    """Links word k to word k: the right alignment of a sentence with itself (a real registered aligner)."""

    name = "testdiagonal.v1"

    def align(self, src, tgt):
        return [Alignment.of((k, k) for k in range(min(len(s), len(t)))) for s, t in zip(src, tgt)]


if "testdiagonal.v1" not in ALIGNERS:
    ALIGNERS.register("testdiagonal.v1")(DiagonalAligner)


def test_identity_translation_with_diagonal_links_projects_gold_exactly(caches):
    built = build(
        "europarl-ner.de", data_dir=str(DATA / "europarl-identical"), aligner="testdiagonal.v1",
        cache_dir=caches.datasets(), silver_cache_dir=caches.alignments, progress=False,
    )  # fmt: skip
    assert "aligner:testdiagonal.v1|" in built.signature
    test = built.splits["test"]
    gold = [tags for _, tags in conll_rows(DATA / "europarl-identical" / "de-europarl.test.conll02")]
    assert _decode(test, "silver_ner_tags") == gold
    assert test["alignment"][1] == "0-0 1-1 2-2 3-3 4-4"
    m = built.metrics["test"]
    assert (m.precision, m.recall, m.f1, m.projection_rate) == (1.0, 1.0, 1.0, 1.0)
    assert (m.source_entities, m.silver_entities) == (4, 4)
    assert test["matches"][0][0]["source_start"] == 1 and test["matches"][0][0]["target_end"] == 2


def test_a_datasets_cache_whose_path_holds_glob_characters_builds(caches):
    """Found in review: the split summary looked for the Arrow files with ``glob`` on the cache path unescaped, so a
    cache folder such as ``runs[2]/`` (``--cache-dir``, ``HF_DATASETS_CACHE``) matched no file and every build failed
    with "no files written for split 'test'", after building the split."""
    built = build(
        "europarl-ner.de", data_dir=str(DATA / "europarl-identical"), aligner="testdiagonal.v1",
        cache_dir=caches.datasets("runs[2]"), silver_cache_dir=caches.alignments, progress=False,
    )  # fmt: skip
    gold = [tags for _, tags in conll_rows(DATA / "europarl-identical" / "de-europarl.test.conll02")]
    assert _decode(built.splits["test"], "silver_ner_tags") == gold
    m = built.metrics["test"]
    assert (m.sentences, m.source_entities, m.f1) == (len(gold), 4, 1.0)


def test_dropped_labels_are_not_scored_as_missed_gold(caches):
    """Found in review: a config's ``drop_labels`` took MISC out of the silver data, and the split's metrics still
    scored the gold MISC entity as missed (recall 3/4 on identical sentences with diagonal links)."""
    built = build(
        "europarl-ner.de", data_dir=str(DATA / "europarl-identical"), aligner="testdiagonal.v1", drop_labels=("MISC",),
        cache_dir=caches.datasets(), silver_cache_dir=caches.alignments, progress=False,
    )  # fmt: skip
    assert "B-MISC" not in {t for row in _decode(built.splits["test"], "silver_ner_tags") for t in row}
    m = built.metrics["test"]
    assert (m.precision, m.recall, m.f1) == (1.0, 1.0, 1.0)
    assert m.ignored_types == ("MISC",) and set(m.per_type) == {"LOC", "ORG", "PER"}


def test_types_outside_the_schema_are_read_as_o_before_projection(caches, tmp_path, caplog):
    """Found in review: a data_dir whose files tag a type outside the family's (DATE in europarl-ner) wrote it as O in
    the tag columns, but projected it: ``matches``, ``source_entities``/``projected_entities`` and the projection rate
    counted it. Now it is O on both sides before projection, and the build says so once."""
    import logging

    data = tmp_path / "data"
    data.mkdir()
    for side in ("en", "de"):  # "European Commission" (ORG) becomes a DATE entity on both sides
        text = (DATA / "europarl-identical" / f"{side}-europarl.test.conll02").read_text(encoding="utf-8")
        text = text.replace("European\tB-ORG\nCommission\tI-ORG", "European\tB-DATE\nCommission\tI-DATE")
        assert text.count("B-DATE") == 1
        (data / f"{side}-europarl.test.conll02").write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="builders"):
        built = build(
            "europarl-ner.de", data_dir=str(data), aligner="testdiagonal.v1",
            cache_dir=caches.datasets(), silver_cache_dir=caches.alignments, progress=False,
        )  # fmt: skip
    test = built.splits["test"]
    first = ["O", "B-PER", "O", "O", "O", "O", "O", "B-LOC", "O"]  # Mr Barroso visited the European Commission in Brussels .
    expected_tags = [first, ["O", "B-MISC", "O", "O", "O"], ["O", "O", "O"]]
    for column in ("ner_tags", "source_ner_tags", "silver_ner_tags"):
        assert _decode(test, column) == expected_tags
    # identical words on diagonal sure links: align 1 + char 0.5 (the default weights)
    assert test["matches"] == [
        [{"source_start": 1, "source_end": 2, "target_start": 1, "target_end": 2, "label": "PER", "score": 1.5},
         {"source_start": 7, "source_end": 8, "target_start": 7, "target_end": 8, "label": "LOC", "score": 1.5}],
        [{"source_start": 1, "source_end": 2, "target_start": 1, "target_end": 2, "label": "MISC", "score": 1.5}],
        [],
    ]  # fmt: skip
    assert test["source_entities"] == [2, 1, 0] and test["projected_entities"] == [2, 1, 0]
    m = built.metrics["test"]
    assert (m.source_entities, m.projected_entities, m.silver_entities, m.projection_rate) == (3, 3, 3, 1.0)
    assert (m.precision, m.recall, m.f1) == (1.0, 1.0, 1.0) and set(m.per_type) == {"LOC", "MISC", "PER"}
    said = [r.getMessage() for r in caplog.records if "outside" in r.getMessage()]
    assert said == [
        "europarl-ner.de test: 1 DATE entity in en-europarl.test.conll02 and 1 DATE entity in de-europarl.test.conll02 "
        "are outside europarl-ner's types (PER, ORG, LOC, MISC) and were read as O"
    ]


def test_uner_pud_needs_a_data_dir(caches):
    with pytest.raises(FileNotFoundError, match="uner-pud needs data_dir"):
        build("uner-pud.de", aligner="fastalign.v1", cache_dir=caches.datasets(), progress=False)


@pytest.mark.parametrize("name", ["build", "make_config", "SilverNER", "SilverNERConfig", "BuiltConfig"])
def test_builders_api_without_the_hub_extra_gives_the_install_line(name, monkeypatch):
    """README: "A missing extra is named in the error with the pip install line". ``from builders import build``
    (the README's Python example) said only "No module named 'datasets'" on an install without the hub extra
    (found in review)."""
    import sys

    import builders
    from projection.extras import MissingExtraError

    monkeypatch.setitem(sys.modules, "datasets", None)  # as if not installed
    with pytest.raises(MissingExtraError) as err:
        getattr(builders, name)
    assert str(err.value) == ("datasets is needed for building dataset configs but is not installed "
                              "(import of datasets halted; None in sys.modules); run: pip install \"silver-ner[hub]\"")


def test_a_build_waiting_for_another_build_of_its_config_says_what_it_waits_for(caches, caplog):
    """Found in review: two builds of one config sharing a datasets cache (``--cache-dir``) started together, and the
    second waited for ``datasets``' builder lock, i.e. for the whole build of the first, without a word (its progress
    at 0, nothing under ``--quiet``), forever where that one was stopped or hung."""
    import fcntl
    import os
    import threading
    import time

    from builders.make import make_config

    options = dict(data_dir=str(DATA / "europarl-identical"), aligner="testdiagonal.v1")
    builder = SilverNER.from_config(make_config("europarl-ner.de", **options), cache_dir=caches.datasets())
    lock = builder._cache_dir + "_builder.lock"  # where datasets locks this config's cache folder
    os.makedirs(os.path.dirname(lock), exist_ok=True)
    holder = open(lock, "a+b")  # another build's hold on it (flock: per open file, so also within one process)
    fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
    built = []
    worker = threading.Thread(target=lambda: built.append(build(
        "europarl-ner.de", cache_dir=caches.datasets(), silver_cache_dir=caches.alignments, progress=False,
        **options)))  # fmt: skip
    with caplog.at_level("WARNING"):
        worker.start()
        try:
            deadline = time.monotonic() + 30
            while not any("waiting for the datasets cache lock" in r.getMessage() for r in caplog.records):
                assert time.monotonic() < deadline and worker.is_alive(), "no word about the lock it waits for"
                time.sleep(0.05)
            assert not built  # it is waiting
        finally:
            holder.close()  # the other build ends
            worker.join(60)
    [message] = [r.getMessage() for r in caplog.records if "datasets cache lock" in r.getMessage()]
    assert message == (f"waiting for the datasets cache lock {lock}: another process is building config "
                       "europarl-ner.de into the same datasets cache (--cache-dir); this run goes on when that one "
                       "ends, and then reuses its files (Ctrl-C stops this one)")  # fmt: skip
    gold = [tags for _, tags in conll_rows(DATA / "europarl-identical" / "de-europarl.test.conll02")]
    assert _decode(built[0].splits["test"], "silver_ner_tags") == gold


def test_a_build_without_progress_draws_no_datasets_bar_and_leaves_them_as_they_were(caches, capfd):
    """Found in review: ``build(..., progress=False)`` (a notebook, a script whose stderr goes to a file) still drew
    ``datasets``' "Generating test split" bar, every frame of it on a redirected stderr; the CLI turns those bars off
    itself. They are off during such a build, and as they were after it."""
    import datasets

    datasets.enable_progress_bars()  # as in a fresh process (the conftest turns them off for the other tests)
    try:
        built = build("europarl-ner.de", aligner="fastalign.v1", limit=N, cache_dir=caches.datasets(),
                      silver_cache_dir=caches.alignments, progress=False)  # fmt: skip
        assert len(built.splits["test"]) == N
        assert datasets.is_progress_bar_enabled()
    finally:
        datasets.disable_progress_bars()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_metrics_count_predicted_entities_and_the_build_names_a_gold_type_never_projected(caches, tmp_path, caplog):
    """Found in review: a build's ``metrics.per_type`` (so the card's records) had no ``predicted`` count, which
    ``project --report`` gives, and the build did not say, as ``project`` does, that a gold type was never projected.
    Here the English side's one MISC entity (``euro``) is O: the German gold MISC is missed; PER, ORG and LOC are
    projected onto the identical sentences word for word (1 predicted, 1 gold each)."""
    import logging

    data = tmp_path / "data"
    data.mkdir()
    for side in ("en", "de"):
        text = (DATA / "europarl-identical" / f"{side}-europarl.test.conll02").read_text(encoding="utf-8")
        if side == "en":
            text = text.replace("euro\tB-MISC", "euro\tO")
        (data / f"{side}-europarl.test.conll02").write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="builders"):
        built = build("europarl-ner.de", data_dir=str(data), aligner="testdiagonal.v1", cache_dir=caches.datasets(),
                      silver_cache_dir=caches.alignments, progress=False)  # fmt: skip
    m = built.metrics["test"]
    right = {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}
    assert m.per_type == {"LOC": right, "ORG": right, "PER": right,
                          "MISC": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1, "predicted": 0}}
    assert (m.precision, m.recall, m.f1) == (1.0, 0.75, 2 * 0.75 / 1.75)
    assert [r.getMessage() for r in caplog.records if "gold has" in r.getMessage()] == [
        "europarl-ner.de test: the gold has 1 MISC entity and the projection wrote no MISC span: it was scored as "
        "missed; if the source has no MISC, pass --drop-label MISC to leave MISC out of the score"]


def test_build_takes_path_folders_as_its_annotations_say(tmp_path):
    # found in review: build's folders were annotated `str | None`, so a user's type checker refused the Path that
    # build takes (and tests/builders pass str(...) only)
    import os
    import typing
    from pathlib import Path

    hints = typing.get_type_hints(build)
    for name in ("cache_dir", "silver_cache_dir", "alignment_cache_dir", "work_dir"):
        assert hints[name] == str | os.PathLike | None, name
    built = build("europarl-ner.de", aligner="fastalign.v1", limit=5, cache_dir=tmp_path / "ds",
                  silver_cache_dir=Path(tmp_path / "silver"), progress=False)  # fmt: skip
    assert len(built.splits["test"]) == 5
    assert Path(built.cache_dir).is_relative_to(tmp_path / "ds")
    assert any((tmp_path / "silver").iterdir())


def test_type_checkers_see_every_exported_name() -> None:
    # found in review: SilverNER, SilverNERConfig, build, make_config and BuiltConfig are made by the package's
    # __getattr__ on first use, so mypy and pyright typed `from builders import build` as Any
    import ast
    from pathlib import Path

    import builders

    tree = ast.parse(Path(builders.__file__).read_text(encoding="utf-8"))
    seen: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):  # at module level, or `name as name` under `if TYPE_CHECKING:`
            seen.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            seen.update(a.name for sub in node.body if isinstance(sub, ast.ImportFrom)
                        for a in sub.names if a.asname == a.name)  # fmt: skip
    assert sorted(set(builders.__all__) - seen) == []
    # and the block's imports are the objects __getattr__ gives
    block = [n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", None) == "TYPE_CHECKING"]
    names: dict = {}
    exec(compile(ast.Module(body=block[0].body, type_ignores=[]), "<TYPE_CHECKING>", "exec"), names)
    lazy = sorted(n for n in names if n != "__builtins__")
    assert lazy == ["BuiltConfig", "SilverNER", "SilverNERConfig", "build", "make_config"]
    assert [n for n in lazy if names[n] is not getattr(builders, n)] == []
