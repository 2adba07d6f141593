"""``ProjectionConfig``: the whole projection method as one frozen, validated value.

It feeds the registry lookups, the signature (which keys caches and builder configs), the CLI and the
dataset card. Options of the aligner are a sorted tuple of ``(name, value)`` pairs so that the config
stays hashable and its signature stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from projection.options import DEFAULT_METHODS, check_aligner_options, default_aligner_options
from projection.scores import ScoreConfig
from projection.signature import Part, Signature

MATCHER_NAMES = ("heuristic", "greedy", "exact", "ilp")

_PARALLEL = DEFAULT_METHODS["parallel"]


def freeze_options(options: Mapping[str, Any] | tuple | None) -> tuple[tuple[str, Any], ...]:
    if options is None:
        return ()
    items = options.items() if isinstance(options, Mapping) else options
    # a list value (``--aligner-option iterations=[1,1,1]``) becomes a tuple: the config stays hashable
    frozen = [(str(k), tuple(v) if isinstance(v, list) else v) for k, v in items]
    names = [k for k, _ in frozen]
    twice = sorted({k for k in names if names.count(k) > 1})
    if twice:  # found in review: one was dropped without a word, or sorting them failed with a bare TypeError
        raise ValueError(f"aligner option {', '.join(twice)} given twice; give each option once")
    return tuple(sorted(frozen))


@dataclass(frozen=True)
class ProjectionConfig:
    """How source entities are projected.

    Args:
        aligner: registry name of the word aligner (``eflomal.v1``, ``fastalign.v1``, ``simalign.v1`` …).
        aligner_options: constructor options of the aligner, e.g. ``{"stem": 4}`` or ``(("stem", 4),)`` (kept as the
            sorted tuple of pairs).
        matcher: ``heuristic`` | ``greedy`` | ``exact`` | ``ilp`` (or their ``.v1`` names).
        candidates: ``linked.v1`` | ``aligned.v1`` | ``ngrams.v1`` | ``ner.v1`` (ignored by ``heuristic``).
        max_len: longest candidate span in words (``None``: unbounded); must be ``None`` with ``ner.v1``, whose
            spans are the NER model's, whatever their length.
        window: words added on each side of the aligned range (``aligned.v1`` only; must be 0 otherwise, and
            with ``heuristic``).
        score: weights of the pair score (alignment, character similarity).
        drop_labels: entity types removed from the source before projection (e.g. ``("MISC",)``).
        refine: refinements applied in order after the matching (``projection.refine.REFINERS``: ``anchor.v1``
            moves an entity onto target words that contain its name; ``()`` with ``ScoreConfig(char=0, possible=1)`` is the
            paper's method, with given alignments; where eflomal.v1 aligns, also with its options ``stem_from="start"``
            and ``name_prior=0``, which ``default_config`` fills in with the other defaults: README, *Default method*).
        merge_distance, ratio: the heuristic's gap and length-ratio settings.
    """

    aligner: str = _PARALLEL["aligner"]
    #: ``None``: the default options of ``aligner`` (eflomal's for the default aligner, none for fastalign.v1)
    # the annotations say what the constructor takes (found in review: a type checker refused the mapping and the
    # lists that it accepts); after __post_init__ the three are tuples
    aligner_options: Mapping[str, Any] | tuple[tuple[str, Any], ...] | None = None
    matcher: str = _PARALLEL["matcher"]
    candidates: str = _PARALLEL["candidates"]
    max_len: int | None = _PARALLEL["max_len"]
    window: int = 0
    score: ScoreConfig = field(default=ScoreConfig(**_PARALLEL["score"]))
    drop_labels: Sequence[str] = ()
    merge_distance: int = 1
    ratio: float = 0.8
    refine: Sequence[str] = tuple(_PARALLEL["refine"])

    def __post_init__(self) -> None:
        from projection.align.base import ALIGNERS
        from projection.candidates import CANDIDATES
        from projection.match.base import MATCHERS

        for name, example in (("drop_labels", "('MISC',)"), ("refine", "('anchor.v1',)")):
            if getattr(self, name) is None:  # iterated below: "'NoneType' object is not iterable" said nothing
                raise ValueError(f"{name} takes a sequence such as {example}, or () for none; got None")
        if isinstance(self.drop_labels, str):
            raise ValueError(
                f"drop_labels must be a sequence of labels such as ('MISC',), got the string {self.drop_labels!r}"
            )
        options = self.aligner_options  # None: the chosen aligner's defaults (eflomal's were checked against any)
        if isinstance(options, str):
            raise ValueError(f"aligner_options takes a mapping such as {{'stem': 4}} or pairs such as (('stem', 4),), "
                             f"not the string {options!r}")  # fmt: skip
        object.__setattr__(self, "aligner_options",
                           freeze_options(default_aligner_options(self.aligner) if options is None else options))
        if any(not isinstance(x, str) or not x or x != x.strip() for x in self.drop_labels):  # before sorting them
            raise ValueError(f"drop_labels must be entity types such as 'MISC', got {list(self.drop_labels)!r}")
        if any("+" in x for x in self.drop_labels):  # ("A+B",) and ("A", "B") would sign alike
            raise ValueError("drop_labels must be entity types such as 'MISC' (without '+', which joins them in the "
                             f"signature), got {list(self.drop_labels)!r}")  # fmt: skip
        object.__setattr__(self, "drop_labels", tuple(sorted(set(self.drop_labels))))
        if isinstance(self.refine, str):
            raise ValueError(f"refine must be a sequence of names such as ('anchor.v1',), got the string {self.refine!r}")
        from projection.refine import REFINERS

        object.__setattr__(self, "refine", tuple(REFINERS.resolve(r) for r in self.refine))
        ALIGNERS.resolve(self.aligner)
        try:
            check_aligner_options(self.aligner, dict(self.aligner_options))
        except ValueError as err:  # dataclasses.replace(config, aligner=...) carries the old aligner's options over
            raise ValueError(f"{err} (to change the aligner of a config, also pass aligner_options=None for the "
                             "new aligner's defaults, or its own options)") from None  # fmt: skip
        if not isinstance(self.score, ScoreConfig):
            raise ValueError(f"score must be a ScoreConfig, got {type(self.score).__name__}")
        valid = ["heuristic", "heuristic.v1", *MATCHERS.names()]
        if self.matcher not in valid:
            raise ValueError(f"unknown matcher {self.matcher!r}; valid: {', '.join(valid)}")
        for name, low in (("merge_distance", 0), ("window", 0), ("max_len", 1)):
            value = getattr(self, name)
            if name == "max_len" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                none = " or None" if name == "max_len" else ""
                raise ValueError(f"{name} must be a whole number ≥ {low}{none}, got {value!r}")
        if isinstance(self.ratio, bool) or not isinstance(self.ratio, (int, float)):
            raise ValueError(f"ratio must be a number, got {self.ratio!r}")
        if self.is_heuristic:
            from projection.method import HeuristicMethod

            HeuristicMethod(self.merge_distance, self.ratio)  # validates both settings
            if self.window:  # found in review: accepted and ignored (the aligned.v1 check below was never reached)
                raise ValueError(f"window applies to aligned.v1 candidates, which the heuristic matcher does not use "
                                 f"(it projects through the links alone); got window={self.window}: leave it at 0")
        else:
            MATCHERS.resolve(self.matcher)
            candidates = CANDIDATES.resolve(self.candidates)
            if self.window and not candidates.startswith("aligned"):
                raise ValueError(f"window applies to aligned.v1 candidates, not {candidates}")
            if candidates == "ner.v1" and self.max_len is not None:
                # found in review: accepted and ignored from the Python API (the CLI refuses --max-len with ner.v1)
                raise ValueError(f"ner.v1 candidates are the spans the NER model found, whatever their length: max_len "
                                 f"has no effect on them; got max_len={self.max_len}: pass max_len=None")  # fmt: skip
            if candidates == "linked.v1" and self.score.char_alone:
                # found in review: accepted and signed '+alone', but every linked.v1 span starts on a word linked to the
                # entity, so its alignment score is already positive and char_alone changed nothing (an entity with no
                # link gets no candidate at all)
                raise ValueError("char_alone=True lets a string-similar span with no alignment link score, but linked.v1 "
                                 "offers only spans that start and end on words linked to the entity: choose "
                                 "candidates='ngrams.v1' or 'aligned.v1', or leave char_alone out")  # fmt: skip

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
        if self.window:  # only with aligned.v1 (checked at construction)
            kwargs["window"] = self.window
        return CandidateMethod(get_candidates(self.candidates, **kwargs), get_matcher(self.matcher), self.score)

    def build_aligner(self, **extra: Any):
        from projection.align.base import get_aligner

        return get_aligner(self.aligner, **dict(self.aligner_options), **extra)

    def signature(self, aligner_signature: str | None = None) -> Signature:
        """The method's ``Signature`` (no mode or data fields). The aligner is spelled as the built aligner
        spells itself in a run (every setting, defaults included) unless it cannot be built without data
        (``fixed.v1``) or a model; pass ``aligner_signature`` to name a built one."""
        if aligner_signature is None:
            try:
                aligner_signature = self.build_aligner().signature()
            except (TypeError, ImportError, FileNotFoundError):
                aligner_signature = None
        return Signature(self.signature_fields(aligner_signature))

    def signature_fields(self, aligner_signature: str | None = None) -> tuple[tuple[str, Part], ...]:
        """The method's signature fields: ``aligner`` (the built aligner's, which names every setting and
        e.g. the hash of its extra text, when given), then ``cand``/``score``/``match`` and ``drop``."""
        if aligner_signature is None:  # the full name: "simalign" and "simalign.v1" are one aligner, one signature
            from projection.align.base import ALIGNERS

            aligner_signature = Part(ALIGNERS.resolve(self.aligner), tuple(self.aligner_options)).format()
        fields: list[tuple[str, Part]] = [("aligner", Part.parse(aligner_signature))]
        for item in self.build_method().signature().split("|"):
            key, _, value = item.partition(":")
            fields.append((key, Part.parse(value)))
        _check_signed_names(self, dict(fields))
        if self.refine:
            fields.append(("refine", Part("+".join(self.refine))))
        if self.drop_labels:
            fields.append(("drop", Part("+".join(self.drop_labels))))
        return tuple(fields)

    def build_refiners(self) -> tuple:
        from projection.refine import REFINERS

        return tuple(REFINERS.create(r) for r in self.refine)


def _check_signed_names(config: "ProjectionConfig", fields: dict[str, Part]) -> None:
    """Each swappable part signs the full name it was chosen by (found in review: a matcher registered as
    ``mine.v1`` that subclassed ``GreedyMatcher`` without its own ``name`` signed ``greedy.v1``, so its runs shared the
    built-in's signature, checkpoints and caches)."""
    from projection.align.base import ALIGNERS
    from projection.candidates import CANDIDATES
    from projection.match.base import MATCHERS

    chosen = [("aligner", ALIGNERS, config.aligner)]
    if not config.is_heuristic:
        chosen += [("match", MATCHERS, config.matcher), ("cand", CANDIDATES, config.candidates)]
    for key, registry, given in chosen:
        part = fields.get(key)
        full = registry.resolve(given)
        if part is not None and part.name != full:
            raise ValueError(f"{registry.namespace} {full!r} signs itself {part.name!r}: give its class the attribute "
                             f"name = {full!r}, so that its runs, checkpoints and caches are its own")
