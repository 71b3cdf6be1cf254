"""Typed errors for exports: a code and params (core.messages.CodedError); `str()` is the English sentence, and a
page shows one in the user's language with `i18n.error_text`."""

from __future__ import annotations

from core.messages import CodedError


class ExportError(CodedError, ValueError):
    """An export was asked for with arguments it cannot take."""


class ExportOptionError(ExportError):
    """An unknown size, format, language, layer or basemap, or a view box that is not a box."""


class ExportDataError(ExportError):
    """The frames handed in cannot be exported (no CRS, not the layer's columns)."""
