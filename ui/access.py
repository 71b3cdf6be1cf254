"""Who is using the app, in one of three modes the installation picks (README, "Running for many users"):

- OIDC: providers in the `[auth]` section of Streamlit's secrets. People sign in with their organisation's identity
  provider (`st.login`); the administrators' role rules turn their claims into a role per municipality
  (core/roles.py), checked again by the store at every change (store/acting.py).
- PASSWORD: no provider, an editor password (INDUSTRIKART_EDITOR_PASSWORD or secrets): one trusted editor role.
- OPEN: neither: a local, single-user installation where the user may change everything.

Every mode gives the pages an `Actor` for `ActingStore`, so every change is logged with who made it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

import streamlit as st
from streamlit import config as st_config

from config import settings
from core.roles import Access, Identity, Role, owner_name
from i18n import t
from store import LayerStore
from store.acting import ActingStore, Actor
from store.shared_counters import shared_guess_counter
from ui.password_throttle import GuessLimiter, whole_units
from ui.text import escape_markdown
from ui.upload_guard import withhold_uploads

log = logging.getLogger(__name__)

OIDC, PASSWORD, OPEN, MISCONFIGURED = "oidc", "password", "open", "misconfigured"
_BROKEN = object()  # a secrets file that is there but cannot be read
DEFAULT_PROVIDER = "default"  # `[auth]` itself names the provider (st.login() with no name)
LOCAL_USER = Actor.trusted("local", "lokal bruker")
PASSWORD_EDITOR = Actor.trusted("editor-password", "redaktør (felles passord)")
ANONYMOUS = Actor(Identity(subject="", name="anonym"))  # no subject: a viewer under any rules

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


def auth_mode() -> str:
    """OIDC when a provider is configured, else PASSWORD when an editor password is, else OPEN; MISCONFIGURED (fail
    closed: everyone a viewer) when a secrets file is there but unreadable, or has an `[auth]` without a provider.
    A typo must never turn a shared installation into an open one."""
    auth = _auth_section()
    if auth is _BROKEN or (auth is not None and not client_ids()):
        return MISCONFIGURED
    if auth is not None:
        return OIDC
    return PASSWORD if configured_password() else OPEN


def _auth_section() -> Mapping | object | None:
    """The secrets' `[auth]` section; None when there is none; _BROKEN when the secrets cannot be read."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # Streamlit raises its own error types, for no file at all and for a file it cannot parse
        if any(Path(p).exists() for p in st_config.get_option("secrets.files")):
            log.error("the secrets file cannot be read: no one may change anything until it is mended")
            return _BROKEN
        return None
    if auth is None:
        return None
    return auth if isinstance(auth, Mapping) else _BROKEN


def oidc_providers() -> list[str]:
    """The providers of the secrets' `[auth]` section: its named subsections with a client_id (`[auth.entra]`,
    `[auth.idporten]`), or DEFAULT_PROVIDER when the section itself has one."""
    return list(client_ids())


def client_ids() -> dict[str, str]:
    """Each configured provider's name and this app's client id with it."""
    auth = _auth_section()
    if not isinstance(auth, Mapping):
        return {}
    named = {
        name: str(value["client_id"])
        for name, value in auth.items()
        if isinstance(value, Mapping) and value.get("client_id")
    }
    return named or ({DEFAULT_PROVIDER: str(auth["client_id"])} if auth.get("client_id") else {})


def signed_in_identity() -> Identity | None:
    """The identity the provider gave this browser, while its sign-in is sound (sign_in_problem)."""
    if not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    return None if sign_in_problem(claims, client_ids()) else Identity.from_claims(claims)


def sign_in_problem(claims: Mapping[str, object], clients: Mapping[str, str], now: float | None = None) -> str | None:
    """Why a sign-in Streamlit accepted is not accepted here, or None: "audience" when the ID token was not issued
    for this app's client at its provider (authlib 1.9 checks `aud` only by way of `azp`: OIDC Core 3.1.3.7 asks for
    more), "expired" when it is older than the installation allows."""
    expected = clients.get(str(claims.get("provider") or DEFAULT_PROVIDER))
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if expected is None or expected not in audiences:
        return "audience"
    return "expired" if sign_in_expired(claims, now) else None


