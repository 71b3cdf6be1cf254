"""The export panel: every choice makes a file of the right kind from the view the user sees."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image

from analysis.filters import Filters, apply_filters
from tests.helpers.apptest import app
from tests.helpers.exports import offline_settings
from ui.export_panel import CHOICES, build_export

DAY = date(2026, 11, 25)


@pytest.fixture
def orkland(portfolio):
    return apply_filters(portfolio, Filters(kommunenummer=("5059",)))


@pytest.mark.parametrize("choice", CHOICES)
def test_each_choice_makes_its_file(choice, orkland, kommuner, tmp_path):
    # basemap "none": no tiles are asked for, the municipal boundaries are the background
    data, name, mime = build_export(
        choice,
        orkland,
        offline_settings("Generated title", "", DAY),
        boundaries=kommuner,
    )
    map_file = choice in ("png-1920", "png-a4", "pdf", "pptx", "html")
    assert name.startswith("generated-title-2026-11-25" if map_file else "industrikart-trondelag-2026-11-25")
    if choice.startswith("png"):
        size = Image.open(io.BytesIO(data)).size
        assert size == ((1920, 1080) if choice == "png-1920" else (3508, 2480)) and mime == "image/png"
    elif choice == "pdf":
        assert data.startswith(b"%PDF") and mime == "application/pdf"
    elif choice == "pptx":
        from pptx import Presentation

        assert len(Presentation(io.BytesIO(data)).slides) == 1 and name.endswith(".pptx")
    elif choice == "html":
        assert b"<script src=" not in data and b"L.map(" in data
    elif choice in ("geojson", "csv"):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert any(n.startswith("parks") for n in names) and any("SOURCES" in n for n in names)
    elif choice == "gpkg":
        path = tmp_path / name
        path.write_bytes(data)
        assert len(gpd.read_file(path, layer="parks")) == len(orkland.parks)
    elif choice == "xlsx":
        from openpyxl import load_workbook

        sheets = load_workbook(io.BytesIO(data)).sheetnames
        assert len(sheets) >= 4


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The callables of the deferred download buttons an AppTest run makes, by file name (not called: a click would)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict = {}
    add_deferred = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):
        found[kwargs.get("file_name")] = data_callable
        return add_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return found


def test_one_click_downloads_the_data_file(deferred):
    at = app("dashboard.py").run()
    at.selectbox(key="export_choice").set_value("xlsx").run()
    assert not at.exception and not at.error
    assert not [b for b in at.button if b.key == "export_make"]  # no "make the file" step
    (button,) = [b for b in at.get("download_button") if b.proto.label.endswith(".xlsx")]
    assert "industrikart-trondelag" in button.proto.label and button.proto.HasField("deferred_file_id")
    (name,) = [n for n in deferred if n.endswith(".xlsx")]
    from openpyxl import load_workbook

    assert len(load_workbook(io.BytesIO(deferred[name]())).sheetnames) >= 4


def test_one_click_png_of_an_orkland_view_has_the_uploaded_layer_and_the_title_as_name(deferred, monkeypatch):
    """Kart filtered to Orkland with an uploaded layer: the one download button's file is named after the title,
    frames Orkland and draws the uploaded layer in its colour."""
    from shapely.geometry import box

    import exports.image
    from exports.image import bundled_boundaries
    from store import open_store

    monkeypatch.setattr(exports.image, "url_fetcher", lambda basemap: None)  # offline
    extents, frame_axes = [], exports.image._frame_axes
    monkeypatch.setattr(
        exports.image, "_frame_axes", lambda ax, extent: extents.append(extent) or frame_axes(ax, extent)
    )
    colour = "#c51b7d"
    layer = gpd.GeoDataFrame({"navn": ["generert"]}, geometry=[box(9.80, 63.28, 9.90, 63.33)], crs="EPSG:4326")
    open_store().save(layer, "Generated layer", "other", style={"colour": colour, "fill": True})
    at = app("dashboard.py")
    at.session_state["present_title"] = "Orkland: møte/3"
    at.run()
    at.sidebar.multiselect(key="f_municipalities").set_value(["5059"]).run()
    at.selectbox(key="export_choice").set_value("png-1920").run()
    assert not at.exception and not at.error
    downloads = [b for b in at.get("download_button") if b.proto.label.endswith(".png")]
    assert len(downloads) == 1 and not [b for b in at.button if b.key == "export_make"]
    (name,) = [n for n in deferred if n.endswith(".png")]
    assert name.startswith("orkland-moete-3-") and "/" not in name
    picture = np.asarray(Image.open(io.BytesIO(deferred[name]())).convert("RGB")).astype(int)
    pink = np.all(np.abs(picture - np.array([0xC5, 0x1B, 0x7D])) <= 12, axis=-1)
    assert pink.sum() > 200  # the uploaded layer's outline, in its own colour
    west, south, east, north = extents[-1]  # the map shows all of Orkland and not much more
    x0, y0, x1, y1 = bundled_boundaries().set_index("kommunenummer").loc[["5059"]].to_crs("EPSG:3857").total_bounds
    assert west <= x0 and south <= y0 and east >= x1 and north >= y1
    assert min((east - west) / (x1 - x0), (north - south) / (y1 - y0)) < 1.1


def test_with_the_clients_exports_used_up_the_button_waits_and_says_why(monkeypatch):
    """A refused download has no page to say so on: the panel says it, and offers no button, until the window passes."""
    import ui.export_cache
    import ui.export_panel
    from ui.export_cache import client_budget

    monkeypatch.setattr(ui.export_cache, "_BUDGETS", {})  # this test's own budgets
    monkeypatch.setattr(ui.export_panel, "client_address", lambda: "generated-client")  # AppTest has none
    at = app("dashboard.py").run()
    (button,) = [b for b in at.get("download_button") if b.key == "export_download"]
    assert not button.proto.disabled
    budget = client_budget("generated-client")
    while budget.left():
        budget.take()
    at.run()
    assert not at.exception
    (button,) = [b for b in at.get("download_button") if b.key == "export_download"]
    assert button.proto.disabled
    assert any("vent litt" in c.value for c in at.caption)
