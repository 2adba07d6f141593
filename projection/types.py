"""The typed vocabulary that passes between stages.

Only these frozen dataclasses cross stage boundaries: no free-form dicts.
Token indices are 0-based; span ends are exclusive.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from operator import itemgetter
from operator import lt as _lt
from typing import Iterable

_first, _second = itemgetter(0), itemgetter(1)


def check_sequence(value, name: str, what: str, *, needs: tuple[str, ...] = ("__len__",),
                   refuse: tuple[type, ...] = (str,)) -> None:
    """A ``TypeError`` unless ``value`` is a sized sequence (it has every attribute in ``needs``) and not one of
    ``refuse`` (a str, or a single ``Sentence``, is a sequence of the wrong things): "``name`` must be a sequence (a
    list) ``what``", and for an iterable (a generator) how to make one. The one refusal of the API's entry points
    (``parallel_pairs``, the model plans, ``evaluate``); found in review: a generator failed with "has no len()"."""
    if isinstance(value, refuse) or not all(hasattr(value, attr) for attr in needs):
        hint = "; wrap it in list(...)" if hasattr(value, "__iter__") and not isinstance(value, refuse) else ""
        raise TypeError(f"{name} must be a sequence (a list) {what}, got a {type(value).__name__}{hint}")


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled token span ``[start, end)``."""

    start: int
    end: int
    label: str

    def __post_init__(self) -> None:
        if type(self.start) is not int or type(self.end) is not int:  # (ints: the one test on the hot path)
            # found in review: a float was kept and failed in ``spans_to_bio`` ("slice indices must be integers"), a
            # str with "'<=' not supported"; a numpy integer is taken as the int it is
            for name in ("start", "end"):
                value = getattr(self, name)
                try:
                    if isinstance(value, bool):
                        raise TypeError
                    object.__setattr__(self, name, operator.index(value))
                except TypeError:
                    raise TypeError(f"Span {name} must be a whole-number token index, got {value!r}") from None
        if not (0 <= self.start < self.end):
            raise ValueError(f"Span needs 0 <= start < end, got [{self.start}, {self.end})")
        if not isinstance(self.label, str) or not self.label:  # an int label failed in ``spans_to_bio`` ("B-" + 5)
            raise ValueError(f"Span label must be a non-empty string such as 'PER', got {self.label!r}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Sentence:
    """A tokenised sentence with optional IOB2 tags (``None`` when the file had no tags)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...] | None = None
    id: str = ""

    def __post_init__(self) -> None:
        # a str is a sequence too, of characters (found in review: ``Sentence("In New York lebt John")`` as a target
        # was projected onto its 21 characters, spaces included, without a word)
        if type(self.tokens) is not tuple or (self.tags is not None and type(self.tags) is not tuple):
            self._no_str()  # (tuples, as every reader makes: the one test on the hot path)
        if self.tags is not None and len(self.tags) != len(self.tokens):
            raise ValueError(f"sentence {self.id!r}: {len(self.tokens)} tokens but {len(self.tags)} tags")

    def _no_str(self) -> None:
        for name, value in (("tokens", self.tokens), ("tags", self.tags)):
            if isinstance(value, str):
                raise TypeError(f"sentence {self.id!r}: {name} must be a sequence of strings, one per token, not the "
                                f"str {value[:40]!r}: split it (text.split())")  # fmt: skip

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def spans(self) -> list[Span]:
        from projection.tags import bio_to_spans

        return bio_to_spans(self.tags) if self.tags is not None else []

    def __reduce__(self):  # pickled as a constructor call: about twice as fast as the generated state methods
        return (type(self), (self.tokens, self.tags, self.id))


def _pair(link) -> tuple[int, int]:
    """``_link`` of one ``(i, j)`` link; anything that is not a pair (a lone index, a triple) is refused by name (found
    in review: it failed with Python's "cannot unpack non-iterable int object" or "too many values to unpack")."""
    try:
        i, j = link
    except (TypeError, ValueError):
        raise TypeError(f"alignment links are (i, j) pairs of word indices, got {link!r}") from None
    return _link(i, j)


def _link(i, j) -> tuple[int, int]:
    """``(i, j)`` as ints: whole numbers only (numpy integers too); a float, a bool or a str is refused, not cut."""
    try:
        if isinstance(i, bool) or isinstance(j, bool):
            raise TypeError
        return operator.index(i), operator.index(j)
    except TypeError:
        raise TypeError(f"alignment links are pairs of whole-number word indices, got {(i, j)!r}") from None


@dataclass(frozen=True, slots=True)
class Alignment:
    """Word alignment links as sorted, unique, 0-based ``(i, j)`` pairs (i: source word, j: target word).

    ``pairs`` are the sure links. ``possible`` holds weaker links (e.g. those only one alignment direction
    found), disjoint from ``pairs``; scores may weight them less. In Pharaoh text a sure link is ``i-j``
    and a possible one ``ipj`` (the convention of gold alignment files).
    """

    pairs: tuple[tuple[int, int], ...] = ()
    possible: tuple[tuple[int, int], ...] = ()
    #: (1 + the largest source index, 1 + the largest target index), found at the first bounds check
    _extent: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)
    #: made by ``Alignment.of`` or a reader / aligner that holds its links so (``_sorted``): no check needed
    _canonical: bool = field(default=False, init=False, repr=False, compare=False)

    @classmethod
    def _sorted(cls, pairs: tuple = (), possible: tuple = ()) -> "Alignment":
        """An alignment whose caller guarantees ``is_canonical()`` (the readers' and aligners' own, built sorted):
        ``ProjectionInput`` then skips the check, which costs more than the rest of a pair's bounds checks."""
        alignment = cls(pairs, possible)
        object.__setattr__(alignment, "_canonical", True)
        return alignment

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]], possible: Iterable[tuple[int, int]] = ()) -> "Alignment":
        for name, links in (("pairs", pairs), ("possible", possible)):
            if isinstance(links, str):  # its characters were read as links: "not enough values to unpack"
                raise TypeError(f"Alignment.of takes {name} as (i, j) pairs, not the str {links!r}; read Pharaoh text "
                                "such as '0-0 1-2 3p4' with Alignment.from_pharaoh")  # fmt: skip
        sure = {_pair(link) for link in pairs}
        weak = {_pair(link) for link in possible} - sure
        negative = [link for link in sure | weak if link[0] < 0 or link[1] < 0]
        if negative:
            raise ValueError(f"alignment links are 0-based word indices, got {min(negative)}")
        return cls._sorted(tuple(sorted(sure)), tuple(sorted(weak)))

    def __len__(self) -> int:
        return len(self.pairs)

    def to_pharaoh(self) -> str:
        """``"0-0 1p2 ..."`` (Pharaoh format; ``p`` marks a possible link), sorted by (i, j)."""
        links = [(i, j, "-") for i, j in self.pairs] + [(i, j, "p") for i, j in self.possible]
        return " ".join(f"{i}{sep}{j}" for i, j, sep in sorted(links))

    @classmethod
    def from_pharaoh(cls, line: str, *, where: str = "<string>") -> "Alignment":
        """Parse ``"i-j i-j ipj ..."``; ``where`` (e.g. ``path:line``) is named in errors."""
        sure, weak = [], []
        for item in line.split():
            sep = "-" if "-" in item else "p"
            left, found, right = item.partition(sep)
            if not found or not (left.isascii() and left.isdigit() and right.isascii() and right.isdigit()):
                raise ValueError(f"{where}: expected Pharaoh links like '3-4' (or '3p4' for possible), got {item!r}")
            (sure if sep == "-" else weak).append((int(left), int(right)))
        return cls.of(sure, weak)

    def fits(self, n_src: int, n_tgt: int) -> bool:
        """Whether every link lies inside a pair of ``n_src`` source and ``n_tgt`` target tokens (the largest
        indices are found once per alignment: a pair is checked where it is read and again where it is projected)."""
        extent = self._extent
        if extent is None:
            links = self.pairs + self.possible
            extent = (max(map(_first, links)) + 1, max(map(_second, links)) + 1) if links else (0, 0)
            object.__setattr__(self, "_extent", extent)
        return extent[0] <= n_src and extent[1] <= n_tgt

    def check_bounds(self, n_src: int, n_tgt: int, *, where: str = "<alignment>", given: bool = False) -> None:
        """Raise a ``ValueError`` naming ``where`` and the first link outside a pair of ``n_src`` source and ``n_tgt``
        target tokens. ``given``: the links came from the user (a Pharaoh file, ``alignments=``), and the message
        says when they would fit counted from 1 or written target-source, the two usual mistakes."""
        links = self.pairs + self.possible
        if (
            self.fits(n_src, n_tgt)
            and min(map(_first, links), default=0) >= 0
            and min(map(_second, links), default=0) >= 0
        ):
            return  # (``fits`` compares the largest indices only: the readers never make a negative one)
        for k, (i, j) in enumerate(links):
            if not (0 <= i < n_src and 0 <= j < n_tgt):
                sep = "-" if k < len(self.pairs) else "p"  # as a Pharaoh file writes it: the user finds it there
                hint = _bounds_hint(links, n_src, n_tgt) if given else ""
                raise ValueError(
                    f"{where}: link {i}{sep}{j} is outside a pair of {n_src} source and {n_tgt} target tokens{hint}"
                )

    def is_canonical(self) -> bool:
        """Whether the links are held as ``Alignment.of`` holds them: tuples of ``(i, j)`` tuples, each kind sorted and
        unique, no possible link also sure (the methods find an entity's links by bisection)."""
        try:  # C-level passes (this runs once per pair projected): a list among tuples fails the comparison
            for links in (self.pairs, self.possible):
                if type(links) is not tuple or (links and type(links[0]) is not tuple):
                    return False
                if not all(map(_lt, links, links[1:])):
                    return False
            return not self.possible or set(self.pairs).isdisjoint(self.possible)
        except TypeError:
            return False

    def __reduce__(self):  # pickled as a constructor call: about twice as fast as the generated state methods
        # (``_sorted`` for one known canonical: a worker's copy skips the check as the original does)
        return (type(self)._sorted if self._canonical else type(self), (self.pairs, self.possible))


