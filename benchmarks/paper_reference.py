"""A paper-style reference of ``silver-ner project --alignments``: plain Python, unbounded n-gram candidates.

What the paper's scripts do, written from its description (``../shared/research/paper-notes.md`` §3, not
its code): read the CoNLL files line by line into lists, read the Pharaoh alignments, extract every target
n-gram (unbounded; spans containing ``!`` or ``?`` dropped), fill the entity × candidate score matrix with
c(s, t) = 2·#{links from s into t}/(|s|+|t|), then match; write ``token<TAB>tag`` and score with seqeval. It is
the baseline the whole-process benchmark times side by side with silver-ner (``bench_whole.py``); it is not
part of the package.

    python benchmarks/paper_reference.py [--style=literal|lean] [--solver=greedy|ilp] SRC TGT ALIGNMENTS OUT

Two styles of the same greedy ("argmax") matching, which choose the same spans:

- ``literal`` (default): the method as the paper states it. Each matrix cell counts the links of the
  alignment that fall inside (entity, candidate), and the matcher repeats "take the largest cell (row-major
  first on ties), zero its entity's row and the columns of every candidate that shares a word with it"
  until no positive cell is left.
- ``lean``: the same choice computed with two shortcuts of my own: the target words linked to each entity
  are collected once, and the positive cells are sorted once (by score, then entity, then candidate) and
  taken in that order.

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
    """Every link of each Pharaoh line, ``i-j`` and ``ipj`` alike (the paper's method knows one kind of link)."""
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


STOP_WORDS = {"!", "?"}


def candidates(tgt_tokens):
    """Every target n-gram ``(s, t)``, unbounded, in order, without the ones that contain a stop word."""
    n = len(tgt_tokens)
    out = []
    for s in range(n):
        for t in range(s + 1, n + 1):
            if tgt_tokens[t - 1] in STOP_WORDS:  # every longer span from s holds it too
                break
            out.append((s, t))
    return out


def project_literal(src_tags, tgt_tokens, links):
    """The argmax matching over the dense score matrix, as the paper states it."""
    ents = entities(src_tags)
    cands = candidates(tgt_tokens)
    matrix = []
    for a, b, _ in ents:
        row = []
        for s, t in cands:
            inside = sum(1 for i, j in links if a <= i < b and s <= j < t)
            row.append(2 * inside / ((b - a) + (t - s)))
        matrix.append(row)
    out = ["O"] * len(tgt_tokens)
    while matrix:
        best, best_e, best_c = 0.0, -1, -1
        for e, row in enumerate(matrix):
            for c, v in enumerate(row):
                if v > best:
                    best, best_e, best_c = v, e, c
        if best <= 0:
            break
        s, t = cands[best_c]
        label = ents[best_e][2]
        for k in range(s, t):
            out[k] = ("B-" if k == s else "I-") + label
        matrix[best_e] = [0.0] * len(cands)
        for c, (s2, t2) in enumerate(cands):
            if s2 < t and s < t2:
                for row in matrix:
                    row[c] = 0.0
    return out


def project(src_tags, tgt_tokens, links, solver="greedy"):
    """The lean greedy (or, with ``solver="ilp"``, the integer program) over the same candidates."""
    ents = entities(src_tags)
    n_tgt = len(tgt_tokens)
    cands = candidates(tgt_tokens)
    pairs = []
    for e, (a, b, _) in enumerate(ents):
        linked = [j for i, j in links if a <= i < b]
        for s, t in cands:
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
    usage = "usage: paper_reference.py [--style=literal|lean] [--solver=greedy|ilp] SRC TGT ALIGNMENTS OUT"
    solver, style = "greedy", "literal"
    choices = {"solver": ("greedy", "ilp"), "style": ("literal", "lean")}
    while argv and argv[0].startswith("--"):
        key, sep, value = argv[0][2:].partition("=")
        if key not in choices:
            raise SystemExit(f"unknown option {argv[0]}\n{usage}")
        if not sep or value not in choices[key]:
            raise SystemExit(f"--{key} takes one of {', '.join(choices[key])} after '=' "
                             f"(e.g. --{key}={choices[key][0]}), got {argv[0]!r}\n{usage}")  # fmt: skip
        if key == "solver":
            solver = value
        else:
            style = value
        argv = argv[1:]
    if len(argv) != 4:
        raise SystemExit(f"expected 4 paths (SRC TGT ALIGNMENTS OUT), got {len(argv)}\n{usage}")
    src_path, tgt_path, al_path, out_path = argv
    src, tgt, als = read_conll(src_path), read_conll(tgt_path), read_alignments(al_path)
    if solver == "greedy" and style == "literal":
        silver = [project_literal(s_tags, t_toks, links) for (_, s_tags), (t_toks, _), links in zip(src, tgt, als)]
    else:
        silver = [project(s_tags, t_toks, links, solver) for (_, s_tags), (t_toks, _), links in zip(src, tgt, als)]
    with open(out_path, "w", encoding="utf-8") as fh:
        for (toks, _), tags in zip(tgt, silver):
            fh.write("".join(f"{w}\t{t}\n" for w, t in zip(toks, tags)) + "\n")
    from seqeval.metrics import f1_score

    print(f"F1 {f1_score([t for _, t in tgt], silver):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
