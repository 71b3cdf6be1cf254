"""The slide export: a 16:9 .pptx that reopens, carries its texts as text, and shows a map that is not blank."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pptx import Presentation

from analysis.filters import Filters, apply_filters
from analysis.neighbourhoods import neighbourhood
from exports.request import MapRequest
from exports.slides import MIME, site_slides, slides_pptx, view_slide
from i18n import fmt_tonnes
from maps.styles import cluster_colours
from tests.helpers.exports import offline_settings
from tests.helpers.hostile_text import EVALUATED, LITERAL_MARKERS
from ui.export_panel import CHOICES, build_export

DAY = date(2026, 11, 25)
HOSTILE = "{{ 7*191919 }} <b>fet</b> & $\\alpha$ {# ik comment #} \u202eRTL"


def no_tiles(z, x, y):
    return None


def texts(slide) -> list[str]:
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return found


def pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def assert_not_blank(picture) -> None:
    pixels = np.asarray(Image.open(io.BytesIO(picture.image.blob)).convert("L"), dtype=float)
    assert pixels.std() > 15, "the map picture is (nearly) blank"


@pytest.fixture
def orkland(portfolio):
    return apply_filters(portfolio, Filters(kommunenummer=("5059",)))


def test_the_view_slide_reopens_with_its_texts_as_text(orkland, kommuner):
    colours = cluster_colours(list(orkland.members["cluster"].dropna().unique()))
    slide = view_slide(
        orkland,
        MapRequest(
            title="Industri i Orkland",
            subtitle="Møte med formannskapet",
            colours=colours,
            boundaries=kommuner,
            center=(63.31, 9.86),
            zoom=11,
            day=DAY,
        ),
        tile_fetcher=no_tiles,
    )
    deck = Presentation(io.BytesIO(slides_pptx([slide], day=DAY)))
    assert (deck.slide_width, deck.slide_height) == (12_192_000, 6_858_000)  # PowerPoint's 13.333 × 7.5 in
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    (only,) = deck.slides
    found = texts(only)
    for wanted in ("Industri i Orkland", "Møte med formannskapet", "25.11.2026", "Nøkkeltall"):
        assert wanted in found, wanted
    assert "Parker og områder" in found and str(len(orkland.parks)) in found  # key figures as a table
    assert any("Grenser:" in text and "Kartverket" in text for text in found)  # the sources line
    assert any(text.startswith("Tegnforklaring") and "Punktutslipp" in text for text in found)
    (picture,) = pictures(only)
    assert_not_blank(picture)
    assert picture.left + picture.width <= deck.slide_width and picture.top + picture.height <= deck.slide_height


def test_hostile_text_stays_literal_on_the_slide(orkland):
    slide = view_slide(
        orkland, MapRequest(title=HOSTILE, subtitle=HOSTILE + "\nline two", day=DAY), tile_fetcher=no_tiles
    )
    data = slides_pptx([slide], day=DAY)
    (only,) = Presentation(io.BytesIO(data)).slides
    found = texts(only)
    assert HOSTILE in found and HOSTILE + "\nline two" in found
    assert not any(EVALUATED in text for text in found)
    assert not any(marker in text for marker in LITERAL_MARKERS if marker not in HOSTILE for text in found)
    assert b"<b>fet</b>" not in data  # escaped in the XML, never markup


def test_characters_no_office_file_can_hold_are_replaced_not_a_crash(orkland):
    """A link's ?title=Møte%07 (or U+FFFF) made python-pptx raise "All strings must be XML compatible"."""
    title, subtitle = "Møte\x07 i Orkland\uffff", "Saksliste\x00\x1b med\ttabulator"
    slide = view_slide(orkland, MapRequest(title=title, subtitle=subtitle, day=DAY), tile_fetcher=no_tiles)
    (only,) = Presentation(io.BytesIO(slides_pptx([slide], day=DAY))).slides
    found = texts(only)
    assert "Møte\ufffd i Orkland\ufffd" in found and "Saksliste\ufffd\ufffd med\ttabulator" in found


def test_english_slide(orkland):
    slide = view_slide(orkland, MapRequest(title="T", subtitle="S", lang="en", day=DAY), tile_fetcher=no_tiles)
    (only,) = Presentation(io.BytesIO(slides_pptx([slide], lang="en", day=DAY))).slides
    found = texts(only)
    assert "25 November 2026" in found and "Legend" in " ".join(found) and "Key figures" in found


def test_one_slide_per_compared_site(portfolio, kommuner):
    site_ids = list(portfolio.parks["id"][:3])
    hoods = [neighbourhood(site_id, portfolio, 10_000) for site_id in site_ids]
    made = site_slides(
        hoods,
        MapRequest(subtitle="Portefølje", boundaries=kommuner),
        sources="Kilder: example.org",
        tile_fetcher=no_tiles,
    )
    deck = Presentation(io.BytesIO(slides_pptx(made, day=DAY)))
    assert len(deck.slides) == 3
    for hood, slide in zip(hoods, deck.slides, strict=True):
        found = texts(slide)
        assert str(hood.site["name"]) in found
        assert "Utslippskilder innenfor" in found and str(len(hood.sources)) in found
        assert "Sum innenfor (EU ETS, CO₂-ekv. 2022)" in found  # the scope and year, as on Portefølje and Kart
        assert any("10\u00a0km" in text for text in found)
        assert any(text.startswith("Kilder: example.org") for text in found)
        (picture,) = pictures(slide)
        assert_not_blank(picture)


