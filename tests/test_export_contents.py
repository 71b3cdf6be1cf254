"""What the map exports (PNG, PDF, slide, HTML) hold beyond the three layers.

Uploaded layers visible on the web map, the municipality a view is filtered to (framed and outlined), names for
parks and large emitters, stacked points set apart, and the title as the file name.
"""

from __future__ import annotations

import io
import math
from datetime import date
from itertools import combinations

import geopandas as gpd
import matplotlib.mathtext
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import Point, box

import config
import exports.image
from analysis.filters import Filters, apply_filters
from exports.basemap_mosaic import to_mercator
from exports.cartography import spread_points
from exports.errors import ExportDataError
from exports.html import standalone_html
from exports.image import SPREAD_MIN_PX, map_frame_px, render_map
from exports.names import MAX_STEM, export_file_name, title_slug
from exports.overlays import MapExtras, UploadedLayer
from exports.request import MapRequest

DAY = date(2026, 11, 25)
PINK = "#c51b7d"  # a colour no bundled layer or background uses
ORKLAND = ("5059",)


def no_tiles(z, x, y):
    return None


def near(pixels: np.ndarray, colour: str, tolerance: int = 12) -> np.ndarray:
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.abs(pixels - target).max(axis=-1) <= tolerance


def map_pixels(png: bytes) -> np.ndarray:
    left, top, right, bottom = map_frame_px("1920x1080")
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return image[top + 4 : bottom - 4, left + 4 : right - 4]


def pdf_text(pdf: bytes) -> str:
    """The page's text with line breaks as spaces (the legend wraps long rows)."""
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


@pytest.fixture(scope="module")
def orkland(portfolio):
    return apply_filters(portfolio, Filters(kommunenummer=ORKLAND))


@pytest.fixture(scope="module")
def generated_polygon_layer():
    """An inland rectangle in Orkland, away from every bundled point."""
    frame = gpd.GeoDataFrame({"navn": ["generert"]}, geometry=[box(9.45, 63.0, 9.65, 63.1)], crs="EPSG:4326")
    return UploadedLayer("Generert flate", frame, {"colour": PINK, "fill": True})


@pytest.fixture(scope="module")
def generated_big_point_layer():
    """More points than the web map sends as GeoJSON (it draws them from tiles)."""
    rng = np.random.default_rng(21)
    n = config.TILE_MIN_FEATURES + 500
    xs, ys = rng.uniform(9.45, 9.65, n), rng.uniform(63.0, 63.1, n)
    frame = gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in zip(xs, ys, strict=True)], crs="EPSG:4326")
    return UploadedLayer("Genererte punkter", frame, {"colour": PINK})


def extent_of(monkeypatch) -> list:
    """Records the extent each render draws (exports.image._frame_axes's argument)."""
    seen: list = []
    original = exports.image._frame_axes

    def recording(ax, extent):
        seen.append(extent)
        return original(ax, extent)

    monkeypatch.setattr(exports.image, "_frame_axes", recording)
    return seen


# --- uploaded layers --------------------------------------------------------------------------


def test_an_uploaded_layer_is_drawn_in_its_style_and_listed_in_the_legend(orkland, generated_polygon_layer):
    extras = MapExtras(uploaded=(generated_polygon_layer,), municipalities=ORKLAND)
    without = render_map(orkland, MapRequest(day=DAY, extras=MapExtras(municipalities=ORKLAND)), tile_fetcher=no_tiles)
    with_layer = render_map(orkland, MapRequest(day=DAY, extras=extras), tile_fetcher=no_tiles)
    assert near(map_pixels(without), PINK).sum() < 20
    assert near(map_pixels(with_layer), PINK).sum() > 300  # its outline in its own colour
    text = pdf_text(render_map(orkland, MapRequest(format="pdf", day=DAY, extras=extras), tile_fetcher=no_tiles))
    assert "Opplastede kartlag" in text and "Generert flate" in text


def test_a_big_uploaded_layer_is_drawn_simplified_and_the_legend_says_so(orkland, generated_big_point_layer):
    extras = MapExtras(uploaded=(generated_big_point_layer,), municipalities=ORKLAND)
    png = render_map(orkland, MapRequest(day=DAY, extras=extras), tile_fetcher=no_tiles)
    drawn = near(map_pixels(png), PINK, tolerance=40)
    assert drawn.sum() > 2000  # thousands of dots, none left out
    text = pdf_text(
        render_map(orkland, MapRequest(format="pdf", lang="en", day=DAY, extras=extras), tile_fetcher=no_tiles)
    )
    assert "Genererte punkter (drawn simplified)" in text


