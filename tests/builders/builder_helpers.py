"""Shared paths and an independent CoNLL reader for the builder, card and push tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "builders"
EUROPARL = Path(__file__).resolve().parents[2] / "projection" / "data" / "europarl"
#: the CoNLL-2003 label order of the Hub NER datasets
CONLL_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]



def conll_rows(path: Path, n: int | None = None) -> list[tuple[list[str], list[str]]]:
    """(tokens, tags) per sentence of a 2-column CoNLL file, read with plain string splitting."""
    rows, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if tokens:
                rows.append((tokens, tags))
            tokens, tags = [], []
            continue
        tok, tag = line.split("\t") if "\t" in line else line.split(" ")
        tokens.append(tok)
        tags.append(tag)
    return rows[:n] if n is not None else rows
