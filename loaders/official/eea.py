"""EEA Industrial Reporting / E-PRTR "F1_4" CSV: detailed releases to air per facility, all of Europe.

The file is about 100 MB. It is read in pandas chunks of `chunk_rows` rows, every column as text,
and each chunk is cut down to `country` at once, so memory stays near one chunk however large the
file. The few rows left are then checked one by one.

Units and scope (assumptions, see the module's tests):
- `emissions` is taken to be in kg a year, as E-PRTR's own table names it (totalPollutantQuantityKg);
  the column name does not say. Amounts are converted to tonnes. If the CO2 values look too small
  for kg (E-PRTR lists CO2 only above 100 000 t = 1e8 kg), the summary says so.
- "Carbon dioxide (CO2)" includes CO2 from biomass, so it is scope "total"; E-PRTR's separate
  "Carbon dioxide (CO2) excluding biomass" is scope "fossil". Every other pollutant the app lists
  (core/pollutants.py: NOx, SOx, PM10, heavy metals, dioxins …) is kept as its own scope; a pollutant
  it does not list is skipped and counted. Each figure keeps the pollutant's label, the facility's
  FacilityInspireId, the release's PublicationDate and the EEA's credit and licence line.
- Two layouts of the same table are read: the EEA's download (`emissions`, `FacilityInspireID`,
  `releasesConfidentialityReason` …) and the published F1_4 CSV (`Releases`, `FacilityInspireId`,
  `PublicationDate`, `confidentialityReason` …); see ALIASES.
- Confidentiality-reason columns: the row is kept and the reason goes into the figure's note; a row
  whose emissions are withheld has no value and is skipped with that reason.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import Point, box

from config import EEA_CHUNK_ROWS, EEA_CREDIT, TRONDELAG_BBOX
from core.messages import Message
from core.pollutants import pollutant_for
from core.progress import Progress
from loaders.errors import FileFormatError
from loaders.files.numbers import parse_number, parse_year, tonnes_factor
from loaders.files.tables import MissingColumnError, sniff_csv
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
    "PublicationDate",
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
# Other spellings of a column (compared ignoring case): the published F1_4 CSV's header.
ALIASES = {
    "emissions": ("Releases",),
    "EPRTRSectorCode": ("EPRTR_SectorCode",),
    "eprtrSectorName": ("EPRTR_SectorName",),
    "EPRTRAnnexIMainActivityCode": ("EPRTRAnnexIMainActivity",),
    "releasesConfidentialityReason": ("confidentialityReason",),
}
_ALIASED_REQUIRED = tuple(c for c in REQUIRED if c in ALIASES)
_SNIFF_REQUIRED = tuple(c for c in REQUIRED if c not in ALIASES)
_SNIFF_OPTIONAL = (*_ALIASED_REQUIRED, *OPTIONAL, *(a for names in ALIASES.values() for a in names))
WHAT = "eea"  # names a text in the catalogues (locales/) (what_eea)
CO2_THRESHOLD_KG = 1e8  # E-PRTR Annex II: CO2 to air is reported above 100 000 t a year

# Skip reasons (the keys of ImportSummary.skipped; texts in the catalogues (locales/)).
OUTSIDE = Message("skip_outside_trondelag")
NO_POSITION = Message("skip_no_position")
NOT_AIR = Message("skip_not_air")
CONFIDENTIAL_POLLUTANT = Message("skip_confidential_pollutant")
OTHER_POLLUTANT = Message("skip_other_pollutant")  # when the caller asks for the CO2 pollutants only
UNKNOWN_POLLUTANT = Message("skip_unknown_pollutant")
WITHHELD = Message("skip_withheld")
NO_VALUE = Message("skip_no_emissions_value")
NO_YEAR = Message("skip_no_reporting_year")
NEGATIVE = Message("skip_negative")


@dataclass(frozen=True)
class Selection:
    """Which of an F1_4 file's rows are kept: those of `country` in `area` (a lon/lat box or polygon; None keeps
    all), of the pollutants `pollutants` maps to figure scopes (e.g. POLLUTANT_SCOPES for CO2 only; None: every
    pollutant in core/pollutants.py, each as its own scope)."""

    country: str | None = "Norway"
    area: tuple[float, float, float, float] | shapely.Geometry | None = TRONDELAG_BBOX
    pollutants: dict[str, str] | None = None

    @property
    def region(self) -> shapely.Geometry | None:
        return box(*self.area) if isinstance(self.area, tuple) else self.area


def read_eea_f1_4(
    path: str | Path,
    known: pd.DataFrame | None = None,
    *,
    selection: Selection = Selection(),
    unit: str = "kg",
    chunk_rows: int = EEA_CHUNK_ROWS,
    municipalities: Municipalities | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read an F1_4 CSV, keeping the rows `selection` keeps (by default Norway's in Trøndelag, every pollutant).

    `progress(fraction, stage)` is called after each chunk with the share of the file read, and with
    (1.0, "done") at the end.
    """
    path = Path(path)
    if not path.is_file():
        raise FileFormatError("no_such_file", name=path.name)
    if path.stat().st_size == 0:
        raise FileFormatError("named_file_empty", name=path.name)
    source = source or f"EEA E-PRTR F1_4: {path.name}"
    factor = tonnes_factor(unit, None, "unit")
    municipalities = municipalities or Municipalities.bundled()
    layout = sniff_csv(path, _SNIFF_REQUIRED, _SNIFF_OPTIONAL, WHAT)
    actual = _actual_columns(layout, path.name)
    summary = ImportSummary()
    country = selection.country
    try:
        kept = _read_country(path, layout, actual, country, chunk_rows, summary, progress, layout.encoding)
    except UnicodeDecodeError:
        # The head was UTF-8 but a later byte is not: start again as Windows-1252.
        summary = ImportSummary()
        summary.note("note_eea_cp1252")
        kept = _read_country(path, layout, actual, country, chunk_rows, summary, progress, "cp1252")
    if progress:
        progress(0.97, "checking")
    region, pollutants = selection.region, selection.pollutants
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
        summary.note("note_confidential_rows", count=confidential)
    title = Message("import_title_eea", file=path.name)
    return build_result("eea-f1_4", source, figures, facilities, known, summary, title=title, progress=progress)


