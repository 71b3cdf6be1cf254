"""Trøndelag's municipality numbers across the 2018 and 2020 reforms, mapped to today's numbers.

Today's 38 numbers (5001 … 5061) have been the same from 2020 through the 2024 division: the 2024
changes elsewhere in Norway (county splits, Ålesund/Haram) renumbered no Trøndelag municipality
(../shared/geodata/SOURCE.md: "Trøndelag's 38 municipality numbers are unchanged since 2020").
Older data uses two earlier series:

- before 2018: 16xx (Sør-Trøndelag) and 17xx (Nord-Trøndelag);
- 2018–2019: 50xx in the merged county, 47 municipalities, several of them merged again in 2020.

Source of the facts: SSB's classification 131 (Standard for kommuneinndeling) and its change tables
for 1 January 2018 and 2020. The old → today mapping below was cross-checked against an independent
harmonisation table (old 16xx/17xx numbers → 2024 numbers); it agrees for every number mapped here.

Rules (conservative):
- an old municipality that went *whole* into one of today's is mapped to it;
- where today's municipality also took in part of a split one (Heim, Hitra, Orkland took parts of
  Snillfjord; Heim also took in Halsa), the mapping is kept but marked `partial`: a pre-2020 sum for
  that municipality misses the part that came from elsewhere;
- Snillfjord (1613 / 5012), split three ways in 2020, is mapped to no municipality. It lay wholly in
  Trøndelag and all its parts went to Trøndelag municipalities, so it still counts for the county;
- Halsa (1571, Møre og Romsdal) is not mapped: how it was divided is not verified here;
- any other number is reported as unknown, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from config import KOMMUNER_CSV

# Today's 38 numbers (2020 = 2024 in Trøndelag), official and short names: geodata/kommuner.csv is their one home.
MUNICIPALITIES = pd.read_csv(KOMMUNER_CSV, dtype=str)[["kommunenummer", "name", "short_name"]]
CURRENT = dict(zip(MUNICIPALITIES["kommunenummer"], MUNICIPALITIES["short_name"], strict=True))


@dataclass(frozen=True)
class Change:
    old: str
    name: str
    new: str | None  # today's number; None when the municipality was split
    partial: bool = False  # today's municipality also took in part of a split one
    note: str = ""


def _changes() -> dict[str, Change]:
    rows = [
        # 2018–2019 numbers that changed in 2020 (merged into a new or renumbered municipality).
        ("5004", "Steinkjer (2018–2019)", "5006", False, "merged with Verran into Steinkjer 2020"),
        ("5039", "Verran", "5006", False, "merged into Steinkjer 2020"),
        ("5005", "Namsos (2018–2019)", "5007", False, "merged with Namdalseid and Fosnes 2020"),
        ("5040", "Namdalseid", "5007", False, "merged into Namsos 2020"),
        ("5048", "Fosnes", "5007", False, "merged into Namsos 2020"),
        ("5030", "Klæbu", "5001", False, "merged into Trondheim 2020"),
        ("5011", "Hemne", "5055", True, "into Heim 2020, with Halsa and part of Snillfjord"),
        ("5013", "Hitra (2018–2019)", "5056", True, "into Hitra 2020, with part of Snillfjord"),
        ("5015", "Ørland (2018–2019)", "5057", False, "merged with Bjugn into Ørland 2020"),
        ("5017", "Bjugn", "5057", False, "merged into Ørland 2020"),
        ("5016", "Agdenes", "5059", True, "into Orkland 2020, with part of Snillfjord"),
        ("5023", "Meldal", "5059", True, "into Orkland 2020, with part of Snillfjord"),
        ("5024", "Orkdal", "5059", True, "into Orkland 2020, with part of Snillfjord"),
        ("5018", "Åfjord (2018–2019)", "5058", False, "merged with Roan into Åfjord 2020"),
        ("5019", "Roan", "5058", False, "merged into Åfjord 2020"),
        ("5050", "Vikna", "5060", False, "merged with Nærøy into Nærøysund 2020"),
        ("5051", "Nærøy", "5060", False, "merged into Nærøysund 2020"),
        ("5012", "Snillfjord", None, False, "split between Hitra, Heim and Orkland 2020"),
        # Before 2018: Sør-Trøndelag (16xx), Nord-Trøndelag (17xx), and Rindal from Møre og Romsdal.
        ("1601", "Trondheim", "5001", False, ""),
        ("1612", "Hemne", "5055", True, "via 5011"),
        ("1613", "Snillfjord", None, False, "via 5012; split 2020"),
        ("1617", "Hitra", "5056", True, "via 5013"),
        ("1620", "Frøya", "5014", False, ""),
        ("1621", "Ørland", "5057", False, "via 5015"),
        ("1622", "Agdenes", "5059", True, "via 5016"),
        ("1624", "Rissa", "5054", False, "merged with Leksvik into Indre Fosen 2018"),
        ("1627", "Bjugn", "5057", False, "via 5017"),
        ("1630", "Åfjord", "5058", False, "via 5018"),
        ("1632", "Roan", "5058", False, "via 5019"),
        ("1633", "Osen", "5020", False, ""),
        ("1634", "Oppdal", "5021", False, ""),
        ("1635", "Rennebu", "5022", False, ""),
        ("1636", "Meldal", "5059", True, "via 5023"),
        ("1638", "Orkdal", "5059", True, "via 5024"),
        ("1640", "Røros", "5025", False, ""),
        ("1644", "Holtålen", "5026", False, ""),
        ("1648", "Midtre Gauldal", "5027", False, ""),
        ("1653", "Melhus", "5028", False, ""),
        ("1657", "Skaun", "5029", False, ""),
        ("1662", "Klæbu", "5001", False, "via 5030"),
        ("1663", "Malvik", "5031", False, ""),
        ("1664", "Selbu", "5032", False, ""),
        ("1665", "Tydal", "5033", False, ""),
        ("1702", "Steinkjer", "5006", False, "via 5004"),
        ("1703", "Namsos", "5007", False, "via 5005"),
        ("1711", "Meråker", "5034", False, ""),
        ("1714", "Stjørdal", "5035", False, ""),
        ("1717", "Frosta", "5036", False, ""),
        ("1718", "Leksvik", "5054", False, "merged with Rissa into Indre Fosen 2018"),
        ("1719", "Levanger", "5037", False, ""),
        ("1721", "Verdal", "5038", False, ""),
        ("1724", "Verran", "5006", False, "via 5039"),
        ("1725", "Namdalseid", "5007", False, "via 5040"),
        ("1736", "Snåsa", "5041", False, ""),
        ("1738", "Lierne", "5042", False, ""),
        ("1739", "Røyrvik", "5043", False, ""),
        ("1740", "Namsskogan", "5044", False, ""),
        ("1742", "Grong", "5045", False, ""),
        ("1743", "Høylandet", "5046", False, ""),
        ("1744", "Overhalla", "5047", False, ""),
        ("1748", "Fosnes", "5007", False, "via 5048"),
        ("1749", "Flatanger", "5049", False, ""),
        ("1750", "Vikna", "5060", False, "via 5050"),
        ("1751", "Nærøy", "5060", False, "via 5051"),
        ("1755", "Leka", "5052", False, ""),
        ("1756", "Inderøy", "5053", False, ""),
        ("1567", "Rindal", "5061", False, "moved from Møre og Romsdal to Trøndelag 2020"),
    ]
    return {old: Change(old, name, new, partial, note) for old, name, new, partial, note in rows}


CHANGES = _changes()
# Numbers that belonged to Trøndelag (or went wholly into it) but map to no single municipality today.
COUNTY_ONLY = frozenset(c.old for c in CHANGES.values() if c.new is None)


def clean_number(value: object) -> str | None:
    """A kommunenummer as 4 characters ("301" and 301 -> "0301"); None for empty or non-numeric values."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isdigit() or len(text) > 4:
        return None
    return text.zfill(4)


