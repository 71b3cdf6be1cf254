"""Portfolio map building without a browser: arrowheads, colours, rings, buffers, fitting, offline, escaping."""

from __future__ import annotations

import math

import folium
import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Point

import config
from analysis.neighbourhoods import neighbourhood, portfolio_summary
from analysis.portfolio_view import filter_flows, flows_touching, map_content, sources_inside_any
from loaders.bundled.flows import flow_lines, flows_from_records, load_flows
from maps.assets import external_links
from maps.portfolio import (
    ZOOM_SNAP,
    arrowheads,
    buffers_group,
    fit_view,
    flow_features,
    flow_heads,
    flows_group,
    portfolio_base_map,
    portfolio_layers,
    portfolio_legend_html,
)

HOSTILE = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'
GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def lines(portfolio):
    return flow_lines(load_flows(), portfolio)


def features_of(group: folium.FeatureGroup) -> list[dict]:
    children = list(group._children.values())
    return children[0].data["features"] if children else []


def metric(geometry):
    return gpd.GeoSeries([geometry], crs=config.CRS).to_crs(config.METRIC_CRS).iloc[0]


def free_text_flow(flow_id: str, start: tuple[float, float], end: tuple[float, float], **extra) -> dict:
    return {
        "id": flow_id,
        "from_name": extra.pop("from_name", "Giver"),
        "from_lon": start[0],
        "from_lat": start[1],
        "from_precision": "site",
        "to_name": extra.pop("to_name", "Mottaker"),
        "to_lon": end[0],
        "to_lat": end[1],
        "to_precision": "site",
        "resource": extra.pop("resource", "CO2"),
        "status": extra.pop("status", "eksisterende"),
        "source_url": extra.pop("source_url", "https://example.org/kilde"),
        "quote": extra.pop("quote", "«sitat»"),
        **extra,
    }


# --- arrowheads -----------------------------------------------------------------------------------


def test_arrowheads_worked_out_before_draw_the_same_flows(lines):
    """Portefølje works the heads out once per data and listing (ui.portfolio.drawn_flows) for all its maps."""
    known = flow_heads(lines)
    some = lines.iloc[::2]
    assert flow_features(lines, "nb", known) == flow_features(lines, "nb")
    assert flow_features(some, "nb", known) == flow_features(some, "nb")
    partial = {i: known[i] for i in list(known)[:1]}  # a head missing: worked out afresh, not dropped
    assert flow_features(lines, "nb", partial) == flow_features(lines, "nb")


def test_every_arrowhead_has_its_tip_on_the_receiver(lines):
    drawn = lines[~lines["colocated"]]
    assert len(drawn) >= 2
    for (_, row), head in zip(drawn.iterrows(), arrowheads(drawn), strict=True):
        start, end = metric(Point(row.from_lon, row.from_lat)), metric(Point(row.to_lon, row.to_lat))
        corners = [Point(c) for c in metric(head).exterior.coords[:3]]
        tip = min(corners, key=end.distance)
        assert end.distance(tip) < 0.01  # the tip sits on the receiving actor
        base = [c for c in corners if c is not tip]
        # ... and the base lies back along the line, towards the giver
        assert all(start.distance(c) < start.distance(tip) for c in base)
        assert metric(head).centroid.distance(end) < metric(head).centroid.distance(start)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((10.0, 63.4), (10.2, 63.4)),
        ((10.2, 63.4), (10.0, 63.4)),
        ((10.0, 63.3), (10.0, 63.5)),
        ((10.3, 63.6), (10.1, 63.4)),
    ],
)
def test_arrowheads_point_from_giver_to_receiver_in_any_direction(portfolio, start, end):
    flows = flows_from_records([free_text_flow("f", start, end)])
    head = arrowheads(flow_lines(flows, portfolio))[0]
    tip = min(head.exterior.coords[:3], key=lambda c: Point(c).distance(Point(end)))
    assert Point(tip).distance(Point(end)) < 1e-7
    # the head's middle lies between the ends, nearer the receiver
    middle = head.centroid
    assert GEOD.inv(middle.x, middle.y, *end)[2] < GEOD.inv(middle.x, middle.y, *start)[2]


