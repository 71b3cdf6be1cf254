"""The bundled Trøndelag starter portfolio in geodata/.

The hand-made sources and figures (emission_sources.geojson, emission_figures.csv) are joined to the EEA
register's facilities and figures (eprtr_facilities.geojson, eprtr_figures.csv, made by
scripts/build_geodata.py): a known source takes the register's coordinates (each facility records why) and
its FacilityInspireId; a register facility we had no record of becomes a source of its own. Then the EU ETS
installations (ets_installations.geojson, ets_figures.csv, made by the same script): each joined source gets its
EUTL id(s) and the register's name, an installation that is no source yet becomes one where the script placed it.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from config import GEODATA_DIR
from core.kommunenummer import MUNICIPALITIES
from core.portfolio import Portfolio
from core.values import is_missing
from loaders.errors import SchemaError
from loaders.files.layers import read_figures, read_layer


def load_portfolio(directory: str | Path = GEODATA_DIR) -> Portfolio:
    directory = Path(directory)
    sources = read_layer(directory / "emission_sources.geojson", "sources")
    figures = read_figures(directory / "emission_figures.csv")
    register = directory / "eprtr_facilities.geojson"
    if register.exists():
        sources = with_register(sources, gpd.read_file(register))
    installations = directory / "ets_installations.geojson"
    if installations.exists():
        sources = with_ets(sources, gpd.read_file(installations))
    for name in ("eprtr_figures.csv", "ets_figures.csv"):
        if (directory / name).exists():
            figures = pd.concat([figures, read_figures(directory / name)], ignore_index=True)
    figures["year"] = figures["year"].astype("Int64")
    unknown = sorted(set(figures["facility_id"]) - set(sources["id"]))
    if unknown:
        raise SchemaError(None, "facility_id", "bundled_source", unknown[0])
    return Portfolio(
        parks=read_layer(directory / "parks.geojson", "parks"),
        sources=sources,
        members=read_layer(directory / "cluster_members.geojson", "members"),
        figures=figures,
        municipalities=MUNICIPALITIES[["kommunenummer", "name"]].copy(),
    )


def with_register(sources: gpd.GeoDataFrame, register: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The sources joined to the register's facilities (eprtr_facilities.geojson), with an `inspire_id` column."""
    sources = sources.copy()
    new = []
    for row in register.to_dict("records"):
        mark = f"E-PRTR: «{row['register_name']}», FacilityInspireId {row['inspire_id']}"
        if row["id"] in set(sources["id"]):
            index = sources.index[sources["id"] == row["id"]][0]
            note = sources.at[index, "note"]
            added = f"{mark}. {row['position_note']}."
            sources.at[index, "note"] = added if is_missing(note) else f"{note.rstrip()} {added}"
            sources.at[index, "source_url"] = f"{sources.at[index, 'source_url']} ; {row['source_url']}"
            sources.at[index, "location_precision"] = "site"
            sources.at[index, "inspire_id"] = row["inspire_id"]
            sources.loc[[index], "geometry"] = gpd.GeoSeries([row["geometry"]], index=[index], crs=sources.crs)
        else:
            new.append(_new_source(row, mark, row["register_name"], "site", inspire_id=row["inspire_id"]))
    return _with_new(sources, new)


def with_ets(sources: gpd.GeoDataFrame, installations: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The sources with the EU ETS installations joined (ets_installations.geojson): an `eutl_id` column
    (" ; "-separated where one source holds several accounts) and new sources for installations of their own."""
    sources = sources.copy()
    if "eutl_id" not in sources:
        sources["eutl_id"] = None
    new = []
    for row in installations.to_dict("records"):
        mark = f"EU ETS: «{row['register_name']}», installasjon {row['eutl_id']}, tillatelse {row['permit_id']}"
        if row["id"] in set(sources["id"]):
            index = sources.index[sources["id"] == row["id"]][0]
            ids, note = sources.at[index, "eutl_id"], sources.at[index, "note"]
            sources.at[index, "eutl_id"] = row["eutl_id"] if is_missing(ids) else f"{ids} ; {row['eutl_id']}"
            added = f"{mark} ({row['join_note']})."
            sources.at[index, "note"] = added if is_missing(note) else f"{note.rstrip()} {added}"
            sources.at[index, "source_url"] = f"{sources.at[index, 'source_url']} ; {row['source_url']}"
        else:
            new.append(
                _new_source(
                    row, mark, row["facility"], row["location_precision"], row["operator"], eutl_id=row["eutl_id"]
                )
            )
    return _with_new(sources, new)


def _new_source(
    row: dict, mark: str, facility: str, precision: str, operator=None, inspire_id=None, eutl_id=None
) -> dict:
    """A register's facility that is no source yet, as a source record: what every register row gives (place,
    sector, source, year, geometry; the note starts with `mark`), and what differs between the registers."""
    return {
        "id": row["id"],
        "facility": facility,
        "operator": operator,
        "orgnr": None,
        "inspire_id": inspire_id,
        "eutl_id": eutl_id,
        "location_precision": precision,
        "municipality": row["municipality"],
        "kommunenummer": row["kommunenummer"],
        "sector": row["sector"],
        "note": f"{mark}; {row['join_note']}. {row['position_note']}.",
        "source_url": row["source_url"],
        "source_year": int(row["last_year"]),
        "geometry": row["geometry"],
    }


def _with_new(sources: gpd.GeoDataFrame, new: list[dict]) -> gpd.GeoDataFrame:
    """`sources` with the register's facilities that were no source yet (records in the sources' columns)."""
    if not new:
        return sources
    added = gpd.GeoDataFrame(new, geometry="geometry", crs=sources.crs)[sources.columns]
    joined = gpd.GeoDataFrame(pd.concat([sources, added], ignore_index=True), crs=sources.crs)
    joined["source_year"] = joined["source_year"].astype(sources["source_year"].dtype)
    return joined


def with_stored_layers(portfolio: Portfolio, stored: list[tuple[int, str, gpd.GeoDataFrame]]) -> Portfolio:
    """The portfolio with uploaded layers of a known kind added to the bundled ones.

    `stored` holds (layer id, kind, frame) for visible layers; their ids get a "L<layer id>:" prefix,
    so two layers (or a layer and the bundled data) can never claim the same feature id.
    """
    extra: dict[str, list[gpd.GeoDataFrame]] = {"parks": [], "sources": [], "members": []}
    for layer_id, kind, frame in stored:
        if kind in extra and len(frame):
            frame = frame.copy()
            frame["id"] = [f"L{layer_id}:{value}" for value in frame["id"]]
            extra[kind].append(frame)

    def joined(kind: str) -> gpd.GeoDataFrame:
        bundled = getattr(portfolio, kind)
        if not extra[kind]:
            return bundled
        frames = [bundled, *(f.reindex(columns=bundled.columns) for f in extra[kind])]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=bundled.crs)

    return Portfolio(
        parks=joined("parks"),
        sources=joined("sources"),
        members=joined("members"),
        figures=portfolio.figures,
        municipalities=portfolio.municipalities,
    )
