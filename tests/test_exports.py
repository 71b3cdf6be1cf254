"""Exports: map images (PNG/PDF), the standalone HTML map and the data files, all offline."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import date

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from PIL import Image
from pypdf import PdfReader
from pyproj import Geod

import config
from analysis.filters import Filters, apply_filters
from analysis.kpi import key_figures
from exports.basemap_mosaic import to_lonlat, to_mercator, url_fetcher
from exports.cartography import fit_extent, scale_bar
from exports.data import FORMATS, export_data, export_filename
from exports.errors import ExportDataError, ExportOptionError
from exports.html import standalone_html
from exports.image import map_frame_px, render_map
from exports.request import MapRequest
from i18n import fmt_tonnes
from maps.styles import cluster_colours
from tests.helpers.browser import OfflinePage, serve_file
from tests.helpers.exports import read_layers

HOSTILE = "$\\alpha$ <img src=x onerror=alert(1)>"
FORMULAS = ('=HYPERLINK("http://example.invalid","klikk")', "+1+2", "-3+4", "@SUM(A1:A2)")
TILE_RGB = (23, 190, 207)  # a colour no layer or background uses
DAY = date(2026, 11, 25)


def no_tiles(z, x, y):
    return None


def generated_tile_png(rgb=TILE_RGB) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), rgb).save(buffer, format="PNG")
    return buffer.getvalue()


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])


def map_area(png: bytes, size: str = "1920x1080") -> np.ndarray:
    """The map frame's pixels (legend, header and key figures cut away), as an RGB array."""
    left, top, right, bottom = map_frame_px(size)
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return image[top + 4 : bottom - 4, left + 4 : right - 4]


def over(colour: str, alpha: float, background: str) -> np.ndarray:
    """`colour` at `alpha` laid over `background`, as the PNG shows a translucent fill."""
    return np.round(alpha * rgb(colour) + (1 - alpha) * rgb(background))


def share_near(pixels: np.ndarray, colour, tolerance: int = 10) -> float:
    """The share of pixels within `tolerance` of `colour` in every channel."""
    target = rgb(colour) if isinstance(colour, str) else np.array(colour)
    return float((np.abs(pixels - target).max(axis=-1) <= tolerance).mean())


@pytest.fixture(scope="module")
def view(portfolio):
    return apply_filters(portfolio, Filters())


@pytest.fixture(scope="module")
def colours(portfolio):
    return cluster_colours(list(portfolio.members["cluster"].unique()))


@pytest.fixture(scope="module")
def generated_hostile_view(view):
    """The bundled view with a markup/mathtext name and spreadsheet formulas in text cells."""
    parks = view.parks.copy()
    parks.loc[parks.index[0], "name"] = HOSTILE
    for i, formula in enumerate(FORMULAS):
        parks.loc[parks.index[i + 1], "name"] = formula
    sources = view.sources.copy()
    sources.loc[sources.index[0], "note"] = FORMULAS[0]
    members = view.members.copy()
    members.loc[members.index[0], "cluster"] = HOSTILE
    members.loc[members.index[1], "company"] = HOSTILE
    return replace(view, parks=parks, sources=sources, members=members)


@pytest.fixture(scope="module")
def offline_png(view, colours):
    return render_map(view, MapRequest(colours=colours, day=DAY), tile_fetcher=no_tiles)


# --- PNG and PDF ----------------------------------------------------------------------------


def test_png_1920x1080_has_the_exact_size_and_draws_every_layer_in_its_colour(offline_png):
    image = Image.open(io.BytesIO(offline_png))
    assert image.format == "PNG"
    assert image.size == (1920, 1080)
    pixels = np.asarray(image.convert("RGB")).astype(int)
    assert pixels.std() > 20, "the image is (nearly) blank"
    area = map_area(offline_png)
    assert share_near(area, config.SOURCE_COLOUR) > 0.0005
    # (the parks' translucent fill now sits on the bundled land/sea background, not a plain one)
    assert share_near(area, config.PARK_STATUS_COLOURS["etablert"], 40) > 0.0001
    assert share_near(area, config.PARK_STATUS_COLOURS["planlagt"], 40) > 0.0001
    woodworks = over(config.CLUSTER_COLOURS[5], 0.9, config.EXPORT_LAND_COLOUR)  # the sixth cluster by name
    assert share_near(area, woodworks, 4) > 0.00005