def test_arrowheads_are_sized_on_the_ground_relative_to_the_line(portfolio):
    records = [
        free_text_flow("short", (10.0, 63.4), (10.0, 63.418)),  # about 2 km
        free_text_flow("mid", (10.0, 63.4), (10.0, 63.49)),  # about 10 km
        free_text_flow("long", (10.0, 63.0), (10.0, 63.9)),  # about 100 km: capped
        free_text_flow("tiny", (10.0, 63.4), (10.0, 63.4003)),  # about 33 m: never longer than the line
    ]
    found = flow_lines(flows_from_records(records), portfolio)
    for (_, row), head in zip(found.iterrows(), arrowheads(found), strict=True):
        corners = [Point(c) for c in metric(head).exterior.coords[:3]]
        tip, left, right = corners
        base = Point((left.x + right.x) / 2, (left.y + right.y) / 2)
        size = tip.distance(base)
        expected = min(
            row.length_m,
            max(config.FLOW_ARROW_MIN_M, min(config.FLOW_ARROW_MAX_M, row.length_m * config.FLOW_ARROW_SHARE)),
        )
        assert size == pytest.approx(expected, rel=1e-6)
        # isosceles in metres (it would not be if it were built in degrees at 63° N)
        assert tip.distance(left) == pytest.approx(tip.distance(right), rel=1e-6)
        assert left.distance(right) == pytest.approx(size * config.FLOW_ARROW_WIDTH, rel=1e-6)
    sizes = dict(zip(found["id"], [metric(h).length for h in arrowheads(found)], strict=True))
    assert sizes["tiny"] < sizes["short"] < sizes["mid"] < sizes["long"]


# --- flows as features ---------------------------------------------------------------------------


def test_flows_are_coloured_by_resource_and_dashed_by_status(lines):
    features = flow_features(lines, "nb")
    by_id = lines.set_index("id")
    assert features
    for feature in features:
        props = feature["properties"]
        flow = by_id.loc[props["ids"][0]]
        assert props["style"]["color"] == config.FLOW_RESOURCE_COLOURS[flow["resource"]]
        dash = config.FLOW_STATUS_DASH[flow["status"]]
        assert props["style"].get("dashArray") == dash or props["part"] == "head"
    colours = {f["properties"]["style"]["color"] for f in features}
    assert len(colours) == lines["resource"].nunique() > 1


def test_each_flow_is_a_line_and_a_head_or_one_ring(lines):
    features = flow_features(lines, "nb")
    parts: dict[str, list[str]] = {}
    for f in features:
        parts.setdefault(f["properties"]["ids"][0], []).append(f["properties"]["part"])
    for flow in lines.itertuples():
        assert sorted(parts[flow.id]) == (["ring"] if flow.colocated else ["head", "line"])
    geometry = {f["properties"]["part"]: f["geometry"]["type"] for f in features}
    assert geometry == {"line": "LineString", "head": "Polygon", "ring": "Point"}
    # Drawn in this order: rings under the lines, heads over everything, so no head hides under a ring.
    order = [f["properties"]["part"] for f in features]
    assert order == sorted(order, key=["ring", "line", "head"].index)


def test_rings_at_one_point_grow_outwards_and_say_so(lines):
    rings = [f for f in flow_features(lines, "nb") if f["properties"]["part"] == "ring"]
    colocated = lines[lines["colocated"]]
    assert len(rings) == len(colocated) >= 2
    radii = [f["properties"]["style"]["radius"] for f in rings]
    assert len(set(radii)) == len(radii), "rings at one point must not hide each other"
    assert radii == sorted(radii, reverse=True)  # widest drawn first, so each stays reachable
    assert min(radii) == config.FLOW_RING_RADIUS
    assert all("samme punkt" in f["properties"]["tooltip"] for f in rings)


