"""Sign-in, roles and the audit log through real nginx on two replicas sharing one PostGIS (issue 24, point 4): an
Orkland editor signs in through the real OIDC provider and uploads, sees no delete for Steinkjer's layer, keeps her
sign-in and her layer when her replica is killed; the administrator reads both uploads and a refused forgery in the
audit log's CSV. Chromium only ever talks to nginx (a replica directly only to kill it)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import signal
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import pandas as pd
import psycopg
import pytest
from playwright.sync_api import expect
from psycopg import sql

from core.roles import Identity, RoleRule
from i18n import t
from store import PostGISStore
from store.acting import ActingStore, Actor
from store.errors import NotAllowed
from tests.helpers.browser import OfflinePage, free_port, run, running_app
from tests.helpers.nginx import needs_nginx, running_nginx
from tests.helpers.oidc import (
    COUNTY_ADMIN,
    ORKLAND_EDITOR,
    STEINKJER_EDITOR,
    secrets_env,
    secrets_toml,
    sign_in_at_provider,
)
from tests.helpers.store_fixtures import PG_URL, generated_parks

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), needs_nginx]

NO_PG = 'needs TEST_DATABASE_URL or DATABASE_URL: start one with eval "$(bash tests/postgis.sh start)"'
ORKLAND, STEINKJER = "5059", "5006"
UPSTREAM = "x-industrikart-upstream"  # names the replica that answered (render_nginx's expose_upstream)
KARIS_FILE = "orkland_generert.geojson"
KARIS_TITLE = "orkland_generert"  # the form's default title: the file's name without its suffix
STEINKJERS_TITLE = "Steinkjer generert"
KARIS_GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"navn": f"Generert punkt i Orkland {i}"},
                "geometry": {"type": "Point", "coordinates": xy},
            }
            for i, xy in enumerate([[9.85, 63.3], [9.9, 63.31]])
        ],
    }
).encode()


@pytest.fixture(scope="module")
def pg_schema():
    if not PG_URL:
        if os.environ.get("REQUIRE_POSTGIS"):
            raise RuntimeError("REQUIRE_POSTGIS is set but no PostGIS URL: " + NO_PG)
        pytest.skip(NO_PG)
    schema = f"replicas_{uuid.uuid4().hex[:10]}"
    yield schema
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(scope="module")
def store(pg_schema):
    """The replicas' store, seen from the test process: the role rules, and Ola's layer of Steinkjer, put there
    before any replica starts."""
    shared = PostGISStore(PG_URL, schema=pg_schema)
    ActingStore(shared, Actor.trusted("test", "generated test operator")).set_role_rules(
        [
            RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"]),
            RoleRule.of("email_domain", "steinkjer.kommune.no", "editor", ["Steinkjer"]),
            RoleRule.of("groups", "industrikart-admin", "admin"),
        ]
    )
    ola = ActingStore(shared, Actor(Identity.from_claims(STEINKJER_EDITOR)))
    ola.for_owner(STEINKJER).save(generated_parks(2, prefix="steinkjer"), STEINKJERS_TITLE, "parks")
    return shared


@pytest.fixture(scope="module")
def replicas(oidc_issuer, pg_schema, store):
    """Two replicas (as deploy/start-replica.sh starts them: one PostGIS schema, the same secrets and cookie secret)
    behind real nginx; nginx's URL and the replicas by their host:port (as nginx names them)."""
    nginx_port = free_port()
    shared_secrets = secrets_toml(oidc_issuer, app_port=nginx_port)  # the provider sends people back to nginx
    cookie_secret = secrets.token_hex(32)
    env = {
        "DATABASE_URL": PG_URL,
        "INDUSTRIKART_PG_SCHEMA": pg_schema,
        "INDUSTRIKART_COOKIE_SECRET": cookie_secret,
        "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
        **secrets_env(shared_secrets),
    }
    with running_app(env=env) as a, running_app(env=env) as b:
        by_address = {urlparse(url).netloc: url for url in (a, b)}
        with running_nginx(list(by_address), port=nginx_port, expose_upstream=True) as nginx:
            yield nginx, by_address


