"""Session-wide settings: the language, and keeping widget values when the user switches page."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from i18n import DEFAULT_LANGUAGE, LANGUAGES, t

LANG_KEY = "lang"
_LANGUAGE_NAMES = {"nb": "Norsk bokmål", "en": "English"}


def keep_widget_state(*keys: str) -> None:
    """Streamlit drops a widget's value when a page without it runs; re-assigning keeps it."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def current_language() -> str:
    """The language before any widget is drawn: the session's, else the link's, else bokmål."""
    if LANG_KEY in st.session_state:
        return st.session_state[LANG_KEY]
    lang = st.query_params.get(LANG_KEY)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


# The sidebar menu: Streamlit's own page list takes its labels from file names ("dashboard"), so it is
# switched off (.streamlit/config.toml) and this one, in the user's language, is drawn instead.
PAGES = (
    ("dashboard.py", "nav_map", ":material/map:"),
    ("pages/1_Utslipp.py", "nav_emissions", ":material/factory:"),
    ("pages/2_Portefolje.py", "nav_portfolio", ":material/hub:"),
    ("pages/5_Data_og_kilder.py", "nav_data", ":material/menu_book:"),
    ("pages/3_Last_opp.py", "nav_upload", ":material/upload:"),
    ("pages/4_Kartlag.py", "nav_layers", ":material/layers:"),
    ("pages/6_Importer_utslipp.py", "nav_import", ":material/download:"),
)


def page_menu(lang: str) -> None:
    for path, key, icon in PAGES:
        try:
            st.sidebar.page_link(path, label=t(key, lang), icon=icon)
        except StreamlitPageNotFoundError:
            return  # a page run on its own (AppTest of one file): there is no app to link within
    st.sidebar.divider()


def language_selector() -> str:
    """The page menu and the language switch, at the top of every page's sidebar."""
    keep_widget_state(LANG_KEY)
    page_menu(current_language())
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = DEFAULT_LANGUAGE
    lang = st.sidebar.radio(
        t("language"),
        LANGUAGES,
        key=LANG_KEY,
        format_func=_LANGUAGE_NAMES.__getitem__,
        horizontal=True,
    )
    return lang


def static_url() -> str:
    """Where Streamlit serves static/ (it moves with server.baseUrlPath)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"
