"""Measures (tiltak): what a site or a plant plans to cut, read and checked, and placed on the map.

A measure belongs to a site (`site_id`: a park or symbiosis site) and, where it cuts a plant's own emissions, to
that facility (`facility_id`: an emission source); at least one of the two is given. It has a title, a kind, a
status, the expected yearly cut `cut_t` in tonnes of its `scope` (one of the climate scopes, core/schema.py), the
source's exact words in `quote`, the year it starts to act (empty where the source gives none), and
`source_url` / `source_year`. A cut the source does not give in tonnes is empty ("ingen tall") and never summed.
`potential` marks a cut a source states as possible, not planned. `counted_in` names another measure whose cut
already holds this one (two sources on one project): it is listed, never summed twice.
How a cut is counted against the emissions is analysis/measures.py's business, not this module's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from config import CRS, GEODATA_DIR
from core.portfolio import Portfolio
from core.schema import CLIMATE_SCOPES
from core.values import to_plain
from loaders.bundled.records import clean, csv_records, one_of
from loaders.errors import FileFormatError, SchemaError
from loaders.files.geojson import features, single_collection
from loaders.files.numbers import parse_number

MEASURES_PATH = GEODATA_DIR / "measures.csv"

MEASURE_KINDS = (
    "karbonfangst",
    "brenselsbytte",
    "biogass",
    "elektrifisering",
    "ressursflyt",
    "energigjenvinning",
    "annet",
)
MEASURE_STATUSES = ("idé", "utredes", "vedtatt", "under bygging", "i drift", "avsluttet")
MEASURE_SCOPES = CLIMATE_SCOPES
FIRST_START_YEAR, LAST_START_YEAR = 1990, 2100
# A yearly cut larger than this is no measure (Norway emits about 50 million t CO₂-eq. a year): a typo.
MAX_CUT_T = 50_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # text keeps line breaks and tabs, nothing else

MEASURE_COLUMNS = (
    "id",
    "site_id",
    "facility_id",
    "title",
    "kind",
    "status",
    "cut_t",
    "scope",
    "potential",
    "start_year",
    "quote",
    "source_url",
    "source_year",
    "counted_in",
    "note",
)
MEASURE_REQUIRED_COLUMNS = ("id", "title", "kind", "status", "source_url", "quote")
_TEXT_FIELDS = ("id", "title", "kind", "status", "source_url", "quote")
_TRUE, _FALSE = ("true", "ja", "yes", "1"), ("false", "nei", "no", "0")


def load_measures(path: str | Path = MEASURES_PATH, portfolio: Portfolio | None = None) -> pd.DataFrame:
    """The bundled (or any) measure table: .csv, or .geojson/.json with Point features."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_measures_csv(path.read_bytes(), portfolio)
    if suffix in (".geojson", ".json"):
        return parse_measures_geojson(path.read_bytes(), portfolio)
    raise FileFormatError("measures_suffix", name=path.name)


def measure_records_csv(data: bytes | str) -> list[dict]:
    """The rows of a measure CSV (UTF-8, header row, see `MEASURE_COLUMNS`), unchecked."""
    return csv_records(data, MEASURE_REQUIRED_COLUMNS, "measure_table")


def measure_records_geojson(data: bytes | str) -> list[dict]:
    """The properties of a FeatureCollection's features, unchecked (a measure's place is its site or facility)."""
    return [dict(properties) for _, _, properties in features(single_collection(data)["features"])]


def parse_measures_csv(data: bytes | str, portfolio: Portfolio | None = None) -> pd.DataFrame:
    return measures_from_records(measure_records_csv(data), portfolio)


def parse_measures_geojson(data: bytes | str, portfolio: Portfolio | None = None) -> pd.DataFrame:
    return measures_from_records(measure_records_geojson(data), portfolio)


def measures_from_records(records: Iterable[Mapping[str, object]], portfolio: Portfolio | None = None) -> pd.DataFrame:
    """Check measure records (a file or the editor's form) and return them as a measure table.

    With `portfolio`, every site and facility id must be one it holds. Raises `SchemaError` naming the record,
    the field and what was expected.
    """
    rows, seen = [], set()
    for i, record in enumerate(records):
        row = check_measure(i, record, portfolio)
        if row["id"] in seen:
            raise SchemaError(i, "id", "unique", row["id"], what="measure_table")
        seen.add(row["id"])
        rows.append(row)
    by_id = {row["id"]: row for row in rows}
    for i, row in enumerate(rows):
        check_counted_in(i, row, by_id)
    return measure_table(rows)


def check_counted_in(i: int, row: Mapping[str, object], measures: Mapping[str, Mapping[str, object]]) -> None:
    """`counted_in` names a measure among `measures` (id → record) that is itself counted: one step, no chains."""
    target = row.get("counted_in")
    if target is None:
        return
    if target not in measures:
        raise SchemaError(i, "counted_in", "counted_in_known", target)
    if measures[target].get("counted_in") is not None:
        raise SchemaError(i, "counted_in", "counted_in_counted", target)


def measure_table(rows: list[dict]) -> pd.DataFrame:
    """Checked rows (`check_measure`) as a table with its column types."""
    frame = pd.DataFrame(rows, columns=list(MEASURE_COLUMNS))
    frame["cut_t"] = frame["cut_t"].astype(float)
    frame["potential"] = frame["potential"].astype(bool)
    for column in ("start_year", "source_year"):
        frame[column] = frame[column].astype("Int64")
    return frame


