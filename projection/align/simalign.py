"""``simalign.v1``: SimAlign (Jalili Sabet et al., 2020) over a multilingual encoder's hidden states.

The three methods are pure numpy functions on a similarity matrix (rows: source units, columns: target):

- ``argmax``: links where the source unit's best target and the target unit's best source agree.
- ``itermax``: argmax, then up to ``max_iter - 1`` more rounds over the pairs that are not both aligned
  yet; a pair with exactly one aligned side has its similarity discounted by ``alpha`` (0.9), a pair with
  both sides aligned is excluded; rounds stop when nothing new is found (matrices with a side ≤ 2 keep argmax).
- ``match``: a maximum-weight bipartite matching (``scipy.optimize.linear_sum_assignment``).

Similarities are cosines rescaled to [0, 1]. ``unit="bpe"`` aligns sub-words and links two words when any
of their sub-words are linked (as the paper's runs); ``unit="word"`` averages sub-words first.
"""

from __future__ import annotations

from projection.align.base import ALIGNERS
from projection.lazy import lazy_module
from projection.signature import Part

np = lazy_module("numpy")  # imported at first use: registering the aligners does not pay for it

METHODS = ("argmax", "itermax", "match")


def cosine_similarity(src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """(cos + 1) / 2 between every row of ``src`` and every row of ``tgt``."""
    a = src / np.maximum(np.linalg.norm(src, axis=1, keepdims=True), 1e-12)
    b = tgt / np.maximum(np.linalg.norm(tgt, axis=1, keepdims=True), 1e-12)
    return (a @ b.T + 1.0) / 2.0


def argmax_links(sim: np.ndarray) -> np.ndarray:
    """Boolean matrix of the pairs that are each other's best match (ties: lowest index)."""
    m, n = sim.shape
    links = np.zeros((m, n), dtype=bool)
    if m == 0 or n == 0:
        return links
    fwd = sim.argmax(axis=1)
    bwd = sim.argmax(axis=0)
    for i, j in enumerate(fwd):
        if bwd[j] == i:
            links[i, j] = True
    return links


def itermax_links(sim: np.ndarray, max_iter: int = 2, alpha: float = 0.9) -> np.ndarray:
    links = argmax_links(sim)
    m, n = sim.shape
    if min(m, n) <= 2:
        return links
    for _ in range(max_iter - 1):
        row_done = links.any(axis=1)
        col_done = links.any(axis=0)
        if row_done.all() or col_done.all():
            break
        free = (~row_done)[:, None].astype(float) + (~col_done)[None, :].astype(float)  # 0, 1 or 2 free sides
        weight = np.where(free >= 2, 1.0, np.where(free == 1, alpha, 0.0))
        new = argmax_links(sim * weight) & (free > 0)
        if not (new & ~links).any():
            break
        links |= new
    return links


def match_links(sim: np.ndarray) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment

    links = np.zeros(sim.shape, dtype=bool)
    if sim.size == 0:
        return links
    weights = np.clip(sim, 0.0, None)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    keep = weights[rows, cols] > 0
    links[rows[keep], cols[keep]] = True
    return links


def simalign_links(sim: np.ndarray, method: str) -> np.ndarray:
    if method == "argmax":
        return argmax_links(sim)
    if method == "itermax":
        return itermax_links(sim)
    if method == "match":
        return match_links(sim)
    raise ValueError(f"unknown SimAlign method {method!r}; valid: {', '.join(METHODS)}")


def _aligner_class():
    from projection.neural.encoder import DEFAULT_ALIGN_MODEL, EncoderAligner

    class SimAlignAligner(EncoderAligner):
        """SimAlign with ``model`` (Hub id or local directory) at hidden layer ``layer``."""

        name = "simalign.v1"

        def __init__(self, model: str = DEFAULT_ALIGN_MODEL, layer: int = 8, method: str = "itermax",
                     unit: str = "bpe", device: str | None = None, batch_size: int = 32, encoder=None) -> None:
            if method not in METHODS:
                raise ValueError(f"unknown SimAlign method {method!r}; valid: {', '.join(METHODS)}")
            if unit not in ("bpe", "word"):
                raise ValueError(f"SimAlign unit must be 'bpe' or 'word', got {unit!r}")
            self.method, self.unit, self.layer = method, unit, layer
            super().__init__(model, layer, device, batch_size, encoder)

        def links(self, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
            return simalign_links(cosine_similarity(src, tgt), self.method)

        def signature(self) -> str:
            # Part escapes what a model folder's name may hold (a comma made every signature unreadable)
            return Part.of(self.name, model=self.encoder.signature(), layer=self.layer, method=self.method,
                           unit=self.unit).format()  # fmt: skip

    return SimAlignAligner


@ALIGNERS.register("simalign.v1", alias="simalign")
def make_simalign(**kwargs):
    """Factory: the class lives behind it so that registering imports neither torch nor transformers."""
    return _aligner_class()(**kwargs)
