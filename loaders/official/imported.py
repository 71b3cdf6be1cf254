"""Imported emission data in the layer store: how an import is saved, and how the pages read it back.

An import is saved as up to three layers:
- kind "figures": the figure table (FIGURE_COLUMNS plus the facility's name, municipality and number as
  the file gives them: FACILITY_EXTRA), one row per figure, no geometry;
- kind "sources": the import's *unmatched* facilities that have a position (EEA gives coordinates),
  in the sources schema, so their figures can be drawn; matched facilities are already known;
- kind "municipal_statistics": Miljødirektoratet's municipal table (MUNICIPAL_COLUMNS), no geometry.

`read_imported(store)` gathers every visible layer of these kinds, oldest first, so later imports
come after earlier ones (analysis/emissions.py lets the last figure for a facility, year and scope win).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from config import CRS
from core.schema import FIGURE_COLUMNS, FIGURE_OPTIONAL, SOURCES
from loaders.official.importing import MUNICIPAL_COLUMNS, ImportResult, MunicipalImportResult
from store import Origin

FIGURES_KIND = "figures"
SOURCES_KIND = "sources"
MUNICIPAL_KIND = "municipal_statistics"
SOURCE_COLUMNS = [f.name for f in SOURCES.fields]
# Kept with each imported figure, so a facility not yet on the map still has a name and a municipality.
FACILITY_EXTRA = ("facility_name", "facility_municipality", "facility_kommunenummer")


@dataclass(frozen=True)
class Imported:
    """Everything imported so far, ready to add to the bundled data."""

    figures: pd.DataFrame = field(default_factory=lambda: empty_figures())
    sources: gpd.GeoDataFrame = field(default_factory=lambda: empty_sources())
    municipal: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MUNICIPAL_COLUMNS)))
    titles: tuple[str, ...] = ()  # the store layers read, for a caption
    revision: tuple = ()  # what they were read from (the store and its listing); () when not known

    @property
    def empty(self) -> bool:
        return self.figures.empty and self.municipal.empty


def empty_figures() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FIGURE_COLUMNS)).astype({"year": "Int64", "amount_t": float})


def empty_sources() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns=[*SOURCE_COLUMNS, "geometry"], geometry="geometry", crs=CRS)


def _no_geometry(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=gpd.GeoSeries([None] * len(frame), crs=CRS))


def figures_layer(result: ImportResult) -> gpd.GeoDataFrame:
    """The figures, plus each facility's name as the file gives it (for facilities not yet on the map)."""
    facilities = result.facilities.set_index("facility_id")
    ids = result.figures["facility_id"]
    optional = [c for c in FIGURE_OPTIONAL if c in result.figures.columns]
    figures = result.figures[[*FIGURE_COLUMNS, *optional]].assign(
        facility_name=ids.map(facilities["name"]),
        facility_municipality=ids.map(facilities["municipality"]),
        facility_kommunenummer=ids.map(facilities["kommunenummer"]),
    )
    return _no_geometry(figures)


def municipal_layer(result: MunicipalImportResult) -> gpd.GeoDataFrame:
    return _no_geometry(result.table[list(MUNICIPAL_COLUMNS)])


def sources_layer(result: ImportResult) -> gpd.GeoDataFrame:
    """The unmatched facilities with a position, as sources (placed at the coordinates the file reports)."""
    facilities = result.unmatched
    facilities = facilities[facilities.geometry.notna()]
    frame = pd.DataFrame(
        {
            "id": facilities["facility_id"],
            "facility": facilities["name"],
            "operator": None,
            "orgnr": facilities["orgnr"],
            "municipality": facilities["municipality"].fillna(facilities["city"]),
            "kommunenummer": facilities["kommunenummer"],
            "sector": facilities["sector"],
            "note": facilities["note"],
            "source_url": result.source,
            "source_year": None,
            "location_precision": "site",
        }
    )
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=facilities.geometry.values, crs=CRS)


def save_import(store, result: ImportResult | MunicipalImportResult, title: str, uploader: str = "") -> list:
    """Save an import's layers in `store`; returns their LayerInfo records."""
    origin = Origin(original_filename=result.source, uploader=uploader)
    if isinstance(result, MunicipalImportResult):
        return [store.save(municipal_layer(result), title, MUNICIPAL_KIND, origin)]
    saved = [store.save(figures_layer(result), title, FIGURES_KIND, origin)]
    placed = sources_layer(result)
    if not placed.empty:
        saved.append(store.save(placed, f"{title}: facilities", SOURCES_KIND, origin))
    return saved


def read_imported(store) -> Imported:
    """Every visible figures, sources and municipal-statistics layer in `store`, oldest first."""
    figures, sources, municipal, titles = [], [], [], []
    for info in store.list():
        if not info.visible or info.kind not in (FIGURES_KIND, SOURCES_KIND, MUNICIPAL_KIND):
            continue
        frame = store.read(info.id)
        if info.kind == FIGURES_KIND:
            figures.append(_columns(frame, [*FIGURE_COLUMNS, *FIGURE_OPTIONAL, *FACILITY_EXTRA]))
        elif info.kind == MUNICIPAL_KIND:
            municipal.append(_columns(frame, MUNICIPAL_COLUMNS))
        else:
            placed = frame[frame.geometry.notna()]
            sources.append(gpd.GeoDataFrame(_columns(placed, SOURCE_COLUMNS), geometry=placed.geometry.values, crs=CRS))
        titles.append(info.title)
    return Imported(
        figures=_figures(figures),
        sources=pd.concat(sources, ignore_index=True) if sources else empty_sources(),
        municipal=_municipal(municipal),
        titles=tuple(titles),
    )


def _columns(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """The wanted columns (missing ones empty) as object columns, missing values as None."""
    out = pd.DataFrame({c: frame.get(c) for c in columns}, index=frame.index).astype(object)
    return out.where(out.notna(), None).reset_index(drop=True)


def _figures(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return empty_figures()
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = pd.array([None if v is None else int(v) for v in frame["year"]], dtype="Int64")
    frame["amount_t"] = frame["amount_t"].astype(float)
    return frame


def _municipal(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=list(MUNICIPAL_COLUMNS))
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = pd.array([None if v is None else int(v) for v in frame["year"]], dtype="Int64")
    frame["amount_t"] = frame["amount_t"].astype(float)
    return frame


def combine_sources(bundled: gpd.GeoDataFrame, imported: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The bundled sources plus imported ones; an imported source never replaces a bundled one's record."""
    new = imported[~imported["id"].isin(bundled["id"])].drop_duplicates("id", keep="last")
    if new.empty:
        return bundled
    return gpd.GeoDataFrame(pd.concat([bundled, new[bundled.columns]], ignore_index=True), crs=CRS)


def combine_figures(bundled: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    """Bundled figures first, then the imported ones in the order they were saved (later rows win)."""
    if imported.empty:
        return bundled
    frame = pd.concat([bundled, imported], ignore_index=True)
    frame["year"] = frame["year"].astype("Int64")
    return frame
