"""Who may change stored layers: editors when a password is configured, everyone when none is."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import streamlit as st

from config import settings
from i18n import t
from store.shared_counters import shared_guess_counter
from ui.password_throttle import GuessLimiter, whole_units
from ui.upload_guard import withhold_uploads

PASSWORD_SECRET = "editor_password"
_EDITOR = "_is_editor"
_INPUT = "_editor_password_input"
_FAILED = "_editor_password_failed"  # the last try's outcome: _WRONG, _REFUSED or absent
_WRONG = "wrong"
_REFUSED = "refused"
_GUESS_KEY = "_editor_guess_key"  # a random name for this session in the limiter
# one per process, shared by every session (it locks for itself); counts for everyone in PostGIS when
# DATABASE_URL is set, so the limit holds across replicas
LIMITER = GuessLimiter(shared=shared_guess_counter())


def configured_password() -> str | None:
    """The editor password from the environment or Streamlit secrets; None means open local use."""
    if settings().editor_password:
        return settings().editor_password
    try:
        value = st.secrets.get(PASSWORD_SECRET)
    except Exception:  # no (or a broken) secrets.toml: Streamlit raises its own error types
        return None
    return str(value) if value else None


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (of digests, so the length of the password leaks nothing either)."""
    digest = lambda text: hashlib.sha256(text.encode("utf-8")).digest()  # noqa: E731
    return hmac.compare_digest(digest(given), digest(expected))


def _guess_key() -> str:
    if _GUESS_KEY not in st.session_state:
        st.session_state[_GUESS_KEY] = secrets.token_hex(16)
    return st.session_state[_GUESS_KEY]


def client_address() -> str:
    """Who is guessing, as far as this replica can tell: for a connection from nginx (this machine, or an address in
    INDUSTRIKART_TRUSTED_PROXIES) the client's address nginx passes on (X-Real-IP, which it always sets itself), else
    the connection's own address."""
    direct = st.context.ip_address
    if direct is None or direct in settings().trusted_proxies:
        return (st.context.headers.get("X-Real-Ip") or direct or "local").strip()[:64]
    return direct


def _check() -> None:
    given = st.session_state.get(_INPUT, "")
    st.session_state[_INPUT] = ""  # the typed password does not stay in the session
    key, client = _guess_key(), client_address()
    if LIMITER.refusal(key, client):  # too soon or locked out: the password is not even compared
        st.session_state[_EDITOR] = False
        st.session_state[_FAILED] = _REFUSED
        return
    expected = configured_password()
    ok = bool(expected) and password_matches(given, expected)
    st.session_state[_EDITOR] = ok
    if ok:
        LIMITER.success(key)
        st.session_state.pop(_FAILED, None)
    else:
        LIMITER.failure(key, client)
        st.session_state[_FAILED] = _WRONG


def _duration(seconds: float, lang: str) -> str:
    count, unit = whole_units(seconds)
    return t(f"editor_{unit}_1", lang) if count == 1 else t(f"editor_{unit}_n", lang, n=count)


def _show_outcome(lang: str) -> None:
    outcome = st.session_state.get(_FAILED)
    if not outcome:
        return
    if outcome == _WRONG:
        st.sidebar.error(t("editor_wrong_password", lang))
    refusal = LIMITER.refusal(_guess_key(), client_address())
    if refusal and refusal.locked:
        st.sidebar.error(t("editor_too_many", lang, when=_duration(refusal.seconds, lang)))
    elif refusal and outcome == _REFUSED:
        st.sidebar.warning(t("editor_wait", lang, when=_duration(refusal.seconds, lang)))


def signed_in_editor() -> bool:
    """True when the user may edit, without drawing the sign-in box (a page draws it once, with editor_access)."""
    return configured_password() is None or bool(st.session_state.get(_EDITOR))


def editor_access(lang: str) -> bool:
    """True when the user may upload, replace, restore and delete; draws the sign-in box when needed."""
    if configured_password() is None:
        return True
    if st.session_state.get(_EDITOR):
        if st.sidebar.button(t("editor_sign_out", lang)):
            st.session_state[_EDITOR] = False
            withhold_uploads()
            st.rerun()
        return True
    st.sidebar.text_input(t("editor_password", lang), type="password", key=_INPUT, on_change=_check)
    _show_outcome(lang)
    st.info(t("viewer_only", lang))
    return False
