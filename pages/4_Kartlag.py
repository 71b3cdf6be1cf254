"""Stored layers: what is there, and (for editors) showing, renaming, versions and the bin."""

from __future__ import annotations

import streamlit as st

from config import settings
from i18n import error_text, t
from store import StoreError
from ui.audit import layer_log
from ui.layer_admin import bin_actions, downloads, editor_actions, layer_table
from ui.page import PageFrame
from ui.qgis import qgis_address
from ui.text import escape_markdown

page = PageFrame("nav_layers")
page.editors_page("layers_page_title", "layers_page_intro")  # who may change which layer: store.access()
lang = page.lang

store = page.store()
try:
    store.purge()  # deleted layers are restorable for 30 days, then gone
    layers = store.list(include_deleted=True)
except (StoreError, OSError) as exc:
    st.error(t("store_error", lang, error=error_text(exc, lang)))
    st.stop()

access = store.access()
live = [i for i in layers if not i.deleted]
binned = [i for i in layers if i.deleted and access.may_change(i.owner)]  # only for those who may restore it
if not live and not binned:
    st.info(t("no_layers", lang))
if live:
    st.dataframe(layer_table(live, lang), hide_index=True, width="stretch")
for info in live:
    with st.expander(f"{escape_markdown(info.title)} · {t('kind_' + info.kind, lang)} · v{info.version}"):
        if info.description:
            st.text(info.description)
        downloads(info, lang, settings().store)
        qgis_address(lang, info)
        if access.may_change(info.owner):  # the store checks again when a change is made
            editor_actions(store, info, lang)
            layer_log(store, info, lang)  # it names people: for those who answer for the layer
if binned:  # a deleted layer is for the editors who may restore it: no one else downloads it
    st.subheader(t("bin", lang))
    for info in binned:
        with st.expander(f"{escape_markdown(info.title)} · {t('kind_' + info.kind, lang)}"):
            downloads(info, lang, settings().store)
            bin_actions(store, info, lang)
            layer_log(store, info, lang)
