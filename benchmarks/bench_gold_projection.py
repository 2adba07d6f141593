"""A development set for the parallel mode that is not Europarl-NER: projection on the gold word-alignment
sets (de-en RWTH, Europarl proceedings; en-fr Hansards), scored against the projection through the gold links.

    python benchmarks/bench_gold_projection.py --runs 3 --out benchmarks/results/gold_projection.json

No NER data is read. The English "entities" are the runs of capitalised words that do not start the sentence
(`Mr Prodi`, `European Parliament`, `EU`), one type. Their *reference* target span runs from the first to the
last target word that a gold sure link joins to the entity (possible links when it has no sure link); an
entity with no gold link has no reference span. Each method projects the same English spans with the
aligner trained on the gold set's sentences plus NTREX-128 English–target text (as ``silver-ner demo`` does
with the shipped NTREX files), and its spans are scored against the reference (exact match, micro P/R/F1).
``gold-links`` projects with the gold links themselves: how far the projection method alone falls short.

Methods (``--methods``, default all):
- ``default``: the parallel mode's language-independent default (from 0.5.0, de and fr, the targets here, add
  ``similar_names=0.5`` and ``possible_votes=2`` to it by default: that is ``similar0.5+votes2`` below);
- ``null0.05``, ``null0.1``: the default aligner with eflomal's ``null_prior`` 0.05 or 0.1 (default 0.2);
- ``runs4``: the default aligner voting over 4 eflomal samples instead of 2;
- ``samplers6``: eflomal's ``n_samplers`` 6 (default 3: parallel samplers averaged within one sample);
- ``iter2``: eflomal's ``rel_iterations`` 2 (twice the automatic number of iterations);
- ``similar0.5``: the default aligner with ``similar_names=0.5`` (the name prior also for similar words);
- ``similar0.5c``: the same with ``similar_cased`` (only target words that start upper case);
- ``trim``: the default with ``trim.v1`` after ``anchor.v1`` (stray words cut from the spans' edges);
- ``votes2``: the default aligner keeping a possible link only when 2 of the 4 directional alignments found it
  (``possible_votes=2``; default 1: any);
- ``similar0.5+votes2``: both ``similar_names=0.5`` and ``possible_votes=2``;
- ``group``: the 0.5.0 default of both targets (de, fr), ``similar0.5+votes2``; ``group+null0.1``: with eflomal's
  ``null_prior`` 0.1; ``group+char1``: with the character-similarity weight 1 (default 0.5); ``group+runs3``: voting
  over 3 eflomal samples (6 directional alignments: sure from 4, possible from 2); ``group+hyphens``: the aligner
  sees a hyphenated word as its pieces (``EU-Bürgern`` -> ``EU`` ``Bürgern``), their links mapped back to the word
  (``HyphenPieces``, benchmark code); ``group+cldr``: with CLDR's names in English and the target added to the extra
  text (``cldr_names``: territories, languages, the exemplar cities of time zones; from the ``babel`` package);
- ``gold-links``: the default method on the gold links (sure links sure, possible links possible).

Within a run, a method whose aligner settings equal an earlier method's projects through that method's
alignments (``trim`` through ``default``'s), so the two differ only in the projection: a paired comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_aer import PAIRS, load_gold, load_ntrex
from bench_name_prior import ENGLISH_SIDE

from projection.align.base import get_aligner
from projection.align.eflomal import EflomalAligner
from projection.options import default_config
from projection.plans import project_corpus
from projection.tags import spans_to_bio
from projection.types import Alignment, Sentence, Span


def english_entities(tokens) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words that do not start the sentence (``I`` is not a name)."""
    spans, start = [], None
    for k, w in enumerate(tokens):
        cap = k > 0 and w[:1].isupper() and w != "I"
        if cap and start is None:
            start = k
        elif not cap and start is not None:
            spans.append((start, k))
            start = None
    if start is not None:
        spans.append((start, len(tokens)))
    return spans


def reference_span(span: tuple[int, int], sure, possible) -> tuple[int, int] | None:
    words = range(*span)
    hit = sorted(j for i, j in sure if i in words) or sorted(j for i, j in possible if i in words)
    return (hit[0], hit[-1] + 1) if hit else None


