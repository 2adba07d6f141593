"""IOB2 tags <-> spans, and the repair of ill-formed IOB2."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from projection.types import Span


def _split(tag: str, where: str) -> tuple[str, str]:
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not label:
        raise ValueError(f"{where}: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {tag!r}")
    return prefix, label


def check_tag(tag: str, *, where: str = "<tag>") -> None:
    """Raise ``ValueError`` naming ``where`` unless ``tag`` is a syntactically valid IOB2 tag."""
    _split(tag, where)


def repair_iob2(tags: Sequence[str], *, where: str = "<tags>") -> tuple[list[str], int]:
    """Turn every I- that follows O or a different type into B-; return (tags, number repaired)."""
    out: list[str] = []
    repaired = 0
    prev_label = ""
    for k, tag in enumerate(tags):
        prefix, label = _split(tag, f"{where} token {k}")
        if prefix == "I" and label != prev_label:
            tag = "B-" + label
            repaired += 1
        out.append(tag)
        prev_label = label
    return out, repaired


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """Spans of a (repaired) IOB2 sequence; an I- without a matching open span starts a new one."""
    spans: list[Span] = []
    start = -1
    label = ""
    for k, tag in enumerate(tags):
        if tag == "O":
            prefix, lab = "O", ""
        elif len(tag) > 2 and tag[1] == "-" and tag[0] in "BI":
            prefix, lab = tag[0], tag[2:]
        else:
            prefix, lab = _split(tag, f"token {k}")
        if prefix == "I" and lab == label and start >= 0:
            continue
        if start >= 0:
            spans.append(Span(start, k, label))
            start, label = -1, ""
        if prefix != "O":
            start, label = k, lab
    if start >= 0:
        spans.append(Span(start, len(tags), label))
    return spans


def spans_to_bio(spans: Sequence[Span], n_tokens: int) -> list[str]:
    """IOB2 tags for non-overlapping spans over ``n_tokens`` tokens."""
    tags = ["O"] * n_tokens
    for span in sorted(spans):
        if span.end > n_tokens:
            raise ValueError(f"span [{span.start}, {span.end}) exceeds {n_tokens} tokens")
        if any(t != "O" for t in tags[span.start : span.end]):
            raise ValueError(f"span [{span.start}, {span.end}) {span.label} overlaps another span")
        tags[span.start] = "B-" + span.label
        for k in range(span.start + 1, span.end):
            tags[k] = "I-" + span.label
    return tags


@dataclass(frozen=True, slots=True)
class LabelMap:
    """Rename or drop entity types (e.g. MISC -> O, DATE -> O) in a tag sequence."""

    drop: frozenset[str] = frozenset()

    def apply(self, tags: Sequence[str]) -> list[str]:
        if not self.drop:
            return list(tags)
        return ["O" if t != "O" and t[2:] in self.drop else t for t in tags]
