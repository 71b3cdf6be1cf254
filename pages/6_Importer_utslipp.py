"""Import official emission data (norskeutslipp.no, EEA F1_4, municipal statistics) into the layer store."""

from __future__ import annotations

import streamlit as st

from analysis.figures import with_latest_figure
from i18n import t
from maps.build import placement_map
from ui.data import portfolio
from ui.import_form import format_choice, placement_form, run, save_form, summary, unplaced
from ui.map_view import clicked_point
from ui.page import PageFrame
from ui.state import static_url
from ui.widget_texts import file_uploader

page = PageFrame("nav_import")
editor = page.editors_page("import_page_title", "import_page_intro")
lang = page.lang
if not editor:
    st.stop()

fmt = format_choice(lang)
file = file_uploader(t("upload_file", lang), ["xlsx", "csv"], lang, key="import_file")
if file is None:
    st.stop()
data = portfolio(lang)
result = run(file.getvalue(), file.name, fmt, data.sources, lang)
if result is None:
    st.stop()
summary(result, lang)

if not unplaced(result).empty:
    st.subheader(t("import_place_title", lang))
    sources = with_latest_figure(data.sources, data.figures)
    clicked = clicked_point(placement_map(sources, lang, static_url()), key="import_place_map")
    placement_form(result, lang, clicked)

st.subheader(t("upload_step_save", lang))
store = page.store()
save_form(result, store, lang)
