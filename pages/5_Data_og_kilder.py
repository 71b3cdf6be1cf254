"""Every record behind the map, with its source and year, as tables that can be downloaded."""

from __future__ import annotations

import streamlit as st

from analysis.filters import apply_filters
from exports.tables import csv_bytes
from i18n import t
from ui.data import portfolio
from ui.page import PageFrame
from ui.sidebar import portfolio_filters
from ui.tables import members_table, parks_table, sources_table
from ui.view_state import filter_params

page = PageFrame("nav_data")

data = portfolio(page.lang)
lang = page.link(filter_params(data))
view = apply_filters(data, portfolio_filters(data, lang))

st.title(t("sources_page_title", lang))
st.caption(t("sources_page_intro", lang))

tables = {
    "parks": parks_table(view, lang),
    "sources": sources_table(view, lang),
    "members": members_table(view, lang),
}
for tab, (kind, table) in zip(
    st.tabs([f"{t('layer_' + k, lang)} ({len(v)})" for k, v in tables.items()]), tables.items(), strict=True
):
    with tab:
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            t("download_csv", lang),
            csv_bytes(table),
            file_name=f"industrikart_{kind}.csv",
            mime="text/csv",
            key=f"download_{kind}",
        )

page.finish()
