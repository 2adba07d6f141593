"""``Pair`` <-> JSON-ready values: finished chunks are stored in the cache as JSON (resumable runs).

Floats round-trip exactly (``json`` writes ``repr``); tuples come back as tuples, so a decoded pair equals
the original (``decode(encode(p)) == p``).
"""

from __future__ import annotations

from typing import Any

from projection.types import Alignment, Match, Pair, ProjectedSentence, Sentence, Span


def _sent(s: Sentence | None) -> list | None:
    return None if s is None else [list(s.tokens), None if s.tags is None else list(s.tags), s.id]


def _unsent(v: list | None) -> Sentence | None:
    return None if v is None else Sentence(tuple(v[0]), None if v[1] is None else tuple(v[1]), v[2])


def encode(p: Pair) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "src": _sent(p.source), "tgt": _sent(p.target)}
    if p.backtranslated is not None:
        out["bt"] = _sent(p.backtranslated)
    if p.alignment is not None:
        out["al"] = [[list(x) for x in p.alignment.pairs], [list(x) for x in p.alignment.possible]]
    if p.target_spans is not None:
        out["ts"] = [list(x) for x in p.target_spans]
    if p.projected is not None:
        pr = p.projected
        out["pr"] = [
            [[s.start, s.end, s.label] for s in pr.spans],
            [[m.entity, m.start, m.end, m.score] for m in pr.matches],
            pr.n_source_entities,
        ]
    return out


def decode(d: dict[str, Any]) -> Pair:
    al = d.get("al")
    pr = d.get("pr")
    return Pair(
        d["id"],
        _unsent(d["src"]),
        _unsent(d["tgt"]),
        _unsent(d.get("bt")),
        None if al is None else Alignment(tuple(map(tuple, al[0])), tuple(map(tuple, al[1]))),
        None if d.get("ts") is None else tuple(map(tuple, d["ts"])),
        None
        if pr is None
        else ProjectedSentence(
            tuple(Span(a, b, lab) for a, b, lab in pr[0]),
            tuple(Match(e, a, b, float(s)) for e, a, b, s in pr[1]),
            pr[2],
        ),
    )
