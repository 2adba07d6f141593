"""Throughput of the library's own model stages at the published model sizes (random weights, no download).

    python benchmarks/bench_models_gpu.py --out benchmarks/results/models_gpu.json          # on a GPU
    python benchmarks/bench_models_gpu.py --tiny --n 16 --device cpu --out /tmp/m.json     # smoke check

Three models are built from hand-written configs with the published sizes and saved as ordinary model
directories: NLLB-200 3.3B (M2M100: d_model 2048, 24+24 layers, vocab 256,206), XLM-R large with a 9-label
CoNLL-03 head (24 layers, hidden 1024, vocab 250,002) and mBERT base (12 layers, vocab 119,547). Their
tokenizers are trained here on the packaged Europarl-NER sentences (so sub-word counts are close to, not
equal to, the real ones: the table prints them). Then the library's stages run on those sentences exactly as a
user's run calls them — ``Translator.translate`` (de -> en), ``WordNer.predict`` (en) and the ``simalign.v1``
aligner (en–de, itermax, layer 8) — at the library's batch size and at a larger one, each loaded as the library
loads it and, for the tagger and the aligner, also cast to bf16 (``dtype`` column).

Random weights never emit EOS, so each translation runs to the library's cap of 2·n + 10 new tokens (n: the
source sub-words): the translation rows are a lower bound on sentences/s (real outputs are ~1.1·n long); the
``new tok/s`` column is the rate that carries over.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "neural"))  # tiny_models: the tokenizers

from tiny_models import CONLL_LABELS

from projection.cache import atomic_open
from projection.io.package_data import europarl

FULL = {
    "mt": {
        "d_model": 2048,
        "encoder_layers": 24,
        "decoder_layers": 24,
        "encoder_ffn_dim": 8192,
        "decoder_ffn_dim": 8192,
        "encoder_attention_heads": 16,
        "decoder_attention_heads": 16,
        "vocab_size": 256206,
    },
    "ner": {
        "hidden_size": 1024,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "intermediate_size": 4096,
        "vocab_size": 250002,
    },
    "enc": {
        "hidden_size": 768,
        "num_hidden_layers": 12,
        "num_attention_heads": 12,
        "intermediate_size": 3072,
        "vocab_size": 119547,
    },
}
TINY = {
    "mt": {
        "d_model": 32,
        "encoder_layers": 2,
        "decoder_layers": 2,
        "encoder_ffn_dim": 64,
        "decoder_ffn_dim": 64,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "vocab_size": 9000,
    },
    "ner": {
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "vocab_size": 9000,
    },
    "enc": {
        "hidden_size": 32,
        "num_hidden_layers": 9,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "vocab_size": 9000,
    },
}


def sentences(lang: str) -> list[list[str]]:
    return [list(s.tokens) for s in europarl(lang).sentences]


def build(root: Path, sizes: dict, corpus: list[str]) -> dict[str, Path]:
    """Save the three models (tagger and encoder in fp32, as the published checkpoints) with locally trained tokenizers."""
    import torch
    import transformers as tf
    from tiny_models import bert_tokenizer, nllb_tokenizer, xlmr_tokenizer

    paths = {k: root / k for k in ("mt", "ner", "enc")}
    torch.manual_seed(0)
    dev = "cuda" if torch.cuda.is_available() else "cpu"

    tok = nllb_tokenizer(corpus, vocab_size=8000, max_length=1024)
    cfg = tf.M2M100Config(
        **sizes["mt"],
        max_position_embeddings=1024,
        scale_embedding=True,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        activation_function="relu",
    )
    with torch.device(dev):
        model = tf.M2M100ForConditionalGeneration(cfg).to(torch.bfloat16)  # the library loads it in bf16 on CUDA
    tok.save_pretrained(paths["mt"])
    model.save_pretrained(paths["mt"])
    del model

    tok = xlmr_tokenizer(corpus, vocab_size=8000)
    cfg = tf.XLMRobertaConfig(
        **sizes["ner"],
        max_position_embeddings=514,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        num_labels=len(CONLL_LABELS),
        id2label=dict(enumerate(CONLL_LABELS)),
        label2id={lab: i for i, lab in enumerate(CONLL_LABELS)},
    )
    with torch.device(dev):
        model = tf.XLMRobertaForTokenClassification(cfg)
    tok.save_pretrained(paths["ner"])
    model.save_pretrained(paths["ner"])
    del model

    tok = bert_tokenizer(corpus, vocab_size=8000)
    with torch.device(dev):
        model = tf.BertModel(tf.BertConfig(**sizes["enc"], max_position_embeddings=512))
    tok.save_pretrained(paths["enc"])
    model.save_pretrained(paths["enc"])
    del model
    if dev == "cuda":
        torch.cuda.empty_cache()
    return paths


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def sizes(spec: str) -> list[int | None]:
    """``"auto,64"`` -> [None, 64]; None is the library's own choice for the device."""
    return [None if x == "auto" else int(x) for x in spec.split(",")]


