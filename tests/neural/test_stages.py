"""Translation, NER, sources and cache stages with tiny local models and hand-made inputs."""

from __future__ import annotations

import json

import pytest

from projection.cli import main
from projection.io.conll import read_conll
from projection.io.sources import load_sentences
from projection.neural.cache import TranslationCache
from projection.neural.ner import to_iob2_label, windows


def test_windows_pack_whole_words():
    assert windows([2, 2, 2, 2], 4) == [(0, 2), (2, 4)]
    assert windows([5, 1], 4) == [(0, 1), (1, 2)]  # an over-long word gets a window of its own
    assert windows([], 4) == []


def test_labels_to_iob2():
    assert [to_iob2_label(x) for x in ("O", "B-PER", "I-LOC", "S-ORG", "E-ORG", "MISC")] == \
        ["O", "B-PER", "I-LOC", "B-ORG", "I-ORG", "I-MISC"]
    with pytest.raises(ValueError, match="id2label"):
        to_iob2_label("LABEL_3")


def test_bilou_labels_to_iob2():
    """Found in review: a BILOU model's U-PER and L-PER became new types I-U-PER and I-L-PER."""
    labels = ("U-PER", "O", "B-ORG", "I-ORG", "L-ORG", "U-LOC", "U-LOC")
    assert [to_iob2_label(x) for x in labels] == ["B-PER", "O", "B-ORG", "I-ORG", "I-ORG", "B-LOC", "B-LOC"]


@pytest.mark.neural
def test_ner_repairs_iob1_and_windows_long_sentences(tiny_models):
    """The I-PER model: every word I-PER -> repaired to one B-PER span, also across windows (limit 36)."""
    from projection.neural.ner import WordNer

    ner = WordNer(str(tiny_models["ner_per"]), progress=False)
    long = ["Brussels"] * 40
    tags = ner.predict([["Angela", "Merkel"], [], long])
    assert tags[0] == ["B-PER", "I-PER"] and tags[1] == []
    assert tags[2] == ["B-PER"] + ["I-PER"] * 39
    assert ner.windowed == 1


@pytest.mark.neural
def test_ner_logs_the_windows_of_each_call_once(tiny_models, caplog):
    """Found in review: the log line gave the running total, so every later call repeated it, also one that labelled
    no sentence in windows."""
    from projection.neural.ner import WordNer

    ner = WordNer(str(tiny_models["ner_per"]), progress=False)
    with caplog.at_level("INFO", logger="projection.neural.ner"):
        ner.predict([["Brussels"] * 40, ["Paris"] * 50])
        ner.predict([["Angela", "Merkel"]])
        ner.predict([["Brussels"] * 40])
    windows = [r.getMessage() for r in caplog.records if "windows" in r.getMessage()]
    assert windows == ["2 sentences longer than 36 sub-words were labelled in windows",
                       "1 sentences longer than 36 sub-words were labelled in windows"]
    assert ner.windowed == 3


@pytest.mark.neural
def test_translator_splits_long_inputs_and_caches(tiny_models, tmp_path):
    from projection.neural.translate import Translator

    cache = TranslationCache(tmp_path / "c")
    mt = Translator(str(tiny_models["mt"]), cache=cache, progress=False, batch_size=2)
    texts = ["Nairobi ni mji mkuu .", "", " ".join(["Kenya"] * 80), "Nairobi ni mji mkuu ."]
    out = mt.translate(texts, "swa", "en")
    assert len(out) == 4 and out[1] == "" and out[0] == out[3]
    assert mt.last_stats.split_long == 1 and mt.last_stats.translated == 2
    again = Translator(str(tiny_models["mt"]), cache=TranslationCache(tmp_path / "c"), progress=False)
    assert again.translate(texts, "swa", "en") == out and again.last_stats.cached == 3
    assert again._model is None  # everything came from the cache: the model was never loaded
    # found in review (0.4.5 left it): a cache hit reported split_long 0; the cache now keeps which texts were split
    assert again.last_stats.split_long == 1
    assert again.translate(texts[:2], "swa", "en") == out[:2] and again.last_stats.split_long == 0
    # counted once per translator, as a cold run counts it (review: a later chunk's cache hit counted it again)
    assert again.translate(texts[2:], "swa", "en") == out[2:] and again.last_stats.split_long == 0
    fresh = Translator(str(tiny_models["mt"]), cache=TranslationCache(tmp_path / "c"), progress=False)
    assert fresh.translate(texts[2:], "swa", "en") == out[2:] and fresh.last_stats.split_long == 1
    assert fresh.translate(texts, "swa", "en") == out and fresh.last_stats.split_long == 0


