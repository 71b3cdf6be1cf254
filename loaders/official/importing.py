"""What every import returns: figures, facilities, their matches and a summary to show before saving.

The three formats live in loaders/official/: norskeutslipp.py, eea.py and kommunestatistikk.py;
`run_import` picks one by the names the command line uses (`--format norskeutslipp|eea-f1_4|kommunestatistikk`).
Nothing here saves: the caller shows `summary_lines(result)` and hands the frames to the layer store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from config import CRS
from core.schema import FIGURE_COLUMNS
from i18n import fmt_number
from loaders.official.matching import MATCH_RULES, match_facilities, new_facility_id

FORMATS = ("norskeutslipp", "eea-f1_4", "kommunestatistikk")

FACILITY_COLUMNS = (
    "key",  # the facility's identity within this file: "anlegg:5447", "inspire:NO.…", "name:…"
    "name",
    "anlegg_id",  # norskeutslipp.no AnleggId
    "orgnr",  # digits only
    "inspire_id",  # EEA FacilityInspireID
    "municipality",
    "kommunenummer",
    "county",
    "city",
    "sector",
    "facility_id",  # the known facility's id, or a proposed new "src-…" id when unmatched
    "matched_by",  # "anlegg_id", "orgnr", "name", or None when unmatched
    "match_note",
    "figures",  # how many figures this facility has in the import
    "note",
)
MUNICIPAL_COLUMNS = (
    "kommunenummer",  # 4 characters, zero-padded; None when the file gives only an unknown name
    "municipality",
    "year",
    "sector",
    "source",  # Utslippskilde
    "amount_t",
    "scope",
    "quote",
    "source_url",
)


@dataclass
class ImportSummary:
    """Counts to show before saving. `matched`/`unmatched` count facilities (municipalities for kommunestatistikk)."""

    rows_read: int = 0
    rows_kept: int = 0
    matched: int = 0
    unmatched: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    matched_by: dict[str, int] = field(default_factory=dict)  # rule -> facilities
    notes: list[str] = field(default_factory=list)  # in English
    notes_nb: list[str] = field(default_factory=list)  # the same notes in Norwegian
    unmatched_names: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count

    def note(self, en: str, nb: str) -> None:
        self.notes.append(en)
        self.notes_nb.append(nb)

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())


@dataclass(frozen=True)
class ImportResult:
    """One facility-level import (norskeutslipp.no, EEA F1_4)."""

    format: str
    source: str  # also each figure's source_url
    figures: pd.DataFrame  # FIGURE_COLUMNS; facility_id is a known id or the proposed id of an unmatched facility
    facilities: gpd.GeoDataFrame  # FACILITY_COLUMNS + geometry (EPSG:4326; None where the file has no position)
    summary: ImportSummary

    @property
    def matches(self) -> gpd.GeoDataFrame:
        return self.facilities[self.facilities["matched_by"].notna()]

    @property
    def unmatched(self) -> gpd.GeoDataFrame:
        """Facilities an editor has to place (or link by hand) before their figures can be saved."""
        return self.facilities[self.facilities["matched_by"].isna()]

    def figures_for(self, facility_ids) -> pd.DataFrame:
        return self.figures[self.figures["facility_id"].isin(list(facility_ids))]


@dataclass(frozen=True)
class MunicipalImportResult:
    """Miljødirektoratet's municipal statistics: not per facility, so a table of its own."""

    format: str
    source: str
    table: pd.DataFrame  # MUNICIPAL_COLUMNS
    summary: ImportSummary


