"""Typed errors for the portfolio analysis: a code and params (core.messages.CodedError); `str()` is the English
sentence, and the pages show them in the user's language with `i18n.error_text`."""

from __future__ import annotations

from core.messages import CodedError


class AnalysisError(CodedError, ValueError):
    """An analysis was asked for with arguments it cannot take."""


class RadiusError(AnalysisError):
    """The neighbourhood radius is not a number of metres within the allowed range."""


class UnknownSiteError(AnalysisError):
    """A site id that is not in the portfolio's parks layer."""


class CompareError(AnalysisError):
    """Too few or too many sites to compare side by side."""
