"""Generated EU ETS tables for the importer tests: the shared table's layout with a 2023 column (made-up numbers).

Nothing here is a real figure: every 2023 value is the installation's 2022 figure less 10 %, rounded, and the files
say "generated" in their names.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

EUTL = "eutl_installations_norway_2005_2022.csv"
IDENTITY = [
    "id",
    "InstallationOrAircraftOperatorID",
    "AccountHolderName",
    "NationalAdministratorCode",
    "InstallationNameOrAircraftOperatorCode",
    "EPRTRIdentification",
    "PermitOrPlanID",
    "City",
    "ZipCode",
    "MainActivityTypeCode",
    "MainActivityTypeCodeLookup",
]
YEAR_2023 = ["FreeAllocations_2023", "VerifiedEmissions_2023", "ComplianceCode_2023"]


def shared_rows(shared_geodata: Path) -> list[dict]:
    with open(shared_geodata / EUTL, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def generated_2023(shared_geodata: Path, path: Path, extra: list[dict] | None = None) -> dict[str, float]:
    """A next-year release: every row of the shared table with its identity and a 2023 column; `extra` rows are
    added as they are. Returns installation id -> the generated 2023 figure (rows that had a 2022 figure)."""
    rows, made = [], {}
    for row in shared_rows(shared_geodata):
        out = {c: row[c] for c in IDENTITY}
        last = row["VerifiedEmissions_2022"]
        if re.fullmatch(r"\d+", last):
            made[row["InstallationOrAircraftOperatorID"]] = float(round(int(last) * 0.9))
            out |= {
                "FreeAllocations_2023": row["FreeAllocations_2022"],
                "VerifiedEmissions_2023": str(round(int(last) * 0.9)),
                "ComplianceCode_2023": "A",
            }
        else:
            out |= dict.fromkeys(YEAR_2023, "NA")
        rows.append(out)
    write(path, [*rows, *(extra or [])])
    return made


def write(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or [*IDENTITY, *YEAR_2023]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def installation(number: str, name: str, city: str = "Orkanger", zip_code: str = "7300", **years: str) -> dict:
    """One generated installation row (made up), `years` as column -> cell."""
    row = dict.fromkeys([*IDENTITY, *YEAR_2023], "")
    row |= {
        "id": f"NO-{number}",
        "InstallationOrAircraftOperatorID": number,
        "AccountHolderName": "Generated AS",
        "NationalAdministratorCode": "NO",
        "InstallationNameOrAircraftOperatorCode": name,
        "PermitOrPlanID": f"GEN-{number}",
        "City": city,
        "ZipCode": zip_code,
        "MainActivityTypeCode": "20",
        "MainActivityTypeCodeLookup": "Combustion of fuels",
    }
    return row | years
