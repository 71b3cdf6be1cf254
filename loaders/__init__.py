"""Reading and checking layer files; the bundled portfolio."""

from loaders.bundled.portfolio import Portfolio, load_portfolio
from loaders.errors import (
    CoordinatesOutOfRange,
    CRSError,
    FileFormatError,
    LayerError,
    LayerTooLarge,
    NeedsCRSChoice,
    NeedsLayerChoice,
    SchemaError,
    TooManyFeatures,
    TooManyFields,
    TooManyVertices,
    UnknownCRS,
    UnsafeArchive,
    UploadTooLarge,
)
from loaders.files.layers import parse_geojson, read_figures, read_layer, validate_records

__all__ = [
    "CRSError",
    "CoordinatesOutOfRange",
    "FileFormatError",
    "LayerError",
    "LayerTooLarge",
    "NeedsCRSChoice",
    "NeedsLayerChoice",
    "Portfolio",
    "SchemaError",
    "TooManyFeatures",
    "TooManyFields",
    "TooManyVertices",
    "UnknownCRS",
    "UnsafeArchive",
    "UploadTooLarge",
    "load_portfolio",
    "parse_geojson",
    "read_figures",
    "read_layer",
    "validate_records",
]
