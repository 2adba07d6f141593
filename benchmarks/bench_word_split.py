"""How translated text is cut into words, against how each language's gold data writes its words (dev files only).

translate-train projects labels onto the words of a translation (``projection.neural.text.split_words``); a silver
set whose words follow other conventions than the gold data's differs from it at word edges. For every MasakhaNER2
language (``<lang>/dev.txt``) and every PAN-X language (``dev-<lang>.tsv``, first ``--limit`` sentences), each gold
sentence is detokenised with the package's own ``detokenize`` (as a translation would read), split again, and
compared: the share of sentences split exactly as the gold, and of gold tokens found as one word.

    python benchmarks/bench_word_split.py --data ../shared/data --out benchmarks/results/word_split.json
    python benchmarks/bench_word_split.py --data ../shared/data --root /tmp/wt_old --out /tmp/old.json  # older code
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MASAKHANER2 = "bam bbj ewe fon hau ibo kin lug luo mos nya pcm sna swa tsn twi wol xho yor zul".split()
PANX = ("af ar bg bn de el en es et eu fa fi fr he hi hu id it ja jv ka kk ko ml mr ms my nl pt ru sw ta te tl tr ur "
        "vi yo zh").split()  # fmt: skip


def gold_sentences(path: Path, limit: int | None) -> list[list[str]]:
    """Tokens of each sentence: the first column (tab- or space-separated two-column CoNLL)."""
    out: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
            if limit and len(out) >= limit:
                return out
            continue
        token = line.split("\t")[0] if "\t" in line else line.rsplit(" ", 1)[0]
        if token.strip():
            cur.append(token)
    if cur and not (limit and len(out) >= limit):
        out.append(cur)
    return out


def _edges(tokens: list[str]) -> list[tuple[int, int]]:
    """Character spans of the tokens in the text without spaces."""
    spans, at = [], 0
    for t in tokens:
        n = len("".join(t.split()))
        spans.append((at, at + n))
        at += n
    return spans


def agreement(sentences: list[list[str]], lang: str) -> dict:
    from projection.neural.text import detokenize, split_words

    same = found = total = 0
    for tokens in sentences:
        gold = _edges(tokens)
        words = set(_edges(split_words(detokenize(tokens, lang), lang)))
        same += set(gold) == words
        found += sum(span in words for span in gold)
        total += len(gold)
    return {"sentences": len(sentences), "same_sentences": same, "tokens": total, "tokens_found": found}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="the shared data folder (masakhaner2/, xtreme-panx/)")
    ap.add_argument("--limit", type=int, default=2000, help="PAN-X sentences per language (MasakhaNER2: all of dev)")
    ap.add_argument("--root", help="a checkout whose code to measure (default: this one)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.limit < 1:
        ap.error("--limit must be at least 1")
    data = Path(args.data)
    files = {lang: (data / "masakhaner2" / lang / "dev.txt", None) for lang in MASAKHANER2}
    files.update({lang: (data / "xtreme-panx" / f"dev-{lang}.tsv", args.limit) for lang in PANX})
    missing = [str(p) for p, _ in files.values() if not p.is_file()]
    if missing:
        sys.exit(f"missing dev files: {', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}")
    sys.path.insert(0, str(Path(args.root).resolve() if args.root else Path(__file__).resolve().parents[1]))
    results = {lang: agreement(gold_sentences(path, limit), lang) for lang, (path, limit) in files.items()}
    print("| lang | sentences split as the gold | gold tokens found |")
    print("|---|---|---|")
    for lang, r in results.items():
        print(f"| {lang} | {100 * r['same_sentences'] / r['sentences']:.1f} % | "
              f"{100 * r['tokens_found'] / r['tokens']:.2f} % |")  # fmt: skip
    Path(args.out).write_text(json.dumps({"root": args.root or ".", "limit": args.limit, "languages": results},
                                         indent=1) + "\n", encoding="utf-8")  # fmt: skip


if __name__ == "__main__":
    main()