def hyphen_pieces(tokens) -> tuple[list[str], list[int]]:
    """The words of ``tokens`` with each hyphenated word cut into its pieces (``EU-Bürgern`` -> ``EU``, ``Bürgern``;
    the hyphens dropped), and for each piece the index of its word."""
    pieces, words = [], []
    for k, token in enumerate(tokens):
        parts = token.split("-")
        if len(parts) < 2 or not all(parts):
            parts = [token]
        pieces += parts
        words += [k] * len(parts)
    return pieces, words


class HyphenPieces(EflomalAligner):
    """eflomal on hyphen pieces (``hyphen_pieces``, the extra text too); each directional link of two pieces is a
    link of their words."""

    def __init__(self, **options) -> None:
        extra = options.pop("extra", None)
        if extra:
            extra = [(hyphen_pieces(s)[0], hyphen_pieces(t)[0]) for s, t in extra]
        super().__init__(**options, extra=extra)

    def _directional_once(self, src, tgt):
        cut_src, cut_tgt = [hyphen_pieces(s) for s in src], [hyphen_pieces(t) for t in tgt]
        links = super()._directional_once([p for p, _ in cut_src], [p for p, _ in cut_tgt])
        out = []
        for (fwd, rev), (_, ws), (_, wt) in zip(links, cut_src, cut_tgt):
            out.append((Alignment.of({(ws[i], wt[j]) for i, j in fwd.pairs}),
                        Alignment.of({(ws[i], wt[j]) for i, j in rev.pairs})))  # fmt: skip
        return out


def cldr_names(lang: str) -> list[tuple[list[str], list[str]]]:
    """(English, ``lang``) token pairs of the names CLDR has in both languages (``babel``): territories, languages
    and the exemplar cities of time zones, each tokenised as the extra text is."""
    from babel import Locale

    from projection.align.text import tokenize

    en, other = Locale("en"), Locale(lang)
    pairs = [(en.territories, other.territories), (en.languages, other.languages)]
    zones = [({z: d["city"] for z, d in loc.time_zones.items() if "city" in d}) for loc in (en, other)]
    out = []
    for names, theirs in pairs + [tuple(zones)]:
        for key in sorted(names):
            if key in theirs and names[key] and theirs[key]:
                out.append((tokenize(names[key]), tokenize(theirs[key])))
    return out


#: the target language of each gold pair
TARGET_LANG = {"de-en": "de", "en-fr": "fr"}

#: methods whose links come from a benchmark aligner class, with the group default's options
BENCH_ALIGNERS = {"group+hyphens": HyphenPieces}


def methods() -> dict:
    base = default_config("parallel")
    return {
        "default": (base, False),
        "null0.05": (default_config("parallel", aligner_options=(("null_prior", 0.05),)), False),
        "null0.1": (default_config("parallel", aligner_options=(("null_prior", 0.1),)), False),
        "runs4": (default_config("parallel", aligner_options=(("runs", 4),)), False),
        "samplers6": (default_config("parallel", aligner_options=(("n_samplers", 6),)), False),
        "iter2": (default_config("parallel", aligner_options=(("rel_iterations", 2.0),)), False),
        "similar0.5": (default_config("parallel", aligner_options=(("similar_names", 0.5),)), False),
        "similar0.5c": (default_config("parallel", aligner_options=(("similar_names", 0.5), ("similar_cased", True))),
                        False),
        "trim": (default_config("parallel", refine=("anchor.v1", "trim.v1")), False),
        "votes2": (default_config("parallel", aligner_options=(("possible_votes", 2),)), False),
        "similar0.5+votes2": (default_config("parallel", aligner_options=(("similar_names", 0.5),
                                                                          ("possible_votes", 2))), False),
        # the 0.5.0 default of both pairs' targets (de, fr: Germanic and Romance), and variants of it
        "group": (default_config("parallel", "de"), False),
        "group+null0.1": (default_config("parallel", "de", aligner_options=(("null_prior", 0.1),)), False),
        "group+char1": (default_config("parallel", "de", score_char=1.0), False),
        "group+runs3": (default_config("parallel", "de", aligner_options=(("runs", 3),)), False),
        "group+hyphens": (default_config("parallel", "de"), False),
        "group+cldr": (default_config("parallel", "de"), False),
        "gold-links": (base, True),
    }


