"""Where a model comes from: a local directory or a Hugging Face Hub id; fail fast when it cannot be had.

``check_model`` runs before any work: with ``HF_HUB_OFFLINE=1`` a Hub id that is not in the local cache is
an error at once (naming the model and how to point at a local copy) instead of minutes of retries later.
A Hub id may pin a revision, ``ID@REVISION`` (branch, tag or commit sha); ``pretrained_args`` splits it for
``from_pretrained``. ``model_revision`` resolves what a model is: the commit sha of a Hub model (from the Hub,
or from the local cache's ``refs/`` when offline), a content hash of a local directory (stable across copies,
unlike modification times); ``model_identity`` is the short form for signatures and cache keys.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

_TRUE = {"1", "ON", "YES", "TRUE"}


class ModelUnavailableError(FileNotFoundError):
    """The model is neither a local directory nor obtainable from the Hub; the message says what to do."""


def is_offline() -> bool:
    return any(os.environ.get(k, "").upper() in _TRUE for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_cache_dir() -> Path:
    """The Hub cache as the environment says now (read at call time, not at import time), found as huggingface_hub
    finds it: ``HF_HUB_CACHE``, else the legacy ``HUGGINGFACE_HUB_CACHE`` (which huggingface_hub, and so transformers,
    still reads: found in review, a model in that cache was refused offline as "not in the Hugging Face cache"), else
    ``HF_HOME/hub``; ``$VAR`` and ``~`` expanded."""
    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(name):
            return Path(os.path.expandvars(os.environ[name])).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME", "~/.cache"), "huggingface")
    return Path(os.path.expandvars(home)).expanduser() / "hub"


def _looks_like_path(model: str) -> bool:
    # slashes after an @ belong to a revision (refs/pr/1, a branch feature/x), not to a path
    return model.startswith((".", "/", "~")) or model.partition("@")[0].count("/") > 1 or "\\" in model


def split_revision(model: str) -> tuple[str, str | None]:
    """``("ID", "REVISION")`` for ``ID@REVISION``; a local directory (whose name may hold ``@``) is never split."""
    if "@" not in model or Path(model).expanduser().is_dir():
        return model, None
    name, _, revision = model.partition("@")
    if not name or not revision or "@" in revision:
        raise ModelUnavailableError(f"model {model!r}: write a pinned Hub model as ID@REVISION (one @)")
    return name, revision


def pretrained_args(model: str) -> tuple[str, dict[str, str]]:
    """``(name, kwargs)`` for ``from_pretrained``: ``ID@REVISION`` -> ``("ID", {"revision": "REVISION"})``."""
    name, revision = split_revision(model)
    return name, ({"revision": revision} if revision else {})


def check_model(model: str, *, role: str, option: str) -> str:
    """Return ``model`` (a local directory as an absolute path; ``ID[@REVISION]`` as given) or raise
    ``ModelUnavailableError``. ``role`` names the stage (e.g. "translation"), ``option`` the CLI option that
    takes a local copy."""
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelUnavailableError(f"{role} model directory {path} has no config.json; is it a saved model?")
        return str(path.resolve())
    if _looks_like_path(model):
        raise ModelUnavailableError(f"{role} model directory {model} does not exist; fix the path given to {option}")
    name, revision = split_revision(model)
    if is_offline():
        cache = hub_cache_dir()
        # without the neural extra the cache cannot be read: say so, not "not in the cache" with a download line
        # (found in review: a model already in the cache was reported missing when transformers was not installed)
        from projection.extras import require

        require("transformers", purpose=f"the {role} model {name}")
        from huggingface_hub import try_to_load_from_cache  # transformers depends on huggingface_hub

        found = isinstance(try_to_load_from_cache(name, "config.json", cache_dir=str(cache), revision=revision), str)
        if not found:
            at = f" at revision {revision}" if revision else ""
            raise ModelUnavailableError(
                f"{role} model {name}{at} is not in the Hugging Face cache ({cache}) and HF_HUB_OFFLINE=1 forbids "
                f"downloading it; run `hf download {name}{f' --revision {revision}' if revision else ''}` where "
                f"the Hub is reachable (and copy the cache), or pass a local copy: {option} DIR"
            )
    return model


_SHA = re.compile(r"[0-9a-f]{40}")
#: bytes hashed from the start, middle and end of a large (weight) file: a full hash of 13 GB would take minutes
_SAMPLE = 1 << 16


def directory_hash(path: str | os.PathLike) -> str:
    """sha256 over a model directory's files (hidden ones such as ``.git/`` left out), by relative path: small
    files whole, large ones by size and three 64 KiB samples. Independent of modification times and of where
    the copy lives."""
    root = Path(path)
    digest = hashlib.sha256()
    files = (p for p in root.rglob("*") if p.is_file())
    for file in sorted(p for p in files if not any(part.startswith(".") for part in p.relative_to(root).parts)):
        size = file.stat().st_size
        digest.update(f"{file.relative_to(root).as_posix()}\0{size}\0".encode())
        with open(file, "rb") as f:
            if size <= 3 * _SAMPLE:
                digest.update(f.read())
                continue
            for offset in (0, size // 2, size - _SAMPLE):
                f.seek(offset)
                digest.update(f.read(_SAMPLE))
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _hub_sha_online(name: str, revision: str | None) -> str | None:
    """The Hub's answer, asked once per process (None when the Hub cannot be reached)."""
    try:
        from huggingface_hub import HfApi

        return HfApi().model_info(name, revision=revision).sha
    except Exception:  # noqa: BLE001 - unreachable Hub, auth: fall back to what the cache knows
        return None


