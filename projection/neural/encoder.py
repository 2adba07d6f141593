"""Sub-word hidden states of a multilingual encoder (mBERT, XLM-R …) for the neural aligners.

``SubwordEncoder`` is the model wrapper (loaded lazily, batched); ``EncoderAligner`` maps a pure link
function over sub-word vectors to word alignments. The algorithms themselves live in
``projection.align.simalign`` and ``projection.align.awesome`` as numpy functions.

Special tokens the tokenizer adds are dropped. A special token written in the text itself (a literal
``[SEP]``) is kept as the word's sub-word, as SimAlign keeps it; an aligner with ``mask_special_ids`` drops
every sub-word whose id is the [CLS], [SEP] or [PAD] id, as awesome-align masks them. Words with no sub-word at
all (a zero-width space) are counted apart (``no_subwords``); only words cut off by the model's input limit
count as ``truncated``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from projection.align.base import Aligner
from projection.extras import require
from projection.neural.hub import (
    check_device,
    check_model,
    load_error,
    load_fast_pretrained,
    model_identity,
    pick_device,
    pinned,
    pretrained_args,
)
from projection.options import DEFAULT_ALIGN_MODEL  # noqa: F401  (the one defaults table)
from projection.types import Alignment

logger = logging.getLogger(__name__)

#: the canonical Hub id (the legacy "bert-base-multilingual-cased" redirects, but misses a cache filled under this one)



#: how a user gives the alignment encoder's device, named in a device error
_DEVICE_OPTION = "--device / --aligner-option device="


@dataclass(frozen=True)
class Encoded:
    """One sentence's sub-words: vectors [n, dim], the word index of each, and whether its id is a special one."""

    vectors: np.ndarray
    word_of: np.ndarray
    special: np.ndarray

    def without_special(self) -> Encoded:
        keep = ~self.special
        return Encoded(self.vectors[keep], self.word_of[keep], self.special[keep])


_EMPTY = Encoded(np.zeros((0, 1), dtype=np.float32), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))