@pytest.mark.neural
def test_back_translation_counts_the_marked_sentences_translated_in_pieces(tiny_models, tmp_path):
    """A marked sentence over the back-translation model's input limit is translated in pieces (a warning says so);
    the report counted none: the stage read no translator stats, and the entities' own call replaced those of
    the sentences (found in review)."""
    from projection.neural.translate import Translator
    from projection.stages.neural import BackTranslateStage
    from projection.types import Pair, Sentence

    long_words = ("Kenya",) * 80  # 80 words, each at least one token: over the tiny model's 64-token limit
    short = Sentence(("Angela", "Merkel", "visited", "Paris", "."), ("B-PER", "I-PER", "O", "B-LOC", "O"), "b")
    long = Sentence(long_words, ("B-LOC",) + ("O",) * 79, "a")
    bt = Translator(str(tiny_models["mt"]), cache=TranslationCache(tmp_path / "c"), progress=False)
    stage = BackTranslateStage(bt, "swa")
    target = Sentence(("x",), None, "t")
    stage.process([Pair("a", long, target), Pair("b", short, target)])
    assert stage.counts()["bt_split_long"] == 1


def test_translation_cache_entries_name_split_texts_only_when_there_are_some(tmp_path, caplog):
    """An entry with nothing translated in pieces is written as before 0.4.6 (no "split" key: the same bytes and
    file name); a damaged "split" makes the whole file ignored, its translations too."""
    cache = TranslationCache(tmp_path)
    cache.put_many("m", "swa", "en", {"Habari": "Hello"})
    cache.put_many("m", "swa", "en", {"ndefu": "long"}, split=["ndefu", "not cached here"])
    files = sorted(tmp_path.rglob("*.json"), key=lambda f: "split" in f.read_text())
    plain, marked = (json.loads(f.read_text()) for f in files)
    assert plain == {"model": "m", "src": "swa", "tgt": "en", "translations": {"Habari": "Hello"}}
    assert marked["split"] == ["ndefu"]
    assert TranslationCache(tmp_path).split_texts("m", "swa", "en", ["Habari", "ndefu"]) == {"ndefu"}
    for bad in (5, "abc", [1]):
        files[1].write_text(json.dumps({**marked, "split": bad}))
        fresh = TranslationCache(tmp_path)
        assert fresh.get_many("m", "swa", "en", ["Habari", "ndefu"]) == {"Habari": "Hello"}
        assert fresh.split_texts("m", "swa", "en", ["a", "b", "ndefu"]) == set()
    files[1].write_text(json.dumps([marked]))  # valid JSON, not an object: ignored, not a crash
    assert TranslationCache(tmp_path).get_many("m", "swa", "en", ["Habari", "ndefu"]) == {"Habari": "Hello"}
    assert "ignoring unreadable translation cache file" in caplog.text


