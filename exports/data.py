"""The filtered data as files: GeoJSON, GeoPackage, CSV and XLSX, each with the sources and licences.

- geojson: a zip of one RFC 7946 FeatureCollection per layer (parks.geojson, sources.geojson,
  members.geojson) plus SOURCES.txt. One collection cannot hold three layers with different columns and
  still reopen as three tables, so the layers are separate files.
- gpkg: one spatial table per layer plus the non-spatial table `sources_licence`.
- csv: a zip of parks.csv, sources.csv, members.csv (UTF-8 with BOM so Excel reads æøå; geometry as WKT)
  plus sources_licence.csv and SOURCES.txt.
- xlsx: one sheet per layer plus a "Kilder og lisens" / "Sources and licence" sheet.

Columns keep their schema names (geodata/README.md) in both languages; lists (parks' themes) are written
as "a; b" text. CSV and XLSX are written by exports.tables, so a spreadsheet never evaluates a value: a text
cell starting with = + - @ (or a tab or carriage return) gets a leading ' and XLSX never stores a formula.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

import config
from analysis.filters import View
from core.text import attribution_text
from core.values import is_missing
from exports.errors import ExportDataError, ExportOptionError
from exports.options import LAYERS
from exports.tables import csv_bytes, xlsx_bytes
from i18n import DEFAULT_LANGUAGE, LANGUAGES, fmt_date, t

FORMATS = ("geojson", "gpkg", "csv", "xlsx")
EXTENSIONS = {"geojson": "geojson.zip", "gpkg": "gpkg", "csv": "csv.zip", "xlsx": "xlsx"}
MIME_TYPES = {
    "geojson": "application/zip",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LICENCE_TABLE = "sources_licence"
LICENCE_COLUMNS = ["kind", "layer", "id", "name", "source_url", "source_year", "text"]
NAME_COLUMNS = {"parks": "name", "sources": "facility", "members": "company"}
EXCEL_CELL_LIMIT = 32_767  # characters


def export_data(view: View, fmt: str = "geojson", lang: str = DEFAULT_LANGUAGE, day: date | None = None) -> bytes:
    """The view's three layers as one file (see the module docstring for what each format holds)."""
    _validate(view, fmt, lang)
    layers = {name: _plain_frame(getattr(view, name)) for name in LAYERS}
    licence = licence_table(view, lang)
    day = day or date.today()
    if fmt == "geojson":
        return _geojson_zip(layers, licence, lang, day)
    if fmt == "gpkg":
        return _gpkg(layers, licence)
    if fmt == "csv":
        return _csv_zip(layers, licence, lang, day)
    return _xlsx(layers, licence, lang)


def export_filename(fmt: str, day: date | None = None) -> str:
    """industrikart-trondelag-2026-11-25.gpkg, ...-2026-11-25.geojson.zip and so on."""
    if fmt not in FORMATS:
        raise ExportOptionError("export_unknown_data_format", format=fmt, choices=FORMATS)
    return f"industrikart-trondelag-{(day or date.today()).isoformat()}.{EXTENSIONS[fmt]}"


