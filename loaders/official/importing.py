"""What every import returns: figures, facilities, their matches and a summary to show before saving.

The four formats live in loaders/official/: norskeutslipp.py, eea.py, eutl.py and kommunestatistikk.py, each
importing this module; loaders/official/registry.py names them and runs one (`run_import`).
Nothing here saves: the caller shows `summary_lines(result)` and hands the frames to the layer store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from config import CRS
from core.messages import Message
from core.schema import FIGURE_COLUMNS, FIGURE_OPTIONAL
from loaders.official.matching import MATCH_RULES, match_facilities, new_facility_id

FACILITY_COLUMNS = (
    "key",  # the facility's identity within this file: "anlegg:5447", "inspire:NO.…", "name:…"
    "name",
    "anlegg_id",  # norskeutslipp.no AnleggId
    "orgnr",  # digits only
    "inspire_id",  # EEA FacilityInspireID
    "eutl_id",  # the EU ETS installation id
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
    skipped: dict[Message, int] = field(default_factory=dict)  # reason (a "skip_…" message) -> rows
    matched_by: dict[str, int] = field(default_factory=dict)  # rule -> facilities
    notes: list[Message] = field(default_factory=list)  # render with i18n.error_text (str(): English)
    unmatched_names: list[str] = field(default_factory=list)

    def skip(self, reason: Message, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count

    def note(self, code: str, **params: object) -> None:
        """A note to show with the summary: a code of the catalogues (msg_<code>) and its params."""
        self.notes.append(Message(code, **params))

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
    title: Message | None = None  # "norskeutslipp.no export: FILE", the suggested layer title (i18n renders it)

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
    title: Message | None = None


def build_result(
    fmt: str,
    source: str,
    figure_rows: list[dict],
    facilities: dict[str, dict],
    known: pd.DataFrame | None,
    summary: ImportSummary,
    *,
    title: Message | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportResult:
    """Match the facilities, give figures their facility ids, drop duplicate figures and fill the counts.

    `figure_rows` carry a `key` into `facilities`; facility dicts may carry `lon`/`lat`. `progress` hears
    (1.0, "done") when the result is ready.
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
    # The optional columns (pollutant, inspire_id, publication_date, licence) where the format gives them.
    columns = [*FIGURE_COLUMNS, *(c for c in FIGURE_OPTIONAL if any(c in row for row in figure_rows))]
    figures = pd.DataFrame(
        [{**{c: row.get(c) for c in columns}, "facility_id": ids[row["key"]]} for row in figure_rows],
        columns=columns,
    )
    figures["year"] = figures["year"].astype("Int64")
    figures["amount_t"] = figures["amount_t"].astype(float)
    summary.rows_kept = len(figures)
    summary.matched = int(frame["matched_by"].notna().sum())
    summary.unmatched = len(frame) - summary.matched
    summary.matched_by = {k: int(v) for k, v in frame["matched_by"].value_counts().items()}
    summary.unmatched_names = [str(n) for n in frame.loc[frame["matched_by"].isna(), "name"]]
    if progress:
        progress(1.0, "done")
    return ImportResult(fmt, source, figures, facilities_gdf.reset_index(drop=True), summary, title)


def _drop_duplicates(rows: list[dict], summary: ImportSummary) -> list[dict]:
    seen, kept = set(), []
    for row in rows:
        identity = (row["key"], row["year"], row["scope"])
        if identity in seen:
            summary.skip(Message("skip_duplicate"))
            continue
        seen.add(identity)
        kept.append(row)
    return kept


def summary_lines(
    result: ImportResult | MunicipalImportResult, text: Callable[[Message], str] = str, list_limit: int = 10
) -> list[str]:
    """The summary as lines of text, for the import page and the command line alike.

    Each line is a message rendered by `text`: English by default (`str`, the command line); the page passes
    `lambda m: i18n.error_text(m, lang)`.
    """
    s = result.summary
    lines = [text(result.title) if result.title is not None else result.source]
    lines += [
        text(Message("summary_rows_read", count=s.rows_read)),
        text(Message("summary_rows_kept", count=s.rows_kept)),
    ]
    if isinstance(result, MunicipalImportResult):
        lines.append(
            text(
                Message(
                    "summary_municipalities", count=s.matched + s.unmatched, resolved=s.matched, unresolved=s.unmatched
                )
            )
        )
    else:
        rules = tuple(
            Message("summary_rule", rule=Message(f"rule_{rule}"), count=s.matched_by[rule])
            for rule in MATCH_RULES
            if s.matched_by.get(rule)
        )
        facilities = Message(
            "summary_facilities",
            count=s.matched + s.unmatched,
            matched=s.matched,
            rules=rules or None,
            unmatched=s.unmatched,
        )
        lines.append(text(facilities))
        if s.unmatched_names:
            shown = tuple(s.unmatched_names[:list_limit])
            rest = len(s.unmatched_names) - len(shown)
            lines.append(text(Message("summary_unmatched", names=shown, more=rest or None)))
    lines.append(text(Message("summary_skipped", count=s.rows_skipped)))
    for reason, count in sorted(s.skipped.items(), key=lambda item: (-item[1], str(item[0]))):
        lines.append(f"  - {text(reason)}: {text(Message('count', count=count))}")
    if s.notes:
        lines.append(text(Message("summary_notes")))
        lines.extend(f"  - {text(note)}" for note in s.notes)
    return lines