def _hub_sha(name: str, revision: str | None, offline: bool, cache: str) -> str | None:
    if revision and _SHA.fullmatch(revision):
        return revision
    if not offline and (sha := _hub_sha_online(name, revision)):
        return sha
    # read every time (a small file): `hf download` may move refs/main while this process runs, and a cached
    # answer signed the old commit for a model that then loaded the new snapshot (found in review)
    ref = Path(cache) / f"models--{name.replace('/', '--')}" / "refs" / (revision or "main")
    return ref.read_text(encoding="utf-8").strip() if ref.is_file() else None


def model_revision(model: str) -> str | None:
    """The commit sha of a Hub model (None when neither the Hub nor the cache can tell), or
    ``sha256:<hex>`` of a local directory (``directory_hash``)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return "sha256:" + directory_hash(path)
    name, revision = split_revision(model)
    return _hub_sha(name, revision, is_offline(), str(hub_cache_dir()))


def model_identity(model: str) -> str:
    """What a signature or cache key should know about the model: ``dirname@<hash10>`` for a local directory,
    ``ID@<sha12>`` for a Hub model whose commit is known (else ``ID`` or ``ID@REVISION`` as given)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return f"{path.name}@{directory_hash(path)[:10]}"
    sha = model_revision(model)
    return f"{split_revision(model)[0]}@{sha[:12]}" if sha else model


def pinned(owner: object, model: str) -> str:
    """``model`` as ``owner`` (a translator, tagger, encoder) both signs and loads it, resolved once per owner: a Hub
    model whose commit is known as ``ID@SHA`` (so that ``from_pretrained`` loads the very commit the signature
    names, even when refs/main moves between signing and loading), anything else as given. Kept on the owner, so a
    copy sent to a worker loads what the driver signed."""
    pins = owner.__dict__.setdefault("_pinned_models", {})
    if model not in pins:
        sha = None if Path(model).expanduser().is_dir() else model_revision(model)
        pins[model] = f"{split_revision(model)[0]}@{sha}" if sha else model
    return pins[model]


#: what each role's option needs, named where a model of another kind is given
_KINDS = {"translation": "a sequence-to-sequence translation model (NLLB, M2M100)", "NER": "a token-classification model",
          "alignment": "an encoder (mBERT, XLM-R)"}  # fmt: skip


