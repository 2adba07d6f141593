"""``eflomal.v1``: the eflomal aligner (Östling & Tiedemann 2016) through the PyPI ``eflomal`` 2.x package.

eflomal is a Bayesian HMM+fertility aligner trained by Gibbs sampling on the batch itself (no download).
It seeds from the system's entropy source, so two runs may give slightly different links
(``deterministic = False``): use ``projection.align.cache.align_cached`` to reuse a first run's links.

Length limit: eflomal takes at most 1,023 tokens per side of a pair (its binary refuses longer sentences
and its Python writer silently replaces them by empty ones, which gave such pairs no links at all). Longer
pairs are aligned in two passes over the batch, first in overlapping windows, then in pieces cut where the
windows' links allow (``projection.align.statistical``); after each call ``aligner.long_pairs`` says how
many pairs were (``aligner.long_stats``: and in how many pieces). A batch without long pairs is aligned
exactly as before (one pass, same arguments).

We start the eflomal binary ourselves (as ``eflomal.Aligner.align`` would, same arguments) through
``projection.tmp``: it dies with this process, even after a SIGKILL, and its files live in the process's
scratch directory, removed on every exit the process can see.
"""

from __future__ import annotations

import logging
import math
import subprocess
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Sequence

from projection.align.base import ALIGNERS, Tokens
from projection.align.statistical import (
    DirectionalLinks,
    LongPairs,
    PairView,
    StatisticalAligner,
    Window,
    cut_long_pair,
    merge_windows,
    split_long_pair,
)
from projection.align.symmetrize import symmetrize
from projection.align.text import check_batch, name_start, stem
from projection.extras import require
from projection.io.lines import iter_line_blocks
from projection.io.pharaoh import parse_pharaoh
from projection.scores import dice
from projection.signature import number
from projection.tmp import ChildDied, scratch, signal_name, start_child, wait_child
from projection.types import Alignment

logger = logging.getLogger(__name__)

#: eflomal's models: 1 = IBM1, 2 = + HMM distortion, 3 = + fertility
_MODELS = (1, 2, 3)
#: a typical sentence length: a long pair counts as len(source) / SENTENCE_TOKENS lines in the iteration schedule
SENTENCE_TOKENS = 25


def _field(word: str) -> str:
    # eflomal reads whitespace-separated lines: keep one field per token whatever the token holds (a word of
    # letters and digits only is one field already)
    return word if word.isalnum() else "_".join(word.split()) or "<empty>"


def _line(stems: Sequence[str]) -> str:
    return " ".join(map(_field, stems))


def _looks_like_name(word: str) -> bool:
    # istitle(): upper or title case, composed or decomposed alike (``projection.refine.name_keys``)
    return word[:1].istitle() or any(map(str.isdigit, word))


def _starts_upper(word: str, from_name: bool) -> bool:
    # from where the stem starts, so from the NFC word (found in review: ``à`` + U+0300 + ``Brüssel`` written
    # decomposed had no name start, and similar_cased left it out while the same word composed was compared)
    if from_name:
        word = unicodedata.normalize("NFC", word)
        word = word[name_start(word) :]
    return word[:1].istitle()


def _letters(word: str) -> int:
    """How many letters ``word`` has when it is all letters, each with its accents or tone marks (0 otherwise): a
    tone mark on ``ẹ`` or ``ọ`` has no composed form even in NFC (Yoruba ``jẹ́mánì``), and such a word was no
    word for ``similar_names`` while ``jémánì`` was (found in review)."""
    if word.isalpha():
        return len(word)
    letters = "".join(ch for ch in word if not unicodedata.category(ch).startswith("M"))
    return len(letters) if letters.isalpha() and not unicodedata.category(word[0]).startswith("M") else 0


#: the shortest word (in letters) that ``name_priors`` compares by similarity
SIMILAR_MIN_LETTERS = 4


@lru_cache(maxsize=1 << 16)
def _bigrams(word: str) -> frozenset[str]:
    """The letter bigrams of ``word`` without its diacritics (``brüssel`` -> br, ru, us, ss, se, el)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return frozenset(plain[k : k + 2] for k in range(len(plain) - 1))


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the two words' letter-bigram sets, diacritics ignored (``kommission`` and
    ``commission``: 8 of 9 + 9 bigrams shared, 0.889)."""
    return dice(_bigrams(a), _bigrams(b))


