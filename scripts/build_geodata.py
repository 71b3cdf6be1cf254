"""Build the bundled register data and boundaries in geodata/ from ../shared/geodata, byte for byte the same each run.

    .venv/bin/python scripts/build_geodata.py [--shared DIR] [--out DIR] [--outlines DIR] [--sources DIR]

Reads (never at app run time; only this script and the tests read ../shared):
- `eprtr_f1_4_air_norway_2007_2017.csv`: the EEA's E-PRTR table F1_4, Norway, 2007–2017 (kg, CC BY 4.0);
- `trondelag_kommuner.geojson`: Trøndelag's 38 municipalities (Kartverket via robhop/fylker-og-kommuner, CC BY 4.0);
- `geodata/emission_sources.geojson` (or `--sources DIR`): the hand-made sources the register facilities are joined to.

Writes into `--out` (default geodata/):
- `eprtr_figures.csv`: every F1_4 row of a facility inside or within 2 km of a Trøndelag municipality, read by
  the app's own EEA importer (loaders/official/eea.py), kg → tonnes, with pollutant, FacilityInspireId,
  PublicationDate and licence on every row;
- `eprtr_facilities.geojson`: the register's facilities at the register's coordinates, each with the bundled
  source it is joined to (by name, by a recorded name mapping, or new) and why its position is preferred;
and into `--outlines` (default static/outlines/, served to the browser):
- `kommunegrenser.geojson`, `fylkesgrense.geojson`: the municipalities simplified (coverage simplification,
  so neighbours keep a shared edge) and the county as their union, coordinates to 5 decimals.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import Point, mapping  # noqa: E402

import config  # noqa: E402
from core.kommunenummer import MUNICIPALITIES  # noqa: E402
from core.schema import FIGURE_COLUMNS, FIGURE_OPTIONAL, FIGURE_SCOPES  # noqa: E402
from loaders.files.layers import read_layer  # noqa: E402
from loaders.official.eea import read_eea_f1_4  # noqa: E402

EPRTR_CSV = "eprtr_f1_4_air_norway_2007_2017.csv"
KOMMUNER_GEOJSON = "trondelag_kommuner.geojson"
FIGURES_NAME = "eprtr_figures.csv"
FACILITIES_NAME = "eprtr_facilities.geojson"
KOMMUNER_NAME = "kommunegrenser.geojson"
FYLKE_NAME = "fylkesgrense.geojson"
SIMPLIFY_DEG = 0.01  # Visvalingam–Whyatt tolerance (area ~ its square): ~4 600 vertices for the 38
DECIMALS = 5  # ~1 m

# The register's names that differ from ours (issue 12): register name -> bundled source id, and why.
NAME_MAPPINGS = {
    "Statkraft Varme- avfallsforbrenning": (
        "src-heimdal-varmesentral",
        "Statkraft Varmes avfallsforbrenning i Trondheim er Heimdal varmesentral",
    ),
    "Verdalskalk Hylla": ("src-hylla-kalkverk", "Verdalskalk AS driver kalkverket på Hylla i Inderøy"),
    "Wacker Chemicals Norway": (
        "src-wacker-holla",
        "Wacker Chemicals Norway i Kyrksæterøra (Heim) er Holla Metall",
    ),
}
POSITION_NOTE = {
    "quay": "E-PRTR-registerets koordinater for anlegget er brukt i stedet for kaipunktet (orcalabs/kyogre): "
    "registeret plasserer selve anlegget, kaipunktet bare kaia ({km} km unna)",
    "locality": "E-PRTR-registerets koordinater for anlegget er brukt i stedet for stedspunktet: "
    "registeret plasserer selve anlegget, vi bare stedsnavnet ({km} km unna)",
    "municipality": "E-PRTR-registerets koordinater for anlegget er brukt i stedet for kommunesenteret "
    "({km} km unna): kilden vår nevnte bare kommunen",
    "site": "E-PRTR-registerets koordinater for anlegget er brukt ({km} km fra punktet kilden vår oppga): "
    "registeret er den offisielle kilden for anleggets plassering",
    "new": "plassert etter E-PRTR-registerets koordinater for anlegget",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "geodata"
    parser.add_argument("--shared", type=Path, default=default_shared, help="the shared geodata folder")
    parser.add_argument("--out", type=Path, default=ROOT / "geodata", help="where to write (default geodata/)")
    parser.add_argument(
        "--outlines", type=Path, default=ROOT / "static" / "outlines", help="where the outlines go (static/outlines/)"
    )
    parser.add_argument("--sources", type=Path, default=ROOT / "geodata", help="folder of emission_sources.geojson")
    args = parser.parse_args(argv)
    written = build(args.shared, args.out, args.sources, args.outlines)
    for path in written:
        print(path)
    return 0


def build(shared: Path, out: Path, sources_dir: Path | None = None, outlines: Path | None = None) -> list[Path]:
    """Write the register files into `out` and the outlines into `outlines` (default: `out` too);
    `sources_dir` holds emission_sources.geojson (default geodata/)."""
    shared, out = Path(shared), Path(out)
    sources = read_layer(Path(sources_dir or ROOT / "geodata") / "emission_sources.geojson", "sources")
    kommuner = _municipalities(shared / KOMMUNER_GEOJSON)
    figures, facilities = register(shared / EPRTR_CSV, kommuner, sources)
    simplified = simplify(kommuner)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        FIGURES_NAME: figures_csv(figures),
        FACILITIES_NAME: feature_collection(facilities),
        KOMMUNER_NAME: feature_collection(
            [
                ({"kommunenummer": r["kommunenummer"], "name": r["name"]}, r["geometry"])
                for _, r in simplified.iterrows()
            ]
        ),
        FYLKE_NAME: feature_collection(
            [({"fylkesnummer": "50", "name": "Trøndelag"}, county(simplified))],
        ),
    }
    written = []
    for name, text in files.items():
        path = (Path(outlines or out) if name in (KOMMUNER_NAME, FYLKE_NAME) else out) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def _municipalities(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)
    frame = frame.rename(columns={"kommunenavn": "name_2024"})
    names = dict(zip(MUNICIPALITIES["kommunenummer"], MUNICIPALITIES["name"], strict=True))
    frame["kommunenummer"] = frame["kommunenummer"].astype(str).str.zfill(4)
    frame["name"] = frame["kommunenummer"].map(names)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame[["kommunenummer", "name", "geometry"]].sort_values("kommunenummer").reset_index(drop=True)


def register(csv_path: Path, kommuner: gpd.GeoDataFrame, sources: gpd.GeoDataFrame):
    """The register's Trøndelag figures (a frame) and facilities (properties, Point) through the EEA importer."""
    metric = kommuner.to_crs(config.METRIC_CRS)
    near = shapely.union_all(metric.geometry.values).buffer(config.EPRTR_NEAR_M)
    area = gpd.GeoSeries([near], crs=config.METRIC_CRS).to_crs(config.CRS).iloc[0]
    aliases = pd.DataFrame([{"id": sid, "facility": name} for name, (sid, _) in NAME_MAPPINGS.items()])
    known = pd.concat([sources[["id", "facility"]], aliases], ignore_index=True)
    result = read_eea_f1_4(csv_path, known, country="Norway", area=area, source=config.EEA_SOURCE_URL)
    if result.summary.rows_skipped - sum(v for k, v in result.summary.skipped.items() if str(k).startswith("outside")):
        raise SystemExit(f"rows skipped for another reason than place: {result.summary.skipped}")
    by_id = sources.set_index("id")
    facilities = []
    for row in result.facilities.sort_values("inspire_id").to_dict("records"):
        point = row["geometry"]
        number, distance = _municipality_of(point, metric)
        facility_id = row["facility_id"]
        if row["name"] in NAME_MAPPINGS:
            joined, join_note = "mapping", NAME_MAPPINGS[row["name"]][1]
        elif row["matched_by"]:
            joined, join_note = row["matched_by"], "samme navn i registeret og i kildene våre"
        else:
            joined, join_note = "new", "nytt anlegg fra registeret"
        if facility_id in by_id.index:
            known_source = by_id.loc[facility_id]
            km = _distance_km(known_source.geometry, point)
            position_note = POSITION_NOTE[known_source["location_precision"]].format(km=km)
        else:
            position_note = POSITION_NOTE["new"]
        years = result.figures.loc[result.figures["facility_id"] == facility_id, "year"]
        facilities.append(
            (
                {
                    "id": facility_id,
                    "inspire_id": row["inspire_id"],
                    "register_name": row["name"],
                    "city": row["city"],
                    "municipality": MUNICIPALITIES.set_index("kommunenummer").loc[number, "short_name"],
                    "kommunenummer": number,
                    "outside_m": distance,
                    "sector": row["sector"],
                    "joined_by": joined,
                    "join_note": join_note,
                    "position_note": position_note,
                    "first_year": int(years.min()),
                    "last_year": int(years.max()),
                    "publication_date": _one(result.figures, facility_id, "publication_date"),
                    "source_url": config.EEA_SOURCE_URL,
                    "licence": config.EEA_CREDIT,
                },
                point,
            )
        )
    return result.figures, facilities