def test_png_a4_landscape_at_300_dpi_has_the_exact_size_and_is_not_blank(view, colours):
    png = render_map(view, MapRequest(size="a4-landscape-300dpi", colours=colours), tile_fetcher=no_tiles)
    image = Image.open(io.BytesIO(png))
    assert image.size == (3508, 2480)
    assert image.info.get("dpi") and round(image.info["dpi"][0]) == 300
    area = map_area(png, "a4-landscape-300dpi")
    assert area.std() > 10
    assert share_near(area, config.SOURCE_COLOUR) > 0.0005


def test_hidden_layers_are_not_drawn(view, colours):
    png = render_map(view, MapRequest(layers={"members"}, colours=colours), tile_fetcher=no_tiles)
    area = map_area(png)
    assert share_near(area, config.SOURCE_COLOUR, tolerance=6) == 0
    assert share_near(area, config.PARK_STATUS_COLOURS["planlagt"], tolerance=6) == 0
    assert share_near(area, over(config.CLUSTER_COLOURS[5], 0.9, config.EXPORT_LAND_COLOUR), 4) > 0.00005


def test_offline_with_boundaries_draws_land_coast_and_sea(view, colours, kommuner):
    calls = []

    def unreachable(z, x, y):
        calls.append((z, x, y))
        return None

    png = render_map(view, MapRequest(colours=colours, boundaries=kommuner), tile_fetcher=unreachable)
    area = map_area(png)
    land, sea = share_near(area, config.EXPORT_LAND_COLOUR, 3), share_near(area, config.EXPORT_SEA_COLOUR, 3)
    assert land > 0.25 and sea > 0.1, (land, sea)
    assert share_near(area, config.EXPORT_COAST_COLOUR, 25) > 0.002  # the coastline is drawn
    assert len(calls) == 1, "without network only one probe tile is tried, not one per tile"


def test_offline_without_boundaries_uses_the_bundled_outlines(view, colours):
    png = render_map(view, MapRequest(colours=colours), tile_fetcher=no_tiles)
    area = map_area(png)
    land, sea = share_near(area, config.EXPORT_LAND_COLOUR, 3), share_near(area, config.EXPORT_SEA_COLOUR, 3)
    assert land > 0.25 and sea > 0.1, (land, sea)  # static/outlines/kommunegrenser.geojson, not a bare graticule


def test_offline_without_any_boundaries_draws_a_graticule_instead(view, colours, monkeypatch, tmp_path):
    monkeypatch.setattr(config, "BUNDLED_KOMMUNER", tmp_path / "none.geojson")
    png = render_map(view, MapRequest(colours=colours), tile_fetcher=no_tiles)
    area = map_area(png)
    assert share_near(area, config.EXPORT_LAND_COLOUR, 3) > 0.6
    assert share_near(area, config.EXPORT_SEA_COLOUR, 3) < 0.001  # antialiased edges aside, no sea
    assert share_near(area, config.EXPORT_GRATICULE_COLOUR, 12) > 0.002


def test_a_fetcher_that_raises_does_not_fail_the_export(view):
    def broken(z, x, y):
        raise OSError("network is unreachable")

    png = render_map(view, MapRequest(), tile_fetcher=broken)
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)


def test_generated_tiles_from_a_fake_fetcher_fill_the_background(view, colours, kommuner):
    tile = generated_tile_png()
    calls = []

    def fetcher(z, x, y):
        calls.append((z, x, y))
        return tile

    png = render_map(view, MapRequest(colours=colours, boundaries=kommuner), tile_fetcher=fetcher)
    area = map_area(png)
    assert share_near(area, TILE_RGB, 3) > 0.8, "the tiles cover the background"
    assert share_near(area, config.EXPORT_LAND_COLOUR, 3) < 0.01, "the vector background is under the tiles"
    assert share_near(area, config.SOURCE_COLOUR) > 0.0005, "the layers are drawn over the tiles"
    assert 1 < len(calls) <= config.EXPORT_MAX_TILES
    assert len({z for z, _, _ in calls}) == 1


