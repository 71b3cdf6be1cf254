"""Uploaded polygon layers as outlines in colours of their own; the emissions page's defaults
after a norskeutslipp import (municipal figures from the source that has them; every top-3 label shown)."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import config
import ui.emissions_data as emissions_data
from maps.build import base_map, legend_group
from maps.styles import layer_colours, stored_style
from tests.helpers.emissions_fixtures import fixture_imported
from ui.emissions_charts import top_chart

# --- uploaded layers ---------------------------------------------------------------------------------


def test_polygons_are_outlines_unless_a_fill_is_asked_for():
    assert stored_style({}, "MultiPolygon").fill is False
    assert stored_style({"colour": "#123456"}, "Polygon").leaflet()["fill"] is False
    assert stored_style({"colour": "#123456", "fill": True}, "Polygon").fill is True
    assert stored_style({"fill": True}, "LineString").fill is False
    assert stored_style({}, "Point").fill is True


def test_every_uploaded_layer_gets_a_colour_of_its_own():
    styles = layer_colours([None, {}, {"colour": config.STORED_LAYER_COLOURS[0]}, {"colour": "#123456"}])
    colours = [s["colour"] for s in styles]
    assert len(set(c.lower() for c in colours)) == 4  # two boundary layers no longer share one grey
    assert colours[2:] == [config.STORED_LAYER_COLOURS[0], "#123456"]  # a chosen colour is kept
    assert all(c in config.STORED_LAYER_COLOURS for c in colours[:2])


def test_the_legend_shows_each_layer_in_its_colour():
    styles = layer_colours([{}, {}])
    m = base_map()
    legend_group({}, "nb", stored=[("Kommuner", styles[0]), ("Fylker", styles[1])]).add_to(m)
    html = m.get_root().render()
    for style in styles:
        assert style["colour"] in html


# --- the emissions page after a norskeutslipp import -------------------------------------------------


@pytest.fixture
def facilities_only(tmp_path, portfolio, monkeypatch):
    """A norskeutslipp import only: facility figures, no municipal statistics."""
    imported = fixture_imported(tmp_path / "layers.gpkg", portfolio.sources)
    imported = replace(imported, municipal=imported.municipal.iloc[0:0])
    monkeypatch.setattr(emissions_data, "load_imported", lambda: imported)
    monkeypatch.delenv("INDUSTRIKART_BOUNDARIES", raising=False)
    monkeypatch.setattr(config, "BOUNDARIES_CACHE_DIR", tmp_path / "no-cache")
    monkeypatch.setattr(config, "STORE_PATH", tmp_path / "no-store.gpkg")
    monkeypatch.delenv("INDUSTRIKART_STORE", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_municipal_figures_default_to_the_source_that_has_them(facilities_only):
    at = AppTest.from_file(str(config.ROOT / "pages/1_Utslipp.py"), default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.radio(key="em_municipal_source").value == "facilities"
    table = next(df.value for df in at.dataframe if "Kommunenummer" in df.value.columns)
    assert not table.empty  # figures, not a grey choropleth
    at.radio(key="em_municipal_source").set_value("statistics").run()  # the user's choice stays
    at.select_slider(key="em_year").set_value(at.select_slider(key="em_year").options[0]).run()
    assert at.radio(key="em_municipal_source").value == "statistics"


def test_the_top_chart_labels_every_bar():
    top = pd.DataFrame({"facility": ["Elkem", "Elkem", "Hydro Holla"], "amount_t": [300.0, 200.0, 100.0]})
    spec = top_chart(top, "fossil", "nb").to_dict()
    labels = [row["facility"] for row in next(iter(spec["datasets"].values()))]
    assert len(set(labels)) == 3 and "Elkem" in labels
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and spec["height"] >= 3 * 28
    assert json.dumps(spec)  # a plain Vega-Lite spec


# --- source links read as sources; the standalone HTML shows its title -------------------


def test_source_links_read_as_sources():
    from maps.popups import source_label, source_links

    kyogre = "https://github.com/orcalabs/kyogre/blob/ffff/src/postgres/migrations/x.sql"
    assert source_label(kyogre) == "Havnedata (kyogre), GitHub"
    assert source_label(kyogre, "en") == "Port data (kyogre), GitHub"
    assert source_label("https://www.nrk.no/trondelag/x") == "NRK"
    assert source_label("https://github.com/someone/harbours/tree/main") == "harbours, GitHub"
    assert not source_label("https://xn--hitranrduvil-ycb.no/").startswith("xn--")  # IDNA, as typed
    assert source_label("javascript:alert(1)") is None
    html = source_links(f"https://www.nrk.no/a ; {kyogre} ; https://example.org/<b>")
    assert ">NRK</a>" in html and ">Havnedata (kyogre), GitHub</a>" in html and "github.com</a>" not in html
    assert "<b>" not in html


def test_the_standalone_html_has_title_and_subtitle_on_the_map(portfolio):
    from analysis.filters import Filters, apply_filters
    from exports.html import standalone_html
    from exports.request import MapRequest

    view = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    document = standalone_html(
        view, MapRequest(basemap="none", title="<b>Møte</b> {{ 7*191919 }}", subtitle="Orkland & co")
    )
    assert '<div class="ik-title" id="ik-title"><h1>&lt;b&gt;Møte&lt;/b&gt; {{ 7*191919 }}</h1>' in document
    assert "<p>Orkland &amp; co</p>" in document and "1343433" not in document
    assert "<title>&lt;b&gt;Møte&lt;/b&gt;" in document