def sidebar(page: OfflinePage):
    return page.page.locator('[data-testid="stSidebar"]')


def sign_in(browser, nginx: str, claims: dict) -> OfflinePage:
    """A fresh browser (its own cookies) signed in through nginx as `claims`' user at the provider's page."""
    page = OfflinePage(browser, nginx + "/Kartlag")  # no map: its first reruns could swallow the click
    button = sidebar(page).get_by_role("button", name=t("sign_in", "nb"), exact=True)
    expect(button).to_be_visible(timeout=120_000)
    run(page)  # a click mid-rerun can be swallowed
    button.click()
    sign_in_at_provider(page, claims["sub"])
    expect(sidebar(page)).to_contain_text(t("signed_in_as", "nb", name=claims["name"]), timeout=60_000)
    return page


def open_through_nginx(page: OfflinePage, url: str) -> str:
    """Load `url` (nginx) as a new document; the replica that answered it last (host:port)."""
    response = page.page.goto(url)
    assert response is not None and response.ok, response
    return response.headers[UPSTREAM].split(",")[-1].strip()  # "A, B" when nginx had to go on from A


def layer_expander(page: OfflinePage, title: str):
    """The layer's expander on Kartlag, opened."""
    expander = page.page.locator('[data-testid="stExpander"]', has_text=title)
    expect(expander).to_have_count(1, timeout=60_000)
    run(page)  # opening it starts no rerun, but a rerun under way could redraw it closed
    expander.locator("summary").click()
    return expander


def delete_buttons(expander):
    return expander.get_by_role("button", name=t("delete", "nb"), exact=True)


@contextlib.contextmanager
def kari_uploads(browser, nginx: str) -> Iterator[OfflinePage]:
    """Kari, the Orkland editor, signed in through nginx, having uploaded her layer on Last_opp."""
    page = sign_in(browser, nginx, ORKLAND_EDITOR)
    try:
        expect(sidebar(page)).to_contain_text(t("access_editor_for", "nb", owners="Orkland"))
        page.page.goto(nginx + "/Last_opp")
        zone = page.page.locator('[data-testid="stFileUploaderDropzone"]')
        zone.locator("button").wait_for(timeout=90_000)
        run(page)
        zone.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": KARIS_FILE, "mimeType": "application/json", "buffer": KARIS_GEOJSON}]
        )
        save = page.page.get_by_role("button", name=t("upload_save", "nb"), exact=True)
        save.wait_for(timeout=90_000)
        main = page.page.locator('[data-testid="stMain"]')
        expect(main).to_contain_text(t("upload_owner_is", "nb", owner="Orkland"))
        expect(main).to_contain_text(t("upload_saved_as", "nb", name=ORKLAND_EDITOR["name"]))
        run(page, save.click)
        expect(page.page.locator('[role="status"]', has_text=f"«{KARIS_TITLE}»")).to_be_visible(timeout=60_000)
        yield page
    finally:
        page.close()


def test_sign_in_roles_and_the_log_through_nginx_on_two_replicas_one_killed(browser, replicas, store):
    """One test, in order (a module fixture set up again between tests would upload again, on a replica fewer)."""
    nginx, _ = replicas
    with kari_uploads(browser, nginx) as kari:
        she_may_delete_only_her_own(kari, replicas, store)
        her_replica_killed_she_goes_on_on_the_other(kari, replicas, store)
    the_administrator_reads_both_uploads_and_a_refused_forgery(browser, replicas, store)


def she_may_delete_only_her_own(kari: OfflinePage, replicas, store) -> None:
    nginx, _ = replicas
    mine = [i for i in store.list() if i.title == KARIS_TITLE]
    assert [(i.owner, i.uploader) for i in mine] == [(ORKLAND, ORKLAND_EDITOR["name"])]

    open_through_nginx(kari, nginx + "/Kartlag")
    expect(delete_buttons(layer_expander(kari, KARIS_TITLE))).to_have_count(1, timeout=60_000)
    steinkjers = layer_expander(kari, STEINKJERS_TITLE)
    expect(steinkjers.get_by_role("button").first).to_be_visible()  # its downloads: the expander is drawn
    expect(delete_buttons(steinkjers)).to_have_count(0)
    assert kari.unexpected_errors() == []


