"""EU ETS verified emissions per installation (the EU Transaction Log): one row per installation, columns per year.

Two layouts of the same register are read, told apart by their header (compared ignoring case):
- the Norwegian account table as the shared copy prints it (`InstallationOrAircraftOperatorID`,
  `InstallationNameOrAircraftOperatorCode`, `VerifiedEmissions_YYYY`, `FreeAllocations_YYYY`, `ComplianceCode_YYYY` …);
- the European Commission's yearly "verified emissions" workbook (`INSTALLATION_IDENTIFIER`, `INSTALLATION_NAME`,
  `VERIFIED_EMISSIONS_YYYY`, `ALLOCATION_YYYY` or `ALLOCATIONYYYY`, `CMPL_CODE_YYYY`; a title block above the
  header; `REGISTRY_CODE` names the country, and only Norway's rows are read).
Any year columns are read: a later release with a 2023 column adds 2023.

Units and meaning: verified emissions are tonnes CO₂-equivalent; CO₂ from biomass counts as zero in the ETS, so
this is its own figure scope (core.schema.ETS_SCOPE), never added to E-PRTR's CO₂ or the municipal statistics.
The free allocation is copied as the register states it: the shared table's `FreeAllocations_YYYY` (not its
`AllowanceInAllocation_YYYY`, which differs for a few accounts), the Commission's workbook's `ALLOCATION` column
(the allowances under Art. 10a(1)); no price and no balance is computed. `NA`, `n/a`, `Excluded`, `Not Reported`,
"-" and an empty cell are "no figure", never 0; a reported 0 stays 0. A figure for a year after the account's
`LastYearOfEmissions` without a compliance code is a placeholder, not a verified figure: skipped with that reason.

Which rows are kept: an installation matched by its EUTL id to a known facility (the bundled sources carry their
ids), and an unmatched installation whose own address (not the operator's contact address) is in Trøndelag, for
an editor to place. Aircraft operators are not installations; installations the bundled data excludes with a
reason (offshore fields run from Trondheim, plants elsewhere whose operator sits here: geodata/ets_excluded.csv)
are skipped with that reason. Everything else is outside Trøndelag.

Bad files are refused before anything is kept: another layout, a year column whose name or cell is not a year or a
number, a negative amount, an installation id that repeats, an empty file, a file over the upload limit.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from config import ETS_CREDIT, ETS_EXCLUDED_CSV, ETS_SOURCE_URL, MAX_UPLOAD_BYTES, MAX_UPLOAD_FIELDS
from core.messages import Message
from core.progress import Progress
from core.schema import ETS_SCOPE
from loaders.errors import FileFormatError, TooManyFields, UploadTooLarge
from loaders.files.numbers import CellError, parse_number
from loaders.files.tables import (
    HEADER_SEARCH_ROWS,
    MissingColumnError,
    column_key,
    csv_text,
    find_header,
    open_workbook,
    sniff_csv,
)
from loaders.official.importing import ImportResult, ImportSummary, build_result
from loaders.official.matching import Municipalities, clean_id

WHAT = "eutl"  # names a text in the catalogues (locales/) (what_eutl)
FORMAT = "eutl"
# Canonical column -> its spellings (the shared table's first, then the Commission's workbook).
COLUMNS = {
    "installation_id": ("InstallationOrAircraftOperatorID", "INSTALLATION_IDENTIFIER"),
    "name": ("InstallationNameOrAircraftOperatorCode", "INSTALLATION_NAME"),
    "permit_id": ("PermitOrPlanID", "PERMIT_IDENTIFIER"),
    "activity_code": ("MainActivityTypeCode", "MAIN_ACTIVITY_TYPE_CODE"),
    "activity": ("MainActivityTypeCodeLookup", "MAIN_ACTIVITY_TYPE"),
    "operator": ("AccountHolderName", "ACCOUNT_HOLDER_NAME"),
    "country": ("NationalAdministratorCode", "REGISTRY_CODE"),
    "city": ("City", "CITY"),
    "zip": ("ZipCode", "ZIP_CODE"),
    "last_year": ("LastYearOfEmissions", "YEAR_OF_LAST_EMISSIONS"),
}
REQUIRED = ("installation_id", "name")
# Year columns: what they hold -> the pattern of their name (case ignored).
YEAR_COLUMNS = {
    "verified": re.compile(r"^(?:verifiedemissions_|verified_emissions_?)(\d{4})$", re.IGNORECASE),
    "allocation": re.compile(r"^(?:freeallocations_|allocation_?)(\d{4})$", re.IGNORECASE),
    "compliance": re.compile(r"^(?:compliancecode_|cmpl_code_?)(\d{4})$", re.IGNORECASE),
}
# A column that starts like a year column but whose end is not a year: refused, not ignored.
_YEARISH = re.compile(r"^(?:verifiedemissions|verified_emissions|freeallocations|compliancecode|cmpl_code)_", re.I)
NO_FIGURE = frozenset({"", "na", "n/a", "excluded", "not reported", "-", "–", "—", "..", "nan"})
_MACHINE_NUMBER = re.compile(r"^\d+(\.\d+)?$")
AIRCRAFT_ACTIVITY = "10"  # the register's code for aircraft operator activities
NORWAY = "NO"

# Skip reasons (texts in the catalogues (locales/)).
AIRCRAFT = Message("skip_aircraft_operator")
EXCLUDED = Message("skip_ets_excluded")
OUTSIDE = Message("skip_ets_outside_trondelag")
OTHER_COUNTRY = Message("skip_outside_country", country="Norway")
NO_VERIFIED = Message("skip_ets_no_verified")
AFTER_LAST_YEAR = Message("skip_ets_after_last_year")


@dataclass(frozen=True)
class Exclusion:
    installation_id: str
    name: str
    reason: str


def read_excluded(path: str | Path = ETS_EXCLUDED_CSV) -> dict[str, Exclusion]:
    """The installations the bundled data leaves out, each with its reason (made by scripts/build_geodata.py)."""
    path = Path(path)
    if not path.exists():
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return {r["eutl_id"]: Exclusion(r["eutl_id"], r["name"], r["reason"]) for r in frame.to_dict("records")}


def known_installations(known: pd.DataFrame | None) -> set[str]:
    """The EUTL ids the known facilities carry (" ; "-separated where one facility had several accounts)."""
    if known is None or "eutl_id" not in known.columns:
        return set()
    return {part.strip() for value in known["eutl_id"].dropna() for part in str(value).split(";") if part.strip()}


def read_eutl(
    path: str | Path,
    known: pd.DataFrame | None = None,
    *,
    excluded: dict[str, Exclusion] | None = None,
    municipalities: Municipalities | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read an EUTL installations table (CSV or XLSX); see the module's docstring for what is kept."""
    path = _readable(Path(path))
    source = source or ETS_SOURCE_URL
    excluded = read_excluded() if excluded is None else excluded
    municipalities = municipalities or Municipalities.bundled()
    ids = known_installations(known)
    header_row, header, rows = _records(path)
    columns, years = _columns(header, path.name, header_row)
    summary = ImportSummary()
    facilities: dict[str, dict] = {}
    figures: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    total = max(len(rows), 1)
    for offset, record in enumerate(rows):
        row_number = header_row + 1 + offset
        summary.rows_read += 1

        def cell(name: str, record=record) -> str | None:
            position = columns.get(name)
            return clean_id(record[position]) if position is not None and position < len(record) else None

        installation = cell("installation_id")
        if installation is None:
            if not any(str(value).strip() for value in record):
                summary.rows_read -= 1  # a blank line is not a row
                continue
            raise CellError(row_number, header[columns["installation_id"]], "non_empty", None, path.name)
        country = cell("country")
        identity = ((country or NORWAY).upper(), installation)  # ids repeat across the registries, not within one
        if identity in seen:
            raise FileFormatError(
                "eutl_repeated_id", name=path.name, id=installation, row=row_number, first=seen[identity]
            )
        seen[identity] = row_number
        # Every cell is checked before a row is kept or skipped: a bad number anywhere refuses the file.
        values = _year_values(record, years, header, row_number, path.name)
        if country and country.upper() not in (NORWAY, "NORWAY"):
            summary.skip(OTHER_COUNTRY)
            continue
        reason = _skip_reason(installation, cell, ids, excluded, municipalities)
        if reason is not None:
            summary.skip(reason)
            continue
        key = f"eutl:{installation}"
        quoted = {year: header[years[year]["verified"]] for year in values}  # the column each figure is quoted from
        kept = _verified_figures(installation, values, cell, quoted, source, summary)
        if not kept:
            summary.skip(NO_VERIFIED)
            continue
        figures.extend(kept)
        facilities[key] = _facility(installation, cell, municipalities)
        if progress:
            progress(min(0.95, (offset + 1) / total), "reading")
    title = Message("import_title_eutl", file=path.name)
    return build_result(FORMAT, source, figures, facilities, known, summary, title=title, progress=progress)


