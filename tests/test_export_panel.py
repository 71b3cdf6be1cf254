"""The export panel: every choice makes a file of the right kind from the view the user sees."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import geopandas as gpd
import pytest
from PIL import Image

from analysis.filters import Filters, apply_filters
from tests.helpers.apptest import app
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
        visible={"parks", "sources", "members"},
        basemap="none",
        colours={},
        lang="nb",
        map_view=(63.31, 9.86, 12),
        title="Generated title",
        subtitle="",
        boundaries=kommuner,
        day=DAY,
    )
    assert name.startswith("industrikart-trondelag-2026-11-25")
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


def test_the_dashboard_panel_makes_a_download():
    at = app("dashboard.py").run()
    at.selectbox(key="export_choice").set_value("xlsx").run()
    at.button(key="export_make").click().run()
    assert not at.exception and not at.error
    buttons = at.get("download_button")
    assert any("industrikart-trondelag" in b.proto.label and b.proto.label.endswith(".xlsx") for b in buttons)
