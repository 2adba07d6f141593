"""Word-level NER with a token-classification model: the label of a word is that of its first sub-word.

Sentences longer than the model's limit are labelled in overlapping windows of whole words (``overlap``
sub-words shared by neighbouring windows, half a window by default); each word keeps the label of the window
in which it lies farthest from a cut (a window edge inside the sentence), so a word is never labelled with
no context on one side when a window gave it some. The model's labels
are mapped to IOB2: ``B-X``/``I-X`` kept, ``S-X`` -> ``B-X``, ``E-X`` -> ``I-X``, a bare ``X`` -> ``I-X``;
then ``repair_iob2`` turns IOB1 starts (``I-PER`` after O, as CoNLL-03 models emit) into ``B-``.
"""

from __future__ import annotations

import logging
from typing import Sequence

from projection.extras import require
from projection.neural.batching import batch_size_for, shrinking_batches
from projection.neural.hub import check_device, check_model, load_fast_pretrained, model_identity, pick_device, pinned
from projection.options import DEFAULT_NER_MODEL  # noqa: F401  (the one defaults table)
from projection.tags import repair_iob2

logger = logging.getLogger(__name__)



#: a tagging scheme's prefix -> its IOB2 prefix (BIOES's S and E, BILOU's U and L)
_PREFIXES = {"B": "B-", "S": "B-", "U": "B-", "I": "I-", "E": "I-", "L": "I-"}


def to_iob2_label(label: str) -> str:
    """One model label in IOB2 spelling (before repair): IOB2, BIOES and BILOU prefixes (``S-``/``U-`` begin an
    entity, ``E-``/``L-`` continue it); a label without one (IO tagging) continues an entity of its type, so
    that repair begins it where the type starts."""
    if label in ("O", "", "0"):
        return "O"
    prefix, sep, kind = label.partition("-")
    if sep and prefix in _PREFIXES and kind:
        return _PREFIXES[prefix] + kind
    if label.startswith("LABEL_"):
        raise ValueError(f"NER model label {label!r} has no entity type; the model config needs id2label names")
    return "I-" + label


def iob2_labels(config) -> list[str]:
    """The model's labels by id, in IOB2 spelling (``config``: its transformers config)."""
    return [to_iob2_label(config.id2label[i]) for i in range(config.num_labels)]


def model_types(model: str) -> list[str]:
    """The entity types of a token-classification model (a Hub id or a local directory), sorted, from its config
    alone (no weights are loaded)."""
    from projection.neural.hub import pretrained_args

    transformers = require("transformers", purpose="NER")
    name, kwargs = pretrained_args(model)
    return sorted({label[2:] for label in iob2_labels(transformers.AutoConfig.from_pretrained(name, **kwargs))
                   if label != "O"})  # fmt: skip