def test_flow_popups_and_tooltips_escape_every_value(portfolio):
    flows = flows_from_records(
        [
            free_text_flow(
                "hostile",
                (9.85, 63.31),
                (9.86, 63.32),
                from_name=HOSTILE,
                to_name=HOSTILE + " 2",
                quote=HOSTILE,
                note=HOSTILE,
                source_url="https://example.org/?a=<b>",
            )
        ]
    )
    found = flow_lines(flows, portfolio).assign(layer=HOSTILE)
    group = flows_group(found, "nb")
    for feature in features_of(group):
        for field in ("tooltip", "popup"):
            html = feature["properties"][field]
            assert "<img" not in html and "<script" not in html
            assert "&lt;img" in html
    m = portfolio_base_map("nb")
    group.add_to(m)
    page = m.get_root().render()
    # folium writes the data with tojson, where a raw '<' would read \u003c: only escaped text is there
    assert "\\u003cimg" not in page and "\\u0026lt;img" in page


def test_popup_source_links_are_http_only(portfolio):
    flows = flows_from_records(
        [free_text_flow("f", (9.85, 63.31), (9.86, 63.32), source_url="https://a.example/x; http://b.example/y")]
    )
    feature = flow_features(flow_lines(flows, portfolio), "nb")[0]
    popup = feature["properties"]["popup"]
    assert 'href="https://a.example/x"' in popup and 'href="http://b.example/y"' in popup
    assert "år ikke oppgitt" in popup  # no year given: said, not invented


# --- buffers, legend, fitting, offline -------------------------------------------------------------


def test_buffers_are_the_neighbourhoods(portfolio):
    hoods = [neighbourhood(s, portfolio, 15_000) for s in ("park-gronora", "park-malm")]
    features = features_of(buffers_group(hoods, "nb"))
    assert [f["properties"]["ids"] for f in features] == [["park-gronora"], ["park-malm"]]
    for feature, hood in zip(features, hoods, strict=True):
        assert feature["geometry"]["type"] == "Polygon"
        assert len(feature["geometry"]["coordinates"][0]) == len(hood.buffer.exterior.coords)
        assert "15 km" in feature["properties"]["tooltip"]


def test_legend_names_every_resource_and_status_escaped():
    html = portfolio_legend_html("en")
    for resource in config.FLOW_RESOURCE_COLOURS:
        assert config.FLOW_RESOURCE_COLOURS[resource] in html
    assert "surplus heat" in html and "planned" in html and "possible (according to the source)" in html
    assert "<script" not in html


def test_base_map_loads_only_local_assets_and_does_not_depend_on_the_choice():
    m = portfolio_base_map("nb", static_url="/app/static")
    links = [u for _, u in m.default_js + m.default_css]
    assert external_links(links) == [] and links
    assert "cdn" not in m.get_root().render().lower()
    # The base map is the same whatever is chosen: st_folium keeps it mounted.
    assert portfolio_base_map("nb").options == portfolio_base_map("nb").options


def test_layers_follow_the_toggles(portfolio, lines):
    hoods = [neighbourhood("park-gronora", portfolio, 15_000)]
    content = map_content(hoods, portfolio, lines)
    all_groups = portfolio_layers(content, {"buffers", "flows", "parks", "sources", "members"}, "none", {}, "nb")
    assert len(all_groups) == 6
    only = portfolio_layers(content, {"flows"}, "none", {}, "nb")
    assert len(only) == 2 and {f["properties"]["layer"] for f in features_of(only[1])} == {"flows"}


