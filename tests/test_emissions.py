"""Emissions analysis: years, per-year figures, scope separation, shares, the county path and kommunenummer.

Figures built here are made up and say so in their names ("testdata"); the county totals for 38
municipalities are generated from a formula, not taken from any statistic.
"""

from __future__ import annotations

import io
import json

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point

import config
from analysis import emissions as em
from core.kommunenummer import CHANGES, CURRENT, clean_number, current_number, in_county, map_numbers
from core.schema import FIGURE_COLUMNS
from exports.tables import csv_bytes, xlsx_bytes
from loaders.official.importing import MUNICIPAL_COLUMNS
from maps.emissions import (
    choropleth_group,
    class_bins,
    class_labels,
    class_of,
    facility_circles_group,
)
from maps.legend import Legend
from maps.styles import source_radius

HOSTILE = '<img src=x onerror="alert(1)"></script>'


def figures(rows: list[tuple]) -> pd.DataFrame:
    """(facility_id, year, amount_t, scope, basis) rows as a figure table of testdata."""
    frame = pd.DataFrame(
        [
            {
                "facility_id": f,
                "year": y,
                "amount_t": a,
                "scope": s,
                "basis": b,
                "quote": f"testdata {a}",
                "note": "",
                "source_url": "testdata",
            }
            for f, y, a, s, b in rows
        ],
        columns=list(FIGURE_COLUMNS),
    )
    frame["year"] = frame["year"].astype("Int64")
    frame["amount_t"] = frame["amount_t"].astype(float)
    return frame


def sources(ids: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "facility": [f"Testanlegg {i}" for i in ids],
            "municipality": "Orkland",
            "kommunenummer": "5059",
            "sector": "testsektor",
        },
        geometry=[Point(9.8 + i / 10, 63.3) for i in range(len(ids))],
        crs=config.CRS,
    )


TESTDATA = figures(
    [
        ("a", 2021, 100.0, "co2e", "stated"),
        ("a", 2022, 120.0, "co2e", "stated"),
        ("a", 2022, 80.0, "fossil", "stated"),
        ("b", 2022, 50.0, "co2e", "stated"),
        ("b", 2022, 55.0, "co2e", "stated"),  # a later row for the same facility, year and scope: wins
        ("b", 2023, 999.0, "co2e", "planned"),  # planned: never used
        ("c", None, 70.0, "co2e", "stated"),  # no year: never put on a year
    ]
)


# --- years, per-year figures, scopes -----------------------------------------------------------------


def test_years_per_scope_ignore_planned_and_undated():
    assert em.years_available(TESTDATA, "co2e") == [2021, 2022]
    assert em.years_available(TESTDATA, "fossil") == [2022]
    assert em.years_available(TESTDATA, "total") == []
    assert em.undated_figures(TESTDATA, "co2e")["facility_id"].tolist() == ["c"]
    assert em.scopes_with_data(TESTDATA) == ["fossil", "co2e"]


def test_figures_for_a_year_keep_one_scope_and_the_last_duplicate():
    table = em.facility_figures_for_year(TESTDATA, sources(["a", "b", "c"]), 2022, "co2e")
    amounts = dict(zip(table["id"], table["amount_t"], strict=True))
    assert amounts["a"] == 120.0  # not 120 + 80 (fossil is another scope)
    assert amounts["b"] == 55.0  # the later row
    assert pd.isna(amounts["c"])  # undated: no figure for 2022, drawn hollow
    assert set(table["scope"]) == {"co2e"} and set(table["year"]) == {2022}
    assert table["id"].tolist() == ["a", "b", "c"]  # largest first, no figure last
    assert em.duplicate_figures(TESTDATA, "co2e")["amount_t"].tolist() == [50.0]
    fossil = em.facility_figures_for_year(TESTDATA, sources(["a", "b", "c"]), 2022, "fossil")
    assert fossil["amount_t"].sum() == 80.0


def test_a_planned_year_has_no_figure():
    table = em.facility_figures_for_year(TESTDATA, sources(["a", "b"]), 2023, "co2e")
    assert table["amount_t"].isna().all()


