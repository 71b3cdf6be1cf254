"""Neighbourhoods, ranking, comparison and summary: metric geometry checked against pyproj.Geod."""

from __future__ import annotations

import dataclasses
import math

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod, Transformer
from shapely.geometry import Point

import analysis.neighbourhoods as nb
from analysis.errors import CompareError, RadiusError, UnknownSiteError
from analysis.figures import latest_figures
from analysis.neighbourhoods import (
    actor_table,
    check_radius,
    compare,
    distance_m,
    neighbourhood,
    neighbourhoods,
    portfolio_summary,
    ranking,
)
from config import COMPARE_MAX_SITES, LARGE_EMITTER_MIN_T, METRIC_CRS
from loaders.bundled.flows import load_flows
from loaders.bundled.portfolio import load_portfolio

GEOD = Geod(ellps="GRS80")
TOLERANCE = 0.005  # 0.5 %


@pytest.fixture(scope="module")
def portfolio():
    return load_portfolio()


def _point(portfolio, feature_id) -> Point:
    for layer in (portfolio.parks, portfolio.sources, portfolio.members):
        hits = layer[layer["id"] == feature_id]
        if len(hits):
            return hits.geometry.iloc[0]
    raise KeyError(feature_id)


def _geod_m(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2]


def _geod_from(portfolio, site_id, layer) -> pd.Series:
    site = _point(portfolio, site_id)
    return pd.Series([_geod_m(site, g) for g in layer.geometry], index=layer["id"].to_numpy())


# --- distances -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("src-elkem-thamshavn", "src-heimdal-varmesentral"),
        ("park-fiborgtangen", "park-verdal-industripark"),
        ("park-gronora", "park-malm"),
    ],
)
def test_distance_matches_geodesic(portfolio, a, b):
    expected = _geod_m(_point(portfolio, a), _point(portfolio, b))
    assert expected > 10_000  # real, well-separated pairs
    assert distance_m(portfolio, a, b) == pytest.approx(expected, rel=TOLERANCE)
    assert distance_m(portfolio, b, a) == pytest.approx(expected, rel=TOLERANCE)


def test_distance_is_not_in_degrees(portfolio):
    a, b = _point(portfolio, "park-gronora"), _point(portfolio, "park-malm")
    assert distance_m(portfolio, "park-gronora", "park-malm") > 1000 * a.distance(b)


def test_distance_of_unknown_id_is_a_typed_error(portfolio):
    with pytest.raises(UnknownSiteError, match="no-such-id"):
        distance_m(portfolio, "park-gronora", "no-such-id")


def test_every_reported_distance_matches_geodesic(portfolio):
    # The widest radius from a western and an eastern site: every real pair inside must agree.
    # placed sites only: a site at its municipal centre measures nothing
    for site_id in ("park-gronora", "park-fiborgtangen", "park-krakoya"):
        hood = neighbourhood(site_id, portfolio, 50_000)
        assert len(hood.sources) + len(hood.members) > 0
        site = _point(portfolio, site_id)
        for frame in (hood.sources, hood.members):
            for geometry, reported in zip(frame.geometry, frame["distance_m"], strict=True):
                expected = _geod_m(site, geometry)
                assert reported == pytest.approx(expected, rel=TOLERANCE, abs=1.0)


# --- radius ----------------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [999, 50_001, 0, -10_000, math.nan, math.inf, "10000", True, None])
def test_radius_outside_range_or_not_a_number_is_rejected(portfolio, radius):
    with pytest.raises(RadiusError):
        neighbourhood("park-gronora", portfolio, radius)


@pytest.mark.parametrize("radius", [1_000, 50_000, 12_345.5])
def test_radius_limits_are_accepted(radius):
    assert check_radius(radius) == float(radius)


def test_radius_error_is_a_value_error_with_a_sentence():
    with pytest.raises(ValueError, match="between 1 and 50 km"):
        check_radius(60_000)


