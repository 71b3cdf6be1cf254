"""Utslipp answers first: each facility's newest figure, its base-year figure and the change, in one table on top."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

import config
from analysis import emissions as em
from tests.test_emissions_page import no_boundaries, run  # noqa: F401 (the fixture)

PAGE = "pages/1_Utslipp.py"


def generated_figures() -> pd.DataFrame:
    """Made-up figures: A in the base year and later, B only after it, C only in it, D (unplaced) after it; one
    planned and one other-scope figure that must not count."""
    rows = [
        ("gen-a", 2013, 100.0),
        ("gen-a", 2015, 90.0),
        ("gen-a", 2017, 60.0),
        ("gen-b", 2015, 500.0),
        ("gen-b", 2017, 400.0),
        ("gen-c", 2013, 30.0),
        ("gen-d", 2013, 10.0),
        ("gen-d", 2016, 15.0),
    ]
    frame = pd.DataFrame(rows, columns=["facility_id", "year", "amount_t"]).assign(
        scope="ets", basis="stated", quote="", source_url="", note="", facility_name=None
    )
    frame.loc[frame["facility_id"] == "gen-d", "facility_name"] = "Generated unplaced D"
    extra = pd.DataFrame(
        [
            ("gen-a", 2017, 9999.0, "ets", "planned", None),  # a plan: never the newest figure
            ("gen-a", 2018, 7777.0, "fossil", "stated", None),  # another scope: never in this table
        ],
        columns=["facility_id", "year", "amount_t", "scope", "basis", "facility_name"],
    ).assign(quote="", source_url="", note="")
    return pd.concat([frame, extra], ignore_index=True)


def generated_sources() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["gen-a", "gen-b", "gen-c"],
            "facility": ["Generated A", "Generated B", "Generated C"],
            "municipality": ["Orkland", "Heim", "Verdal"],
            "kommunenummer": ["5059", "5055", "5038"],
            "sector": ["x", "x", "x"],
        },
        geometry=[Point(9.9, 63.3), Point(9.5, 63.4), Point(11.5, 63.8)],
        crs="EPSG:4326",
    )


def test_each_facility_newest_against_the_base_year_only_where_both_have_figures():
    table = em.facility_development(generated_figures(), generated_sources(), "ets", 2013).set_index("id")
    # sorted by the newest figure, largest first
    assert table.index.tolist() == ["gen-b", "gen-a", "gen-c", "gen-d"]
    a = table.loc["gen-a"]
    assert (a["latest_year"], a["latest_t"], a["baseline_t"]) == (2017, 60.0, 100.0)
    assert a["change_t"] == -40.0 and a["change_pct"] == pytest.approx(-40.0)
    assert a["years"] == [2013, 2015, 2017] and a["series"] == [100.0, 90.0, 60.0]
    b = table.loc["gen-b"]  # no base-year figure: no change (never against its first year instead)
    assert (b["latest_year"], b["latest_t"]) == (2017, 400.0)
    assert math.isnan(b["baseline_t"]) and math.isnan(b["change_t"]) and math.isnan(b["change_pct"])
    c = table.loc["gen-c"]  # its newest figure is the base year's: nothing to compare
    assert (c["latest_year"], c["baseline_t"]) == (2013, 30.0) and math.isnan(c["change_t"])
    d = table.loc["gen-d"]  # an import's unplaced facility, named as the year table names it
    assert d["facility"] == "Generated unplaced D" and d["change_t"] == 5.0 and d["change_pct"] == pytest.approx(50.0)
    assert set(table["scope"]) == {"ets"} and set(table["baseline_year"]) == {2013}


def test_without_a_base_year_no_change_is_computed_and_an_empty_scope_has_no_rows():
    table = em.facility_development(generated_figures(), generated_sources(), "ets", None)
    assert table["baseline_t"].isna().all() and table["change_t"].isna().all()
    assert em.facility_development(generated_figures(), generated_sources(), "nox", 2013).empty


def test_bundled_ets_the_mill_that_closed_before_the_base_year_has_no_change(portfolio):
    table = em.facility_development(portfolio.figures, portfolio.sources, "ets", 2013).set_index("id")
    folla = table.loc["src-sodra-cell-folla"]  # its ETS account ended 2012
    assert folla["latest_year"] == 2012 and math.isnan(folla["baseline_t"]) and math.isnan(folla["change_t"])
    elkem = em.facility_series(portfolio.figures, "src-elkem-thamshavn", "ets").set_index("year")["amount_t"]
    row = table.loc["src-elkem-thamshavn"]
    assert row["latest_year"] == elkem.index.max() and row["latest_t"] == elkem.iloc[-1]
    assert row["change_t"] == pytest.approx(elkem.iloc[-1] - elkem[2013])
    assert table["latest_t"].is_monotonic_decreasing


def test_the_answer_table_is_the_pages_first_dataframe_with_a_trend(no_boundaries, portfolio):  # noqa: F811
    at = run()
    first = at.dataframe[0]
    shown = first.value
    expected = em.facility_development(portfolio.figures, portfolio.sources, "ets", 2013)
    assert shown["Anlegg"].tolist() == expected["facility"].tolist()
    assert list(shown.columns[:7]) == [
        "Anlegg",
        "Kommune",
        "Nyeste tall (t)",
        "År",
        "Tall 2013 (t)",
        "Endring (t)",
        "Endring (%)",
    ]
    folla = shown[shown["Anlegg"].str.startswith("Södra Cell Folla")].iloc[0]
    assert (folla["År"], folla["Tall 2013 (t)"], folla["Endring (t)"], folla["Endring (%)"]) == (
        "2012",
        "ingen tall",
        "ingen tall",
        "ingen tall",
    )
    assert json.loads(first.proto.columns)["Utvikling"]["type_config"]["type"] == "line_chart"  # a small trend
    elkem = shown[shown["Anlegg"] == "Elkem Thamshavn"].iloc[0]
    assert (
        list(elkem["Utvikling"])
        == em.facility_series(portfolio.figures, "src-elkem-thamshavn", "ets")["amount_t"].tolist()
    )
    assert any(s.value.startswith("Utvikling per anlegg siden 2013") for s in at.subheader)
    assert at.subheader[0].value.startswith("Utvikling per anlegg siden 2013")  # above the map and the rest
    assert "csv_development_ets_2013" in [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]
    at.selectbox(key="em_base_year").set_value(2009)
    at = run(at)
    assert "Tall 2009 (t)" in at.dataframe[0].value.columns  # the base year chosen further down
    assert len(at.dataframe) > 1  # the rest of the page is still there, below


def test_english_answer_table(no_boundaries):  # noqa: F811
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.query_params["lang"] = "en"
    at = run(at)
    shown = at.dataframe[0].value
    assert {"Facility", "Newest figure (t)", "Figure 2013 (t)", "Change (t)", "Change (%)"} <= set(shown.columns)
    assert "no figure" in shown["Change (t)"].tolist()
