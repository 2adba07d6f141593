"""Without the Hub, default model ids fail at once with a message naming the model and the way out."""

from __future__ import annotations

import time

import pytest

from projection.cli import main


@pytest.fixture()
def empty_hf_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("argv,model,option", [
    (["translate-test", "--dataset", "masakhaner2", "--lang", "swa"], "facebook/nllb-200-3.3B", "--mt-model"),
    (["translate-train", "--source", "conll2003", "--lang", "swa"], "facebook/nllb-200-3.3B", "--mt-model"),
    (["translate-test", "--dataset", "xtreme", "--lang", "de", "--translations", "t.txt"],
     "FacebookAI/xlm-roberta-large-finetuned-conll03-english", "--ner-model"),
])
def test_uncached_default_model_fails_fast_with_exit_2(empty_hf_home, data_dir, tmp_path, capsys, argv, model, option):
    t0 = time.perf_counter()
    code = main([*argv, "--data-dir", str(data_dir), "--out", str(tmp_path / "o.conll")])
    elapsed = time.perf_counter() - t0
    err = capsys.readouterr().err
    assert code == 2 and elapsed < 10
    assert err.startswith("silver-ner: error:") and model in err and f"{option} DIR" in err
    assert "HF_HUB_OFFLINE" in err and not (tmp_path / "o.conll").exists()


def test_missing_local_directory_names_it(data_dir, tmp_path, capsys):
    code = main(["translate-test", "--dataset", "masakhaner2", "--lang", "swa", "--data-dir", str(data_dir),
                 "--mt-model", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o.conll")])
    assert code == 2 and "nowhere does not exist" in capsys.readouterr().err