def test_real_source_just_inside_and_just_outside(portfolio):
    # Elkem Thamshavn lies about 1.5 km from Grønøra; the geodesic length decides the expectation.
    d = _geod_m(_point(portfolio, "park-gronora"), _point(portfolio, "src-elkem-thamshavn"))
    inside = neighbourhood("park-gronora", portfolio, d * (1 + TOLERANCE))
    outside = neighbourhood("park-gronora", portfolio, d * (1 - TOLERANCE))
    assert "src-elkem-thamshavn" in set(inside.sources["id"])
    assert "src-elkem-thamshavn" not in set(outside.sources["id"])


def _moved_east(point: Point, metres: float) -> Point:
    # Independent of the implementation: place a point `metres` east of another in EPSG:25833.
    forward = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    back = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    x, y = forward.transform(point.x, point.y)
    return Point(back.transform(x + metres, y))


def test_boundary_is_decided_to_the_metre(portfolio):
    radius = 10_000
    site = _point(portfolio, "park-fiborgtangen")
    sources = portfolio.sources.copy()
    at = {"src-norske-skog-skogn": radius - 0.5, "src-ranheim-paper": radius + 0.5}
    for source_id, metres in at.items():
        sources.loc[sources["id"] == source_id, "geometry"] = _moved_east(site, metres)
    moved = dataclasses.replace(portfolio, sources=gpd.GeoDataFrame(sources, crs=portfolio.sources.crs))

    hood = neighbourhood("park-fiborgtangen", moved, radius)
    ids = set(hood.sources["id"])
    assert "src-norske-skog-skogn" in ids
    assert "src-ranheim-paper" not in ids
    reported = hood.sources.set_index("id").loc["src-norske-skog-skogn", "distance_m"]
    assert reported == pytest.approx(radius - 0.5, abs=0.01)
    assert (hood.sources["distance_m"] <= radius).all()


# --- the planner's scenario: Grønøra and Malm at 15 km ----------------------------------------


def _expected_inside(portfolio, site_id, layer, radius):
    distances = _geod_from(portfolio, site_id, layer)
    near_edge = distances[(distances - radius).abs() <= radius * TOLERANCE]
    assert near_edge.empty, f"too close to the edge to decide independently: {dict(near_edge)}"
    return set(distances[distances <= radius].index)


@pytest.mark.parametrize("site_id", ["park-gronora", "park-malm"])
def test_scenario_membership_matches_geodesic(portfolio, site_id):
    hood = neighbourhood(site_id, portfolio, 15_000)
    placed = portfolio.sources[portfolio.sources["location_precision"] != "municipality"]
    assert set(hood.sources["id"]) == _expected_inside(portfolio, site_id, placed, 15_000)
    actors = actor_table(portfolio)
    known = actors[actors["location_precision"] != "municipality"].rename(columns={"actor_id": "id"})
    assert set(hood.actors["actor_id"]) == _expected_inside(portfolio, site_id, known, 15_000)


def _ets_2022(portfolio, ids) -> float:
    """The EU ETS's 2022 figures of these plants, summed from the figures table (Kart's key-figure rule)."""
    f = portfolio.figures
    rows = f[(f["scope"] == "ets") & (f["year"] == 2022) & (f["basis"] == "stated") & f["facility_id"].isin(ids)]
    return float(rows["amount_t"].sum())