def load_error(model: str, role: str, option: str, err: Exception) -> ModelUnavailableError:
    """The error for a model that ``from_pretrained`` could not load. A local directory is already the local copy
    (found in review: "pass a local copy with --mt-model DIR" was the advice for a directory given so, lacking its
    weights): it is named as incomplete instead."""
    if Path(model).expanduser().is_dir():
        return ModelUnavailableError(f"cannot load the {role} model {model} ({err}); {option} needs a directory "
                                     "written by save_pretrained, with the model's weights and its tokenizer")  # fmt: skip
    return ModelUnavailableError(f"cannot load the {role} model {model} ({err}); pass a local copy with {option} DIR")


def kind_error(model: str, role: str, option: str, err: ValueError) -> ValueError:
    """``err`` (transformers' ``Unrecognized configuration class …`` with its list of every class, naming no option)
    in one line naming the model and its option (found in review: an NER model given to --mt-model, or a model
    saved without its tokenizer, failed with transformers' whole list); any other ``ValueError`` as it is."""
    text = str(err)
    if not text.startswith("Unrecognized configuration class"):
        return err
    head = re.split(r"\.\s*Model type should be", text, maxsplit=1)[0]
    kind = _KINDS.get(role.removeprefix("back-").split()[0], f"a {role} model")
    return ValueError(f"cannot load the {role} model {model} ({head}): {option} needs {kind}, saved with its "
                      "tokenizer")


def tokenizer_files_error(model: str, role: str, option: str, err: TypeError) -> ValueError:
    """A model saved without its tokenizer files whose tokenizer class reads a SentencePiece file (M2M100): with
    ``sentencepiece`` installed, transformers picks that class and fails on the missing file's path, ``None``, with a
    bare ``TypeError`` naming no file and no option."""
    return ValueError(f"the {role} model {model} has no tokenizer files that its tokenizer class can read ({err}); "
                      f"save the model's tokenizer beside it (tokenizer.save_pretrained) or give {option} a model "
                      "that has one")


def check_tokenizer(tok, model: str, role: str, option: str) -> None:
    """A ``ValueError`` for a tokenizer that knows its special tokens only: transformers makes one for a model saved
    without its tokenizer files (found in review: an NER or alignment model directory without them ran, every word
    an unknown token, and gave labels and links of no meaning, exit 0)."""
    vocab = tok.get_vocab()
    if not set(vocab) - set(tok.all_special_tokens):
        raise ValueError(f"the {role} model {model} has no tokenizer (its files hold none: transformers made one of "
                         f"{len(vocab)} special tokens, which reads every word as unknown); save the model's tokenizer "
                         f"beside it (tokenizer.save_pretrained) or give {option} a model that has one")  # fmt: skip


@contextlib.contextmanager
def loading_bars(show: bool = True) -> Iterator[None]:
    """transformers' own "Loading weights" bar while a model loads: drawn on stderr whether or not it is a terminal,
    and under ``--quiet``/``--no-progress``/``progress=False`` too (found in review: it filled a redirected log and a
    quiet run's stderr). It is shown only where ``show`` and the run going on shows its progress bars on a terminal;
    otherwise transformers' bars (and the Hub's, which it switches with them) are off while the model loads, then
    as they were."""
    import sys

    from transformers.utils import logging as hf_logging

    from projection.runner import progress_shown

    terminal = getattr(sys.stderr, "isatty", None)
    if show and progress_shown() and terminal is not None and terminal():
        with _among_run_bars():
            yield
        return
    if not hf_logging.is_progress_bar_enabled():
        yield
        return
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars

    hub_off = are_progress_bars_disabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.enable_progress_bar()
        if hub_off:
            disable_progress_bars()


