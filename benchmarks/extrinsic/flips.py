"""Which evaluation phrases make two silver sets' CRFs differ? The F1 difference between the best and the worst of
several draws of one method, and what is left of it once the few entity strings that differ most are left out.

    SILVER_NER_SHARED=../shared/data python benchmarks/extrinsic/flips.py --split dev \\
        --method capstem+anchor+names --replicates 3 [--top 1 3] [--out …]

The draws are ``noise.py --resample``'s: replicate r projects through the eflomal sample cached under
``--cache``/resample-r (run ``noise.py --resample`` first, or this script aligns afresh). One CRF per draw; its
predictions on the split are cached under ``--cache``/crf/flips.

A *string* is an entity's words joined by spaces, without its label. For the best and the worst draw, each string
gets the number of entities that differ between their predictions (correct ones and wrong ones, either draw) and
is ranked by it. "Left out" drops every gold and predicted entity with that string from both draws, and F1 is
taken again: if the gap closes, the gap was about those phrases, not about the evaluation set at large.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

Entity = tuple[str, int, int]  # label, first word, last word (seqeval's get_entities)


def entity_sets(tags: Sequence[Sequence[str]]) -> list[set[Entity]]:
    from seqeval.metrics.sequence_labeling import get_entities

    return [set(get_entities(list(t))) for t in tags]


def text(tokens: Sequence[str], e: Entity) -> str:
    return " ".join(tokens[e[1] : e[2] + 1])


def f1_without(
    tokens: Sequence[Sequence[str]], gold: Sequence[set[Entity]], pred: Sequence[set[Entity]], strings: Collection[str]
) -> float:
    """Entity micro F1 over the sentences with every gold and predicted entity whose string is in ``strings``
    left out."""
    tp = n_pred = n_gold = 0
    for words, g, p in zip(tokens, gold, pred):
        g = {e for e in g if text(words, e) not in strings}
        p = {e for e in p if text(words, e) not in strings}
        tp += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    return 200.0 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def differing_strings(
    tokens: Sequence[Sequence[str]], a: Sequence[set[Entity]], b: Sequence[set[Entity]]
) -> list[tuple[str, int]]:
    """Strings of the entities predicted by exactly one of ``a`` and ``b``, most such entities first (ties by
    string)."""
    n: Counter[str] = Counter()
    for words, pa, pb in zip(tokens, a, b):
        for e in pa ^ pb:
            n[text(words, e)] += 1
    return sorted(n.items(), key=lambda kv: (-kv[1], kv[0]))


def predictions(lang: str, tokens, ys, evalset, cache: Path) -> list[list[str]]:
    """The split's tags predicted by a CRF trained on (tokens, ys), cached by the training data."""
    from crf import PARAMS, Crf, features

    from projection.cache import atomic_write_text

    key = hashlib.sha256(json.dumps([PARAMS, [list(t) for t in tokens], [list(y) for y in ys],
                                     [list(s.tokens) for s in evalset]]).encode()).hexdigest()  # fmt: skip
    path = cache / "crf" / "flips" / f"{lang}.{key[:16]}.json"
    if not path.exists():
        crf = Crf([features(t) for t in tokens], ys)
        pred = crf.predict([features(s.tokens) for s in evalset])
        crf.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(pred))
    return json.loads(path.read_text())


def main(argv: list[str] | None = None) -> int:
    from data import LANGS, english_train, masakhaner, shared_data
    from methods import METHODS
    from silver import cached_tags, load_bitext

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev",), default="dev")
    ap.add_argument("--langs", nargs="+", default=list(LANGS), choices=LANGS)
    ap.add_argument("--method", default="capstem+anchor+names", choices=sorted(METHODS))
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--top", type=int, nargs="+", default=[1, 3])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/silver-ner-extrinsic"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.replicates < 2:
        ap.error("--replicates must be at least 2: the gap is between the best and the worst draw")
    root = shared_data()
    english = english_train(root)
    rows = {}
    print(f"{'lang':5s} {'draws':>20s} {'gap':>5s} " + " ".join(f"{'−top' + str(k):>6s}" for k in args.top)
          + "  strings that differ most (entities)")  # fmt: skip
    for lang in args.langs:
        bitext = load_bitext(root, lang, english)
        evalset = masakhaner(root, lang, args.split)
        tokens = [t.tokens for t in bitext.target]
        words = [s.tokens for s in evalset]
        gold = entity_sets([s.tags for s in evalset])
        preds = []
        for r in range(args.replicates):
            ys, _ = cached_tags(args.method, METHODS[args.method], bitext, args.cache / f"resample-{r}")
            preds.append(entity_sets(predictions(lang, tokens, ys, evalset, args.cache)))
        f1s = [f1_without(words, gold, p, ()) for p in preds]
        hi, lo = max(range(len(f1s)), key=f1s.__getitem__), min(range(len(f1s)), key=f1s.__getitem__)
        ranked = differing_strings(words, preds[hi], preds[lo])
        left = {}
        for k in args.top:
            strings = {s for s, _ in ranked[:k]}
            left[k] = f1_without(words, gold, preds[hi], strings) - f1_without(words, gold, preds[lo], strings)
        n_gold = Counter(text(w, e) for w, g in zip(words, gold) for e in g)
        rows[lang] = {
            "f1": [round(v, 2) for v in f1s], "gap": round(f1s[hi] - f1s[lo], 2),
            "gap_without_top": {str(k): round(v, 2) for k, v in left.items()},
            "top": [{"string": s, "differing": n, "gold": n_gold[s]} for s, n in ranked[: max(args.top)]],
        }  # fmt: skip
        print(f"{lang:5s} {' '.join(f'{v:6.2f}' for v in f1s):>20s} {f1s[hi] - f1s[lo]:5.2f} "
              + " ".join(f"{left[k]:6.2f}" for k in args.top) + "  "
              + "; ".join(f"{s} ({n}, gold {n_gold[s]})" for s, n in ranked[:3]), flush=True)  # fmt: skip
    gaps = [row["gap"] for row in rows.values()]
    print(f"median gap {statistics.median(gaps):.2f}; "
          + "; ".join(f"without the top {k}: {statistics.median(r['gap_without_top'][str(k)] for r in rows.values()):.2f}"
                      for k in args.top))  # fmt: skip
    if args.out:
        payload = {"split": args.split, "method": args.method, "replicates": args.replicates, "languages": rows}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
