"""Possibilities ("mulighet"): matched declarations, never recorded flows, always labelled."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Geod

from analysis.candidates import CANDIDATE_COLUMNS, LABEL, actors, candidates
from analysis.errors import RadiusError, UnknownSiteError
from loaders.bundled.flows import flows_from_records, load_flows, resolve_flows
from loaders.bundled.portfolio import load_portfolio

GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def portfolio():
    return load_portfolio()


@pytest.fixture(scope="module")
def flows():
    return load_flows()


def _end(row, end):
    """An end as the flow table names it: the layer id, or the free-text name."""
    ref = row[f"{end}_id"]
    return ref if isinstance(ref, str) else row[f"{end}_name"]


def _all_candidates(portfolio, flows, radius):
    frames = [candidates(site_id, portfolio, flows, radius) for site_id in portfolio.parks["id"]]
    return pd.concat(frames, ignore_index=True)


def test_every_row_is_labelled_a_possibility(portfolio, flows):
    table = _all_candidates(portfolio, flows, 50_000)
    assert len(table) > 0
    assert list(table.columns) == list(CANDIDATE_COLUMNS)
    assert (table["label"] == LABEL).all() and LABEL == "mulighet"
    assert table["reason_no"].str.contains("Mulighet, ikke registrert strøm").all()
    assert table["reason_en"].str.contains("not a recorded flow").all()


def test_recorded_flows_never_appear(portfolio, flows):
    recorded = {(_end(f, "from"), _end(f, "to")) for f in flows.to_dict("records")}
    # Elkem's member rows are the same actor as the source; a recorded flow covers them all.
    table = _all_candidates(portfolio, flows, 50_000)
    offered = {(_end(r, "from"), _end(r, "to")) for r in table.to_dict("records")}
    assert recorded and not recorded & offered


def test_recording_a_flow_removes_the_possibility(portfolio, flows):
    before = candidates("park-gronora", portfolio, flows, 15_000)
    pair = (before["from_id"] == "src-elkem-thamshavn") & (before["to_id"] == "park-gronora")
    assert pair.any(), "Elkem's heat and Grønøra's heat theme should meet as a possibility"

    recorded = flows_from_records(
        [
            *flows.to_dict("records"),
            {
                "id": "test-heat",
                "from_id": "src-elkem-thamshavn",
                "to_id": "park-gronora",
                "resource": "CO2",  # a different resource still makes the pair a recorded one
                "status": "mulig",
                "source_url": "https://example.org",
                "quote": "«test»",
            },
        ]
    )
    after = candidates("park-gronora", portfolio, recorded, 15_000)
    pair = (after["from_id"] == "src-elkem-thamshavn") & (after["to_id"] == "park-gronora")
    assert not pair.any()
    assert len(after) == len(before) - int(
        ((before["from_id"] == "src-elkem-thamshavn") & (before["to_id"] == "park-gronora")).sum()
    )


def actor_lookup(portfolio, flows):
    """A candidate's end as its actor: by id (names repeat: a source and a member of one company), else by name."""
    found = actors(portfolio, flows)
    by_id = {a.id: a for a in found if isinstance(a.id, str)}
    by_name = {a.name: a for a in found if not isinstance(a.id, str)}
    return lambda row, end: by_id.get(row[f"{end}_id"]) or by_name[row[f"{end}_name"]]


def test_resources_are_declared_output_and_input(portfolio, flows):
    actor = actor_lookup(portfolio, flows)
    table = _all_candidates(portfolio, flows, 30_000)
    for row in table.to_dict("records"):
        assert row["resource"] in actor(row, "from").outputs
        assert row["resource"] in actor(row, "to").inputs
        assert row["from_name"] != row["to_name"]


def test_declarations_from_flows_are_facts_and_from_mappings_are_heuristics(portfolio, flows):
    by_id = {a.id: a for a in actors(portfolio, flows) if a.id}
    elkem = by_id["src-elkem-thamshavn"]
    assert [b.kind for b in elkem.outputs["overskuddsvarme"]] == ["sector", "flow"]
    assert by_id["park-norsk-kylling-orkanger"].inputs["overskuddsvarme"][-1].value == "flow-elkem-norsk-kylling-varme"
    # A member declares nothing on its own.
    assert not by_id["mem-woodworks-cluster-allskog-board"].outputs
    table = candidates("park-gronora", portfolio, flows, 15_000)
    heuristic = table[table["from_id"] == "src-elkem-thamshavn"]
    assert heuristic["reason_no"].str.contains("antakelse").all()
    assert heuristic["reason_en"].str.contains("heuristic").all()


def test_reason_names_both_actors_and_the_resource(portfolio, flows):
    table = candidates("park-fiborgtangen", portfolio, flows, 15_000)
    assert len(table) > 0
    for row in table.to_dict("records"):
        for text in (row["reason_no"], row["reason_en"]):
            assert row["from_name"] in text and row["to_name"] in text and row["resource"] in text


def test_both_ends_lie_within_the_radius_and_distances_are_metres(portfolio, flows):
    radius = 15_000
    actor = actor_lookup(portfolio, flows)
    for site_id in ("park-gronora", "park-malm", "park-tiller"):
        site = portfolio.parks.set_index("id").geometry[site_id]
        table = candidates(site_id, portfolio, flows, radius)
        for row in table.to_dict("records"):
            (x0, y0), (x1, y1) = ((actor(row, end).lon, actor(row, end).lat) for end in ("from", "to"))
            assert GEOD.inv(site.x, site.y, x0, y0)[2] <= radius * 1.005
            assert GEOD.inv(site.x, site.y, x1, y1)[2] <= radius * 1.005
            assert row["distance_m"] == pytest.approx(GEOD.inv(x0, y0, x1, y1)[2], rel=0.005, abs=1.0)


def test_a_park_is_not_paired_with_actors_on_its_own_point(portfolio, flows):
    table = _all_candidates(portfolio, flows, 50_000)
    with_park = table[(table["from_kind"] == "parks") | (table["to_kind"] == "parks")]
    assert (with_park["distance_m"] >= 1.0).all()


def test_scenario_malm_possibilities_are_apart_from_its_recorded_flows(portfolio, flows):
    table = candidates("park-malm", portfolio, flows, 15_000)
    recorded = resolve_flows(flows, portfolio)
    recorded_pairs = set(zip(recorded["from_name"], recorded["to_name"], strict=True))
    offered = set(zip(table["from_name"], table["to_name"], strict=True))
    assert len(table) > 0
    assert not recorded_pairs & offered
    # The farms' manure is recorded for Malm Biogass only; the biogas-themed parks are possibilities.
    manure = table[table["resource"] == "husdyrgjødsel"]
    assert set(manure["to_id"]) == {"park-malm", "park-salmar-tjuin"}


def test_arguments_are_checked(portfolio, flows):
    with pytest.raises(RadiusError):
        candidates("park-malm", portfolio, flows, 500)
    with pytest.raises(UnknownSiteError):
        candidates("park-atlantis", portfolio, flows, 10_000)


def test_no_flows_still_gives_heuristic_possibilities(portfolio, flows):
    table = candidates("park-tiller", portfolio, flows.iloc[0:0], 15_000)
    assert "src-heimdal-varmesentral" in set(table["from_id"])
    assert (table["label"] == LABEL).all()
