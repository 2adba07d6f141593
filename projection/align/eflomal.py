"""``eflomal.v1``: the eflomal aligner (Östling & Tiedemann 2016) through the PyPI ``eflomal`` 2.x package.

eflomal is a Bayesian HMM+fertility aligner trained by Gibbs sampling on the batch itself (no download).
It seeds from the system's entropy source, so two runs may give slightly different links
(``deterministic = False``): use ``projection.align.cache.align_cached`` to reuse a first run's links.
"""

from __future__ import annotations

import logging
from collections import Counter
import os
import tempfile
from typing import Sequence

from projection.align.base import ALIGNERS, Tokens
from projection.align.statistical import StatisticalAligner
from projection.io.pharaoh import read_alignments
from projection.align.text import check_batch, stem_tokens
from projection.extras import require
from projection.types import Alignment

logger = logging.getLogger(__name__)

#: eflomal's models: 1 = IBM1, 2 = + HMM distortion, 3 = + fertility
_MODELS = (1, 2, 3)


def _line(tokens: Sequence[str], n: int | None) -> str:
    # eflomal reads whitespace-separated lines: keep one field per token whatever the token holds
    return " ".join("_".join(t.split()) or "<empty>" for t in stem_tokens(tokens, n))


@ALIGNERS.register("eflomal.v1", alias="eflomal")
class EflomalAligner(StatisticalAligner):
    """eflomal trained on the batch (plus ``extra`` pairs); both directions, then symmetrised."""

    name = "eflomal.v1"
    deterministic = False

    def __init__(
        self,
        symmetrize: str = "intersection",
        stem: int | None = 4,
        extra: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
        model: int = 3,
        n_samplers: int = 3,
        rel_iterations: float = 1.0,
        iterations: tuple[int, int, int] | None = None,
        null_prior: float = 0.2,
        runs: int = 1,
    ) -> None:
        super().__init__(symmetrize, stem, extra)
        if model not in _MODELS:
            raise ValueError(f"eflomal model must be 1 (IBM1), 2 (HMM) or 3 (HMM+fertility), got {model!r}")
        if n_samplers < 1 or rel_iterations <= 0:
            raise ValueError("n_samplers must be >= 1 and rel_iterations > 0")
        if iterations is not None and (len(iterations) != 3 or min(iterations) < 0):
            raise ValueError("iterations must be None (automatic) or 3 non-negative counts (IBM1, HMM, fertility)")
        if not 0.0 < null_prior < 1.0:
            raise ValueError(f"null_prior must be in (0, 1), got {null_prior}")
        if not isinstance(runs, int) or runs < 1:
            raise ValueError(f"runs must be a positive number of sampling runs, got {runs!r}")
        self.runs = runs
        self.model = model
        self.n_samplers = n_samplers
        self.rel_iterations = rel_iterations
        self.iterations = tuple(iterations) if iterations is not None else None
        self.null_prior = null_prior

    def signature(self) -> str:
        its = "auto" if self.iterations is None else "/".join(map(str, self.iterations))
        return (
            f"{self.name}(sym={self.symmetrize},stem={self.stem},model={self.model},samplers={self.n_samplers},"
            f"rel_it={self.rel_iterations:g},it={its},null={self.null_prior:g},"
            + (f"runs={self.runs}," if self.runs > 1 else "")
            + f"extra={self._extra_digest})"
        )

    def align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        if self.runs > 1 and self.symmetrize == "soft":
            return self._soft_vote(src, tgt)
        return super().align(src, tgt)

    def _soft_vote(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[Alignment]:
        """``runs`` samples, both directions each: a link found by more than half of the 2·runs directional
        alignments is sure, any other link found is possible. One sample that settles a frequent word pair
        on a wrong alignment is outvoted (measured in benchmarks/README.md)."""
        samples = [self._directional_once(src, tgt) for _ in range(self.runs)]
        out = []
        for per_run in zip(*samples):
            votes = Counter(p for fwd, rev in per_run for p in fwd.pairs + rev.pairs)
            out.append(Alignment.of([p for p, n in votes.items() if n > self.runs], votes))
        return out

    def directional(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[tuple[Alignment, Alignment]]:
        """Per pair, eflomal's (forward, reverse) links before symmetrisation, both as (source, target).

        With ``runs`` > 1, eflomal samples that many times and each direction keeps the links found by a
        majority of the runs (``align`` with ``symmetrize="soft"`` votes over both directions instead).
        """
        if self.runs == 1:
            return self._directional_once(src, tgt)
        samples = [self._directional_once(src, tgt) for _ in range(self.runs)]
        need = self.runs // 2 + 1
        out = []
        for per_run in zip(*samples):
            fwd = Counter(p for f, _ in per_run for p in f.pairs)
            rev = Counter(p for _, r in per_run for p in r.pairs)
            out.append((
                Alignment.of(p for p, n in fwd.items() if n >= need),
                Alignment.of(p for p, n in rev.items() if n >= need),
            ))
        return out

    def _directional_once(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> list[tuple[Alignment, Alignment]]:
        """One sampling run; pairs with an empty side get no links."""
        check_batch(src, tgt)
        eflomal = require("eflomal", purpose="the eflomal aligner")
        pairs = list(zip(src, tgt)) + (self.extra or [])
        used = [k for k, (s, t) in enumerate(pairs) if len(s) and len(t)]
        out = [(Alignment(), Alignment()) for _ in src]
        if not any(k < len(src) for k in used):
            return out
        aligner = eflomal.Aligner(
            model=self.model,
            n_iterations=self.iterations,
            n_samplers=self.n_samplers,
            rel_iterations=self.rel_iterations,
            null_prior=self.null_prior,
        )
        with tempfile.TemporaryDirectory(prefix="silver-ner-eflomal-") as tmp:
            fwd_path, rev_path = os.path.join(tmp, "fwd"), os.path.join(tmp, "rev")
            aligner.align(
                [_line(pairs[k][0], self.stem) for k in used],
                [_line(pairs[k][1], self.stem) for k in used],
                links_filename_fwd=fwd_path,
                links_filename_rev=rev_path,
                quiet=True,
            )
            fwd, rev = read_alignments(fwd_path), read_alignments(rev_path)
        if len(fwd) != len(used) or len(rev) != len(used):
            raise RuntimeError(
                f"eflomal returned {len(fwd)}/{len(rev)} alignment lines for {len(used)} pairs; "
                "check the eflomal installation (pip install eflomal)"
            )
        logger.info("eflomal: aligned %d training pairs", len(used))
        for row, k in enumerate(used):
            if k >= len(src):
                break
            n_src, n_tgt = len(src[k]), len(tgt[k])
            fwd[row].check_bounds(n_src, n_tgt, where=f"eflomal forward links, pair {k}")
            rev[row].check_bounds(n_src, n_tgt, where=f"eflomal reverse links, pair {k}")
            out[k] = (fwd[row], rev[row])
        return out
