"""Every record behind the map, with its source and year, as tables that can be downloaded."""

from __future__ import annotations

import streamlit as st

from analysis.filters import apply_filters
from exports.tables import csv_bytes
from i18n import t
from ui import view_state
from ui.data import portfolio
from ui.sidebar import filter_params, portfolio_filters, share_box
from ui.state import current_language, language_selector
from ui.tables import members_table, parks_table, sources_table

st.set_page_config(page_title="Industrikart Trøndelag", page_icon="🏭", layout="wide")

data = portfolio(current_language())
params = filter_params(data)
ignored = view_state.restore(params)
lang = language_selector()
view = apply_filters(data, portfolio_filters(data, lang))
if ignored:
    st.toast(t("url_ignored", lang, names=", ".join(ignored)))

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

share_box(view_state.share_link(view_state.publish(params)), lang)