@pytest.mark.neural
def test_bf16_translations_are_cached_apart_from_fp32_ones(tiny_models, tmp_path):
    """Left alone before: a model on a GPU runs in bf16, on CPU in fp32, and both shared one cache key, so a CPU
    run took a GPU run's cached translations. The key now names bf16 (fp32 keeps the old key)."""
    from projection.neural.translate import Translator

    cache = TranslationCache(tmp_path / "c")
    cpu = Translator(str(tiny_models["mt"]), cache=cache, device="cpu", progress=False)
    gpu = Translator(str(tiny_models["mt"]), cache=cache, device="cuda", progress=False)
    assert (cpu.precision(), gpu.precision()) == ("fp32", "bf16")
    assert cpu.cache_signature() == cpu.signature()
    assert gpu.cache_signature() == cpu.signature() + "+dtype=bf16"
    texts = ["Nairobi ni mji mkuu ."]
    fp32 = cpu.translate(texts, "swa", "en")
    cache.put_many(gpu.cache_signature(), "swa", "en", {texts[0]: "from a GPU run"})
    assert gpu.translate(texts, "swa", "en") == ["from a GPU run"] and gpu._model is None  # its own entry
    again = Translator(str(tiny_models["mt"]), cache=TranslationCache(tmp_path / "c"), device="cpu", progress=False)
    assert again.translate(texts, "swa", "en") == fp32 and again.last_stats.cached == 1


@pytest.mark.neural
def test_a_bf16_translator_is_signed_and_keeps_its_device_unpicked(tiny_models):
    """The run signature names bf16 (so a build resumed from checkpoints on a CPU does not take chunks translated
    in bf16 on a GPU); fp32 is not named, as before. Signing does not fix the device: a translator built in a Ray
    driver without a GPU still picks the GPU of the worker that loads it."""
    from projection.neural.translate import Translator
    from projection.signature import Part
    from projection.stages.neural import BackTranslateStage, TranslateStage

    def parts(device):
        t = Translator(str(tiny_models["mt"]), device=device, progress=False, num_beams=2)
        fields = TranslateStage(t, "swa", to_english=True).signature() + BackTranslateStage(t, "swa").signature()
        return [part for _, part in fields], t

    (cpu_mt, cpu_bt), _ = parts("cpu")
    (gpu_mt, gpu_bt), _ = parts("cuda")
    assert cpu_mt.options == cpu_bt.options == (("beams", "2"),)  # as before: fp32 is not named
    assert gpu_mt == Part(cpu_mt.name, (("beams", "2"), ("dtype", "bf16")))
    assert gpu_bt == Part(cpu_bt.name, (("beams", "2"), ("dtype", "bf16")))
    assert Part.parse(gpu_mt.format()) == gpu_mt
    _, auto = parts(None)
    assert auto.device is None  # signed as this process sees it; the device itself is picked where the model loads


@pytest.mark.neural
def test_signing_a_translator_without_torch_names_the_install_line(tiny_models, monkeypatch):
    """The signature resolves the device (torch) before any model loads: without torch that is the install hint."""
    import sys

    from projection.extras import MissingExtraError
    from projection.neural.translate import Translator

    t = Translator(str(tiny_models["mt"]), progress=False)
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(MissingExtraError, match=r'torch is needed for translation .*; run: pip install "silver-ner\['):
        t.precision()
    # a device given needs no torch to be named (pick_device asks torch only when it has to choose)
    assert Translator(str(tiny_models["mt"]), device="cuda", progress=False).precision() == "bf16"


