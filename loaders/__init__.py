"""Reading and checking layer files; the bundled portfolio. The names the pages and tests use most; the rest of
the typed errors are in loaders/errors.py."""

from loaders.bundled.portfolio import Portfolio, load_portfolio
from loaders.errors import CRSError, FileFormatError, LayerError, SchemaError
from loaders.files.layers import parse_geojson, read_figures, read_layer

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
]
