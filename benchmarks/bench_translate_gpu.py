"""Time NLLB-3.3B-architecture translation: batched vs one by one, bf16 vs fp32 (random weights, no download).

    python benchmarks/bench_translate_gpu.py --n 64 --out bench_translate.json          # on a GPU
    python benchmarks/bench_translate_gpu.py --tiny --n 8 --device cpu                   # smoke check

The model is built from a hand-written config (d_model 2048, 24+24 layers, FFN 8192, 16 heads, vocab 256206:
the published NLLB-200 3.3B values). Inputs are random token ids with lengths of typical sentences (10–60
sub-words); generation is greedy and runs for a fixed number of new tokens (``--new-tokens``; EOS disabled),
so the numbers measure throughput, not translation quality.
"""

from __future__ import annotations

import argparse
import json
import os
import time


def build(tiny: bool, dtype, device):
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    if tiny:
        cfg = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                   encoder_attention_heads=2, decoder_attention_heads=2, vocab_size=1000)
    else:
        cfg = dict(d_model=2048, encoder_layers=24, decoder_layers=24, encoder_ffn_dim=8192, decoder_ffn_dim=8192,
                   encoder_attention_heads=16, decoder_attention_heads=16, vocab_size=256206)
    config = M2M100Config(**cfg, max_position_embeddings=1024, scale_embedding=True, pad_token_id=1, bos_token_id=0,
                          eos_token_id=2, decoder_start_token_id=2, activation_function="relu")
    torch.manual_seed(0)
    with torch.device(device):
        model = M2M100ForConditionalGeneration(config).to(dtype)
    return model.eval(), config


def inputs(n: int, vocab: int, seed: int = 0):
    import torch

    g = torch.Generator().manual_seed(seed)
    lengths = torch.randint(10, 61, (n,), generator=g).tolist()
    return [torch.randint(4, vocab, (k,), generator=g) for k in lengths]


def run(model, sents, batch_size: int, new_tokens: int, device) -> float:
    import torch

    order = sorted(range(len(sents)), key=lambda k: -len(sents[k]))  # batch by length, as the pipeline does
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for start in range(0, len(order), batch_size):
        batch = [sents[k] for k in order[start : start + batch_size]]
        width = max(len(s) for s in batch)
        ids = torch.ones((len(batch), width), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, s in enumerate(batch):
            ids[row, : len(s)], mask[row, : len(s)] = s, 1
        with torch.inference_mode():
            model.generate(input_ids=ids.to(device), attention_mask=mask.to(device), forced_bos_token_id=3,
                           max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False, num_beams=1)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    import torch

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=64, help="sentences")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--new-tokens", type=int, default=48)
    p.add_argument("--tiny", action="store_true", help="tiny config (CPU smoke check)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--dtypes", default="bfloat16,float32")
    p.add_argument("--out", default="bench_translate_gpu.json")
    args = p.parse_args(argv)
    rows = []
    for dtype_name in args.dtypes.split(","):
        dtype = getattr(torch, dtype_name)
        model, config = build(args.tiny, dtype, args.device)
        sents = inputs(args.n, config.vocab_size)
        run(model, sents[: min(4, args.n)], args.batch_size, 4, args.device)  # warm-up
        for label, bs in (("batched", args.batch_size), ("one-by-one", 1)):
            seconds = run(model, sents, bs, args.new_tokens, args.device)
            rows.append({"dtype": dtype_name, "mode": label, "batch_size": bs, "sentences": args.n,
                         "seconds": round(seconds, 3), "sent_per_s": round(args.n / seconds, 2)})
            print(f"{dtype_name:9} {label:11} bs={bs:<3} {seconds:9.2f} s {args.n / seconds:9.2f} sent/s", flush=True)
        if args.device.startswith("cuda"):
            rows[-1]["max_memory_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
        del model
        if args.device.startswith("cuda"):
            torch.cuda.empty_cache()
    meta = {"device": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "cpu",
            "tiny": args.tiny, "new_tokens": args.new_tokens, "torch": torch.__version__}
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "rows": rows}, fh, indent=2)
    os.replace(tmp, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
