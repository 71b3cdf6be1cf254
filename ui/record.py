"""The panel beside the map that shows a clicked feature's full record, as plain text (never HTML)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.portfolio import Portfolio
from core.roles import owner_name
from core.values import is_missing
from i18n import error_text, fmt_number, fmt_quote, t, theme_label
from maps.popups import scope_figure_text, source_label
from store import StoreError
from ui.measure_tables import measures_table
from ui.text import escape_markdown

_FIELDS = {
    "parks": [
        "name",
        "municipality",
        "kommunenummer",
        "status",
        "focus",
        "themes",
        "companies",
        "area",
        "location_precision",
        "source_year",
    ],
    "sources": [
        "facility",
        "operator",
        "orgnr",
        "municipality",
        "kommunenummer",
        "sector",
        "note",
        "location_precision",
        "source_year",
    ],
}
_LABELS = {
    "name": "field_name",
    "facility": "field_facility",
    "operator": "field_operator",
    "municipality": "municipality",
    "kommunenummer": "municipality",
    "status": "status",
    "focus": "field_focus",
    "themes": "field_themes",
    "companies": "field_companies",
    "area": "field_area",
    "sector": "sector",
    "note": "field_note",
    "location_precision": "field_location_precision",
    "source_year": "source_year",
    "orgnr": "field_operator",
}


def record_rows(row: dict, layer: str, lang: str) -> pd.DataFrame:
    """Field/value pairs for one park or source, as text."""
    rows = []
    for name in _FIELDS[layer]:
        value = row.get(name)
        if name == "kommunenummer" or (name == "orgnr" and is_missing(value)):
            continue
        if name == "municipality":
            value = f"{row['municipality']} ({row['kommunenummer']})"
        elif name == "status":
            value = t(f"status_{value if isinstance(value, str) else None}", lang)
        elif name == "themes":
            value = ", ".join(theme_label(theme, lang) for theme in value or [])
        elif name == "area":
            value = "" if is_missing(value) else f"{fmt_number(value, lang)} {row.get('area_unit') or ''}".strip()
        elif name == "location_precision":
            value = t(f"precision_{value}", lang)
        elif name == "source_year":
            value = t("year_unknown", lang) if is_missing(value) else str(int(value))
        label = "Org.nr." if name == "orgnr" else t(_LABELS[name], lang)
        rows.append({t("field_field", lang): label, t("field_value", lang): "" if is_missing(value) else str(value)})
    return pd.DataFrame(rows)


def figure_rows(portfolio: Portfolio, facility_id: str, lang: str) -> pd.DataFrame:
    """Every figure for a facility, planned ones included and labelled."""
    figures = portfolio.figures[portfolio.figures["facility_id"] == facility_id]
    table = pd.DataFrame(
        {
            t("field_year", lang): [t("year_unknown", lang) if pd.isna(y) else str(int(y)) for y in figures["year"]],
            t("field_amount_t", lang): [fmt_number(v, lang) for v in figures["amount_t"]],
            t("field_scope", lang): [t(f"scope_{s}", lang) for s in figures["scope"]],
            t("field_basis", lang): [t(f"basis_{b}", lang) for b in figures["basis"]],
            t("field_quote", lang): [fmt_quote(q, lang) for q in figures["quote"]],  # never a raw "213000000.0 kg"
            t("field_note", lang): figures["note"].tolist(),
            t("field_source_url", lang): figures["source_url"].tolist(),
        }
    )
    if "free_allocation_t" in figures and figures["free_allocation_t"].notna().any():
        # The ETS register's free allocation beside its verified emissions: as stated, "" where none is.
        allocation = ["" if is_missing(v) else fmt_number(v, lang) for v in figures["free_allocation_t"]]
        codes = ["" if is_missing(v) else str(v) for v in figures["compliance_code"]]
        table.insert(3, t("em_col_free_allocation", lang), allocation)  # after the scope: a number's scope in view
        table.insert(4, t("em_col_compliance", lang), codes)
    return table


def membership_rows(members: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("field_company", lang): members["company"].tolist(),
            t("cluster", lang): members["cluster"].tolist(),
            t("field_role", lang): [t(f"role_{r}", lang) for r in members["role"]],
            t("field_relation_as_stated", lang): members["relation_as_stated"].fillna("").tolist(),
            t("source_year", lang): [
                t("year_unknown", lang) if pd.isna(y) else str(int(y)) for y in members["source_year"]
            ],
            t("field_source_url", lang): members["source_url"].tolist(),
        }
    )


def record_panel(
    portfolio: Portfolio,
    layer: str | None,
    ids: list[str],
    lang: str,
    measures: pd.DataFrame | None = None,
    kpi=None,
) -> None:
    """The clicked park's, source's or members' record; for a park or a source also its measures (`measures`).
    A source's record opens with its figure in the scope and year of the key figure above the map (`kpi`,
    analysis.kpi.KeyFigures), or says it has none there; its every figure follows, each with its scope."""
    st.subheader(t("record", lang))
    frame = getattr(portfolio, layer) if layer in ("parks", "sources", "members") else None
    selected = frame[frame["id"].isin(ids)] if frame is not None else None
    if selected is None or selected.empty:
        st.caption(t("record_hint", lang))
        return
    if layer == "members":
        st.dataframe(membership_rows(selected, lang), hide_index=True, width="stretch")
        _source_links(selected["source_url"].tolist(), lang)
        return
    row = selected.iloc[0].to_dict()
    st.markdown(f"**{escape_markdown(row['name'] if layer == 'parks' else row['facility'])}**")
    if layer == "sources" and kpi is not None:  # the headline figure: the key figure's scope and year, or none
        st.markdown(escape_markdown(scope_figure_text(kpi, row["id"], lang)))
    st.dataframe(record_rows(row, layer, lang), hide_index=True, width="stretch")
    urls = [row["source_url"]]
    if layer == "sources":
        st.caption(t("figures", lang))
        figures = figure_rows(portfolio, row["id"], lang)
        if figures.empty:
            st.info(t("no_figure", lang))
        else:
            st.dataframe(figures, hide_index=True, width="stretch")
            urls += portfolio.figures.loc[portfolio.figures["facility_id"] == row["id"], "source_url"].tolist()
    if measures is not None:
        ours = measures[measures["site_id" if layer == "parks" else "facility_id"] == row["id"]]
        st.caption(t("ms_site_title", lang))
        if ours.empty:
            st.caption(t("ms_site_none", lang))
        else:
            st.dataframe(measures_table(ours, portfolio, lang), hide_index=True, width="stretch")
            urls += ours["source_url"].tolist()
    _source_links(urls, lang)


def _source_links(values: list[str], lang: str) -> None:
    """One button per distinct http(s) source, named as a source (core.sources, maps.popups), not a bare host."""
    urls = dict.fromkeys(u.strip() for v in values for u in str(v).split(" ; ") if u.strip())
    for url in urls:
        label = source_label(url, lang)
        if label is not None:
            st.link_button(f"{label} ↗", url)


def stored_record_rows(row: dict, lang: str) -> pd.DataFrame:
    """Every property of one uploaded feature (not its geometry), as text."""
    rows = [
        {t("field_field", lang): str(name), t("field_value", lang): "" if is_missing(value) else str(value)}
        for name, value in row.items()
        if name != "geometry"
    ]
    return pd.DataFrame(rows, columns=[t("field_field", lang), t("field_value", lang)])


def stored_record_panel(rows: dict, ids: list[str], lang: str) -> None:
    """The record of a clicked feature of a big uploaded layer: `ids` is (layer id, row position), `rows`
    maps layer id to (title, a function giving row N as a one-row frame, as the store holds it, the layer's record)."""
    st.subheader(t("record", lang))
    try:
        layer_id, position = int(ids[0]), int(ids[1])
        title, read_row, info = rows[layer_id]
        if position < 0:
            raise IndexError(position)
        row = read_row(position).iloc[0].to_dict()
    except (IndexError, KeyError, TypeError, ValueError):
        st.caption(t("record_gone", lang))
        return
    except (StoreError, OSError) as exc:
        st.warning(t("store_unavailable", lang, error=error_text(exc, lang)))
        return
    st.markdown(f"**{escape_markdown(t('record_feature', lang, number=position + 1, title=title))}**")
    # who uploaded it is the provider's name claim, as given: text, never markup
    st.text(t("record_layer_from", lang, uploader=info.uploader, owner=owner_name(info.owner)))
    st.dataframe(stored_record_rows(row, lang), hide_index=True, width="stretch")