def peak_gib(device: str) -> float | None:
    import torch

    return round(torch.cuda.max_memory_allocated() / 2**30, 2) if device.startswith("cuda") else None


def timed(fn, device: str, repeats: int) -> list[float]:
    import torch

    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    out = []
    for _ in range(repeats):
        _sync(device)
        t0 = time.perf_counter()
        fn()
        _sync(device)
        out.append(time.perf_counter() - t0)
    return out


def end_to_end(paths: dict[str, Path], root: Path, de: list[list[str]], device: str, rows: list) -> None:
    """``python -m projection translate-test`` on Europarl-NER German as an XTREME dev split: the whole process
    (start, model loading, translation, tagging, alignment, projection, writing), cold cache then warm."""
    import shutil
    import subprocess

    from projection.io.package_data import europarl as corpus

    data = root / "xtreme"
    data.mkdir(parents=True, exist_ok=True)
    with open(data / "dev-de.tsv", "w", encoding="utf-8") as fh:
        fh.writelines("".join(f"{t}\t{g}\n" for t, g in zip(s.tokens, s.tags)) + "\n" for s in corpus("de").sentences)
    cache = root / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "projection",
        "translate-test",
        "--dataset",
        "xtreme",
        "--lang",
        "de",
        "--split",
        "dev",
        "--data-dir",
        str(data),
        "--mt-model",
        str(paths["mt"]),
        "--ner-model",
        str(paths["ner"]),
        "--align-model",
        str(paths["enc"]),
        "--device",
        device,
        "--cache-dir",
        str(cache),
        "--no-progress",
        "--out",
        str(root / "out.conll"),
        "--report",
        str(root / "report.json"),
    ]
    here = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH")))),
    }
    for state in ("cold cache", "warm cache"):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        if done.returncode:
            raise RuntimeError(f"translate-test failed ({done.returncode}):\n{done.stderr[-3000:]}")
        report = json.loads((root / "report.json").read_text(encoding="utf-8"))
        n = report["sentences"]
        rows.append(
            {
                "stage": "translate-test CLI",
                "state": state,
                "sentences": n,
                "seconds": round(seconds, 2),
                "sent_per_s": round(n / seconds, 1),
                "signature": report["signature"],
            }
        )
        print(f"translate-test CLI, {state}: {n} sentences in {seconds:.1f} s ({n / seconds:.1f} sent/s)", flush=True)


