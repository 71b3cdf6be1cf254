"""Typed errors for files that do not fit. Each says which feature, which field and what was expected."""

from __future__ import annotations


class LayerError(ValueError):
    """A file could not be read as a layer. `str()` is a complete, user-facing sentence."""

    def text(self, lang: str = "nb") -> str:
        """The message for a page in `lang` ("nb" or "en"); English `str()` where no translation exists."""
        return str(self)


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


class UploadTooLarge(LayerError):
    """The uploaded file is bigger than the configured limit."""

    def __init__(self, size: int, limit: int):
        self.size = size
        self.limit = limit
        super().__init__(f"the file is {_megabytes(size)}; the limit for an upload is {_megabytes(limit)}")


class LayerTooLarge(LayerError):
    """A layer holds more than one upload may: config.MAX_UPLOAD_FEATURES, MAX_UPLOAD_VERTICES or MAX_UPLOAD_FIELDS.

    Raised before anything is stored, and before the geometries are read where the format tells the count.
    `str()` is English (the command line's language); `text(lang)` is bokmål or English for the pages.
    """

    _KEY = ""

    def __init__(self, count: int, limit: int, layer: str | None = None):
        self.count = int(count)
        self.limit = int(limit)
        self.layer = layer
        super().__init__(self.text("en"))

    def text(self, lang: str = "nb") -> str:
        from i18n import fmt_number, t

        return t(self._KEY, lang, count=fmt_number(self.count, lang), limit=fmt_number(self.limit, lang))


class TooManyFeatures(LayerTooLarge):
    """More features (rows, placemarks) than config.MAX_UPLOAD_FEATURES."""

    _KEY = "upload_too_many_features"


class TooManyVertices(LayerTooLarge):
    """More vertices (coordinate points, all geometries together) than config.MAX_UPLOAD_VERTICES."""

    _KEY = "upload_too_many_vertices"


class TooManyFields(LayerTooLarge):
    """More fields (property columns) than config.MAX_UPLOAD_FIELDS: more than the store's tables can hold."""

    _KEY = "upload_too_many_fields"


class UnsafeArchive(FileFormatError):
    """A zip (or KMZ/XLSX) archive that could harm the server: paths outside the folder, links, a zip bomb."""


class UnknownCRS(CRSError):
    """The file (or the caller) names a coordinate reference system that no registry knows."""


class CoordinatesOutOfRange(CRSError):
    """The coordinates fit no coordinate reference system they could be in."""


class NeedsCRSChoice(CRSError):
    """The file has no usable CRS; the coordinates fit several. `candidates` are ranked, most plausible first."""

    def __init__(self, message: str, candidates: tuple = (), layer: str | None = None):
        self.candidates = tuple(candidates)
        self.layer = layer
        super().__init__(message)


class NeedsLayerChoice(LayerError):
    """The file holds several layers; the caller must name one. `layers` are their names."""

    def __init__(self, layers: list[str] | tuple[str, ...]):
        self.layers = tuple(layers)
        names = ", ".join(repr(n) for n in self.layers)
        super().__init__(f"the file holds {len(self.layers)} layers ({names}); choose one")


def _megabytes(size: int) -> str:
    """200 MB, 1.5 MB, 12 KB, 900 bytes: sizes in the units a person reads (1 MB = 1024 KB)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    mb = size / (1024 * 1024)
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"