def _verified_figures(installation: str, values: dict, cell, quoted: dict[int, str], source: str, summary) -> list:
    """The installation's figure rows: one per year with verified emissions (`values`: year -> verified, as
    written, allocation, compliance code), up to its last year of emissions unless a compliance code says more."""
    key = f"eutl:{installation}"
    last_year = _year_or_none(cell("last_year"))
    figures = []
    for year, (verified, raw, allocation, compliance) in sorted(values.items()):
        if verified is None:
            continue
        if last_year and year > last_year and compliance is None:
            # After the account's last year of emissions, with no compliance code: a placeholder, not a
            # verified figure (Södra Cell Folla's "0" for 2013, when the mill's emissions are on MM FollaCell's).
            summary.skip(AFTER_LAST_YEAR)
            continue
        figures.append(
            {
                "key": key,
                "year": year,
                "amount_t": verified,
                "scope": ETS_SCOPE,
                "basis": "stated",
                "quote": f"{raw} t CO₂-ekv. ({quoted[year]})",  # as the file prints it
                "note": "EU ETS verifiserte utslipp; CO₂ fra biomasse regnes som null i kvotesystemet",
                "source_url": source,
                "pollutant": "Verified emissions (EU ETS)",
                "licence": ETS_CREDIT,
                "eutl_id": installation,
                "permit_id": cell("permit_id"),
                "free_allocation_t": allocation,
                "compliance_code": compliance,
            }
        )
    return figures