def test_the_default_fetcher_reads_the_configured_url_and_gives_none_for_a_missing_tile(tmp_path, monkeypatch):
    tile = generated_tile_png()
    (tmp_path / "7" / "67").mkdir(parents=True)
    (tmp_path / "7" / "67" / "32.png").write_bytes(tile)
    with serve_file(tmp_path / "index.html") as url:
        base = url.rsplit("/", 1)[0]
        local = config.Basemap("generated_local", base + "/{z}/{x}/{y}.png", "&copy; test")
        monkeypatch.setitem(config.BASEMAPS, "generated_local", local)
        fetch = url_fetcher("generated_local", timeout=2)
        assert fetch(7, 67, 32) == tile
        assert fetch(7, 0, 0) is None  # 404
    assert fetch(7, 67, 32) is None  # the server is gone: refused, not raised
    assert url_fetcher("none") is None


def test_basemap_none_fetches_no_tile(view):
    calls = []
    png = render_map(
        view, MapRequest(basemap="none"), tile_fetcher=lambda z, x, y: calls.append(1) or generated_tile_png()
    )
    assert calls == []
    assert share_near(map_area(png), TILE_RGB, 3) == 0


def test_pdf_is_one_a4_landscape_page_with_its_text(view, colours, kommuner):
    pdf = render_map(
        view, MapRequest(format="pdf", colours=colours, boundaries=kommuner, day=DAY), tile_fetcher=no_tiles
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (842, 595)
    text = reader.pages[0].extract_text()
    assert "Industrikart Trøndelag" in text
    assert "Dato: 25.11.2026" in text
    assert "Tegnforklaring" in text and "WoodWorks! Cluster" in text
    assert "kommunegrenser vist i stedet" in text and "© Kartverket (CC BY 4.0)" in text
    kpi = key_figures(view)
    assert fmt_tonnes(kpi.total_t, "nb") in text  # the key figures strip, in Norwegian format (no-break spaces)
    assert f"{kpi.year} · {kpi.facilities} anlegg" in text and kpi.year == 2022  # one scope, one year (EU ETS)


def test_pdf_in_english_credits_the_basemap_when_tiles_came(view, colours):
    tile = generated_tile_png()
    pdf = render_map(
        view,
        MapRequest(format="pdf", lang="en", colours=colours, basemap="osm", day=DAY),
        tile_fetcher=lambda z, x, y: tile,
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Legend" in text and "Cluster members" in text and "Date: 25 November 2026" in text
    assert "Basemap: © OpenStreetMap contributors" in text
    assert fmt_tonnes(key_figures(view).total_t, "en") in text
    assert "unavailable" not in text


def test_a_hostile_name_is_printed_as_written_not_parsed_as_math(generated_hostile_view, monkeypatch):
    import matplotlib.mathtext

    def refuse(*args, **kwargs):
        raise AssertionError("mathtext was asked to parse a text")

    monkeypatch.setattr(matplotlib.mathtext.MathTextParser, "parse", refuse)
    png = render_map(generated_hostile_view, MapRequest(title=HOSTILE, subtitle=HOSTILE), tile_fetcher=no_tiles)
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    pdf = render_map(generated_hostile_view, MapRequest(format="pdf", title=HOSTILE), tile_fetcher=no_tiles)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert HOSTILE in text  # title, dollar signs and backslash included; the cluster's legend line too
    assert "α" not in text


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_glyph_is_in_the_font(view, colours, lang):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_map(view, MapRequest(lang=lang, colours=colours), tile_fetcher=no_tiles)
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_bounds_choose_what_is_drawn(view, colours):
    oslo = (10.5, 59.8, 11.0, 60.0)  # no feature there
    png = render_map(view, MapRequest(bounds=oslo, colours=colours), tile_fetcher=no_tiles)
    assert share_near(map_area(png), config.SOURCE_COLOUR, 6) == 0
    orkanger = (9.7, 63.2, 10.2, 63.4)
    png = render_map(view, MapRequest(bounds=orkanger, colours=colours), tile_fetcher=no_tiles)
    assert share_near(map_area(png), config.SOURCE_COLOUR) > 0.0001


def test_progress_is_reported_up_to_done(view):
    seen = []
    render_map(
        view, MapRequest(), tile_fetcher=no_tiles, progress=lambda fraction, message: seen.append((fraction, message))
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 3
    assert all(message for _, message in seen)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"size": "800x600"},
        {"format": "svg"},
        {"format": "pdf", "size": "1920x1080"},
        {"lang": "de"},
        {"layers": {"roads"}},
        {"layers": "parks"},
        {"basemap": "google"},
        {"bounds": (11.0, 63.0, 10.0, 64.0)},
        {"bounds": (10.0, 63.0, 11.0)},
        {"bounds": (10.0, 63.0, 11.0, 64.0), "center": (63.5, 10.5), "zoom": 8},
        {"center": (63.5, 10.5)},
    ],
)
def test_options_that_do_not_fit_raise_a_typed_error(view, kwargs):
    with pytest.raises(ExportOptionError):
        render_map(view, MapRequest(**kwargs), tile_fetcher=no_tiles)