def test_facilities_not_on_the_map_are_counted_with_their_name():
    data = figures([("a", 2022, 10.0, "co2e", "stated"), ("new", 2022, 5.0, "co2e", "stated")])
    data["facility_name"] = [None, "Testfabrikk uten posisjon"]
    data["facility_kommunenummer"] = [None, "5001"]
    table = em.facility_figures_for_year(data, sources(["a"]), 2022, "co2e").set_index("id")
    assert not table.loc["new", "placed"] and table.loc["new", "geometry"] is None
    assert table.loc["new", "facility"] == "Testfabrikk uten posisjon"
    assert em.facility_municipal_totals(table.reset_index()).set_index("kommunenummer")["amount_t"].to_dict() == {
        "5059": 10.0,
        "5001": 5.0,
    }


def test_top_n_orders_by_tonnes_then_name():
    data = figures([(i, 2022, a, "co2e", "stated") for i, a in [("a", 5.0), ("b", 9.0), ("c", 5.0), ("d", 1.0)]])
    table = em.facility_figures_for_year(data, sources(["a", "b", "c", "d"]), 2022, "co2e")
    assert em.top_n(table, 3)["id"].tolist() == ["b", "a", "c"]


def test_facility_series_is_one_scope_by_year():
    series = em.facility_series(TESTDATA, "a", "co2e")
    assert series[["year", "amount_t"]].values.tolist() == [[2021, 100.0], [2022, 120.0]]
    assert em.facility_series(TESTDATA, "a", "fossil")["amount_t"].tolist() == [80.0]
    assert em.facility_series(TESTDATA, "c", "co2e").empty


# --- like for like: the register's point-source path over one constant set of plants ----------------------


def register(rows: list[tuple], id_column: str = "eutl_id") -> pd.DataFrame:
    """(facility_id, year, amount_t) testdata rows in the ETS scope, each with a register id."""
    frame = figures([(f, y, a, "ets", "stated") for f, y, a in rows])
    return frame.assign(**{id_column: [f"id-{f}" for f in frame["facility_id"]]})


def test_a_plant_entering_later_raises_neither_the_path_nor_the_badge():
    steady = [(p, y, 100.0) for p in ("a", "b") for y in range(2009, 2023)]
    entering = [("c", y, 5_000.0) for y in range(2015, 2023)]  # a big plant that joins in 2015
    without = em.point_source_path(register(steady), "ets", 2022, 2009)
    with_entry = em.point_source_path(register(steady + entering), "ets", 2022, 2009)
    assert with_entry.plants == ("a", "b") and with_entry.left_out == ("c",)
    pd.testing.assert_frame_equal(with_entry.path.totals, without.path.totals)
    assert with_entry.path.gap.change_since_baseline_pct == without.path.gap.change_since_baseline_pct == 0.0
    # A sum over "whatever reported that year" would have jumped: the chart marks the year instead.
    changed = with_entry.reporting[with_entry.reporting["changed"]]
    assert changed[["year", "previous", "reporting"]].values.tolist() == [[2015, 2, 3]]


def test_a_plant_missing_a_year_leaves_that_year_unsummed_not_lower():
    rows = [(p, y, 100.0) for p in ("a", "b") for y in range(2009, 2014) if not (p == "b" and y == 2011)]
    result = em.point_source_path(register(rows, "inspire_id"), "ets", 2013, 2009)
    totals = result.path.totals.set_index("year")
    assert result.plants == ("a", "b")
    assert pd.isna(totals.loc[2011, "amount_t"]) and not totals.loc[2011, "complete"]
    assert totals.loc[2012, "amount_t"] == 200.0 and totals.loc[2012, "covered"] == 2


def test_the_base_year_chooses_the_set_and_a_missing_one_says_so():
    rows = [("a", y, 100.0) for y in range(2009, 2023)] + [("b", y, 50.0) for y in range(2013, 2023)]
    from_2013 = em.point_source_path(register(rows), "ets", 2022, 2013)
    assert from_2013.plants == ("a", "b") and from_2013.path.baseline_t == 150.0
    assert em.default_base_year(em.register_years(register(rows), "ets"), 2013) == 2013
    assert em.default_base_year([2015, 2016], 2013) == 2015  # the register's first year where it lacks 2013
    none = em.point_source_path(register(rows), "ets", 2022, 2005)
    assert none.plants == () and none.path.baseline_reason == "no_baseline_year"
    hand_made = em.point_source_path(figures([("a", 2022, 1.0, "ets", "stated")]), "ets", 2022, 2022)
    assert hand_made.plants == ()  # a figure without a register id is no register plant