def windows(counts: Sequence[int], limit: int, overlap: int = 0) -> list[tuple[int, int]]:
    """Word ranges ``[a, b)`` covering every word, each as long as fits in ``limit`` sub-words (a single longer
    word gets a window of its own, truncated later); the next window starts at the earliest word after ``a``
    such that the words it shares with this one hold ≤ ``overlap`` sub-words, but shares at least one word
    when ``overlap > 0`` and the window has two (``overlap=0``: consecutive windows)."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(counts)
    while start < n:
        end, total = start, 0
        while end < n and (end == start or total + counts[end] <= limit):
            total, end = total + counts[end], end + 1
        out.append((start, end))
        if end == n:
            break
        nxt, shared = end, 0
        while nxt - 1 > start and (shared + counts[nxt - 1] <= overlap or (overlap > 0 and nxt == end)):
            nxt, shared = nxt - 1, shared + counts[nxt - 1]
        start = nxt
    return out


def edge_distance(word: int, window: tuple[int, int], n_words: int) -> float:
    """Words between ``word`` and the nearest cut of ``window`` (the sentence's own ends are no cut)."""
    a, b = window
    left = word - a if a > 0 else float("inf")
    right = b - 1 - word if b < n_words else float("inf")
    return min(left, right)


class WordNer:
    def __init__(self, model: str = DEFAULT_NER_MODEL, *, device: str | None = None, batch_size: int | None = None,
                 option: str = "--ner-model", progress: bool = True, window: int | None = None,
                 overlap: int | None = None) -> None:
        """``window``: sub-words per window (default and maximum: the model's limit); ``overlap``: sub-words
        shared by neighbouring windows (default: half a window); ``batch_size=None``: 16 on CPU, 64 on a GPU
        (halved on out-of-memory)."""
        if window is not None and window < 1:
            raise ValueError(f"NER window must be ≥ 1 sub-word, got {window}")
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
            # shrinking_batches never moved past an empty batch: predict looped for ever
            raise ValueError(f"NER batch_size must be a positive integer or None (by device), got {batch_size!r}")
        if overlap is not None and overlap < 0:
            raise ValueError(f"NER window overlap must be ≥ 0 sub-words, got {overlap}")
        self.model_name = check_model(model, role="NER", option=option)
        self.device, self.batch_size, self.option, self.progress = device, batch_size, option, progress
        self.window, self.overlap = window, overlap
        self._model = None
        self._tok = None
        self.windowed = 0

    def signature(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in (("window", self.window), ("overlap", self.overlap)) if v is not None)
        return model_identity(pinned(self, self.model_name)) + (f"({extra})" if extra else "")

    def _load(self):
        if self._model is None:
            require("torch", purpose="NER")
            require("transformers", purpose="NER")
            self.device = pick_device(self.device)
            check_device(self.device)
            self._tok, model = load_fast_pretrained(
                "AutoModelForTokenClassification", self.model_name, role="NER", option=self.option, device=self.device,
                load=pinned(self, self.model_name), progress=self.progress,
            )
            self._model = model
            self._labels = iob2_labels(model.config)
        return self._model, self._tok

    def _limit(self) -> int:
        model, tok = self._load()
        limit = int(model.config.max_position_embeddings) - 2
        if tok.model_max_length and tok.model_max_length < 1_000_000:
            limit = min(limit, int(tok.model_max_length))
        limit -= tok.num_special_tokens_to_add()
        return min(limit, self.window) if self.window else limit

    def _shrink(self, size: int) -> None:
        """The batch size this model went down to when the GPU ran out of memory: its later calls (the run's next
        chunks) start there (found in review: every 1,000-pair chunk ran out of memory again, and warned again)."""
        self._shrunk = size

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags for every word of every sentence."""
        import torch
        from tqdm.auto import tqdm

        model, tok = self._load()
        limit = self._limit()
        overlap = limit // 2 if self.overlap is None else min(self.overlap, limit - 1)
        jobs: list[tuple[int, int, int]] = []  # (sentence, first word, end word)
        windowed = 0  # sentences of this call labelled in several windows
        for s, words in enumerate(sentences):
            if not words:
                continue
            # verbose=False: counting a sentence over the model's limit is what windows it; transformers' warning
            # ("will result in indexing errors") was false for it (found in review)
            enc = tok([list(words)], is_split_into_words=True, add_special_tokens=False, verbose=False)
            counts = [0] * len(words)
            for w in enc.word_ids(0):
                if w is not None:
                    counts[w] += 1
            parts = windows(counts, limit, overlap)
            windowed += len(parts) > 1
            jobs.extend((s, a, b) for a, b in parts)
        self.windowed += windowed  # the run's total, for its counts
        if windowed:  # this call's: the total was logged again by every later call, also one that windowed nothing
            logger.info("%d sentences longer than %d sub-words were labelled in windows", windowed, limit)
        labels: list[list[str]] = [["O"] * len(words) for words in sentences]
        # per word: (distance to the nearest cut, -window start) of the window its label came from
        chosen: list[list[tuple[float, int]]] = [[(-1.0, 0)] * len(words) for words in sentences]
        jobs.sort(key=lambda j: j[1] - j[2])

        def run(batch):
            words = [list(sentences[s][a:b]) for s, a, b in batch]
            enc = tok(words, is_split_into_words=True, truncation=True,
                      max_length=limit + tok.num_special_tokens_to_add(), padding=True, return_tensors="pt")
            with torch.inference_mode():
                return enc, model(**enc.to(self.device)).logits.argmax(-1).cpu().tolist()

        size = batch_size_for("NER", self.device, self.batch_size, getattr(self, "_shrunk", None))
        # a sentence over the model's limit is labelled in several windows: the bar then counts windows
        unit = "window" if windowed else "sent"
        bar = tqdm(total=len(jobs), desc="NER", unit=unit, leave=False,
                   disable=None if self.progress else True)  # None: on a terminal only, as the run's own bar
        for batch, (enc, best) in shrinking_batches(jobs, size, run, what="NER", on_shrink=self._shrink):
            bar.update(len(batch))
            for row, (s, a, b) in enumerate(batch):
                seen: set[int] = set()
                for pos, w in enumerate(enc.word_ids(row)):
                    if w is not None and w not in seen:
                        seen.add(w)
                        rank = (edge_distance(a + w, (a, b), len(sentences[s])), -a)  # ties: the earlier window
                        if rank > chosen[s][a + w]:
                            chosen[s][a + w] = rank
                            labels[s][a + w] = self._labels[best[row][pos]]
        bar.close()
        return [repair_iob2(tags, where=f"NER output {k + 1}")[0] for k, tags in enumerate(labels)]
