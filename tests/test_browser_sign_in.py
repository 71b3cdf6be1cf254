"""Signing in to the app itself through a real OpenID Connect provider on loopback (tests/helpers/oidc.py), in
Debian's chromium: an editor of Orkland uploads a layer for Orkland and cannot delete Steinkjer's, a forged change
through the store the server uses is refused and logged, and the administrator reads both in the change log.
(Through nginx on two replicas: tests/test_browser_replicas_sign_in.py.)"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.roles import Identity, RoleRule
from store import GeoPackageStore
from store.acting import ActingStore, Actor
from store.errors import NotAllowed
from tests.helpers.axe import assert_no_violations
from tests.helpers.browser import SCRIPT_RAN_JS, OfflinePage, run
from tests.helpers.oidc import (
    COUNTY_ADMIN,
    ORKLAND_EDITOR,
    STEINKJER_EDITOR,
    end_session_at_provider,
    running_app_signed_in_through,
    set_user_claims,
    sign_in_at_provider,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STEINKJER_LAYER = "generated_steinkjer_upload"
UPLOAD_NAME = "generated_orkland_upload"
# An editor of Orkland whose provider gives her a name that is a formula, HTML and template text at once
HOSTILE = {
    "sub": "hostile-orkland",
    "name": '=HYPERLINK("http://x.invalid","<b>{{ 7*7 }}</b>")',
    "email": "hostile@orkland.kommune.no",
    "email_verified": True,
}
GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"navn": "Generert punkt på Grønøra"},
                "geometry": {"type": "Point", "coordinates": [9.83, 63.31]},
            }
        ],
    }
).encode()


@pytest.fixture(scope="module")
def store_path() -> Path:
    """A store with the county's role rules (and nothing else: the people upload through the pages)."""
    path = Path(tempfile.mkdtemp(prefix="industrikart-sign-in-")) / "generated_layers.gpkg"
    store = GeoPackageStore(path)
    ActingStore(store, Actor.trusted("test", "generated test operator")).set_role_rules(
        [
            RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"]),
            RoleRule.of("email_domain", "steinkjer.kommune.no", "editor", ["Steinkjer"]),
            RoleRule.of("groups", "industrikart-admin", "admin"),
        ]
    )
    return path


@pytest.fixture(scope="module")
def app_url(oidc_issuer, store_path):
    with running_app_signed_in_through(oidc_issuer, env={"INDUSTRIKART_STORE": str(store_path)}) as url:
        yield url


def sidebar(page: OfflinePage):
    return page.page.locator('[data-testid="stSidebar"]')


def sign_in(page: OfflinePage, sub: str) -> None:
    button = page.page.get_by_role("button", name="Logg inn", exact=True)
    expect(button).to_be_visible(timeout=90_000)
    run(page)  # a click mid-rerun can be swallowed
    button.click()
    sign_in_at_provider(page, sub)
    page.page.wait_for_function(SCRIPT_RAN_JS, timeout=60_000)


def go(page: OfflinePage, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_function(SCRIPT_RAN_JS, timeout=120_000)
    run(page)


def layer_panel(page: OfflinePage, title: str):
    """A layer's expander on Kartlag, opened."""
    panel = page.page.locator('[data-testid="stExpander"]', has_text=title)
    expect(panel).to_have_count(1, timeout=60_000)
    panel.locator("summary").click()
    return panel


def test_editors_of_two_municipalities_and_the_administrator(browser, app_url, store_path, oidc_issuer):
    """Ola uploads for Steinkjer; Kari uploads for Orkland and cannot delete his; a forged change is refused and
    logged; a hostile name is text; the administrator reads it all in the change log with the right names."""
    upload_as(browser, app_url, STEINKJER_EDITOR, STEINKJER_LAYER, "Steinkjer")
    editor_uploads_and_cannot_delete_anothers(browser, app_url, store_path)
    set_user_claims(oidc_issuer, HOSTILE)
    hostile_name_is_text(browser, app_url, store_path)
    administrator_reads_the_change_log(browser, app_url)


def upload(page: OfflinePage, app_url: str, name: str, owner: str, uploader: str) -> None:
    go(page, app_url + "Last_opp")
    page.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": f"{name}.geojson", "mimeType": "application/json", "buffer": GEOJSON}]
    )
    save = page.page.get_by_role("button", name="Lagre", exact=True)
    save.wait_for(timeout=90_000)
    expect(page.page.get_by_text(f"Kartlaget kommer til å tilhøre {owner}.")).to_be_visible()
    expect(page.page.get_by_text(f"Lagres med deg som opplaster: {uploader}")).to_be_visible()
    # the preview map drawn and its first report's rerun over: a click during that rerun could be lost
    page.wait_for_maps("(maps) => maps.length > 0 && maps.every(w => w.map._loaded)", timeout_s=60)
    run(page)
    run(page, save.click)
    expect(page.page.get_by_text(f"Lagret «{name}»")).to_be_visible(timeout=60_000)


def sign_out(page: OfflinePage) -> None:
    run(page)
    sidebar(page).get_by_role("button", name="Logg ut", exact=True).click()  # leaves for the provider's page
    end_session_at_provider(page)
    expect(page.page.get_by_role("button", name="Logg inn", exact=True)).to_be_visible(timeout=60_000)


