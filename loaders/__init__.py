"""Reading and checking layer files; the bundled portfolio."""

from loaders.bundled import Portfolio, load_portfolio
from loaders.errors import (
    CoordinatesOutOfRange,
    CRSError,
    FileFormatError,
    LayerError,
    NeedsCRSChoice,
    NeedsLayerChoice,
    SchemaError,
    UnknownCRS,
    UnsafeArchive,
    UploadTooLarge,
)
from loaders.layers import parse_geojson, read_figures, read_layer, validate_records

__all__ = [
    "CRSError",
    "CoordinatesOutOfRange",
    "FileFormatError",
    "LayerError",
    "NeedsCRSChoice",
    "NeedsLayerChoice",
    "Portfolio",
    "SchemaError",
    "UnknownCRS",
    "UnsafeArchive",
    "UploadTooLarge",
    "load_portfolio",
    "parse_geojson",
    "read_figures",
    "read_layer",
    "validate_records",
]
