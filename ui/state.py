"""Session-wide settings: the language, and keeping widget values when the user switches page."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.schema import MAP_KINDS
from i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from maps.portfolio import LAYERS as PORTFOLIO_LAYERS

LANG_KEY = "lang"
_LANGUAGE_NAMES = {"nb": "Norsk bokmål", "en": "English"}

# Every widget value a planner finds again on coming back to a page (Kart → Utslipp → Kart keeps the
# filters). Kart and Data og kilder share one filter, so one set of keys: a municipality chosen on one is the
# one on the other (Utslipp and Portefølje have no municipality filter). Non-widget state (the map's view and
# selection, em_selected) is never dropped and needs no entry here.
FILTER_KEYS = ("f_municipalities", "f_statuses", "f_themes", "f_clusters", "f_sectors", "f_only_with_figure")
MAP_KEYS = ("basemap", "search", "search_match", *(f"show_{kind}" for kind in MAP_KINDS))
PRESENT_KEYS = ("present", "present_title", "present_subtitle")
EMISSIONS_KEYS = ("em_scope", "em_year", "em_base_year", "em_municipal_source", "em_sector")
PORTFOLIO_KEYS = (
    "pf_sites",
    "pf_radius_km",
    "pf_resources",
    "pf_statuses",
    "basemap",
    *(f"pf_show_{layer}" for layer in PORTFOLIO_LAYERS),
)
MEASURE_FILTER_KEYS = ("pf_m_statuses", "pf_m_kinds")
KEPT_KEYS = tuple(
    dict.fromkeys((*FILTER_KEYS, *MAP_KEYS, *PRESENT_KEYS, *EMISSIONS_KEYS, *PORTFOLIO_KEYS, *MEASURE_FILTER_KEYS))
)


def keep_widget_state(*keys: str) -> None:
    """Streamlit drops a widget's value at the end of a run that does not draw it (another page's run);
    re-assigning it as the run starts makes it session state of the user's, which is kept."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def keep_page_state() -> None:
    """At the top of every page (ui.page.PageFrame): every page's widget values survive a visit elsewhere."""
    keep_widget_state(LANG_KEY, *KEPT_KEYS)


_PAGE_SHOWN, _ARRIVED = "_page_shown", "_page_arrived"


def note_page() -> None:
    """At the top of every page: note a run of another page than the last run's (kept until `arrived` reads it,
    so a first run stopped early does not lose it)."""
    ctx = get_script_run_ctx()
    here = ctx.page_script_hash if ctx is not None else ""
    if st.session_state.get(_PAGE_SHOWN) != here:
        st.session_state[_PAGE_SHOWN] = here
        st.session_state[_ARRIVED] = True


def arrived() -> bool:
    """Whether this page was just opened (from another page, or as the session's first): once per arrival."""
    return bool(st.session_state.pop(_ARRIVED, False))


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
    ("pages/8_Administrasjon.py", "nav_admin", ":material/admin_panel_settings:"),
    ("pages/7_Tilgjengelighet.py", "nav_accessibility", ":material/accessibility:"),
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