class SubwordEncoder:
    def __init__(self, model: str = DEFAULT_ALIGN_MODEL, layer: int = 8, *, device: str | None = None,
                 batch_size: int = 32, option: str = "--align-model") -> None:
        if not isinstance(layer, int) or layer < 0:
            raise ValueError(f"layer must be a non-negative integer, got {layer!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            # range(0, n, 0) failed with a bare "range() arg 3 must not be zero"; a negative size encoded nothing,
            # and every pair's empty links were cached under a signature that does not name the batch size
            raise ValueError(f"the alignment encoder's batch_size must be a positive integer (--aligner-option "
                             f"batch_size=N), got {batch_size!r}")
        self.model_name = check_model(model, role="alignment", option=option)
        self.layer, self.device, self.batch_size, self.option = layer, device, batch_size, option
        self._model = None
        self._tok = None
        self.truncated = 0  # sentences with words cut off by the input limit (cumulative)
        self.no_subwords = 0  # words the tokenizer turns into nothing, e.g. a zero-width space (cumulative)

    def signature(self) -> str:
        return model_identity(pinned(self, self.model_name))

    def validate(self) -> None:
        """Check ``layer`` against the model's configuration (cheap: reads config.json only), and a given device."""
        transformers = require("transformers", purpose="neural word alignment")
        if self.device:  # before any work, not as a traceback when the model is moved there
            check_device(self.device, option=_DEVICE_OPTION)
        try:
            name, kwargs = pretrained_args(pinned(self, self.model_name))
            config = transformers.AutoConfig.from_pretrained(name, **kwargs)
        except OSError as err:
            raise load_error(self.model_name, "alignment", self.option, err) from err
        n_layers = getattr(config, "num_hidden_layers", None)
        if n_layers is not None and self.layer > n_layers:
            raise ValueError(
                f"alignment layer {self.layer} was asked for but {self.model_name} has {n_layers} layers; "
                f"choose a layer between 0 (embeddings) and {n_layers} (--aligner-option layer=N; translate-test and "
                "translate-train also take --align-layer N)"
            )

    def _load(self):
        if self._model is None:
            require("torch", purpose="neural word alignment")
            require("transformers", purpose="neural word alignment")
            self.validate()
            self.device = pick_device(self.device)
            check_device(self.device, option=_DEVICE_OPTION)
            self._tok, self._model = load_fast_pretrained(
                "AutoModel", self.model_name, role="alignment", option=self.option, device=self.device,
                load=pinned(self, self.model_name),
            )
        return self._model, self._tok

    def encode(self, sentences: Sequence[Sequence[str]]) -> list[Encoded]:
        """Layer-``layer`` vectors of every sub-word of the text (added special tokens dropped)."""
        import torch

        model, tok = self._load()
        special_ids = np.array(sorted({i for i in (tok.cls_token_id, tok.sep_token_id, tok.pad_token_id)
                                       if i is not None}), dtype=np.int64)
        limit = min(int(tok.model_max_length) if tok.model_max_length < 1_000_000 else 512,
                    input_positions(model))
        out: list[Encoded | None] = [None] * len(sentences)
        order = sorted((k for k in range(len(sentences)) if sentences[k]), key=lambda k: -len(sentences[k]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            words = [list(sentences[k]) for k in idx]
            # verbose=False: only counted (the input is truncated below, and the truncation warned about by
            # count): transformers' "will result in indexing errors" warning was false for it (found in review)
            full = tok(words, is_split_into_words=True, add_special_tokens=False, verbose=False)
            enc = tok(words, is_split_into_words=True, truncation=True, max_length=limit, padding=True,
                      return_tensors="pt")
            ids = enc["input_ids"].numpy()
            with torch.inference_mode():
                states = model(**enc.to(self.device), output_hidden_states=True).hidden_states[self.layer]
            states = states.float().cpu().numpy()
            for row, k in enumerate(idx):
                word_ids = enc.word_ids(row)
                keep = [p for p, w in enumerate(word_ids) if w is not None]
                word_of = np.array([word_ids[p] for p in keep], dtype=np.int64)
                with_subwords = len({w for w in full.word_ids(row) if w is not None})
                self.no_subwords += len(sentences[k]) - with_subwords
                if len(set(word_of.tolist())) < with_subwords:
                    self.truncated += 1
                out[k] = Encoded(states[row, keep], word_of, np.isin(ids[row, keep], special_ids))
        return [e if e is not None else _EMPTY for e in out]


def input_positions(model) -> int:
    """How many tokens the encoder's position embeddings take: ``max_position_embeddings``, less the
    RoBERTa family's offset (XLM-R counts positions from ``padding_idx + 1``: 514 embeddings hold 512 tokens;
    a longer input failed with an index error in the embeddings instead of being truncated)."""
    positions = int(getattr(model.config, "max_position_embeddings", 512))
    # the offset is the position table's own padding row, not the embeddings module's: XLM's and FlauBERT's
    # ``model.embeddings`` is their word table (padding_idx 2) and their positions start at 0
    table = getattr(getattr(model, "embeddings", None), "position_embeddings", None)
    padding_idx = getattr(table, "padding_idx", None)
    return positions - (padding_idx + 1) if isinstance(padding_idx, int) else positions


def subword_links_to_words(links: np.ndarray, src_words: np.ndarray, tgt_words: np.ndarray) -> Alignment:
    """Word pairs with at least one linked sub-word pair (``links``: boolean [n_src_sub, n_tgt_sub])."""
    rows, cols = np.nonzero(links)
    return Alignment.of(zip(src_words[rows].tolist(), tgt_words[cols].tolist()))


def mean_by_word(vectors: np.ndarray, word_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average the sub-word vectors of each word: (vectors [n_words_seen, dim], word indices)."""
    words = np.unique(word_of)
    return np.stack([vectors[word_of == w].mean(0) for w in words]) if len(words) else vectors[:0], words


#: the warning about sentences cut off by the model's input limit (``truncated``), with their number
TRUNCATED_WARNING = "%d sentences were longer than the alignment model's limit: their tail is unaligned"


class EncoderAligner(Aligner):
    """An aligner over encoder vectors; subclasses give ``links(src_vecs, tgt_vecs) -> bool matrix``."""

    unit = "bpe"
    #: drop sub-words whose id is [CLS]/[SEP]/[PAD] also when the text itself holds them (awesome-align)
    mask_special_ids = False

    def __init__(self, model: str, layer: int, device: str | None, batch_size: int,
                 encoder: SubwordEncoder | None = None) -> None:
        """``encoder``: one to share; then its model, layer, device and batch size are the ones used, and the
        aligner's ``layer`` (which its signature names) is the encoder's."""
        self.encoder = encoder or SubwordEncoder(model, layer, device=device, batch_size=batch_size)
        self.layer = self.encoder.layer  # found in review: a shared encoder of layer 4 was signed (and cached) as 8

    def links(self, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def validate(self) -> None:
        self.encoder.validate()

    def align(self, src, tgt) -> list[Alignment]:
        if len(src) != len(tgt):
            raise ValueError(f"{len(src)} source sentences but {len(tgt)} target sentences")
        truncated, no_subwords = self.encoder.truncated, self.encoder.no_subwords
        encoded = self.encoder.encode(list(src) + list(tgt))
        if self.mask_special_ids:
            encoded = [e.without_special() for e in encoded]
        out = []
        for s, t in zip(encoded[: len(src)], encoded[len(src) :]):
            if len(s.word_of) == 0 or len(t.word_of) == 0:
                out.append(Alignment())
                continue
            (sv, sw), (tv, tw) = (s.vectors, s.word_of), (t.vectors, t.word_of)
            if self.unit == "word":
                (sv, sw), (tv, tw) = mean_by_word(sv, sw), mean_by_word(tv, tw)
            out.append(subword_links_to_words(self.links(sv, tv), sw, tw))
        if self.encoder.truncated > truncated:
            from projection.runner import counted_by_run

            if not counted_by_run():  # in a run its align stage warns once, with the run's total (count_warnings)
                logger.warning(TRUNCATED_WARNING, self.encoder.truncated - truncated)
        if self.encoder.no_subwords > no_subwords:
            logger.info("%d words have no sub-word in the alignment model's vocabulary (e.g. zero-width spaces) "
                        "and stay unaligned", self.encoder.no_subwords - no_subwords)
        return out