def test_a_boundaries_frame_without_crs_is_refused(view, kommuner):
    with pytest.raises(ExportDataError):
        render_map(view, MapRequest(boundaries=kommuner.set_crs(None, allow_override=True)), tile_fetcher=no_tiles)


# --- cartography ----------------------------------------------------------------------------


@pytest.mark.parametrize("latitude", [0.0, 45.0, 63.43, 70.0])
def test_the_scale_bar_is_a_round_ground_length_at_the_centre_latitude(latitude):
    cx, cy = to_mercator(10.4, latitude)
    half = 150_000.0  # EPSG:3857 metres
    extent = (cx - half, cy - half * 0.6, cx + half, cy + half * 0.6)
    bar = scale_bar(extent)
    mantissa = bar.metres / 10 ** np.floor(np.log10(bar.metres))
    assert mantissa in (1.0, 2.0, 5.0)
    assert bar.map_units <= 0.22 * 2 * half
    assert bar.map_units > 0.22 * 2 * half / 2.5  # the next round length would not fit
    lon0, lat0 = to_lonlat(cx, cy)
    lon1, _ = to_lonlat(cx + bar.map_units, cy)
    _, _, ground = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat0)
    assert bar.metres == pytest.approx(ground, rel=1e-3)
    assert bar.latitude == pytest.approx(latitude, abs=1e-6)


def test_fit_extent_widens_to_the_frame_and_keeps_the_box():
    box = (1_000_000.0, 9_000_000.0, 1_100_000.0, 9_300_000.0)
    west, south, east, north = fit_extent(box, aspect=16 / 9)
    assert (east - west) / (north - south) == pytest.approx(16 / 9)
    assert west <= box[0] and south <= box[1] and east >= box[2] and north >= box[3]


# --- standalone HTML ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_document(generated_hostile_view, colours):
    return standalone_html(generated_hostile_view, MapRequest(colours=colours, lang="nb", title=HOSTILE))


def test_standalone_html_inlines_leaflet_and_links_no_script_or_style(html_document):
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html_document, re.IGNORECASE)
    assert not re.search(r"<link\b[^>]*\bhref\s*=", html_document, re.IGNORECASE)
    assert not re.search(r"@import|url\((?!data:|#)", html_document), "CSS would fetch something"
    leaflet = (config.STATIC_DIR / config.LEAFLET_JS).read_text(encoding="utf-8")
    assert leaflet[-2000:] in html_document
    assert "ik-legend" in html_document


def test_standalone_html_escapes_names(html_document):
    assert "<img src=x" not in html_document
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_document
    assert "<title>$\\alpha$ &lt;img" in html_document


