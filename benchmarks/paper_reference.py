"""A paper-style reference of ``silver-ner project --alignments``: plain Python, unbounded n-gram candidates.

What the paper's scripts do, written from its description (not its code): read the CoNLL files line by
line into lists, read the Pharaoh alignments, and for every source entity score every target n-gram
(unbounded) by 2·links/(|s|+|t|); choose greedily (best pair first, no overlapping spans, one span per
entity); write ``token<TAB>tag`` and score with seqeval. It is the baseline the whole-process benchmark
times side by side with silver-ner (``bench_whole.py``); it is not part of the package.

    python benchmarks/paper_reference.py [--solver=greedy|ilp] SRC.conll TGT.conll ALIGNMENTS.txt OUT.conll

``--solver=ilp`` solves the paper's integer program per sentence with pulp and CBC (the exact method).
"""

from __future__ import annotations

import sys


def read_conll(path):
    sents, toks, tags = [], [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                toks, tags = [], []
                continue
            parts = line.split("\t") if "\t" in line else line.split(" ")
            toks.append(parts[0])
            tags.append(parts[-1])
    if toks:
        sents.append((toks, tags))
    return sents


def read_alignments(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            links = []
            for item in line.split():
                sep = "-" if "-" in item else "p"
                i, j = item.split(sep)
                links.append((int(i), int(j)))
            out.append(links)
    return out


def entities(tags):
    spans, start, label = [], None, None
    for k, t in enumerate(tags + ["O"]):
        if t.startswith("B-") or t == "O" or (t.startswith("I-") and t[2:] != label):
            if start is not None:
                spans.append((start, k, label))
            start, label = (k, t[2:]) if t != "O" else (None, None)
    return spans


def _ilp(pairs, n_tgt):
    """The paper's integer program with pulp + CBC (one subprocess per sentence, as its scripts do)."""
    import pulp

    prob = pulp.LpProblem("projection", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{k}", cat="Binary") for k in range(len(pairs))]
    prob += pulp.lpSum(p[0] * v for p, v in zip(pairs, x))
    for e in {p[1] for p in pairs}:
        prob += pulp.lpSum(v for p, v in zip(pairs, x) if p[1] == e) <= 1
    for j in range(n_tgt):
        covering = [v for p, v in zip(pairs, x) if p[2] <= j < p[3]]
        if len(covering) > 1:
            prob += pulp.lpSum(covering) <= 1
    prob.solve(pulp.PULP_CBC_CMD(msg=0))
    return [p for p, v in zip(pairs, x) if v.value() and v.value() > 0.5]


def project(src_tags, n_tgt, links, solver="greedy"):
    ents = entities(src_tags)
    pairs = []
    for e, (a, b, _) in enumerate(ents):
        linked = [j for i, j in links if a <= i < b]
        for s in range(n_tgt):
            for t in range(s + 1, n_tgt + 1):
                inside = sum(1 for j in linked if s <= j < t)
                if inside:
                    pairs.append((2 * inside / ((b - a) + (t - s)), e, s, t))
    if solver == "ilp":
        out = ["O"] * n_tgt
        for score, e, s, t in (_ilp(pairs, n_tgt) if pairs else []):
            for k in range(s, t):
                out[k] = ("B-" if k == s else "I-") + ents[e][2]
        return out
    pairs.sort(key=lambda p: (-p[0], p[1], p[2], p[3]))
    used_e, taken, out = set(), [False] * n_tgt, ["O"] * n_tgt
    for score, e, s, t in pairs:
        if e in used_e or any(taken[s:t]):
            continue
        used_e.add(e)
        label = ents[e][2]
        for k in range(s, t):
            taken[k] = True
            out[k] = ("B-" if k == s else "I-") + label
    return out


def main(argv):
    solver = "greedy"
    if argv and argv[0].startswith("--solver="):
        solver, argv = argv[0].split("=", 1)[1], argv[1:]
    src_path, tgt_path, al_path, out_path = argv
    src, tgt, als = read_conll(src_path), read_conll(tgt_path), read_alignments(al_path)
    silver = [project(s_tags, len(t_toks), links, solver) for (_, s_tags), (t_toks, _), links in zip(src, tgt, als)]
    with open(out_path, "w", encoding="utf-8") as fh:
        for (toks, _), tags in zip(tgt, silver):
            fh.write("".join(f"{w}\t{t}\n" for w, t in zip(toks, tags)) + "\n")
    from seqeval.metrics import f1_score

    print(f"F1 {f1_score([t for _, t in tgt], silver):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
