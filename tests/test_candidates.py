"""Possibilities ("mulighet"): matched declarations, never recorded flows, always labelled."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Geod

from analysis.candidates import CANDIDATE_COLUMNS, LABEL, actors, candidates
from analysis.errors import RadiusError, UnknownSiteError
from i18n import error_text
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
    nb, en = (table["reason"].map(lambda reason, lang=lang: error_text(reason, lang)) for lang in ("nb", "en"))
    assert nb.str.contains("Mulighet, ikke registrert strøm").all()
    assert en.str.contains("not a recorded flow").all()


def test_recorded_flows_never_appear(portfolio, flows):
    recorded = {(_end(f, "from"), _end(f, "to")) for f in flows.to_dict("records")}
    # Elkem's member rows are the same actor as the source; a recorded flow covers them all.
    table = _all_candidates(portfolio, flows, 50_000)
    offered = {(_end(r, "from"), _end(r, "to")) for r in table.to_dict("records")}
    assert recorded and not recorded & offered


def test_recording_a_flow_removes_the_possibility(portfolio, flows):
    before = candidates("park-malm", portfolio, flows, 15_000)
    pair = before["from_name"].eq("SalMar Settefisk (Malm)") & before["to_name"].str.startswith("Vertikalt")
    assert pair.any(), "SalMar's sludge and the vertical farm's recorded intake should meet as a possibility"
    recorded = flows_from_records(
        [
            *flows.to_dict("records"),
            {
                "id": "test-sludge",
                "from_name": "SalMar Settefisk (Malm)",
                "from_lon": 11.2206,
                "from_lat": 64.0697,
                "from_precision": "locality",
                "to_name": "Vertikalt gårdsbruk ved SalMar Tjuin (planlagt)",
                "to_lon": 11.2206,
                "to_lat": 64.0697,
                "to_precision": "locality",
                "resource": "CO2",  # a different resource still makes the pair a recorded one
                "status": "mulig",
                "source_url": "https://example.org",
                "quote": "«test»",
            },
        ]
    )
    after = candidates("park-malm", portfolio, recorded, 15_000)
    gone = after["from_name"].eq("SalMar Settefisk (Malm)") & after["to_name"].str.startswith("Vertikalt")
    assert not gone.any()
    assert len(after) == len(before) - int(pair.sum())


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


def test_declarations_from_flows_are_facts_and_from_sectors_are_heuristics(portfolio, flows):
    by_key = {a.key: a for a in actors(portfolio, flows)}
    elkem = by_key["src-elkem-thamshavn"]
    # Elkem's heat to the Norsk Kylling factory (a park: an area) is recorded; the sector heuristic stays.
    assert [b.kind for b in elkem.outputs["overskuddsvarme"]] == ["sector", "flow"]
    assert not any(key.startswith("park-") for key in by_key)  # parks are areas, never actors
    # A member declares nothing on its own.
    assert not by_key["company:allskog"].outputs and not by_key["company:allskog"].inputs
    assert elkem.kind == "sources+members"  # one actor with both roles


def test_reason_names_both_companies_and_the_resource(portfolio, flows):
    table = candidates("park-malm", portfolio, flows, 15_000)
    assert len(table) > 0
    for row in table.to_dict("records"):
        for text in (error_text(row["reason"], "nb"), error_text(row["reason"], "en")):
            assert row["from_name"] in text and row["to_name"] in text and row["resource"] in text


def test_candidates_are_company_to_company_with_known_places(portfolio, flows):
    table = _all_candidates(portfolio, flows, 50_000)
    assert len(table) > 0
    assert not table["from_kind"].eq("parks").any() and not table["to_kind"].eq("parks").any()
    assert not table["from_id"].fillna("").str.startswith("park-").any()
    assert not table["to_id"].fillna("").str.startswith("park-").any()
    assert (table["from_precision"] != "municipality").all() and (table["to_precision"] != "municipality").all()
    # Grønøra: Elkem → the Grønøra area was the only "possibility" before; no company there takes heat or CO2.
    assert candidates("park-gronora", portfolio, flows, 10_000).empty
    # A site at its municipality's centre has no distances, so no possibilities either.
    assert candidates("park-ustjaaren", portfolio, flows, 50_000).empty


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


def test_scenario_malm_possibilities_are_apart_from_its_recorded_flows(portfolio, flows):
    table = candidates("park-malm", portfolio, flows, 15_000)
    recorded = resolve_flows(flows, portfolio)
    recorded_pairs = set(zip(recorded["from_name"], recorded["to_name"], strict=True))
    offered = set(zip(table["from_name"], table["to_name"], strict=True))
    assert len(table) > 0
    assert not recorded_pairs & offered


def test_arguments_are_checked(portfolio, flows):
    with pytest.raises(RadiusError):
        candidates("park-malm", portfolio, flows, 500)
    with pytest.raises(UnknownSiteError):
        candidates("park-atlantis", portfolio, flows, 10_000)


def test_no_flows_no_company_takes_what_the_plants_give(portfolio, flows):
    # Without recorded flows no company declares an input the plants' sectors give: nothing is offered.
    assert candidates("park-tiller", portfolio, flows.iloc[0:0], 15_000).empty