def main(argv=None) -> int:
    import torch

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=256, help="sentences to translate (tagging and alignment: 4 × 799)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--tiny", action="store_true", help="tiny configs (CPU smoke check)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--root", default="/tmp/silver-ner-bench-models", help="where the models are saved")
    p.add_argument(
        "--mt-batches",
        default="16,64",
        help="translation batch sizes; auto: the library's choice (16 on CPU, 128 on a GPU)",
    )
    p.add_argument(
        "--tag-batches",
        default="16,64",
        help="tagger batch sizes; auto: the library's choice (16 on CPU, 64 on a GPU)",
    )
    p.add_argument("--align-batches", default="32,128", help="aligner batch sizes (the library's default: 32)")
    p.add_argument(
        "--end-to-end",
        action="store_true",
        help="also time `silver-ner translate-test` on the 799 German sentences (a fresh cache, then a warm one)",
    )
    p.add_argument("--only-end-to-end", action="store_true", help="skip the per-stage rows")
    p.add_argument("--out", default="bench_models_gpu.json")
    args = p.parse_args(argv)

    from projection.align.base import ALIGNERS
    from projection.neural.ner import WordNer
    from projection.neural.translate import Translator

    en, de = sentences("en"), sentences("de")
    corpus = [" ".join(s) for s in en + de + sentences("es") + sentences("it")]
    t0 = time.perf_counter()
    paths = build(Path(args.root), TINY if args.tiny else FULL, corpus)
    print(f"built and saved the models in {time.perf_counter() - t0:.0f} s", flush=True)
    rows = []

    def row(stage, dtype, bs, n, seconds, **extra):
        med = statistics.median(seconds)
        r = {
            "stage": stage,
            "dtype": dtype,
            "batch_size": bs,
            "sentences": n,
            "seconds": [round(s, 3) for s in seconds],
            "median_s": round(med, 3),
            "sent_per_s": round(n / med, 1),
            "peak_gib": peak_gib(args.device),
            **extra,
        }
        rows.append(r)
        more = "".join(f" {k}={v}" for k, v in extra.items())
        print(f"{stage:10} {dtype:9} bs={bs!s:<4} {n:5} sent {med:8.2f} s {n / med:9.1f} sent/s{more}", flush=True)

    if args.end_to_end or args.only_end_to_end:
        end_to_end(paths, Path(args.root), de, args.device, rows)
    if args.only_end_to_end:
        return write(args, rows)

    # -- translation (library: bf16 on CUDA, fp32 on CPU) ----------------------------------------------------
    texts = [" ".join(s) for s in de[: args.n]]
    tr = Translator(str(paths["mt"]), device=args.device, progress=False)
    tr.translate(texts[:4], "de", "en")  # load + warm-up
    tok = tr._tok
    src_tokens = sum(len(tok(t).input_ids) for t in texts)
    new_tokens = sum(min(tr.input_limit(), 2 * len(tok(t).input_ids) + 10) for t in texts)
    for bs in sizes(args.mt_batches):
        tr.batch_size = bs
        secs = timed(lambda: tr.translate(texts, "de", "en"), args.device, args.repeats)
        row(
            "translate",
            str(tr._model.dtype).replace("torch.", ""),
            bs,
            len(texts),
            secs,
            src_subwords=src_tokens,
            new_tok_per_s=round(new_tokens / statistics.median(secs)),
        )
    tr = tok = None  # free the model before the next one
    if args.device.startswith("cuda"):
        torch.cuda.empty_cache()

    # -- tagging (library: the checkpoint's dtype, fp32 here) and alignment, then both cast to bf16 ------------
    tag_in = en * 4
    ner = WordNer(str(paths["ner"]), device=args.device, progress=False)
    ner.predict(tag_in[:8])
    for cast in (None, torch.bfloat16):
        if cast is not None:
            ner._model.to(cast)
        for bs in sizes(args.tag_batches):
            ner.batch_size = bs
            secs = timed(lambda: ner.predict(tag_in), args.device, args.repeats)
            row("tag", str(ner._model.dtype).replace("torch.", ""), bs, len(tag_in), secs)
    ner = None
    src, tgt = en * 4, de * 4
    al = ALIGNERS.create("simalign.v1", model=str(paths["enc"]), device=args.device)
    al.align(src[:4], tgt[:4])
    for cast in (None, torch.bfloat16):
        if cast is not None:
            al.encoder._model.to(cast)
        for bs in sizes(args.align_batches):
            al.encoder.batch_size = bs
            secs = timed(lambda: al.align(src, tgt), args.device, args.repeats)
            enc_secs = timed(lambda: al.encoder.encode(src + tgt), args.device, args.repeats)
            row(
                "align",
                str(al.encoder._model.dtype).replace("torch.", ""),
                bs,
                len(src),
                secs,
                encode_median_s=round(statistics.median(enc_secs), 3),
            )
    return write(args, rows)


def write(args, rows) -> int:
    import torch

    meta = {
        "device": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "cpu",
        "tiny": args.tiny,
        "torch": torch.__version__,
        "transformers": __import__("transformers").__version__,
    }
    with atomic_open(args.out) as fh:
        json.dump({"meta": meta, "rows": rows}, fh, indent=2)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