# --- municipal statistics, shares, the county path -----------------------------------------------------


def municipal(rows: list[tuple]) -> pd.DataFrame:
    """(kommunenummer, year, sector, amount_t) rows of generated testdata, scope co2e."""
    frame = pd.DataFrame(
        [
            {
                "kommunenummer": k,
                "municipality": None,
                "year": y,
                "sector": s,
                "source": None,
                "amount_t": a,
                "scope": "co2e",
                "quote": "",
                "source_url": "generated testdata",
            }
            for k, y, s, a in rows
        ],
        columns=list(MUNICIPAL_COLUMNS),
    )
    frame["year"] = frame["year"].astype("Int64")
    return em.prepare_municipal(frame)[0]


NUMBERS = list(CURRENT)


def generated_county(years: list[int], numbers: list[str] = NUMBERS) -> pd.DataFrame:
    """Every municipality, two sectors, a made-up amount from a formula per year."""
    rows = []
    for y in years:
        for i, k in enumerate(numbers):
            rows.append((k, y, "Industri (testdata)", 1000.0 + 10 * i + (y - 2009) * 7))
            rows.append((k, y, "Veitrafikk (testdata)", 500.0 + i - (y - 2009) * 3))
    return municipal(rows)


def test_county_total_from_complete_statistics_else_the_facility_sum():
    year_table = em.facility_figures_for_year(TESTDATA, sources(["a", "b"]), 2022, "co2e")
    complete = generated_county([2022])
    total = em.county_total(complete, year_table, 2022, "co2e", NUMBERS)
    assert total.basis == "municipal" and total.covered == 38
    assert total.amount_t == pytest.approx(complete["amount_t"].sum())
    shares = em.shares_of_total(year_table, total)
    assert shares.set_index("id")["share"]["a"] == pytest.approx(120.0 / complete["amount_t"].sum())

    partial = municipal([("5001", 2022, "Industri", 1.0)])
    total = em.county_total(partial, year_table, 2022, "co2e", NUMBERS)
    assert (total.basis, total.reason, total.covered, total.amount_t) == (
        "facilities",
        "municipal_incomplete",
        1,
        175.0,
    )
    assert em.shares_of_total(year_table, total)["share"].sum() == pytest.approx(1.0)
    other_scope = em.county_total(complete, year_table, 2022, "fossil", NUMBERS)
    assert (other_scope.basis, other_scope.reason) == ("facilities", "no_municipal")


def test_municipal_totals_by_year_and_sector():
    table = generated_county([2021, 2022])
    totals = em.municipal_totals(table, 2022, "co2e").set_index("kommunenummer")
    assert len(totals) == 38
    assert totals.loc["5001", "amount_t"] == pytest.approx((1000.0 + 13 * 7) + (500.0 - 13 * 3))
    industry = em.municipal_totals(table, 2022, "co2e", "Industri (testdata)").set_index("kommunenummer")
    assert industry.loc["5001", "amount_t"] == pytest.approx(1000.0 + 13 * 7)
    assert em.municipal_totals(table, 2022, "fossil").empty


def test_county_path_with_2009_and_the_gap_checked_independently():
    table = generated_county([2009, 2015, 2022])
    path = em.county_path(table, "co2e", NUMBERS, 0.50, 0.55)
    # independent sums over the generated rows
    by_year: dict[int, float] = {}
    for row in table.itertuples():
        by_year[int(row.year)] = by_year.get(int(row.year), 0.0) + row.amount_t
    baseline, latest = by_year[2009], by_year[2022]
    assert path.totals["amount_t"].tolist() == pytest.approx([by_year[2009], by_year[2015], by_year[2022]])
    assert (path.baseline_t, path.baseline_reason) == (pytest.approx(baseline), None)
    assert (path.latest_year, path.latest_t) == (2022, pytest.approx(latest))
    assert path.gap.target_high_t == pytest.approx(baseline * 0.50)
    assert path.gap.target_low_t == pytest.approx(baseline * 0.45)
    assert path.gap.gap_to_high_t == pytest.approx(latest - baseline / 2)
    assert path.gap.gap_to_low_t == pytest.approx(latest - 0.45 * baseline)
    assert path.gap.gap_to_high_pct == pytest.approx(100 * (latest - baseline / 2) / latest)
    assert path.gap.change_since_baseline_pct == pytest.approx(100 * (latest / baseline - 1))
    sectors = path.sector_gaps.set_index("sector")
    industry_2009 = sum(1000.0 + 10 * i for i in range(38))
    assert sectors.loc["Industri (testdata)", "baseline_t"] == pytest.approx(industry_2009)
    assert sectors.loc["Industri (testdata)", "gap_to_high_t"] == pytest.approx(
        industry_2009 + 38 * 13 * 7 - industry_2009 / 2
    )
    assert set(path.sector_totals["year"]) == {2009, 2015, 2022}