def test_cache_files_are_whole_json(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.put_many("m", "swa", "en", {"a": "A"})
    cache.put_many("m", "swa", "en", {"b": "B"})
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 2 and not list(tmp_path.rglob("*.tmp"))
    assert all(json.loads(f.read_text())["src"] == "swa" for f in files)
    fresh = TranslationCache(tmp_path)
    assert fresh.get_many("m", "swa", "en", ["a", "b", "c"]) == {"a": "A", "b": "B"}
    assert fresh.get_many("m", "swa", "fr", ["a"]) == {}


@pytest.mark.parametrize("damage", ["no text", "null", "another model", "another language"])
def test_a_translation_cache_file_that_is_damaged_or_of_another_folder_is_ignored(tmp_path, caplog, damage):
    """Found in review: a translation that is no text (5, null) failed the run with an AttributeError far from the
    cache, and a file of another model or language pair copied into this folder gave its translations."""
    import shutil

    cache = TranslationCache(tmp_path)
    cache.put_many("m", "swa", "en", {"Habari": "Hello"})
    cache.put_many("m2", "swa", "fr", {"Asante": "Merci"})
    (own,) = (tmp_path / cache._folder("m", "swa", "en").name).glob("*.json")
    data = json.loads(own.read_text(encoding="utf-8"))
    bad = own.with_name("0" * 16 + ".json")
    if damage in ("no text", "null"):
        bad.write_text(json.dumps({**data, "translations": {"Asante": 5 if damage == "no text" else None}}))
    else:  # a valid file of the other folder (model m2, swa to fr), copied into this one
        (theirs,) = (tmp_path / cache._folder("m2", "swa", "fr").name).glob("*.json")
        shutil.copy(theirs, bad)
        if damage == "another language":  # the same model, another target language
            bad.write_text(json.dumps({**json.loads(bad.read_text()), "model": "m"}))
    with caplog.at_level("WARNING", logger="projection.neural.cache"):
        got = TranslationCache(tmp_path).get_many("m", "swa", "en", ["Habari", "Asante"])
    assert got == {"Habari": "Hello"}
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [f"ignoring unreadable translation cache file {bad}"]


def test_the_cache_keeps_the_first_translation_made(tmp_path):
    """Two runs that translated the same text differently (bf16 batches): a later run reads the one written first,
    as the README says (found in review: the file whose hash sorted last won)."""
    import os

    for first, second in [("Habari A", "Habari B"), ("Habari B", "Habari A")]:
        root = tmp_path / first[-1]
        TranslationCache(root).put_many("m", "en", "sw", {"Hello": first})
        TranslationCache(root).put_many("m", "en", "sw", {"Hello": second})
        (old,) = [f for f in root.rglob("*.json") if first in f.read_text(encoding="utf-8")]
        (new,) = [f for f in root.rglob("*.json") if second in f.read_text(encoding="utf-8")]
        os.utime(old, ns=(1_000_000_000, 1_000_000_000))  # written first, whatever the clock's resolution
        os.utime(new, ns=(2_000_000_000, 2_000_000_000))
        assert TranslationCache(root).get_many("m", "en", "sw", ["Hello"]) == {"Hello": first}


def test_sources_from_disk(data_dir):
    swa = load_sentences("masakhaner2", "swa", "test", data_dir=str(data_dir / "masakhaner2"), limit=2)
    assert len(swa) == 2 and swa[0].tokens[:3] == ("Shujaa", "Mwakilishi", "wa")
    assert swa[0].tags[6:8] == ("B-PER", "I-PER")
    en = load_sentences("conll2003", "en", "train", data_dir=str(data_dir / "conll2003"))
    assert en[0].tokens[:2] == ("EU", "rejects") and len(en) == 4  # -DOCSTART- skipped
    de = load_sentences("xtreme", "de", "dev", data_dir=str(data_dir / "xtreme"))
    assert de[0].tags == ("B-PER", "I-PER", "I-PER", "I-PER", "O")


def test_sources_errors(data_dir):
    with pytest.raises(ValueError, match="no language 'xx'; valid: bam, bbj"):
        load_sentences("masakhaner2", "xx", "test")
    with pytest.raises(ValueError, match="unknown split 'tst'; valid: train, dev, test"):
        load_sentences("xtreme", "de", "tst")
    with pytest.raises(FileNotFoundError, match=r"test-de\.tsv \(found: dev-de\.tsv\)"):
        load_sentences("xtreme", "de", "test", data_dir=str(data_dir / "xtreme"))


@pytest.mark.neural
def test_pcm_needs_a_way_out_then_works_with_translations_file(tiny_models, data_dir, tmp_path, capsys):
    common = ["translate-test", "--dataset", "masakhaner2", "--lang", "pcm", "--data-dir", str(data_dir / "masakhaner2"),
              "--ner-model", str(tiny_models["ner_per"]), "--align-model", str(tiny_models["enc"]), "--align-layer",
              "2", "--no-progress", "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "o.conll")]
    assert main([*common, "--mt-model", str(tiny_models["mt"])]) == 2
    err = capsys.readouterr().err
    assert "no language code for pcm" in err and "--translations FILE" in err
    file = tmp_path / "en.txt"
    file.write_text("He said he has something to do in the city .\nNigerians have criticised the FG\n")
    assert main([*common, "--translations", str(file)]) == 0
    got = read_conll(tmp_path / "o.conll").sentences
    assert [s.tokens[:2] for s in got] == [("But", "e"), ("Naija", "pipo")]
    file.write_text("only one line\n")
    assert main([*common, "--translations", str(file)]) == 2
    assert "1 lines but 2 sentences" in capsys.readouterr().err
    # a code of the user's own that the tokenizer lacks is named as such (found in review: the message asked
    # for --mt-lang-code, which had been given)
    assert main([*common, "--mt-model", str(tiny_models["mt"]), "--mt-lang-code", "pcm_Latn"]) == 2
    err = capsys.readouterr().err
    assert "the language code 'pcm_Latn' given for pcm (--mt-lang-code) is not a language token of the tokenizer" in err


@pytest.mark.neural
def test_the_back_translation_signature_names_the_language_code(tiny_models):
    """Found in review: --mt-lang-code reaches the back-translation translator, but only the forward
    translation's signature named it, so runs with two codes signed alike."""
    from projection.neural.translate import Translator
    from projection.stages.neural import BackTranslateStage

    signatures = [
        BackTranslateStage(Translator(str(tiny_models["mt"]), lang_codes=(("pcm", code),), progress=False),
                           "pcm").signature()
        for code in ("eng_Latn", "hau_Latn")
    ]
    assert signatures[0] != signatures[1]
    assert "code=hau_Latn" in signatures[1][0][1].format()


def test_an_xtreme_file_without_labels_is_refused(tmp_path, data_dir):
    """Found in review: XTREME's own preprocessing writes test files with tokens only; they were read as gold with
    no tags, and translate-test failed only after translating and tagging the whole split."""
    from projection.io.sources import load_source

    lines = (data_dir / "xtreme" / "dev-de.tsv").read_text(encoding="utf-8").split("\n")
    (tmp_path / "test-de.tsv").write_text("\n".join(line.split("\t")[0] for line in lines), encoding="utf-8")
    with pytest.raises(ValueError, match="test-de.tsv: no tag column; gold NER needs token<TAB>tag lines"):
        load_source("xtreme", "de", "test", data_dir=str(tmp_path))


def test_a_parallel_corpus_limit_is_checked():
    from projection.io.parallel import load_parallel

    for bad in (0, -3):  # found in review: 0 gave nothing and -3 silently dropped the last 3 sentences
        with pytest.raises(ValueError, match=f"limit must be a positive number of sentences or None, got {bad}"):
            load_parallel("europarl-ner", "de", limit=bad)


@pytest.mark.neural
def test_translate_cli_checks_drop_labels_names_the_source_file_and_one_split(tiny_models, data_dir, tmp_path, capsys):
    """Found in review: translate-train/test took any --drop-label (a typo dropped nothing), --source-file was
    named nowhere in the signature or report, and --split dev and validation signed differently."""
    untagged = ["--mt-model", str(tiny_models["mt"]), "--align-model", str(tiny_models["enc"]), "--align-layer", "2",
                "--no-progress", "--cache-dir", str(tmp_path / "c")]  # fmt: skip
    models = [*untagged, "--ner-model", str(tiny_models["ner"])]  # translate-train takes no tagger
    train = ["translate-train", "--source", "conll2003", "--lang", "swa", *untagged, "--out", str(tmp_path / "t.conll")]
    assert main([*train, "--data-dir", str(data_dir / "conll2003"), "--drop-label", "DATE"]) == 2
    assert "--drop-label DATE: no such entity type in conll2003 train (its types: " in capsys.readouterr().err
    source_file = sorted((data_dir / "conll2003").iterdir())[0]
    report = tmp_path / "r.json"
    assert main([*train, "--source-file", str(source_file), "--report", str(report)]) == 0
    import hashlib
    import json

    sha = hashlib.sha256(source_file.read_bytes()).hexdigest()[:12]
    got = json.loads(report.read_text())
    assert f"|data:file(into=swa,sha={sha})|" in got["signature"] and got["source"] == str(source_file)
    assert main([*train, "--source-file", str(source_file), "--data-dir", str(tmp_path)]) == 2
    assert "--source-file is the English data: --data-dir would not be read" in capsys.readouterr().err
    assert main([*train, "--source-file", str(source_file), "--split", "validation"]) == 2  # left alone in 0.4.2
    assert "--source-file is the English data: --split would not be read" in capsys.readouterr().err
    test = ["translate-test", "--dataset", "xtreme", "--lang", "de", "--data-dir", str(data_dir / "xtreme"), *models]
    assert main([*test, "--split", "dev", "--drop-label", "DATE", "--out", str(tmp_path / "x.conll")]) == 2
    assert "--drop-label DATE: no such entity type in the NER model" in capsys.readouterr().err
    signatures = []
    for split in ("dev", "validation"):
        out = tmp_path / f"{split}.json"
        assert main([*test, "--split", split, "--out", str(tmp_path / f"{split}.conll"), "--report", str(out)]) == 0
        signatures.append(json.loads(out.read_text())["signature"])
    assert signatures[0] == signatures[1] and "split=dev" in signatures[0]


def test_the_ner_stages_sign_the_taggers_window_and_overlap(tmp_path):
    """Found in review: WordNer's window and overlap change the tags (and its own signature names them), but
    TagStage and TargetSpansStage signed the model alone: a chunk store gave a run with window=8 the chunks of a
    run with the model's whole window."""
    from projection.neural.ner import WordNer
    from projection.stages.neural import TagStage, TargetSpansStage

    model = tmp_path / "ner"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    taggers = [WordNer(str(model)), WordNer(str(model), window=8), WordNer(str(model), window=8, overlap=2)]
    tag = [dict(TagStage(ner).signature())["ner"].format() for ner in taggers]
    spans = [dict(TargetSpansStage(ner).signature())["cand_model"].format() for ner in taggers]
    identity = taggers[0].signature()
    assert tag == [f"{identity}(misc=drop-after)", f"{identity}(misc=drop-after,window=8)",
                   f"{identity}(misc=drop-after,window=8,overlap=2)"]
    assert spans == [identity, f"{identity}(window=8)", f"{identity}(window=8,overlap=2)"]


@pytest.mark.neural
def test_a_run_warns_once_about_the_sentences_its_chunks_translated_in_pieces(tiny_models, tmp_path, caplog):
    """Found in review: the translator warned once per chunk of a run; the run now warns once with its total (the
    stage's count ``split_long``)."""
    from projection.neural.translate import Translator
    from projection.runner import run
    from projection.stages.neural import TranslateStage
    from projection.stages.read import PairsSource
    from projection.types import Pair, Sentence

    mt = Translator(str(tiny_models["mt"]), progress=False)
    long = tuple(["Kenya"] * 80)
    targets = [long, ("Nairobi", "ni", "mji"), tuple(["Uganda"] * 80), ("jana",)]  # a long one in each chunk of 2
    pairs = [Pair(str(k), Sentence(()), Sentence(t)) for k, t in enumerate(targets)]
    with caplog.at_level("WARNING"):
        result = run(PairsSource(pairs), [TranslateStage(mt, "swa", to_english=True)], chunk_size=2, progress=False)
    assert result.stats.count("split_long") == 2
    assert [r.getMessage() for r in caplog.records] == [
        f"2 sentences exceed the input limit of {tiny_models['mt']}: translated in pieces"]
