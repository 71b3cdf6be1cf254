"""Filters, latest figures, key numbers and search on plain frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.figures import latest_figures
from analysis.filters import Filters, apply_filters, filter_options
from analysis.kpi import key_figures
from analysis.search import search
from core.names import normalise
from core.schema import FIGURE_COLUMNS


def generated_figures(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(fid, year, amount, scope, basis, "q", "", "https://example.org") for fid, year, amount, scope, basis in rows],
        columns=list(FIGURE_COLUMNS),
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame


def test_latest_prefers_known_years_then_newest_then_broadest_scope():
    figures = generated_figures(
        [
            ("a", None, 900.0, "total", "stated"),
            ("a", 2019, 100.0, "fossil", "stated"),
            ("a", 2021, 200.0, "fossil", "stated"),
            ("a", 2021, 300.0, "co2e", "stated"),
            ("b", None, 50.0, "fossil", "stated"),
            ("b", None, 70.0, "total", "stated"),
            ("c", 2022, 999.0, "co2", "planned"),
        ]
    )
    latest = latest_figures(figures).set_index("facility_id")
    assert latest.loc["a", "amount_t"] == 300.0
    assert latest.loc["b", "amount_t"] == 70.0
    assert "c" not in latest.index


def test_no_filters_keeps_everything(portfolio):
    view = apply_filters(portfolio, Filters())
    assert (len(view.parks), len(view.sources), len(view.members)) == (
        len(portfolio.parks),
        len(portfolio.sources),
        len(portfolio.members),
    )


def test_municipality_filter_applies_to_all_layers(portfolio):
    view = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    for frame in (view.parks, view.sources, view.members):
        assert len(frame) > 0
        assert set(frame["kommunenummer"]) == {"5059"}
    assert len(view.parks) < len(portfolio.parks)


def test_status_theme_cluster_sector_filters(portfolio):
    view = apply_filters(portfolio, Filters(statuses=("planlagt",), themes=("biogass",)))
    assert len(view.parks) > 0
    pairs = zip(view.parks["status"], view.parks["themes"], strict=True)
    assert all(s == "planlagt" and "biogass" in th for s, th in pairs)
    cluster = filter_options(portfolio)["clusters"][0]
    assert set(apply_filters(portfolio, Filters(clusters=(cluster,))).members["cluster"]) == {cluster}
    sector = filter_options(portfolio)["sectors"][0]
    assert set(apply_filters(portfolio, Filters(sectors=(sector,))).sources["sector"]) == {sector}


def test_status_filter_can_ask_for_unstated_status(portfolio):
    view = apply_filters(portfolio, Filters(statuses=(None,)))
    assert len(view.parks) == portfolio.parks["status"].isna().sum() > 0


def test_only_with_figure(portfolio):
    view = apply_filters(portfolio, Filters(only_with_figure=True))
    assert 0 < len(view.sources) < len(portfolio.sources)
    assert view.sources["figure_t"].notna().all()


def test_key_figures_sum_one_scope_and_one_year(portfolio):
    view = apply_filters(portfolio, Filters())
    kpi = key_figures(view)
    figures = portfolio.figures
    rows = figures[(figures["basis"] == "stated") & (figures["scope"] == kpi.scope) & (figures["year"] == kpi.year)]
    assert kpi.total_t == pytest.approx(rows["amount_t"].sum())
    assert kpi.years == (kpi.year,) and kpi.scopes == (kpi.scope,) and kpi.unknown_years == 0
    assert kpi.facilities == rows["facility_id"].nunique()


def test_key_figures_without_any_figure_say_none(portfolio):
    kpi = key_figures(apply_filters(portfolio, Filters(kommunenummer=("5047",))))  # Overhalla: members only
    assert kpi.total_t is None and kpi.sources == 0 and kpi.members > 0


def test_normalise_folds_norwegian_letters_and_case():
    assert normalise("GRØNØRA Ærlig Åfjord") == "gronora aerlig afjord"


def test_search_finds_elkem_thamshavn_source_first(portfolio):
    matches = search(portfolio, "elkem thamshavn")
    assert matches[0].layer == "sources"
    assert matches[0].label == "Elkem Thamshavn"
    assert {m.layer for m in matches} >= {"sources", "members"}


def test_search_is_forgiving_and_empty_query_finds_nothing(portfolio):
    assert any(m.id == "park-gronora" for m in search(portfolio, "gronora"))
    assert search(portfolio, "   ") == []
    assert search(portfolio, "no such place xyz") == []
