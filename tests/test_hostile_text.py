"""Hostile text in every field, through every map builder, export and page: it comes out as written, nothing runs.

branca compiles rendered element text as a Jinja template a second time unless `maps.single_pass` is installed;
these tests render whole figures (as st_folium, the HTML export and `m.get_root().render()` do) and would see
a `{{ … }}` evaluated, a sentinel folder created or a template error raised.
"""

from __future__ import annotations

import html as html_module
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import branca.element
import folium
import geopandas as gpd
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader
from shapely.geometry import Point, box
from streamlit.testing.v1 import AppTest

import config
from analysis import emissions as em
from analysis.filters import Filters, apply_filters
from analysis.neighbourhoods import neighbourhood
from analysis.portfolio_view import map_content
from exports.data import export_data
from exports.html import standalone_html
from exports.image import render_map
from exports.overlays import MapExtras
from exports.request import MapRequest
from loaders.bundled.flows import flow_lines, flows_from_records
from loaders.upload.ingest import LayerMapping, prepare
from maps import single_pass
from maps.build import base_map, legend_group, overview_layers, placement_map
from maps.emissions import choropleth_group, emissions_base_map, facility_circles_group
from maps.layers import stored_layer_group
from maps.portfolio import portfolio_base_map, portfolio_layers
from maps.styles import cluster_colours
from store import Origin, open_store
from tests.helpers.apptest import js_unescaped
from tests.helpers.exports import read_layers
from tests.helpers.hostile_text import EVALUATED, LITERAL_MARKERS, RAN_FLAG, assert_literal, corpus, hostile_portfolio


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generated_sentinel")


@pytest.fixture(scope="module")
def texts(sentinel) -> list[str]:
    return corpus(sentinel)


@pytest.fixture(scope="module")
def hostile(portfolio, texts):
    return hostile_portfolio(portfolio, texts)


@pytest.fixture(scope="module")
def view(hostile):
    return apply_filters(hostile, Filters())


@pytest.fixture(scope="module")
def colours(view):
    return cluster_colours(list(view.members["cluster"].dropna().unique()))


def other_layer(texts: list[str]) -> gpd.GeoDataFrame:
    """An uploaded 'other' layer with the corpus as property keys and values."""
    keys = [f"felt {i} {text[:60]}" for i, text in enumerate(texts)]
    rows = {key: [texts[(i + j) % len(texts)] for j in range(3)] for i, key in enumerate(keys)}
    return gpd.GeoDataFrame(rows, geometry=[Point(10.4, 63.43), Point(10.5, 63.4), box(10, 63, 10.1, 63.1)], crs=4326)


def other_style(frame: gpd.GeoDataFrame) -> dict:
    keys = [c for c in frame.columns if c != "geometry"]
    return {"colour": "#123456", "fill": True, "label_field": keys[0], "popup_fields": keys}


def rendered(m: folium.Map) -> str:
    return js_unescaped(m.get_root().render())


def test_the_one_pass_render_is_installed_by_importing_maps():
    assert single_pass.installed()
    assert branca.element.MacroElement.render is single_pass._macro_element_render


def test_every_folium_user_imports_maps_first():
    """A module that builds folium figures without `maps` imported would render with branca's second pass."""
    for path in sorted(config.ROOT.glob("*/*.py")) + sorted(config.ROOT.glob("*.py")):
        if path.parts[-2] in {"tests", "benchmarks", ".venv"} or path.parent.name == "maps":
            continue
        text = path.read_text(encoding="utf-8")
        if "import folium" in text or "from folium" in text or "from branca" in text:
            assert "from maps" in text or "import maps" in text, path


def test_legend_shows_every_cluster_name_and_layer_title_as_written(texts, sentinel):
    clusters = {text: "#123456" for text in texts}
    stored = [(text, {"colour": "#654321"}) for text in texts]
    m = base_map("/app/static")
    legend_group(clusters, "nb", stored).add_to(m)
    html = rendered(m)
    after = html.split('L.DomUtil.create("div", "ik-legend");', 1)[1]
    legend = json.loads(after.split("div.innerHTML = ", 1)[1].split(";\n", 1)[0])
    assert_literal(legend, sentinel, LITERAL_MARKERS)
    assert "{{ 7*191919 }}" in legend and "Klynge 49" not in legend


