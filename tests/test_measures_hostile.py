"""Hostile text in every text field of a measure: map, chart, slide, tables and the pages show it as written."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

import config
from analysis import emissions as em
from analysis.measures import measures_path
from exports.charts import chart_pdf, chart_png, measures_chart
from exports.slides import measures_slide, slides_pptx
from exports.tables import csv_bytes, xlsx_bytes
from loaders.bundled.measure_store import add_measure
from loaders.bundled.measures import measure_points, measures_from_records
from maps.measures import measures_group
from maps.portfolio import portfolio_base_map
from store import open_store
from tests.helpers.hostile_text import assert_literal, corpus
from tests.test_hostile_text import rendered
from ui.map_view import Selection

MARKERS = ("{{ 7*191919 }}", "{# ik comment #}")


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generated_sentinel")


@pytest.fixture(scope="module")
def texts(sentinel) -> list[str]:
    return corpus(sentinel)


@pytest.fixture(scope="module")
def hostile_measures(texts):
    """A made-up measure per hostile text, every text field carrying it, on a plant of the ETS path."""
    return measures_from_records(
        {
            "id": f"tiltak-{i}",
            "facility_id": "src-elkem-thamshavn",
            "title": text,
            "kind": "karbonfangst",
            "status": "vedtatt",
            "cut_t": 1000 + i,
            "scope": "ets",
            "start_year": 2025,
            "quote": text,
            "note": text,
            "counted_in": None,
            "source_url": "https://example.org/" + str(i),
        }
        for i, text in enumerate(texts)
    )


@pytest.fixture(scope="module")
def result(portfolio, hostile_measures):
    path = em.point_source_path(portfolio.figures, "ets", 2022, 2013)
    return measures_path(hostile_measures, portfolio.figures, path)


def test_the_measures_on_the_map_keep_their_text(portfolio, hostile_measures, sentinel):
    m = portfolio_base_map("nb")
    measures_group(measure_points(hostile_measures, portfolio), "nb").add_to(m)
    assert_literal(rendered(m), sentinel, MARKERS)


def test_the_chart_as_pdf_and_slide_keeps_the_title_as_written(result, texts, sentinel):
    chart = measures_chart(result, "nb", title=texts[0])
    assert chart_png(chart, "nb")[:4] == b"\x89PNG"
    pdf = chart_pdf(chart, "nb")
    assert pdf[:4] == b"%PDF"
    deck = slides_pptx([measures_slide(result, chart_png(chart, "nb"), texts[0], texts[5], texts[6], "nb")], lang="nb")
    slide_text = " ".join(
        shape.text_frame.text for shape in Presentation(io.BytesIO(deck)).slides[0].shapes if shape.has_text_frame
    )
    assert_literal(slide_text, sentinel, (texts[0],))
    # The chart's spec carries the title as data, never as markup.
    assert json.dumps(texts[0])[1:-1] in chart.to_json()


def test_the_measure_tables_are_formula_safe(hostile_measures, texts):
    table = hostile_measures.assign(title=['=HYPERLINK("http://x")'] + list(hostile_measures["title"][1:]))
    data = csv_bytes(table)
    assert b"'=HYPERLINK" in data
    book = load_workbook(io.BytesIO(xlsx_bytes({"Tiltak": table})))
    assert book["Tiltak"]["D2"].data_type != "f"
    assert zipfile.is_zipfile(io.BytesIO(xlsx_bytes({"Tiltak": table})))


@pytest.mark.parametrize(
    ("script", "lang"),
    [
        ("pages/2_Portefolje.py", "nb"),
        ("pages/2_Portefolje.py", "en"),
        ("pages/1_Utslipp.py", "nb"),
        ("dashboard.py", "nb"),
    ],
)
def test_pages_show_stored_hostile_measures_as_written(portfolio, texts, sentinel, tmp_path, monkeypatch, script, lang):
    path = tmp_path / "generated_layers.gpkg"
    store = open_store({"INDUSTRIKART_STORE": str(path)})
    markdown = "![x](http://tracker.example/p.png) [klikk](javascript:alert(1)) **fet**"
    for i, text in enumerate([*texts[:8], markdown]):
        record = {
            "id": f"tiltak-{i}",
            "site_id": "park-malm",
            "facility_id": "src-elkem-thamshavn",
            "title": text,
            "kind": "biogass",
            "status": "utredes",
            "cut_t": 500,
            "scope": "ets" if i in (1, 3) else "co2e",  # two counted, the others listed beside the chart by title
            "start_year": 2026,
            "quote": text,
            "note": text,
            "source_url": "https://example.org/",
        }
        add_measure(store, record, portfolio)
    at = AppTest.from_file(str(config.ROOT / script), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["selected"] = Selection("parks", ("park-malm",))  # the map's record panel (dashboard.py)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    at.run()
    assert not at.exception
    # st.table and st.markdown render Markdown: what a reader sees is the text with its escapes taken out
    tables = " ".join(t.value.to_csv() for t in at.table)
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.warning]) + " " + tables
    if script != "dashboard.py":  # the map's record panel shows measures in a data grid, which renders no Markdown
        assert markdown not in tables and "![x](" not in tables and "[klikk](" not in tables  # escaped, not linked
        assert markdown in re.sub(r"\\(.)", r"\1", tables)
    shown = re.sub(r"\\(.)", r"\1", shown)
    shown += " ".join(df.value.to_csv() for df in at.dataframe)
    assert_literal(shown, sentinel, MARKERS)
