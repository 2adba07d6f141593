"""Both modes end to end through the CLI with tiny local models (the code path a user runs)."""

from __future__ import annotations

import json

import pytest

from projection.cli import main
from projection.io.conll import read_conll
from projection.io.sources import load_sentences
from projection.tags import check_tag, repair_iob2

pytestmark = pytest.mark.neural


def _model_args(m, ner="ner"):
    """``ner=None``: no tagger (translate-train refuses a --ner-model it would not use)."""
    tagger = ["--ner-model", str(m[ner])] if ner else []
    return ["--mt-model", str(m["mt"]), *tagger, "--align-model", str(m["enc"]), "--align-layer", "2", "--no-progress",
            "--batch-size", "2"]


def _valid_iob2(tags):
    for t in tags:
        check_tag(t)
    return repair_iob2(tags)[1] == 0


@pytest.mark.parametrize("dataset,lang,split", [("masakhaner2", "swa", "test"), ("xtreme", "de", "dev")])
def test_translate_test_keeps_tokens_and_scores(tiny_models, data_dir, tmp_path, dataset, lang, split):
    out, report = tmp_path / "out.conll", tmp_path / "report.json"
    code = main(["translate-test", "--dataset", dataset, "--lang", lang, "--split", split,
                 "--data-dir", str(data_dir / dataset), *_model_args(tiny_models),
                 "--cache-dir", str(tmp_path / "cache"), "--out", str(out), "--report", str(report)])
    assert code == 0
    gold = load_sentences(dataset, lang, split, data_dir=str(data_dir / dataset))
    got = read_conll(out).sentences
    assert [s.tokens for s in got] == [s.tokens for s in gold]
    assert all(_valid_iob2(s.tags) for s in got)
    rep = json.loads(report.read_text())
    assert rep["sentences"] == len(gold) == 4
    from seqeval.metrics import f1_score, precision_score, recall_score  # the reference, on the files written

    ignore = {"DATE", "MISC"}
    gold_tags = [["O" if t[2:] in ignore else t for t in s.tags] for s in gold]
    silver = [["O" if t[2:] in ignore else t for t in s.tags] for s in got]
    assert rep["precision"] == pytest.approx(precision_score(gold_tags, silver))
    assert rep["recall"] == pytest.approx(recall_score(gold_tags, silver))
    assert rep["f1"] == pytest.approx(f1_score(gold_tags, silver))
    # each type's predicted entities as seqeval reads the output, and the entity counts project's report has
    from collections import Counter

    from seqeval.metrics.sequence_labeling import get_entities

    predicted = Counter(label for tags in silver for label, _, _ in get_entities(tags))
    assert {t: d["predicted"] for t, d in rep["per_type"].items()} == {t: predicted[t] for t in rep["per_type"]}
    assert rep["projection_rate"] == (rep["projected_entities"] / rep["source_entities"] if rep["source_entities"]
                                      else 1.0)  # fmt: skip
    assert "mode:translate-test" in rep["signature"] and "aligner:simalign.v1" in rep["signature"]
    assert "mt:mt@" in rep["signature"] and "ner:ner@" in rep["signature"]


def test_translate_test_with_a_known_ner_answer(tiny_models, data_dir, tmp_path):
    """An NER model that says I-PER for every word (IOB1 start) labels the whole English translation as one
    PER entity; with NER candidates the projection can only produce PER spans on the gold tokens."""
    out = tmp_path / "out.conll"
    code = main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir",
                 str(data_dir / "masakhaner2"), *_model_args(tiny_models, ner="ner_per"), "--candidates", "ner.v1",
                 "--cache-dir", str(tmp_path / "cache"), "--out", str(out)])
    assert code == 0
    tags = [t for s in read_conll(out).sentences for t in s.tags]
    assert {t[2:] for t in tags if t != "O"} <= {"PER"}
    # the NER model marks every target word as one PER candidate span, so whatever is projected is a B-PER
    # at the first token followed by I-PER
    labelled = [s for s in read_conll(out).sentences if any(t != "O" for t in s.tags)]
    assert labelled  # the English side is one PER entity per sentence, so some must be projected
    for s in labelled:
        assert s.tags[0] == "B-PER" and all(t == "I-PER" for t in s.tags[1:])