def test_an_uploaded_layer_without_a_crs_is_refused(orkland):
    frame = gpd.GeoDataFrame(geometry=[Point(9.5, 63.0)])
    with pytest.raises(ExportDataError):
        render_map(
            orkland, MapRequest(extras=MapExtras(uploaded=(UploadedLayer("x", frame, {}),))), tile_fetcher=no_tiles
        )


def test_the_html_file_carries_a_small_uploaded_layer_and_names_a_big_one_left_out(
    orkland, generated_polygon_layer, generated_big_point_layer
):
    extras = MapExtras(uploaded=(generated_polygon_layer, generated_big_point_layer), municipalities=ORKLAND)
    html = standalone_html(orkland, MapRequest(extras=extras))
    assert "Generert flate" in html and "9.45" in html  # the polygon's coordinates are in the file
    assert "Genererte punkter (for stort for HTML-fila" in html


# --- the filtered municipality ---------------------------------------------------------------


def test_a_view_filtered_to_orkland_is_framed_on_orkland_and_outlined(orkland, kommuner, monkeypatch):
    seen = extent_of(monkeypatch)
    png = render_map(
        orkland,
        MapRequest(boundaries=kommuner, day=DAY, extras=MapExtras(municipalities=ORKLAND)),
        tile_fetcher=no_tiles,
    )
    west, south, east, north = seen[-1]
    shape = kommuner[kommuner["kommunenummer"] == "5059"].to_crs("EPSG:3857")
    x0, y0, x1, y1 = shape.total_bounds
    assert west <= x0 and south <= y0 and east >= x1 and north >= y1  # all of Orkland is on the map
    assert min((east - west) / (x1 - x0), (north - south) / (y1 - y0)) < 1.1  # and not much more
    outline = near(map_pixels(png), "#1b1b1b", tolerance=5)  # not the names (#111111)
    rows, cols = np.nonzero(outline)
    assert outline.sum() > 1500  # the border is drawn
    frame_h, frame_w = outline.shape
    assert max((cols.max() - cols.min()) / frame_w, (rows.max() - rows.min()) / frame_h) > 0.85  # and fills it
    text = pdf_text(
        render_map(
            orkland,
            MapRequest(format="pdf", boundaries=kommuner, extras=MapExtras(municipalities=ORKLAND)),
            tile_fetcher=no_tiles,
        )
    )
    assert "Valgt kommune: Orkland" in text


def test_an_explicit_view_box_still_wins_over_the_municipality(orkland, monkeypatch):
    seen = extent_of(monkeypatch)
    render_map(
        orkland,
        MapRequest(center=(63.31, 9.86), zoom=13, extras=MapExtras(municipalities=ORKLAND)),
        tile_fetcher=no_tiles,
    )
    west, _, east, _ = seen[-1]
    assert east - west < 20_000  # zoom 13 shows a few kilometres, not the whole municipality


# --- labels and stacked points ---------------------------------------------------------------


def test_parks_and_large_emitters_are_named_on_the_map(orkland):
    text = pdf_text(
        render_map(orkland, MapRequest(format="pdf", extras=MapExtras(municipalities=ORKLAND)), tile_fetcher=no_tiles)
    )
    assert "Elkem Thamshavn" in text  # a large emitter (218 541 t in 2022)
    assert "Biopark Vormstad (Orkland Næringspark)" in text  # a park
    assert "Washington Mills" not in text  # a source without a figure is not a large emitter