@pytest.mark.parametrize(("width", "height"), [(1050, 620), (360, 320), (520, 320)])
@pytest.mark.parametrize("radius", [1_000, 15_000, 50_000])
def test_fit_view_is_the_closest_zoom_that_shows_the_whole_buffer(portfolio, width, height, radius):
    bounds = neighbourhood("park-malm", portfolio, radius).buffer.bounds
    (lat, lon), zoom = fit_view(bounds, width, height)

    def pixels(z):
        scale = 256 * 2**z
        x = [scale * (b + 180) / 360 for b in (bounds[0], bounds[2])]
        y = [
            scale * (1 - math.log(math.tan(math.pi / 4 + math.radians(b) / 2)) / math.pi) / 2
            for b in (bounds[1], bounds[3])
        ]
        return abs(x[1] - x[0]), abs(y[1] - y[0])

    w, h = pixels(zoom)
    assert w <= width and h <= height
    assert zoom % ZOOM_SNAP == 0
    w, h = pixels(zoom + ZOOM_SNAP)  # one step closer and the buffer no longer fits inside the padding
    assert w > width - 24 or h > height - 24
    site = portfolio.parks.set_index("id").loc["park-malm"].geometry
    assert (lat, lon) == pytest.approx((site.y, site.x), abs=0.01)


# --- what the maps show -----------------------------------------------------------------------------


def test_flows_touching_a_neighbourhood_have_an_end_inside(portfolio, lines):
    gronora = neighbourhood("park-gronora", portfolio, 15_000)
    malm = neighbourhood("park-malm", portfolio, 15_000)
    assert set(flows_touching(lines, gronora)["id"]) == {"flow-elkem-norsk-kylling-varme"}
    assert set(flows_touching(lines, malm)["id"]) == set(lines["id"]) - {"flow-elkem-norsk-kylling-varme"}
    # Malm at 5 km: the farms' end (Steinkjer centre, ~15 km) is outside, the biogas plant's end is inside.
    near = flows_touching(lines, neighbourhood("park-malm", portfolio, 5_000))
    assert "flow-malm-gardsbruk-gjodsel" in set(near["id"])


def test_filter_flows_by_resource_and_status(lines):
    assert set(filter_flows(lines, ["slam"])["resource"]) == {"slam"}
    assert set(filter_flows(lines, [], ["eksisterende"])["status"]) == {"eksisterende"}
    assert len(filter_flows(lines)) == len(lines)
    assert filter_flows(lines, ["hydrogen"]).empty


def test_map_content_lists_each_feature_once(portfolio, lines):
    hoods = [neighbourhood(s, portfolio, 50_000) for s in ("park-gronora", "park-isfjord-orkanger")]
    content = map_content(hoods, portfolio, lines)
    assert content.members["id"].is_unique and content.sources["id"].is_unique and content.parks["id"].is_unique
    assert set(content.members["id"]) == set(hoods[0].members["id"])  # the two share one point
    assert {"park-gronora", "park-isfjord-orkanger"} <= set(content.parks["id"])


def test_sources_inside_any_are_the_ones_the_summary_sums(portfolio):
    for radius in (5_000, 15_000):
        summary = portfolio_summary(portfolio, load_flows(), radius)
        inside = sources_inside_any(portfolio, radius)
        assert len(inside) == summary.sources_in_neighbourhoods
        summed = summary.emissions_in_neighbourhoods
        f = portfolio.figures
        rows = f[(f["scope"] == summed.scope) & (f["year"] == summed.year) & f["facility_id"].isin(inside["id"])]
        assert rows["amount_t"].sum() == pytest.approx(summed.total_t or 0)
        assert (inside["location_precision"] != "municipality").all()


def test_empty_choices_still_build(portfolio, lines):
    content = map_content([neighbourhood("park-malm", portfolio, 1_000)], portfolio, lines[:0])
    groups = portfolio_layers(content, {"buffers", "flows", "parks", "sources", "members"}, "none", {}, "nb")
    m = portfolio_base_map("nb")
    for group in groups:
        m.add_child(group)
    assert m.get_root().render()
    assert isinstance(content.sources, pd.DataFrame) and content.sources.empty