def test_translate_train_writes_silver_target(tiny_models, data_dir, tmp_path):
    out, report = tmp_path / "silver.conll", tmp_path / "report.json"
    code = main(["translate-train", "--source", "conll2003", "--data-dir", str(data_dir / "conll2003"),
                 "--lang", "swa", *_model_args(tiny_models, ner=None), "--cache-dir", str(tmp_path / "cache"),
                 "--out", str(out), "--report", str(report)])
    assert code == 0
    got = read_conll(out).sentences
    rep = json.loads(report.read_text())
    assert len(got) == rep["sentences"] == rep["source_sentences"] == 4  # one silver sentence per English one
    assert all(_valid_iob2(s.tags) for s in got)
    assert not any(t.endswith("MISC") for s in got for t in s.tags)
    assert "mode:translate-train" in rep["signature"]
    # found in review: the signature did not name the target language (fr and de runs signed alike)
    assert "|data:conll2003(into=swa,split=train,rev=" in rep["signature"]


def test_translations_are_cached_and_reused(tiny_models, data_dir, tmp_path):
    args = ["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir",
            str(data_dir / "masakhaner2"), *_model_args(tiny_models), "--cache-dir", str(tmp_path / "cache")]
    assert main([*args, "--out", str(tmp_path / "a.conll"), "--report", str(tmp_path / "a.json")]) == 0
    assert main([*args, "--aligner", "awesome.v1", "--out", str(tmp_path / "b.conll"),
                 "--report", str(tmp_path / "b.json")]) == 0
    first = json.loads((tmp_path / "a.json").read_text())["counts"]
    second = json.loads((tmp_path / "b.json").read_text())["counts"]
    assert first["translations_cached"] == 0 and second["translations_cached"] == 4
    assert "aligner:awesome.v1" in json.loads((tmp_path / "b.json").read_text())["signature"]


def test_back_translation_runs_end_to_end(tiny_models, data_dir, tmp_path):
    out, report = tmp_path / "bt.conll", tmp_path / "bt.json"
    code = main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir",
                 str(data_dir / "masakhaner2"), *_model_args(tiny_models, ner="ner_per"), "--back-translation",
                 "--bt-model", str(tiny_models["mt"]), "--bt-tokenizer", str(tiny_models["mt"]),
                 "--cache-dir", str(tmp_path / "cache"), "--out", str(out), "--report", str(report)])
    assert code == 0
    gold = load_sentences("masakhaner2", "swa", "test", data_dir=str(data_dir / "masakhaner2"))
    got = read_conll(out).sentences
    assert [s.tokens for s in got] == [s.tokens for s in gold]
    rep = json.loads(report.read_text())
    assert "bt:mt@" in rep["signature"]
    counts = rep["counts"]
    # the I-PER tagger makes every English translation one PER entity: one marked entity per sentence; the tiny
    # MT model drops every marker, so all 4 are lost (the matched path: test_builder_models, identity translation)
    assert (counts["bt_markers"], counts["bt_matched"], counts["bt_lost"]) == (0, 0, len(gold)) and len(gold) == 4


