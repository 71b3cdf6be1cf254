"""Who may change stored layers: editors when a password is configured, everyone when none is."""

from __future__ import annotations

import hashlib
import hmac
import os

import streamlit as st

from i18n import t

PASSWORD_ENV = "INDUSTRIKART_EDITOR_PASSWORD"
PASSWORD_SECRET = "editor_password"
_EDITOR = "_is_editor"
_INPUT = "_editor_password_input"
_FAILED = "_editor_password_failed"


def configured_password() -> str | None:
    """The editor password from the environment or Streamlit secrets; None means open local use."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    try:
        value = st.secrets.get(PASSWORD_SECRET)
    except Exception:  # no (or a broken) secrets.toml: Streamlit raises its own error types
        return None
    return str(value) if value else None


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (of digests, so the length of the password leaks nothing either)."""
    digest = lambda text: hashlib.sha256(text.encode("utf-8")).digest()  # noqa: E731
    return hmac.compare_digest(digest(given), digest(expected))


def _check() -> None:
    given = st.session_state.get(_INPUT, "")
    expected = configured_password()
    ok = bool(expected) and password_matches(given, expected)
    st.session_state[_EDITOR] = ok
    st.session_state[_FAILED] = not ok
    st.session_state[_INPUT] = ""  # the typed password does not stay in the session


def editor_access(lang: str) -> bool:
    """True when the user may upload, replace, restore and delete; draws the sign-in box when needed."""
    if configured_password() is None:
        return True
    if st.session_state.get(_EDITOR):
        if st.sidebar.button(t("editor_sign_out", lang)):
            st.session_state[_EDITOR] = False
            st.rerun()
        return True
    st.sidebar.text_input(t("editor_password", lang), type="password", key=_INPUT, on_change=_check)
    if st.session_state.get(_FAILED):
        st.sidebar.error(t("editor_wrong_password", lang))
    st.info(t("viewer_only", lang))
    return False