def _readable(path: Path) -> Path:
    """`path`, or a typed error when it is no file, is empty or is larger than an upload may be."""
    if not path.is_file():
        raise FileFormatError("no_such_file", name=path.name)
    size = path.stat().st_size
    if size == 0:
        raise FileFormatError("named_file_empty", name=path.name)
    if size > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(size, MAX_UPLOAD_BYTES)
    return path


def _records(path: Path) -> tuple[int, list[str], list[list[object]]]:
    """(1-based header row, header cells, data records) of a CSV or XLSX file; the header is found by its id column."""
    wanted = {column_key(name) for name in COLUMNS["installation_id"]}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records = _xlsx_records(path)
        found = find_header(records, lambda record: len(wanted & {column_key(cell) for cell in record}), 1)
        if found is None:
            raise _no_header(path.name)
        index = found[0]
        return index + 1, ["" if c is None else str(c) for c in records[index]], records[index + 1 :]
    layout = sniff_csv(path, (), tuple(n for names in COLUMNS.values() for n in names), WHAT)
    if not wanted & {column_key(cell) for cell in layout.header}:
        raise _no_header(path.name)
    if len(layout.header) > MAX_UPLOAD_FIELDS * 10:  # counted before the rows are parsed
        raise TooManyFields(len(layout.header), MAX_UPLOAD_FIELDS * 10)
    records = list(csv.reader(io.StringIO(csv_text(path), newline=""), delimiter=layout.delimiter))
    return layout.header_index + 1, records[layout.header_index], records[layout.header_index + 1 :]


def _xlsx_records(path: Path) -> list[list[object]]:
    book = open_workbook(path, path.name)
    try:
        sheet = book.worksheets[0]
        if (sheet.max_column or 0) > MAX_UPLOAD_FIELDS * 10:
            raise TooManyFields(sheet.max_column, MAX_UPLOAD_FIELDS * 10)
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _no_header(name: str) -> FileFormatError:
    return FileFormatError(
        "no_header", name=name, what=WHAT, columns=COLUMNS["installation_id"] + COLUMNS["name"], rows=HEADER_SEARCH_ROWS
    )


