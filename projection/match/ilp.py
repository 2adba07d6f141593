"""``ilp.v1``: the paper's integer linear program modelled with pulp and solved by HiGHS in-process.

Variables x[s,t] ∈ {0,1}; maximise Σ c·x; Σ_t x[s,t] ≤ 1 per entity; for every target word w,
Σ over pairs whose span covers w of x ≤ 1 (equivalent to pairwise non-overlap for intervals, and
linear in size). Slower than ``exact.v1`` (model building per sentence) but a direct, independent
statement of the problem: the tests check both agree.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import warnings

from projection.extras import require
from projection.match.base import MATCHERS, Matcher, MatchProblem
from projection.types import Match

_banner_lock = threading.Lock()
_banner_done = False


def _without_banner(highspy) -> None:
    """Make this process's first ``highspy.Highs()`` with standard output (file descriptor 1) sent to /dev/null: HiGHS
    writes its banner ("Running HiGHS ...") there when the first one is made, before ``msg=False`` can turn its
    output off (found in review: the CLI's stdout, a notebook's or a service's, got it once per process and per
    worker). Later ones write nothing. A forked worker inherits whether the banner was written."""
    global _banner_done
    if _banner_done:
        return
    with _banner_lock:
        if _banner_done:
            return
        # text already written through sys.stdout goes out before the descriptor is swapped; sys.stdout is None in
        # a process started without a standard output (>&-, a service, pythonw), or it may be closed
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:  # no standard output to write to
            highspy.Highs()
        else:
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(null, 1)
                    highspy.Highs()
                    _flush_c_stdout()
                finally:
                    os.dup2(saved, 1)
                    os.close(null)
            finally:
                os.close(saved)
        _banner_done = True


def _flush_c_stdout() -> None:
    import ctypes

    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass


def ilp_match(problem: MatchProblem) -> list[Match]:
    pulp = require("pulp", purpose="the ilp.v1 matcher")
    _without_banner(require("highspy", purpose="solving the ILP in-process with HiGHS"))
    pairs = problem.pairs
    if not pairs:
        return []
    model = pulp.LpProblem("projection", pulp.LpMaximize)
    with warnings.catch_warnings():  # pulp 3.3 deprecates LpVariable(); the extra pins pulp < 4
        warnings.simplefilter("ignore", DeprecationWarning)
        x = [pulp.LpVariable(f"x{k}", cat="Binary") for k in range(len(pairs))]
    # the largest score 1, as exact.v1's HiGHS fallback does: HiGHS' absolute tolerances (mip_abs_gap 1e-6) otherwise
    # stopped at a worse selection, or none, when every score was small (found in review: --possible-weight 1e-7)
    top = max(p[3] for p in pairs)
    model += pulp.lpSum(p[3] / top * v for p, v in zip(pairs, x))
    by_entity: dict[int, list] = {}
    by_word: dict[int, list] = {}
    for p, v in zip(pairs, x):
        by_entity.setdefault(p[0], []).append(v)
        for w in range(p[1], p[2]):
            by_word.setdefault(w, []).append(v)
    for e, vs in sorted(by_entity.items()):
        if len(vs) > 1:
            model += pulp.lpSum(vs) <= 1, f"entity_{e}"
    for w, vs in sorted(by_word.items()):
        if len(vs) > 1:
            model += pulp.lpSum(vs) <= 1, f"word_{w}"
    # output_flag as well as msg: pulp < 2.9 (the extra allows 2.8) ignores msg=False for the in-process HiGHS, which
    # then wrote its whole log for every sentence to standard output (file descriptor 1)
    status = model.solve(pulp.HiGHS(msg=False, gapRel=0.0, output_flag=False))
    if pulp.LpStatus[status] != "Optimal":
        raise RuntimeError(f"HiGHS did not solve a matching problem to optimality: {pulp.LpStatus[status]}")
    out = [Match(p[0], p[1], p[2], p[3]) for p, v in zip(pairs, x) if (v.value() or 0) > 0.5]
    out.sort(key=lambda m: m.start)
    return out


@MATCHERS.register("ilp.v1", alias="ilp")
class IlpMatcher(Matcher):
    name = "ilp.v1"

    def match(self, problem: MatchProblem) -> list[Match]:
        return ilp_match(problem)
