"""norskeutslipp.no export (Miljødirektoratet), .xlsx or .csv: one row per facility and year.

The export carries no component column: the component is the page it was exported from. The page
used for this app, "Klimagasser - CO2-ekvivalenter" (PageID 1166), gives scope "co2e"; pass
`scope="co2"` for an export of the CO2 page. Only the release to air is imported (the map shows
releases to air); a release to water is counted in a note. The export has no coordinates: rows are
matched to known facilities, and the unmatched ones are for an editor to place.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.messages import Message
from core.progress import Progress
from core.schema import CO2_SCOPES
from loaders.files.numbers import parse_number, parse_year, tonnes_factor
from loaders.files.tables import read_table
from loaders.official.importing import ImportResult, ImportSummary, build_result
from loaders.official.matching import Municipalities, clean_id, clean_orgnr, name_key

COLUMNS = (
    "Anleggsnavn",
    "Fylke",
    "Kommune",
    "NACE Kode",
    "År",
    "Årlig utslipp til luft",
    "Grunnlagsverdi for luft",
    "Årlig utslipp til vann",
    "Grunnlagsverdi for vann",
    "Enhet",
    "AnleggId",
    "Org.nr.",
)
REQUIRED = ("Anleggsnavn", "Kommune", "År", "Årlig utslipp til luft", "Enhet", "AnleggId", "Org.nr.")
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)
WHAT = "norskeutslipp"  # names a text in the catalogues (locales/)
AIR = "Årlig utslipp til luft"
WATER = "Årlig utslipp til vann"

# Skip reasons (the keys of ImportSummary.skipped; texts in the catalogues (locales/)).
NO_NAME = Message("skip_no_name")
OUTSIDE = Message("skip_outside_trondelag")
NO_YEAR = Message("skip_no_year_sum")
NO_AIR = Message("skip_no_air")
NEGATIVE = Message("skip_negative")


def read_norskeutslipp(
    path: str | Path,
    known: pd.DataFrame | None = None,
    *,
    scope: str = "co2e",
    counties: tuple[str, ...] | None = ("Trøndelag",),
    municipalities: Municipalities | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a norskeutslipp.no export and match its facilities to `known` (the sources layer).

    `counties`: keep rows whose Fylke contains one of these (so "Sør-Trøndelag" counts as Trøndelag);
    a row with no Fylke is kept when its Kommune is in `municipalities`. None keeps every row.
    """
    if scope not in CO2_SCOPES:  # a CO₂ or CO₂e table: the other pollutants come from the EEA register
        raise ValueError(f"scope must be one of {CO2_SCOPES}, got {scope!r}")
    path = Path(path)
    source = source or f"norskeutslipp.no export: {path.name}"
    municipalities = municipalities or Municipalities.bundled()
    wanted = [name_key(c) for c in counties] if counties else None
    table = read_table(path, REQUIRED, OPTIONAL, what=WHAT, progress=progress)
    summary = ImportSummary()
    facilities: dict[str, dict] = {}
    figures: list[dict] = []
    water_rows = 0
    for row_number, row in table.rows:
        summary.rows_read += 1

        def cell(column: str, row=row) -> object:
            value = row.get(column)
            return value.strip() if isinstance(value, str) else value

        name = clean_id(cell("Anleggsnavn"))
        year = parse_year(cell("År"), row_number, "År", path.name)
        air = parse_number(cell(AIR), row_number, AIR, path.name)
        if parse_number(cell(WATER), row_number, WATER, path.name) is not None:
            water_rows += 1
        if name is None:
            summary.skip(NO_NAME)
            continue
        if year is None:
            summary.skip(NO_YEAR)
            continue
        kommune = clean_id(cell("Kommune"))
        county = clean_id(cell("Fylke"))
        if wanted is not None and not _in_counties(county, kommune, wanted, municipalities):
            summary.skip(OUTSIDE)
            continue
        if air is None:
            summary.skip(NO_AIR)
            continue
        if air < 0:
            summary.skip(NEGATIVE)
            continue
        unit = cell("Enhet")
        factor = tonnes_factor(unit, row_number, "Enhet", path.name)
        anlegg_id = clean_id(cell("AnleggId"))
        orgnr = clean_orgnr(cell("Org.nr."))
        key = f"anlegg:{anlegg_id}" if anlegg_id else f"name:{orgnr or ''}:{name_key(name)}"
        facilities.setdefault(
            key,
            {
                "name": name,
                "anlegg_id": anlegg_id,
                "orgnr": orgnr,
                "municipality": kommune,
                "kommunenummer": municipalities.number(kommune),
                "county": county,
                "sector": clean_id(cell("NACE Kode")),
            },
        )
        basis_code = clean_id(cell("Grunnlagsverdi for luft"))
        note = [f"AnleggId {anlegg_id}" if anlegg_id else "uten AnleggId"]
        if basis_code:
            note.append(f"grunnlagsverdi for luft: {basis_code}")
        if scope == "co2e":
            note.append("komponent står ikke i fila: antatt klimagasser i CO2-ekvivalenter")
        figures.append(
            {
                "key": key,
                "year": year,
                "amount_t": round(air * factor, 6),
                "scope": scope,
                "basis": "stated",
                "quote": f"{_printed(row.get(AIR))} {unit}".strip(),
                "note": "; ".join(note),
                "source_url": source,
            }
        )
    if water_rows:
        summary.note("note_water_rows", count=water_rows)
    title = Message("import_title_norskeutslipp", file=path.name)
    return build_result("norskeutslipp", source, figures, facilities, known, summary, title=title, progress=progress)


def _in_counties(county: str | None, kommune: str | None, wanted: list[str | None], municipalities) -> bool:
    if county:
        key = name_key(county) or ""
        return any(w and w in key for w in wanted)
    return municipalities.number(kommune) is not None


def _printed(value: object) -> str:
    """The value as the file shows it: text as is, a spreadsheet number without a trailing '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