def test_county_path_without_2009_draws_no_baseline():
    path = em.county_path(generated_county([2015, 2022]), "co2e", NUMBERS)
    assert (path.baseline_t, path.baseline_reason, path.gap) == (None, "no_baseline_year", None)
    assert path.latest_year == 2022
    assert path.sector_gaps.empty


def test_county_path_with_an_incomplete_2009_draws_no_baseline():
    table = pd.concat([generated_county([2009], NUMBERS[:30]), generated_county([2022])], ignore_index=True)
    path = em.county_path(table, "co2e", NUMBERS)
    assert (path.baseline_t, path.baseline_reason) == (None, "baseline_incomplete")
    assert path.totals.set_index("year")["complete"].to_dict() == {2009: False, 2022: True}


def test_county_path_other_scope_has_no_data():
    path = em.county_path(generated_county([2009, 2022]), "fossil", NUMBERS)
    assert path.totals.empty and path.baseline_reason == "no_data"


# --- kommunenummer ---------------------------------------------------------------------------------


def test_current_numbers_are_the_bundled_and_the_boundaries_38(kommuner, portfolio):
    assert set(CURRENT) == set(portfolio.municipalities["kommunenummer"]) == set(kommuner["kommunenummer"])
    assert all(c.new is None or c.new in CURRENT for c in CHANGES.values())
    assert not set(CHANGES) & set(CURRENT), "an old number must never be one of today's"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("1601", "5001"),
        ("1662", "5001"),  # Klæbu
        ("5030", "5001"),
        ("1702", "5006"),  # Steinkjer 16xx/17xx -> 2018 5004 -> 2020 5006
        ("5004", "5006"),
        ("5039", "5006"),  # Verran
        ("1748", "5007"),  # Fosnes
        ("1624", "5054"),  # Rissa -> Indre Fosen
        ("1718", "5054"),  # Leksvik
        ("5050", "5060"),  # Vikna -> Nærøysund
        ("1567", "5061"),  # Rindal from Møre og Romsdal
        ("5059", "5059"),
        (5001, "5001"),
        ("1613", None),  # Snillfjord: split
        ("5012", None),
        ("1571", None),  # Halsa: not mapped
        ("0301", None),
    ],
)
def test_current_number(old, new):
    assert current_number(old) == new


def test_number_report_and_county_membership():
    current, report = map_numbers(pd.Series(["1601", "5012", "5024", "0301", None, "5001"]))
    assert current.tolist() == ["5001", None, "5059", None, None, "5001"]
    assert report.mapped == {"1601": "5001", "5024": "5059"}
    assert report.partial == ["5024"]  # Orkland also took in part of Snillfjord
    assert report.county_only == ["5012"]
    assert report.unknown == ["0301"]
    assert in_county("5012") and in_county("1601") and not in_county("0301")
    assert clean_number(301) == "0301" and clean_number("5001.0") is None and clean_number("") is None


def test_old_numbers_count_for_the_county_and_map_to_today():
    table = municipal([("1601", 2017, "Industri", 10.0), ("1613", 2017, "Industri", 3.0), ("0301", 2017, "x", 99.0)])
    assert em.municipal_totals(table, 2017, "co2e").set_index("kommunenummer")["amount_t"].to_dict() == {"5001": 10.0}
    path = em.county_path(table, "co2e")
    assert path.totals["amount_t"].tolist() == [13.0]  # Snillfjord counts for the county, Oslo does not


# --- maps ------------------------------------------------------------------------------------------


