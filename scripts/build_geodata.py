"""Build the bundled register data and boundaries in geodata/ from ../shared/geodata, byte for byte the same each run.

    .venv/bin/python scripts/build_geodata.py [--shared DIR] [--out DIR] [--outlines DIR] [--sources DIR]

Reads (never at app run time; only this script and the tests read ../shared):
- `eprtr_f1_4_air_norway_2007_2017.csv`: the EEA's E-PRTR table F1_4, Norway, 2007–2017 (kg, CC BY 4.0);
- `eutl_installations_norway_2005_2022.csv`: the EU Transaction Log's Norwegian accounts with verified emissions,
  free allocation and compliance code per year (t CO₂-eq., CC BY 4.0);
- `trondelag_kommuner.geojson`: Trøndelag's 38 municipalities (Kartverket via robhop/fylker-og-kommuner, CC BY 4.0);
- `geodata/emission_sources.geojson` (or `--sources DIR`): the hand-made sources the register facilities are joined to.

Writes into `--out` (default geodata/):
- `eprtr_figures.csv`: every F1_4 row of a facility inside or within 2 km of a Trøndelag municipality, read by
  the app's own EEA importer (loaders/official/eea.py), kg → tonnes, with pollutant, FacilityInspireId,
  PublicationDate and licence on every row;
- `eprtr_facilities.geojson`: the register's facilities at the register's coordinates, each with the bundled
  source it is joined to (by name, by a recorded name mapping, or new) and why its position is preferred;
- `ets_figures.csv`: the verified emissions of every Trøndelag installation in the EU ETS, read by the app's own
  EUTL importer (loaders/official/eutl.py), with free allocation, compliance code, installation and permit id;
- `ets_installations.geojson`: those installations, each joined to the source it is (ETS_INSTALLATIONS: the
  recorded mapping and its reason), its municipality from where the plant is (with the reason), and a position only
  for an installation that is a source of its own;
- `ets_excluded.csv`: every other row of the table that names a Trøndelag place, with the reason it is left out;
and into `--outlines` (default static/outlines/, served to the browser):
- `kommunegrenser.geojson`, `fylkesgrense.geojson`: the municipalities simplified (coverage simplification,
  so neighbours keep a shared edge) and the county as their union, coordinates to 5 decimals;
- `outlines.js`: the same two, as the script a map's frame loads with Leaflet (maps/outlines.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import Point, mapping  # noqa: E402

import config  # noqa: E402
from core.kommunenummer import MUNICIPALITIES  # noqa: E402
from core.schema import FIGURE_COLUMNS, FIGURE_OPTIONAL, FIGURE_SCOPES  # noqa: E402
from loaders.files.layers import read_layer  # noqa: E402
from loaders.official.eea import Selection, read_eea_f1_4  # noqa: E402
from loaders.official.eutl import Exclusion, read_eutl  # noqa: E402

EPRTR_CSV = "eprtr_f1_4_air_norway_2007_2017.csv"
EUTL_CSV = "eutl_installations_norway_2005_2022.csv"
KOMMUNER_GEOJSON = "trondelag_kommuner.geojson"
FIGURES_NAME = "eprtr_figures.csv"
FACILITIES_NAME = "eprtr_facilities.geojson"
ETS_FIGURES_NAME = "ets_figures.csv"
ETS_INSTALLATIONS_NAME = "ets_installations.geojson"
ETS_EXCLUDED_NAME = "ets_excluded.csv"
KOMMUNER_NAME = "kommunegrenser.geojson"
FYLKE_NAME = "fylkesgrense.geojson"
OUTLINES_SCRIPT_NAME = "outlines.js"
SIMPLIFY_DEG = 0.01  # Visvalingam–Whyatt tolerance (area ~ its square): ~4 600 vertices for the 38
DECIMALS = 5  # ~1 m

# The register's names that differ from ours: register name -> bundled source id, and why.
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

# The EU ETS installations in Trøndelag: EUTL id -> (the source it is, why; kommunenummer, why there).
# The table's EPRTRIdentification holds the E-PRTR activity code ("3.(e)"), not a FacilityInspireId, so every
# join is a recorded mapping; the municipality comes from where the plant is, never from the contact address.
_EPRTR_PLACE = "E-PRTR-registerets koordinater for anlegget ligger i kommunen"
ETS_INSTALLATIONS = {
    "26": ("src-glava-stjordal", "Glava AS Stjørdal er E-PRTR-anlegget Glava Stjørdal", "5035", _EPRTR_PLACE),
    "51": ("src-norfrakalk", "NorFraKalk AS er E-PRTR-anlegget NorFraKalk på Ørin", "5038", _EPRTR_PLACE),
    "57": ("src-norske-skog-skogn", "Norske Skog Skogn AS er E-PRTR-anlegget Norske Skog Skogn", "5037", _EPRTR_PLACE),
    "61": (
        "src-ranheim-paper",
        "installasjonen «avd papir og papp» er papirfabrikken på Ranheim (adresse Ranheim, 7055)",
        "5001",
        "Ranheim ligger i Trondheim kommune",
    ),
    "94": (
        "src-sodra-cell-folla",
        "Södra Cell Folla AS, cellulosefabrikken i Follafoss (adresse Follafoss, 7796): kontoen har verifiserte "
        "utslipp 2008–2012 og er lukket; fra 2013 står fabrikken på MM FollaCells konto: to kontoer, to serier",
        "5006",
        "Follafoss ligger i Steinkjer kommune (Verran til 2020)",
    ),
    "206342": (
        "src-mm-follacell",
        "MM FollaCell, cellulosefabrikken i Follafoss (Industrivegen 1, Follafoss), med verifiserte utslipp fra "
        "2013; samme org.nr. (950 198 168) som Södra Cell Folla AS, hvis konto har årene før",
        "5006",
        "Follafoss ligger i Steinkjer kommune (Verran til 2020)",
    ),
    "99": (
        "src-statkraft-varme-trondheim",
        "Statkraft Varmes kvotepliktige fyringsanlegg i Trondheim; registeret sier ikke hvilke sentraler, og "
        "avfallsforbrenningen på Heimdal er ikke i kvotesystemet, så den er et eget anlegg her",
        "5001",
        "installasjonens navn («avd. Trondheim») og adresse (Sluppenveien 6, Trondheim)",
    ),
    "102": (
        "src-hylla-kalkverk",
        "Verdalskalk AS (adresse Kalkvegen 40, Inderøy) er E-PRTR-anlegget Verdalskalk Hylla",
        "5053",
        _EPRTR_PLACE,
    ),
    "203893": ("src-elkem-thamshavn", "Elkem Thamshavn er E-PRTR-anlegget Elkem Thamshavn", "5059", _EPRTR_PLACE),
    "203942": (
        "src-wacker-holla",
        "Wacker Chemicals Norway AS (Hollaveien 482, Kyrksæterøra) er E-PRTR-anlegget Wacker Chemicals Norway",
        "5055",
        _EPRTR_PLACE,
    ),
    "203944": (
        "src-rockwool-trondheim",
        "AS Rockwool avd. Trondheim er E-PRTR-anlegget Rockwool, Trondheim",
        "5001",
        _EPRTR_PLACE,
    ),
}
# Installations that are sources of their own: where they are drawn, and why there.
ETS_NEW_SOURCES = {
    "src-sodra-cell-folla": (
        "Södra Cell Folla (cellulosefabrikken i Follafoss, konto til 2012)",
        "Masse og papir",
        (11.09, 63.98),
        "locality",
        "plassert ved stedet Follafoss (som klyngemedlemmet MM FollaCell): EU ETS-registeret har ingen koordinater",
    ),
    "src-mm-follacell": (
        "MM FollaCell (cellulosefabrikken i Follafoss)",
        "Masse og papir",
        (11.09, 63.98),
        "locality",
        "plassert ved stedet Follafoss (som klyngemedlemmet MM FollaCell): EU ETS-registeret har ingen koordinater",
    ),
    "src-statkraft-varme-trondheim": (
        "Statkraft Varme, kvotepliktige fyringsanlegg i Trondheim",
        "Fjernvarme (forbrenning av brensel)",
        (10.3951, 63.4305),
        "municipality",
        "plassert ved kommunesenteret: EU ETS-registeret har ingen koordinater og sier ikke hvilke sentraler "
        "installasjonen omfatter",
    ),
}
# Every other row of the table that names a Trøndelag place, and why it is not a Trøndelag installation.
ETS_EXCLUDED = {
    "2": "Eviny Fornybar (BKK Produksjon) i Bergen; «7050» er et postboksnummer, ikke et postnummer i Trøndelag",
    "3": "Eviny Termo (BKK Varme) i Bergen; «7050» er et postboksnummer, ikke et postnummer i Trøndelag",
    "42": "Alvheim-feltet i Nordsjøen: adressen i Trondheim er operatørens kontor, ikke anlegget",
    "53": "Draugen-feltet på kontinentalsokkelen: adressen i Trondheim er operatørens kontor, ikke anlegget",
    "55": "Norske Skog Follum ligger i Hønefoss (Ringerike); bare kontaktadressen er på Skogn",
    "60": "Peterson Linerboard ligger i Moss; bare kontaktadressen er Ranheim Paper & Board i Trondheim",
    "69": "Statnetts reservekraftverk på Tjeldbergodden ligger i Aure, Møre og Romsdal",
    "70": "Brage-feltet i Nordsjøen: adressen i Trondheim er operatørens kontor, ikke anlegget",
    "71": "Heimdal-feltet i Nordsjøen (ikke Heimdal i Trondheim)",
    "93": "Equinors metanolfabrikk på Tjeldbergodden ligger i Aure, Møre og Romsdal (postnummer 6699)",
    "104": "Statkraft Varmes anlegg på Gardermoen (Ullensaker); adressen i Trondheim er selskapets postboks",
    "203167": "Jette-feltet i Nordsjøen: adressen i Trondheim er operatørens kontor, ikke anlegget",
    "203317": "luftfartøyoperatør (GPLUSS, Seattle), ikke en installasjon; «7777» er et gatenummer",
    "203361": "luftfartøyoperatør (Rely AS, Trondheim), ikke en installasjon",
    "207708": "Ivar Aasen-feltet i Nordsjøen: adressen i Trondheim er operatørens kontor, ikke anlegget",
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
    ets_figures, installations, excluded = ets(shared / EUTL_CSV, facilities, sources)
    simplified = simplify(kommuner)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        FIGURES_NAME: figures_csv(figures),
        FACILITIES_NAME: feature_collection(facilities),
        ETS_FIGURES_NAME: figures_csv(ets_figures),
        ETS_INSTALLATIONS_NAME: feature_collection(installations),
        ETS_EXCLUDED_NAME: excluded,
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
    files[OUTLINES_SCRIPT_NAME] = outlines_script(files[FYLKE_NAME], files[KOMMUNER_NAME])
    written = []
    for name, text in files.items():
        path = (Path(outlines or out) if name in (KOMMUNER_NAME, FYLKE_NAME, OUTLINES_SCRIPT_NAME) else out) / name
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
    result = read_eea_f1_4(csv_path, known, selection=Selection("Norway", area), source=config.EEA_SOURCE_URL)
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


def ets(csv_path: Path, facilities: list[tuple[dict, Point]], sources: gpd.GeoDataFrame):
    """The ETS figures of the Trøndelag installations (a frame), the installations (properties, Point or None) and
    the excluded rows (CSV text), through the app's EUTL importer; stops when a Trøndelag row has no decision."""
    known = pd.DataFrame(
        [
            {"id": facility_id, "facility": facility_id, "eutl_id": eutl}
            for eutl, (facility_id, *_) in ETS_INSTALLATIONS.items()
        ]
    )
    excluded = {eutl: Exclusion(eutl, "", reason) for eutl, reason in ETS_EXCLUDED.items()}
    result = read_eutl(csv_path, known, excluded=excluded, source=config.ETS_SOURCE_URL)
    if result.summary.unmatched:
        raise SystemExit(f"Trøndelag installations with no decision: {result.summary.unmatched_names}")
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = {r["InstallationOrAircraftOperatorID"]: r for r in csv.DictReader(handle)}
    missing = set(ETS_INSTALLATIONS) - set(result.figures["eutl_id"])
    if missing:
        raise SystemExit(f"mapped installations with no verified emissions: {sorted(missing)}")
    by_inspire = {properties["inspire_id"]: properties["id"] for properties, _ in facilities}
    known_ids = set(sources["id"]) | set(by_inspire.values())
    short = MUNICIPALITIES.set_index("kommunenummer")["short_name"]
    installations = []
    for eutl, (facility_id, join_note, number, place_note) in sorted(
        ETS_INSTALLATIONS.items(), key=lambda i: int(i[0])
    ):
        row = rows[eutl]
        identification = row["EPRTRIdentification"].strip()
        if by_inspire.get(identification) == facility_id:
            joined = "eprtr_id"
        elif facility_id in ETS_NEW_SOURCES:
            joined = "new"
        elif facility_id in known_ids:
            joined = "mapping"
        else:
            raise SystemExit(f"installation {eutl} is mapped to {facility_id}, which is no source")
        years = result.figures.loc[result.figures["eutl_id"] == eutl, "year"]
        properties = {
            "eutl_id": eutl,
            "permit_id": row["PermitOrPlanID"],
            "register_name": row["InstallationNameOrAircraftOperatorCode"],
            "operator": row["AccountHolderName"],
            "activity": row["MainActivityTypeCodeLookup"],
            "eprtr_identification": identification,
            "id": facility_id,
            "joined_by": joined,
            "join_note": join_note,
            "kommunenummer": number,
            "municipality": short[number],
            "municipality_note": place_note,
            "first_year": int(years.min()),
            "last_year": int(years.max()),
            "source_url": config.ETS_SOURCE_URL,
            "licence": config.ETS_CREDIT,
        }
        point = None
        if facility_id in ETS_NEW_SOURCES:
            name, sector, (lon, lat), precision, position_note = ETS_NEW_SOURCES[facility_id]
            properties |= {
                "facility": name,
                "sector": sector,
                "location_precision": precision,
                "position_note": position_note,
            }
            point = Point(lon, lat)
        installations.append((properties, point))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["eutl_id", "name", "reason"])
    for eutl, reason in sorted(ETS_EXCLUDED.items(), key=lambda i: int(i[0])):
        writer.writerow([eutl, rows[eutl]["InstallationNameOrAircraftOperatorCode"], reason])
    return result.figures, installations, buffer.getvalue()


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
    columns = [*FIGURE_COLUMNS, *(c for c in FIGURE_OPTIONAL if c in figures.columns)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in frame.to_dict("records"):
        writer.writerow(["" if row[c] is None or pd.isna(row[c]) else _cell(row[c]) for c in columns])
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


def outlines_script(county: str, municipalities: str) -> str:
    """Both outlines as a script the map's frame loads with Leaflet (maps/outlines.py): a script comes from the
    browser's memory cache before the map is made, where a fetch waited on the disk cache after it."""
    data = json.dumps('{"county":' + county.strip() + ',"municipality":' + municipalities.strip() + "}")
    return f"window.ikOutlineData = JSON.parse({data});\n"


def feature_collection(items: list[tuple[dict, object]]) -> str:
    features = [
        {
            "type": "Feature",
            "properties": properties,
            "geometry": None if geometry is None else _rounded(mapping(geometry)),
        }
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
