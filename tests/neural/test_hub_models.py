"""Model references: ID@REVISION, the commit of a cached Hub model, a content hash of a local directory."""

from __future__ import annotations

import os
import shutil

import pytest

from projection.neural.hub import (
    ModelUnavailableError,
    check_model,
    directory_hash,
    model_identity,
    model_revision,
    pretrained_args,
    split_revision,
)

SHA_MAIN = "a" * 40
SHA_V1 = "b" * 40


def test_split_revision_and_pretrained_args(tmp_path):
    assert split_revision("org/model@v1.0") == ("org/model", "v1.0")
    assert pretrained_args("org/model@" + SHA_V1) == ("org/model", {"revision": SHA_V1})
    assert pretrained_args("org/model") == ("org/model", {})
    local = tmp_path / "my@model"
    local.mkdir()
    assert split_revision(str(local)) == (str(local), None)  # a directory is never split
    with pytest.raises(ModelUnavailableError, match="ID@REVISION"):
        split_revision("org/model@a@b")


def _model_dir(path, weights: bytes):
    path.mkdir(parents=True)
    (path / "config.json").write_text('{"model_type": "bert"}')
    (path / "model.safetensors").write_bytes(weights)
    return path


def test_directory_hash_is_stable_across_copies_and_sees_weight_changes(tmp_path):
    weights = bytes(range(256)) * 1024  # 256 KiB: sampled, not read whole
    a = _model_dir(tmp_path / "a", weights)
    b = tmp_path / "b" / "a"
    shutil.copytree(a, b, copy_function=shutil.copy)  # new modification times
    os.utime(b / "model.safetensors", (1, 1))
    assert directory_hash(a) == directory_hash(b)
    assert model_identity(str(a)) == model_identity(str(b)) == f"a@{directory_hash(a)[:10]}"
    assert model_revision(str(a)) == "sha256:" + directory_hash(a)
    changed = bytearray(weights)
    changed[-1] ^= 1  # the last byte: inside the tail sample
    (b / "model.safetensors").write_bytes(bytes(changed))
    assert directory_hash(a) != directory_hash(b)
    (b / "model.safetensors").write_bytes(weights)
    (b / "config.json").write_text('{"model_type": "roberta"}')
    assert directory_hash(a) != directory_hash(b)


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """An offline Hub cache holding org/tiny at main (SHA_MAIN) and at tag v1 (SHA_V1)."""
    root = tmp_path / "hub"
    repo = root / "models--org--tiny"
    for sha in (SHA_MAIN, SHA_V1):
        (repo / "snapshots" / sha).mkdir(parents=True)
        (repo / "snapshots" / sha / "config.json").write_text("{}")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(SHA_MAIN)
    (repo / "refs" / "v1").write_text(SHA_V1)
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return root


def test_offline_revision_comes_from_the_cache_refs(cache):
    assert model_revision("org/tiny") == SHA_MAIN
    assert model_revision("org/tiny@v1") == SHA_V1
    assert model_revision("org/tiny@" + SHA_V1) == SHA_V1
    assert model_revision("org/absent") is None
    assert model_identity("org/tiny") == f"org/tiny@{SHA_MAIN[:12]}"
    assert model_identity("org/tiny@v1") == f"org/tiny@{SHA_V1[:12]}"
    assert model_identity("org/absent@v2") == "org/absent@v2"


def test_check_model_accepts_a_cached_revision_and_names_a_missing_one(cache):
    assert check_model("org/tiny@v1", role="translation", option="--mt-model") == "org/tiny@v1"
    with pytest.raises(ModelUnavailableError, match=r"org/tiny at revision v9 .* --revision v9"):
        check_model("org/tiny@v9", role="translation", option="--mt-model")


def test_check_model_without_the_neural_extra_names_the_extra_not_a_download(cache, monkeypatch):
    """A model that is in the cache, checked offline on an install without the neural extra (neither transformers
    nor huggingface_hub): the error is the install line; it used to say that the model is not in the cache and to
    download it (found in review)."""
    import sys

    from projection.extras import MissingExtraError

    monkeypatch.setitem(sys.modules, "transformers", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    with pytest.raises(MissingExtraError) as err:
        check_model("org/tiny", role="translation", option="--mt-model")
    assert str(err.value).startswith("transformers is needed for the translation model org/tiny but is not installed (")
    assert str(err.value).endswith('run: pip install "silver-ner[neural]"')


def test_default_alignment_model_is_the_canonical_id():
    from projection.neural.encoder import DEFAULT_ALIGN_MODEL

    assert DEFAULT_ALIGN_MODEL == "google-bert/bert-base-multilingual-cased"


def test_offline_identity_follows_refs_main_within_one_process(cache):
    """refs/main moved (``hf download`` in another process) while this process runs: a new model reference signs
    the new commit; the answer was cached for the process, signing the old commit for a model that loaded the new."""
    assert model_identity("org/tiny") == f"org/tiny@{SHA_MAIN[:12]}"
    (cache / "models--org--tiny" / "refs" / "main").write_text(SHA_V1)
    assert model_identity("org/tiny") == f"org/tiny@{SHA_V1[:12]}"
    assert model_revision("org/tiny") == SHA_V1


@pytest.fixture
def ner_hub(monkeypatch, tmp_path):
    """org/ner in an offline Hub cache: SHA_MAIN tags every word B-PER, SHA_V1 B-LOC; refs/main at SHA_MAIN."""
    import huggingface_hub.constants
    import tiny_models as tm

    root = tmp_path / "hub"
    repo = root / "models--org--ner"
    tm.build_ner(repo / "snapshots" / SHA_MAIN, favour="B-PER")
    tm.build_ner(repo / "snapshots" / SHA_V1, favour="B-LOC")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(SHA_MAIN)
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(root))  # read once, at import
    return repo


