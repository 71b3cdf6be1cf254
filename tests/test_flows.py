"""The resource-flow table: the seeded facts, the validating reader and the lines drawn from it."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from pyproj import Geod

from config import FLOW_RESOURCE_COLOURS, ROOT
from loaders.bundled.flows import (
    FLOW_COLUMNS,
    FLOW_RESOURCES,
    FLOW_STATUSES,
    flow_lines,
    flows_from_records,
    load_flows,
    parse_flows_csv,
    parse_flows_geojson,
    resolve_flows,
)
from loaders.bundled.portfolio import load_portfolio
from loaders.errors import FileFormatError, LayerError, SchemaError

FACTS = ROOT.parent / "shared" / "geodata" / "reference_facts.md"
GEOD = Geod(ellps="GRS80")

HEADER = "id,from_id,to_id,resource,status,source_url,source_year,quote"
GOOD = "f1,src-elkem-thamshavn,park-gronora,overskuddsvarme,mulig,https://example.org/a,2021,«sitat»"


@pytest.fixture(scope="module")
def portfolio():
    return load_portfolio()


@pytest.fixture(scope="module")
def flows():
    return load_flows()


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


# --- the seeded flows ------------------------------------------------------------------------


def test_seeded_flows_are_complete_and_resolve(flows, portfolio):
    assert len(flows) > 0
    assert flows["id"].is_unique
    assert set(flows["resource"]) <= set(FLOW_RESOURCES)
    assert set(flows["status"]) <= set(FLOW_STATUSES)
    assert flows["quote"].str.len().gt(0).all()
    resolved = resolve_flows(flows, portfolio)
    for end in ("from", "to"):
        assert resolved[f"{end}_name"].notna().all()
        assert resolved[f"{end}_lon"].between(4, 32).all() and resolved[f"{end}_lat"].between(57, 72).all()


@pytest.mark.skipif(not FACTS.exists(), reason="shared/geodata/reference_facts.md is not beside the repo")
def test_seeded_flows_cite_only_reference_facts(flows):
    facts = FACTS.read_text(encoding="utf-8")
    for flow in flows.itertuples():
        for url in flow.source_url.split(";"):
            assert url.strip() in facts, f"{flow.id}: source not in reference_facts.md"
        verbatim = re.findall(r"«([^»]+)»", flow.quote)
        # Words inside « » are the source's own: they must be in the facts file word for word.
        for fragment in verbatim or [flow.quote]:
            assert fragment in facts, f"{flow.id}: {fragment!r} not in reference_facts.md"


@pytest.mark.skipif(not FACTS.exists(), reason="shared/geodata/reference_facts.md is not beside the repo")
def test_seeded_years_are_the_years_the_facts_give_for_the_source(flows):
    rows = [row for row in FACTS.read_text(encoding="utf-8").splitlines() if row.startswith("|")]
    for flow in flows.itertuples():
        cited = [row for row in rows if flow.source_url in row]
        assert cited, flow.id
        # The last cell of a facts row is its year; "page date" rows state none.
        last_cells = {row.rstrip().rstrip("|").rsplit("|", 1)[-1].strip() for row in cited}
        if pd.isna(flow.source_year):
            assert not any(re.fullmatch(r"\d{4}", cell) for cell in last_cells), flow.id
        else:
            assert str(flow.source_year) in last_cells, flow.id


def test_seeded_flows_include_the_stated_examples(flows, portfolio):
    resolved = resolve_flows(flows, portfolio)
    heat = resolved[(resolved["from_id"] == "src-elkem-thamshavn") & (resolved["resource"] == "overskuddsvarme")]
    assert len(heat) == 1 and heat["source_url"].iloc[0] == "https://inorkland.no/sirkulaer-innovasjon-i-orkland/"
    assert heat["source_year"].iloc[0] == 2021
    tjuin = resolved[resolved["from_name"].str.contains("Tjuin")]
    assert set(tjuin["resource"]) == {"slam", "nitrogenrikt vann", "CO2"}
    assert set(tjuin["status"]) == {"planlagt"}


# --- the reader's errors ---------------------------------------------------------------------


def test_a_good_row_reads(portfolio):
    frame = parse_flows_csv(_csv(GOOD))
    assert list(frame.columns) == list(FLOW_COLUMNS)
    assert frame.loc[0, "source_year"] == 2021
    assert frame.loc[0, "from_name"] is None or frame["from_name"].isna().all()


@pytest.mark.parametrize(
    ("data", "error", "field"),
    [
        (b"", FileFormatError, None),
        (b"   \n", FileFormatError, None),
        (b"id,resource\nf1,slam", SchemaError, "from_id"),
        (_csv(GOOD).decode().encode("utf-16"), FileFormatError, None),
    ],
)
def test_unreadable_files(data, error, field):
    with pytest.raises(error) as caught:
        parse_flows_csv(data)
    if field:
        assert caught.value.field == field


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("f1,src-elkem-thamshavn,park-gronora,varme,mulig,https://example.org,,«q»", "resource"),
        ("f1,src-elkem-thamshavn,park-gronora,slam,kanskje,https://example.org,,«q»", "status"),
        ("f1,src-elkem-thamshavn,park-gronora,slam,mulig,example.org,,«q»", "source_url"),
        ("f1,src-elkem-thamshavn,park-gronora,slam,mulig,https://example.org,21,«q»", "source_year"),
        ("f1,src-elkem-thamshavn,park-gronora,slam,mulig,https://example.org,,", "quote"),
        (",src-elkem-thamshavn,park-gronora,slam,mulig,https://example.org,,«q»", "id"),
        ("f1,,park-gronora,slam,mulig,https://example.org,,«q»", "from_id"),
        ("f1,park-gronora,park-gronora,slam,mulig,https://example.org,,«q»", "to_id"),
    ],
)
def test_rows_that_break_the_schema(row, field):
    with pytest.raises(SchemaError) as caught:
        parse_flows_csv(_csv(row))
    assert caught.value.field == field
    assert caught.value.feature == 0
    assert field in str(caught.value)


def test_duplicate_ids_name_the_second_row():
    with pytest.raises(SchemaError) as caught:
        parse_flows_csv(_csv(GOOD, GOOD))
    assert (caught.value.feature, caught.value.field) == (1, "id")


FREE = {
    "id": "f1",
    "from_name": "Ny aktør",
    "from_lon": 10.4,
    "from_lat": 63.4,
    "from_precision": "site",
    "to_id": "park-gronora",
    "resource": "slam",
    "status": "planlagt",
    "source_url": "https://example.org",
    "quote": "«q»",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"from_lat": None}, "from_lat"),
        ({"from_lat": 95}, "from_lat"),
        ({"from_lon": "øst"}, "from_lon"),
        ({"from_precision": "roughly"}, "from_precision"),
        ({"from_id": "src-elkem-thamshavn"}, "from_lon"),  # an id and a position could disagree
        ({"to_id": None, "to_name": "Ny aktør", "to_lon": 10, "to_lat": 63, "to_precision": "site"}, "to_name"),
    ],
)
def test_free_text_actor_rules(change, field):
    with pytest.raises(SchemaError) as caught:
        flows_from_records([{**FREE, **change}])
    assert caught.value.field == field


def test_form_record_with_a_free_text_actor_reads():
    frame = flows_from_records([FREE])
    assert frame.loc[0, "from_lon"] == pytest.approx(10.4)
    assert frame.loc[0, "from_id"] is None or frame["from_id"].isna().all()


def test_unknown_reference_is_caught_against_the_portfolio(portfolio):
    frame = parse_flows_csv(_csv(GOOD.replace("park-gronora", "park-atlantis")))
    with pytest.raises(SchemaError) as caught:
        resolve_flows(frame, portfolio)
    assert (caught.value.field, caught.value.got) == ("to_id", "park-atlantis")


def test_geojson_lines_position_free_text_actors(portfolio):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: v for k, v in FREE.items() if not k.startswith("from_l")},
                "geometry": {"type": "LineString", "coordinates": [[10.1, 63.2], [99.0, 9.0]]},
            }
        ],
    }
    frame = parse_flows_geojson(json.dumps(collection))
    assert (frame.loc[0, "from_lon"], frame.loc[0, "from_lat"]) == (10.1, 63.2)
    assert frame["to_lon"].isna().all()  # a reference end takes the layer's position, not the line's
    line = flow_lines(frame, portfolio).geometry.iloc[0]
    gronora = portfolio.parks.set_index("id").geometry["park-gronora"]
    assert line.coords[-1] == (gronora.x, gronora.y)


@pytest.mark.parametrize(
    "geometry",
    [None, {"type": "Point", "coordinates": [10, 63]}, {"type": "LineString", "coordinates": [[10]]}],
)
def test_geojson_needs_a_line(geometry):
    feature = {"type": "Feature", "properties": FREE, "geometry": geometry}
    collection = {"type": "FeatureCollection", "features": [feature]}
    with pytest.raises(SchemaError) as caught:
        parse_flows_geojson(json.dumps(collection))
    assert caught.value.field == "geometry"


def test_geojson_that_is_not_geojson():
    with pytest.raises(FileFormatError):
        parse_flows_geojson(b"{not json")
    with pytest.raises(FileFormatError):
        parse_flows_geojson(b'{"type": "Feature"}')


def test_all_reader_errors_are_layer_errors():
    assert issubclass(SchemaError, LayerError) and issubclass(FileFormatError, LayerError)


# --- lines for drawing -------------------------------------------------------------------------


def test_lines_run_from_giver_to_receiver_in_metres(flows, portfolio):
    lines = flow_lines(flows, portfolio)
    assert lines.crs.to_epsg() == 4326
    sources = portfolio.sources.set_index("id").geometry
    heat = lines[lines["id"] == "flow-elkem-norsk-kylling-varme"].iloc[0]
    elkem = sources["src-elkem-thamshavn"]
    assert heat.geometry.coords[0] == (elkem.x, elkem.y)
    (x0, y0), (x1, y1) = heat.geometry.coords
    assert heat["length_m"] == pytest.approx(GEOD.inv(x0, y0, x1, y1)[2], rel=0.005)
    assert not heat["colocated"]


def test_colocated_ends_are_flagged(flows, portfolio):
    lines = flow_lines(flows, portfolio)
    same = lines.apply(lambda r: r.geometry.coords[0] == r.geometry.coords[-1], axis=1)
    assert (lines["colocated"] == same).all()
    assert same.any()  # Malm and Tjuin actors share one approximate point


def test_every_resource_has_a_colour(flows, portfolio):
    assert set(FLOW_RESOURCES) == set(FLOW_RESOURCE_COLOURS)
    lines = flow_lines(flows, portfolio)
    assert lines["colour"].notna().all()
