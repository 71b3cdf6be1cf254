"""The map exports are accessible documents: each carries the same text alternative (exports.alt_text), built from
what the request shows; the PDF names its title and language, the slide's picture has its description and the
slide reads title first, the HTML map has its language, title, a zoomable viewport and a named keyboard map.
Hostile titles and layer names reach every file as data."""

from __future__ import annotations

import html as html_module
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from shapely.geometry import box

from analysis.filters import Filters, apply_filters
from exports.alt_text import map_alt_text
from exports.html import standalone_html
from exports.image import render_map
from exports.overlays import MapExtras, UploadedLayer
from exports.request import MapRequest
from exports.slides import site_slides, slides_pptx, view_slide
from tests.helpers.apptest import app, js_unescaped
from tests.helpers.hostile_text import assert_literal, corpus

DAY = date(2026, 11, 25)
ORKLAND = ("5059",)


def no_tiles(z, x, y):
    return None


@pytest.fixture(scope="module")
def orkland(portfolio):
    return apply_filters(portfolio, Filters(kommunenummer=ORKLAND))


@pytest.fixture(scope="module")
def uploaded() -> UploadedLayer:
    frame = gpd.GeoDataFrame({"navn": ["generert"]}, geometry=[box(9.45, 63.0, 9.65, 63.1)], crs="EPSG:4326")
    return UploadedLayer("Generert flate", frame, {"colour": "#c51b7d", "fill": True})


def request_for(fmt: str, lang: str = "nb", **changes) -> MapRequest:
    values = {
        "format": fmt,
        "title": "Industri i Orkland",
        "subtitle": "Møte med formannskapet",
        "lang": lang,
        "basemap": "kartverket_topo",
        "day": DAY,
        "extras": MapExtras(municipalities=ORKLAND),
        **changes,
    }
    return MapRequest(**values)


# --- the text alternative ---------------------------------------------------------------------------------------


def test_the_alt_text_names_title_area_layers_with_counts_sum_basemap_and_date(orkland, uploaded):
    request = request_for("png", extras=MapExtras(uploaded=(uploaded,), municipalities=ORKLAND))
    alt = map_alt_text(orkland, request)
    assert alt.startswith("Kart: Industri i Orkland. Møte med formannskapet.")
    assert "Område: Orkland." in alt
    counts = (len(orkland.parks), len(orkland.sources), len(orkland.members))
    assert "Kartlag: Parker og områder ({}), Utslippskilder ({}), Klyngemedlemskap ({}).".format(*counts) in alt
    assert "Egne kartlag: Generert flate." in alt
    assert re.search(r"Utslipp i alt \(EU ETS, CO₂-ekv\. \d{4} · \d+ anlegg\): [\d\u00a0]+\u00a0t\.", alt), alt
    assert "Bakgrunnskart: Kartverket topo (© Kartverket)." in alt and alt.endswith("Dato: 25.11.2026.")


def test_the_alt_text_follows_the_request_and_the_view(portfolio, orkland):
    """Only the drawn layers are named, in the request's language, with the view's own counts."""
    english = map_alt_text(orkland, request_for("png", "en", layers={"members"}, basemap="none"))
    assert f"Layers: Cluster memberships ({len(orkland.members)})." in english
    assert "Parks" not in english and "Total emissions" not in english and "No basemap." in english
    assert "Area: Orkland." in english and "Date: 25 November 2026." in english
    whole = map_alt_text(portfolio, request_for("png", extras=MapExtras()))
    assert f"Utslippskilder ({len(portfolio.sources)})" in whole and "Område: hele Trøndelag." in whole
    assert len(portfolio.sources) != len(orkland.sources)
    nothing = map_alt_text(orkland, request_for("png", layers=()))
    assert "Ingen av kartlagene er vist." in nothing and "Kartlag:" not in nothing


# --- the files ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def png(orkland) -> bytes:
    return render_map(orkland, request_for("png"), tile_fetcher=no_tiles)


