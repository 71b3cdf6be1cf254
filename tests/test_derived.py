"""Results worked out once for every session (ui/data.derived): kept per data revision, never shared by reference."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import ui.data
from analysis.filters import Filters
from analysis.kpi import key_scoped_view
from analysis.neighbourhoods import neighbourhoods, ranking
from ui.data import derived
from ui.overview import overview_content

CALLS: list[tuple] = []


def counted_rows(portfolio, radius_m: float) -> pd.DataFrame:
    """A result worth keeping: the parks within reach, counted each time it is worked out."""
    CALLS.append((portfolio.revision, radius_m))
    return portfolio.parks[["id", "name"]].assign(radius_m=radius_m)


def counted_with_frame(portfolio, frame: pd.DataFrame) -> int:
    CALLS.append(("frame", len(frame)))
    return len(portfolio.parks) + len(frame)


@pytest.fixture
def data():
    CALLS.clear()
    ui.data._derived.clear()
    return ui.data.portfolio("nb", layers=[])


def test_a_second_session_gets_what_the_first_worked_out(data):
    first = derived(counted_rows, data, 5000.0)
    second = derived(counted_rows, ui.data.portfolio("nb", layers=[]), 5000.0)  # another session's view of the data
    assert len(CALLS) == 1
    pd.testing.assert_frame_equal(first, second)
    derived(counted_rows, data, 10000.0)  # other arguments, another result
    assert len(CALLS) == 2


def test_another_revision_of_the_data_is_worked_out_afresh(data):
    derived(counted_rows, data, 5000.0)
    changed = dataclasses.replace(data, revision=(*data.revision, ("layer", 7, 2)))
    derived(counted_rows, changed, 5000.0)
    assert [revision for revision, _ in CALLS] == [data.revision, changed.revision]


def test_data_of_no_known_revision_is_never_kept(data):
    unknown = dataclasses.replace(data, revision=())
    derived(counted_rows, unknown, 5000.0)
    derived(counted_rows, unknown, 5000.0)
    assert len(CALLS) == 2


def test_a_frame_argument_is_kept_only_under_a_key_that_says_what_it_is(data):
    frame = pd.DataFrame({"a": [1, 2]})
    derived(counted_with_frame, data, frame)
    derived(counted_with_frame, data, frame.iloc[:1])
    assert len(CALLS) == 2  # no key: each call works it out (the frames differ; nothing may be assumed)
    assert derived(counted_with_frame, data, frame, key=("listing", 1)) == len(data.parks) + 2
    assert derived(counted_with_frame, data, frame, key=("listing", 1)) == len(data.parks) + 2
    assert len(CALLS) == 3
    derived(counted_with_frame, data, frame, key=("listing", 2))
    assert len(CALLS) == 4


def test_a_change_to_a_result_in_one_session_never_reaches_another(data):
    mine = derived(counted_rows, data, 5000.0)
    mine.loc[mine.index[0], "name"] = "endret av økt 1"
    mine["extra"] = 1
    theirs = derived(counted_rows, data, 5000.0)
    assert "extra" not in theirs.columns
    assert theirs.loc[theirs.index[0], "name"] == data.parks["name"].iloc[0]


def test_a_function_whose_captures_are_not_in_the_key_is_refused(data):
    with pytest.raises(ValueError, match="module-level"):
        derived(lambda portfolio: len(portfolio.parks), data)


def test_the_portfolio_pages_results_are_the_same_kept_or_not(data):
    ids = tuple(data.parks["id"].iloc[:2])
    kept = derived(neighbourhoods, ids, data, 10000.0)
    fresh = neighbourhoods(ids, dataclasses.replace(data, revision=()), 10000.0)
    assert [h.site["id"] for h in kept] == list(ids)
    for a, b in zip(kept, fresh, strict=True):
        pd.testing.assert_frame_equal(pd.DataFrame(a.sources), pd.DataFrame(b.sources))
        assert a.emissions == b.emissions
    pd.testing.assert_frame_equal(derived(ranking, data, 10000.0), ranking(data, 10000.0))


def counted_view(portfolio, filters):
    CALLS.append(filters)
    return key_scoped_view(portfolio, filters)


def test_a_pages_filters_key_what_is_kept_by_their_values(data):
    """Kart's filtered layers and key figures: kept per data and filters, equal filters finding what was kept."""
    orkland = Filters(kommunenummer=("5059",))
    view, kpi = derived(counted_view, data, orkland)
    again, _ = derived(counted_view, data, Filters(kommunenummer=("5059",)))  # another session, the same choice
    assert len(CALLS) == 1 and CALLS[0] == orkland
    pd.testing.assert_frame_equal(view.parks, again.parks)
    assert set(view.parks["kommunenummer"]) == {"5059"} and kpi.parks == len(view.parks)
    derived(counted_view, data, Filters(kommunenummer=("5059",), only_with_figure=True))
    assert len(CALLS) == 2


