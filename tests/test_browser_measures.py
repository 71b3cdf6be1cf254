"""An editor adds a measure in Debian's chromium; the gap after measures moves; a second app on the same PostGIS
shows it too (two replicas, one store)."""

from __future__ import annotations

import uuid

import psycopg
import pytest

import config
from analysis import emissions as em
from analysis.measures import measures_path
from loaders import load_portfolio
from loaders.bundled.measures import load_measures, measures_from_records
from maps.measures import gap_text, group_label
from tests.helpers.browser import OfflinePage, choose, run, running_app
from tests.helpers.store_fixtures import PG_URL

pytestmark = pytest.mark.browser

MEASURE = {
    "id": "tiltak-nytt-tiltak-testdata",
    "facility_id": "src-elkem-thamshavn",
    "title": "Nytt tiltak (testdata)",
    "kind": "karbonfangst",
    "status": "vedtatt",
    "cut_t": 100_000,
    "scope": "ets",
    "start_year": 2027,
    "quote": "«100 000 tonn» (testdata)",
    "source_url": "https://example.org/testdata",
}


def gap_after_decided(measures) -> str:
    """The 'after decided' row of the gap table, as the page writes it (the page's own rule, the bundled figures)."""
    portfolio = load_portfolio()
    years = em.register_years(portfolio.figures, "ets")
    path = em.point_source_path(
        portfolio.figures, "ets", years[-1], config.ETS_SCOPE_WIDENED_YEAR, 0.50, 0.55, config.TARGET_YEAR
    )
    groups = measures_path(measures, portfolio.figures, path).groups.set_index("group")
    return gap_text(groups.at["decided", "gap_high_t"], "nb")


@pytest.fixture
def schema():
    if not PG_URL:
        pytest.skip("needs PostGIS: TEST_DATABASE_URL")
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def open_measures(page: OfflinePage) -> None:
    page.wait_for_features()  # the map drawn: its first reply (a rerun of Kart) would undo the click
    run(page, page.page.get_by_role("link", name="Portefølje").click)
    page.wait_for_text("Veien mot 2030 med porteføljens tiltak", 90)


def decided_row(page: OfflinePage) -> str:
    label = "Etter tiltak: + " + group_label("decided", "nb")
    row = page.page.locator("tr", has_text=label).first
    row.wait_for(timeout=60_000)
    return row.inner_text()


def test_an_editor_adds_a_measure_the_gap_moves_and_a_second_replica_shows_it(browser, schema):
    bundled = load_measures()
    before = gap_after_decided(bundled)
    after = gap_after_decided(measures_from_records([*bundled.to_dict("records"), MEASURE]))
    assert before != after  # the new measure is a decided cut on a plant of the like-for-like set

    env = {"DATABASE_URL": PG_URL, "INDUSTRIKART_PG_SCHEMA": schema}
    with running_app(env=env) as first_url, running_app(env=env) as second_url:
        page = OfflinePage(browser, first_url)
        open_measures(page)
        assert before in decided_row(page)

        page.page.get_by_text("Legg til eller endre tiltak (redaktører)").click()
        form = page.page.locator('[data-testid="stForm"]').filter(has_text="Legg til tiltak")
        form.get_by_label("Tiltak *", exact=True).first.wait_for(timeout=30_000)
        run(page)
        form.get_by_role("textbox", name="Tiltak *", exact=True).fill(MEASURE["title"])
        choose(page, "Anlegg ¹", "Elkem Thamshavn", within=form, reruns=False)  # a form: no rerun until it is sent
        choose(page, "Type tiltak", "karbonfangst", within=form, reruns=False)
        choose(page, "Status", "vedtatt", within=form, reruns=False)
        choose(page, "Omfang", "kvotepliktige utslipp (EU ETS), t CO₂-ekv.", within=form, reruns=False)
        form.get_by_role("textbox", name="Kutt, tonn per år").fill("100000")
        form.get_by_role("textbox", name="Startår").fill("2027")
        form.get_by_role("textbox", name="Sitat fra kilden *").fill(MEASURE["quote"])
        form.get_by_role("textbox", name="Kilde-URL *").fill(MEASURE["source_url"])
        form.get_by_role("button", name="Legg til tiltak").click()

        page.wait_for_text("Lagret: Tiltak: Nytt tiltak (testdata)", 60)
        assert after in decided_row(page)
        assert not page.unexpected_errors()
        page.close()

        second = OfflinePage(browser, second_url)
        open_measures(second)
        assert after in decided_row(second)
        second.close()