def test_a_hostile_name_is_labelled_as_written(orkland, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("mathtext was asked to parse a label")

    monkeypatch.setattr(matplotlib.mathtext.MathTextParser, "parse", refuse)
    parks = orkland.parks.copy()
    hostile = "$x$ <b>Park</b>"
    parks.loc[parks["name"].str.startswith("Biopark"), "name"] = hostile
    view = type(orkland)(**{**orkland.__dict__, "parks": parks})
    text = pdf_text(
        render_map(view, MapRequest(format="pdf", extras=MapExtras(municipalities=ORKLAND)), tile_fetcher=no_tiles)
    )
    assert hostile in text


def test_spread_points_set_a_stack_apart_on_a_ring_and_leave_lone_points():
    stack = [(0.0, 0.0)] * 8 + [(3.0, 1.0), (-2.0, 4.0)]  # eight at one place and two close by
    lone = [(500.0, 500.0)]
    placed = spread_points(np.array(stack + lone), 20.0)
    assert tuple(placed[-1]) == lone[0]
    for a, b in combinations(range(len(stack)), 2):
        assert math.dist(placed[a], placed[b]) >= 20.0 - 1e-6
    centre = np.mean(stack, axis=0)
    assert max(math.dist(p, centre) for p in placed[:-1]) < 60  # near where they were


def test_points_at_orkanger_are_drawn_apart_with_leader_lines(orkland, monkeypatch):
    seen = extent_of(monkeypatch)
    drawn: list = []
    original = exports.image._scatter

    def recording(ax, points, zorder):
        drawn.extend((x, y) for x, y, _ in points)
        return original(ax, points, zorder)

    monkeypatch.setattr(exports.image, "_scatter", recording)
    render_map(orkland, MapRequest(extras=MapExtras(municipalities=ORKLAND)), tile_fetcher=no_tiles)
    west, _, east, _ = seen[-1]
    left, _, right, _ = map_frame_px("1920x1080")
    screen_px = (east - west) / ((right - left) / 150 * config.EXPORT_SCREEN_DPI)
    x, y = to_mercator(9.85, 63.31)  # Orkanger: parks, Elkem and 19 memberships within a few hundred metres
    at_orkanger = [p for p in drawn if math.dist(p, (x, y)) < 120 * screen_px]
    assert len(at_orkanger) >= 5
    closest = min(math.dist(a, b) for a, b in combinations(at_orkanger, 2))
    assert closest >= SPREAD_MIN_PX * screen_px * 0.99


# --- the file name ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ærlig møte på Øya", "aerlig-moete-paa-oeya"),
        ("Orkland: møte 3/12", "orkland-moete-3-12"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32\\evil.exe", "c-windows-system32-evil-exe"),
        ("line\nbreak\x00nul\x1b[31m", "line-break-nul-31m"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("Café Zürich – ÅS", "cafe-zurich-aas"),
        ("///", ""),
    ],
)
def test_the_title_becomes_a_safe_slug(title, expected):
    assert title_slug(title) == expected


def test_a_long_or_empty_title_gives_a_bounded_file_name():
    name = export_file_name("Møte " * 100, DAY, "1920x1080.png")
    assert name.endswith("-2026-11-25-1920x1080.png") and len(name) <= MAX_STEM + len("-2026-11-25-1920x1080.png")
    assert export_file_name("/\\..", DAY, ".pptx") == "industrikart-trondelag-2026-11-25.pptx"
    assert all(c.isascii() and (c.isalnum() or c in "-.") for c in name)


def test_the_exported_circles_are_of_the_key_figures_scope_and_year_and_the_legend_says_which(portfolio):
    from analysis.kpi import key_figures
    from i18n import key_figure_label

    view = apply_filters(portfolio, Filters())
    kpi = key_figures(view)
    label = key_figure_label(kpi, "nb")
    text = pdf_text(render_map(view, MapRequest(format="pdf"), tile_fetcher=no_tiles))
    assert f"Sirkelareal ∝ tonn ({label})" in text and f"Hul sirkel: ingen tall i {label}" in text
    # a plant whose latest figure is large in another scope only is no large emitter in this one: not named
    latest = view.sources.set_index("id")
    other = latest[(latest["figure_scope"] != kpi.scope) & (latest["figure_t"] >= config.LARGE_EMITTER_MIN_T)]
    other = other[[kpi.figure_of(i) is None for i in other.index]]
    assert not other.empty, "the bundled data has a large plant of another scope only"
    assert not any(name in text for name in other["facility"])


def test_a_legend_row_never_runs_past_the_legend():
    from exports.image import _width_in, _wrap

    word = "Generert" + "x" * 200  # one unbreakable name, far wider than the legend
    lines = _wrap(f"Klynge {word} slutt", 2.0, 9)
    assert all(_width_in(line, 9) <= 2.0 for line in lines)
    assert lines[0] == "Klynge" and lines[1].endswith("…") and lines[-1] == "slutt"
