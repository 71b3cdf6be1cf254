"""The measures on the Portefølje and Utslipp pages (Streamlit's AppTest): the bundled path with its numbers, the
import report, and the measure filters in the link."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import config
from analysis import emissions as em
from analysis.measures import measures_path
from exports.tables import csv_bytes
from loaders.bundled.measure_store import add_measure, all_measures, plan_import
from loaders.bundled.measures import MEASURE_COLUMNS, load_measures, measure_records_csv
from maps.measures import gap_text
from store import open_store
from ui.map_view import Selection
from ui.measures import chart_alt_text, chart_files

PAGE = "pages/2_Portefolje.py"


@pytest.fixture(autouse=True)
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "generated_layers.gpkg"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(path))
    return path


def run(at: AppTest | None = None, page: str = PAGE) -> AppTest:
    at = (at if at is not None else AppTest.from_file(str(config.ROOT / page), default_timeout=90)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def gap_rows(at: AppTest) -> dict[str, str]:
    table = next(t.value for t in at.table if "Gjenstår til 50 % kutt" in t.value.columns)
    return dict(zip(table.index, table["Gjenstår til 50 % kutt"], strict=True))


def bundled_result(portfolio):
    path = em.point_source_path(portfolio.figures, "ets", 2022, config.ETS_SCOPE_WIDENED_YEAR)
    return measures_path(load_measures(portfolio=portfolio), portfolio.figures, path)


def test_the_bundled_path_shows_the_gap_before_and_after_each_group(portfolio):
    at = run()
    result = bundled_result(portfolio)
    rows = gap_rows(at)
    assert rows["Uten tiltak"] == gap_text(result.gap_high_t, "nb")
    after = result.groups.set_index("group")["gap_high_t"]
    assert rows["Etter tiltak: + potensial (ikke en plan)"] == gap_text(after["potential"], "nb")
    assert rows["Etter tiltak: + vedtatt eller under bygging"] == gap_text(result.gap_high_t, "nb")  # none decided
    table = next(t.value for t in at.table if "I diagrammet" in t.value.columns)
    rendered = table.map(lambda cell: re.sub(r"\\(.)", r"\1", cell))  # as a reader sees it: escapes taken out
    rendered.index = [re.sub(r"\\(.)", r"\1", title) for title in table.index]
    assert rendered["I diagrammet"].to_dict() == {
        "Biokarbon i stedet for fossilt reduksjonsmiddel (Wacker Holla)": (
            "ja: potensial (ikke en plan), fra 2030 (startår ikke oppgitt)"
        ),
        "Beitstadfjord SiSu-partnerskapet: biogass og biogjødsel ved Malm": (
            "nei: gjelder ikke et anlegg i registeret (f.eks. landbruk, transport)"
        ),
        "Malm Biogass: biogass av slam fra settefisk og husdyrgjødsel": (
            "nei: regnet med i et annet tiltak (samme prosjekt)"
        ),
        "Trøndelag biogass: flytende biogass i Biopark Vormstad": (
            "nei: gjelder ikke et anlegg i registeret (f.eks. landbruk, transport)"
        ),
    }
    bundled = load_measures(portfolio=portfolio).set_index("title")
    for title, row in rendered.iterrows():  # each with its quote and source
        assert (row["Sitat fra kilden"], row["Kilde"]) == (bundled.at[title, "quote"], bundled.at[title, "source_url"])
    assert any(
        "Wacker Chemicals Norway AS, Holla Metall" in w.value and "ikke kuttet ned" in w.value for w in at.warning
    )


def test_the_utslipp_page_draws_the_same_path_for_the_chosen_scope(portfolio):
    at = run(page="pages/1_Utslipp.py")
    rows = gap_rows(at)
    assert rows["Uten tiltak"] == gap_text(bundled_result(portfolio).gap_high_t, "nb")


def test_an_import_reports_what_it_adds_and_refuses_and_stores_only_the_good_rows(store_path):
    header = "id,facility_id,title,kind,status,cut_t,scope,start_year,quote,source_url\n"
    good = "tiltak-a,src-elkem-thamshavn,Fangst (testdata),karbonfangst,vedtatt,1000,ets,2027,«1000 t},https://example.org/a\n"
    also = (
        "tiltak-b,src-norfrakalk,Elektrifisering (testdata),elektrifisering,idé,,,,«ingen tall},https://example.org/b\n"
    )
    bad = "tiltak-c,src-finnes-ikke,Feil (testdata),annet,idé,-3,ets,1800,«x},https://example.org/c\n"
    at = run()
    assert any("Legg til eller endre tiltak" in e.label for e in at.expander)
    uploader = next(u for u in at.file_uploader if u.key.startswith("ms_upload"))
    uploader.set_value(("tiltak.csv", (header + good + also + bad).encode(), "text/csv"))
    at = run(at)
    assert any("2 nye, 0 endret, 0 uendret, 1 avvist" in c.value for c in at.caption)
    refused = next(t.value for t in at.table if "Hvorfor avvist" in t.value.columns)
    assert refused.index.tolist() == ["tiltak\\-c"]  # escaped for st.table's Markdown
    # named by its line in a spreadsheet (header = line 1, so the third data row is line 4), and by its column
    assert refused["Linje i filen"].tolist() == [4]
    assert refused["Hvorfor avvist"].iloc[0].startswith("rad 4, kolonne «cut\\_t»")
    assert open_store().list() == []  # nothing stored before saving
    at.button(key="ms_import_save").click()
    at = run(at)
    stored = [i for i in open_store().list() if i.kind == "measures"]
    assert sorted(i.title for i in stored) == ["Tiltak: Elektrifisering (testdata)", "Tiltak: Fangst (testdata)"]
    rows = gap_rows(at)
    assert rows["Etter tiltak: + vedtatt eller under bygging"] != rows["Uten tiltak"]


def test_the_measure_filters_travel_in_the_link():
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.query_params["mst"] = "utredes"
    at.query_params["mkind"] = ["biogass", "brenselsbytte"]
    at = run(at)
    assert at.sidebar.multiselect(key="pf_m_statuses").value == ["utredes"]
    assert at.sidebar.multiselect(key="pf_m_kinds").value == ["biogass", "brenselsbytte"]


@pytest.mark.parametrize(
    ("layer", "feature_id", "titles"),
    [
        (
            "parks",
            "park-malm",
            {
                "Beitstadfjord SiSu-partnerskapet: biogass og biogjødsel ved Malm",
                "Malm Biogass: biogass av slam fra settefisk og husdyrgjødsel",
            },
        ),
        ("sources", "src-wacker-holla", {"Biokarbon i stedet for fossilt reduksjonsmiddel (Wacker Holla)"}),
    ],
)
def test_a_clicked_site_or_plant_on_the_map_lists_its_measures_with_quotes(layer, feature_id, titles):
    at = AppTest.from_file(str(config.ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["selected"] = Selection(layer, (feature_id,))
    at = run(at)
    table = next(df.value for df in at.dataframe if "Sitat fra kilden" in df.value.columns)
    assert set(table["Tiltak"]) == titles
    assert all("«" in quote for quote in table["Sitat fra kilden"])


def test_the_form_shows_the_picked_measure_and_a_change_keeps_its_other_fields(portfolio):
    store = open_store()
    stored = {
        "id": "tiltak-lagret",
        "site_id": "park-gronora",
        "facility_id": "src-elkem-thamshavn",
        "title": "Lagret tiltak (testdata)",
        "kind": "karbonfangst",
        "status": "utredes",
        "cut_t": 1234567,
        "scope": "ets",
        "start_year": 2028,
        "quote": "«1 234 567 tonn» (testdata)",
        "source_url": "https://example.org/testdata",
    }
    info = add_measure(store, stored, portfolio)
    at = run()
    at.selectbox(key="ms_pick").set_value("tiltak-malm-biogass")
    at = run(at)
    assert at.text_input(key="ms_f_title_tiltak-malm-biogass").value.startswith("Malm Biogass")
    at.selectbox(key="ms_pick").set_value("tiltak-lagret")
    at = run(at)
    assert at.text_input(key="ms_f_title_tiltak-lagret").value == "Lagret tiltak (testdata)"
    assert at.text_input(key="ms_f_cut_tiltak-lagret").value == "1234567"  # every digit kept
    at.selectbox(key="ms_f_status_tiltak-lagret").set_value("vedtatt")
    at.button(key="ms_f_submit_tiltak-lagret").click()
    at = run(at)
    assert [v.version for v in store.versions(info.id)] == [1, 2]
    changed = open_store().read(info.id).iloc[0]
    assert (changed["status"], changed["cut_t"], changed["site_id"], changed["start_year"]) == (
        "vedtatt",
        1234567.0,
        "park-gronora",
        2028,
    )


def test_no_2030_band_for_a_pollutant_that_is_not_a_greenhouse_gas():
    at = AppTest.from_file(str(config.ROOT / "pages/1_Utslipp.py"), default_timeout=90)
    at = run(at)
    at.selectbox(key="em_scope").set_value("nox")
    at = run(at)
    assert not any("porteføljens tiltak" in s.value for s in at.subheader)


def test_a_stored_measure_changes_no_key_figure_and_no_latest_figure(portfolio):
    before = run(AppTest.from_file(str(config.ROOT / "dashboard.py"), default_timeout=90))
    add_measure(
        open_store(),
        {
            "id": "tiltak-stort",
            "facility_id": "src-wacker-holla",
            "title": "Stort kutt (testdata)",
            "kind": "karbonfangst",
            "status": "i drift",
            "cut_t": 400_000,
            "scope": "ets",
            "start_year": 2023,
            "quote": "«400 000 tonn» (testdata)",
            "source_url": "https://example.org/testdata",
        },
        portfolio,
    )
    after = run(AppTest.from_file(str(config.ROOT / "dashboard.py"), default_timeout=90))
    assert [(m.label, m.value) for m in after.metric] == [(m.label, m.value) for m in before.metric]
    assert len(after.metric) >= 3


def test_each_chart_file_is_one_click_and_made_only_when_clicked(portfolio):
    at = run()
    buttons = {d.key: d for d in at.get("download_button")}
    assert {"pf_ms_png", "pf_ms_pdf", "pf_ms_pptx", "pf_ms_csv", "pf_ms_xlsx"} <= set(buttons)
    # The files themselves, as the buttons' functions make them on a click:
    result = bundled_result(portfolio)
    measures = all_measures(None, load_measures(portfolio=portfolio), portfolio).measures
    files = chart_files(result, measures, portfolio, ("Tittel (testdata)", "Undertittel"), "nb")
    assert files["png"]()[:4] == b"\x89PNG" and files["pdf"]()[:4] == b"%PDF"
    # each file says what it shows (WCAG 1.1.1, 3.1.1): the PNG in text chunks, the PDF in its information
    alt = chart_alt_text("Tittel (testdata)", "Undertittel", "nb")
    assert alt.startswith("Tittel (testdata). Undertittel.") and "XLSX" in alt
    with Image.open(io.BytesIO(files["png"]())) as png:
        assert png.text["Title"] == "Tittel (testdata)" and png.text["Description"] == alt
    pdf = PdfReader(io.BytesIO(files["pdf"]()))
    assert pdf.metadata.title == "Tittel (testdata)" and pdf.metadata.subject == alt
    assert pdf.trailer["/Root"]["/Lang"] == "nb"
    slide = Presentation(io.BytesIO(files["pptx"]())).slides[0]
    assert "Tittel (testdata)" in [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert set(load_workbook(io.BytesIO(files["xlsx"]())).sheetnames) == {"Tiltak", "Gap etter tiltak", "Kilder"}
    assert b"Biokarbon i stedet for fossilt reduksjonsmiddel" in files["csv"]()


def test_an_incomplete_form_names_every_missing_field_at_once_and_stores_nothing():
    at = run()
    at.button(key="ms_f_submit_new").click()
    at = run(at)
    errors = [e.value for e in at.error]
    fields = "«Tiltak», «Område eller anlegg», «Sitat fra kilden», «Kilde-URL»"
    assert errors == [f"Tiltaket er ikke lagret. Fyll ut {fields}, og lagre igjen."]
    assert open_store().list() == []


def test_the_import_template_is_the_shown_measures_in_the_files_own_columns_and_reads_back(portfolio):
    at = run()
    template = next(d for d in at.get("download_button") if d.key == "ms_template")
    assert template.proto.label == "Mal: tiltakene som vises (CSV)"
    shown = all_measures(None, load_measures(portfolio=portfolio), portfolio).measures
    plan = plan_import(measure_records_csv(csv_bytes(shown[list(MEASURE_COLUMNS)])), portfolio, shown)
    assert plan.unchanged == tuple(shown["id"]) and not plan.refused  # the template, saved as is, changes nothing
