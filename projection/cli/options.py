"""Method options shared by the subcommands (aligner, candidates, matcher, scores)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from projection.config import DEFAULT_ALIGNER_OPTIONS, ProjectionConfig, default_aligner_options
from projection.scores import ScoreConfig


def _parse_value(text: str) -> Any:
    if text.lower() in ("none", "null"):
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_aligner_options(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--aligner-option expects KEY=VALUE (e.g. stem=4), got {item!r}")
        out[key] = _parse_value(value)
    return out


def add_method_options(parser: argparse.ArgumentParser, *, default_aligner: str | None = None) -> None:
    g = parser.add_argument_group("method")
    g.add_argument("--aligner", default=default_aligner, help="word aligner (default: %(default)s; eflomal.v1, fastalign.v1, …)")
    g.add_argument(
        "--aligner-option",
        action="append",
        metavar="KEY=VALUE",
        help="aligner setting, repeatable (e.g. stem=4, symmetrize=grow-diag-final-and)",
    )
    g.add_argument("--matcher", default=None, help="heuristic | greedy | exact | ilp")
    g.add_argument("--candidates", default=None, help="linked.v1 | aligned.v1 | ngrams.v1 | ner.v1")
    g.add_argument("--max-len", type=int, default=None, help="longest candidate span in words (default: unbounded)")
    g.add_argument("--char-weight", type=float, default=None, help="weight of the character-similarity score")
    g.add_argument("--drop-label", action="append", default=[], help="entity type removed before projection")


def config_from_args(args: argparse.Namespace, **overrides: Any) -> ProjectionConfig:
    """A ``ProjectionConfig`` from the method options; unset options keep the library defaults."""
    base = ProjectionConfig()
    kwargs: dict[str, Any] = {}
    if args.aligner and args.aligner != base.aligner:
        kwargs["aligner"] = args.aligner
        kwargs["aligner_options"] = default_aligner_options(args.aligner)
    opts = parse_aligner_options(args.aligner_option)
    if opts:
        current = dict(kwargs.get("aligner_options", DEFAULT_ALIGNER_OPTIONS))
        current.update(opts)
        kwargs["aligner_options"] = tuple(current.items())
    for name in ("matcher", "candidates", "max_len"):
        value = getattr(args, name, None)
        if value is not None:
            kwargs[name] = value
    if getattr(args, "char_weight", None) is not None:
        s = base.score
        kwargs["score"] = ScoreConfig(align=s.align, char=args.char_weight, char_alone=s.char_alone, min_score=s.min_score)
    if getattr(args, "drop_label", None):
        kwargs["drop_labels"] = tuple(args.drop_label)
    kwargs.update(overrides)
    return ProjectionConfig(**kwargs)
