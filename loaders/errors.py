"""Typed errors for files that do not fit. Each says which feature, which field and what was expected."""

from __future__ import annotations


class LayerError(ValueError):
    """A file could not be read as a layer. `str()` is a complete, user-facing sentence."""


class FileFormatError(LayerError):
    """The file is not readable as the format it claims (not JSON, not GeoJSON, empty ...)."""


class CRSError(LayerError):
    """The file declares a coordinate reference system this reader does not take."""


class SchemaError(LayerError):
    """One feature (or row) breaks the layer schema."""

    def __init__(self, feature: int | None, field: str, expected: str, got: object = None):
        self.feature = feature
        self.field = field
        self.expected = expected
        self.got = got
        where = f"feature {feature}" if feature is not None else "the file"
        got_text = "" if got is None else f", got {_short(got)}"
        super().__init__(f"{where}: field '{field}' must be {expected}{got_text}")


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
