"""Where a model comes from: a local directory or a Hugging Face Hub id; fail fast when it cannot be had.

``check_model`` runs before any work: with ``HF_HUB_OFFLINE=1`` a Hub id that is not in the local cache is
an error at once (naming the model and how to point at a local copy) instead of minutes of retries later.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_TRUE = {"1", "ON", "YES", "TRUE"}


class ModelUnavailableError(FileNotFoundError):
    """The model is neither a local directory nor obtainable from the Hub; the message says what to do."""


def is_offline() -> bool:
    return any(os.environ.get(k, "").upper() in _TRUE for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_cache_dir() -> Path:
    """The Hub cache as the environment says now (read at call time, not at import time)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME", "~/.cache"), "huggingface")
    return Path(home).expanduser() / "hub"


def _looks_like_path(model: str) -> bool:
    return model.startswith((".", "/", "~")) or model.count("/") > 1 or "\\" in model


def check_model(model: str, *, role: str, option: str) -> str:
    """Return ``model`` (a local directory as an absolute path) or raise ``ModelUnavailableError``.

    ``role`` names the stage (e.g. "translation"), ``option`` the CLI option that takes a local copy.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelUnavailableError(f"{role} model directory {path} has no config.json; is it a saved model?")
        return str(path.resolve())
    if _looks_like_path(model):
        raise ModelUnavailableError(f"{role} model directory {model} does not exist; fix the path given to {option}")
    if is_offline():
        cache = hub_cache_dir()
        found = False
        try:
            from huggingface_hub import try_to_load_from_cache

            found = isinstance(try_to_load_from_cache(model, "config.json", cache_dir=str(cache)), str)
        except ImportError:  # pragma: no cover - transformers depends on huggingface_hub
            found = False
        if not found:
            raise ModelUnavailableError(
                f"{role} model {model} is not in the Hugging Face cache ({cache}) and HF_HUB_OFFLINE=1 forbids "
                f"downloading it; run `hf download {model}` where the Hub is reachable (and copy the cache), or pass "
                f"a local copy: {option} DIR"
            )
    return model


def model_identity(model: str) -> str:
    """What a cache key should know about the model: the Hub id, or directory name + hash of its config."""
    path = Path(model)
    if path.is_dir():
        digest = hashlib.sha256((path / "config.json").read_bytes()).hexdigest()[:10]
        weights = sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin"))
        if weights:
            stat = weights[0].stat()
            digest = hashlib.sha256(f"{digest}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:10]
        return f"{path.name}@{digest}"
    return model


def load_error(model: str, role: str, option: str, err: Exception) -> ModelUnavailableError:
    return ModelUnavailableError(f"cannot load the {role} model {model} ({err}); pass a local copy with {option} DIR")


def load_fast_pretrained(auto_model: str, model: str, *, role: str, option: str, device: str):
    """``(tokenizer, model)`` for ``model``: the tokenizer must be fast (word ids map sub-words to words),
    the model (``transformers.<auto_model>``) is put in eval mode on ``device``; load failures name the
    model and the option that points at a local copy."""
    transformers = __import__("transformers")
    try:
        tok = transformers.AutoTokenizer.from_pretrained(model)
        net = getattr(transformers, auto_model).from_pretrained(model)
    except OSError as err:
        raise load_error(model, role, option, err) from err
    if not getattr(tok, "is_fast", False):
        raise ValueError(f"{role} model {model} needs a fast tokenizer (tokenizer.json) for word ids")
    return tok, net.to(device).eval()


def pick_device(device: str | None) -> str:
    torch = __import__("torch")
    if device:
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"