def test_a_tagger_loads_the_commit_it_signs_when_refs_main_moves(ner_hub):
    from projection.neural.ner import WordNer
    from projection.stages.neural import TagStage

    words = [["Paris", "is", "nice"]]
    before = WordNer("org/ner", device="cpu", progress=False)
    signed = before.signature()
    assert signed == f"org/ner@{SHA_MAIN[:12]}"
    (ner_hub / "refs" / "main").write_text(SHA_V1)  # moves between signing and the lazy load
    assert before.predict(words) == [["B-PER"] * 3] and before.signature() == signed
    assert TagStage(before).signature()[0][1].name == signed
    after = WordNer("org/ner", device="cpu", progress=False)  # built after the move: the new commit, both ways
    assert after.signature() == f"org/ner@{SHA_V1[:12]}" and after.predict(words) == [["B-LOC"] * 3]


def test_a_revision_with_slashes_is_a_hub_revision_not_a_path(ner_hub):
    """``ID@refs/pr/1`` (a pull request) or ``ID@feature/x`` (a branch): was refused as a missing directory."""
    from projection.neural.ner import WordNer

    for ref in ("refs/pr/1", "feature/x"):
        (ner_hub / "refs" / ref).parent.mkdir(parents=True, exist_ok=True)
        (ner_hub / "refs" / ref).write_text(SHA_V1)
        ner = WordNer(f"org/ner@{ref}", device="cpu", progress=False)
        assert ner.model_name == f"org/ner@{ref}" and ner.signature() == f"org/ner@{SHA_V1[:12]}"
        assert ner.predict([["Paris"]]) == [["B-LOC"]]
    with pytest.raises(ModelUnavailableError, match=r"org/ner at revision refs/pr/2 .* --revision refs/pr/2"):
        check_model("org/ner@refs/pr/2", role="NER", option="--ner-model")


def _copy_without(src, dst, *names):
    shutil.copytree(src, dst)
    for name in names:
        os.remove(dst / name)
    return dst


@pytest.mark.parametrize("key, option", [("ner", "--ner-model"), ("enc", "--align-model")])
def test_a_model_saved_without_its_tokenizer_is_refused(key, option, tiny_models, tmp_path):
    """Found in review: transformers makes a tokenizer of the five special tokens for a directory without tokenizer
    files; the tagger and the aligner ran with it (every word <unk> or [UNK]) and gave labels and links of no
    meaning, exit 0."""
    from projection.neural.encoder import SubwordEncoder
    from projection.neural.ner import WordNer

    path = _copy_without(tiny_models[key], tmp_path / key, "tokenizer.json", "tokenizer_config.json")
    model = WordNer(str(path), device="cpu") if key == "ner" else SubwordEncoder(str(path), layer=1, device="cpu")
    with pytest.raises(ValueError) as err:
        model._load()
    role = "NER" if key == "ner" else "alignment"
    assert str(err.value) == (
        f"the {role} model {path} has no tokenizer (its files hold none: transformers made one of 5 special tokens, "
        f"which reads every word as unknown); save the model's tokenizer beside it (tokenizer.save_pretrained) or "
        f"give {option} a model that has one")


