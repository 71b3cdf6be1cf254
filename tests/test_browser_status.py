"""Status messages reach a screen reader (WCAG 4.1.3) in Debian's chromium: a stored upload and a ready export are
said in a live region (role="status"), a file that cannot be used in an alert (role="alert") naming the field."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import OfflinePage, choose, run

pytestmark = pytest.mark.browser

GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"navn": f"Generert punkt {i}"},
                "geometry": {"type": "Point", "coordinates": xy},
            }
            for i, xy in enumerate([[10.4, 63.43], [10.5, 63.44]])
        ],
    }
).encode()
NO_COORDINATES = b"navn;verdi\nGenerert anlegg;1\n"


def choose_file(page: OfflinePage, name: str, data: bytes, mime: str) -> None:
    zone = page.page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.locator("button").wait_for(timeout=90_000)
    run(page)
    zone.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def live(page: OfflinePage, role: str, text: str):
    """The live region of `role` whose text holds `text` (Streamlit's alerts are their own live regions)."""
    return page.page.locator(f'[role="{role}"]', has_text=text)


def test_a_saved_upload_is_announced(browser, app_url):
    page = OfflinePage(browser, app_url + "Last_opp")
    try:
        choose_file(page, "generated_status.geojson", GEOJSON, "application/json")
        save = page.page.get_by_role("button", name="Lagre", exact=True)
        save.wait_for(timeout=90_000)
        # the uploader is who is signed in (here the local user of an open installation), never a typed name
        expect(page.page.get_by_text("Lagres med deg som opplaster: lokal bruker")).to_be_visible()
        expect(page.page.get_by_role("textbox", name="Lastet opp av")).to_have_count(0)
        assert live(page, "status", "Lagret").count() == 0
        # the preview map drawn and its first report's rerun over: a click during that rerun could be lost
        page.wait_for_maps("(maps) => maps.length > 0 && maps.every(w => w.map._loaded)", timeout_s=60)
        run(page)
        run(page, save.click)
        expect(live(page, "status", "Lagret «generated_status»")).to_be_visible(timeout=60_000)
        assert page.unexpected_errors() == []
    finally:
        page.close()


def test_a_ready_export_is_announced(browser, app_url):
    page = OfflinePage(browser, app_url)
    try:
        page.map_frame(timeout_s=90)
        expect(live(page, "status", "Klar til nedlasting")).to_be_hidden()  # the export panel is folded
        page.page.get_by_text("Eksporter").first.click()
        button = page.page.get_by_role("button", name=re.compile(r"Last ned .*1920x1080\.png"))
        button.wait_for(timeout=60_000)
        name = re.search(r"\S+1920x1080\.png", button.inner_text()).group(0)
        expect(live(page, "status", f"Klar til nedlasting: «{name}»")).to_be_visible(timeout=30_000)
        # another format: the same live region now says that file is ready
        choose(page, "Hva vil du lagre?", "Kart som PDF (A4 liggende)", within=page.page)
        pdf = name.replace("1920x1080.png", "A4.pdf")
        expect(live(page, "status", f"Klar til nedlasting: «{pdf}»")).to_be_visible(timeout=60_000)
        expect(live(page, "status", name)).to_have_count(0)
    finally:
        page.close()


def test_a_wrong_file_is_announced_as_an_alert_naming_the_field(browser, app_url):
    page = OfflinePage(browser, app_url + "Last_opp")
    try:
        choose_file(page, "generated_no_coordinates.csv", NO_COORDINATES, "text/csv")
        alert = live(page, "alert", "«Velg fil»: filen kan ikke brukes")
        expect(alert).to_be_visible(timeout=60_000)
        expect(alert).to_contain_text("ventet lat/lon")  # what the file lacks
        expect(alert).to_contain_text("Rett filen, eller velg en annen fil.")  # and what to do
    finally:
        page.close()
