"""The "Legg til i QGIS" box: the OGC API – Features address (INDUSTRIKART_OGC_URL, served by ogc/) to paste into QGIS,
shown only where the installation runs the service."""

from __future__ import annotations

import streamlit as st

from config import OGC_COLLECTION, settings
from i18n import t
from store import LayerInfo
from ui.text import escape_markdown


def qgis_address(lang: str, info: LayerInfo | None = None) -> None:
    """The service's address and how to add it in QGIS; for one stored layer (`info`), which collection to pick."""
    url = settings().ogc_url
    if not url:
        return
    st.markdown(f"**{t('qgis_add', lang)}**")
    if info is not None and not info.visible:
        st.caption(t("qgis_hidden", lang))
        return
    st.caption(t("qgis_help", lang))
    st.code(url, language=None, wrap_lines=True)
    if info is not None:
        collection = OGC_COLLECTION.format(id=info.id)
        st.caption(t("qgis_collection", lang, title=escape_markdown(info.title), collection=collection))
