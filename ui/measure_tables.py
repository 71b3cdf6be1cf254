"""The measures as tables: to read on a page (escaped where Streamlit renders Markdown) and to download."""

from __future__ import annotations

import pandas as pd

from i18n import fmt_tonnes, t
from loaders import Portfolio
from maps.measures import cut_text, gap_text, group_label
from ui.text import escape_markdown


def measures_table(measures: pd.DataFrame, portfolio: Portfolio, lang: str) -> pd.DataFrame:
    """The measures as a table to read and to download: every number as its source gives it, with quote and source."""
    places = dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))
    plants = dict(zip(portfolio.sources["id"], portfolio.sources["facility"], strict=True))
    return pd.DataFrame(
        {
            t("ms_col_title", lang): measures["title"],
            t("ms_place", lang): [places.get(s, s) if isinstance(s, str) else "–" for s in measures["site_id"]],
            t("ms_plant", lang): [plants.get(f, f) if isinstance(f, str) else None for f in measures["facility_id"]],
            t("ms_kind", lang): [t(f"ms_kind_{k}", lang) for k in measures["kind"]],
            t("status", lang): [t(f"ms_status_{s}", lang) for s in measures["status"]],
            t("ms_cut", lang): [cut_text(r, lang) for r in measures.to_dict("records")],
            t("ms_col_cut_t", lang): measures["cut_t"],
            t("ms_col_scope", lang): measures["scope"],
            t("ms_start", lang): measures["start_year"],
            t("ms_quote", lang): measures["quote"],
            t("ms_counted_in", lang): measures["counted_in"],
            t("source", lang): measures["source_url"],
            t("source_year", lang): measures["source_year"],
            t("field_note", lang): measures["note"],
            "id": measures["id"],
        }
    )


def sources_sheet(measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per source of the measures shown: what it says and where."""
    rows = measures[["id", "source_url", "source_year", "quote"]].rename(
        columns={
            "id": "id",
            "source_url": t("source", lang),
            "source_year": t("source_year", lang),
            "quote": t("ms_quote", lang),
        }
    )
    return rows.reset_index(drop=True)


def chart_measures_table(result, measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every measure with its quote and source: those in the chart (group, from which year), then those beside it
    (and why). For st.table, which renders Markdown: every text from the data is escaped."""
    by_id = measures.set_index("id")
    rows = []
    for row in result.counted.itertuples():
        if row.start_stated:
            where = t("ms_in_chart", lang, group=group_label(row.group, lang), year=row.from_year)
        else:
            where = t("ms_in_chart_no_start", lang, group=group_label(row.group, lang), year=row.from_year)
        rows.append((row.id, where))
    rows += [
        (row.id, t("ms_not_in_chart", lang, why=t(f"ms_reason_{row.reason}", lang)))
        for row in result.beside.itertuples()
    ]
    records = [by_id.loc[i].to_dict() | {"id": i} for i, _ in rows]
    table = pd.DataFrame(
        {
            t("ms_col_title", lang): [escape_markdown(r["title"]) for r in records],
            t("ms_cut", lang): [escape_markdown(cut_text(r, lang)) for r in records],
            t("ms_col_in_chart", lang): [where for _, where in rows],
            t("ms_quote", lang): [escape_markdown(r["quote"]) for r in records],
            t("source", lang): [escape_markdown(r["source_url"]) for r in records],
        }
    )
    return table.set_index(t("ms_col_title", lang))


def gap_table(result, lang: str) -> pd.DataFrame:
    """Per group: its measures, their cut, and the gap to the band left after it and every group above."""
    groups = result.groups
    first = pd.DataFrame(
        {
            t("ms_group", lang): [t("ms_before_measures", lang)],
            t("ms_col_measures", lang): [0],
            t("ms_cut", lang): ["–"],
            t("ms_gap_high", lang): [gap_text(result.gap_high_t, lang)],
            t("ms_gap_low", lang): [
                gap_text(None if result.source.path.gap is None else result.source.path.gap.gap_to_low_t, lang)
            ],
        }
    )
    rest = pd.DataFrame(
        {
            t("ms_group", lang): [t("ms_after_group", lang, group=group_label(g, lang)) for g in groups["group"]],
            t("ms_col_measures", lang): groups["measures"].astype(int),
            t("ms_cut", lang): [fmt_tonnes(v, lang) for v in groups["cut_t"]],
            t("ms_gap_high", lang): [gap_text(v, lang) for v in groups["gap_high_t"]],
            t("ms_gap_low", lang): [gap_text(v, lang) for v in groups["gap_low_t"]],
        }
    )
    return pd.concat([first, rest], ignore_index=True)