def test_demo_takes_the_align_model_its_error_names(tiny_models, tmp_path, monkeypatch, capsys):
    """``demo --aligner simalign.v1`` offline said "pass a local copy: --align-model DIR", an option demo did not
    have (argparse refused it). Now demo has --align-model and --device, as project does. Found in review."""
    import projection.demo
    from projection.io.conll import Corpus

    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "cache"))
    real = projection.demo.europarl
    monkeypatch.setattr(projection.demo, "europarl", lambda lang: Corpus(real(lang).sentences[:6], True))
    argv = ["demo", "--langs", "de", "--aligner", "simalign.v1", "--quiet", "--no-extra-text"]
    assert main([*argv, "--align-model", str(tmp_path / "no-such-model")]) == 2
    assert capsys.readouterr().err == (f"silver-ner: error: alignment model directory {tmp_path / 'no-such-model'} "
                                       "does not exist; fix the path given to --align-model\n")
    assert main([*argv, "--align-model", str(tiny_models["enc"]), "--aligner-option", "layer=2",
                 "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Europarl-NER: projecting English gold labels onto de")
    assert "|aligner:simalign.v1(model=enc@" in out and ",layer=2,method=itermax,unit=bpe)|" in out


@pytest.mark.parametrize("verb", ["project", "build"])
def test_a_layer_the_encoder_lacks_names_an_option_the_verb_has(verb, tiny_models, tmp_path, capsys, monkeypatch):
    """The error said "(--align-layer)", an option only translate-test/-train have: project, demo, build and
    push.py take the layer as --aligner-option layer=N. Found in review."""
    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "src.conll"
    src.write_text("Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nParis\tB-LOC\n", encoding="utf-8")
    common = ["--aligner", "simalign.v1", "--align-model", str(tiny_models["enc"])]
    if verb == "project":
        argv = ["project", "--source", str(src), "--target", str(src), "--out", str(tmp_path / "o.conll"), "--quiet"]
    else:
        argv = ["build", "--configs", "europarl-ner.de", "--limit", "2", "--out", str(tmp_path / "export"),
                "--cache-dir", str(tmp_path / "ds"), "--quiet"]  # fmt: skip
    message = (f"alignment layer 8 was asked for but {tiny_models['enc']} has 2 layers; choose a layer between 0 "
               "(embeddings) and 2 (--aligner-option layer=N; translate-test and translate-train also take "
               "--align-layer N)\n")
    # project: a usage error before any output; build: the config fails (exit 1), the run goes on to its summary
    assert main([*argv, *common]) == (2 if verb == "project" else 1)
    err = capsys.readouterr().err
    assert err == ("silver-ner: error: " if verb == "project" else
                   "silver-ner: config europarl-ner.de failed: ValueError: ") + message  # fmt: skip
    assert main([*argv, *common, "--aligner-option", "layer=2"]) == 0


@pytest.mark.parametrize("verb, option", [("translate-test", "--out"), ("translate-test", "--report"),
                                          ("translate-train", "--out")])
def test_an_output_on_the_dataset_file_read_is_refused(verb, option, tiny_models, data_dir, tmp_path, capsys):
    """``translate-test --data-dir D --out D/swa/test.txt`` replaced the gold test file with the silver output
    (here 2 of its sentences): the dataset file read is an input like --translations. Found in review."""
    import shutil

    if verb == "translate-test":
        shutil.copytree(data_dir / "masakhaner2", tmp_path / "data")
        data = tmp_path / "data" / "swa" / "test.txt"
        argv = ["translate-test", "--dataset", "masakhaner2", "--lang", "swa"]
    else:
        shutil.copytree(data_dir / "conll2003", tmp_path / "data")
        data = tmp_path / "data" / "en.conll.train.tsv"
        argv = ["translate-train", "--source", "conll2003", "--lang", "swa"]
    before = data.read_bytes()
    outputs = {"--out": str(tmp_path / "out.conll"), option: str(data)}
    tagger = None if verb == "translate-train" else "ner"
    code = main([*argv, "--data-dir", str(tmp_path / "data"), "--limit", "2", *_model_args(tiny_models, tagger),
                 "--cache-dir", str(tmp_path / "cache"), *[x for kv in outputs.items() for x in kv]])
    assert code == 2
    assert capsys.readouterr().err == (f"silver-ner: error: {option} {data} is also an input file; write the output "
                                       "to another path\n")
    assert data.read_bytes() == before


@pytest.mark.parametrize("verb", ["translate-test", "translate-train"])
def test_out_and_report_on_one_file_are_refused(verb, tiny_models, data_dir, tmp_path, capsys):
    """``--out x --report x`` wrote the CoNLL output, then replaced it by the JSON report (project refuses
    this). Found in review."""
    if verb == "translate-test":
        argv = [verb, "--dataset", "masakhaner2", "--lang", "swa", "--data-dir", str(data_dir / "masakhaner2")]
    else:
        argv = [verb, "--source", "conll2003", "--lang", "swa", "--data-dir", str(data_dir / "conll2003")]
    same = str(tmp_path / "x.conll")
    tagger = None if verb == "translate-train" else "ner"
    code = main([*argv, "--limit", "2", *_model_args(tiny_models, tagger), "--cache-dir", str(tmp_path / "cache"),
                 "--out", same, "--report", same])
    assert code == 2
    assert capsys.readouterr().err == "silver-ner: error: --out and --report must be different files\n"
    assert not (tmp_path / "x.conll").exists()


def test_translate_test_leaves_dropped_labels_out_of_its_report(tiny_models, data_dir, tmp_path):
    """Found in review: ``--drop-label PER`` took PER out of the output and the report still scored gold PER as
    missed; it is now left out like MISC and DATE."""
    report = tmp_path / "r.json"
    assert main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir",
                 str(data_dir / "masakhaner2"), *_model_args(tiny_models, ner="ner_per"), "--drop-label", "PER",
                 "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / "o.conll"),
                 "--report", str(report)]) == 0  # fmt: skip
    rep = json.loads(report.read_text())
    assert rep["ignored_types"] == ["DATE", "MISC", "PER"] and "PER" not in rep["per_type"]


