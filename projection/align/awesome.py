"""``awesome.v1``: AWESoME-style extraction (Dou & Neubig, 2021) without fine-tuning.

Dot products of sub-word vectors from hidden layer ``layer`` (default 8), a softmax over each row and over
each column; a link where both probabilities exceed ``threshold`` (0.001). Sub-word links become word links.
Sub-words whose id is [CLS], [SEP] or [PAD] are left out of both softmaxes, as awesome-align masks them: a
literal ``[SEP]`` in the text is never linked (SimAlign keeps it).
"""

from __future__ import annotations

from projection.align.base import ALIGNERS
from projection.lazy import lazy_module
from projection.signature import Part

np = lazy_module("numpy")  # imported at first use: registering the aligners does not pay for it


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def softmax_links(src: np.ndarray, tgt: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    """Boolean [n_src, n_tgt]: source→target and target→source softmax probabilities both > threshold."""
    if len(src) == 0 or len(tgt) == 0:
        return np.zeros((len(src), len(tgt)), dtype=bool)
    scores = src.astype(np.float64) @ tgt.astype(np.float64).T
    return (_softmax(scores, axis=1) > threshold) & (_softmax(scores, axis=0) > threshold)


def _aligner_class():
    from projection.neural.encoder import DEFAULT_ALIGN_MODEL, EncoderAligner

    class AwesomeAligner(EncoderAligner):
        name = "awesome.v1"
        mask_special_ids = True

        def __init__(self, model: str = DEFAULT_ALIGN_MODEL, layer: int = 8, threshold: float = 1e-3,
                     device: str | None = None, batch_size: int = 32, encoder=None) -> None:
            if not 0.0 < threshold < 1.0:
                raise ValueError(f"softmax threshold must lie in (0, 1), got {threshold}")
            self.layer, self.threshold = layer, threshold
            super().__init__(model, layer, device, batch_size, encoder)

        def links(self, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
            return softmax_links(src, tgt, self.threshold)

        def signature(self) -> str:
            # Part escapes what a model folder's name may hold (a comma made every signature unreadable)
            return Part.of(self.name, model=self.encoder.signature(), layer=self.layer,
                           threshold=self.threshold).format()  # fmt: skip

    return AwesomeAligner


@ALIGNERS.register("awesome.v1", alias="awesome")
def make_awesome(**kwargs):
    return _aligner_class()(**kwargs)
