"""The page's own style sheets: constant CSS of ours (user text never reaches it)."""

from __future__ import annotations

import streamlit as st

from ui import map_first


def style_sheet(css: str) -> None:
    """Write `css`, a `<style>` element, into the page. It goes out in a held run too (ui/map_first.py): it sets
    the layout the map is first drawn in. As `st.html` of style alone it takes no place in the page (Streamlit puts it
    in its event container) and needs none of the markdown renderer's scripts, which a page's first paint then
    waited for."""
    with map_first.sent_anyway():
        st.html(css)