def test_translate_test_names_a_tagger_type_the_gold_lacks(tiny_models, data_dir, tmp_path, caplog):
    """Found in review: a tagger's type that the gold never has (here PER, against a gold whose PER entities were
    made O) was scored as false positives without a word. The scores stay; the run says so once."""
    import logging
    import re
    import shutil

    from seqeval.metrics import precision_score

    data = tmp_path / "data"
    shutil.copytree(data_dir / "masakhaner2", data)
    gold_file = data / "swa" / "test.txt"
    gold_file.write_text(re.sub(r" [BI]-PER$", " O", gold_file.read_text(encoding="utf-8"), flags=re.M),
                         encoding="utf-8")  # fmt: skip
    out, report = tmp_path / "o.conll", tmp_path / "r.json"
    with caplog.at_level(logging.WARNING):
        assert main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir", str(data),
                     *_model_args(tiny_models, ner="ner_per"), "--candidates", "ner.v1", "--cache-dir",
                     str(tmp_path / "cache"), "--out", str(out), "--report", str(report)]) == 0  # fmt: skip
    silver = [s.tags for s in read_conll(out).sentences]
    n_per = sum(t == "B-PER" for tags in silver for t in tags)
    assert n_per  # the tagger marks every English word PER: some PER is projected (as in the test above)
    warned = [m for m in caplog.messages if "the gold has no" in m]
    assert warned == [f"the projection wrote {n_per} PER span{'s' if n_per > 1 else ''} and the gold has no PER "
                      f"entity: {'they were' if n_per > 1 else 'it was'} scored as false positive"
                      f"{'s' if n_per > 1 else ''}; pass --drop-label PER to leave PER out of the projection and "
                      "the score"]  # fmt: skip
    rep = json.loads(report.read_text())
    assert rep["per_type"]["PER"]["support"] == 0 and rep["per_type"]["PER"]["predicted"] == n_per
    gold = [s.tags for s in load_sentences("masakhaner2", "swa", "test", data_dir=str(data))]
    keep = lambda tags: ["O" if t[2:] in {"DATE", "MISC"} else t for t in tags]  # noqa: E731
    assert rep["precision"] == pytest.approx(precision_score([keep(g) for g in gold], [keep(p) for p in silver]))


