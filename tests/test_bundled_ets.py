"""The bundled EU ETS register: every Trøndelag installation, each figure traced to the shared table,
every row that names a Trøndelag place either bundled or excluded with a reason, and like-for-like paths.

The build script itself is checked byte for byte in test_bundled_register.py (its BUILT list holds the ETS files).
"""

from __future__ import annotations

import csv
import math
import re

import pandas as pd
import pytest

import config
from analysis import emissions as em
from analysis.filters import Filters, apply_filters
from analysis.kpi import key_figures
from core.kommunenummer import MUNICIPALITIES
from tests.helpers.build_script import build_module

EUTL = "eutl_installations_norway_2005_2022.csv"
GEODATA = config.ROOT / "geodata"
# Places in Trøndelag that a row may name without naming its municipality (the plants' and offices' places).
LOCALITIES = ("Ranheim", "Heimdal", "Skogn", "Follafoss", "Kyrksæterøra", "Orkanger", "Thamshavn", "Hylla", "Leangen")


@pytest.fixture(scope="module")
def shared_rows(shared_geodata) -> dict[str, dict]:
    with open(shared_geodata / EUTL, encoding="utf-8", newline="") as handle:
        return {r["InstallationOrAircraftOperatorID"]: r for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return pd.read_csv(GEODATA / "ets_figures.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def installations() -> pd.DataFrame:
    import geopandas as gpd

    return gpd.read_file(GEODATA / "ets_installations.geojson")


@pytest.fixture(scope="module")
def excluded() -> pd.DataFrame:
    return pd.read_csv(GEODATA / "ets_excluded.csv", dtype=str, keep_default_na=False)


def _names_trondelag(row: dict) -> bool:
    """A row names a Trøndelag place in any column: a municipality's name (any of its forms), a locality, or a
    number that looks like a Trøndelag postcode (7000–7999)."""
    names = {part.strip() for name in MUNICIPALITIES["name"] for part in str(name).split(" - ")}
    names |= set(MUNICIPALITIES["short_name"]) | set(LOCALITIES) | {"Trøndelag"}
    pattern = re.compile(r"(?i)\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")")
    text = " ".join(value for key, value in row.items() if not re.search(r"_\d{4}$", key))
    return bool(pattern.search(text) or re.search(r"\b7\d{3}\b", text))


def test_every_row_that_names_a_trondelag_place_is_bundled_or_excluded_with_a_reason(
    shared_rows, installations, excluded
):
    named = {i for i, row in shared_rows.items() if _names_trondelag(row)}
    bundled, left_out = set(installations["eutl_id"]), set(excluded["eutl_id"])
    assert bundled.isdisjoint(left_out)
    assert named <= bundled | left_out, sorted(named - bundled - left_out)
    assert all(reason.strip() for reason in excluded["reason"])
    # The traps the source names: contact addresses, Tjeldbergodden (Aure), offshore fields, aircraft operators.
    for name in ("Norske Skog Follum", "Peterson Linerboard", "Gardermoen", "Tjeldbergodden", "Draugen", "37652"):
        assert excluded["name"].str.contains(name).any(), name
    assert len(bundled) == 11 and installations["id"].nunique() == 11  # eleven accounts, each its own source


def test_every_bundled_ets_figure_traces_to_a_row_of_the_shared_file(bundled, shared_rows):
    for figure in bundled.to_dict("records"):
        row = shared_rows[figure["eutl_id"]]
        year = figure["year"]
        assert float(figure["amount_t"]) == float(row[f"VerifiedEmissions_{year}"]), figure
        assert figure["quote"].startswith(f"{row[f'VerifiedEmissions_{year}']} t CO₂-ekv.")
        allocation = row[f"FreeAllocations_{year}"]
        assert figure["free_allocation_t"] == ("" if allocation == "NA" else f"{float(allocation)!r}")
        code = row[f"ComplianceCode_{year}"]
        assert figure["compliance_code"] == ("" if code == "NA" else code)
        assert figure["permit_id"] == row["PermitOrPlanID"]
        assert (figure["scope"], figure["basis"]) == ("ets", "stated")
        assert figure["licence"] == config.ETS_CREDIT and figure["source_url"] == config.ETS_SOURCE_URL
    # And every verified figure of a bundled installation is there: none dropped, none made up (NA is no figure).
    for eutl in set(bundled["eutl_id"]):
        row = shared_rows[eutl]
        last = int(row["LastYearOfEmissions"]) or 9999  # 0: still reporting
        stated = {
            y
            for y in range(2005, 2023)
            if row[f"VerifiedEmissions_{y}"] not in ("NA", "Excluded", "Not Reported")
            and (y <= last or row[f"ComplianceCode_{y}"] != "NA")  # a placeholder after the last year is no figure
        }
        assert stated == {int(y) for y in bundled.loc[bundled["eutl_id"] == eutl, "year"]}, eutl


def test_na_is_no_figure_a_reported_zero_stays_zero_and_a_placeholder_is_left_out(bundled, shared_rows):
    mm = bundled[bundled["eutl_id"] == "206342"].set_index("year")
    assert shared_rows["206342"]["FreeAllocations_2014"] == "0" and mm.loc["2014", "free_allocation_t"] == "0.0"
    folla = bundled[bundled["eutl_id"] == "94"].set_index("year")
    assert shared_rows["94"]["VerifiedEmissions_2013"] == "0" and shared_rows["94"]["LastYearOfEmissions"] == "2012"
    assert "2013" not in folla.index  # after the account's last year, no compliance code: a placeholder
    assert "2014" not in folla.index  # NA in the register
    assert not (bundled["year"].astype(int) < 2008).any()  # Norway joined in 2008: 2005–2007 are NA


def test_elkem_thamshavn_agrees_with_eprtr_excluding_biomass_within_its_rounding(portfolio):
    figures = portfolio.figures
    elkem = figures[figures["facility_id"] == "src-elkem-thamshavn"]
    ets = elkem[elkem["scope"] == "ets"].set_index("year")["amount_t"]
    fossil = elkem[elkem["scope"] == "fossil"].set_index("year")["amount_t"]
    for year in range(2013, 2018):
        # E-PRTR prints three significant digits (190 000 for 188 766): within 1 % of its figure.
        assert abs(ets[year] - fossil[year]) <= 0.01 * fossil[year], (year, ets[year], fossil[year])
    assert 2012 not in ets.index  # Thamshavn entered the ETS in 2013: no figure before


def test_each_installation_is_joined_to_its_source_and_placed_in_its_plants_municipality(installations, portfolio):
    sources = portfolio.sources.set_index("id")
    build = build_module()
    for row in installations.to_dict("records"):
        source = sources.loc[row["id"]]
        assert row["eutl_id"] in [p.strip() for p in source["eutl_id"].split(";")]
        assert source["kommunenummer"] == row["kommunenummer"], row["register_name"]
        assert row["join_note"] and row["municipality_note"]
        assert row["joined_by"] in ("eprtr_id", "mapping", "new")
        if row["joined_by"] == "new":  # a source of its own, placed where the script says and why
            assert source["location_precision"] in ("locality", "municipality") and row["position_note"]
    assert set(build.ETS_INSTALLATIONS) == set(installations["eutl_id"])
    # Plants the app showed without any figure before the ETS came in now have one.
    for plant in ("src-ranheim-paper", "src-statkraft-varme-trondheim", "src-hylla-kalkverk", "src-mm-follacell"):
        assert not em.facility_series(portfolio.figures, plant, "ets").empty, plant


def test_the_key_figure_is_the_ets_in_2022_with_its_installations(portfolio, shared_rows, installations):
    kpi = key_figures(apply_filters(portfolio, Filters()))
    reporting = [i for i in installations["eutl_id"] if shared_rows[i]["VerifiedEmissions_2022"] not in ("NA",)]
    assert (kpi.scope, kpi.year, kpi.facilities) == ("ets", 2022, len(reporting))
    assert kpi.total_t == pytest.approx(sum(float(shared_rows[i]["VerifiedEmissions_2022"]) for i in reporting))


def test_the_ets_path_from_2013_sums_the_same_plants_every_year(portfolio, shared_rows):
    result = em.point_source_path(portfolio.figures, "ets", 2022, 2013)
    both = [
        i
        for i in shared_rows
        if shared_rows[i]["VerifiedEmissions_2013"] not in ("NA", "Excluded", "Not Reported")
        and shared_rows[i]["VerifiedEmissions_2022"] not in ("NA", "Excluded", "Not Reported")
    ]
    ids = portfolio.sources.set_index("id")["eutl_id"]
    assert {ids[p] for p in result.plants} == set(both) & set(ids.dropna())
    assert "src-sodra-cell-folla" in result.left_out  # closed in 2013: not in 2022, so not in the set
    path = result.path
    assert path.baseline_t == pytest.approx(
        sum(float(shared_rows[ids[p]]["VerifiedEmissions_2013"]) for p in result.plants)
    )
    assert path.latest_t == pytest.approx(
        sum(float(shared_rows[ids[p]]["VerifiedEmissions_2022"]) for p in result.plants)
    )
    assert path.totals.loc[path.totals["year"] >= 2013, "complete"].all()
    assert not path.totals.loc[path.totals["year"] < 2013, "complete"].any()  # Elkem, Wacker … not yet in the ETS
    changed = result.reporting[result.reporting["changed"]]
    assert 2013 in set(changed["year"])  # ferroalloys and mineral wool joined: marked on the chart


def test_the_eprtr_total_path_against_2009_is_like_for_like(portfolio):
    result = em.point_source_path(portfolio.figures, "total", 2017, 2009)
    assert set(result.plants) == {"src-elkem-thamshavn", "src-norske-skog-skogn", "src-wacker-holla"}
    assert result.path.baseline_t == pytest.approx(155_000 + 165_000 + 136_000)  # E-PRTR 2009, the three
    assert "src-norfrakalk" in result.left_out  # no 2009 row above the threshold: not summed against 2009
    assert em.point_source_path(portfolio.figures, "co2", 2017, 2009).plants == ()  # undated NRK figure: no path
    assert not math.isnan(result.path.gap.change_since_baseline_pct)
