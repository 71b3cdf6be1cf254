"""The slide export: a 16:9 .pptx that reopens, carries its texts as text, and shows a map that is not blank."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from analysis.filters import Filters, apply_filters
from analysis.neighbourhoods import neighbourhood
from exports.slides import MIME, site_slides, slides_pptx, view_slide
from maps.styles import cluster_colours
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
        title="Industri i Orkland",
        subtitle="Møte med formannskapet",
        cluster_colours=colours,
        boundaries=kommuner,
        tile_fetcher=no_tiles,
        center=(63.31, 9.86),
        zoom=11,
        day=DAY,
    )
    deck = Presentation(io.BytesIO(slides_pptx([slide], day=DAY)))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
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
    slide = view_slide(orkland, title=HOSTILE, subtitle=HOSTILE + "\nline two", tile_fetcher=no_tiles, day=DAY)
    data = slides_pptx([slide], day=DAY)
    (only,) = Presentation(io.BytesIO(data)).slides
    found = texts(only)
    assert HOSTILE in found and HOSTILE + "\nline two" in found
    assert not any(EVALUATED in text for text in found)
    assert not any(marker in text for marker in LITERAL_MARKERS if marker not in HOSTILE for text in found)
    assert b"<b>fet</b>" not in data  # escaped in the XML, never markup


def test_characters_no_office_file_can_hold_are_replaced_not_a_crash(orkland):
    """Issue 19: ?title=Møte%07 (or U+FFFF) made python-pptx raise "All strings must be XML compatible"."""
    title, subtitle = "Møte\x07 i Orkland\uffff", "Saksliste\x00\x1b med\ttabulator"
    slide = view_slide(orkland, title=title, subtitle=subtitle, tile_fetcher=no_tiles, day=DAY)
    (only,) = Presentation(io.BytesIO(slides_pptx([slide], day=DAY))).slides
    found = texts(only)
    assert "Møte\ufffd i Orkland\ufffd" in found and "Saksliste\ufffd\ufffd med\ttabulator" in found


def test_english_slide(orkland):
    slide = view_slide(orkland, title="T", subtitle="S", lang="en", tile_fetcher=no_tiles, day=DAY)
    (only,) = Presentation(io.BytesIO(slides_pptx([slide], lang="en", day=DAY))).slides
    found = texts(only)
    assert "25 November 2026" in found and "Legend" in " ".join(found) and "Key figures" in found


def test_one_slide_per_compared_site(portfolio, kommuner):
    site_ids = list(portfolio.parks["id"][:3])
    hoods = [neighbourhood(site_id, portfolio, 10_000) for site_id in site_ids]
    made = site_slides(
        hoods, subtitle="Portefølje", sources="Kilder: example.org", boundaries=kommuner, tile_fetcher=no_tiles
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
        visible={"parks", "sources", "members"},
        basemap="none",
        colours={},
        lang="nb",
        map_view=(63.31, 9.86, 12),
        title="Generert tittel",
        subtitle="Undertittel",
        boundaries=kommuner,
        day=DAY,
    )
    assert name == "industrikart-trondelag-2026-11-25.pptx" and mime == MIME
    (only,) = Presentation(io.BytesIO(data)).slides
    assert "Generert tittel" in texts(only) and "Undertittel" in texts(only)


def test_the_portfolio_page_exports_one_slide_per_site(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    import config
    import exports.slides

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(tmp_path / "layers.gpkg"))
    monkeypatch.setattr(exports.slides, "url_fetcher", lambda basemap: no_tiles)  # offline
    at = AppTest.from_file(str(config.ROOT / "pages/2_Portefolje.py"), default_timeout=120).run()
    at.sidebar.multiselect(key="pf_sites").set_value(["park-gronora", "park-malm"]).run()
    at.button(key="pf_export_make").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (button,) = [b for b in at.get("download_button") if b.proto.label.endswith(".pptx")]
    assert "industrikart-portefolje" in button.proto.label