def sign_in_expired(claims: Mapping[str, object], now: float | None = None) -> bool:
    """True when the ID token was issued more than settings().sign_in_hours ago, or says not when (fail closed):
    Streamlit keeps its identity cookie for 30 days whatever the provider says."""
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return True
    return (time.time() if now is None else now) - issued > settings().sign_in_hours * 3600


def current_actor() -> Actor:
    """Who acts in this session: the signed-in identity (OIDC), the password editor, the local user, or ANONYMOUS."""
    mode = auth_mode()
    if mode == MISCONFIGURED:
        return ANONYMOUS
    if mode == OPEN:
        return LOCAL_USER
    if mode == PASSWORD:
        return PASSWORD_EDITOR if st.session_state.get(_EDITOR) else ANONYMOUS
    identity = signed_in_identity()
    return ANONYMOUS if identity is None else Actor(identity)


def acting_store(store: LayerStore, owner: str | None = None) -> ActingStore:
    """`store` as this session's actor changes it: every change checked and logged (store/acting.py)."""
    return ActingStore(store, current_actor(), owner)


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


def editor_access(lang: str, store: ActingStore | None = None) -> bool:
    """True when the user may change something (which things: the store decides per layer); draws the sign-in box
    or who is signed in, once per page. `store`: the session's store, whose rules decide the role (OIDC)."""
    mode = auth_mode()
    if mode == OPEN:
        return True
    if mode == MISCONFIGURED:
        st.error(t("auth_misconfigured", lang))
        return False
    if mode == OIDC:
        return _oidc_access(lang, store)
    if st.session_state.get(_EDITOR):
        if st.sidebar.button(t("editor_sign_out", lang)):
            st.session_state[_EDITOR] = False
            withhold_uploads()
            st.rerun()
        return True
    st.sidebar.text_input(t("editor_password", lang), type="password", key=_INPUT, on_change=_check)
    _show_outcome(lang)
    st.info(viewer_only_text(lang))
    return False


def _oidc_access(lang: str, store: ActingStore | None) -> bool:
    """The sidebar's identity box is every page's (identity_box); here only what this page lets the person do."""
    access = store.access() if store is not None and signed_in_identity() is not None else Access()
    if not access.may_edit:
        st.info(viewer_only_text(lang))
    return access.may_edit


def identity_box(lang: str, store: LayerStore | None) -> None:
    """On every page with OIDC: who is signed in and what they may do, with the sign-out button; else sign-in.
    The provider sends people back to the first page, so signing in cannot be an editors' pages' matter only."""
    identity = signed_in_identity()
    if identity is None:
        sign_in_box(lang)
        return
    st.sidebar.caption(t("signed_in_as", lang, name=escape_markdown(identity.name)))
    if store is not None:
        access = ActingStore(store, Actor(identity)).access()
        st.sidebar.caption(escape_markdown(access_summary(access, lang)))
    if st.sidebar.button(t("sign_out", lang), key="oidc_sign_out"):
        withhold_uploads()
        for key in list(st.session_state):  # nothing this person did stays in the session
            del st.session_state[key]
        st.logout()


def viewer_only_text(lang: str) -> str:
    """What a viewer is told about changing things: sign in (OIDC), or the editor password."""
    return t("viewer_only_sign_in" if auth_mode() == OIDC else "viewer_only", lang)


def sign_in_box(lang: str) -> None:
    """A sign-in button per configured provider; a note when the browser's sign-in was not accepted."""
    if st.user.is_logged_in:
        problem = sign_in_problem(st.user.to_dict(), client_ids())
        key = {"audience": "sign_in_audience", "expired": "sign_in_expired"}[problem]
        st.sidebar.warning(t(key, lang, hours=settings().sign_in_hours))
    for provider in oidc_providers():
        label = t("sign_in", lang) if provider == DEFAULT_PROVIDER else t("sign_in_with", lang, provider=provider)
        if st.sidebar.button(label, key=f"oidc_sign_in_{provider}", type="primary"):
            st.login() if provider == DEFAULT_PROVIDER else st.login(provider)


def access_summary(access: Access, lang: str) -> str:
    """What the person may do, in words: "Redaktør for Orkland, Steinkjer", "Administrator", "Kan se"."""
    if access.role is Role.EDITOR:
        return t("access_editor_for", lang, owners=", ".join(owner_name(o) for o in access.owners()))
    return t(f"access_{access.role}", lang)