def upload_as(browser, app_url: str, claims: dict, name: str, owner: str) -> None:
    page = OfflinePage(browser, app_url + "Kartlag")  # no map: its first reruns could swallow the click
    try:
        sign_in(page, claims["sub"])
        expect(sidebar(page)).to_contain_text(f"Redaktør for {owner}", timeout=60_000)
        upload(page, app_url, name, owner, claims["name"])
        sign_out(page)
    finally:
        page.close()


def editor_uploads_and_cannot_delete_anothers(browser, app_url: str, store_path: Path) -> None:
    page = OfflinePage(browser, app_url + "Kartlag")
    try:
        expect(page.page.get_by_role("button", name="Logg inn", exact=True)).to_be_visible(timeout=90_000)
        run(page)
        assert_no_violations(page, "Kartlag, OIDC, not signed in")
        sign_in(page, ORKLAND_EDITOR["sub"])
        expect(sidebar(page)).to_contain_text("Logget inn som Kari Nordmann", timeout=60_000)
        expect(sidebar(page)).to_contain_text("Redaktør for Orkland")

        upload(page, app_url, UPLOAD_NAME, "Orkland", "Kari Nordmann")

        store = GeoPackageStore(store_path)
        mine = next(i for i in store.list() if i.title == UPLOAD_NAME)
        assert (mine.owner, mine.uploader) == ("5059", "Kari Nordmann")

        go(page, app_url + "Kartlag")
        expect(layer_panel(page, UPLOAD_NAME).get_by_role("button", name="Slett", exact=True)).to_have_count(1)
        theirs = layer_panel(page, STEINKJER_LAYER)
        expect(theirs.get_by_role("button", name="Last ned GeoJSON", exact=False)).not_to_have_count(0)
        expect(theirs.get_by_role("button", name="Slett", exact=True)).to_have_count(0)
        expect(theirs.get_by_role("textbox")).to_have_count(0)  # no title or description to change either
        assert_no_violations(page, "Kartlag, OIDC, signed in as an editor")

        # The page offers nothing, and the store the server changes through refuses her all the same: a change
        # forged past the page (with her identity, as the provider gave it) is refused and logged.
        steinkjer = next(i for i in store.list() if i.title == STEINKJER_LAYER)
        with pytest.raises(NotAllowed):
            ActingStore(store, Actor(Identity.from_claims(ORKLAND_EDITOR))).delete(steinkjer.id)
        assert not store.get(steinkjer.id).deleted

        sign_out(page)
        expect(sidebar(page)).not_to_contain_text("Kari Nordmann")
    finally:
        page.close()


def hostile_name_is_text(browser, app_url: str, store_path: Path) -> None:
    """Her name shows as the text it is, and her change (hiding Kari's layer) goes to the log under it."""
    page = OfflinePage(browser, app_url + "Kartlag")
    try:
        sign_in(page, HOSTILE["sub"])
        expect(sidebar(page).get_by_text(f"Logget inn som {HOSTILE['name']}", exact=True)).to_be_visible(timeout=60_000)
        expect(sidebar(page).locator("b")).to_have_count(0)
        expect(sidebar(page)).not_to_contain_text("49")
        go(page, app_url + "Kartlag")
        panel = layer_panel(page, UPLOAD_NAME)
        run(page, panel.get_by_text("Vises på kartene", exact=True).click)  # the layer's visibility toggle
        store = GeoPackageStore(store_path)
        mine = next(i for i in store.list() if i.title == UPLOAD_NAME)
        assert not mine.visible
        assert store.audit_log(layer_id=mine.id)[0].name == HOSTILE["name"]
    finally:
        page.close()


def administrator_reads_the_change_log(browser, app_url: str) -> None:
    """Both people in the log with the names the provider gave: Kari's upload, her refused change, Ola's upload."""
    page = OfflinePage(browser, app_url + "Kartlag")
    try:
        sign_in(page, COUNTY_ADMIN["sub"])
        expect(sidebar(page)).to_contain_text("Administrator")
        go(page, app_url + "Administrasjon")
        download = page.page.get_by_role("button", name="Last ned det som vises (CSV)")
        expect(download).to_be_visible(timeout=60_000)
        run(page)
        assert_no_violations(page, "Administrasjon, OIDC, signed in as the administrator")
        with page.page.expect_download() as caught:
            download.click()
        text = Path(caught.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        lines = [" | ".join(row) for row in rows[1:]]
        kari = [line for line in lines if "Kari Nordmann" in line and ORKLAND_EDITOR["sub"] in line]
        assert any(UPLOAD_NAME in line and "Lastet opp" in line for line in kari), lines
        assert any(STEINKJER_LAYER in line and "AVVIST" in line for line in kari), lines
        assert any("Ola Steinkjer" in line and STEINKJER_LAYER in line for line in lines), lines
        hostile = [row for row in rows[1:] if HOSTILE["sub"] in row]
        assert hostile and all(HOSTILE["name"] not in row for row in hostile), hostile  # never a bare formula
        assert any("'" + HOSTILE["name"] in row for row in hostile), hostile  # a text cell, its text kept
    finally:
        page.close()
