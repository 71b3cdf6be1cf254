"""Typed errors for the portfolio analysis. `str()` is a complete, user-facing sentence."""

from __future__ import annotations


class AnalysisError(ValueError):
    """An analysis was asked for with arguments it cannot take."""


class RadiusError(AnalysisError):
    """The neighbourhood radius is not a number of metres within the allowed range."""


class UnknownSiteError(AnalysisError):
    """A site id that is not in the portfolio's parks layer."""


class CompareError(AnalysisError):
    """Too few or too many sites to compare side by side."""