def load(data: Path, pair: str):
    """English sentences tagged with the proxy entities, target tokens, gold links English→target, extra text,
    and the reference spans."""
    _, _, ntrex_src, ntrex_tgt = PAIRS[pair]
    bitext, gold = load_gold(data, pair)
    side = ENGLISH_SIDE[pair]
    flip = (lambda links: [(j, i) for i, j in links]) if side == 1 else (lambda links: list(links))
    english, target, links, reference = [], [], [], []
    for n, (pair_tokens, g) in enumerate(zip(bitext, gold)):
        en, tgt = pair_tokens[side], pair_tokens[1 - side]
        spans = english_entities(en)
        english.append(Sentence(tuple(en), tuple(spans_to_bio([Span(a, b, "X") for a, b in spans], len(en))), f"{n}"))
        target.append(tuple(tgt))
        sure, possible = flip(g.sure.pairs), flip(g.possible.pairs)
        links.append(Alignment.of(sure, possible))
        reference.append({r for s in spans if (r := reference_span(s, sure, possible)) is not None})
    extra = load_ntrex(data, ntrex_src, ntrex_tgt)
    if side == 1:
        extra = [(b, a) for a, b in extra]
    return english, target, links, reference, extra


def score(predicted: list[set], reference: list[set]) -> dict:
    tp = sum(len(p & r) for p, r in zip(predicted, reference))
    n_pred, n_ref = sum(map(len, predicted)), sum(map(len, reference))
    p, r = tp / n_pred if n_pred else 0.0, tp / n_ref if n_ref else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "pred": n_pred, "ref": n_ref}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--methods", default=",".join(methods()))
    ap.add_argument("--runs", type=int, default=3, help="aligner runs per method (eflomal samples)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    known = methods()
    unknown = [name for name in args.methods.split(",") if name not in known]
    if unknown:
        ap.error(f"unknown --methods {','.join(unknown)}; valid: {','.join(known)}")
    chosen = {name: known[name] for name in args.methods.split(",")}
    rows = []
    for pair in PAIRS:
        english, target, gold_links, reference, extra = load(args.data, pair)
        for run in range(args.runs):  # interleaved: every method sees the same machine load
            aligned: dict = {}  # this run's alignments by aligner settings: methods that share them are paired
            for name, (config, use_gold) in chosen.items():
                if use_gold and run > 0:
                    continue
                t0 = time.perf_counter()
                key = (config.aligner, config.aligner_options, name in BENCH_ALIGNERS, name.endswith("+cldr"))
                given = gold_links if use_gold else aligned.get(key)
                if given is None and name.endswith("+cldr"):
                    given = get_aligner(config.aligner, **dict(config.aligner_options),
                                        extra=extra + cldr_names(TARGET_LANG[pair])).align(
                                            [s.tokens for s in english], target)  # fmt: skip
                if given is None and name in BENCH_ALIGNERS:
                    given = BENCH_ALIGNERS[name](**dict(config.aligner_options), extra=extra).align([s.tokens for s in english], target)
                result = project_corpus(english, target, config, alignments=given,  # extra: for the aligner
                                        extra=extra if given is None else (), use_cache=False, progress=False)
                if not use_gold and key not in aligned:
                    aligned[key] = list(result.alignments)
                predicted = [{(s.start, s.end) for s in p.spans} if p else set() for p in result.projected]
                got = score(predicted, reference)
                rows.append({"pair": pair, "method": name, "run": run, **got, "seconds": time.perf_counter() - t0,
                             "signature": result.signature.format()})  # fmt: skip
                print(f"{pair} {name:12} run {run}: F1 {100 * got['f1']:.2f}", flush=True)
    summary = []
    for pair in PAIRS:
        for name in chosen:
            f1 = [100 * r["f1"] for r in rows if r["pair"] == pair and r["method"] == name]
            summary.append({"pair": pair, "method": name, "f1": statistics.fmean(f1),
                            "sd": statistics.stdev(f1) if len(f1) > 1 else 0.0, "runs": len(f1)})  # fmt: skip
    print(f"\n{'method':12} " + " ".join(f"{p:>14}" for p in PAIRS) + f" {'mean':>7}")
    for name in chosen:
        cells = [s for s in summary if s["method"] == name]
        print(f"{name:12} " + " ".join(f"{s['f1']:7.2f} ± {s['sd']:4.2f}" for s in cells)
              + f" {statistics.fmean(s['f1'] for s in cells):7.2f}")  # fmt: skip
    if args.out:
        from projection.cache import atomic_write_text

        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(args.out, json.dumps({"runs": rows, "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
