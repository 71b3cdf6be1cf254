"""Measures (tiltak): the bundled, sourced file, the checking reader, and how cuts count against the path to 2030."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from pptx import Presentation

from analysis import emissions as em
from analysis.measures import measure_group, measures_path, sums_by_group
from config import ROOT
from exports.charts import chart_png, measures_chart
from exports.slides import measures_slide, slides_pptx
from loaders.bundled.measures import (
    MEASURE_COLUMNS,
    load_measures,
    measure_points,
    measures_from_records,
    parse_measures_csv,
    parse_measures_geojson,
)
from loaders.bundled.portfolio import load_portfolio
from loaders.errors import FileFormatError, SchemaError
from maps.measures import gap_text
from tests.test_emissions import register

FACTS = ROOT.parent / "shared" / "geodata" / "reference_facts.md"


@pytest.fixture(scope="module")
def portfolio():
    return load_portfolio()


@pytest.fixture(scope="module")
def bundled(portfolio):
    return load_measures(portfolio=portfolio)


def measure(**fields) -> dict:
    """A made-up measure (testdata) on plant "a" in the ETS scope; `fields` override."""
    base = {
        "id": "m1",
        "facility_id": "a",
        "title": "Testtiltak",
        "kind": "karbonfangst",
        "status": "vedtatt",
        "cut_t": 10.0,
        "scope": "ets",
        "quote": "«10 tonn»",
        "source_url": "https://example.org/testdata",
    }
    return base | fields


def made_up_measures(*records: dict) -> pd.DataFrame:
    return measures_from_records(records)


# --- the bundled file ----------------------------------------------------------------------------------------


def test_bundled_measures_are_the_four_sourced_ones_each_placed(bundled, portfolio):
    assert set(bundled["id"]) == {
        "tiltak-malm-sisu-biogass",
        "tiltak-malm-biogass",
        "tiltak-vormstad-biogass",
        "tiltak-wacker-biokarbon",
    }
    points = measure_points(bundled, portfolio)
    assert len(points) == len(bundled)
    wacker = points.set_index("id").loc["tiltak-wacker-biokarbon"]  # no park: drawn at its plant
    assert wacker["place_name"] == "Wacker Chemicals Norway AS, Holla Metall"


@pytest.mark.skipif(not FACTS.exists(), reason="shared/geodata/reference_facts.md is not beside the repo")
def test_every_bundled_cut_is_the_number_its_source_prints(bundled):
    facts = FACTS.read_text(encoding="utf-8")
    for row in bundled.itertuples():
        assert row.source_url in facts, row.id
        quoted = re.findall(r"«([^»]+)»", row.quote)
        assert quoted, f"{row.id}: no words of the source"
        for fragment in quoted:
            assert fragment in facts, f"{row.id}: {fragment!r} not in reference_facts.md"
        # The tonnes are the quote's own number, with its thousands separator taken out.
        numbers = [float(n.replace(".", "").replace(" ", "")) for n in re.findall(r"\d[\d. ]*\d", " ".join(quoted))]
        assert row.cut_t in numbers, f"{row.id}: {row.cut_t} is not a number the source prints"


def test_the_two_sources_on_one_malm_project_are_summed_once(bundled):
    sums = sums_by_group(bundled)
    assert sums.values.tolist() == [
        ["planned", "co2", 1, 16_000.0],
        ["planned", "co2e", 1, 29_672.0],
        ["potential", "ets", 1, 430_000.0],
    ]
    assert bundled.set_index("id").at["tiltak-malm-biogass", "counted_in"] == "tiltak-malm-sisu-biogass"


def test_wacker_is_a_potential_not_a_plan(bundled):
    wacker = bundled.set_index("id").loc["tiltak-wacker-biokarbon"]
    assert wacker["potential"] and measure_group(wacker["status"], wacker["potential"]) == "potential"


def test_the_bundled_ets_path_counts_only_the_plant_measure_in_its_scope(portfolio, bundled):
    path = em.point_source_path(portfolio.figures, "ets", 2022, 2013)
    result = measures_path(bundled, portfolio.figures, path)
    assert result.counted["id"].tolist() == ["tiltak-wacker-biokarbon"]
    assert dict(result.beside.values.tolist()) == {
        "tiltak-malm-sisu-biogass": "not_a_plant",
        "tiltak-malm-biogass": "counted_in",
        "tiltak-vormstad-biogass": "not_a_plant",
    }
    # 430 000 t is more than Wacker Holla's 427 808 t in 2022: said, not capped.
    assert result.over.values.tolist() == [["src-wacker-holla", 430_000.0, 427_808.0, 2022]]
    potential = result.groups.set_index("group").loc["potential"]
    assert potential["gap_high_t"] == pytest.approx(result.gap_high_t - 430_000.0)


def test_an_e_prtr_scope_path_lists_the_ets_measure_beside(portfolio, bundled):
    path = em.point_source_path(portfolio.figures, "fossil", 2017, 2009)
    result = measures_path(bundled, portfolio.figures, path)
    assert result.counted.empty
    assert dict(result.beside.values.tolist())["tiltak-wacker-biokarbon"] == "other_scope"


# --- the reader: bad input is refused with the field named ---------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "expected"),
    [
        ({"source_url": ""}, "source_url", "present"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "urls"),
        ({"cut_t": -5}, "cut_t", "cut_number"),
        ({"cut_t": "mye"}, "cut_t", "cut_number"),
        ({"cut_t": "nan"}, "cut_t", "cut_number"),
        ({"start_year": 1989}, "start_year", "year_between"),
        ({"start_year": 2101}, "start_year", "year_between"),
        ({"start_year": "snart"}, "start_year", "year_between"),
        ({"scope": "nox"}, "scope", "one_of"),
        ({"scope": None}, "scope", "cut_scope"),
        ({"status": "planlagt"}, "status", "one_of"),
        ({"kind": "magi"}, "kind", "one_of"),
        ({"facility_id": None, "site_id": None}, "site_id", "measure_place"),
        ({"potential": "kanskje"}, "potential", "flag"),
        ({"counted_in": "m1"}, "counted_in", "other_measure"),
        ({"counted_in": "m-unknown"}, "counted_in", "counted_in_known"),
        ({"start_year": "²⁰²⁵"}, "start_year", "year_between"),
        ({"cut_t": 10**400}, "cut_t", "cut_number"),
        ({"cut_t": "1e300"}, "cut_t", "cut_number"),
        ({"title": "nul\x00byte"}, "title", "printable_text"),
        ({"quote": "bell\x07"}, "quote", "printable_text"),
    ],
)
def test_bad_measures_are_refused_naming_the_field(fields, field, expected):
    with pytest.raises(SchemaError) as caught:
        measures_from_records([measure(**fields)])
    assert (caught.value.field, caught.value.expected) == (field, expected)


def test_unknown_site_or_facility_ids_are_refused_against_the_portfolio(portfolio):
    with pytest.raises(SchemaError) as caught:
        measures_from_records([measure(facility_id="src-finnes-ikke")], portfolio)
    assert caught.value.expected == "facility_ref"
    with pytest.raises(SchemaError) as caught:
        measures_from_records([measure(facility_id=None, site_id="park-finnes-ikke")], portfolio)
    assert caught.value.expected == "site_ref"
    ok = measures_from_records([measure(facility_id="src-wacker-holla")], portfolio)
    assert ok.at[0, "facility_id"] == "src-wacker-holla"


def test_cuts_are_read_as_norwegian_sources_print_them():
    cuts = [measures_from_records([measure(cut_t=raw)]).at[0, "cut_t"] for raw in ("29.672", "29 672", "12,5", 430000)]
    assert cuts == [29_672.0, 29_672.0, 12.5, 430_000.0]


def test_counted_in_names_a_measure_that_is_itself_counted():
    chained = [measure(id="a"), measure(id="b", counted_in="a"), measure(id="c", counted_in="b")]
    with pytest.raises(SchemaError) as caught:
        measures_from_records(chained)
    assert (caught.value.feature, caught.value.expected) == (2, "counted_in_counted")
    cycle = [measure(id="a", counted_in="b"), measure(id="b", counted_in="a")]
    with pytest.raises(SchemaError):
        measures_from_records(cycle)


def test_a_measure_without_tonnes_is_kept_as_no_figure():
    table = made_up_measures(measure(cut_t="", scope=""))
    assert pd.isna(table.at[0, "cut_t"]) and table.at[0, "scope"] is None


def test_csv_and_geojson_read_the_same_measure():
    csv = "id,facility_id,title,kind,status,cut_t,scope,potential,start_year,quote,source_url\n" + (
        "m1,a,Testtiltak,karbonfangst,vedtatt,1 200,ets,nei,2027,«1 200 tonn»,https://example.org/testdata\n"
    )
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [10, 63]},
        "properties": {
            "id": "m1",
            "facility_id": "a",
            "title": "Testtiltak",
            "kind": "karbonfangst",
            "status": "vedtatt",
            "cut_t": 1200,
            "scope": "ets",
            "potential": False,
            "start_year": 2027,
            "quote": "«1 200 tonn»",
            "source_url": "https://example.org/testdata",
        },
    }
    from_csv = parse_measures_csv(csv)
    from_json = parse_measures_geojson(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    pd.testing.assert_frame_equal(from_csv, from_json)
    assert list(from_csv.columns) == list(MEASURE_COLUMNS) and from_csv.at[0, "cut_t"] == 1200.0


def test_a_file_that_is_no_table_says_so():
    with pytest.raises(FileFormatError):
        parse_measures_csv(b"\xff\xfe")
    with pytest.raises(SchemaError) as caught:
        parse_measures_csv("id,title\nm1,x\n")
    assert caught.value.expected == "column_of"


# --- counting: made-up plants and measures, exact numbers ----------------------------------------------------


def made_up_path(rows=None, year=2022, base=2013):
    rows = rows or [(p, y, 1_000.0) for p in ("a", "b") for y in range(2013, 2023)]
    data = register(rows)
    return data, em.point_source_path(data, "ets", year, base, 0.50, 0.55, 2030)


def test_gap_after_measures_per_group_is_the_gap_less_every_group_above():
    data, path = made_up_path()  # a and b: 1 000 t each every year; base 2 000, 2022 2 000
    measures = made_up_measures(
        measure(id="run", status="i drift", cut_t=100, start_year=2024),
        measure(id="dec", status="vedtatt", cut_t=200, start_year=2026, facility_id="b"),
        measure(id="bld", status="under bygging", cut_t=50, start_year=2025),
        measure(id="plan", status="utredes", cut_t=300, start_year=2028),
        measure(id="idea", status="idé", cut_t=25),  # no start year: counted at 2030
        measure(id="pot", status="idé", potential=True, cut_t=400, start_year=2029),
    )
    result = measures_path(measures, data, path)
    assert result.gap_high_t == 1_000.0  # 2 000 − 50 % of 2 000
    groups = result.groups.set_index("group")
    assert groups["cut_t"].to_dict() == {"running": 100, "decided": 250, "planned": 300, "idea": 25, "potential": 400}
    assert groups["measures"].to_dict() == {"running": 1, "decided": 2, "planned": 1, "idea": 1, "potential": 1}
    assert groups["gap_high_t"].tolist() == [900.0, 650.0, 350.0, 325.0, -75.0]
    assert groups["gap_low_t"].tolist() == [1000.0, 750.0, 450.0, 425.0, 25.0]
    counted = result.counted.set_index("id")
    assert counted.at["idea", "from_year"] == 2030 and not counted.at["idea", "start_stated"]
    assert result.beside.empty and result.over.empty


def test_wedges_start_at_their_start_year_below_the_newest_level():
    data, path = made_up_path()
    measures = made_up_measures(
        measure(id="run", status="i drift", cut_t=100, start_year=2024),
        measure(id="plan", status="utredes", cut_t=300, start_year=2028),
    )
    levels = measures_path(measures, data, path).levels.set_index(["year", "group"])
    assert levels.loc[(2022, "running")].tolist() == [2000.0, 2000.0]  # nothing acts yet: the actual level
    assert levels.loc[(2024, "running")].tolist() == [2000.0, 1900.0]
    assert levels.loc[(2027, "planned")].tolist() == [1900.0, 1900.0]
    assert levels.loc[(2028, "planned")].tolist() == [1900.0, 1600.0]
    assert levels.loc[(2030, "planned")].tolist() == [1900.0, 1600.0]


def test_measures_that_do_not_count_are_listed_with_their_reason():
    rows = [(p, y, 1_000.0) for p in ("a", "b") for y in range(2013, 2023)] + [("c", 2022, 500.0)]
    data, path = made_up_path(rows)  # c has no 2013 figure: not in the like-for-like set
    measures = made_up_measures(
        measure(id="nofig", cut_t=None, scope=None),
        measure(id="m-other", status="avsluttet"),
        measure(id="twice", counted_in="m-other"),
        measure(id="ended", status="avsluttet"),
        measure(id="site", facility_id=None, site_id="park-x"),
        measure(id="scope", scope="fossil"),
        measure(id="newcomer", facility_id="c"),
        measure(id="done", start_year=2020),
        measure(id="running", status="i drift"),
        measure(id="late", start_year=2031),
    )
    result = measures_path(measures, data, path)
    assert result.counted.empty
    assert dict(result.beside.values.tolist()) == {
        "nofig": "no_figure",
        "m-other": "ended",
        "twice": "counted_in",
        "ended": "ended",
        "site": "not_a_plant",
        "scope": "other_scope",
        "newcomer": "not_in_set",
        "done": "in_figures",
        "running": "running_no_start",
        "late": "after_target",
    }
    assert result.groups["gap_high_t"].tolist() == [1_000.0] * 5  # nothing added
    # Planned cuts never enter the actual series.
    pd.testing.assert_frame_equal(result.source.path.totals, path.path.totals)


def test_a_measure_counted_in_one_no_longer_shown_is_not_added_and_says_why():
    data, path = made_up_path()
    table = made_up_measures(measure(id="kept"), measure(id="gone"), measure(id="twin", counted_in="gone"))
    result = measures_path(table[table["id"] != "gone"], data, path)  # "gone" retired since
    assert dict(result.beside.values.tolist()) == {"twin": "counted_in_missing"}
    assert result.counted["id"].tolist() == ["kept"]


def test_cuts_above_a_plants_newest_figure_are_reported_not_capped():
    data, path = made_up_path()
    measures = made_up_measures(measure(id="x", cut_t=700), measure(id="y", cut_t=600, status="utredes"))
    result = measures_path(measures, data, path)
    assert result.over.values.tolist() == [["a", 1_300.0, 1_000.0, 2022]]
    assert result.groups.set_index("group").at["planned", "gap_high_t"] == 1_000.0 - 1_300.0


def test_sums_by_group_never_add_scopes_or_overlaps():
    measures = made_up_measures(
        measure(id="a1", cut_t=10, scope="ets"),
        measure(id="a2", cut_t=5, scope="co2e"),
        measure(id="a3", cut_t=7, scope="ets", counted_in="a1"),
        measure(id="a4", cut_t=None, scope=None),
        measure(id="a5", cut_t=3, scope="ets", status="avsluttet"),
    )
    assert sums_by_group(measures).values.tolist() == [["decided", "co2e", 1, 5.0], ["decided", "ets", 1, 10.0]]


def test_the_slide_carries_the_gap_per_group_as_editable_text():
    data, path = made_up_path()
    result = measures_path(made_up_measures(measure(id="d", cut_t=300, start_year=2027)), data, path)
    chart = measures_chart(result, "nb")
    deck = slides_pptx([measures_slide(result, chart_png(chart, "nb"), "Tittel", "Undertittel", "Kilder", "nb")])
    shapes = Presentation(io.BytesIO(deck)).slides[0].shapes
    table = next(s.table for s in shapes if s.has_table)
    rows = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(1, len(table.rows))}
    # made-up plants: 2 000 t in the base year and the newest; 50 % leaves 1 000 t to cut, 55 % 1 100 t
    assert rows["Uten tiltak"] == f"{gap_text(1_000.0, 'nb')} / {gap_text(1_100.0, 'nb')}"
    assert rows["Etter tiltak: + vedtatt eller under bygging"] == f"{gap_text(700.0, 'nb')} / {gap_text(800.0, 'nb')}"
    assert (table.cell(0, 0).text, table.cell(0, 1).text) == ("Gruppe", "Gjenstår til 50 % / 55 % kutt")
    assert any(s.has_text_frame and s.text_frame.text == "Tittel" for s in shapes)