def features_of(group) -> list[dict]:
    geojson = next(c for c in group._children.values() if hasattr(c, "data"))
    return geojson.data["features"]


def test_circles_follow_the_year_and_are_hollow_without_a_figure():
    src = sources(["a", "b", "c"])
    src.loc[0, "facility"] = HOSTILE
    by_year = {}
    for year in (2021, 2022):
        table = em.facility_figures_for_year(TESTDATA, src, year, "co2e")
        group = facility_circles_group(table, year, "co2e", "nb")
        by_year[year] = {f["properties"]["ids"][0]: f["properties"] for f in features_of(group)}
    assert by_year[2021]["a"]["style"]["radius"] == source_radius(100.0)
    assert by_year[2022]["a"]["style"]["radius"] == source_radius(120.0)
    assert by_year[2021]["b"]["style"]["fillOpacity"] == 0.0  # no 2021 figure: hollow
    assert by_year[2022]["b"]["style"]["fillOpacity"] > 0
    assert "<img" not in by_year[2022]["a"]["popup"] and "&lt;img" in by_year[2022]["a"]["popup"]
    assert "CO₂-ekvivalenter" in by_year[2022]["a"]["popup"] and "2022" in by_year[2022]["a"]["popup"]
    assert "ingen tall for 2021" in by_year[2021]["b"]["popup"]


def test_class_bins_depend_on_the_number_of_values_and_are_stable():
    few = pd.Series([5.0, 5.0, 7.0, float("nan")])
    assert class_bins(few) == [5.0, 7.0]  # each distinct value its own class
    values = pd.Series([float(v) for v in [1, 2, 3, 10, 11, 12, 50, 51, 52, 100, 200, 300, 400, 1000, 1200]])
    bins = class_bins(values)
    assert len(bins) == 4 and bins == class_bins(values)  # 15 values -> 4 classes, same every time
    assert bins[-1] == 1200.0
    assert class_of(1.0, bins) == 0 and class_of(1200.0, bins) == 3 and class_of(float("nan"), bins) is None
    assert len(class_bins(pd.Series(range(38), dtype=float))) == 5
    labels = class_labels(values, bins, "nb")
    assert labels[0].startswith("1 – ") and labels[-1].endswith("1\u00a0200\u00a0t")


def test_choropleth_colours_classes_greys_missing_and_escapes(kommuner):
    boundaries = kommuner[["kommunenummer", "name", "geometry"]].copy()
    boundaries.loc[boundaries["kommunenummer"] == "5001", "name"] = HOSTILE
    totals = pd.DataFrame({"kommunenummer": ["5001", "5059", "5006"], "amount_t": [111111.0, 234567.8, 5.0]})
    group = choropleth_group(boundaries, totals, f"Tonn {HOSTILE}", "nb")
    feats = {f["properties"]["ids"][0]: f["properties"] for f in features_of(group)}
    assert len(feats) == 38
    assert feats["5020"]["style"]["fillColor"] == config.CHOROPLETH_NO_DATA
    assert len({feats[k]["style"]["fillColor"] for k in ("5001", "5059", "5006")}) == 3
    assert "<img" not in feats["5001"]["tooltip"] + feats["5001"]["popup"]
    assert "234\u00a0568\u00a0t" in feats["5059"]["tooltip"]
    legend = next(c for c in group._children.values() if isinstance(c, Legend))
    html = json.loads(legend.html_json.replace("<\\/", "</"))
    assert "<img" not in html and "ingen tall" in html and "111\u00a0111\u00a0t" in html
    assert "</script>" not in legend.html_json


# --- downloads ----------------------------------------------------------------------------------------


def test_csv_and_xlsx_hold_the_table():
    table = pd.DataFrame({"Anlegg": ["Testanlegg ø", None], "Tonn": [123456.7, float("nan")], "År": [2022, 2021]})
    assert csv_bytes(table).decode("utf-8-sig").splitlines()[1] == "Testanlegg ø,123456.7,2022"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"data": table}))).active
    assert [c.value for c in sheet[1]] == ["Anlegg", "Tonn", "År"]
    assert [c.value for c in sheet[2]] == ["Testanlegg ø", 123456.7, 2022]
    assert sheet["A3"].value is None and sheet["B3"].value is None
