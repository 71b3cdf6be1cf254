"""Reading and checking layer files; the bundled portfolio."""

from loaders.bundled import Portfolio, load_portfolio
from loaders.errors import CRSError, FileFormatError, LayerError, SchemaError
from loaders.layers import parse_geojson, read_figures, read_layer, validate_records

__all__ = [
    "CRSError",
    "FileFormatError",
    "LayerError",
    "Portfolio",
    "SchemaError",
    "load_portfolio",
    "parse_geojson",
    "read_figures",
    "read_layer",
    "validate_records",
]