def _columns(header: list[str], file: str, header_row: int) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """Canonical column -> position, and year -> {"verified"/"allocation"/"compliance": position}."""
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        positions.setdefault(column_key(cell), position)
    columns = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if column_key(spelling) in positions:
                columns[name] = positions[column_key(spelling)]
                break
    expected = tuple(s for names in COLUMNS.values() for s in names[:1]) + ("VerifiedEmissions_YYYY",)
    for name in REQUIRED:
        if name not in columns:
            raise MissingColumnError(COLUMNS[name][0], file, WHAT, expected, header_row)
    years: dict[int, dict[str, int]] = {}
    for position, cell in enumerate(header):
        name = str(cell or "").strip()
        for what, pattern in YEAR_COLUMNS.items():
            match = pattern.match(name)
            if match:
                years.setdefault(int(match.group(1)), {})[what] = position
                break
        else:
            if _YEARISH.match(name):
                raise CellError(header_row, name, "year_column", name, file)
    for year in years:
        if not 1990 <= year <= 2100:
            raise CellError(header_row, header[next(iter(years[year].values()))], "year_range", year, file)
    years = {year: found for year, found in years.items() if "verified" in found}
    if not years:
        raise MissingColumnError("VerifiedEmissions_YYYY", file, WHAT, expected, header_row)
    return columns, years


def _year_values(record, years, header, row_number, file) -> dict[int, tuple]:
    """year -> (verified t or None, its cell as printed, free allocation t or None, compliance code or None)."""
    values = {}
    for year, found in years.items():
        verified, raw = _amount(record, found["verified"], header, row_number, file)
        allocation = (
            _amount(record, found["allocation"], header, row_number, file)[0] if "allocation" in found else None
        )
        compliance = None
        if "compliance" in found and found["compliance"] < len(record):
            text = clean_id(record[found["compliance"]])
            compliance = None if text is None or text.casefold() in NO_FIGURE else text
        values[year] = (verified, raw, allocation, compliance)
    return values


def _amount(record, position: int, header, row_number: int, file: str) -> tuple[float | None, str | None]:
    """A number of tonnes from a cell (None for "no figure"), refusing text and negative amounts."""
    value = record[position] if position < len(record) else None
    if isinstance(value, bool):
        raise CellError(row_number, header[position], "tonnes", value, file)
    if isinstance(value, int | float):
        number, raw = float(value), (str(int(value)) if float(value).is_integer() else str(value))
    else:
        raw = clean_id(value)
        if raw is None or raw.casefold() in NO_FIGURE:
            return None, None
        # The register prints machine numbers; a re-saved sheet may use a decimal comma or spaces.
        number = float(raw) if _MACHINE_NUMBER.match(raw) else parse_number(raw, row_number, header[position], file)
    if number is None or number != number:
        return None, None
    if number < 0 or number == float("inf"):
        raise CellError(row_number, header[position], "tonnes", raw, file)
    return number, raw


def _year_or_none(text: str | None) -> int | None:
    """`LastYearOfEmissions` as a year; the register writes 0 (or nothing) for an account still reporting."""
    if text and text.isdigit() and 1990 <= int(text) <= 2100:
        return int(text)
    return None


def _skip_reason(installation, cell, ids: set[str], excluded: dict[str, Exclusion], municipalities) -> Message | None:
    if installation in ids:
        return None
    if cell("activity_code") == AIRCRAFT_ACTIVITY:
        return AIRCRAFT
    if installation in excluded:
        return EXCLUDED
    return None if _in_trondelag(cell, municipalities) else OUTSIDE


def _in_trondelag(cell, municipalities: Municipalities) -> bool:
    """The installation's own address names a Trøndelag municipality or has a 7xxx postcode (Trøndelag's range, less
    798x: Bindal, in Nordland)."""
    city, postcode = cell("city"), (cell("zip") or "").strip()
    return municipalities.number(city) is not None or bool(re.fullmatch(r"7(?!98)\d{3}", postcode))


def _facility(installation: str, cell, municipalities: Municipalities) -> dict:
    city = cell("city")
    number = municipalities.number(city)
    return {
        "name": cell("name"),
        "eutl_id": installation,
        "municipality": municipalities.names.get(number) if number else None,
        "kommunenummer": number,
        "county": None,
        "city": city,
        "sector": cell("activity") or cell("activity_code"),
        "note": "; ".join(
            part
            for part in (
                f"EU ETS-installasjon {installation}",
                f"tillatelse {cell('permit_id')}" if cell("permit_id") else None,
                f"kontohaver {cell('operator')}" if cell("operator") else None,
            )
            if part
        ),
        "lon": None,
        "lat": None,
    }