def current_number(value: object) -> str | None:
    """Today's number for `value` (today's or an older Trøndelag number), or None when it has none."""
    code = clean_number(value)
    if code is None:
        return None
    if code in CURRENT:
        return code
    change = CHANGES.get(code)
    return change.new if change else None


def in_county(value: object) -> bool:
    """Whether the number is (or lay wholly within) Trøndelag: today's, mapped, or split within the county."""
    code = clean_number(value)
    return code is not None and (code in CURRENT or code in CHANGES)


@dataclass(frozen=True)
class NumberReport:
    """What mapping a column of numbers did: which old numbers were mapped, partly, or not at all."""

    mapped: dict[str, str]  # old -> today's
    partial: list[str]  # old numbers whose target also took in part of a split municipality
    county_only: list[str]  # split within Trøndelag: count for the county, no municipality
    unknown: list[str]  # neither today's Trøndelag numbers nor a known older one


def map_numbers(values: pd.Series) -> tuple[pd.Series, NumberReport]:
    """Today's numbers for a column (None where there is none) and a report of what was done."""
    cleaned = [clean_number(v) for v in values]
    current = pd.Series([current_number(c) for c in cleaned], index=values.index, dtype=object)
    distinct = sorted({c for c in cleaned if c is not None})
    mapped = {c: CHANGES[c].new for c in distinct if c in CHANGES and CHANGES[c].new}
    report = NumberReport(
        mapped=mapped,
        partial=[c for c in mapped if CHANGES[c].partial],
        county_only=[c for c in distinct if c in COUNTY_ONLY],
        unknown=[c for c in distinct if c not in CURRENT and c not in CHANGES],
    )
    return current, report
