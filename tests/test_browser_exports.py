"""One click on Kart's export button downloads the map, named after the title, in a real browser."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers.browser import OfflinePage, running_app

pytestmark = pytest.mark.browser


def test_one_click_on_the_export_button_downloads_the_png_named_after_the_title(browser):
    with running_app() as url:
        offline = OfflinePage(browser, url)
        try:
            offline.map_frame(timeout_s=90)
            page = offline.page
            page.get_by_text("Eksporter").first.click()
            button = page.get_by_role("button", name=re.compile(r"Last ned .*1920x1080\.png"))
            button.wait_for(timeout=60_000)
            assert page.get_by_role("button", name="Lag filen").count() == 0  # no "make the file" step
            with page.expect_download(timeout=120_000) as download:
                button.click()
            name = download.value.suggested_filename
            assert name == f"industrikart-troendelag-{date.today().isoformat()}-1920x1080.png"
            picture = Image.open(io.BytesIO(Path(download.value.path()).read_bytes()))
            assert picture.format == "PNG" and picture.size == (1920, 1080)
        finally:
            offline.close()