def test_scenario_named_actors(portfolio):
    gronora = neighbourhood("park-gronora", portfolio, 15_000)
    malm = neighbourhood("park-malm", portfolio, 15_000)

    assert list(gronora.sources["facility"]) == ["Washington Mills AS", "Elkem Thamshavn"]  # both in E-PRTR
    assert "Heimdal varmesentral" not in set(gronora.sources["facility"])  # about 26 km away
    # One entry per actor: Elkem's three memberships are on the plant's row, at the plant's place (2.4 km).
    assert list(gronora.actors["name"]) == ["Washington Mills AS", "Elkem Thamshavn"]
    elkem = gronora.actors.set_index("actor_id").loc["src-elkem-thamshavn"]
    assert elkem["roles"] == ("source", "member") and len(elkem["member_ids"]) == 3
    assert _geod_m(_point(portfolio, "park-gronora"), _point(portfolio, "src-elkem-thamshavn")) == pytest.approx(
        elkem["distance_m"], rel=TOLERANCE
    )
    # Members placed at Orkland's centre are never at a distance: listed apart, not inside.
    assert {"Norsk Kylling", "Orkland kommune", "SpareBank 1 SMN", "Tensio"} <= set(gronora.unplaced["name"])
    assert not set(gronora.unplaced["actor_id"]) & set(gronora.actors["actor_id"])
    assert "distance_m" not in gronora.unplaced.columns

    # The pulp mill at Follafoss (two EU ETS accounts: Södra Cell Folla to 2012, MM FollaCell since), about 12 km.
    assert set(malm.sources["id"]) == {"src-sodra-cell-folla", "src-mm-follacell"}
    # One scope, one year (EU ETS 2022): the closed account has no 2022 figure and is not summed.
    assert malm.emissions.total_t == pytest.approx(_ets_2022(portfolio, ["src-mm-follacell"]))
    assert (malm.emissions.scope, malm.emissions.year) == ("ets", 2022) and malm.emissions.with_figure == 1
    # MM FollaCell AS (WoodWorks! board) is the same company as the plant: one actor.
    assert (
        "mem-woodworks-cluster-mm-follacell-as-board"
        in malm.actors.set_index("actor_id").loc["src-mm-follacell", "member_ids"]
    )
    # Trøndelag fylkeskommune sits on Steinkjer's municipal centre: not inside, listed apart.
    assert "Trøndelag fylkeskommune" in set(malm.unplaced["name"])
    assert "Trøndelag fylkeskommune" not in set(malm.actors["name"])


def test_scenario_compare_side_by_side(portfolio):
    table = compare(["park-gronora", "park-malm"], portfolio, 15_000)
    assert list(table.columns) == ["park-gronora", "park-malm"]
    assert table.loc["sources_inside", "park-gronora"] == 2
    assert table.loc["sources_inside", "park-malm"] == 2  # the two accounts of the mill at Follafoss
    assert "Elkem Thamshavn (2.4 km)" in table.loc["industry_actors", "park-gronora"]
    assert "Orkland kommune" in table.loc["unplaced_actors", "park-gronora"]
    assert "Orkland kommune" not in table.loc["supporting_actors", "park-gronora"]
    assert table.loc["colocated_with", "park-malm"] == "park-salmar-tjuin"
    for site_id in table.columns:
        nearest = table.loc["nearest_emitter_id", site_id]
        expected = _geod_m(_point(portfolio, site_id), _point(portfolio, nearest))
        assert table.loc["nearest_emitter_m", site_id] == pytest.approx(expected, rel=TOLERANCE)


def test_compare_limits(portfolio):
    ids = list(portfolio.parks["id"][: COMPARE_MAX_SITES + 1])
    with pytest.raises(CompareError):
        compare(ids, portfolio, 10_000)
    with pytest.raises(CompareError):
        compare([], portfolio, 10_000)
    with pytest.raises(CompareError):
        compare(["park-malm", "park-malm"], portfolio, 10_000)
    with pytest.raises(UnknownSiteError):
        compare(["park-malm", "park-nowhere"], portfolio, 10_000)
    assert compare(ids[:COMPARE_MAX_SITES], portfolio, 10_000).shape[1] == COMPARE_MAX_SITES