def test_the_png_carries_title_and_alt_text_as_text_chunks(orkland, png):
    chunks = Image.open(io.BytesIO(png)).text
    assert chunks["Title"] == "Industri i Orkland"
    assert chunks["Description"] == map_alt_text(orkland, request_for("png"))
    assert "Orkland" in chunks["Description"] and f"({len(orkland.members)})" in chunks["Description"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_pdf_has_title_language_subject_and_shows_its_title(orkland, lang):
    request = request_for("pdf", lang)
    reader = PdfReader(io.BytesIO(render_map(orkland, request, tile_fetcher=no_tiles)))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Industri i Orkland"
    assert reader.metadata.author == "Industrikart Trøndelag"
    assert reader.metadata.subject == map_alt_text(orkland, request)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    text = reader.pages[0].extract_text()  # the page's own text stays text, read in order: untagged, as drawn
    order = ["Industri i Orkland", "Møte med formannskapet", "Tegnforklaring" if lang == "nb" else "Legend"]
    order += ["Parker og områder" if lang == "nb" else "Parks and sites", "Kartverket"]
    places = [text.find(part) for part in order]
    assert -1 not in places and places == sorted(places), list(zip(order, places, strict=True))


@pytest.fixture(scope="module")
def deck_and_alt(orkland):
    request = request_for("pptx")
    slide = view_slide(orkland, request, tile_fetcher=no_tiles)
    return Presentation(io.BytesIO(slides_pptx([slide], lang="nb", day=DAY))), map_alt_text(orkland, request)


def descr(shape) -> str | None:
    (properties,) = shape._element.xpath("./p:nvPicPr/p:cNvPr")
    return properties.get("descr")


def test_the_slides_picture_is_described_by_the_alt_text(deck_and_alt):
    deck, alt = deck_and_alt
    (slide,) = deck.slides
    (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]
    assert alt and descr(picture) == alt
    assert deck.core_properties.title == "Industri i Orkland" and deck.core_properties.language == "nb-NO"


def test_the_slide_reads_title_then_subtitle_then_map_and_its_runs_say_their_language(deck_and_alt):
    deck, _ = deck_and_alt
    (slide,) = deck.slides
    shapes = list(slide.shapes)
    assert shapes[0].text_frame.text == "Industri i Orkland" and shapes[0].name == "Tittel"
    assert shapes[1].text_frame.text == "Møte med formannskapet"
    kinds = [shape.shape_type for shape in shapes]
    assert kinds.index(13) < min(i for i, shape in enumerate(shapes) if shape.has_table)  # map before figures
    languages = {run.get("lang") for run in slide._element.xpath(".//a:rPr")}
    assert languages == {"nb-NO"}


def test_each_site_slides_picture_is_described_by_its_site(portfolio):
    from analysis.neighbourhoods import neighbourhoods

    hoods = neighbourhoods(list(portfolio.parks["id"].head(2)), portfolio, 10_000)
    slides = site_slides(hoods, MapRequest(format="pptx", basemap="none", day=DAY), tile_fetcher=no_tiles)
    deck = Presentation(io.BytesIO(slides_pptx(slides, day=DAY)))
    for hood, slide in zip(hoods, deck.slides, strict=True):
        (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]
        text = descr(picture)
        assert text.startswith(f"Kart: {hood.site['name']}") and f"Utslippskilder ({len(hood.sources)})" in text


def test_the_html_export_has_language_title_zoomable_viewport_and_a_named_keyboard_map(orkland, uploaded):
    request = request_for("html", "en", extras=MapExtras(uploaded=(uploaded,), municipalities=ORKLAND))
    document = standalone_html(orkland, request)
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Industri i Orkland</title>" in document
    viewports = re.findall(r"<meta\s+name=\"viewport\"[^>]*>", document)
    assert viewports and not any("user-scalable=no" in v or "maximum-scale" in v for v in viewports)
    described = re.search(r'<p id="ik-map-description"[^>]*>([^<]*)</p>', document)
    assert described and html_module.unescape(described.group(1)) == map_alt_text(orkland, request)
    assert "Uploaded layers: Generert flate." in described.group(1)
    assert '"aria-describedby", "ik-map-description"' in document and '"Interactive map"' in document
    assert '"keyboard": false' not in document  # Leaflet's keyboard handling stays on


# --- hostile text ------------------------------------------------------------------------------------------------


@pytest.fixture
def sentinel(tmp_path) -> Path:
    folder = tmp_path / "sentinel"
    folder.mkdir()
    return folder


@pytest.fixture
def hostile_request(sentinel):
    texts = corpus(sentinel)
    frame = gpd.GeoDataFrame({"navn": ["x"]}, geometry=[box(9.45, 63.0, 9.65, 63.1)], crs="EPSG:4326")
    layer = UploadedLayer(texts[11], frame, {"colour": "#c51b7d"})  # <img … onerror …><script>…
    return texts, lambda fmt: request_for(
        fmt, title=texts[0] + " \x00 " + texts[1], subtitle=texts[12], extras=MapExtras(uploaded=(layer,))
    )


def test_hostile_titles_and_layer_names_reach_every_file_as_data(orkland, hostile_request, sentinel):
    texts, make = hostile_request
    png = Image.open(io.BytesIO(render_map(orkland, make("png"), tile_fetcher=no_tiles))).text
    assert_literal(png["Description"], sentinel, ("{{ 7*191919 }}", "<img src=x onerror=", "</script><b "))
    assert "\x00" not in png["Description"] and "\ufffd" in png["Title"]  # a NUL cannot sit in a text chunk

    pdf = PdfReader(io.BytesIO(render_map(orkland, make("pdf"), tile_fetcher=no_tiles)))
    assert_literal(pdf.metadata.subject, sentinel, ("{{ 7*191919 }}", "<img src=x onerror="))

    data = slides_pptx([view_slide(orkland, make("pptx"), tile_fetcher=no_tiles)], day=DAY)
    (slide,) = Presentation(io.BytesIO(data)).slides
    (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]
    assert_literal(descr(picture), sentinel, ("{{ 7*191919 }}", "<img src=x onerror="))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("ppt/slides/slide1.xml").decode()
    assert "<img" not in xml and "&lt;img src=x onerror=" in xml  # escaped in the XML, never markup

    document = standalone_html(orkland, make("html"))
    described = re.search(r'<p id="ik-map-description"[^>]*>([^<]*)</p>', document)
    assert described, "the description is one escaped text, with no markup in it"
    assert_literal(html_module.unescape(described.group(1)), sentinel, ("{{ 7*191919 }}", "<img src=x onerror="))
    body = document.split("<body>", 1)[1].split("</body>", 1)[0]  # the title box and the description
    assert "&lt;img src=x onerror=" in body and "<img src=x" not in body and "<script>window" not in body
    assert "<img src=x" not in js_unescaped(document.split("</title>", 1)[0])
    assert document.startswith('<!DOCTYPE html>\n<html lang="nb">')


# --- the export panel --------------------------------------------------------------------------------------------


def alt_areas(at) -> list:
    return [area for area in at.text_area if area.label == "Alternativ tekst"]


def test_the_export_panel_offers_the_alt_text_beside_a_map_download_only():
    at = app("dashboard.py").run()
    at.selectbox(key="export_choice").set_value("png-1920").run()
    assert not at.exception and not at.error
    (area,) = alt_areas(at)
    assert area.value.startswith("Kart: ") and "Kartlag: " in area.value and "Dato: " in area.value
    assert re.search(r"Parker og områder \(\d+\)", area.value)
    at.selectbox(key="export_choice").set_value("xlsx").run()
    assert not alt_areas(at)