def test_payloads_that_would_run_code_create_nothing(texts, sentinel):
    """Only well-formed, quote-free payloads (no syntax error to stop Jinja first): each shows if it ran."""
    runnable = [text for text in texts if RAN_FLAG in text or text == "{{ 7*191919 }}"]
    assert len(runnable) == 2
    m = base_map("/app/static")
    legend_group({text: "#123456" for text in runnable}, "nb", [(runnable[1], {})]).add_to(m)
    html = rendered(m)
    assert_literal(html_module.unescape(html), sentinel, tuple(runnable))


def test_the_overview_map_with_every_layer_renders_its_text_literally(view, colours, texts, sentinel):
    frame = other_layer(texts)
    m = base_map("/app/static")
    legend_group(colours, "nb", [(texts[0], other_style(frame))]).add_to(m)
    stored = [(texts[1], frame, other_style(frame))]
    for group in overview_layers(view, {"parks", "sources", "members"}, "osm", colours, "nb", stored):
        group.add_to(m)
    assert_literal(rendered(m), sentinel, LITERAL_MARKERS)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_stored_layer_alone_keeps_keys_and_values_as_written(texts, sentinel, lang):
    frame = other_layer(texts)
    m = base_map()
    stored_layer_group(texts[2], frame, other_style(frame), lang).add_to(m)
    assert_literal(rendered(m), sentinel, LITERAL_MARKERS)


def test_the_placement_map(view, sentinel):
    assert_literal(rendered(placement_map(view.sources, "nb")), sentinel)


def test_the_emission_maps(hostile, kommuner, texts, sentinel):
    figures = pd.DataFrame(
        {
            "facility_id": hostile.sources["id"],
            "year": 2020,
            "amount_t": 1000.0,
            "scope": "co2e",
            "basis": "stated",
            "quote": texts[: len(hostile.sources)],
            "note": texts[-len(hostile.sources) :],
            "source_url": "https://example.org/{{ 7*191919 }}",
        }
    )
    m = emissions_base_map()
    table = em.facility_figures_for_year(figures, hostile.sources, 2020, "co2e")
    facility_circles_group(table, 2020, "co2e", "nb").add_to(m)
    boundaries = kommuner[["kommunenummer", "name", "geometry"]].copy()
    boundaries["name"] = [texts[i % len(texts)] for i in range(len(boundaries))]
    totals = pd.DataFrame({"kommunenummer": ["5001", "5059"], "amount_t": [10.0, 20.0]})
    choropleth_group(boundaries, totals, texts[0] + " " + texts[2], "nb").add_to(m)
    assert_literal(rendered(m), sentinel, ("{{ 7*191919 }}", "{# ik comment #}"))


def test_the_portfolio_maps_with_hostile_flows(hostile, colours, texts, sentinel):
    first = hostile.parks["id"].iloc[0]
    records = [
        {
            "id": f"flow-{i} {text[:40]}",
            "from_name": text,
            "to_name": f"{texts[-1 - i]} (mottaker)",
            "from_lon": 9.85,
            "from_lat": 63.31,
            "from_precision": "site",
            "to_precision": "site",
            "to_lon": 9.86,
            "to_lat": 63.32,
            "resource": next(iter(config.FLOW_RESOURCE_COLOURS)),
            "status": "eksisterende",
            "quote": text,
            "note": text,
            "source_url": "https://example.org/",
        }
        for i, text in enumerate(texts)
    ]
    lines = flow_lines(flows_from_records(records), hostile)
    content = map_content([neighbourhood(first, hostile, 50_000)], hostile, lines)
    m = portfolio_base_map("nb")
    visible = {"buffers", "flows", "parks", "sources", "members"}
    for group in portfolio_layers(content, visible, "none", colours, "nb"):
        group.add_to(m)
    assert_literal(rendered(m), sentinel, ("{{ 7*191919 }}", "{# ik comment #}"))