def her_replica_killed_she_goes_on_on_the_other(kari: OfflinePage, replicas, store) -> None:
    """Signed in, with nothing lost."""
    nginx, by_address = replicas
    served = open_through_nginx(kari, nginx + "/Kartlag")
    assert served in by_address, (served, list(by_address))
    expect(sidebar(kari)).to_contain_text(t("signed_in_as", "nb", name=ORKLAND_EDITOR["name"]), timeout=60_000)
    os.kill(by_address[served].pid, signal.SIGKILL)

    survivor = open_through_nginx(kari, nginx + "/Kartlag")
    assert survivor in by_address and survivor != served, (served, survivor)
    # the identity cookie is signed with the secret both replicas share: no new sign-in
    expect(sidebar(kari)).to_contain_text(t("signed_in_as", "nb", name=ORKLAND_EDITOR["name"]), timeout=60_000)
    expect(sidebar(kari)).to_contain_text(t("access_editor_for", "nb", owners="Orkland"))
    expect(delete_buttons(layer_expander(kari, KARIS_TITLE))).to_have_count(1, timeout=60_000)
    assert {i.title for i in store.list()} == {KARIS_TITLE, STEINKJERS_TITLE}


def the_administrator_reads_both_uploads_and_a_refused_forgery(browser, replicas, store) -> None:
    nginx, _ = replicas
    steinkjers = next(i for i in store.list() if i.title == STEINKJERS_TITLE)
    # Kari forges a delete of Steinkjer's layer through the server's store API, as the provider names her
    forger = ActingStore(store, Actor(Identity.from_claims(ORKLAND_EDITOR)))
    with pytest.raises(NotAllowed):
        forger.delete(steinkjers.id)
    assert not store.get(steinkjers.id).deleted

    admin = sign_in(browser, nginx, COUNTY_ADMIN)
    try:
        expect(sidebar(admin)).to_contain_text(t("access_admin", "nb"))
        open_through_nginx(admin, nginx + "/Administrasjon")
        download = admin.page.get_by_role("button", name=t("audit_download_csv", "nb"), exact=True)
        expect(download).to_be_visible(timeout=90_000)
        run(admin)
        with admin.page.expect_download(timeout=60_000) as saved:
            download.click()
        with open(saved.value.path(), "rb") as file:
            log = pd.read_csv(io.BytesIO(file.read()), encoding="utf-8-sig", dtype=str).fillna("")
        assert admin.unexpected_errors() == []
    finally:
        admin.close()

    column = {code: t(f"audit_col_{code}", "nb") for code in ("name", "subject", "action", "outcome", "title")}
    rows = {
        (row[column["name"]], row[column["subject"]], row[column["action"]].split(" · ")[0], row[column["outcome"]])
        for _, row in log.iterrows()
    }
    done, refused = t("audit_outcome_done", "nb"), t("audit_outcome_refused", "nb")
    upload, delete = t("audit_action_upload", "nb"), t("audit_action_delete", "nb")
    assert (ORKLAND_EDITOR["name"], ORKLAND_EDITOR["sub"], upload, done) in rows, rows
    assert (STEINKJER_EDITOR["name"], STEINKJER_EDITOR["sub"], upload, done) in rows, rows
    assert (ORKLAND_EDITOR["name"], ORKLAND_EDITOR["sub"], delete, refused) in rows, rows
    forged = log[log[column["outcome"]] == refused]
    assert list(forged[column["title"]]) == [STEINKJERS_TITLE]
    # the screen's log is the store's: the refusal is there with the layer it was about
    entry = next(e for e in store.audit_log() if e.outcome == "refused")
    assert (entry.subject, entry.action, entry.layer_id, entry.owner) == (
        ORKLAND_EDITOR["sub"],
        "delete",
        steinkjers.id,
        STEINKJER,
    )