def run_import(path: str | Path, fmt: str, known: pd.DataFrame | None = None, **options):
    """Run the importer for `fmt` (one of FORMATS); `known` is the sources layer (ignored by kommunestatistikk)."""
    # Imported here: the format modules import this one.
    if fmt == "norskeutslipp":
        from loaders.official.norskeutslipp import read_norskeutslipp

        return read_norskeutslipp(path, known, **options)
    if fmt == "eea-f1_4":
        from loaders.official.eea import read_eea_f1_4

        return read_eea_f1_4(path, known, **options)
    if fmt == "kommunestatistikk":
        from loaders.official.kommunestatistikk import read_kommunestatistikk

        return read_kommunestatistikk(path, **options)
    raise ValueError(f"unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}")


def build_result(
    fmt: str,
    source: str,
    figure_rows: list[dict],
    facilities: dict[str, dict],
    known: pd.DataFrame | None,
    summary: ImportSummary,
) -> ImportResult:
    """Match the facilities, give figures their facility ids, drop duplicate figures and fill the counts.

    `figure_rows` carry a `key` into `facilities`; facility dicts may carry `lon`/`lat`.
    """
    figure_rows = _drop_duplicates(figure_rows, summary)
    counts = Counter(row["key"] for row in figure_rows)
    facilities = {key: info for key, info in facilities.items() if counts[key]}  # only facilities with a figure
    frame = pd.DataFrame([{**info, "key": key} for key, info in facilities.items()])
    if frame.empty:
        frame = pd.DataFrame(columns=[*FACILITY_COLUMNS, "lon", "lat"])
    frame = frame.reindex(columns=[*FACILITY_COLUMNS, "lon", "lat"]).astype(object)
    frame = frame.where(frame.notna(), None)
    matches = match_facilities(frame, known)
    frame["facility_id"] = matches["facility_id"]
    frame["matched_by"] = matches["matched_by"]
    frame["match_note"] = matches["match_note"]
    taken = set() if known is None else {str(v) for v in known["id"]}
    for index in frame.index[frame["matched_by"].isna()]:
        frame.at[index, "facility_id"] = new_facility_id(frame.at[index, "name"], frame.at[index, "key"], taken)
    frame["figures"] = [counts[key] for key in frame["key"]]
    geometry = [
        Point(lon, lat) if lon is not None and lat is not None else None
        for lon, lat in zip(frame["lon"], frame["lat"], strict=True)
    ]
    facilities_gdf = gpd.GeoDataFrame(
        frame.drop(columns=["lon", "lat"]), geometry=gpd.GeoSeries(geometry, index=frame.index, crs=CRS), crs=CRS
    )
    ids = dict(zip(frame["key"], frame["facility_id"], strict=True))
    figures = pd.DataFrame(
        [{**{c: row.get(c) for c in FIGURE_COLUMNS}, "facility_id": ids[row["key"]]} for row in figure_rows],
        columns=list(FIGURE_COLUMNS),
    )
    figures["year"] = figures["year"].astype("Int64")
    figures["amount_t"] = figures["amount_t"].astype(float)
    summary.rows_kept = len(figures)
    summary.matched = int(frame["matched_by"].notna().sum())
    summary.unmatched = len(frame) - summary.matched
    summary.matched_by = {k: int(v) for k, v in frame["matched_by"].value_counts().items()}
    summary.unmatched_names = [str(n) for n in frame.loc[frame["matched_by"].isna(), "name"]]
    return ImportResult(fmt, source, figures, facilities_gdf.reset_index(drop=True), summary)


def _drop_duplicates(rows: list[dict], summary: ImportSummary) -> list[dict]:
    seen, kept = set(), []
    for row in rows:
        identity = (row["key"], row["year"], row["scope"])
        if identity in seen:
            summary.skip("duplicate of an earlier row (same facility, year and component)")
            continue
        seen.add(identity)
        kept.append(row)
    return kept