def test_translate_test_names_gold_types_the_tagger_lacks_and_takes_them_as_drop_labels(tiny_models, data_dir,
                                                                                     tmp_path, caplog):
    """The mirror case: a gold type of which the tagger (here PER only) projects nothing is scored as missed.
    The run says so once, and ``--drop-label`` takes such a type of the gold (before, a type outside the tagger's
    was refused), leaving it out of the score."""
    import logging

    from seqeval.metrics import recall_score

    common = ["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir", str(data_dir / "masakhaner2"),
              *_model_args(tiny_models, ner="ner_per"), "--candidates", "ner.v1", "--cache-dir", str(tmp_path / "cache")]
    gold = [s.tags for s in load_sentences("masakhaner2", "swa", "test", data_dir=str(data_dir / "masakhaner2"))]
    n_loc = sum(x == "B-LOC" for tags in gold for x in tags)
    assert n_loc == 4  # the fixture's gold: PER, LOC and DATE (ignored); the tagger writes PER alone
    with caplog.at_level(logging.WARNING):
        assert main([*common, "--out", str(tmp_path / "o.conll"), "--report", str(tmp_path / "r.json")]) == 0
    assert [m for m in caplog.messages if m.startswith("the gold has")] == [
        "the gold has 4 LOC entities and the projection wrote no LOC span: they were scored as missed; if the source "
        "has no LOC, pass --drop-label LOC to leave LOC out of the score"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert main([*common, "--drop-label", "LOC", "--out", str(tmp_path / "o2.conll"), "--report",
                     str(tmp_path / "r2.json")]) == 0  # fmt: skip
    assert [m for m in caplog.messages if m.startswith("the gold has")] == []
    rep = json.loads((tmp_path / "r2.json").read_text())
    assert rep["ignored_types"] == ["DATE", "LOC", "MISC"] and sorted(rep["per_type"]) == ["PER"]
    silver = [s.tags for s in read_conll(tmp_path / "o2.conll").sentences]
    keep = lambda tags: [t if t[2:] == "PER" else "O" for t in tags]  # noqa: E731
    assert rep["recall"] == pytest.approx(recall_score([keep(g) for g in gold], [keep(p) for p in silver]))


@pytest.mark.parametrize("verb, extra, message", [
    ("translate-test", ["--bt-model", "x"], "--bt-model would do nothing without --back-translation: leave it out"),
    ("translate-train", ["--bt-tokenizer", "x"],
     "--bt-tokenizer would do nothing without --back-translation: leave it out"),
    ("translate-test", ["--aligner", "fastalign.v1"],
     "--align-model would do nothing with fastalign.v1, which uses no model: leave it out"),
    ("translate-test", ["--device", "foo"], "--device foo: not a torch device; give cpu, cuda, cuda:1, mps …, or "
                                            "leave it out (the GPU when torch sees one)"),
    ("translate-train", ["--ner-model", "x"], "--ner-model would do nothing in translate-train, whose English keeps "
                                              "its gold labels, unless the candidates are ner.v1: leave it out"),
])  # fmt: skip
def test_options_that_would_do_nothing_or_cannot_run_are_refused_before_any_work(verb, extra, message, tiny_models,
                                                                                 data_dir, tmp_path, capsys):
    """Found in review: each was accepted and did nothing, or (a bad device) failed with a traceback when the first
    model loaded."""
    data = ["--dataset", "masakhaner2"] if verb == "translate-test" else ["--source", "conll2003"]
    sub = "masakhaner2" if verb == "translate-test" else "conll2003"
    models = ["--mt-model", str(tiny_models["mt"]), "--align-model", str(tiny_models["enc"])]
    if verb == "translate-test":
        models += ["--ner-model", str(tiny_models["ner"])]
    assert main([verb, *data, "--lang", "swa", "--data-dir", str(data_dir / sub), *models, *extra, "--no-progress",
                 "--out", str(tmp_path / "o.conll")]) == 2  # fmt: skip
    assert capsys.readouterr().err.splitlines()[-1] == f"silver-ner: error: {message}"


@pytest.mark.parametrize("extra, message", [
    (["--mt-model", "x"], "--mt-model would do nothing with --translations, which replaces machine translation"),
    (["--num-beams", "4"], "--num-beams would do nothing with --translations, which replaces machine translation, "
                           "and without --back-translation"),
    (["--mt-lang-code", "swh_Latn"], "--mt-lang-code would do nothing with --translations, which replaces machine "
                                     "translation, and without --back-translation"),
])  # fmt: skip
def test_mt_options_beside_translations_are_refused(extra, message, tiny_models, data_dir, tmp_path, capsys):
    """Found in review: with --translations no MT model runs, yet --mt-model, --num-beams and --mt-lang-code were
    accepted and did nothing (the signature named the file, so the user could not tell)."""
    translations = tmp_path / "tr.txt"
    n = len(read_conll(data_dir / "conll2003" / "en.conll.train.tsv").sentences)
    translations.write_text("".join(f"Sentensi {k} hapa .\n" for k in range(n)), encoding="utf-8")
    argv = ["translate-train", "--source", "conll2003", "--lang", "swa", "--data-dir", str(data_dir / "conll2003"),
            "--translations", str(translations), "--aligner", "fastalign.v1", "--no-progress",
            "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "o.conll")]  # fmt: skip
    assert main([*argv, *extra]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"silver-ner: error: {message}: leave it out"
    assert not (tmp_path / "o.conll").exists()
    assert main(argv) == 0  # the same run without the option


def test_a_cuda_device_without_cuda_is_refused(monkeypatch):
    import torch

    from projection.neural.hub import check_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError) as info:
        check_device("cuda:0")
    assert str(info.value) == ("--device cuda:0: this torch sees no CUDA GPU (torch.cuda.is_available() is False); "
                               "give cpu or leave --device out")
    check_device("cpu")


@pytest.mark.parametrize("count, message", [
    (1, "--device cuda:1: this torch sees 1 CUDA GPU (cuda:0); give one of them or leave --device out"),
    (2, "--device cuda:2: this torch sees 2 CUDA GPUs (cuda:0 … cuda:1); give one of them or leave --device out"),
])  # fmt: skip
def test_a_cuda_device_number_the_machine_lacks_is_refused(monkeypatch, count, message):
    """Found in review: cuda:3 on a one-GPU machine passed the check and failed later with a CUDA traceback."""
    import torch

    from projection.neural.hub import check_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: count)
    with pytest.raises(ValueError) as info:
        check_device(f"cuda:{count}")
    assert str(info.value) == message
    check_device(f"cuda:{count - 1}")
    check_device("cuda")


def test_the_model_settings_cache_dir_is_where_a_plan_caches(tiny_models, data_dir, tmp_path, monkeypatch):
    """Found in review: ``ModelSettings.cache_dir`` was read by no plan; translations went to the default cache."""
    from projection.io.sources import load_sentences
    from projection.options import ModelSettings, default_config
    from projection.plans import translate_train_plan
    from projection.runner import run

    english = load_sentences("conll2003", "en", "train", data_dir=str(data_dir / "conll2003"), limit=2)
    models = ModelSettings(mt_model=str(tiny_models["mt"]), align_model=str(tiny_models["enc"]), device="cpu",
                           cache_dir=str(tmp_path / "mine"))  # fmt: skip
    config = default_config("translate-train", aligner_options=(("layer", 2),))
    monkeypatch.setenv("SILVER_NER_CACHE", str(tmp_path / "default"))
    cached = []
    for _ in range(2):  # the second plan finds the first one's translations there
        plan = translate_train_plan(english, "swa", config, models, progress=False)
        cached.append(run(plan.source, plan.stages, progress=False).stats.count("translations_cached"))
    assert cached == [0, 2]
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["alignments", "translations"]
    assert not (tmp_path / "default").exists()


def test_a_back_translation_model_without_the_language_names_the_back_translation_options(tiny_models):
    """Found in review: the message named --translations and --mt-model, which do not reach back-translation."""
    from projection.neural.translate import Translator

    bt = Translator(str(tiny_models["mt"]), option="--bt-model", role="back-translation", progress=False)
    with pytest.raises(ValueError) as info:
        bt.check_language("pcm")
    assert str(info.value) == (
        f"the back-translation model {tiny_models['mt']} has no language code for pcm (Nigerian Pidgin); NLLB-200 "
        "lacks bbj and pcm. Ways out: leave --back-translation out, or pass --bt-model (and --bt-tokenizer) with a "
        "model that covers pcm together with --mt-lang-code CODE (the code that model uses for pcm)"
    )


def test_translate_train_signs_dev_and_validation_as_one_split(data_dir, tmp_path):
    """Found in review: --split dev and --split validation read the same file and wrote the same bytes under two
    signatures (translate-test already signs them as one)."""
    import shutil

    from projection.io.conll import read_conll

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(data_dir / "conll2003" / "en.conll.train.tsv", data / "en.conll.dev.tsv")
    n = len(read_conll(data / "en.conll.dev.tsv").sentences)
    (tmp_path / "tr.txt").write_text("".join(f"Satz {k} hier .\n" for k in range(n)), encoding="utf-8")
    signatures = []
    for split in ("dev", "validation"):
        report = tmp_path / f"{split}.json"
        assert main(["translate-train", "--source", "conll2003", "--data-dir", str(data), "--split", split, "--lang",
                     "de", "--translations", str(tmp_path / "tr.txt"), "--aligner", "fastalign.v1", "--no-progress",
                     "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / f"{split}.conll"),
                     "--report", str(report)]) == 0  # fmt: skip
        signatures.append(json.loads(report.read_text())["signature"])
    assert signatures[0] == signatures[1] and "|data:conll2003(into=de,split=dev," in signatures[0]


def test_empty_lines_of_a_translations_file_are_counted_as_empty_translations(data_dir, tmp_path):
    """Found in review: translate-train left a sentence with an empty --translations line out (nothing to label) and
    said nothing: the report had no ``empty_translations``, which the MT path counts for the same loss."""
    n = len(read_conll(data_dir / "conll2003" / "en.conll.train.tsv").sentences)
    lines = [f"Sentensi {k} hapa ." for k in range(n)]
    lines[0] = lines[2] = ""
    (tmp_path / "tr.txt").write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    report = tmp_path / "r.json"
    assert main(["translate-train", "--source", "conll2003", "--lang", "swa", "--data-dir", str(data_dir / "conll2003"),
                 "--translations", str(tmp_path / "tr.txt"), "--aligner", "fastalign.v1", "--no-progress",
                 "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "o.conll"), "--report", str(report)]) == 0
    done = json.loads(report.read_text(encoding="utf-8"))
    assert (done["counts"]["empty_translations"], done["sentences"], done["source_sentences"]) == (2, n - 2, n)
    assert len(read_conll(tmp_path / "o.conll").sentences) == n - 2


@pytest.mark.parametrize("lines, message", [
    (["Sentensi 0 .", "Sentensi 1 .", "-DOCSTART- Merkel alitembelea Paris .", "Sentensi 3 ."],
     "tr.txt:3: word '-DOCSTART-' cannot be written to the CoNLL output (reading skips -DOCSTART- lines)"),
    # the first line is empty, so the second is the output's first sentence, and its mark the file's first characters
    (["", "\ufeffHabari za asubuhi .", "Sentensi 2 .", "Sentensi 3 ."],
     "tr.txt:2: word '\\ufeff' cannot be written to the CoNLL output (it starts with a byte-order mark, which "
     "reading drops at the start of a file)"),
])  # fmt: skip
def test_a_translations_word_the_conll_output_cannot_hold_is_refused_naming_its_line(lines, message, data_dir,
                                                                                      tmp_path, capsys):
    """Found in review: such a word failed the run at writing, after the alignment, as 'sentence 3: token …
    (pair en.conll.train.tsv:16)', naming the English file's line, not the translations file's."""
    (tmp_path / "tr.txt").write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    assert len(lines) == len(read_conll(data_dir / "conll2003" / "en.conll.train.tsv").sentences)
    out = tmp_path / "o.conll"
    assert main(["translate-train", "--source", "conll2003", "--lang", "swa", "--data-dir", str(data_dir / "conll2003"),
                 "--translations", str(tmp_path / "tr.txt"), "--aligner", "fastalign.v1", "--no-progress",
                 "--cache-dir", str(tmp_path / "c"), "--out", str(out)]) == 2  # fmt: skip
    err = capsys.readouterr().err.splitlines()[-1]
    assert err == f"silver-ner: error: {tmp_path / message}; change or remove it in the translations file"
    assert not out.exists() and not (tmp_path / "c" / "alignments").exists()  # refused before any work


def test_translate_test_counts_the_empty_lines_of_a_translations_file(tiny_models, data_dir, tmp_path, capsys):
    """As the MT path: a target sentence whose English line is empty is kept (its silver tags all O) and counted.
    The score line names the types it does not score (found in review: DATE and MISC were left out silently)."""
    n = len(load_sentences("masakhaner2", "swa", "test", data_dir=data_dir / "masakhaner2"))
    lines = [f"Sentence {k} here ." for k in range(n)]
    lines[1] = ""
    (tmp_path / "tr.txt").write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    report = tmp_path / "r.json"
    assert main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir",
                 str(data_dir / "masakhaner2"), "--translations", str(tmp_path / "tr.txt"), "--ner-model",
                 str(tiny_models["ner"]), "--aligner", "fastalign.v1", "--no-progress", "--cache-dir",
                 str(tmp_path / "c"), "--out", str(tmp_path / "o.conll"), "--report", str(report)]) == 0  # fmt: skip
    done = json.loads(report.read_text(encoding="utf-8"))
    assert (done["counts"]["empty_translations"], done["sentences"]) == (1, n)
    assert done["ignored_types"] == ["DATE", "MISC"]
    line = capsys.readouterr().out.splitlines()[0]
    assert line.endswith(f" ({n} sentences; DATE, MISC not scored)") and line.startswith("masakhaner2 swa test: P ")
    assert set(read_conll(tmp_path / "o.conll").sentences[1].tags) == {"O"}


@pytest.mark.parametrize("quiet", [False, True])
def test_no_bar_is_drawn_off_a_terminal_or_with_no_progress(quiet, tiny_models, data_dir, tmp_path, capsys):
    """Found in review: the translation and NER bars were drawn into a redirected stderr (every frame of them; the
    run's own bar is drawn on a terminal only), and transformers' "Loading weights" bar was drawn for every model
    even with --no-progress. Here stderr is not a terminal: nothing is drawn either way."""
    args = [a for a in _model_args(tiny_models) if not (a == "--no-progress" and not quiet)]
    code = main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir",
                 str(data_dir / "masakhaner2"), *args, "--cache-dir", str(tmp_path / "cache"),
                 "--out", str(tmp_path / "out.conll")])  # fmt: skip
    assert code == 0
    assert capsys.readouterr().err == ""