# --- buffers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [1_000, 15_000, 50_000])
def test_buffer_area_is_pi_r_squared(portfolio, radius):
    hood = neighbourhood("park-malm", portfolio, radius)
    projected = gpd.GeoSeries([hood.buffer], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    assert projected.area == pytest.approx(math.pi * radius**2, rel=0.01)
    # And on the ellipsoid: the drawn circle is a real circle of that radius, not one in degrees.
    geodesic_area = abs(GEOD.geometry_area_perimeter(hood.buffer)[0])
    assert geodesic_area == pytest.approx(math.pi * radius**2, rel=0.01)
    assert hood.buffer.contains(_point(portfolio, "park-malm"))


def test_buffer_reaches_the_radius_on_the_ground(portfolio):
    hood = neighbourhood("park-gronora", portfolio, 20_000)
    site = _point(portfolio, "park-gronora")
    edge = [_geod_m(site, Point(c)) for c in hood.buffer.exterior.coords]
    assert min(edge) == pytest.approx(20_000, rel=TOLERANCE)
    assert max(edge) == pytest.approx(20_000, rel=TOLERANCE)


# --- emissions and the nearest large emitter -----------------------------------------------


def _dated_latest(portfolio):
    """The latest *dated* stated figure per facility: what sums and the nearest emitter use."""
    return latest_figures(portfolio.figures[portfolio.figures["year"].notna()]).set_index("facility_id")["amount_t"]


def test_sum_uses_latest_dated_stated_figures_only(portfolio):
    latest = _dated_latest(portfolio)
    hood = neighbourhood("park-gronora", portfolio, 15_000)
    assert hood.emissions.total_t == pytest.approx(latest["src-elkem-thamshavn"]) == 218_541  # EU ETS 2022
    assert hood.emissions.unknown_years == 0  # the undated NRK figure is never summed
    assert hood.emissions.years == (2022,)

    # NorFraKalk at Ørin: the planned (applied-for) figures are never summed; the register's 2017 figure is.
    verdal = neighbourhood("park-verdal-industripark", portfolio, 5_000)
    assert "src-norfrakalk" in set(verdal.sources["id"])
    assert verdal.emissions.total_t == pytest.approx(latest["src-norfrakalk"]) == 202_939  # EU ETS 2022


def test_nearest_large_emitter_is_the_geodesically_nearest_qualifying_source(portfolio):
    latest = _dated_latest(portfolio)
    large = portfolio.sources[portfolio.sources["id"].map(latest).ge(LARGE_EMITTER_MIN_T)]
    assert len(large) >= 2
    for site_id in ("park-malm", "park-tiller", "park-krakoya"):
        distances = _geod_from(portfolio, site_id, large)
        nearest = neighbourhood(site_id, portfolio, 10_000).nearest_emitter
        assert nearest.large
        assert nearest.source_id == distances.idxmin()
        assert nearest.distance_m == pytest.approx(distances.min(), rel=TOLERANCE)
        assert nearest.figure_t >= LARGE_EMITTER_MIN_T


def test_nearest_emitter_falls_back_to_any_size_when_none_is_large(portfolio, monkeypatch):
    import analysis.kpi

    monkeypatch.setattr(analysis.kpi, "LARGE_EMITTER_MIN_T", 10**9)
    nearest = neighbourhood("park-malm", portfolio, 10_000).nearest_emitter
    distances = _geod_from(portfolio, "park-malm", portfolio.sources)
    assert not nearest.large
    assert "any size" in nearest.basis
    assert nearest.source_id == distances.idxmin()  # Hylla kalkverk, which has no figure at all


def test_no_sources_means_no_nearest_emitter(portfolio):
    empty = dataclasses.replace(portfolio, sources=portfolio.sources.iloc[0:0], figures=portfolio.figures.iloc[0:0])
    hood = neighbourhood("park-malm", empty, 10_000)
    assert hood.nearest_emitter is None
    assert hood.sources.empty


# --- ranking and summary ---------------------------------------------------------------------


def test_ranking_has_one_row_per_site_most_emissions_first(portfolio):
    table = ranking(portfolio, 15_000)
    assert sorted(table["site_id"]) == sorted(portfolio.parks["id"])
    ranked = table[table["rank"].notna()]
    known = ranked["emissions_t"].dropna()
    assert list(known) == sorted(known, reverse=True)
    assert ranked["emissions_t"].isna().to_numpy()[len(known) :].all()  # unknown sums last
    assert {"location_precision", "colocated_with", "unplaced_in_municipality"} <= set(table.columns)
    # Sites at their municipal centre are not ranked, and come last.
    unranked = table[table["rank"].isna()]
    assert set(unranked["location_precision"]) == {"municipality"}
    assert list(table.index[table["rank"].isna()]) == list(range(len(ranked), len(table)))


def test_ranking_flags_shared_positions(portfolio):
    table = ranking(portfolio, 10_000).set_index("site_id")
    pairs = portfolio.parks.groupby(portfolio.parks.geometry.to_wkt())["id"].apply(set)
    for ids in pairs[pairs.map(len) > 1]:
        for site_id in ids:
            assert set(table.loc[site_id, "colocated_with"].split("; ")) == ids - {site_id}
    assert table.loc["park-fiborgtangen", "colocated_with"] == ""


def test_summary_counts_each_source_once(portfolio):
    radius = 15_000
    summary = portfolio_summary(portfolio, load_flows(), radius)
    inside = set()
    placed_sources = portfolio.sources[portfolio.sources["location_precision"] != "municipality"]
    for site_id in portfolio.parks.loc[portfolio.parks["location_precision"] != "municipality", "id"]:
        distances = _geod_from(portfolio, site_id, placed_sources)
        inside |= set(distances[distances <= radius].index)
    assert summary.sources_in_neighbourhoods == len(inside)
    # Kart's rule: one scope and one year (EU ETS 2022 on the bundled data), each plant once.
    emissions = summary.emissions_in_neighbourhoods
    assert (emissions.scope, emissions.year) == ("ets", 2022)
    assert emissions.total_t == pytest.approx(_ets_2022(portfolio, inside))


def test_summary_counts_sites_and_flows(portfolio):
    flows = load_flows()
    summary = portfolio_summary(portfolio, flows, 10_000)
    assert summary.sites == len(portfolio.parks)
    assert summary.sites_by_status["sites"].sum() == len(portfolio.parks)
    assert summary.sites_by_status["status"].isna().sum() == 1  # Tiller: no status stated
    assert summary.sites_by_theme.set_index("theme").loc["biogass", "sites"] == sum(
        "biogass" in themes for themes in portfolio.parks["themes"]
    )
    assert summary.flows_by_resource["flows"].sum() == len(flows)
    assert summary.members == len(portfolio.members)
    assert summary.member_companies < summary.members  # companies recur across clusters


def test_several_neighbourhoods_at_once_are_each_the_single_one(portfolio):
    sites = ["park-gronora", "park-malm", "park-biopark-vormstad"]
    together = neighbourhoods(sites, portfolio, 15_000)
    for site, hood in zip(sites, together, strict=True):
        alone = neighbourhood(site, portfolio, 15_000)
        assert hood.site_id == site
        assert list(hood.sources["id"]) == list(alone.sources["id"])
        assert list(hood.members["id"]) == list(alone.members["id"])
        assert hood.emissions == alone.emissions


# --- places unknown, one entry per actor, sectors, ties -------------------------------------


def test_a_place_at_the_municipal_centre_is_never_at_a_distance(portfolio):
    for radius in (1_000, 10_000, 50_000):
        for hood in neighbourhoods(list(portfolio.parks["id"]), portfolio, radius):
            assert (hood.actors["location_precision"] != "municipality").all()
            assert (hood.sources["location_precision"] != "municipality").all()
            assert (hood.members["location_precision"] != "municipality").all()
            # Listed apart only in its own municipality, and never twice.
            number = hood.site["kommunenummer"]
            assert all(number in numbers for numbers in hood.unplaced["kommunenummer"])
            assert not set(hood.unplaced["actor_id"]) & set(hood.actors["actor_id"])


def test_a_site_at_its_municipal_centre_measures_nothing(portfolio):
    hood = neighbourhood("park-ustjaaren", portfolio, 50_000)  # Ustjåren: placed at Orkland's centre
    assert not hood.placed
    assert hood.actors.empty and hood.sources.empty and hood.nearest_emitter is None
    assert {"Elkem Thamshavn", "Orkland kommune"} <= set(hood.unplaced["name"])  # the municipality's actors
    assert hood.emissions.total_t is None


def test_one_entry_per_actor(portfolio):
    actors = actor_table(portfolio)
    assert actors["actor_id"].is_unique
    # every member record is on exactly one actor
    member_ids = [m for ids in actors["member_ids"] for m in ids]
    assert sorted(member_ids) == sorted(portfolio.members["id"])
    # every source is its own actor, and a source's company's memberships join it
    assert set(actors["source_id"].dropna()) == set(portfolio.sources["id"])
    by_source = actors.dropna(subset=["source_id"]).set_index("source_id")
    assert by_source.loc["src-elkem-thamshavn", "roles"] == ("source", "member")
    assert by_source.loc["src-hylla-kalkverk", "clusters"] == ("CCS Midt-Norge",)  # Verdalskalk AS operates Hylla
    assert by_source.loc["src-wacker-holla", "roles"] == ("source", "member")  # the recorded alias
    # A company in several clusters (ReMidt twice in Thamsklyngen, Trondheim Havn in two) is one actor.
    assert (actors["name"] == "Trondheim Havn").sum() == 1
    assert (actors["name"] == "ReMidt").sum() == 1


def test_supporting_members_are_apart_by_a_sourced_sector(portfolio):
    actors = actor_table(portfolio).set_index("name")
    for name in ("Orkland kommune", "Trøndelag fylkeskommune", "SpareBank 1 SMN", "Orkla Sparebank"):
        assert actors.loc[name, "sector_group"] == "supporting", name
        assert actors.loc[name, "sector_basis"], name  # always with its basis
    # No source says what these are: sector unknown, never guessed (not "possible industrial partners").
    for name in ("Tensio", "Nettselskapet", "Orkland Energi", "SINTEF", "ReMidt"):
        assert actors.loc[name, "sector_group"] == "unknown", name
        assert pd.isna(actors.loc[name, "sector"])
    assert actors.loc["Norsk Kylling", "sector_group"] == "industry"  # reference_facts.md: the factory


def test_equal_neighbourhoods_tie_and_say_so(portfolio):
    table = ranking(portfolio, 10_000).set_index("site_id")
    orkanger = ["park-gronora", "park-isfjord-orkanger", "park-norsk-kylling-orkanger", "park-thamshavn-naeringspark"]
    hoods = {h.site_id: set(h.actors["actor_id"]) for h in neighbourhoods(orkanger, portfolio, 10_000)}
    assert len({frozenset(a) for a in hoods.values()}) == 1  # the same actors around all four at 10 km
    assert table.loc[orkanger, "rank"].nunique() == 1 and table.loc[orkanger, "tied"].all()
    assert set(table.loc["park-gronora", "same_actors_as"].split("; ")) == set(orkanger) - {"park-gronora"}
    # Different neighbourhoods rank differently: at 2 km Grønøra has Washington Mills, Thamshavn has Elkem.
    small = ranking(portfolio, 2_000).set_index("site_id")
    near = {h.site_id: set(h.actors["actor_id"]) for h in neighbourhoods(orkanger, portfolio, 2_000)}
    assert near["park-gronora"] != near["park-thamshavn-naeringspark"]
    assert small.loc["park-gronora", "same_actors_as"] != "park-thamshavn-naeringspark"
    ranked = small[small["rank"].notna()]
    for _, group in ranked.groupby("rank"):
        columns = group[["emissions_t", "industry_inside", "actors_inside"]].astype(float).fillna(-1.0)
        keys = set(columns.itertuples(index=False))
        assert len(keys) == 1  # a shared rank only where the sites are equal on every key


def test_same_company_rule():
    from core.names import company_key, same_company

    assert company_key("MM FollaCell AS") == company_key("MM FollaCell (cellulosefabrikken i Follafoss)")
    assert company_key("Wacker Holla Metall") == company_key("Wacker Chemicals Norway AS, Holla Metall")
    assert same_company(None, ["Statkraft Varme"], None, ["Heimdal varmesentral", "Statkraft Varme AS"])
    assert not same_company(None, ["Elkem Thamshavn"], None, ["Elkem Salten", "Elkem ASA"])
    # org.nr. decides where both have one, whatever the names say
    assert not same_company("923 609 016", ["Norsk Kylling"], "999999999", ["Norsk Kylling AS"])
    assert same_company("923609016", ["NK"], "923 609 016", ["Norsk Kylling AS"])


def test_member_sectors_file_is_what_the_script_gives():
    import json
    import subprocess
    import sys

    from config import GEODATA_DIR
    from core.sectors import basis_parts

    script = GEODATA_DIR.parent / "scripts" / "member_sectors.py"
    assert subprocess.run([sys.executable, str(script), "--check"], check=False).returncode == 0
    members = json.loads((GEODATA_DIR / "cluster_members.geojson").read_text(encoding="utf-8"))["features"]
    for feature in members:
        p = feature["properties"]
        assert (p["sector"] is None) == (p["sector_basis"] is None), p["id"]  # a sector always has its basis
        assert p["sector"] is None or basis_parts(p["sector_basis"]) is not None, p["id"]  # a basis the app names


def test_a_point_centre_is_measured_like_a_site_at_that_point(portfolio):
    from config import BUNDLED_KOMMUNER
    from loaders.bundled.boundaries import load_boundaries

    site = portfolio.parks.set_index("id").geometry["park-fiborgtangen"]
    point = nb.point_site(site.y, site.x, "punkt", load_boundaries(BUNDLED_KOMMUNER))
    assert (point["kommunenummer"], point["municipality"]) == ("5037", "Levanger")
    around = nb.neighbourhood_around(point, portfolio, 15_000)
    park = neighbourhood("park-fiborgtangen", portfolio, 15_000)
    assert list(around.actors["actor_id"]) == list(park.actors["actor_id"])
    assert list(around.unplaced["actor_id"]) == list(park.unplaced["actor_id"])
    assert around.emissions.total_t == park.emissions.total_t
    assert around.colocated_sites == ("park-fiborgtangen",)  # a point on a park says so
    far = nb.point_site(70.0, 5.0, "hav", load_boundaries(BUNDLED_KOMMUNER))  # the Norwegian Sea
    assert far["kommunenummer"] is None and nb.neighbourhood_around(far, portfolio, 5_000).unplaced.empty


def test_a_members_sector_without_a_basis_or_outside_the_codes_decides_nothing(portfolio):
    """An uploaded members file's bare "industry" (no basis), or a sector that is no code, leaves the actor's
    sector unknown: a file's claim alone never makes a possible industrial partner or a supporting member."""
    from core.sectors import sourced_sector

    members = portfolio.members.copy()
    tensio = members["company"] == "Tensio"
    assert tensio.any()
    for sector, basis in (("industry", None), ("industry", "  "), ("finance", float("nan")), ("Industri", "x")):
        assert sourced_sector(sector, basis) is None
        members.loc[tensio, "sector"], members.loc[tensio, "sector_basis"] = sector, basis
        changed = dataclasses.replace(portfolio, members=members)
        actor = actor_table(changed).set_index("name").loc["Tensio"]
        assert actor["sector_group"] == "unknown" and pd.isna(actor["sector"]), (sector, basis)
    members.loc[tensio, "sector"], members.loc[tensio, "sector_basis"] = "industry", "reference_facts: a stated basis"
    assert actor_table(dataclasses.replace(portfolio, members=members)).set_index("name").loc[
        "Tensio", "sector_group"
    ] == ("industry")


def test_the_nearest_large_emitter_is_large_in_the_portfolios_one_scope_and_year(portfolio):
    """A plant whose only large figure is of another year (a closed plant's last one, made large here) is no large
    emitter on Portefølje, as it is none on Kart: one figure decides it everywhere."""
    figures = portfolio.figures.copy()
    folla = figures["facility_id"] == "src-sodra-cell-folla"
    assert folla.any() and figures.loc[folla, "year"].max() < 2022
    figures.loc[folla, "amount_t"] *= 10_000  # generated: far above the threshold, in 2012 only
    changed = dataclasses.replace(portfolio, figures=figures)
    for site in changed.parks["id"]:
        nearest = neighbourhood(site, changed, 10_000).nearest_emitter
        assert nearest is None or nearest.source_id != "src-sodra-cell-folla" or not nearest.large, site
        if nearest is not None and nearest.large:
            assert (nearest.figure_scope, nearest.figure_year) == ("ets", 2022)