def name_priors(
    pairs: Iterable[tuple[Sequence[str], Sequence[str]]],
    n: int | None,
    from_name: bool,
    weight: float,
    similar: float = 0.0,
    cased: bool = False,
) -> dict[tuple[str, str], float]:
    """eflomal lexical priors that favour linking a name to the same name, by (source, target) aligner word. In
    each pair, a source word that looks like a name (upper-case first letter, or a digit) and a target word
    equal to it after lower-casing (both counted from where a name glued to a short prefix starts when
    ``from_name``: ``Amsterdam`` = ``laseAmsterdam``) add ``weight`` to the prior of their aligner word (the two
    words cut to ``n`` characters are one word) linking to itself. Once per pair and name.

    ``similar`` > 0: a name with no equal word in the target instead adds ``weight`` for each target word
    similar to it that is not itself one of the pair's source names, once per pair: both all letters (with their
    accents or tone marks, composed or not), at least ``SIMILAR_MIN_LETTERS`` letters long, with a letter-bigram
    Dice (``bigram_dice``) of at least ``similar`` (``Commission`` -> ``Kommission``, ``Parliament`` ->
    ``Parlamento``). ``cased``: only target words that start upper case (from where a glued name starts, when
    ``from_name``) are compared."""
    counts: Counter = Counter()
    for src, tgt in pairs:  # stem(w, None, from_name): the whole word, lower-cased, from its name's start
        names = {stem(w, None, from_name) for w in src if _looks_like_name(w)}
        if not names:
            continue
        words = {stem(w, None, from_name) for w in tgt}
        for key in names & words:
            word = _field(stem(key, n))
            counts[word, word] += 1
        if similar:
            pool = words if not cased else {stem(w, None, from_name) for w in tgt if _starts_upper(w, from_name)}
            longer = [w for w in pool - names if _letters(w) >= SIMILAR_MIN_LETTERS]
            for key in names - words:
                if _letters(key) < SIMILAR_MIN_LETTERS:
                    continue
                for w in longer:
                    if bigram_dice(key, w) >= similar:
                        counts[_field(stem(key, n)), _field(stem(w, n))] += 1
    return {pair: weight * c for pair, c in counts.items()}