def check_measure(i: int, record: Mapping[str, object], portfolio: Portfolio | None = None) -> dict:
    """One measure record checked and cleaned (numbers as numbers, empty text as None)."""
    row = {name: clean(record.get(name)) for name in MEASURE_COLUMNS}
    _check_texts(i, record, row)
    _check_choices(i, row)
    _check_numbers(i, row)
    _check_place(i, row, portfolio)
    return row


def _check_texts(i: int, record: Mapping[str, object], row: dict) -> None:
    """The required fields are there, and every text field is printable text."""
    for name in _TEXT_FIELDS:
        if row[name] is None:
            raise SchemaError(i, name, "present", record.get(name))
        if not isinstance(row[name], str):
            raise SchemaError(i, name, "text", row[name])
    for name in ("site_id", "facility_id", "counted_in", "note"):
        if row[name] is not None and not isinstance(row[name], str):
            raise SchemaError(i, name, "text", row[name])
    for name in (*_TEXT_FIELDS, "site_id", "facility_id", "counted_in", "note"):
        if row[name] is not None and _CONTROL.search(row[name]):
            raise SchemaError(i, name, "printable_text", row[name])


def _check_choices(i: int, row: dict) -> None:
    """Kind and status are among the known ones; the sources are web addresses."""
    if row["kind"] not in MEASURE_KINDS:
        raise SchemaError(i, "kind", "one_of", row["kind"], choices=one_of(MEASURE_KINDS))
    if row["status"] not in MEASURE_STATUSES:
        raise SchemaError(i, "status", "one_of", row["status"], choices=one_of(MEASURE_STATUSES))
    for url in row["source_url"].split(";"):
        if not url.strip().startswith(("http://", "https://")):
            raise SchemaError(i, "source_url", "urls", row["source_url"])


def _check_numbers(i: int, row: dict) -> None:
    """The cut (with its scope), the potential flag and the years, as numbers in `row`."""
    row["cut_t"] = _cut(i, row["cut_t"])
    if row["scope"] is None and row["cut_t"] is not None:
        raise SchemaError(i, "scope", "cut_scope")
    if row["scope"] is not None and row["scope"] not in MEASURE_SCOPES:
        raise SchemaError(i, "scope", "one_of", row["scope"], choices=one_of(MEASURE_SCOPES))
    row["potential"] = _flag(i, row["potential"])
    row["start_year"] = _year(i, "start_year", row["start_year"], FIRST_START_YEAR, LAST_START_YEAR)
    row["source_year"] = _year(i, "source_year", row["source_year"], 1800, LAST_START_YEAR)


def _check_place(i: int, row: dict, portfolio: Portfolio | None) -> None:
    """A site or a facility (of the portfolio's, when one is given), and not counted in itself."""
    if row["site_id"] is None and row["facility_id"] is None:
        raise SchemaError(i, "site_id", "measure_place")
    if row["counted_in"] == row["id"]:
        raise SchemaError(i, "counted_in", "other_measure", row["counted_in"])
    if portfolio is not None:
        if row["site_id"] is not None and row["site_id"] not in set(portfolio.parks["id"]):
            raise SchemaError(i, "site_id", "site_ref", row["site_id"])
        if row["facility_id"] is not None and row["facility_id"] not in set(portfolio.sources["id"]):
            raise SchemaError(i, "facility_id", "facility_ref", row["facility_id"])


def measure_points(measures: pd.DataFrame, portfolio: Portfolio) -> gpd.GeoDataFrame:
    """One point per measure, at its site (a point inside the park) or else at its facility, in EPSG:4326.

    Adds `place_name`. A measure whose site and facility the portfolio no longer holds is left out.
    """
    parks = portfolio.parks.set_index("id")
    sources = portfolio.sources.set_index("id")
    points, names, keep = [], [], []
    for label, row in measures.iterrows():
        site, facility = to_plain(row["site_id"]), to_plain(row["facility_id"])
        if site is not None and site in parks.index:
            points.append(parks.geometry[site].representative_point())
            names.append(parks.at[site, "name"])
        elif facility is not None and facility in sources.index:
            points.append(sources.geometry[facility])
            names.append(sources.at[facility, "facility"])
        else:
            continue
        keep.append(label)
    frame = measures.loc[keep].assign(place_name=names)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, index=frame.index, crs=CRS), crs=CRS)


def place_point(measure: Mapping[str, object], portfolio: Portfolio) -> Point:
    """Where one checked measure is drawn (its site, else its facility)."""
    return measure_points(measure_table([dict(measure)]), portfolio).geometry.iloc[0]


def _cut(i: int, value: object) -> float | None:
    """Tonnes as a Norwegian source or file writes them ("29.672" and "29 672" are 29 672 t; "12,5" is 12.5 t)."""
    if value is None:
        return None
    try:
        number = parse_number(value)
    except (SchemaError, OverflowError):
        raise SchemaError(i, "cut_t", "cut_number", value, limit=MAX_CUT_T) from None
    if number is None or not math.isfinite(number) or not 0 <= number <= MAX_CUT_T:
        raise SchemaError(i, "cut_t", "cut_number", value, limit=MAX_CUT_T)
    return number


def _flag(i: int, value: object) -> bool:
    if value is None or value is False:
        return False
    if value is True:
        return True
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SchemaError(i, "potential", "flag", value)


def _year(i: int, field: str, value: object, first: int, last: int) -> int | None:
    if value is None:
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or not first <= int(text) <= last:
        raise SchemaError(i, field, "year_between", value, first=first, last=last)
    return int(text)