class _AboveBars:
    """A stream for a logging handler that writes each record with ``tqdm.write`` (the bars cleared, the text
    written, the bars drawn again below it) into ``stream``."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        from tqdm import tqdm

        tqdm.write(text, file=self.stream, end="")

    def flush(self) -> None:
        self.stream.flush()


@contextlib.contextmanager
def _among_run_bars() -> Iterator[None]:
    """While a model loads under the bars of a run on a terminal: transformers' "Loading weights" bar is cleared when
    it closes (it was left on the screen, drawn over the run's own bar, one per model loaded), and what transformers
    logs to the terminal (a model's load report: a checkpoint with a pretraining head loaded as the aligner's
    encoder) is written above the bars instead of through them. Found in review."""
    import logging
    import sys

    from transformers.utils import logging as hf_logging

    set_hook = getattr(hf_logging, "set_tqdm_hook", None)  # transformers' own way to change its bars' arguments
    previous = None

    def cleared(factory, args, kwargs):
        kwargs = {**kwargs, "leave": False}
        return previous(factory, args, kwargs) if previous is not None else factory(*args, **kwargs)

    if set_hook is not None:
        previous = set_hook(cleared)
    screens = (sys.stderr, sys.__stderr__)
    handlers = [h for h in logging.getLogger("transformers").handlers
                if type(h) is logging.StreamHandler and any(h.stream is s for s in screens)]  # fmt: skip
    streams = [h.setStream(_AboveBars(h.stream)) for h in handlers]
    try:
        yield
    finally:
        for handler, stream in zip(handlers, streams):
            handler.setStream(stream)
        if set_hook is not None:
            set_hook(previous)


def load_fast_pretrained(auto_model: str, model: str, *, role: str, option: str, device: str,
                         load: str | None = None, progress: bool = True):
    """``(tokenizer, model)`` for ``model`` (loaded as ``load`` when given: ``pinned``): the tokenizer must be fast
    (word ids map sub-words to words), the model (``transformers.<auto_model>``) is put in eval mode on ``device``;
    load failures name the model and the option that points at a local copy."""
    transformers = __import__("transformers")
    name, kwargs = pretrained_args(load or model)
    try:
        tok = transformers.AutoTokenizer.from_pretrained(name, **kwargs)
        with loading_bars(progress):
            net = getattr(transformers, auto_model).from_pretrained(name, **kwargs)
    except OSError as err:
        raise load_error(model, role, option, err) from err
    except ValueError as err:
        raise kind_error(model, role, option, err) from err
    check_tokenizer(tok, model, role, option)
    if not getattr(tok, "is_fast", False):
        raise ValueError(f"{role} model {model} needs a fast tokenizer (tokenizer.json) for word ids")
    return tok, net.to(device).eval()


def check_device(device: str, *, option: str = "--device") -> None:
    """``ValueError`` for a ``device`` torch does not know, or a CUDA device that this torch cannot use (before any
    model loads, not as a traceback from the first one). ``option``: how the user gave the device, named in the
    message (``--device``, or a neural aligner's ``--aligner-option device=``)."""
    from projection.extras import require

    torch = require("torch", purpose="choosing a device")
    try:
        parsed = torch.device(device)
        kind = parsed.type
    except (RuntimeError, TypeError, ValueError):
        raise ValueError(f"{option} {device}: not a torch device; give cpu, cuda, cuda:1, mps …, or leave it out "
                         "(the GPU when torch sees one)") from None  # fmt: skip
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"{option} {device}: this torch sees no CUDA GPU (torch.cuda.is_available() is False); "
                         f"give cpu or leave {option} out")  # fmt: skip
    if kind == "cuda" and parsed.index is not None and parsed.index >= torch.cuda.device_count():
        seen = torch.cuda.device_count()  # found in review: cuda:3 on a one-GPU machine ended in a CUDA traceback
        raise ValueError(f"{option} {device}: this torch sees {seen} CUDA GPU{'s' if seen != 1 else ''} "
                         f"(cuda:0{f' … cuda:{seen - 1}' if seen > 1 else ''}); give one of them or leave {option} out")


def pick_device(device: str | None, *, purpose: str = "running a model") -> str:
    """``device`` when given; else ``cuda`` when torch sees a GPU, ``cpu`` otherwise (without torch: the install
    hint, naming ``purpose``)."""
    if device:
        return device
    from projection.extras import require

    torch = require("torch", purpose=purpose)
    return "cuda" if torch.cuda.is_available() else "cpu"