@ALIGNERS.register("eflomal.v1", alias="eflomal")
class EflomalAligner(StatisticalAligner):
    """eflomal trained on the batch (plus ``extra`` pairs); both directions, then symmetrised."""

    name = "eflomal.v1"
    deterministic = False
    max_tokens = 1023  # eflomal's sentence_read() refuses longer sentences; its Python writer empties them

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
        stem_from: str = "start",
        name_prior: float = 0.0,
        similar_names: float = 0.0,
        similar_cased: bool = False,
        possible_votes: int = 1,
    ) -> None:
        super().__init__(symmetrize, stem, extra, stem_from)
        if model not in _MODELS:
            raise ValueError(f"eflomal model must be 1 (IBM1), 2 (HMM) or 3 (HMM+fertility), got {model!r}")
        if n_samplers < 1 or not 0 < rel_iterations < math.inf:  # NaN fails too (it failed later, in int(round(...)))
            raise ValueError(f"n_samplers must be >= 1 and rel_iterations a finite number > 0, got {n_samplers!r} and "
                             f"{rel_iterations!r}")
        if iterations is not None and (len(iterations) != 3 or min(iterations) < 0):
            raise ValueError("iterations must be None (automatic) or 3 non-negative counts (IBM1, HMM, fertility)")
        if iterations is not None and sum(iterations[:model]) < 1:  # eflomal's binary aborts (SIGABRT) on no iteration
            raise ValueError(f"iterations {tuple(iterations)} leave model {model} no iteration to run; give a count "
                             f"above 0 among the first {model} (IBM1, HMM, fertility), or leave iterations out")
        if not 0.0 < null_prior < 1.0:
            raise ValueError(f"null_prior must be in (0, 1), got {null_prior}")
        if not isinstance(runs, int) or runs < 1:
            raise ValueError(f"runs must be a positive number of sampling runs, got {runs!r}")
        if isinstance(name_prior, bool) or not isinstance(name_prior, (int, float)) or not 0 <= name_prior < math.inf:
            raise ValueError(f"name_prior must be a finite number >= 0 (0: no prior), got {name_prior!r}")
        similar = similar_names
        if isinstance(similar, bool) or not isinstance(similar, (int, float)) or not 0 <= similar <= 1:
            raise ValueError(f"similar_names must be a bigram Dice in [0, 1] (0: equal names only), got {similar!r}")
        if similar_names and not name_prior:
            raise ValueError("similar_names needs a name_prior > 0: it extends the name prior to similar words")
        if not isinstance(similar_cased, bool) or (similar_cased and not similar_names):
            raise ValueError(f"similar_cased must be True or False, and True needs similar_names; got {similar_cased!r}")
        if isinstance(possible_votes, bool) or not isinstance(possible_votes, int) or possible_votes < 1:
            raise ValueError(f"possible_votes must be a whole number >= 1, got {possible_votes!r}")
        if possible_votes > 1 and (runs < 2 or symmetrize != "soft" or possible_votes > runs):
            raise ValueError(f"possible_votes={possible_votes} counts the votes of the soft vote: it needs "
                             f"symmetrize='soft' and runs >= {max(possible_votes, 2)} (got {symmetrize!r}, runs={runs})")
        #: the fewest of the 2·runs directional alignments that must find a link for it to be kept as possible
        self.possible_votes = possible_votes
        #: weight of the lexical prior that links a name to the same name (``name_priors``); 0: none
        self.name_prior = float(name_prior)
        #: the bigram Dice from which a target word counts as the same name (``name_priors``); 0: equal words only
        self.similar_names = float(similar_names)
        #: similar_names compares only target words that start upper case
        self.similar_cased = similar_cased
        self.runs = runs
        self.model = model
        self.n_samplers = n_samplers
        self.rel_iterations = rel_iterations
        self.iterations = tuple(iterations) if iterations is not None else None
        self.null_prior = null_prior

    def signature(self) -> str:
        its = "auto" if self.iterations is None else "/".join(map(str, self.iterations))
        return (
            f"{self.name}(sym={self.symmetrize},{self.stem_signature()},model={self.model},samplers={self.n_samplers},"
            f"rel_it={number(self.rel_iterations)},it={its},null={number(self.null_prior)},"
            + (f"runs={self.runs}," if self.runs > 1 else "")
            + (f"name_prior={number(self.name_prior)}," if self.name_prior else "")
            + (f"similar_names={number(self.similar_names)}," if self.similar_names else "")
            + ("similar_cased=1," if self.similar_cased else "")
            + (f"possible_votes={self.possible_votes}," if self.possible_votes > 1 else "")
            + f"extra={self._extra_digest})"
        )

    def iter_align(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> Iterator[Alignment]:
        if self.runs > 1 and self.symmetrize == "soft":
            return self._soft_vote(src, tgt)
        return super().iter_align(src, tgt)

    def _soft_vote(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> Iterator[Alignment]:
        """``runs`` samples, both directions each: a link found by more than half of the 2·runs directional
        alignments is sure, any other link found by at least ``possible_votes`` of them is possible. One sample
        that settles a frequent word pair on a wrong alignment is outvoted (measured in benchmarks/README.md).
        The samples are sampled first (eflomal runs now); then each pair's vote is made as it is asked for."""
        samples = [self._directional_once(src, tgt) for _ in range(self.runs)]
        return self._votes(samples)

    def _votes(self, samples: list[DirectionalLinks]) -> Iterator[Alignment]:
        runs, least = self.runs, self.possible_votes
        for per_run in zip(*samples):
            votes = Counter(p for fwd, rev in per_run for p in fwd.pairs + rev.pairs)
            # Alignment.of's value, built from the samples' own link tuples (shared by the Pharaoh reader's
            # cache) instead of fresh ones: the corpus' links then cost a pointer each
            yield Alignment._sorted(tuple(sorted(p for p, n in votes.items() if n > runs)),
                                    tuple(sorted(p for p, n in votes.items() if least <= n <= runs)))  # fmt: skip

    def directional(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> Sequence[tuple[Alignment, Alignment]]:
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
                Alignment._sorted(tuple(sorted(p for p, n in fwd.items() if n >= need))),
                Alignment._sorted(tuple(sorted(p for p, n in rev.items() if n >= need))),
            ))
        return out

    def _directional_once(self, src: Sequence[Tokens], tgt: Sequence[Tokens]) -> DirectionalLinks:
        """One sampling run; pairs with an empty side get no links. Long pairs take two passes over the batch
        (windows, then pieces cut where the windows' links allow: projection.align.statistical). The links stay
        eflomal's Pharaoh lines until a pair is asked for (``DirectionalLinks``)."""
        check_batch(src, tgt)
        pairs = PairView(src, tgt, self.extra or [])  # no tuple per pair of a large batch held at once
        n = len(src)
        used = [k for k, (s, t) in enumerate(pairs) if len(s) and len(t)]
        self.long_stats = LongPairs(limit=self.max_tokens)
        if not any(k < n for k in used):
            return DirectionalLinks([""] * n, [""] * n, src, tgt, "eflomal")
        long = {k: split_long_pair(len(pairs[k][0]), len(pairs[k][1]))
                for k in used if max(map(len, pairs[k])) > self.max_tokens}
        fwd, rev = self._pass(pairs, used, long)
        if long:
            for k in long:
                sym = symmetrize("intersection", fwd[k], rev[k], len(pairs[k][0]), len(pairs[k][1]))
                long[k] = cut_long_pair(sym, len(pairs[k][0]), len(pairs[k][1]), self.max_tokens)
            fwd, rev = self._pass(pairs, used, long)
            n_long = sum(k < n for k in long)
            self.long_stats = LongPairs(n_long, sum(len(v) for k, v in long.items() if k < n), self.max_tokens)
            logger.info("eflomal: %d pairs longer than %d tokens aligned in %d pieces",
                        n_long, self.max_tokens, self.long_stats.pieces)
        del fwd[n:], rev[n:]  # the extra corpus' links
        return DirectionalLinks(fwd, rev, src, tgt, "eflomal")

    def _pass(
        self, pairs: Sequence[tuple[Tokens, Tokens]], used: list[int], long: dict[int, list[Window]]
    ) -> tuple[list, list]:
        """One eflomal run over the used pairs, the long ones as their windows: (forward, reverse) per pair of
        ``pairs``, each a Pharaoh line ("" for an unused pair) or, for a long pair, its merged ``Alignment``."""
        units = [(k, win) for k in used for win in long.get(k, [None])]

        def texts():
            for k, win in units:
                s, t = pairs[k]
                if win is not None:
                    s, t = s[win.src[0]:win.src[1]], t[win.tgt[0]:win.tgt[1]]
                yield s, t

        src_lines, tgt_lines = [], []
        for s, t in texts():
            src_lines.append(_line(self.stems(s)))
            tgt_lines.append(_line(self.stems(t)))
        priors = None
        if self.name_prior:
            from_name = self.stem_from == "name"
            weights = name_priors(texts(), self.stem, from_name, self.name_prior, self.similar_names,
                                  self.similar_cased)  # fmt: skip
            # no name met (another script, no digits): no priors file, which eflomal would refuse when empty
            priors = [f"LEX\t{s}\t{t}\t{a!r}\n" for (s, t), a in sorted(weights.items())] or None
        # eflomal's automatic schedule counts lines (more iterations for fewer lines): a long pair counts as
        # the sentences of SENTENCE_TOKENS its source side would make, however it is cut
        n_lines = len(used) - len(long) + sum(math.ceil(len(pairs[k][0]) / SENTENCE_TOKENS) for k in long)
        fwd_lines, rev_lines = self._run(src_lines, tgt_lines, n_lines, priors)
        del src_lines, tgt_lines
        logger.info("eflomal: aligned %d training pairs", len(units))
        fwd: list = [""] * len(pairs)
        rev: list = [""] * len(pairs)
        parts: dict[int, list[tuple[Window, tuple[Alignment, Alignment]]]] = {}
        for row, (k, win) in enumerate(units):
            if win is None:
                fwd[k], rev[k] = fwd_lines[row], rev_lines[row]
            else:
                where = f"eflomal links of a window of pair {k}"
                links = (parse_pharaoh(fwd_lines[row], where=where), parse_pharaoh(rev_lines[row], where=where))
                parts.setdefault(k, []).append((win, links))
        for k, got in parts.items():
            fwd[k], rev[k] = merge_windows([w for w, _ in got], [links for _, links in got])
        return fwd, rev

    def _run(
        self, src_lines: list[str], tgt_lines: list[str], n_lines: int | None = None, priors: list[str] | None = None
    ) -> tuple[list[str], list[str]]:
        """Run the eflomal binary on line-aligned texts (``priors``: lines of eflomal's priors file); returns its
        (forward, reverse) Pharaoh lines.

        We start the binary ourselves (eflomal.Aligner.align would too) so that it dies with this process
        and its files live in the process's scratch directory (projection.tmp)."""
        eflomal = require("eflomal", purpose="the eflomal aligner")
        binary = Path(eflomal.__file__).resolve().parent / "bin" / "eflomal"
        if not binary.is_file():
            raise RuntimeError(f"the eflomal package has no binary at {binary}; reinstall it: pip install eflomal")
        prepare = eflomal.Aligner(model=self.model, n_samplers=self.n_samplers, null_prior=self.null_prior)
        n_lines = len(src_lines) if n_lines is None else n_lines
        iterations = self.iterations or auto_iterations(self.model, n_lines, self.rel_iterations)
        with scratch("eflomal-") as tmp:
            paths = {name: tmp / name for name in ("src", "tgt", "fwd", "rev", "log", "priors")}
            with open(paths["src"], "wb") as src_file, open(paths["tgt"], "wb") as tgt_file:
                if priors is None:
                    prepare.prepare_files(src_lines, src_file, tgt_lines, tgt_file, None, None)
                else:
                    with open(paths["priors"], "w", encoding="utf-8") as priors_file:
                        prepare.prepare_files(src_lines, src_file, tgt_lines, tgt_file, priors, priors_file)
            args = [
                str(binary), "-m", str(self.model), "-s", str(paths["src"]), "-t", str(paths["tgt"]),
                "-n", str(self.n_samplers), "-N", str(self.null_prior),
                "-f", str(paths["fwd"]), "-r", str(paths["rev"]),
            ]
            if priors is not None:
                args += ["-p", str(paths["priors"])]
            for flag, count in zip(("-1", "-2", "-3"), iterations[: self.model]):
                args += [flag, str(count)]
            with open(paths["log"], "wb") as log:
                code = _run_with_steps(args, log, 2 * self.model, f"eflomal: {len(src_lines):,} pairs")
            if code < 0:  # killed: its log ends mid-sentence and says nothing about why
                raise ChildDied(f"the eflomal process was killed by {signal_name(-code)} before it finished (out of "
                                f"memory?); run again, with more memory or fewer pairs ({len(src_lines):,} here)")
            if code != 0:
                tail = paths["log"].read_text(encoding="utf-8", errors="replace").strip()[-500:]
                # one line from the CLI, not a traceback (found in review: --aligner-option n_samplers=1000000 made
                # eflomal fail with "Too many open files")
                message = " / ".join(line.strip() for line in tail.splitlines() if line.strip())
                raise ChildDied(f"eflomal exited with status {code}: {message or 'no message'}")
            fwd, rev = _lines_of(paths["fwd"]), _lines_of(paths["rev"])
        if len(fwd) != len(src_lines) or len(rev) != len(src_lines):
            raise RuntimeError(
                f"eflomal returned {len(fwd)}/{len(rev)} alignment lines for {len(src_lines)} pairs; "
                "check the eflomal installation (pip install eflomal)"
            )
        return fwd, rev


def _run_with_steps(args: list[str], log: BinaryIO, steps: int, desc: str) -> int:
    """Run eflomal (``args``) with its messages copied to ``log``; each model it finishes, in each direction (``Done``
    lines, ``steps`` of them), moves a progress bar (``projection.runner.step_bar``: on a terminal, in a run that
    shows its progress). Its exit code."""
    from projection.runner import step_bar

    child = start_child(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.PIPE)
    with step_bar(steps, desc) as bar:
        try:
            for line in child.stderr:  # type: ignore[union-attr]
                log.write(line)
                if line.startswith(b"Done"):
                    bar.update(1)
        except BaseException:  # Ctrl-C (or a full disk) while reading its messages: the child dies first
            wait_child(child, kill=True)
            raise
        finally:
            child.stderr.close()  # type: ignore[union-attr]
    return wait_child(child)


def _lines_of(path: Path) -> list[str]:
    """The lines of an eflomal output file (Pharaoh links, parsed later, per pair)."""
    return [line for block in iter_line_blocks(path) for line in block]


def auto_iterations(model: int, n_lines: int, rel_iterations: float) -> tuple[int, int, int]:
    """eflomal 2.x's automatic (IBM1, HMM, fertility) iteration counts for a batch of ``n_lines`` pairs,
    as ``eflomal.cython.align`` computes them (more iterations for smaller batches)."""
    iters = max(2, int(round(rel_iterations * 5000 / math.sqrt(n_lines))))
    quarter = max(1, iters // 4)
    return {1: (iters, 0, 0), 2: (max(2, quarter), iters, 0), 3: (max(2, quarter), quarter, iters)}[model]