def test_the_export_panel_offers_the_slide(orkland, kommuner):
    assert "pptx" in CHOICES
    data, name, mime = build_export(
        "pptx",
        orkland,
        offline_settings("Generert tittel", "Undertittel", DAY),
        boundaries=kommuner,
    )
    assert name == "generert-tittel-2026-11-25.pptx" and mime == MIME
    (only,) = Presentation(io.BytesIO(data)).slides
    assert "Generert tittel" in texts(only) and "Undertittel" in texts(only)


def test_the_slide_says_when_and_by_whom_it_was_made_and_is_tagged_16_9(orkland):
    """python-pptx's template said "created 2013" by its author and "On-screen Show (4:3)" with sldSz screen4x3."""
    made = datetime(2026, 12, 6, 11, 30, tzinfo=UTC)
    slide = view_slide(orkland, MapRequest(title="Orkland", subtitle="Formannskapet", day=DAY), tile_fetcher=no_tiles)
    data = slides_pptx([slide], day=DAY, now=made)
    props = Presentation(io.BytesIO(data)).core_properties
    assert props.created == props.modified == made.replace(tzinfo=None)
    assert (props.title, props.subject) == ("Orkland", "Formannskapet")
    assert props.author == props.last_modified_by == "Industrikart Trøndelag" and props.revision == 1
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        presentation = package.read("ppt/presentation.xml").decode()
        app_xml = package.read("docProps/app.xml").decode()
    (size,) = re.findall(r"<p:sldSz [^>]*/>", presentation)
    assert 'cx="12192000"' in size and 'cy="6858000"' in size and "4x3" not in size
    assert "<PresentationFormat>Widescreen</PresentationFormat>" in app_xml and "4:3" not in app_xml
    assert "<Slides>1</Slides>" in app_xml
    deck = Presentation(io.BytesIO(data))
    for holder in (deck.slide_master, *deck.slide_layouts):  # the template's placeholders, spread across 16:9
        spans = [(shape.left, shape.left + shape.width) for shape in holder.shapes if shape.left is not None]
        assert all(right <= deck.slide_width for _, right in spans), holder.name
    title_box = deck.slide_master.shapes[0]
    assert title_box.left + title_box.width > 0.9 * deck.slide_width  # not left at the 4:3 template's 10 in
    today = slides_pptx([slide], day=DAY)  # without `now`: this moment
    assert Presentation(io.BytesIO(today)).core_properties.created.year == datetime.now(UTC).year


def test_the_slide_draws_and_lists_an_uploaded_layer_and_outlines_the_municipality(orkland):
    from shapely.geometry import box

    from exports.overlays import MapExtras, UploadedLayer

    layer = gpd.GeoDataFrame(geometry=[box(9.45, 63.0, 9.65, 63.1)], crs="EPSG:4326")  # inland, no point near
    extras = MapExtras((UploadedLayer("Generert lag <b>", layer, {"colour": "#c51b7d", "fill": True}),), ("5059",))
    slide = view_slide(orkland, MapRequest(title="Orkland", subtitle="", day=DAY, extras=extras), tile_fetcher=no_tiles)
    (only,) = Presentation(io.BytesIO(slides_pptx([slide], day=DAY))).slides
    legend = next(text for text in texts(only) if text.startswith("Tegnforklaring"))
    assert "Opplastede kartlag" in legend and "Generert lag <b>" in legend and "Valgt kommune: Orkland" in legend
    picture = np.asarray(Image.open(io.BytesIO(slide.image)).convert("RGB")).astype(int)
    assert np.all(np.abs(picture - np.array([0xC5, 0x1B, 0x7D])) <= 12, axis=-1).sum() > 200


def test_the_sum_row_of_a_site_slide_names_its_scope_and_year(portfolio):
    hood = neighbourhood("park-gronora", portfolio, 10_000)
    (slide,) = site_slides([hood], MapRequest(subtitle="", day=DAY), tile_fetcher=no_tiles)
    label, value = next((label, value) for label, value in slide.figures if label.startswith("Sum innenfor"))
    assert hood.emissions.scope == "ets" and hood.emissions.year == 2022  # Kart's one scope and year
    assert label == "Sum innenfor (EU ETS, CO₂-ekv. 2022)"
    assert value == fmt_tonnes(hood.emissions.total_t, "nb")


def test_the_portfolio_page_exports_one_slide_per_site_with_one_click(monkeypatch, tmp_path):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import AppTest

    import config
    import exports.slides

    made: dict = {}
    add_deferred = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):
        made[kwargs.get("file_name")] = data_callable
        return add_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(tmp_path / "layers.gpkg"))
    monkeypatch.setattr(exports.slides, "url_fetcher", lambda basemap: no_tiles)  # offline
    at = AppTest.from_file(str(config.ROOT / "pages/2_Portefolje.py"), default_timeout=120).run()
    at.sidebar.multiselect(key="pf_sites").set_value(["park-gronora", "park-malm"]).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "pf_export_make"]  # one click: no "make" step
    (button,) = [b for b in at.get("download_button") if b.key == "pf_export_download"]
    (name,) = [n for n in made if n.startswith("industrikart-portefoelje-")]
    assert name.endswith(".pptx")
    assert len(Presentation(io.BytesIO(made[name]())).slides) == 2