def test_standalone_html_takes_the_view_box(view):
    fitted = standalone_html(view, MapRequest(bounds=(9.7, 63.2, 10.6, 63.5)))
    assert re.search(r"map_[0-9a-f]+\.fitBounds\(\s*\[\[63\.2, 9\.7\], \[63\.5, 10\.6\]\]", fitted)
    centred = standalone_html(view, MapRequest(center=(63.43, 10.39), zoom=11))
    assert re.search(r"center: \[63\.43, 10\.39\],", centred) and '"zoom": 11,' in centred
    assert not re.search(r"map_[0-9a-f]+\.fitBounds\(", centred)


def test_an_empty_view_still_gives_a_map_image_and_html(portfolio):
    empty = apply_filters(portfolio, Filters(kommunenummer=("9999",)))
    png = render_map(empty, MapRequest(), tile_fetcher=no_tiles)
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    assert share_near(map_area(png), config.SOURCE_COLOUR, 6) == 0
    document = standalone_html(empty, MapRequest())
    assert "ik-legend" in document  # the bundled outlines only, no features:
    assert not re.search(r'"layer": "(parks|sources|members)"', document)


def test_standalone_html_refuses_bad_options(view):
    with pytest.raises(ExportOptionError):
        standalone_html(view, MapRequest(layers={"roads"}))


@pytest.mark.browser
def test_standalone_html_opens_offline_in_chromium_and_draws_every_feature(browser, portfolio, colours, tmp_path):
    view = apply_filters(portfolio, Filters())
    document = standalone_html(view, MapRequest(colours=colours, basemap="kartverket_grey", lang="en"))
    map_name = re.search(r"var (map_[0-9a-f]+) = L\.map\(", document).group(1)
    path = tmp_path / "generated_standalone_map.html"
    path.write_text(document, encoding="utf-8")
    member_points = view.members.geometry.apply(lambda p: (p.x, p.y)).nunique()
    expected = Counter({"parks": len(view.parks), "sources": len(view.sources), "members": member_points})
    expected["outlines"] = 39  # the bundled county and 38 municipality outlines under the tiles (drawn offline)

    with serve_file(path) as url:
        page = OfflinePage(browser, url)
        try:
            page.page.wait_for_function(f"() => window.{map_name} && window.L", timeout=30_000)
            drawn = page.page.evaluate(
                f"""() => {{ const out = [];
                    window.{map_name}.eachLayer(l => {{ if (l.feature) out.push(l.feature.properties.layer); }});
                    return out; }}"""
            )
            assert Counter(drawn) == expected
            assert page.page.evaluate("() => !!document.querySelector('.ik-legend')")
            assert page.page.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane canvas').length") >= 1
            assert page.blocked and all("kartverket" in u for u in page.blocked), "only tiles asked for the network"
            assert page.unexpected_errors() == []
        finally:
            page.close()


# --- data files -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_data_exports_reopen_with_the_same_rows(view, fmt, tmp_path):
    layers = read_layers(export_data(view, fmt, "nb"), fmt, tmp_path)
    for name in ("parks", "sources", "members"):
        original = getattr(view, name)
        back = layers[name]
        assert len(back) == len(original) > 0
        assert list(back["id"]) == list(original["id"])
        geometry = back.geometry if isinstance(back, gpd.GeoDataFrame) else shapely.from_wkt(back["geometry"])
        assert all(shapely.equals_exact(np.asarray(geometry), original.geometry.values, tolerance=1e-7))
    sources = layers["sources"].set_index("id")
    assert float(sources.loc["src-heimdal-varmesentral", "figure_t"]) == 240000.0


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_view_still_exports_every_layer(portfolio, fmt, tmp_path):
    empty = apply_filters(portfolio, Filters(kommunenummer=("9999",)))
    layers = read_layers(export_data(empty, fmt, "en"), fmt, tmp_path)
    assert [len(layers[n]) for n in ("parks", "sources", "members")] == [0, 0, 0]