def _bounds_hint(links, n_src: int, n_tgt: int) -> str:
    """What a pair's out-of-bounds links given by the user would fit as (found in review: a 1-based or target-source
    file was refused with no word on why, and the README's direction was easy to miss)."""
    firsts, seconds = [i for i, _ in links], [j for _, j in links]
    hints = []
    if min(firsts) >= 1 and min(seconds) >= 1 and max(firsts) <= n_src and max(seconds) <= n_tgt:
        hints.append("its links fit counted from 1: indices are 0-based (the first word is 0); if the file counts "
                     "from 1, subtract 1 from every index")  # fmt: skip
    if min(firsts) >= 0 and min(seconds) >= 0 and max(seconds) < n_src and max(firsts) < n_tgt:
        hints.append("its links fit read the other way round: in i-j, i is the source word and j the target word; "
                     "if the file was written target-source (j-i), swap the two indices of every link")  # fmt: skip
    return "".join(f"; {h}" for h in hints)


@dataclass(frozen=True, slots=True)
class ProjectionInput:
    """One sentence pair to project: labelled source, target tokens, their alignment."""

    source: Sentence
    target_tokens: tuple[str, ...]
    alignment: Alignment
    #: spans ``(start, end)`` an NER model predicted on the target (class discarded), for NER candidates
    target_spans: tuple[tuple[int, int], ...] | None = None
    _entities: tuple[Span, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # found in review: a method or refinement called on an input whose links lie outside its pair failed deep
        # inside (an IndexError from the candidates), projected a span past the target (the heuristic) or dropped the
        # links of a source word past the end without a word; a str target was read as its characters
        if isinstance(self.target_tokens, str):
            raise TypeError(f"ProjectionInput target_tokens must be a sequence of token strings, not the str "
                            f"{self.target_tokens[:40]!r}: split it into words (text.split())")  # fmt: skip
        if not self.alignment._canonical and not self.alignment.is_canonical():
            # found in review: an Alignment built directly with links out of (i, j) order was accepted, and the
            # methods, which find an entity's links by bisection, projected it onto the links of other words
            raise ValueError(f"ProjectionInput of sentence {self.source.id!r}: the alignment's links are not sorted, "
                             f"unique (i, j) tuples with no possible link also sure (sure links as given: {str(self.alignment.pairs)[:80]}); "
                             "build it with Alignment.of(sure, possible)")  # fmt: skip
        if not self.alignment.fits(len(self.source.tokens), len(self.target_tokens)):  # found once per alignment
            self.alignment.check_bounds(len(self.source.tokens), len(self.target_tokens), given=True,
                                        where=f"ProjectionInput of sentence {self.source.id!r}")  # fmt: skip

    @property
    def entities(self) -> tuple[Span, ...]:
        """The source entities, read from its tags once (the method and each refinement ask for them)."""
        if self._entities is None:
            object.__setattr__(self, "_entities", tuple(self.source.spans))
        return self._entities


@dataclass(frozen=True, slots=True)
class Match:
    """Entity ``entity`` projected to target span ``[start, end)``. ``entity`` indexes the entity spans of the sentence
    the method projected from (``Pair.projection_source``: the source, or its back-translation) in order, *after* the
    run's ``drop_labels`` types were made O: with ``drop_labels=("MISC",)`` it is not an index into
    ``pair.source.spans`` when a MISC comes first (``builders/rows.py`` maps it the same way)."""

    entity: int
    start: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class ProjectedSentence:
    """The projection of one sentence pair: target spans and how each source entity fared."""

    spans: tuple[Span, ...]
    matches: tuple[Match, ...] = field(default=())
    n_source_entities: int = 0

    def tags(self, n_tokens: int) -> list[str]:
        from projection.tags import spans_to_bio

        return spans_to_bio(self.spans, n_tokens)


@dataclass(frozen=True, slots=True)
class Pair:
    """One sentence pair as it flows through the runner's stages; each stage fills in its field.

    - ``source``: the labelled side (English: gold, or tagged by the NER stage); tags ``None`` until tagged.
    - ``target``: the side that receives silver labels (its tags, when present, are gold for evaluation).
    - ``backtranslated``: with back-translation, the labelled target-language sentence that replaces
      ``source`` as the projection source; ``None`` otherwise.
    - ``alignment``: links between ``projection_source`` (i) and ``target`` (j).
    - ``target_spans``: spans an NER model found on the target (``ner.v1`` candidates).
    - ``projected``: the result of the projection stage.
    """

    id: str
    source: Sentence
    target: Sentence
    backtranslated: Sentence | None = None
    alignment: Alignment | None = None
    target_spans: tuple[tuple[int, int], ...] | None = None
    projected: ProjectedSentence | None = None
    _silver: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def projection_source(self) -> Sentence:
        """The sentence the alignment indexes on the source side."""
        return self.backtranslated if self.backtranslated is not None else self.source

    @property
    def silver(self) -> tuple[str, ...]:
        """Silver IOB2 tags of the target (all O before projection); made once (the CoNLL text and the evaluation
        both ask)."""
        if self._silver is None:
            n = len(self.target)
            tags = ("O",) * n if self.projected is None else tuple(self.projected.tags(n))
            object.__setattr__(self, "_silver", tags)
        return self._silver

    def __reduce__(self):  # pickled as a constructor call: about twice as fast as the generated state methods
        return (
            type(self),
            (
                self.id,
                self.source,
                self.target,
                self.backtranslated,
                self.alignment,
                self.target_spans,
                self.projected,
            ),
        )