def _validate(view: View, fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ExportOptionError("export_unknown_data_format", format=fmt, choices=FORMATS)
    if lang not in LANGUAGES:
        raise ExportOptionError("export_unknown_language", language=lang, choices=LANGUAGES)
    for name in LAYERS:
        frame = getattr(view, name, None)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            raise ExportDataError("export_layer_no_crs", layer=name)
        for column in ("id", NAME_COLUMNS[name], "source_url", "source_year"):
            if column not in frame.columns:
                raise ExportDataError("export_layer_no_column", layer=name, column=column)


def _plain_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """WGS84, geometry last, list values as 'a; b' text (no file format here has a list type)."""
    out = frame.to_crs(config.CRS).reset_index(drop=True)
    for name in out.columns:
        maybe_lists = name != out.geometry.name and out[name].dtype == object
        if maybe_lists and out[name].map(lambda v: isinstance(v, list | tuple)).any():
            out[name] = out[name].map(_join_list).astype("string")
    columns = [c for c in out.columns if c != out.geometry.name] + [out.geometry.name]
    return out[columns]


def _join_list(value: object) -> object:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


# --- sources and licences -------------------------------------------------------------------


def licence_table(view: View, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """One row per record (its source URL and year), per figure, per licence paragraph and per basemap."""
    rows = [{"kind": "note", "text": t("export_licence_intro", lang)}]
    for name in LAYERS:
        for record in getattr(view, name).to_dict("records"):
            rows.append(
                {
                    "kind": "record",
                    "layer": name,
                    "id": record["id"],
                    "name": record[NAME_COLUMNS[name]],
                    "source_url": record["source_url"],
                    "source_year": record["source_year"],
                }
            )
            if name == "sources" and not is_missing(record.get("figure_t")):
                rows.append(
                    {
                        "kind": "figure",
                        "layer": name,
                        "id": record["id"],
                        "name": record["facility"],
                        "source_url": record.get("figure_source"),
                        "source_year": record.get("figure_year"),
                        "text": record.get("figure_quote"),
                    }
                )
    rows.extend({"kind": "licence", "text": paragraph} for paragraph in _licence_paragraphs(lang))
    for key, basemap in config.BASEMAPS.items():
        if basemap.url:
            rows.append(
                {
                    "kind": "basemap",
                    "id": key,
                    "name": t(f"basemap_{key}", lang),
                    "source_url": _first_link(basemap.attribution),
                    "text": attribution_text(basemap.attribution),
                }
            )
    table = pd.DataFrame(rows, columns=LICENCE_COLUMNS)
    table["source_year"] = pd.array([None if is_missing(v) else int(v) for v in table["source_year"]], dtype="Int64")
    for column in LICENCE_COLUMNS:
        if column != "source_year":
            table[column] = table[column].map(lambda v: None if is_missing(v) else str(v)).astype("string")
    return table


def _licence_paragraphs(lang: str) -> list[str]:
    """The 'Sources and licences' section of the data folder's README, one string per paragraph."""
    path = Path(config.GEODATA_README)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    match = re.search(r"^## Sources and licences\s*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if not match:
        return [t("export_licence_missing", lang)]
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", match.group(1))]
    return [p for p in paragraphs if p]


def _first_link(attribution: str) -> str | None:
    match = re.search(r'href="(https?://[^"]+)"', attribution)
    return html.unescape(match.group(1)) if match else None


def _sources_txt(licence: pd.DataFrame, lang: str, day: date) -> str:
    def rows(kind: str) -> pd.DataFrame:
        return licence[licence["kind"] == kind]

    def cell(value: object) -> str:
        return "" if is_missing(value) else str(value)

    lines = [
        f"{t('app_title', lang)} – {t('export_sheet_licence', lang)}",
        t("export_exported", lang, date=fmt_date(day, lang)),
    ]
    lines += [cell(r.text) for r in rows("note").itertuples()]
    lines += ["", f"== {t('export_heading_licences', lang)} =="]
    lines += [cell(r.text) + "\n" for r in rows("licence").itertuples()]
    lines += [f"== {t('export_heading_basemaps', lang)} =="]
    lines += [f"{cell(r.name)}: {cell(r.text)} ({cell(r.source_url)})" for r in rows("basemap").itertuples()]
    lines += ["", f"== {t('export_heading_records', lang)} =="]
    year_unknown = t("year_unknown", lang)
    for r in licence[licence["kind"].isin(["record", "figure"])].itertuples():
        year = cell(r.source_year) or year_unknown
        what = f"{r.layer}/{r.id}" + (f" ({t('figures', lang).lower()}: {cell(r.text)})" if r.kind == "figure" else "")
        lines.append(f"{what} – {cell(r.name)}: {cell(r.source_url)} ({year})")
    return "\n".join(lines) + "\n"


# --- formats --------------------------------------------------------------------------------


def _geojson_zip(layers: dict[str, gpd.GeoDataFrame], licence: pd.DataFrame, lang: str, day: date) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with tempfile.TemporaryDirectory(prefix="industrikart-export-") as folder:
            for name, frame in layers.items():
                path = Path(folder) / f"{name}.geojson"
                # RFC7946=YES: WGS84, right-hand rings, 7 decimals (about 1 cm), no crs member.
                pyogrio.write_dataframe(
                    frame, path, driver="GeoJSON", layer=name, layer_options={"RFC7946": "YES", "WRITE_NAME": "YES"}
                )
                archive.write(path, f"{name}.geojson")
        archive.writestr("SOURCES.txt", _sources_txt(licence, lang, day))
    return buffer.getvalue()


def _gpkg(layers: dict[str, gpd.GeoDataFrame], licence: pd.DataFrame) -> bytes:
    with tempfile.TemporaryDirectory(prefix="industrikart-export-") as folder:
        path = Path(folder) / "export.gpkg"
        for name, frame in layers.items():
            pyogrio.write_dataframe(
                frame, path, layer=name, driver="GPKG", geometry_type="Unknown" if frame.empty else None
            )
        pyogrio.write_dataframe(licence, path, layer=LICENCE_TABLE, driver="GPKG")  # no geometry: an attribute table
        return path.read_bytes()


def _csv_zip(layers: dict[str, gpd.GeoDataFrame], licence: pd.DataFrame, lang: str, day: date) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in layers.items():
            archive.writestr(f"{name}.csv", csv_bytes(_with_wkt(frame)))
        archive.writestr(f"{LICENCE_TABLE}.csv", csv_bytes(licence))
        archive.writestr("SOURCES.txt", _sources_txt(licence, lang, day))
    return buffer.getvalue()


def _with_wkt(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The frame with its geometry as WKT text in a column still called 'geometry' (GDAL's CSV reader finds it)."""
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out["geometry"] = pd.array(shapely.to_wkt(frame.geometry.values, rounding_precision=7, trim=True), dtype="string")
    return out


def _xlsx(layers: dict[str, gpd.GeoDataFrame], licence: pd.DataFrame, lang: str) -> bytes:
    sheets = {}
    for name, frame in layers.items():
        table = _with_wkt(frame)
        too_long = table["geometry"].str.len() > EXCEL_CELL_LIMIT
        table.loc[too_long.fillna(False), "geometry"] = t("export_geometry_too_long", lang)
        sheets[t(f"export_sheet_{name}", lang)] = table
    sheets[t("export_sheet_licence", lang)] = licence
    return xlsx_bytes(sheets)