# Skip reasons the importers use, in Norwegian (the English text is the key in ImportSummary.skipped).
_REASONS_NB = {
    "duplicate of an earlier row (same facility, year and component)": "dublett av en tidligere rad",
    "no facility name": "mangler anleggsnavn",
    "no year (a sum or footnote row)": "mangler år (sum- eller fotnoterad)",
    "outside Trøndelag": "utenfor Trøndelag",
    "outside Norway": "utenfor Norge",
    "no release to air given": "mangler utslipp til luft",
    "negative amount": "negativt tall",
    "no coordinates (cannot tell whether it is in Trøndelag)": "mangler koordinater (kan ikke avgjøre om i Trøndelag)",
    "not a release to air": "ikke utslipp til luft",
    "pollutant withheld as confidential": "komponent holdt tilbake som konfidensiell",
    "other pollutant than CO2": "annen komponent enn CO2",
    "emissions withheld as confidential": "utslipp holdt tilbake som konfidensielt",
    "no emissions value": "mangler utslippstall",
    "no reporting year": "mangler rapporteringsår",
    "no municipality": "mangler kommune",
    "not a Trøndelag municipality": "ikke en kommune i Trøndelag",
    "no year": "mangler år",
    "no value": "mangler tall",
}

_TEXT = {
    "rows_read": ("Rader lest", "Rows read"),
    "rows_kept": ("Rader beholdt", "Rows kept"),
    "facilities": ("Anlegg", "Facilities"),
    "matched": ("koblet til kjente anlegg", "matched to known facilities"),
    "unmatched": ("ikke koblet (må plasseres)", "unmatched (to be placed)"),
    "municipalities": ("Kommuner", "Municipalities"),
    "resolved": ("med kommunenummer", "with a kommunenummer"),
    "unresolved": ("uten kommunenummer", "without a kommunenummer"),
    "skipped": ("Rader hoppet over", "Rows skipped"),
    "notes": ("Merknader", "Notes"),
    "unmatched_list": ("Ikke koblet", "Unmatched"),
    "more": ("og {n} til", "and {n} more"),
    "anlegg_id": ("AnleggId", "AnleggId"),
    "orgnr": ("org.nr.", "Org.nr."),
    "name": ("navn", "name"),
}


def summary_lines(result: ImportResult | MunicipalImportResult, lang: str = "nb", list_limit: int = 10) -> list[str]:
    """The summary as lines of text, for the import page and the command line alike."""

    def t(key: str) -> str:
        nb, en = _TEXT[key]
        return en if lang == "en" else nb

    def n(value: int) -> str:
        return fmt_number(value, lang)

    s = result.summary
    lines = [result.source, f"{t('rows_read')}: {n(s.rows_read)}", f"{t('rows_kept')}: {n(s.rows_kept)}"]
    if isinstance(result, MunicipalImportResult):
        lines.append(
            f"{t('municipalities')}: {n(s.matched + s.unmatched)} ({n(s.matched)} {t('resolved')}, "
            f"{n(s.unmatched)} {t('unresolved')})"
        )
    else:
        rules = ", ".join(f"{t(rule)} {n(s.matched_by[rule])}" for rule in MATCH_RULES if s.matched_by.get(rule))
        lines.append(
            f"{t('facilities')}: {n(s.matched + s.unmatched)} ({n(s.matched)} {t('matched')}"
            + (f": {rules}" if rules else "")
            + f"; {n(s.unmatched)} {t('unmatched')})"
        )
        if s.unmatched_names:
            shown = s.unmatched_names[:list_limit]
            rest = len(s.unmatched_names) - len(shown)
            more = (" " + t("more").format(n=n(rest))) if rest else ""
            lines.append(f"{t('unmatched_list')}: {', '.join(shown)}{more}")
    lines.append(f"{t('skipped')}: {n(s.rows_skipped)}")
    for reason, count in sorted(s.skipped.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  - {reason if lang == 'en' else _REASONS_NB.get(reason, reason)}: {n(count)}")
    notes = s.notes if lang == "en" or len(s.notes_nb) != len(s.notes) else s.notes_nb
    if notes:
        lines.append(f"{t('notes')}:")
        lines.extend(f"  - {note}" for note in notes)
    return lines
