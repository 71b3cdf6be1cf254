"""Typed errors for exports. `str()` is a complete, user-facing sentence."""

from __future__ import annotations


class ExportError(ValueError):
    """An export was asked for with arguments it cannot take."""


class ExportOptionError(ExportError):
    """An unknown size, format, language, layer or basemap, or a view box that is not a box."""


class ExportDataError(ExportError):
    """The frames handed in cannot be exported (no CRS, not the layer's columns)."""
