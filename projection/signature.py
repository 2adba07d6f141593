"""The run's reproducibility signature (sacrebleu style), as one structured value.

A ``Signature`` is an ordered list of fields, each a ``Part`` (a component name and its settings), plus
exactly one library version::

    mode:parallel|aligner:eflomal.v1(sym=soft,stem=4,…)|cand:linked.v1|score:align=1,possible=0.3,char=0.5|match:greedy.v1|version:0.2.0

``Signature.parse(s.format()) == s`` for every signature, and ``parse`` takes only what ``format()`` writes; the
runner's checkpoints and builder config ids hash ``format()`` with their other inputs (``hash()``: a short hash of
``format()`` for a key of your own). Every stage contributes its fields (``Stage.signature()``), so the value names exactly the
stages that ran. Values may hold any text: the reserved characters ``%|,()=:`` are percent-escaped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from projection.version import __version__

_RESERVED = "%|,()=:"
_ESCAPES = {c: f"%{ord(c):02X}" for c in _RESERVED}
_KEY = re.compile(r"[a-z][a-z0-9_]*")  # fullmatch: "$" alone let a name end in a newline
_UNESCAPE = re.compile(r"%([0-9A-F]{2})")


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def number(v: float) -> str:
    """A number as a signature writes it: ``0.3``, ``10``, ``1e-05`` (the ``g`` format), or its full ``repr`` when
    ``g``'s 6 significant digits would lose something (``1.3684210`` and ``1.3684211`` both gave ``1.36842``: two
    settings, one signature, and a cache that answered the second with the first's output). ``-0.0`` is ``0``:
    the two are one setting (``--aligner-option diagonal_tension=-0.0`` signed ``lam=-0`` and aligned again)."""
    if v == 0:
        return "0"
    short = f"{v:g}"
    return short if float(short) == v else repr(float(v))


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return number(v)
    if isinstance(v, (tuple, list)):  # an item's own "+" (and "%") escaped: ("a+b", "c") is not ("a", "b+c")
        return "+".join(_value(x).replace("%", "%25").replace("+", "%2B") for x in v)
    return str(v)


@dataclass(frozen=True)
class Part:
    """One component: ``name`` (e.g. ``eflomal.v1``) and its ``(key, value)`` settings, values as text.

    Formats as ``name(k=v,…)``, ``name`` alone, or ``k=v,…`` alone (a settings-only field such as the score).
    """

    name: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        opts = tuple((str(k), _value(v)) for k, v in self.options)
        for k, _ in opts:
            if not _KEY.fullmatch(k):
                raise ValueError(f"signature option names are lowercase identifiers, got {k!r}")
        if not self.name and not opts:
            raise ValueError("a signature part needs a name or settings")
        object.__setattr__(self, "options", opts)

    @classmethod
    def of(cls, name: str = "", **options: object) -> "Part":
        """``Part.of("fastalign.v1", stem=4)``; ``None`` settings are left out."""
        return cls(name, tuple((k, v) for k, v in options.items() if v is not None))

    def format(self) -> str:
        opts = ",".join(f"{k}={_escape(v)}" for k, v in self.options)
        if not self.name:
            return opts
        return f"{_escape(self.name)}({opts})" if opts else _escape(self.name)

    @classmethod
    def parse(cls, text: str) -> "Part":
        name, opts = text, ""
        # format() escapes every parenthesis of a name or value: only the one pair around the settings is left
        # (found in review: "b(c=1" was refused as "option names are lowercase identifiers, got 'b(c'")
        if ("(" in text or ")" in text) and not (text.count("(") == text.count(")") == 1 and text.endswith(")")):
            raise ValueError(f"not a signature part, name(key=value,…) with the reserved characters {_RESERVED} "
                             f"percent-escaped: unbalanced or unescaped parentheses in {text!r}")
        if text.endswith(")") and "(" in text:
            name, _, opts = text[:-1].partition("(")
        elif "=" in text:
            name, opts = "", text
        options = []
        for item in opts.split(",") if opts else ():
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"not a signature setting (key=value): {item!r} in {text!r}")
            options.append((key, _unescape(value)))
        return cls(_unescape(name), tuple(options))

    def get(self, key: str, default: str | None = None) -> str | None:
        return dict(self.options).get(key, default)

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True)
class Signature:
    """Ordered ``(field, Part)`` pairs and one ``version``; see the module docstring."""

    fields: tuple[tuple[str, Part], ...] = ()
    version: str = field(default=__version__)

    def __post_init__(self) -> None:
        seen = set()
        for key, part in self.fields:
            if not _KEY.fullmatch(key) or key == "version":
                raise ValueError(f"signature field names are lowercase identifiers other than 'version', got {key!r}")
            if key in seen:
                raise ValueError(f"signature field {key!r} appears twice")
            if not isinstance(part, Part):
                raise TypeError(f"signature field {key!r} must be a Part, got {type(part).__name__}")
            seen.add(key)

    def format(self) -> str:
        return "|".join([*(f"{k}:{p.format()}" for k, p in self.fields), f"version:{_escape(self.version)}"])

    @classmethod
    def parse(cls, text: str) -> "Signature":
        if text != text.strip():  # a line read from a file kept its newline in the version: equal to no signature
            raise ValueError(f"a signature has no surrounding whitespace (strip the text first): {text!r}")
        fields, version = [], None
        for item in text.split("|"):
            key, sep, value = item.partition(":")
            if not sep:
                raise ValueError(f"not a signature field (key:value): {item!r}")
            if key == "version":
                if version is not None:
                    raise ValueError(f"a signature has exactly one version field: {text!r}")
                version = _unescape(value)
            else:
                fields.append((key, Part.parse(value)))
        if version is None:
            raise ValueError(f"a signature ends with its version field: {text!r}")
        sig = cls(tuple(fields), version)
        # only what format() writes (found in review: fields after the version, a raw reserved character in a value
        # and a trailing newline, kept in the version, were accepted, and the value then equalled no signature)
        if sig.format() != text:
            raise ValueError(f"not a signature as Signature.format() writes it (the version field last, the reserved "
                             f"characters {_RESERVED} percent-escaped, no surrounding whitespace): {text!r}")
        return sig

    def __getitem__(self, key: str) -> Part:
        for k, part in self.fields:
            if k == key:
                return part
        raise KeyError(key)

    def get(self, key: str) -> Part | None:
        return dict(self.fields).get(key)

    def keys(self) -> list[str]:
        return [k for k, _ in self.fields]

    def extend(self, *fields: tuple[str, Part]) -> "Signature":
        return Signature(self.fields + tuple(fields), self.version)

    def hash(self, n: int = 12) -> str:
        """Short stable hash of ``format()`` (a key of your own; the runner's checkpoints and builder config ids hash
        ``format()`` together with their other inputs)."""
        return hashlib.sha256(self.format().encode("utf-8")).hexdigest()[:n]

    def __str__(self) -> str:
        return self.format()


def content_hash(*chunks: str | bytes) -> str:
    """sha256 over length-prefixed chunks (so that ('ab','c') != ('a','bc'))."""
    h = ContentHasher()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


class ContentHasher:
    """``content_hash`` fed one chunk at a time (for inputs too large to hold as one list of chunks)."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def update(self, chunk: str | bytes) -> None:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        self._h.update(len(data).to_bytes(8, "little"))
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.hexdigest()
