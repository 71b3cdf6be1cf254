"""Map building without a browser: offline assets, escaping, sizes, grouping, number formats."""

from __future__ import annotations

import json
import math
import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

import config
from analysis.filters import Filters, apply_filters
from i18n import fmt_number, fmt_tonnes, fmt_year_range
from maps.assets import OfflineAssetError, external_links, use_local_assets
from maps.build import base_map, legend_group, overview_layers
from maps.layers import members_group
from maps.popups import esc, park_popup, source_links
from maps.styles import cluster_colours, source_radius
from tests.helpers.apptest import js_unescaped

HOSTILE = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'


def rendered(m: folium.Map) -> str:
    return m.get_root().render()


def test_base_map_loads_only_local_leaflet_and_the_outlines():
    m = base_map(static_url="/app/static")
    links = [u for _, u in m.default_js + m.default_css]
    assert links == [
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/outlines/outlines.js",  # after Leaflet: the outlines are drawn with the map (maps/outlines.py)
        "/app/static/vendor/leaflet/leaflet.css",
    ]
    assert external_links(links) == []
    for _, url in m.default_js + m.default_css:
        assert (config.STATIC_DIR / url.removeprefix("/app/static/")).is_file()


def test_without_the_outlines_script_the_map_fetches_the_outlines(monkeypatch):
    import maps.assets

    monkeypatch.setattr(maps.assets, "BUNDLED_OUTLINES_SCRIPT", config.OUTLINES_DIR / "missing.js")
    m = base_map(static_url="/app/static")
    assert [u for _, u in m.default_js] == ["/app/static/vendor/leaflet/leaflet.js"]
    page = rendered(m)
    assert '"county": "/app/static/outlines/fylkesgrense.geojson"' in page and "fetch(source)" in page


def test_every_map_lets_the_reader_zoom_and_shows_its_focus():
    from maps.emissions import emissions_base_map
    from maps.portfolio import portfolio_base_map

    for m in (base_map(), portfolio_base_map("nb"), emissions_base_map()):
        page = rendered(m)
        viewports = re.findall(r'<meta name="viewport"[^>]*>', page)
        assert viewports == ['<meta name="viewport" content="width=device-width, initial-scale=1.0" />'], viewports
        assert "user-scalable" not in page and "maximum-scale" not in page
        assert ".leaflet-container:focus-visible {outline: 3px solid" in page


def test_elements_bringing_cdn_assets_are_refused():
    from folium.plugins import MarkerCluster

    m = folium.Map()
    MarkerCluster().add_to(m)
    with pytest.raises(OfflineAssetError, match="MarkerCluster"):
        use_local_assets(m)


def test_each_layer_is_one_geojson_on_canvas(portfolio):
    view = apply_filters(portfolio, Filters())
    groups = overview_layers(view, {"parks", "sources", "members"}, "none", {}, "nb")
    assert len(groups) == 4
    for group in groups[1:]:
        children = list(group._children.values())
        assert len(children) == 1 and isinstance(children[0], folium.GeoJson)
    assert base_map().options["prefer_canvas"] is True


def test_hidden_layers_and_basemaps(portfolio):
    view = apply_filters(portfolio, Filters())
    groups = overview_layers(view, {"sources"}, "osm", {}, "nb")
    tiles = [c for c in groups[0]._children.values() if isinstance(c, folium.TileLayer)]
    assert len(groups) == 2 and tiles[0].tiles == config.BASEMAPS["osm"].url
    none = overview_layers(view, set(), "none", {}, "nb")[0]._children.values()
    assert not [c for c in none if isinstance(c, folium.TileLayer)]  # no tiles; the outlines are told to hide


def test_source_circle_area_is_proportional_to_tonnes():
    big, small = source_radius(240_000), source_radius(60_000)
    assert (big / small) ** 2 == pytest.approx(4.0)
    assert source_radius(1) == config.SOURCE_MIN_RADIUS
    assert source_radius(None) == config.SOURCE_NO_FIGURE_RADIUS


def test_sources_without_figure_are_hollow(portfolio):
    view = apply_filters(portfolio, Filters())
    group = overview_layers(view, {"sources"}, "none", {}, "nb")[1]
    features = next(iter(group._children.values())).data["features"]
    by_id = {f["properties"]["ids"][0]: f["properties"]["style"] for f in features}
    with_figure = set(view.sources.loc[view.sources["figure_t"].notna(), "id"])
    for fid, style in by_id.items():
        assert (style["fillOpacity"] > 0) == (fid in with_figure), fid


