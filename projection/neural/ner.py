"""Word-level NER with a token-classification model: the label of a word is that of its first sub-word.

Sentences longer than the model's limit are cut into consecutive windows of whole words. The model's labels
are mapped to IOB2: ``B-X``/``I-X`` kept, ``S-X`` -> ``B-X``, ``E-X`` -> ``I-X``, a bare ``X`` -> ``I-X``;
then ``repair_iob2`` turns IOB1 starts (``I-PER`` after O, as CoNLL-03 models emit) into ``B-``.
"""

from __future__ import annotations

import logging
from typing import Sequence

from projection.extras import require
from projection.neural.hub import check_model, load_fast_pretrained, model_identity, pick_device
from projection.tags import repair_iob2

logger = logging.getLogger(__name__)

DEFAULT_NER_MODEL = "FacebookAI/xlm-roberta-large-finetuned-conll03-english"


def to_iob2_label(label: str) -> str:
    """One model label in IOB2 spelling (before repair)."""
    if label in ("O", "", "0"):
        return "O"
    prefix, sep, kind = label.partition("-")
    if sep and prefix in ("B", "I", "S", "E") and kind:
        return {"B": "B-", "S": "B-", "I": "I-", "E": "I-"}[prefix] + kind
    if label.startswith("LABEL_"):
        raise ValueError(f"NER model label {label!r} has no entity type; the model config needs id2label names")
    return "I-" + label


def windows(counts: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """Consecutive word ranges ``[a, b)`` whose sub-word counts sum to ≤ ``limit`` (a single longer word
    gets a window of its own, truncated later)."""
    out: list[tuple[int, int]] = []
    start, total = 0, 0
    for k, c in enumerate(counts):
        if k > start and total + c > limit:
            out.append((start, k))
            start, total = k, 0
        total += c
    if counts:
        out.append((start, len(counts)))
    return out


class WordNer:
    def __init__(self, model: str = DEFAULT_NER_MODEL, *, device: str | None = None, batch_size: int = 16,
                 option: str = "--ner-model", progress: bool = True) -> None:
        self.model_name = check_model(model, role="NER", option=option)
        self.device, self.batch_size, self.option, self.progress = device, batch_size, option, progress
        self._model = None
        self._tok = None
        self.windowed = 0

    def signature(self) -> str:
        return model_identity(self.model_name)

    def _load(self):
        if self._model is None:
            require("torch", purpose="NER")
            require("transformers", purpose="NER")
            self.device = pick_device(self.device)
            self._tok, model = load_fast_pretrained(
                "AutoModelForTokenClassification", self.model_name, role="NER", option=self.option, device=self.device
            )
            self._model = model
            self._labels = [to_iob2_label(model.config.id2label[i]) for i in range(model.config.num_labels)]
        return self._model, self._tok

    def _limit(self) -> int:
        model, tok = self._load()
        limit = int(model.config.max_position_embeddings) - 2
        if tok.model_max_length and tok.model_max_length < 1_000_000:
            limit = min(limit, int(tok.model_max_length))
        return limit - tok.num_special_tokens_to_add()

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags for every word of every sentence."""
        import torch
        from tqdm.auto import tqdm

        model, tok = self._load()
        limit = self._limit()
        jobs: list[tuple[int, int, int]] = []  # (sentence, first word, end word)
        for s, words in enumerate(sentences):
            if not words:
                continue
            enc = tok([list(words)], is_split_into_words=True, add_special_tokens=False)
            counts = [0] * len(words)
            for w in enc.word_ids(0):
                if w is not None:
                    counts[w] += 1
            parts = windows(counts, limit)
            self.windowed += len(parts) > 1
            jobs.extend((s, a, b) for a, b in parts)
        if self.windowed:
            logger.info("%d sentences longer than %d sub-words were labelled in windows", self.windowed, limit)
        labels: list[list[str]] = [["O"] * len(words) for words in sentences]
        jobs.sort(key=lambda j: j[1] - j[2])
        for k in tqdm(range(0, len(jobs), self.batch_size), desc="NER", unit="batch", leave=False,
                      disable=not self.progress):
            batch = jobs[k : k + self.batch_size]
            words = [list(sentences[s][a:b]) for s, a, b in batch]
            enc = tok(words, is_split_into_words=True, truncation=True, max_length=limit + tok.num_special_tokens_to_add(),
                      padding=True, return_tensors="pt")
            with torch.inference_mode():
                best = model(**enc.to(self.device)).logits.argmax(-1).cpu().tolist()
            for row, (s, a, _) in enumerate(batch):
                seen: set[int] = set()
                for pos, w in enumerate(enc.word_ids(row)):
                    if w is not None and w not in seen:
                        seen.add(w)
                        labels[s][a + w] = self._labels[best[row][pos]]
        return [repair_iob2(tags, where=f"NER output {k + 1}")[0] for k, tags in enumerate(labels)]
