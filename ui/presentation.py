"""Presentation mode: no sidebar or Streamlit chrome, large type, the map in a 16:9 frame."""

from __future__ import annotations

from datetime import date

import streamlit as st

import config
from i18n import t
from ui.style import style_sheet
from ui.text import escape_markdown

# Our own constant CSS (no user text in it). The content fills the screen's width and the map frame is 16:9 of
# it (the map inside fills its frame: maps/build.POPUP_CSS); the edit button sits outside the slide, in the
# top right corner, unobtrusive (no border or background until pointed at or focused) but legible: its text keeps
# the 4.5:1 contrast WCAG 2.1 AA asks (a faded button did not), as does the caption (no fading either).
_CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{display: none !important;}}
[data-testid="stMainBlockContainer"], .block-container {{
    max-width: 100% !important; padding: 1.2rem {config.PRESENT_SIDE_PADDING_PX}px 0.5rem !important;
}}
iframe[src*="streamlit_folium.st_folium"] {{aspect-ratio: 16 / 9; height: auto !important; width: 100% !important;}}
.st-key-ik_present_tools {{position: fixed; top: 6px; right: 10px; z-index: 999990; width: auto !important;}}
.st-key-ik_present_tools:not(:hover):not(:focus-within) button {{
    border-color: transparent; background: transparent; color: #595959;
}}
h1 {{font-size: 2.6rem !important; color: #111 !important;}}
[data-testid="stMetricValue"] {{font-size: 2.2rem !important; color: #111 !important;}}
[data-testid="stMetricLabel"] p {{font-size: 1.05rem !important; color: #222 !important;}}
[data-testid="stCaptionContainer"] {{color: #333 !important; opacity: 1 !important; font-size: 1rem !important;}}
</style>
"""


def apply_presentation_style() -> None:
    style_sheet(_CSS)


def heading(lang: str, present: bool, title: str | None = None, subtitle: str | None = None) -> None:
    """The page's title and caption, or on a slide the presenter's own title and subtitle with the date.

    `title`/`subtitle` are the page's own (default: the app's); a presenter's text replaces them.
    """
    title = title or t("app_title", lang)
    subtitle = subtitle or t("app_subtitle", lang)
    if not present:
        st.title(title)
        st.caption(subtitle)
        return
    apply_presentation_style()
    with st.container(key="ik_present_tools"), st.popover(t("present_edit", lang)):
        st.text_input(t("present_title", lang), key="present_title")
        st.text_input(t("present_subtitle", lang), key="present_subtitle")
        st.toggle(t("present_mode", lang), key="present")
    st.title(escape_markdown(st.session_state.get("present_title") or title))
    shown = st.session_state.get("present_subtitle") or subtitle
    st.caption(f"{escape_markdown(shown)} · {date.today().isoformat()}")
