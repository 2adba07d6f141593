"""``ProjectionConfig``: the whole projection method as one frozen, validated value.

It feeds the registry lookups, the signature (which keys caches and builder configs), the CLI and the
dataset card. Options of the aligner are a sorted tuple of ``(name, value)`` pairs so that the config
stays hashable and its signature stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from projection.scores import ScoreConfig
from projection.signature import format_signature

MATCHER_NAMES = ("heuristic", "greedy", "exact", "ilp")

#: the best configuration that needs no download (chosen on Europarl-NER, see benchmarks/README.md)
DEFAULT_ALIGNER = "eflomal.v1"
#: default options of the statistical aligners (two eflomal runs vote, which damps the run-to-run
#: variance of a frequent word pair settling on a wrong alignment; see benchmarks/README.md)
ALIGNER_DEFAULTS: dict[str, tuple[tuple[str, Any], ...]] = {
    "eflomal.v1": (("runs", 2), ("stem", 4), ("symmetrize", "soft")),
    "fastalign.v1": (("stem", 4), ("symmetrize", "soft")),
}
DEFAULT_ALIGNER_OPTIONS = ALIGNER_DEFAULTS[DEFAULT_ALIGNER]
DEFAULT_CANDIDATES = "linked.v1"
DEFAULT_MATCHER = "greedy"
DEFAULT_SCORE = ScoreConfig(align=1.0, char=0.5, possible=0.3)


def default_aligner_options(name: str) -> tuple[tuple[str, Any], ...]:
    """The default options of the aligner ``name`` (full name or alias); none for unlisted aligners."""
    from projection.align.base import ALIGNERS
    import projection.align.registered  # noqa: F401

    return ALIGNER_DEFAULTS.get(ALIGNERS.resolve(name), ())


def freeze_options(options: Mapping[str, Any] | tuple | None) -> tuple[tuple[str, Any], ...]:
    if options is None:
        return ()
    items = options.items() if isinstance(options, Mapping) else options
    return tuple(sorted((str(k), v) for k, v in items))


@dataclass(frozen=True)
class ProjectionConfig:
    """How source entities are projected.

    Args:
        aligner: registry name of the word aligner (``eflomal.v1``, ``fastalign.v1``, ``simalign.v1`` …).
        aligner_options: constructor options of the aligner, e.g. ``(("stem", 4),)``.
        matcher: ``heuristic`` | ``greedy`` | ``exact`` | ``ilp`` (or their ``.v1`` names).
        candidates: ``linked.v1`` | ``aligned.v1`` | ``ngrams.v1`` | ``ner.v1`` (ignored by ``heuristic``).
        max_len: longest candidate span in words (``None``: unbounded).
        window: words added on each side of the aligned range (``aligned.v1`` only).
        score: weights of the pair score (alignment, character similarity).
        drop_labels: entity types removed from the source before projection (e.g. ``("MISC",)``).
        merge_distance, ratio: the heuristic's gap and length-ratio settings.
    """

    aligner: str = DEFAULT_ALIGNER
    aligner_options: tuple[tuple[str, Any], ...] = DEFAULT_ALIGNER_OPTIONS
    matcher: str = DEFAULT_MATCHER
    candidates: str = DEFAULT_CANDIDATES
    max_len: int | None = None
    window: int = 0
    score: ScoreConfig = field(default=DEFAULT_SCORE)
    drop_labels: tuple[str, ...] = ()
    merge_distance: int = 1
    ratio: float = 0.8

    def __post_init__(self) -> None:
        from projection.align.base import ALIGNERS
        from projection.candidates import CANDIDATES
        from projection.match.base import MATCHERS
        import projection.align.registered  # noqa: F401
        import projection.match.registered  # noqa: F401

        if isinstance(self.drop_labels, str):
            raise ValueError(
                f"drop_labels must be a sequence of labels such as ('MISC',), got the string {self.drop_labels!r}"
            )
        object.__setattr__(self, "aligner_options", freeze_options(self.aligner_options))
        object.__setattr__(self, "drop_labels", tuple(sorted(set(self.drop_labels))))
        ALIGNERS.resolve(self.aligner)
        valid = ["heuristic", "heuristic.v1", *MATCHERS.names()]
        if self.matcher not in valid:
            raise ValueError(f"unknown matcher {self.matcher!r}; valid: {', '.join(valid)}")
        if self.is_heuristic:
            from projection.method import HeuristicMethod

            HeuristicMethod(self.merge_distance, self.ratio)  # validates both settings
        else:
            MATCHERS.resolve(self.matcher)
            CANDIDATES.resolve(self.candidates)
        if self.max_len is not None and self.max_len < 1:
            raise ValueError(f"max_len must be ≥ 1 or None, got {self.max_len}")

    @property
    def is_heuristic(self) -> bool:
        return self.matcher.split(".")[0] == "heuristic"

    def build_method(self):
        from projection.candidates import get_candidates
        from projection.match.base import get_matcher
        from projection.method import CandidateMethod, HeuristicMethod

        if self.is_heuristic:
            return HeuristicMethod(self.merge_distance, self.ratio)
        kwargs: dict[str, Any] = {} if self.candidates.startswith("ner") else {"max_len": self.max_len}
        if self.window:
            if not self.candidates.startswith("aligned"):
                raise ValueError(f"window applies to aligned.v1 candidates, not {self.candidates}")
            kwargs["window"] = self.window
        return CandidateMethod(get_candidates(self.candidates, **kwargs), get_matcher(self.matcher), self.score)

    def build_aligner(self, **extra: Any):
        from projection.align.base import get_aligner

        return get_aligner(self.aligner, **dict(self.aligner_options), **extra)

    def method_signature(self) -> str:
        sig = self.build_method().signature()
        if self.drop_labels:
            sig += "|drop:" + "+".join(self.drop_labels)
        return sig

    def signature(self, aligner_signature: str | None = None) -> str:
        """``aligner:…|cand:…|score:…|match:…|version:X``; pass the built aligner's signature when known
        (it adds e.g. the hash of an extra training corpus)."""
        if aligner_signature is None:
            opts = ",".join(f"{k}={v}" for k, v in self.aligner_options)
            aligner_signature = f"{self.aligner}({opts})" if opts else self.aligner
        parts = {"aligner": aligner_signature}
        for item in self.method_signature().split("|"):
            key, _, value = item.partition(":")
            parts[key] = value
        return format_signature(parts)
