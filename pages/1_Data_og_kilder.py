"""Every record behind the map, with its source and year, as tables that can be downloaded."""

from __future__ import annotations

import streamlit as st

from analysis.filters import apply_filters
from i18n import t
from ui.data import portfolio
from ui.sidebar import portfolio_filters
from ui.state import language_selector
from ui.tables import members_table, parks_table, sources_table

st.set_page_config(page_title="Industrikart Trøndelag", page_icon="🏭", layout="wide")

lang = language_selector()
data = portfolio(lang)
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
            table.to_csv(index=False).encode("utf-8-sig"),
            file_name=f"industrikart_{kind}.csv",
            mime="text/csv",
            key=f"download_{kind}",
        )
