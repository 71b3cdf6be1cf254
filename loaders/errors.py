"""Typed errors for files that do not fit. Each says which feature, which field and what was expected.

Every error carries a stable `code` and plain `params` (counts, field names, file names, numbers): the pages
render them with `i18n.error_text(error, lang)`; `str()` is the English sentence (core/messages.py) for logs
and the command line.
"""

from __future__ import annotations

from core.messages import CodedError


class LayerError(CodedError, ValueError):
    """A file could not be read as a layer: `code` names its `msg_<code>` text in the catalogues, `params` fill it."""


class FileFormatError(LayerError):
    """The file is not readable as the format it claims (not JSON, not GeoJSON, empty ...)."""


class CRSError(LayerError):
    """The file declares a coordinate reference system this reader does not take."""


class SchemaError(LayerError):
    """One feature (or row) breaks the layer schema: `expected` names an `msg_expected_*` text.

    Extra keyword params fill that text (`choices`, `what`, `width` ...).
    """

    def __init__(
        self,
        feature: int | None,
        field: str,
        expected: str,
        got: object = None,
        *,
        code: str = "field_expected",
        **params,
    ):
        self.feature = feature
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(code, feature=feature, field=field, expected=expected, got=got, **params)


class UploadTooLarge(LayerError):
    """The uploaded file is bigger than the configured limit."""

    def __init__(self, size: int, limit: int):
        self.size = size
        self.limit = limit
        super().__init__("upload_too_large", size_bytes=int(size), limit_bytes=int(limit))


class LayerTooLarge(LayerError):
    """A layer holds more than one upload may: config.MAX_UPLOAD_FEATURES, MAX_UPLOAD_VERTICES or MAX_UPLOAD_FIELDS.

    Raised before anything is stored, and before the geometries are read where the format tells the count.
    """

    _CODE = ""

    def __init__(self, count: int, limit: int, layer: str | None = None):
        self.count = int(count)
        self.limit = int(limit)
        self.layer = layer
        super().__init__(self._CODE, count=self.count, limit=self.limit)


class TooManyFeatures(LayerTooLarge):
    """More features (rows, placemarks) than config.MAX_UPLOAD_FEATURES."""

    _CODE = "too_many_features"


class TooManyVertices(LayerTooLarge):
    """More vertices (coordinate points, all geometries together) than config.MAX_UPLOAD_VERTICES."""

    _CODE = "too_many_vertices"


class TooManyFields(LayerTooLarge):
    """More fields (property columns) than config.MAX_UPLOAD_FIELDS: more than the store's tables can hold."""

    _CODE = "too_many_fields"


class UnsafeArchive(FileFormatError):
    """A zip (or KMZ/XLSX) archive that could harm the server: paths outside the folder, links, a zip bomb."""


class UnknownCRS(CRSError):
    """The file (or the caller) names a coordinate reference system that no registry knows."""


class CoordinatesOutOfRange(CRSError):
    """The coordinates fit no coordinate reference system they could be in."""


class NeedsCRSChoice(CRSError):
    """The file has no usable CRS; the coordinates fit several. `candidates` are ranked, most plausible first."""

    def __init__(self, code: str, candidates: tuple = (), layer: str | None = None, **params: object):
        self.candidates = tuple(candidates)
        self.layer = layer
        super().__init__(code, **params)


class NeedsLayerChoice(LayerError):
    """The file holds several layers; the caller must name one. `layers` are their names."""

    def __init__(self, layers: list[str] | tuple[str, ...]):
        self.layers = tuple(layers)
        super().__init__("needs_layer_choice", count=len(self.layers), layers=tuple(f"'{n}'" for n in self.layers))


class MapServiceError(LayerError):
    """A map service (WMS) address or answer that is refused: a bad scheme, a private address, no answer, too slow,
    too large, not XML, XML with entities, not a WMS capabilities document (loaders/official/map_services.py)."""
