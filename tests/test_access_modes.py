"""The three sign-in modes on a real page: OIDC (st.user seeded by AppTest, role rules in the test's own store),
the editor password and open local use; and what an identity's claims may and may not do."""

from __future__ import annotations

import time

import pytest

import config
from core.roles import Identity, RoleRule
from store import Origin, open_store
from store.acting import ActingStore, Actor
from store.errors import NotAllowed
from tests.helpers.apptest import app, read_back
from ui.access import sign_in_expired

# A provider address nothing listens on: these tests never leave the page (tests/test_oidc_tokens.py signs in for real)
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "generated-test-cookie-secret-0123456789abcdef",
    "client_id": "industrikart",
    "client_secret": "generated-test-client-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ORKLAND, STEINKJER = "5059", "5006"


def kari(**claims) -> dict:
    """The Orkland editor as st.user has her after signing in."""
    return {
        "is_logged_in": True,
        "sub": "kari-sub",
        "name": "Kari Nordmann",
        "email": "kari@orkland.kommune.no",
        "email_verified": True,
        "iat": int(time.time()) - 60,
        "aud": AUTH["client_id"],
        "provider": "default",
        **claims,
    }


@pytest.fixture
def store(portfolio):
    """Orkland's and Steinkjer's layers, and rules making orkland.kommune.no addresses editors of Orkland."""
    store = open_store()  # the private store every test gets (tests/conftest.py)
    operator = ActingStore(store, Actor.trusted("test", "generated test operator"))
    operator.set_role_rules([RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"])])
    operator.for_owner(ORKLAND).save(portfolio.parks.head(2), "Generated Orkland parks", "parks", Origin())
    operator.for_owner(STEINKJER).save(portfolio.parks.tail(2), "Generated Steinkjer parks", "parks", Origin())
    return store


def kartlag(user: dict | None = None):
    at = app("pages/4_Kartlag.py")
    at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    return at.run()


def texts(at) -> str:
    return "\n".join(read_back(c) for c in [*at.sidebar.caption, *at.sidebar.warning, *at.info])


def test_not_signed_in_a_viewer_gets_the_sign_in_button_and_no_changes(store):
    at = kartlag({"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.sidebar.button] == ["Logg inn"]
    assert not at.sidebar.text_input  # no password box: the provider signs people in
    assert not [b for b in at.button if b.label in ("Lagre endringer", "Slett")]
    assert "logge inn" in texts(at)


def test_an_editor_gets_the_changes_for_her_municipality_only(store):
    at = kartlag(kari())
    assert not at.exception
    assert "Logget inn som Kari Nordmann" in texts(at)
    assert "Redaktør for Orkland" in texts(at)
    deletes = [b for b in at.button if b.label == "Slett"]
    assert len(deletes) == 1, "one delete button: Orkland's layer, not Steinkjer's"
    assert deletes[0].key == f"layer_{store.list()[0].id}_delete"


def test_her_change_is_recorded_with_her_name_and_a_role_taken_away_counts_at_once(store):
    orkland = store.list()[0]
    at = kartlag(kari())
    at.text_input(key=f"layer_{orkland.id}_title").input("Generated renamed by Kari")
    at.button(key=f"layer_{orkland.id}_save").click().run()
    assert not at.exception
    assert store.get(orkland.id).title == "Generated renamed by Kari"
    entry = store.audit_log(layer_id=orkland.id)[0]
    assert (entry.action, entry.outcome, entry.subject, entry.name) == ("rename", "done", "kari-sub", "Kari Nordmann")
    # the administrator takes the rule away: her open page asks again at her next action
    ActingStore(store, Actor.trusted("test", "generated test operator")).set_role_rules([])
    at.run()
    assert not [b for b in at.button if b.label == "Slett"]
    with pytest.raises(NotAllowed):  # and the store refuses whatever still reaches it
        ActingStore(store, Actor(Identity.from_claims(kari()))).delete(orkland.id)
    assert store.audit_log(layer_id=orkland.id)[0].outcome == "refused"


def test_a_sign_in_older_than_the_setting_must_be_made_again(store):
    at = kartlag(kari(iat=int(time.time()) - int(config.SIGN_IN_HOURS * 3600) - 60))
    assert not at.exception
    assert "Innloggingen din er eldre enn" in texts(at)
    assert [b.label for b in at.sidebar.button] == ["Logg inn"]
    assert not [b for b in at.button if b.label == "Slett"]


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-client"}, {"aud": ["another-client"]}, {"aud": None}, {"provider": "another-provider"}],
)
def test_a_token_not_issued_to_this_app_signs_nobody_in(store, claims):
    at = kartlag(kari(**claims))
    assert not at.exception
    assert "ikke utstedt til denne appen" in texts(at)
    assert [b.label for b in at.sidebar.button] == ["Logg inn"]
    assert "Kari" not in texts(at)


def test_an_audience_list_naming_this_app_is_accepted(store):
    assert "Logget inn som Kari" in texts(kartlag(kari(aud=["another-client", AUTH["client_id"]])))


def test_hostile_claims_show_as_text(store):
    name = '<b>Kari</b> {{ 7*7 }} =HYPERLINK("http://x") [lenke](http://x)'
    at = kartlag(kari(name=name))
    assert not at.exception
    assert f"Logget inn som {name}" in texts(at)
    assert "49" not in texts(at)


def test_the_installation_may_show_nothing_to_people_not_signed_in(store, monkeypatch):
    monkeypatch.setenv("INDUSTRIKART_SIGN_IN_TO_VIEW", "1")
    config.settings.cache_clear()
    try:
        hidden = kartlag({"is_logged_in": False})
        shown = kartlag(kari())
    finally:
        config.settings.cache_clear()
    assert not hidden.exception and not shown.exception
    assert not hidden.dataframe and any("bare til innloggede" in i.value for i in hidden.info)
    assert shown.dataframe


@pytest.mark.parametrize(
    ("iat", "expired"),
    [(0, True), (None, True), ("1700000000", True), (True, True), (-3600, False), (-60, False)],
)
def test_a_sign_in_without_a_good_issue_time_counts_as_expired(iat, expired):
    now = 2_000_000_000.0
    claims = {} if iat is None else {"iat": now + iat if isinstance(iat, int) and iat < 0 else iat}
    assert sign_in_expired(claims, now=now) is expired


@pytest.mark.parametrize(
    ("value", "hours"),
    [(None, config.SIGN_IN_HOURS), ("", config.SIGN_IN_HOURS), ("8", 8.0), ("0", 10.0), ("nan", 10.0), ("x", 10.0)],
)
def test_sign_in_hours_setting(value, hours):
    env = {} if value is None else {"INDUSTRIKART_SIGN_IN_HOURS": value}
    assert config.Settings.from_env(env).sign_in_hours == hours


def test_a_refused_save_says_why_and_not_that_the_store_is_unreachable():
    from streamlit.testing.v1 import AppTest

    def script():
        from store.errors import NotAllowed
        from ui.saving import saved

        def refuse():
            raise NotAllowed("acting_not_allowed", layer_id=1)

        saved(refuse, "pf_invalid", "nb")

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert "ikke lov til å endre" in at.error[0].value and "kan ikke nås" not in at.error[0].value


@pytest.mark.parametrize(
    ("secrets_text", "mode"),
    [
        ("[auth]\nclient_secret = oops-unquoted\n", "misconfigured"),  # a file Streamlit cannot parse
        ('[auth]\nredirect_uri = "http://127.0.0.1:8501/oauth2callback"\nclientid = "typo"\n', "misconfigured"),
        ("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items()), "oidc"),
        (None, "open"),  # no secrets file at all: a laptop's local use
    ],
    ids=["unparseable", "auth without a client id", "sound", "none"],
)
def test_a_secrets_file_that_cannot_be_used_leaves_everyone_a_viewer(tmp_path, secrets_text, mode):
    """A typo in the secrets (or a replica whose file did not mount right) must not open a shared installation."""
    import os
    import subprocess
    import sys

    secrets = tmp_path / "generated_secrets.toml"
    if secrets_text is not None:
        secrets.write_text(secrets_text, encoding="utf-8")
    code = (
        "import sys; from streamlit import config; config.set_option('secrets.files', [sys.argv[1]]);"
        "from ui.access import auth_mode, current_actor; m = auth_mode();"
        "print(m, current_actor().identity.subject if m != 'oidc' else '')"
    )
    env = {k: v for k, v in os.environ.items() if k != config.EDITOR_PASSWORD_ENV}
    done = subprocess.run(
        [sys.executable, "-c", code, str(secrets)], cwd=config.ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout.split()
    assert printed[0] == mode
    if mode == "misconfigured":
        assert len(printed) == 1, printed  # the anonymous actor: no subject, a viewer under any rules
    if mode == "open":
        assert printed[1] == "local"


def test_on_a_misconfigured_installation_the_pages_say_so_and_offer_no_change(store):
    at = app("pages/4_Kartlag.py")
    at.secrets["auth"] = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}
    at.user = kari()
    at.run()
    assert not at.exception
    assert any("feil satt opp" in e.value for e in [*at.error, *at.sidebar.error])
    assert not [b for b in at.button if b.label in ("Lagre endringer", "Slett")]


def test_a_bundled_measure_is_the_countys_an_editor_of_one_municipality_cannot_override_it(store):
    """A change to a bundled measure is stored as an override that everyone sees: it is the county's to make."""
    at = app("pages/2_Portefolje.py")
    at.secrets["auth"] = AUTH
    at.user = kari()
    at.run()
    at.selectbox(key="ms_pick").set_value("tiltak-vormstad-biogass").run()
    at.text_input(key="ms_f_title_tiltak-vormstad-biogass").input("Overstyrt av Kari")
    at.button(key="ms_f_submit_tiltak-vormstad-biogass").click().run()
    assert not at.exception
    assert any("ikke lov til å endre" in e.value for e in at.error)
    assert not [i for i in store.list() if i.kind == "measures"]
    refused = store.audit_log()[0]
    assert (refused.action, refused.outcome, refused.owner, refused.subject) == ("upload", "refused", "50", "kari-sub")