def test_the_upload_preview_map(texts, sentinel, monkeypatch):
    from ui import upload_form

    monkeypatch.setattr(upload_form, "_lang", lambda: "nb")
    frame = other_layer(texts)
    prepared = prepare(frame.to_json().encode(), texts[0] + ".geojson", fields=LayerMapping("other"))
    assert_literal(rendered(upload_form.preview_map(prepared, None, "/app/static")), sentinel)


def test_the_standalone_html_export(view, colours, texts, sentinel):
    document = js_unescaped(standalone_html(view, MapRequest(colours=colours, title=texts[0])))
    assert_literal(document, sentinel, LITERAL_MARKERS)
    assert "<title>{{ 7*191919 }}</title>" in document


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_the_image_exports(view, colours, texts, sentinel, fmt):
    data = render_map(
        view, MapRequest(format=fmt, title=texts[0], subtitle=texts[4], colours=colours), tile_fetcher=None
    )
    assert data[:4] == (b"\x89PNG" if fmt == "png" else b"%PDF")
    if fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert_literal(text, sentinel, ("{{ 7*191919 }}", "{# ik comment #}"))
    assert not any(sentinel.iterdir())


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv", "xlsx"])
def test_the_data_exports(view, sentinel, fmt, tmp_path):
    layers = read_layers(export_data(view, fmt, "nb"), fmt, tmp_path)
    text = "\n".join(frame.drop(columns="geometry", errors="ignore").to_csv() for frame in layers.values())
    assert_literal(text, sentinel, ("{{ 7*191919 }}",))


# --- pages, with hostile stored layers and hostile link parameters -------------------------------------------


@pytest.fixture
def hostile_store(hostile, texts, monkeypatch, tmp_path):
    path = tmp_path / "generated_hostile_store.gpkg"
    monkeypatch.setenv("INDUSTRIKART_STORE", str(path))
    store = open_store({"INDUSTRIKART_STORE": str(path)})
    meta = {"uploader": texts[5], "source_licence": texts[7]}
    for i, kind in enumerate(("parks", "sources", "members")):
        frame = getattr(hostile, kind).copy()
        frame["id"] = [f"upl-{kind}-{j}" for j in range(len(frame))]
        store.save(frame, texts[i], kind, Origin(original_filename=texts[8] + ".geojson", **meta), description=texts[6])
    frame = other_layer(texts)
    origin = Origin(original_filename=texts[10], **meta)
    store.save(frame, texts[9], "other", origin, description=texts[6], style=other_style(frame))
    return store


PAGES = [
    "dashboard.py",
    "pages/1_Utslipp.py",
    "pages/2_Portefolje.py",
    "pages/4_Kartlag.py",
    "pages/5_Data_og_kilder.py",
]


@pytest.mark.parametrize("script", PAGES)
def test_pages_show_hostile_stored_layers_and_link_text_literally(script, hostile_store, texts, sentinel):
    at = AppTest.from_file(str(config.ROOT / script), default_timeout=90)
    for name, value in {"q": texts[0], "title": texts[4], "subtitle": texts[6], "sector": texts[7]}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    shown = js_unescaped(
        "\n".join(
            [str(e.value) for e in at.get("markdown") + at.get("title") + at.get("caption") + at.get("text")]
            + [json.dumps(json.loads(c.proto.json_args)) for c in at.get("component_instance")]
        )
    )
    assert not any(sentinel.iterdir())
    assert EVALUATED not in shown


