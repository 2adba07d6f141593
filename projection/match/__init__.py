"""Matchers: choose non-overlapping target spans, at most one per source entity."""

from projection.match.base import MATCHERS, Matcher, MatchProblem, get_matcher, objective

__all__ = ["MATCHERS", "Matcher", "MatchProblem", "get_matcher", "objective"]
