"""Sources: the pairs a run starts from, and the signature fields that say what data they are."""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from projection.signature import Part
from projection.stages.base import Fields, Source
from projection.types import Alignment, Pair, Sentence

EMPTY = Sentence(())


class PairsSource(Source):
    """Pairs from memory (or any re-iterable); ``fields`` name the mode and the data for the signature."""

    name = "read"

    def __init__(self, pairs: Iterable[Pair], fields: Fields = (), *, length: int | None = None) -> None:
        self.pairs = pairs
        self.fields = tuple(fields)
        self.length = length if length is not None else (len(pairs) if hasattr(pairs, "__len__") else None)

    def read(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def signature(self) -> Fields:
        return self.fields

    def __len__(self) -> int:
        if self.length is None:
            raise TypeError("this source does not know its length in advance")
        return self.length


def _id(s: Sentence, k: int) -> str:
    return s.id or str(k)


def parallel_pairs(
    sources: Sequence[Sentence],
    targets: Sequence[Sentence | Sequence[str]],
    alignments: Sequence[Alignment] | None = None,
    target_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> list[Pair]:
    """Labelled sources and target sentences (or token lists) of the same length, optionally aligned."""
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} source sentences but {len(targets)} target sentences")
    if alignments is not None and len(alignments) != len(sources):
        raise ValueError(f"{len(alignments)} alignments for {len(sources)} sentence pairs")
    if target_spans is not None and len(target_spans) != len(targets):
        raise ValueError(f"{len(target_spans)} target span lists for {len(targets)} target sentences")
    out = []
    for k, (s, t) in enumerate(zip(sources, targets)):
        tgt = t if isinstance(t, Sentence) else Sentence(tuple(t))
        out.append(
            Pair(
                _id(tgt, k) if isinstance(t, Sentence) and t.id else _id(s, k),
                s,
                tgt,
                alignment=alignments[k] if alignments is not None else None,
                target_spans=tuple(map(tuple, target_spans[k])) if target_spans is not None else None,
            )
        )
    return out


def target_pairs(sentences: Sequence[Sentence], english: Sequence[Sequence[str]] | None = None) -> list[Pair]:
    """translate-test: gold target sentences; the English side comes from MT (or ``english``, given)."""
    if english is not None and len(english) != len(sentences):
        raise ValueError(f"{len(english)} translations for {len(sentences)} sentences")
    return [
        Pair(_id(s, k), Sentence(tuple(english[k])) if english is not None else EMPTY, s)
        for k, s in enumerate(sentences)
    ]


def english_pairs(sentences: Sequence[Sentence], translated: Sequence[Sequence[str]] | None = None) -> list[Pair]:
    """translate-train: labelled English sentences; the target side comes from MT (or ``translated``)."""
    if translated is not None and len(translated) != len(sentences):
        raise ValueError(f"{len(translated)} translations for {len(sentences)} sentences")
    out = []
    for k, s in enumerate(sentences):
        if s.tags is None:
            raise ValueError(f"sentence {s.id or k + 1!r} has no gold tags; translate-train needs labelled English")
        out.append(Pair(_id(s, k), s, Sentence(tuple(translated[k])) if translated is not None else EMPTY))
    return out


def mode_field(mode: str) -> tuple[str, Part]:
    return ("mode", Part(mode))
