"""Miljødirektoratet's municipal greenhouse-gas statistics: Kommune, År, Sektor, Utslippskilde, Utslipp.

Not per facility, so the result is a table of its own (MUNICIPAL_COLUMNS). "Kommune" comes as
"5001 Trondheim", "5001" or a bare name; the number is kept as 4 characters, zero-padded. The
statistics are published in tonnes of CO2 equivalents (scope "co2e"); pass `unit`/`scope` if a
file says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.messages import Message
from core.progress import Progress
from core.schema import CO2_SCOPES
from loaders.files.numbers import parse_number, parse_year, tonnes_factor
from loaders.files.tables import read_table
from loaders.official.importing import MUNICIPAL_COLUMNS, ImportSummary, MunicipalImportResult
from loaders.official.matching import Municipalities, clean_id, split_kommune

COLUMNS = ("Kommune", "År", "Sektor", "Utslippskilde", "Utslipp")
WHAT = "kommunestatistikk"  # names a text in the catalogues (locales/)

# Skip reasons (the keys of ImportSummary.skipped; texts in the catalogues (locales/)).
NO_KOMMUNE = Message("skip_no_municipality")
NOT_LISTED = Message("skip_not_listed")
NO_YEAR = Message("skip_no_year")
NO_VALUE = Message("skip_no_value")


def read_kommunestatistikk(
    path: str | Path,
    *,
    municipalities: Municipalities | None = None,
    trondelag_only: bool = True,
    unit: str = "tonn",
    scope: str = "co2e",
    source: str | None = None,
    progress: Progress | None = None,
) -> MunicipalImportResult:
    """Read the municipal statistics; with `trondelag_only`, rows of municipalities not in the list are skipped."""
    if scope not in CO2_SCOPES:  # a CO₂ or CO₂e table: the other pollutants come from the EEA register
        raise ValueError(f"scope must be one of {CO2_SCOPES}, got {scope!r}")
    path = Path(path)
    source = source or f"Miljødirektoratet kommunestatistikk: {path.name}"
    municipalities = municipalities or Municipalities.bundled()
    factor = tonnes_factor(unit, None, "unit")
    table = read_table(path, COLUMNS, what=WHAT, progress=progress)
    summary = ImportSummary()
    rows = []
    resolved, unresolved = set(), set()
    for row_number, row in table.rows:
        summary.rows_read += 1
        kommune = clean_id(row["Kommune"])
        code, name = split_kommune(kommune)
        year = parse_year(clean_id(row["År"]), row_number, "År", path.name)
        amount = parse_number(row["Utslipp"], row_number, "Utslipp", path.name)
        if kommune is None:
            summary.skip(NO_KOMMUNE)
            continue
        number = code if code is not None else municipalities.number(name)
        listed = number in municipalities
        if trondelag_only and not listed:
            summary.skip(NOT_LISTED)
            continue
        if year is None:
            summary.skip(NO_YEAR)
            continue
        if amount is None:
            summary.skip(NO_VALUE)
            continue
        (resolved if number else unresolved).add(number or name)
        rows.append(
            {
                "kommunenummer": number,
                "municipality": municipalities.names[number] if listed else name,
                "year": year,
                "sector": clean_id(row["Sektor"]),
                "source": clean_id(row["Utslippskilde"]),
                "amount_t": round(amount * factor, 6),
                "scope": scope,
                "quote": str(row["Utslipp"]).strip(),
                "source_url": source,
            }
        )
    frame = pd.DataFrame(rows, columns=list(MUNICIPAL_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["amount_t"] = frame["amount_t"].astype(float)
    summary.rows_kept = len(frame)
    summary.matched, summary.unmatched = len(resolved), len(unresolved)
    if progress:
        progress(1.0, "done")
    title = Message("import_title_kommunestatistikk", file=path.name)
    return MunicipalImportResult("kommunestatistikk", source, frame, summary, title)
