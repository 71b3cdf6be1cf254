"""Stored layers: what is there, and (for editors) showing, renaming, versions and the bin."""

from __future__ import annotations

import streamlit as st

from config import settings
from i18n import error_text, t
from store import StoreError
from ui.layer_admin import bin_actions, downloads, editor_actions, layer_table
from ui.page import PageFrame
from ui.text import escape_markdown

page = PageFrame("nav_layers")
editor = page.editors_page("layers_page_title", "layers_page_intro")
lang = page.lang

store = page.store()
try:
    store.purge()  # deleted layers are restorable for 30 days, then gone
    layers = store.list(include_deleted=True)
except (StoreError, OSError) as exc:
    st.error(t("store_error", lang, error=error_text(exc, lang)))
    st.stop()

live = [i for i in layers if not i.deleted]
binned = [i for i in layers if i.deleted]
if not live and not (binned and editor):
    st.info(t("no_layers", lang))
if live:
    st.dataframe(layer_table(live, lang), hide_index=True, width="stretch")
for info in live:
    with st.expander(f"{escape_markdown(info.title)} · {t('kind_' + info.kind, lang)} · v{info.version}"):
        if info.description:
            st.text(info.description)
        downloads(info, lang, settings().store)
        if editor:
            editor_actions(store, info, lang)
if binned and editor:  # a deleted layer is for the editors who may restore it: no one else downloads it
    st.subheader(t("bin", lang))
    for info in binned:
        with st.expander(f"{escape_markdown(info.title)} · {t('kind_' + info.kind, lang)}"):
            downloads(info, lang, settings().store)
            bin_actions(store, info, lang, editor)