_MACHINE_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def _actual_columns(layout, file: str) -> dict[str, str]:
    """Canonical column name -> the header cell that holds it (its own spelling or an alias)."""
    found = {name: layout.header[position] for name, position in layout.columns.items()}
    actual = {}
    for name in COLUMNS:
        for candidate in (name, *ALIASES.get(name, ())):
            if candidate in found:
                actual[name] = found[candidate]
                break
    for name in _ALIASED_REQUIRED:
        if name not in actual:
            raise MissingColumnError(name, file, WHAT, REQUIRED + OPTIONAL, layout.header_index + 1)
    return actual


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
                summary.skip(Message("skip_outside_country", country=country), int((~mask).sum()))
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
    reason = _place_skip(region, lon, lat)
    if reason:
        return reason, None
    release = text("targetRelease")
    if release and release.casefold() != "air":
        return NOT_AIR, None
    pollutant = text("pollutant") or ""
    reason, scope = _scope(pollutant, pollutants)
    if reason:
        return reason, None
    raw = text("emissions")
    # The EEA writes machine numbers ("0.022" is 22 grams, not 22 kg with a thousands dot); anything else
    # (a decimal comma from a re-saved sheet) goes through the forgiving parser.
    amount = float(raw) if raw and _MACHINE_NUMBER.match(raw) else parse_number(raw, row_number, "emissions", file)
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
        "amount_t": float(f"{amount * factor:.12g}"),  # kg / 1000 without float noise, small amounts kept
        "scope": scope,
        "basis": "stated",
        "quote": f"{str(row.get('emissions')).strip()} {unit}",  # as the file prints it
        "note": "; ".join(note),
        "source_url": source,
        "pollutant": pollutant,
        "inspire_id": inspire,
        "publication_date": text("PublicationDate"),
        "licence": EEA_CREDIT,
        "_lon": lon,
        "_lat": lat,
    }


def _place_skip(region: shapely.Geometry | None, lon: float | None, lat: float | None) -> Message | None:
    """Why a release is skipped for where it is (no place, or outside `region`); None when kept or no region."""
    if region is None:
        return None
    if lon is None or lat is None:
        return NO_POSITION
    if not region.covers(Point(lon, lat)):
        return OUTSIDE
    return None


def _scope(pollutant: str, pollutants: dict[str, str] | None) -> tuple[Message | None, str | None]:
    """(skip reason, None) or (None, the figure scope) for a release of `pollutant`."""
    if pollutant.casefold() == "confidential":
        return CONFIDENTIAL_POLLUTANT, None
    if pollutants is None:
        known = pollutant_for(pollutant)
        return (UNKNOWN_POLLUTANT, None) if known is None else (None, known.code)
    if pollutant in pollutants:
        return None, pollutants[pollutant]
    return OTHER_POLLUTANT, None


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
        summary.note("note_co2_small_kg")
    elif unit != "kg" and median >= CO2_THRESHOLD_KG * 1000:  # kg read as tonnes
        summary.note("note_co2_large", unit=unit)