def counted_content(portfolio, filters, visible, lang):
    CALLS.append(visible)
    return overview_content(portfolio, filters, visible, lang)


def test_kart_content_is_kept_per_layers_switched_on_by_their_values(data):
    """What Kart draws: kept per data, filters, layers (a frozenset, whatever order it was made in) and language."""
    everything = derived(counted_content, data, Filters(), frozenset({"parks", "sources", "members"}), "nb")
    derived(counted_content, data, Filters(), frozenset(["members", "sources", "parks"]), "nb")
    assert len(CALLS) == 1
    parks = derived(counted_content, data, Filters(), frozenset({"parks"}), "nb")
    assert len(CALLS) == 2
    assert {f.layer for f in parks.on_map} == {"parks"} and len(parks.on_map) < len(everything.on_map)
    assert not parks.legend.clusters and everything.legend.clusters


def test_kart_s_kept_points_draw_the_map_its_view_draws_and_no_session_shares_them(data):
    """The points Kart keeps (brief popups in the key figure's scope and year) are what its view gives; a session
    that changes its copy in place changes no other session's."""
    from maps.build import overview_layers, point_features

    layers = frozenset({"parks", "sources", "members"})
    kept = derived(overview_content, data, Filters(), layers, "en")
    fresh = point_features(kept.view, set(layers), kept.colours, "en", kept.kpi)
    assert kept.points == fresh and len(kept.points.sources) == len(kept.view.sources) > 0
    assert kept.points.parks and kept.points.members and set(kept.colours) == set(data.members["cluster"])

    def drawn(points):
        groups = overview_layers(kept.view, set(layers), "none", kept.colours, "en", points=points)
        return [c.data for g in groups[1:] for c in g._children.values()]

    assert drawn(kept.points) == drawn(fresh)
    kept.points.sources[0]["properties"]["popup"] = "changed in one session"
    other = derived(overview_content, ui.data.portfolio("en", layers=[]), Filters(), layers, "en")
    assert other.points == fresh


def test_a_portfolio_maps_content_follows_its_flow_filters_kept_or_not(data):
    from analysis.portfolio_view import filter_flows, map_content
    from ui.portfolio import PortfolioControls, neighbourhood_content, portfolio_flows

    flows = portfolio_flows(data, None, [], "nb")
    touched = pd.concat([flows.lines["from_id"], flows.lines["to_id"]]).dropna()
    sites = tuple(data.parks["id"][data.parks["id"].isin(touched)].iloc[:2])
    hoods = derived(neighbourhoods, sites, data, 20000.0)
    every = PortfolioControls(sites, 20000.0, (), (), frozenset(), "none")
    other = next(r for r in flows.lines["resource"] if r != flows.lines["resource"].iloc[0])
    some = dataclasses.replace(every, resources=(other,))  # not the resource of the flow near these sites
    for controls in (every, some, every):
        kept = neighbourhood_content(hoods, data, flows, controls, "nb")
        fresh = map_content(hoods, data, filter_flows(flows.lines, controls.resources, controls.statuses))
        pd.testing.assert_frame_equal(pd.DataFrame(kept.flows), pd.DataFrame(fresh.flows))
    assert len(neighbourhood_content(hoods, data, flows, some, "nb").flows) < len(kept.flows)  # kept: every


def test_the_emissions_data_is_combined_once_per_data_and_store_and_never_kept_unknown(data, monkeypatch):
    import ui.emissions_data as ed
    from loaders.official.imported import Imported

    combined = []
    real = ed.combine_figures
    monkeypatch.setattr(ed, "combine_figures", lambda *a: combined.append(1) or real(*a))
    first, second = ed.emissions_data("nb"), ed.emissions_data("en")
    assert len(combined) == 1 and first.revision and second.revision == first.revision
    assert first.figures is not second.figures  # each its own view
    year = max(first.figures["year"].dropna())
    table = ed.of_data(counted_table, first, first.figures, first.sources, int(year), "co2e")
    ed.of_data(counted_table, second, second.figures, second.sources, int(year), "co2e")
    assert len(CALLS) == 1 and len(table) > 0
    monkeypatch.setattr(ed, "load_imported", lambda: Imported())  # as the tests inject one: no revision
    unknown = ed.emissions_data("nb")
    ed.emissions_data("nb")
    assert unknown.revision == () and len(combined) == 3
    ed.of_data(counted_table, unknown, unknown.figures, unknown.sources, int(year), "co2e")
    assert len(CALLS) == 2


def counted_table(figures, sources, year, scope):
    from analysis.emissions import facility_figures_for_year

    CALLS.append(("table", year, scope))
    return facility_figures_for_year(figures, sources, year, scope)