def test_a_model_of_another_kind_names_its_option_and_the_kind_it_needs(tiny_models, tmp_path):
    """Found in review: an NER model given to --mt-model (or a translation model without its tokenizer) failed with
    transformers' list of every configuration class, naming no option."""
    from projection.neural.translate import Translator

    with pytest.raises(ValueError) as err:
        Translator(str(tiny_models["ner"]), device="cpu")._load()
    assert str(err.value) == (
        f"cannot load the translation model {tiny_models['ner']} (Unrecognized configuration class <class "
        "'transformers.models.xlm_roberta.configuration_xlm_roberta.XLMRobertaConfig'> for this kind of AutoModel: "
        "AutoModelForSeq2SeqLM): --mt-model needs a sequence-to-sequence translation model (NLLB, M2M100), saved "
        "with its tokenizer")
    bare = _copy_without(tiny_models["mt"], tmp_path / "mt", "tokenizer.json", "tokenizer_config.json")
    with pytest.raises(ValueError) as err:
        Translator(str(bare), device="cpu", option="--bt-model", role="back-translation")._load()
    # the neural extra installs sentencepiece, so transformers picks M2M100's SentencePiece tokenizer for this config
    # and fails on its missing file (a bare TypeError before; without sentencepiece: no tokenizer class at all)
    assert str(err.value) == (
        f"the back-translation model {bare} has no tokenizer files that its tokenizer class can read (expected str, "
        "bytes or os.PathLike object, not NoneType); save the model's tokenizer beside it "
        "(tokenizer.save_pretrained) or give --bt-model a model that has one")


def test_a_local_directory_that_cannot_load_is_not_told_to_pass_a_local_copy(tiny_models, tmp_path):
    """Found in review: a directory given to --ner-model without its weights got 'pass a local copy with --ner-model
    DIR', which it was."""
    from projection.neural.ner import WordNer

    path = _copy_without(tiny_models["ner"], tmp_path / "ner", "model.safetensors")
    with pytest.raises(ModelUnavailableError) as err:
        WordNer(str(path), device="cpu")._load()
    assert str(err.value).startswith(f"cannot load the NER model {path} (")
    assert str(err.value).endswith("); --ner-model needs a directory written by save_pretrained, with the model's "
                                   "weights and its tokenizer")


def _screen(text: str) -> list[str]:
    """The lines a terminal shows after ``text``: ``\\r``, ``\\n``, cursor up (``ESC[A``) and styles (``ESC[…m``,
    no width) as a terminal takes them, every other character written over what the cursor is on."""
    import re

    lines: list[list[str]] = [[]]
    row = col = 0
    for piece in re.split(r"(\x1b\[[0-9;]*[A-Za-z]|\r|\n)", text):
        if piece == "\r":
            col = 0
        elif piece == "\n":
            row += 1
            lines.extend([] for _ in range(row + 1 - len(lines)))
        elif piece == "\x1b[A":
            row = max(row - 1, 0)
        elif piece.startswith("\x1b["):
            continue
        else:
            line = lines[row]
            for ch in piece:
                line.extend(" " for _ in range(col + 1 - len(line)))
                line[col] = ch
                col += 1
    return [shown for line in lines if (shown := "".join(line).rstrip())]


def test_a_model_loaded_under_the_bars_of_a_run_leaves_no_bar_and_logs_above_them(monkeypatch):
    """Found in review: under a run's bar on a terminal, transformers' "Loading weights" bar (``leave=True``) was
    drawn over the run's bar when it closed and stayed on the screen (three such lines after translate-test), and what
    transformers logs while it loads (a checkpoint with a pretraining head loaded as the aligner's encoder: its load
    report) went through the bars. Now the loading bar is cleared and the log line is written above the bars."""
    import io
    import logging
    import sys

    from tqdm import tqdm
    from transformers.utils import logging as hf_logging

    import projection.runner as runner
    from projection.neural.hub import loading_bars

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    lines = logging.StreamHandler(screen)  # transformers' own handler writes to the terminal's stderr
    lines.setFormatter(logging.Formatter("%(message)s"))
    monkeypatch.setattr(logging.getLogger("transformers"), "handlers", [lines])
    token = runner._SHOW_STEPS.set(True)  # a run that shows its bars
    try:
        run_bar = tqdm(total=4, desc="projecting", leave=False, file=screen, mininterval=0)
        with loading_bars():
            for _ in hf_logging.tqdm(range(3), desc="Loading weights", mininterval=0):  # as transformers loads
                pass
            hf_logging.get_logger("transformers.modeling_utils").warning("BertModel LOAD REPORT")
        run_bar.update(4)
        run_bar.close()
    finally:
        runner._SHOW_STEPS.reset(token)
    assert _screen(screen.getvalue()) == ["BertModel LOAD REPORT"]
    assert logging.getLogger("transformers").handlers[0].stream is screen  # the handler's stream given back


def test_offline_models_are_found_in_the_legacy_hub_cache_variable(cache, monkeypatch):
    """huggingface_hub (and so transformers) still reads HUGGINGFACE_HUB_CACHE when HF_HUB_CACHE is not set; a model
    there was refused offline as "not in the Hugging Face cache (~/.cache/huggingface/hub)" (found in review)."""
    from projection.neural.hub import check_model

    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HUGGINGFACE_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HOME", str(cache.parent / "elsewhere"))
    assert check_model("org/tiny", role="alignment", option="--align-model") == "org/tiny"
    assert model_revision("org/tiny") == SHA_MAIN
