"""The importers, by the names the command line and the import page use (`--format norskeutslipp|eea-f1_4|eutl|
kommunestatistikk`): one table, so loaders/official/importing.py (the types every import returns) imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from loaders.official.eea import read_eea_f1_4
from loaders.official.eutl import read_eutl
from loaders.official.importing import ImportResult, MunicipalImportResult
from loaders.official.kommunestatistikk import read_kommunestatistikk
from loaders.official.norskeutslipp import read_norskeutslipp

Importer = Callable[..., ImportResult | MunicipalImportResult]  # (path, known, **options)

IMPORTERS: dict[str, Importer] = {
    "norskeutslipp": read_norskeutslipp,
    "eea-f1_4": read_eea_f1_4,
    "eutl": read_eutl,
    # Municipal figures are not per facility: the known facilities mean nothing to it.
    "kommunestatistikk": lambda path, known=None, **options: read_kommunestatistikk(path, **options),
}
FORMATS = tuple(IMPORTERS)


def run_import(
    path: str | Path, fmt: str, known: pd.DataFrame | None = None, **options
) -> ImportResult | MunicipalImportResult:
    """Run the importer for `fmt` (one of FORMATS); `known` is the sources layer (ignored by kommunestatistikk)."""
    try:
        importer = IMPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    return importer(path, known, **options)
