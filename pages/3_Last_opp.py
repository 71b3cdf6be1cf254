"""Upload a layer: read and check it, preview it, map its fields, and keep it in the layer store."""

from __future__ import annotations

import streamlit as st

from i18n import error_text, t
from store import StoreError
from ui.map_view import show_map
from ui.page import PageFrame
from ui.state import static_url
from ui.upload_form import (
    choose_crs,
    choose_layer,
    inspect,
    kind_and_mapping,
    mapping_hint,
    prepared_layer,
    preview_map,
    property_table,
    report,
    save_form,
    style_form,
)
from ui.widget_texts import file_uploader

page = PageFrame("nav_upload")
editor = page.editors_page("upload_page_title", "upload_page_intro")
lang = page.lang
if not editor:
    st.stop()

file = file_uploader(t("upload_file", lang), ["geojson", "json", "gpkg", "zip", "kml", "kmz", "csv", "xlsx"], lang)
if file is None:
    st.stop()
data = file.getvalue()
inspection = inspect(data, file.name, lang)
if inspection is None:
    st.stop()

layer = choose_layer(inspection, lang)
if layer is None:
    st.stop()
crs, swap = choose_crs(inspection, layer, lang)
columns = list(inspection.layer(layer).fields)

st.subheader(t("upload_step_kind", lang))
fields = kind_and_mapping(columns, lang, inspection.layer(layer).geometry_types)
style = style_form(columns, lang) if fields.kind == "other" else None
if not mapping_hint(fields, lang):
    st.stop()

prepared = prepared_layer(data, file.name, layer, crs, swap, fields, lang)
if prepared is None:
    st.stop()

st.subheader(t("upload_step_preview", lang))
report(prepared, lang)
show_map(preview_map(prepared, style, static_url()), [], key="upload_preview")
st.dataframe(property_table(prepared), hide_index=True, width="stretch")

st.subheader(t("upload_step_save", lang))
store = page.store()
try:
    existing = store.list()
except (StoreError, OSError) as exc:
    st.error(t("store_error", lang, error=error_text(exc, lang)))
    st.stop()
save_form(prepared, store, style, existing, lang)