def test_themes_are_written_as_text(view, tmp_path):
    parks = read_layers(export_data(view, "gpkg"), "gpkg", tmp_path)["parks"].set_index("id")
    original = view.parks.set_index("id")
    for park_id, themes in original["themes"].items():
        assert parks.loc[park_id, "themes"] == "; ".join(themes)


@pytest.mark.parametrize(("lang", "sheet"), [("nb", "Kilder og lisens"), ("en", "Sources and licence")])
def test_xlsx_has_a_sources_and_licence_sheet(view, lang, sheet):
    workbook = openpyxl.load_workbook(io.BytesIO(export_data(view, "xlsx", lang)))
    assert workbook.sheetnames[-1] == sheet
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header == ("kind", "layer", "id", "name", "source_url", "source_year", "text")
    records = {(r["layer"], r["id"]): r for r in body if r["kind"] == "record"}
    for name in ("parks", "sources", "members"):
        for row in getattr(view, name).itertuples():
            record = records[(name, row.id)]
            assert record["source_url"] == row.source_url
            assert record["source_year"] == (None if pd.isna(row.source_year) else int(row.source_year))
    licences = " ".join(r["text"] for r in body if r["kind"] == "licence")
    assert "Wikipedia (CC BY-SA)" in licences and "Kartverket, 2024 division (CC BY 4.0)" in licences
    basemaps = {r["id"]: r["text"] for r in body if r["kind"] == "basemap"}
    assert basemaps["kartverket_grey"] == "© Kartverket" and basemaps["osm"] == "© OpenStreetMap contributors"
    figures = [r for r in body if r["kind"] == "figure"]
    assert len(figures) == int(view.sources["figure_t"].notna().sum())


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_zips_carry_sources_txt(view, fmt):
    with zipfile.ZipFile(io.BytesIO(export_data(view, fmt, "nb", day=DAY))) as archive:
        text = archive.read("SOURCES.txt").decode("utf-8")
    assert "Eksportert 25.11.2026" in text
    assert "Wikipedia (CC BY-SA)" in text and "© Kartverket" in text
    for park_id in view.parks["id"]:
        assert f"parks/{park_id} " in text


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(generated_hostile_view):
    with zipfile.ZipFile(io.BytesIO(export_data(generated_hostile_view, "csv"))) as archive:
        parks = pd.read_csv(io.BytesIO(archive.read("parks.csv")), encoding="utf-8-sig", dtype=str)
        sources = pd.read_csv(io.BytesIO(archive.read("sources.csv")), encoding="utf-8-sig", dtype=str)
    for formula in FORMULAS:
        assert "'" + formula in set(parks["name"])
        assert formula not in set(parks["name"])
    assert sources.loc[0, "note"] == "'" + FORMULAS[0]
    assert all(not str(v).startswith(("=", "+", "-", "@")) for column in parks for v in parks[column].dropna())
    assert parks.loc[0, "name"] == HOSTILE  # ordinary text is left as it is


def test_xlsx_stores_formulas_as_text_never_as_formulas(generated_hostile_view):
    data = export_data(generated_hostile_view, "xlsx", "en")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Parks"]
    header = [c.value for c in sheet[1]]
    names = [row[header.index("name")] for row in sheet.iter_rows(min_row=2)]
    for formula in FORMULAS:
        assert formula not in [c.value for c in names]
        cell = next(c for c in names if c.value == "'" + formula)  # neutralised as in CSV
        assert cell.data_type == "s"


def test_export_filenames_and_unknown_formats():
    assert export_filename("gpkg", DAY) == "industrikart-trondelag-2026-11-25.gpkg"
    assert export_filename("geojson", DAY).endswith(".geojson.zip")
    with pytest.raises(ExportOptionError):
        export_filename("shp")


def test_data_export_refuses_unknown_format_and_frames_without_crs(view):
    with pytest.raises(ExportOptionError):
        export_data(view, "shp")
    with pytest.raises(ExportDataError):
        export_data(replace(view, parks=view.parks.set_crs(None, allow_override=True)), "csv")
