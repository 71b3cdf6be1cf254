"""Reading an export back with geopandas, pandas or openpyxl; the export panel's settings for an offline map."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from exports.data import LICENCE_TABLE
from ui.export_panel import ExportSettings


def read_layers(data: bytes, fmt: str, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """Each layer of an export read back with geopandas, pandas or openpyxl as its format needs."""
    if fmt == "geojson":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {n: gpd.read_file(io.BytesIO(archive.read(f"{n}.geojson"))) for n in ("parks", "sources", "members")}
    if fmt == "gpkg":
        path = tmp_path / "generated_export.gpkg"
        path.write_bytes(data)
        return {n: gpd.read_file(path, layer=n) for n in ("parks", "sources", "members", LICENCE_TABLE)}
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = ("parks", "sources", "members", LICENCE_TABLE)
            return {
                n: pd.read_csv(io.BytesIO(archive.read(f"{n}.csv")), encoding="utf-8-sig", dtype=str) for n in names
            }
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str)
    return dict(zip(("parks", "sources", "members", LICENCE_TABLE), sheets.values(), strict=True))


def offline_settings(title: str, subtitle: str, day) -> ExportSettings:
    """The export panel's settings for all three layers around Orkanger, in bokmål, with no basemap tiles (the
    municipal boundaries are the background, so nothing is fetched)."""
    return ExportSettings(
        visible={"parks", "sources", "members"},
        basemap="none",
        colours={},
        lang="nb",
        map_view=(63.31, 9.86, 12),
        title=title,
        subtitle=subtitle,
        day=day,
    )
