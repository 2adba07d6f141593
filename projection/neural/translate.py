"""Translation stage: transformers seq2seq ``generate`` with ``forced_bos_token_id`` (NLLB / M2M100).

Loaded lazily on the first call; batched by length; bf16 on GPU; sentences over the model's input limit are
split at spaces (or between characters) and translated in pieces, and counted; results cached on disk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

from projection.extras import require
from projection.neural.batching import batch_size_for, shrinking_batches
from projection.neural.cache import TranslationCache
from projection.neural.hub import (
    check_device,
    check_model,
    check_tokenizer,
    kind_error,
    load_error,
    loading_bars,
    model_identity,
    pick_device,
    pinned,
    pretrained_args,
    tokenizer_files_error,
)
from projection.neural.langs import NO_SPACE_LANGS, UnsupportedLanguageError, m2m100_code, nllb_code
from projection.neural.text import split_to_fit
from projection.options import DEFAULT_MT_MODEL  # noqa: F401  (the one defaults table)

logger = logging.getLogger(__name__)



@dataclass
class TranslationStats:
    """Counts of one ``translate`` call (mutable on purpose: filled while translating)."""

    texts: int = 0
    cached: int = 0
    translated: int = 0
    split_long: int = 0
    empty: int = 0


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    # None: drawn on a terminal only, as the run's own bar (found in review: a redirected stderr got every frame)
    return tqdm(total=total, desc=desc, unit="sent", leave=False, disable=None if enabled else True)


class Translator:
    """Translate between dataset languages (``swa``, ``en``, ``zh`` …) with an NLLB or M2M100 model.

    ``batch_size=None``: 16 on CPU, 128 on a GPU (``projection.neural.batching``); halved on out-of-memory.

    ``lang_codes`` overrides the model code of a dataset language (``{"pcm": "xyz_Latn"}``).
    """

    def __init__(
        self,
        model: str = DEFAULT_MT_MODEL,
        *,
        tokenizer: str | None = None,
        device: str | None = None,
        batch_size: int | None = None,
        num_beams: int | None = None,
        cache: TranslationCache | None = None,
        lang_codes: tuple[tuple[str, str], ...] = (),
        option: str = "--mt-model",
        tokenizer_option: str | None = None,
        role: str = "translation",
        progress: bool = True,
    ) -> None:
        if batch_size is not None and batch_size < 1:
            raise ValueError(f"batch_size must be ≥ 1, got {batch_size}")
        self.model_name = check_model(model, role=role, option=option)
        # the tokenizer's own option (found in review: a back-translation tokenizer not available offline said to pass
        # a local copy with --bt-model)
        self.tokenizer_option = tokenizer_option or option
        self.tokenizer_name = (check_model(tokenizer, role=f"{role} tokenizer", option=self.tokenizer_option)
                               if tokenizer else None)  # fmt: skip
        self.device = device
        self.batch_size = batch_size
        self.num_beams = num_beams
        self.cache = cache
        self.lang_codes = dict(lang_codes)
        self.option, self.role, self.progress = option, role, progress
        self._model = None
        self._tok = None
        self._default_beams: int | None = None
        self.last_stats = TranslationStats()
        #: (source code, target code, text) of the long sentences counted in ``split_long`` by this translator
        self._split_seen: set[tuple[str, str, str]] = set()

    def signature(self) -> str:
        sig = model_identity(pinned(self, self.model_name))
        if self.tokenizer_name:
            sig += f"+tok={model_identity(pinned(self, self.tokenizer_name))}"
        return sig + (f"(beams={self.num_beams})" if self.num_beams else "")

    def precision(self) -> str:
        """``"bf16"`` where the model runs on a GPU, else ``"fp32"``: the dtype ``_load`` gives it, for the device
        given or the one this process would pick (importing torch, loading no model). The device is not fixed
        here: a translator built in a Ray driver still picks its own device in the worker that loads it."""
        device = pick_device(self.device, purpose="translation")
        return "bf16" if device.startswith("cuda") else "fp32"

    def cache_signature(self) -> str:
        """The translation cache's model key: ``signature()``, plus ``+dtype=bf16`` for a model that runs in bf16,
        whose translations can differ from fp32 ones (a CPU run took a GPU run's cached bf16 translations
        before). fp32 keeps the key of earlier versions, so CPU caches stay valid. A beam search (``beams()`` > 1:
        ``num_beams`` or the model's own) adds ``+caps/2``: before 0.6.3 its translations depended on the batch
        (``_generate``), and are not reused."""
        beams = "+caps/2" if self.beams() > 1 else ""
        return self.signature() + beams + ("+dtype=bf16" if self.precision() == "bf16" else "")

    def beams(self) -> int:
        """The beams ``generate`` searches with: ``num_beams`` when given, else the model's own generation config's
        (``facebook/m2m100_418M`` searches with 5), read from its files without loading the weights. Found in review:
        a beam search set by the model alone kept 0.6.2's cache key, so its batch-dependent translations were
        reused."""
        if self.num_beams:
            return self.num_beams
        if self._model is not None:
            return getattr(self._model.generation_config, "num_beams", None) or 1
        if self._default_beams is None:
            transformers = require("transformers", purpose="translation")
            name, kwargs = pretrained_args(pinned(self, self.model_name))
            try:
                config = transformers.GenerationConfig.from_pretrained(name, **kwargs)
            except (OSError, ValueError):  # no generation_config.json: transformers derives it from config.json, as here
                try:
                    config = transformers.GenerationConfig.from_model_config(
                        transformers.AutoConfig.from_pretrained(name, **kwargs))
                except (OSError, ValueError):  # left to the model's loading, and its advice
                    config = None
            self._default_beams = getattr(config, "num_beams", None) or 1
        return self._default_beams

    def check_language(self, lang: str) -> None:
        """Fail before loading anything when the model family is NLLB and NLLB lacks ``lang``."""
        if lang not in self.lang_codes and "m2m100" not in self.model_name.lower() and nllb_code(lang) is None:
            raise UnsupportedLanguageError(lang, self.model_name, self.role)

    # -- lazy loading -------------------------------------------------------------------------------
    def _load(self):
        if self._model is None:
            torch = require("torch", purpose="translation")
            transformers = require("transformers", purpose="translation")
            self.device = pick_device(self.device)
            check_device(self.device)
            precision = self.precision()
            tok_name, tok_kwargs = pretrained_args(pinned(self, self.tokenizer_name or self.model_name))
            name, kwargs = pretrained_args(pinned(self, self.model_name))
            tok_model = self.tokenizer_name or self.model_name  # each error names the one that failed, and its option
            tok_option = self.tokenizer_option if self.tokenizer_name else self.option
            try:
                self._tok = transformers.AutoTokenizer.from_pretrained(tok_name, **tok_kwargs)
            except OSError as err:
                raise load_error(tok_model, self.role, tok_option, err) from err
            except ValueError as err:
                raise kind_error(tok_model, self.role, tok_option, err) from err
            except TypeError as err:
                raise tokenizer_files_error(tok_model, self.role, tok_option, err) from err
            check_tokenizer(self._tok, tok_model, self.role, tok_option)
            try:
                dtype = torch.bfloat16 if precision == "bf16" else torch.float32
                with loading_bars(self.progress):
                    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(name, dtype=dtype, **kwargs)
            except OSError as err:
                raise load_error(self.model_name, self.role, self.option, err) from err
            except ValueError as err:
                raise kind_error(self.model_name, self.role, self.option, err) from err
            self._model = model.to(self.device).eval()
        return self._model, self._tok

    def model_code(self, lang: str) -> str:
        """The code the loaded tokenizer uses for ``lang``; an error naming the ways out when it has none."""
        _, tok = self._load()
        if lang in self.lang_codes:
            code = self.lang_codes[lang]
        elif hasattr(tok, "get_lang_id"):  # M2M100
            code = m2m100_code(lang)
        else:
            code = nllb_code(lang) or ""
        token = f"__{code}__" if hasattr(tok, "get_lang_id") else code
        if not code or tok.convert_tokens_to_ids(token) in (None, tok.unk_token_id):
            if lang in self.lang_codes:  # the user's own code: say that it is the code the tokenizer lacks
                raise ValueError(f"the language code {code!r} given for {lang} (--mt-lang-code) is not a language "
                                 f"token of the tokenizer of {self.tokenizer_name or self.model_name}; give one of "
                                 "its language codes")  # fmt: skip
            raise UnsupportedLanguageError(lang, self.model_name, self.role)
        return code

    def _lang_id(self, code: str) -> int:
        tok = self._tok
        return tok.get_lang_id(code) if hasattr(tok, "get_lang_id") else tok.convert_tokens_to_ids(code)

    def input_limit(self) -> int:
        model, tok = self._load()
        limits = [int(model.config.max_position_embeddings)]
        if tok.model_max_length and tok.model_max_length < 1_000_000:
            limits.append(int(tok.model_max_length))
        return min(limits)

    # -- translation --------------------------------------------------------------------------------
    def _shrink(self, size: int) -> None:
        """The batch size this model went down to when the GPU ran out of memory: its later calls (the run's next
        chunks) start there (found in review: every 1,000-pair chunk ran out of memory again, and warned again)."""
        self._shrunk = size

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[str]:
        """One translation per text (empty text -> empty translation)."""
        stats = TranslationStats(texts=len(texts))
        self.last_stats = stats
        sig = self.cache_signature()
        src_code, tgt_code = (self.lang_codes.get(src) or src), (self.lang_codes.get(tgt) or tgt)
        unique = sorted({t for t in texts if t.strip()})
        done = self.cache.get_many(sig, src_code, tgt_code, unique) if self.cache else {}
        stats.cached = sum(t in done for t in texts if t.strip())
        if self.cache and done:  # cached long sentences, each counted once per translator (as when translated)
            cached_split = {t for t in done if (src_code, tgt_code, t) not in self._split_seen}
            counted = self.cache.split_texts(sig, src_code, tgt_code, cached_split)
            stats.split_long = len(counted)
            self._split_seen.update((src_code, tgt_code, t) for t in counted)
        todo = [t for t in unique if t not in done]
        if todo:
            model, tok = self._load()
            tok.src_lang = self.model_code(src)
            forced = self._lang_id(self.model_code(tgt))
            limit = self.input_limit()
            pieces: dict[str, list[str]] = {}
            joiner = "" if src in NO_SPACE_LANGS else " "
            for text in todo:
                parts = split_to_fit(text, lambda s: len(tok(s, verbose=False).input_ids), limit, joiner=joiner)
                pieces[text] = parts
            split = {text for text, parts in pieces.items() if len(parts) > 1}
            stats.split_long += len(split)
            self._split_seen.update((src_code, tgt_code, t) for t in split)
            if split:
                from projection.runner import counted_by_run

                if not counted_by_run():  # in a run its stage warns once, with the run's total (count_warnings)
                    logger.warning("%d sentences exceed the %d-token input limit of %s: translated in pieces",
                                   len(split), limit, self.model_name)
            flat = sorted({p for parts in pieces.values() for p in parts}, key=lambda s: (-len(tok(s, verbose=False).input_ids), s))
            owners: dict[str, list[str]] = {}
            for text, parts in pieces.items():
                for p in parts:
                    owners.setdefault(p, []).append(text)
            out: dict[str, str] = {}
            glue = "" if tgt in NO_SPACE_LANGS else " "
            bar = _progress(len(flat), f"translating {src}->{tgt}", self.progress)
            size = batch_size_for(self.role, self.device, self.batch_size, getattr(self, "_shrunk", None))
            for batch, translated in shrinking_batches(flat, size, lambda b: self._generate(b, forced, limit),
                                                       what=self.role, on_shrink=self._shrink):
                out.update(zip(batch, translated))
                bar.update(len(batch))
                ready = {t for p in batch for t in owners[p] if all(q in out for q in pieces[t])}
                new = {t: glue.join(out[p] for p in pieces[t]).strip() for t in sorted(ready)}
                if self.cache:
                    self.cache.put_many(sig, src_code, tgt_code, new, split=split)
                done.update(new)
            bar.close()
            stats.translated = len(todo)
        result = [done.get(t, "") if t.strip() else "" for t in texts]
        stats.empty = sum(not r for r in result)
        return result

    def _generate(self, batch: list[str], forced: int, limit: int) -> list[str]:
        import torch

        model, tok = self._model, self._tok
        enc = tok(batch, return_tensors="pt", padding=True, truncation=True, max_length=limit).to(self.device)
        # each sentence's output is capped by its own input length, not by the longest one of its batch: the
        # same sentence gives the same translation whatever --batch-size (or an out-of-memory halving) put next
        # to it (a run-on output was cut at a length set by its batch)
        caps = [min(limit, 2 * int(n) + 10) for n in enc["attention_mask"].sum(dim=1).tolist()]
        beams = self.beams()
        if beams > 1 and len(set(caps)) > 1:
            # beam search ranks its hypotheses at the length limit, so a cut longer beam is not the beam that
            # a search stopped at the sentence's own cap keeps (found in review: --num-beams 3 gave other bytes
            # with --batch-size 1 and 7): the sentences of each cap are generated together, with that cap
            out: list[str] = [""] * len(batch)
            for cap in sorted(set(caps)):
                rows_of = [k for k, c in enumerate(caps) if c == cap]
                for k, text in zip(rows_of, self._generate([batch[k] for k in rows_of], forced, limit)):
                    out[k] = text
            return out
        kwargs = {"num_beams": self.num_beams} if self.num_beams else {}
        with torch.inference_mode():
            ids = model.generate(**enc, forced_bos_token_id=forced, max_new_tokens=max(caps), **kwargs)
        # generated tokens follow the decoder's start token (encoder-decoder: NLLB, M2M100) or the prompt
        start = 1 if model.config.is_encoder_decoder else enc["input_ids"].shape[1]
        rows = [row[: start + cap] for row, cap in zip(ids, caps)]
        return [t.strip() for t in tok.batch_decode(rows, skip_special_tokens=True)]