def _municipality_of(point: Point, metric: gpd.GeoDataFrame) -> tuple[str, int]:
    """The municipality containing the point, else the nearest (within EPRTR_NEAR_M); metres outside, rounded."""
    here = gpd.GeoSeries([point], crs=config.CRS).to_crs(config.METRIC_CRS).iloc[0]
    distances = metric.distance(here)
    index = distances.idxmin()
    return metric.at[index, "kommunenummer"], int(round(float(distances[index])))


def _distance_km(a, b) -> str:
    pair = gpd.GeoSeries([a, b], crs=config.CRS).to_crs(config.METRIC_CRS)
    return f"{pair.iloc[0].distance(pair.iloc[1]) / 1000:.1f}".replace(".", ",")


def _one(figures: pd.DataFrame, facility_id: str, column: str) -> str:
    values = sorted(set(figures.loc[figures["facility_id"] == facility_id, column]))
    return " ; ".join(values)


def figures_csv(figures: pd.DataFrame) -> str:
    order = {scope: i for i, scope in enumerate(FIGURE_SCOPES)}
    frame = figures.assign(_scope=figures["scope"].map(order)).sort_values(
        ["facility_id", "_scope", "year"], kind="stable"
    )
    columns = [*FIGURE_COLUMNS, *FIGURE_OPTIONAL]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in frame.to_dict("records"):
        writer.writerow(["" if row[c] is None or row[c] is pd.NA else _cell(row[c]) for c in columns])
    return buffer.getvalue()


def _cell(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def simplify(kommuner: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Coverage-simplified municipalities (shared edges stay shared), snapped to DECIMALS."""
    geometry = shapely.coverage_simplify(kommuner.geometry.values, SIMPLIFY_DEG)
    geometry = shapely.make_valid(shapely.set_precision(geometry, 10**-DECIMALS))
    return kommuner.assign(geometry=geometry)


def county(kommuner: gpd.GeoDataFrame):
    return shapely.set_precision(shapely.union_all(kommuner.geometry.values), 10**-DECIMALS)


def feature_collection(items: list[tuple[dict, object]]) -> str:
    features = [
        {"type": "Feature", "properties": properties, "geometry": _rounded(mapping(geometry))}
        for properties, geometry in items
    ]
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
        + "\n"
    )


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(v), DECIMALS) for v in value]
            return [walk(v) for v in value]
        return value

    if geometry["type"] == "Point":
        return {"type": "Point", "coordinates": [float(v) for v in geometry["coordinates"]]}  # as the register prints
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


if __name__ == "__main__":
    raise SystemExit(main())
