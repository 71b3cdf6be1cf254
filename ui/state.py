"""Session-wide settings: the language, and keeping widget values when the user switches page."""

from __future__ import annotations

import streamlit as st

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


def language_selector() -> str:
    keep_widget_state(LANG_KEY)
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


def language_from_link() -> str:
    """For pages whose only link state is the language: restore it, draw the selector, keep the link up to date."""
    from ui import view_state
    from ui.view_state import choice, key_param

    params = [key_param("lang", LANG_KEY, choice(LANGUAGES), default=DEFAULT_LANGUAGE)]
    view_state.restore(params)
    lang = language_selector()
    view_state.publish(params)
    return lang