def test_presentation_title_from_a_link_is_shown_as_written(hostile_store, texts, sentinel):
    at = AppTest.from_file(str(config.ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["mode"] = "present"
    at.query_params["title"] = "{{ 7*191919 }} {% if %}"
    at.run()
    assert not at.exception, at.exception
    titles = [re.sub(r"\\(.)", r"\1", str(e.value)) for e in at.get("title")]  # Markdown escapes read back
    assert any("{{ 7*191919 }} {% if %}" in title for title in titles), titles
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert_literal(js_unescaped(args["script"] + args["feature_group"]), sentinel)


def test_a_hostile_view_survives_replacing_every_frame(view, texts, sentinel):
    """An empty layer between hostile ones (groups with no feature) renders too."""
    empty = replace(view, parks=view.parks.iloc[0:0])
    m = base_map()
    legend_group({texts[0]: "#000000"}, "nb").add_to(m)
    for group in overview_layers(empty, {"parks", "sources", "members"}, "none", {}, "nb"):
        group.add_to(m)
    assert_literal(rendered(m), sentinel)


def test_a_hostile_sites_name_is_its_tabs_label_as_written(hostile_store, hostile):
    """A site's tab label is Markdown to Streamlit: an uploaded park's name is escaped into it, never a link."""
    from ui.text import escape_markdown

    at = AppTest.from_file(str(config.ROOT / "pages/2_Portefolje.py"), default_timeout=90)
    parks = next(info for info in hostile_store.list() if info.kind == "parks")
    at.query_params["sites"] = f"L{parks.id}:upl-parks-0"  # a stored feature's id: its layer's prefix, its own id
    at.run()
    assert not at.exception, at.exception
    name = hostile.parks["name"].iloc[0]
    assert any(c in name for c in "[]()*_`<")
    assert [tab.label for tab in at.tabs] == [escape_markdown(name)]


def test_a_map_services_title_is_plain_text_in_its_toggles_help():
    """Streamlit shows a widget's help as Markdown: a service's title (from its capabilities, anyone's) must not
    become a link, an image fetched from elsewhere or formatting in every viewer's sidebar."""

    def script():
        from loaders.official.overlays import Overlay
        from ui.overlays import overlay_toggles

        service = "[Logg inn på nytt](https://phish.example/login) ![](https://tracker.example/p.png) **fet** <b>x</b>"
        overlay_toggles([Overlay("1.0", "https://wms.example/wms", "a", "Plan", "", "", "1.3.0", service)], "nb")

    at = AppTest.from_function(script).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = at.sidebar.checkbox[0].help
    inline = [child.type for token in MarkdownIt("commonmark").parse(shown) for child in token.children or []]
    assert not {"link_open", "image", "strong_open", "html_inline"} & set(inline), inline
    assert "[Logg inn på nytt](https://phish.example/login)" in re.sub(r"\\(.)", r"\1", shown)  # shown as written


def hostile_overlays(texts: list[str]) -> list:
    """Map service overlays (a WMS and a WMTS) with the corpus in everything a capabilities document gives."""
    from loaders.official.overlays import Overlay

    script = '"><script>window.__xss=4</script>'
    return [
        Overlay(
            f"1.{i}",
            f"https://wms.example/wms?a={script}" if i % 2 == 0 else "https://t.example/{tm}/{x}/{y}.png?" + script,
            text,
            text,
            texts[(i + 1) % len(texts)],
            f"https://wms.example/legend.png?{script}",
            "1.3.0",
            texts[(i + 2) % len(texts)],
            "wms" if i % 2 == 0 else "wmts",
            () if i % 2 == 0 else ((0, text[:100]), (1, script)),
        )
        for i, text in enumerate(texts)
    ]


def test_map_service_overlays_keep_their_text_literally(view, colours, texts, sentinel):
    from maps.overlays import overlay_group

    overlays = hostile_overlays(texts)
    m = base_map("/app/static")
    overlay_group(overlays, "nb").add_to(m)
    exported = standalone_html(view, MapRequest(colours=colours, extras=MapExtras(overlays=tuple(overlays))))
    for document in (m.get_root().render(), exported):
        assert "<script>window.__xss" not in document  # the addresses and matrix names stay data in the script
        # what Leaflet puts into the page as HTML: the legends and the layers' attributions
        parts = [part.split(";\n", 1)[0] for part in document.split("div.innerHTML = ")[1:]]
        legends = [json.loads(part) for part in parts if part.startswith('"')]  # not our own constant ones
        attributions = [json.loads(a) for a in re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', document)]
        assert len(attributions) >= len(overlays) and any("ik-overlay-legend" in h for h in legends)
        for html in legends + attributions:
            assert "<img src=x" not in html and "<script" not in html and "<b onmouseover" not in html, html[:300]
        assert_literal(js_unescaped(document), sentinel, LITERAL_MARKERS)
