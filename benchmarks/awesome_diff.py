"""Differential check: our ``awesome.v1`` against the reference implementation, PyPI ``awesome-align`` 0.1.7.

    python benchmarks/awesome_diff.py [--python /tmp/aw/bin/python] [--pairs N] [--scale 8]
                                      [--out benchmarks/results/awesome_diff.json]

awesome-align pins old packages (it vendors a transformers 2.x BERT), so it runs in its own interpreter, given
by ``--python``; a throwaway venv that sees this environment's torch is enough:

    python -m venv --system-site-packages /tmp/aw && /tmp/aw/bin/pip install --no-deps awesome-align==0.1.7

Both sides get the same tiny random 12-layer BERT (tests/neural/tiny_models.py, hidden 16, seed 0, tokenizer
trained on the pairs; the output LayerNorm of layer 8 scaled by ``--scale`` so that the softmaxes are peaked as a
trained model's are: unscaled, nearly every word pair passes 1e-3) and the same sentence pairs: the 447 Hansards
en-fr pairs of tests/data/align, plus three pairs with a literal ``[SEP]`` / ``[CLS]`` word (awesome-align masks
those ids; so does awesome.v1). awesome-align runs its own CLI (``awesome_align.run_align``: softmax extraction,
threshold 1e-3, layer 8) on a ``src ||| tgt`` file; ours runs in this process. The table gives identical pairs and
link counts; the JSON keeps the versions and the first differing pairs. Exit status 1 when any pair differs, 2 when
awesome-align cannot be imported by ``--python`` (nothing is written then).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "neural"))

HANSARDS = ROOT / "tests" / "data" / "align" / "hansards-enfr.txt"
SPECIAL = [
    ("the [SEP] house is red".split(), "la [SEP] maison est rouge".split()),
    ("[CLS] we agree".split(), "nous sommes d' accord".split()),
    ("thank you [SEP]".split(), "merci [SEP]".split()),
]  # no side made only of special tokens: all masked, awesome-align raises IndexError


def read_pairs(limit: int | None) -> list[tuple[list[str], list[str]]]:
    pairs = []
    for line in HANSARDS.read_text(encoding="utf-8").splitlines():
        src, tgt = line.split(" ||| ")
        pairs.append((src.split(), tgt.split()))
    return (pairs[:limit] if limit else pairs) + SPECIAL


def reference_dir(model: Path, out: Path) -> Path:
    """The same model as awesome-align's vendored loader reads it: pytorch_model.bin, vocab.txt, config."""
    import torch
    from safetensors.torch import load_file
    from transformers import AutoTokenizer

    out.mkdir(parents=True)
    torch.save(load_file(model / "model.safetensors"), out / "pytorch_model.bin")
    vocab = AutoTokenizer.from_pretrained(model).get_vocab()
    (out / "vocab.txt").write_text("".join(t + "\n" for t, _ in sorted(vocab.items(), key=lambda x: x[1])),
                                   encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": False, "model_max_length": 512}))
    (out / "config.json").write_bytes((model / "config.json").read_bytes())
    return out


def sharpen(model: Path, layer: int, scale: float) -> None:
    """Multiply the output LayerNorm of ``layer`` (hidden_states[layer]) by ``scale``, in place."""
    import torch
    from transformers import BertModel

    net = BertModel.from_pretrained(model)
    with torch.no_grad():
        norm = net.encoder.layer[layer - 1].output.LayerNorm
        norm.weight.mul_(scale)
        norm.bias.mul_(scale)
    net.save_pretrained(model)


def run_reference(python: str, model: Path, pairs, work: Path) -> list[set[tuple[int, int]]]:
    data, out = work / "pairs.txt", work / "awesome.out"
    data.write_text("".join(f"{' '.join(s)} ||| {' '.join(t)}\n" for s, t in pairs), encoding="utf-8")
    cmd = [python, "-m", "awesome_align.run_align", "--model_name_or_path", str(model), "--data_file", str(data),
           "--output_file", str(out), "--extraction", "softmax", "--softmax_threshold", "0.001",
           "--align_layer", "8", "--batch_size", "32", "--num_workers", "0", "--no_cuda"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=work)
    if result.returncode != 0:
        raise SystemExit(f"awesome-align failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    lines = out.read_text(encoding="utf-8").splitlines()
    return [{tuple(map(int, p.split("-"))) for p in line.split()} for line in lines]


def versions(python: str) -> dict[str, str]:
    code = "import importlib.metadata as m; print(m.version('awesome-align'), m.version('torch'))"
    aw, torch_ = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    import transformers

    return {"awesome_align": aw, "torch_reference": torch_, "transformers_ours": transformers.__version__,
            "python": platform.python_version()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default=sys.executable, help="an interpreter that can import awesome_align")
    ap.add_argument("--pairs", type=int, default=None, help="the first N Hansards pairs (default: all 447)")
    ap.add_argument("--scale", type=float, default=8.0, help="layer-8 LayerNorm scale (sharper softmaxes)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "awesome_diff.json"))
    args = ap.parse_args()
    probe = subprocess.run([args.python, "-c", "import awesome_align.modeling"], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"awesome_align is not importable by {args.python}: {probe.stderr.strip().splitlines()[-1:]}\n"
              "set it up as the module docstring says and pass --python", file=sys.stderr)
        return 2

    import tiny_models
    import torch

    import projection.align.neural_registered  # noqa: F401
    from projection.align.base import get_aligner

    torch.set_num_threads(1)
    pairs = read_pairs(args.pairs)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = [" ".join(side) for pair in pairs for side in pair]
        model = tiny_models.build_encoder(work / "enc12", layers=12, corpus=corpus, positions=512)
        sharpen(model, 8, args.scale)
        expected = run_reference(args.python, reference_dir(model, work / "reference"), pairs, work)
        ours = get_aligner("awesome.v1", model=str(model), layer=8, threshold=1e-3, device="cpu")
        got = [set(a.pairs) for a in ours.align([s for s, _ in pairs], [t for _, t in pairs])]
    if len(expected) != len(pairs):
        raise SystemExit(f"awesome-align wrote {len(expected)} lines for {len(pairs)} pairs")
    differing = [k for k, (a, b) in enumerate(zip(got, expected)) if a != b]
    special = range(len(pairs) - len(SPECIAL), len(pairs))
    result = {
        "what": "awesome.v1 vs awesome-align run_align (softmax, threshold 1e-3, layer 8) on a tiny random "
                f"12-layer BERT (hidden 16, seed 0, layer-8 LayerNorm x{args.scale})",
        "versions": versions(args.python),
        "pairs": len(pairs),
        "identical_pairs": len(pairs) - len(differing),
        "links_ours": sum(map(len, got)),
        "links_reference": sum(map(len, expected)),
        "word_pairs": sum(len(src) * len(tgt) for src, tgt in pairs),
        "special_token_pairs_identical": all(got[k] == expected[k] for k in special),
        "first_differences": [{"pair": k, "ours_only": sorted(got[k] - expected[k]),
                               "reference_only": sorted(expected[k] - got[k])} for k in differing[:5]],
    }
    print(f"{'pairs':>6} {'identical':>9} {'links ours':>10} {'links ref':>9} {'word pairs':>10} "
          f"{'[SEP]/[CLS] pairs':>17}")
    print(f"{result['pairs']:>6} {result['identical_pairs']:>9} {result['links_ours']:>10} "
          f"{result['links_reference']:>9} {result['word_pairs']:>10} "
          f"{'identical' if result['special_token_pairs_identical'] else 'DIFFER':>17}")
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"-> {args.out}")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