def test_build_takes_the_back_translation_model_and_tokenizer(tiny_models, data_dir, tmp_path):
    """Found in review: ``build --back-translation`` offline said to pass a local copy with ``--bt-model DIR``, an
    option ``build`` did not have (the config had the fields). It now takes ``--bt-model`` and ``--bt-tokenizer``."""
    out = tmp_path / "out"
    code = main(["build", "--configs", "masakhaner2.swa", "--data-dir", str(data_dir / "masakhaner2"),
                 "--mt-model", str(tiny_models["mt"]), "--ner-model", str(tiny_models["ner_per"]),
                 "--align-model", str(tiny_models["enc"]), "--aligner", "simalign.v1", "--aligner-option", "layer=2",
                 "--back-translation", "--bt-model", str(tiny_models["mt"]), "--bt-tokenizer", str(tiny_models["mt"]),
                 "--cache-dir", str(tmp_path / "ds"), "--silver-cache", str(tmp_path / "c"), "--out", str(out),
                 "--quiet"])  # fmt: skip
    assert code == 0
    assert "|bt:mt@" in (out / "README.md").read_text(encoding="utf-8")  # the card signs the back-translation


def test_a_back_translation_tokenizer_that_cannot_be_found_names_its_own_option(tiny_models, tmp_path):
    """Found in review: a ``--bt-tokenizer`` folder that does not exist was reported as "fix the path given to
    --bt-model"."""
    from projection.neural.hub import ModelUnavailableError
    from projection.neural.translate import Translator

    missing = tmp_path / "no-such-tokenizer"
    with pytest.raises(ModelUnavailableError, match=r"--bt-tokenizer$"):
        Translator(str(tiny_models["mt"]), tokenizer=str(missing), option="--bt-model",
                   tokenizer_option="--bt-tokenizer", role="back-translation", progress=False)  # fmt: skip
