"""EEA Industrial Reporting / E-PRTR "F1_4" CSV: detailed releases to air per facility, all of Europe.

The file is about 100 MB. It is read in pandas chunks of `chunk_rows` rows, every column as text,
and each chunk is cut down to `country` at once, so memory stays near one chunk however large the
file. The few rows left are then checked one by one.

Units and scope (assumptions, see the module's tests):
- `emissions` is taken to be in kg a year, as E-PRTR's own table names it (totalPollutantQuantityKg);
  the column name does not say. Amounts are converted to tonnes. If the CO2 values look too small
  for kg (E-PRTR lists CO2 only above 100 000 t = 1e8 kg), the summary says so.
- "Carbon dioxide (CO2)" includes CO2 from biomass, so it is scope "total"; E-PRTR's separate
  "Carbon dioxide (CO2) excluding biomass" is scope "fossil". Other pollutants are skipped.
- Confidentiality-reason columns: the row is kept and the reason goes into the figure's note; a row
  whose emissions are withheld has no value and is skipped with that reason.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import Point, box

from config import EEA_CHUNK_ROWS, TRONDELAG_BBOX
from core.progress import Progress
from loaders.errors import FileFormatError
from loaders.files.numbers import parse_number, parse_year, tonnes_factor
from loaders.files.tables import sniff_csv
from loaders.official.importing import ImportResult, ImportSummary, build_result
from loaders.official.matching import Municipalities, clean_id, name_key

COLUMNS = (
    "countryName",
    "EPRTRSectorCode",
    "eprtrSectorName",
    "EPRTRAnnexIMainActivityCode",
    "EPRTRAnnexIMainActivityLabel",
    "FacilityInspireID",
    "facilityName",
    "facilityNameConfidentialityReason",
    "Longitude",
    "Latitude",
    "addressConfidentialityReason",
    "City",
    "targetRelease",
    "pollutant",
    "emissions",
    "reportingYear",
    "releasesConfidentialityReason",
)
REQUIRED = (
    "countryName",
    "FacilityInspireID",
    "facilityName",
    "Longitude",
    "Latitude",
    "pollutant",
    "emissions",
    "reportingYear",
)
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)
WHAT = "an EEA E-PRTR F1_4 file"
POLLUTANT_SCOPES = {
    "Carbon dioxide (CO2)": "total",
    "Carbon dioxide (CO2) excluding biomass": "fossil",
}
CO2_THRESHOLD_KG = 1e8  # E-PRTR Annex II: CO2 to air is reported above 100 000 t a year

# Skip reasons (the keys of ImportSummary.skipped).
OUTSIDE = "outside Trøndelag"
NO_POSITION = "no coordinates (cannot tell whether it is in Trøndelag)"
NOT_AIR = "not a release to air"
CONFIDENTIAL_POLLUTANT = "pollutant withheld as confidential"
OTHER_POLLUTANT = "other pollutant than CO2"
WITHHELD = "emissions withheld as confidential"
NO_VALUE = "no emissions value"
NO_YEAR = "no reporting year"
NEGATIVE = "negative amount"


def read_eea_f1_4(
    path: str | Path,
    known: pd.DataFrame | None = None,
    *,
    country: str | None = "Norway",
    area: tuple[float, float, float, float] | shapely.Geometry | None = TRONDELAG_BBOX,
    pollutants: dict[str, str] | None = None,
    unit: str = "kg",
    chunk_rows: int = EEA_CHUNK_ROWS,
    municipalities: Municipalities | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read an F1_4 CSV, keep `country` and `area` (a lon/lat box or polygon; None keeps all), CO2 only.

    `pollutants` maps pollutant labels to figure scopes (default POLLUTANT_SCOPES). `progress(fraction,
    stage)` is called after each chunk with the share of the file read, and with (1.0, "done") at the end.
    """
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(f"'{path.name}': no such file")
    if path.stat().st_size == 0:
        raise FileFormatError(f"'{path.name}': the file is empty")
    source = source or f"EEA E-PRTR F1_4: {path.name}"
    pollutants = POLLUTANT_SCOPES if pollutants is None else pollutants
    factor = tonnes_factor(unit, None, "unit")
    municipalities = municipalities or Municipalities.bundled()
    layout = sniff_csv(path, REQUIRED, OPTIONAL, WHAT)
    actual = {name: layout.header[position] for name, position in layout.columns.items()}
    summary = ImportSummary()
    try:
        kept = _read_country(path, layout, actual, country, chunk_rows, summary, progress, layout.encoding)
    except UnicodeDecodeError:
        # The head was UTF-8 but a later byte is not: start again as Windows-1252.
        summary = ImportSummary()
        summary.note("the file is not UTF-8; read as Windows-1252", "fila er ikke UTF-8; lest som Windows-1252")
        kept = _read_country(path, layout, actual, country, chunk_rows, summary, progress, "cp1252")
    if progress:
        progress(0.97, "checking")
    region = box(*area) if isinstance(area, tuple) else area
    facilities: dict[str, dict] = {}
    figures: list[dict] = []
    co2_kg: list[float] = []
    first_row = layout.header_index + 2  # the spreadsheet row of the first data row
    for line, row in zip(kept.index, kept.to_dict("records"), strict=True):
        row_number = first_row + int(line)
        reason, figure = _figure(row, row_number, path.name, region, pollutants, factor, unit, source)
        if reason:
            summary.skip(reason)
            continue
        lon, lat, key = figure.pop("_lon"), figure.pop("_lat"), figure["key"]
        if key not in facilities:
            facilities[key] = _facility(row, lon, lat, municipalities)
        if figure["scope"] == "total":
            co2_kg.append(figure["amount_t"] * 1e3)
        figures.append(figure)
    if co2_kg:
        _check_unit(co2_kg, unit, summary)
    confidential = sum(1 for f in figures if "konfidensialitet" in (f["note"] or ""))
    if confidential:
        summary.note(
            f"kept rows with a confidentiality reason: {confidential} (the reason is in the figure note)",
            f"beholdte rader med konfidensialitetsgrunn: {confidential} (grunnen står i tallets merknad)",
        )
    result = build_result("eea-f1_4", source, figures, facilities, known, summary)
    if progress:
        progress(1.0, "done")
    return result


