"""The bundled portfolio is honest: sourced, placed in the right municipality, figures as quoted."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from config import EEA_SOURCE_URL, ETS_SOURCE_URL
from core.schema import FIGURE_COLUMNS, FIGURE_OPTIONAL, LAYERS

LAYER_NAMES = ("parks", "sources", "members")


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_layers_have_exactly_the_schema_columns(portfolio, layer):
    frame = getattr(portfolio, layer)
    assert list(frame.columns) == LAYERS[layer].columns
    assert frame.crs.to_epsg() == 4326
    assert len(frame) > 0


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_every_record_names_an_http_source(portfolio, layer):
    for row in getattr(portfolio, layer).itertuples():
        urls = [u.strip() for u in row.source_url.split(" ; ")]
        assert urls and all(urlparse(u).scheme in ("http", "https") and urlparse(u).netloc for u in urls), row.id


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_every_point_lies_in_its_municipality(portfolio, kommuner, layer):
    """Within 1 km of its own municipality (the shared boundaries are simplified at the coast)
    and nearer to it than to any other."""
    frame = getattr(portfolio, layer).to_crs(25833)
    boundaries = kommuner.to_crs(25833).set_index("kommunenummer")
    for row in frame.itertuples():
        distances = boundaries.distance(row.geometry)
        assert distances[row.kommunenummer] < 1000, (row.id, distances[row.kommunenummer])
        assert distances.idxmin() == row.kommunenummer or distances.min() == distances[row.kommunenummer], row.id


def test_municipality_list_matches_kartverket_2024(portfolio, kommuner):
    ours = portfolio.municipalities.set_index("kommunenummer")["name"].sort_index()
    theirs = kommuner.set_index("kommunenummer")["kommunenavn"].sort_index()
    assert len(ours) == 38
    pd.testing.assert_series_equal(ours, theirs, check_names=False)


def test_every_kommunenummer_is_a_trondelag_one(portfolio):
    known = set(portfolio.municipalities["kommunenummer"])
    for layer in LAYER_NAMES:
        assert set(getattr(portfolio, layer)["kommunenummer"]) <= known, layer


def _digits(text: str) -> str:
    """Only the digits, with the word "tusen" (thousand) read as 000."""
    return re.sub(r"\D", "", re.sub(r"\s*tusen\b", "000", text))


def _hand_made(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures quoted by hand (emission_figures.csv); the registers' are traced in test_bundled_register.py and
    test_bundled_ets.py."""
    held = pd.Series(False, index=figures.index)
    for column in ("inspire_id", "eutl_id"):
        if column in figures:
            held |= figures[column].notna()
    return figures[~held]


def test_every_figure_is_the_number_its_quote_prints(portfolio):
    """No figure is computed or rounded by us: its digits stand in the quoted sentence."""
    for row in _hand_made(portfolio.figures).itertuples():
        amount = f"{row.amount_t:.0f}" if float(row.amount_t).is_integer() else str(row.amount_t).replace(".", "")
        assert amount in _digits(row.quote), (row.facility_id, row.amount_t, row.quote)


def test_every_figure_and_quote_comes_from_the_reference_facts(portfolio, shared_geodata):
    facts = (shared_geodata / "reference_facts.md").read_text(encoding="utf-8")
    emissions = (shared_geodata / "reference_emissions.md").read_text(encoding="utf-8")
    for row in _hand_made(portfolio.figures).itertuples():
        inner = row.quote.strip("«»").split("»")[0]
        assert inner[:40] in facts + emissions, row.quote
        first_url = row.source_url.split(" ; ")[0]
        assert first_url in facts + emissions, first_url


def test_planned_figures_are_never_anyones_latest(portfolio):
    from analysis.figures import latest_figures

    hand = _hand_made(portfolio.figures)
    planned_only = set(hand["facility_id"]) - set(hand.loc[hand["basis"] == "stated", "facility_id"])
    assert planned_only, "the hand-made figures have a facility with only planned figures (NorFraKalk)"
    assert planned_only.isdisjoint(latest_figures(hand)["facility_id"])
    planned = portfolio.figures[portfolio.figures["basis"] == "planned"]
    latest = latest_figures(portfolio.figures)
    assert not latest.merge(planned, on=["facility_id", "amount_t", "year", "scope", "quote"]).shape[0]


def test_source_urls_come_from_the_reference_facts(portfolio, shared_geodata):
    files = ("reference_facts.md", "reference_emissions.md")
    facts = "".join((shared_geodata / f).read_text(encoding="utf-8") for f in files)
    # orcalabs quay points, Geonorge, the EEA register and the EU ETS (geodata/eprtr_*.*, ets_*.*: the script)
    known_extra = (
        "https://github.com/orcalabs/kyogre/",
        "https://kartkatalog.geonorge.no/",
        EEA_SOURCE_URL,
        ETS_SOURCE_URL,
    )
    for layer in LAYER_NAMES:
        for url in {u.strip() for v in getattr(portfolio, layer)["source_url"] for u in v.split(" ; ")}:
            assert url in facts or url.startswith(known_extra), (layer, url)


def test_geodata_readme_documents_every_schema_column():
    readme = (Path(__file__).resolve().parents[1] / "geodata" / "README.md").read_text(encoding="utf-8")
    for schema in LAYERS.values():
        for field in schema.fields:
            assert f"`{field.name}`" in readme, field.name
    for column in (*FIGURE_COLUMNS, *FIGURE_OPTIONAL):
        assert f"`{column}`" in readme, column
