"""IOB2 tags <-> spans, and the repair of ill-formed IOB2.

Every valid tag is parsed once into ``(inside, label, b_tag)`` and cached (``tag_parts``), so the readers, the
repair and the scorer look a tag up instead of splitting it per token.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import ne

from projection.types import Span

#: tag -> (is an I- tag, entity label or "" for O, the B- tag of that label or "O")
_PARTS: dict[str, tuple[bool, str, str]] = {"O": (False, "", "O")}
#: I- tag -> its label, for the I- tags in ``_PARTS`` (finds the tags an IOB2 repair may touch in one C-level pass)
_INSIDE: dict[str, str] = {}
_MAX_CACHED = 4096  # distinct tags kept; a file with more (never seen in practice) is parsed per token


def _split(tag: str, where: str) -> tuple[str, str]:
    if not isinstance(tag, str):  # e.g. a label id of a datasets column (an int) instead of its name
        hint = ": map label ids to their names" if hasattr(tag, "__index__") and not hasattr(tag, "__len__") else ""
        raise ValueError(f"{where}: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {tag!r} (a "
                         f"{type(tag).__name__}, not a str{hint})")
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not label:
        raise ValueError(f"{where}: expected an IOB2 tag like 'O', 'B-PER' or 'I-PER', got {tag!r}{_hint(tag)}")
    return prefix, label


def _hint(tag: str) -> str:
    """How to write a tag of another case or scheme in IOB2 (found in review: ``b-per`` and BIOES's ``E-ORG`` were
    refused with no word on what to do)."""
    prefix, sep, label = tag.partition("-")
    if tag == "o" or (sep and label and prefix in ("b", "i")):
        return f" (tags are case-sensitive: write {tag.upper()!r} for IOB2)"
    if sep and label and prefix.upper() in ("S", "E", "U", "L"):
        return " (a BIOES or BILOU tag: convert the tags to IOB2, S- and U- to B-, E- and L- to I-)"
    return ""


def tag_parts(tag: str, *, where: str = "<tag>") -> tuple[bool, str, str]:
    """``(inside, label, b_tag)`` of a valid IOB2 tag: ``"I-PER"`` -> ``(True, "PER", "B-PER")``, ``"O"`` ->
    ``(False, "", "O")``; raise ``ValueError`` naming ``where`` otherwise."""
    parts = _PARTS.get(tag)
    if parts is None:
        prefix, label = _split(tag, where)
        parts = (prefix == "I", label, "B-" + label)
        if len(_PARTS) < _MAX_CACHED:
            _PARTS[tag] = parts
            if parts[0]:
                _INSIDE[tag] = label
    return parts


def repair_in_place(tags: list[str]) -> int:
    """``repair_iob2`` for a list of valid tags that ``tag_parts`` has kept (``_PARTS``; the readers make sure), in
    place; return how many changed. Only the I- tags are visited (found in one C-level pass among the kept ones),
    so a sentence without them costs next to nothing."""
    inside, parts = _INSIDE, _PARTS
    repaired = 0
    for k in compress(range(len(tags)), map(inside.__contains__, tags)):
        label = inside[tags[k]]
        if k == 0 or (parts.get(tags[k - 1]) or tag_parts(tags[k - 1]))[1] != label:
            tags[k] = "B-" + label
            repaired += 1
    return repaired


def first_ill_formed(tags: Sequence[str], *, kept: bool = False) -> int:
    """The index of the first tag that the IOB2 repair would change (an I- tag after O or after another type), or
    -1; ``tags`` must be valid IOB2 tags. ``repair_in_place`` on a copy when ``tag_parts`` has kept every tag
    (``kept``: the caller knows it has), else ``repair_iob2``."""
    if kept or _PARTS.keys() >= set(tags):
        repaired = list(tags)
        changed = repair_in_place(repaired)
    else:
        repaired, changed = repair_iob2(tags)
    return next(k for k, (a, b) in enumerate(zip(tags, repaired)) if a != b) if changed else -1


def check_tag(tag: str, *, where: str = "<tag>") -> None:
    """Raise ``ValueError`` naming ``where`` unless ``tag`` is a syntactically valid IOB2 tag."""
    if not isinstance(tag, str):  # before a look-up: a list or an array tag is unhashable (a bare TypeError)
        _split(tag, where)
    if tag not in _PARTS:
        tag_parts(tag, where=where)


def check_tags(tags: Sequence[str], where: Callable[[int], str]) -> None:
    """``check_tag`` of every tag, the place of tag ``k`` named by ``where(k)``, made only for a tag not seen valid
    before (one string per tag cost more than the check)."""
    parts = _PARTS
    try:
        for k, tag in enumerate(tags):
            if tag not in parts:
                tag_parts(tag, where=where(k))
        return
    except TypeError:  # an unhashable tag (a list, an array) cannot be looked up: found below, by its place
        pass
    for k, tag in enumerate(tags):
        check_tag(tag, where=where(k))


def repair_iob2(tags: Sequence[str], *, where: str = "<tags>") -> tuple[list[str], int]:
    """Turn every I- that follows O or a different type into B-; return (tags, number repaired)."""
    out: list[str] = []
    repaired = 0
    prev_label = ""
    parts = _PARTS
    for k, tag in enumerate(tags):
        p = parts.get(tag) or tag_parts(tag, where=f"{where} token {k}")
        if p[0] and p[1] != prev_label:
            tag = p[2]
            repaired += 1
        out.append(tag)
        prev_label = p[1]
    return out, repaired


def chunks(tags: Sequence[str], *, where: str = "<tags>") -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of every entity, end exclusive, as seqeval's default mode reads IOB2: B- starts an
    entity; I- continues the open entity of its own label and otherwise (after O or another type) starts one.

    Only the non-``O`` positions are visited (found by one C-level pass); a gap between two of them is an ``O``
    that closes the open entity."""
    out: list[tuple[int, int, str]] = []
    start = -1
    label = ""
    last = -2
    parts = _PARTS
    # ne("O", tag), not "O".__ne__: that gives NotImplemented for a tag that is not a str (truthy only by a
    # deprecated rule; an error from Python 3.14), before the tag's own check could name it
    for k in compress(range(len(tags)), map(ne, repeat("O"), tags)):
        tag = tags[k]
        inside, lab, _ = parts.get(tag) or tag_parts(tag, where=f"{where} token {k}")
        if start >= 0:
            if k == last + 1 and inside and lab == label:
                last = k
                continue
            out.append((start, last + 1, label))
        start, label, last = k, lab, k
    if start >= 0:
        out.append((start, last + 1, label))
    return out


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """Spans of a (repaired) IOB2 sequence; an I- without a matching open span starts a new one."""
    return [Span(s, e, lab) for s, e, lab in chunks(tags)]


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
