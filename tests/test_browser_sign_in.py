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

import geopandas as gpd
import pytest
from playwright.sync_api import expect
from shapely.geometry import Point

from core.roles import Identity, RoleRule
from store import GeoPackageStore, Origin
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
    sign_in_at_provider,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STEINKJER_LAYER = "Generated Steinkjer næringsareal"
UPLOAD_NAME = "generated_orkland_upload"
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
    """A store with the county's role rules and one layer of Steinkjer's, saved by Ola as he would have."""
    path = Path(tempfile.mkdtemp(prefix="industrikart-sign-in-")) / "generated_layers.gpkg"
    store = GeoPackageStore(path)
    ActingStore(store, Actor.trusted("test", "generated test operator")).set_role_rules(
        [
            RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"]),
            RoleRule.of("email_domain", "steinkjer.kommune.no", "editor", ["Steinkjer"]),
            RoleRule.of("groups", "industrikart-admin", "admin"),
        ]
    )
    ola = ActingStore(store, Actor(Identity.from_claims(STEINKJER_EDITOR)), owner="5006")
    frame = gpd.GeoDataFrame({"navn": ["Generert areal"]}, geometry=[Point(11.5, 64.0)], crs="EPSG:4326")
    ola.save(frame, STEINKJER_LAYER, "other", Origin(original_filename="generated.geojson"))
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


def test_an_editor_uploads_for_her_municipality_cannot_delete_anothers_and_the_administrator_reads_it_all(
    browser, app_url, store_path
):
    editor_uploads_and_cannot_delete_anothers(browser, app_url, store_path)
    administrator_reads_the_change_log(browser, app_url)


def editor_uploads_and_cannot_delete_anothers(browser, app_url: str, store_path: Path) -> None:
    page = OfflinePage(browser, app_url + "Kartlag")
    try:
        expect(page.page.get_by_role("button", name="Logg inn", exact=True)).to_be_visible(timeout=90_000)
        run(page)
        assert_no_violations(page, "Kartlag, OIDC, not signed in")
        sign_in(page, ORKLAND_EDITOR["sub"])
        expect(sidebar(page)).to_contain_text("Logget inn som Kari Nordmann", timeout=60_000)
        expect(sidebar(page)).to_contain_text("Redaktør for Orkland")

        go(page, app_url + "Last_opp")
        page.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": f"{UPLOAD_NAME}.geojson", "mimeType": "application/json", "buffer": GEOJSON}]
        )
        save = page.page.get_by_role("button", name="Lagre", exact=True)
        save.wait_for(timeout=90_000)
        expect(page.page.get_by_text("Kartlaget kommer til å tilhøre Orkland.")).to_be_visible()
        expect(page.page.get_by_text("Lagres med deg som opplaster: Kari Nordmann")).to_be_visible()
        run(page, save.click)
        expect(page.page.get_by_text(f"Lagret «{UPLOAD_NAME}»")).to_be_visible(timeout=60_000)

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

        run(page)
        sidebar(page).get_by_role("button", name="Logg ut", exact=True).click()  # leaves for the provider's page
        end_session_at_provider(page)
        expect(page.page.get_by_role("button", name="Logg inn", exact=True)).to_be_visible(timeout=60_000)
        expect(sidebar(page)).not_to_contain_text("Kari Nordmann")
    finally:
        page.close()


def administrator_reads_the_change_log(browser, app_url: str) -> None:
    """Both people in the log with the names the provider gave: Kari's upload, her refused change, Ola's upload."""
    page = OfflinePage(browser, app_url)
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
    finally:
        page.close()