def test_members_at_one_point_share_one_marker(portfolio):
    group = members_group(portfolio.members, cluster_colours(list(portfolio.members["cluster"].unique())), "nb")
    features = next(iter(group._children.values())).data["features"]
    assert len(features) == portfolio.members.geometry.apply(lambda p: (p.x, p.y)).nunique()
    assert sum(len(f["properties"]["ids"]) for f in features) == len(portfolio.members)


def generated_hostile_parks() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["hostile"],
            "name": [HOSTILE],
            "municipality": [HOSTILE],
            "kommunenummer": ["5059"],
            "status": ["etablert"],
            "focus": [HOSTILE],
            "themes": [[HOSTILE]],
            "companies": [HOSTILE],
            "area": [float("nan")],
            "area_unit": [None],
            "source_url": ["javascript:alert(3) ; https://example.org/?a=<b>"],
            "source_year": [2024],
            "location_precision": ["site"],
        },
        geometry=[Point(9.85, 63.31)],
        crs=4326,
    )


def test_no_property_value_reaches_the_page_as_html():
    parks = generated_hostile_parks()
    view = type("V", (), {"parks": parks})()
    m = base_map()
    legend_group({HOSTILE: "#000"}, "nb").add_to(m)
    for group in overview_layers(view, {"parks"}, "none", {}, "nb"):
        group.add_to(m)
    # folium writes its data with < and & as \u003c and \u0026: read those back before looking
    html = js_unescaped(rendered(m))
    assert "<img src=x" not in html and "<script>alert" not in html
    assert 'href="javascript' not in html and 'href=\\"javascript' not in html
    assert "&lt;img src=x" in html


def test_popup_links_only_http_and_escapes_text():
    html = source_links("javascript:alert(1) ; https://example.org/a?b=<c>")
    assert 'href="javascript' not in html
    assert 'href="https://example.org/a?b=&lt;c&gt;"' in html
    assert esc(None) == "" and esc(float("nan")) == ""
    popup = park_popup(generated_hostile_parks().iloc[0].to_dict(), "en")
    assert "<img" not in popup and "&lt;img" in popup


def test_legend_is_escaped_and_cannot_close_its_script():
    m = base_map()
    legend_group({HOSTILE: "#123456"}, "nb").add_to(m)
    html = rendered(m)
    assert "</script><script>alert(2)" not in html
    assert "&lt;img" in json.loads(json.dumps(html))


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "text"),
    [
        (12466, "nb", 0, "12\u00a0466"),
        (1.2, "nb", 1, "1,2"),
        (1234567.891, "nb", 2, "1\u00a0234\u00a0567,89"),
        (12466, "en", 0, "12,466"),
        (1.2, "en", 1, "1.2"),
        (None, "nb", 0, "ingen tall"),
        (math.nan, "en", 0, "no figure"),
    ],
)
def test_number_format(value, lang, decimals, text):
    assert fmt_number(value, lang, decimals) == text


def test_huge_numbers_from_files_format_in_full_without_failing():
    """A file's "1E30" once made Babel round past Decimal's 28 digits (InvalidOperation inside an error message)."""
    from i18n.numbers import fmt_significant

    assert (
        fmt_number(1e30, "nb")
        == "1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0019\u00a0884\u00a0624\u00a0838\u00a0656"
    )
    assert fmt_significant(1e30, "en") == "1" + ",000" * 10  # the rounded digits, not the float's
    assert fmt_number(-1e300, "en", 2).startswith("-1,000,") and fmt_number(-1e300, "en", 2).endswith(".00")
    assert fmt_significant(10.3956, "nb") == "10,3956" and fmt_significant(160000, "en") == "160,000"


def test_tonnes_and_year_ranges():
    assert fmt_tonnes(240000, "nb") == "240\u00a0000\u00a0t"
    assert fmt_tonnes(None, "en") == "no figure"
    assert fmt_year_range([2019, 2022], 0, "nb") == "år 2019–2022"
    assert fmt_year_range([], 2, "en") == "year not stated"
    assert fmt_year_range([2021], 1, "nb") == "år 2021; 1× år ikke oppgitt"