def _read_country(path, layout, actual, country, chunk_rows, summary, progress, encoding) -> pd.DataFrame:
    """Stream the file in chunks and keep only `country`'s rows (their index is the data row number)."""
    size = max(path.stat().st_size, 1)
    wanted = country.casefold() if country else None
    country_column = actual["countryName"]
    parts = []
    with open(path, "rb") as handle:
        chunks = pd.read_csv(
            handle,
            sep=layout.delimiter,
            skiprows=layout.header_index,
            usecols=list(actual.values()),
            dtype=str,
            na_filter=False,  # empty stays "", and parsing is faster
            chunksize=chunk_rows,
            encoding=encoding,
            encoding_errors="strict",
        )
        for chunk in chunks:
            summary.rows_read += len(chunk)
            if wanted is not None:
                mask = chunk[country_column].str.strip().str.casefold() == wanted
                summary.skip(f"outside {country}", int((~mask).sum()))
                chunk = chunk[mask]
            if len(chunk):
                parts.append(chunk.rename(columns={v: k for k, v in actual.items()}))
            if progress:
                progress(min(0.95, handle.tell() / size * 0.95), "reading")
    if not parts:
        return pd.DataFrame(columns=list(actual))
    return pd.concat(parts)


def _figure(row, row_number, file, region, pollutants, factor, unit, source) -> tuple[str | None, dict | None]:
    """(skip reason, None) or (None, figure dict with the facility's _lon/_lat)."""

    def text(column: str) -> str | None:
        return clean_id(row.get(column))

    lon = parse_number(text("Longitude"), row_number, "Longitude", file)
    lat = parse_number(text("Latitude"), row_number, "Latitude", file)
    if region is not None:
        if lon is None or lat is None:
            return NO_POSITION, None
        if not region.covers(Point(lon, lat)):
            return OUTSIDE, None
    release = text("targetRelease")
    if release and release.casefold() != "air":
        return NOT_AIR, None
    pollutant = text("pollutant") or ""
    if pollutant.casefold() == "confidential":
        return CONFIDENTIAL_POLLUTANT, None
    if pollutant not in pollutants:
        return OTHER_POLLUTANT, None
    amount = parse_number(text("emissions"), row_number, "emissions", file)
    withheld = text("releasesConfidentialityReason")
    if amount is None:
        return (WITHHELD if withheld else NO_VALUE), None
    if amount < 0:
        return NEGATIVE, None
    year = parse_year(text("reportingYear"), row_number, "reportingYear", file)
    if year is None:
        return NO_YEAR, None
    inspire = text("FacilityInspireID")
    key = f"inspire:{inspire}" if inspire else f"name:{name_key(text('facilityName'))}@{lon},{lat}"
    note = [f"E-PRTR «{pollutant}»"]
    if unit == "kg":
        note.append("omregnet fra kg til tonn")
    if withheld:
        note.append(f"konfidensialitet: {withheld}")
    return None, {
        "key": key,
        "year": year,
        "amount_t": round(amount * factor, 6),
        "scope": pollutants[pollutant],
        "basis": "stated",
        "quote": f"{text('emissions')} {unit}",
        "note": "; ".join(note),
        "source_url": source,
        "_lon": lon,
        "_lat": lat,
    }


def _facility(row: dict, lon: float | None, lat: float | None, municipalities: Municipalities) -> dict:
    def text(column: str) -> str | None:
        return clean_id(row.get(column))

    city = text("City")
    number = municipalities.number(city)  # E-PRTR gives a city; often it is also the municipality's name
    name, notes = text("facilityName"), []
    if text("facilityNameConfidentialityReason"):
        notes.append(f"name confidential: {text('facilityNameConfidentialityReason')}")
        # The name may be a placeholder ("CONFIDENTIAL"): add the id so the facility can be told apart.
        name = f"{name or 'Confidential name'} ({text('FacilityInspireID')})"
    if text("addressConfidentialityReason"):
        notes.append(f"address confidential: {text('addressConfidentialityReason')}")
    return {
        "name": name,
        "inspire_id": text("FacilityInspireID"),
        "municipality": city if number else None,
        "kommunenummer": number,
        "county": None,
        "city": city,
        "sector": text("EPRTRAnnexIMainActivityLabel") or text("eprtrSectorName"),
        "note": "; ".join(notes) or None,
        "lon": lon,
        "lat": lat,
    }


def _check_unit(co2_kg: list[float], unit: str, summary: ImportSummary) -> None:
    median = statistics.median(co2_kg)
    if unit == "kg" and median < CO2_THRESHOLD_KG:
        summary.note(
            "the CO2 values look small for kg (E-PRTR lists CO2 only above 100 000 t = 1e8 kg); "
            "check whether the file is in tonnes and import with unit='t'",
            "CO2-tallene ser små ut for kg (E-PRTR tar bare med CO2 over 100 000 t = 1e8 kg); "
            "sjekk om fila er i tonn og importer med unit='t'",
        )
    elif unit != "kg" and median >= CO2_THRESHOLD_KG * 1000:  # kg read as tonnes
        summary.note(
            f"the CO2 values look large for {unit}; check whether the file is in kg",
            f"CO2-tallene ser store ut for {unit}; sjekk om fila er i kg",
        )
