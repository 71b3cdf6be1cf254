"""The EU ETS importer: next years by import, through the command line and the import page.

The 2023 tables are generated here from the shared table's layout (made-up numbers, "generated" in their names).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import config
import ui.emissions_data as emissions_data
from analysis import emissions as em
from analysis.filters import Filters, apply_filters
from analysis.kpi import key_figures
from i18n import error_text
from loaders.errors import LayerError
from loaders.official import eutl
from loaders.official.eutl import read_eutl
from loaders.official.imported import combine_figures, read_imported, save_import
from loaders.official.importing import summary_lines
from store import open_store
from tests.helpers import ets_fixtures as gen
from tests.helpers.apptest import app, js_unescaped
from tests.helpers.hostile_text import EVALUATED, assert_literal, corpus


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=config.ROOT, env=os.environ.copy(), capture_output=True, text=True
    )


def test_the_whole_norwegian_table_matches_the_bundled_installations_by_their_ids(portfolio, shared_geodata):
    result = read_eutl(shared_geodata / gen.EUTL, portfolio.sources)
    summary = result.summary
    assert (summary.matched, summary.unmatched) == (11, 0)
    assert summary.matched_by == {"eutl_id": 11}
    assert set(result.facilities["facility_id"]) <= set(portfolio.sources["id"])
    skipped = {str(reason): count for reason, count in summary.skipped.items()}
    assert skipped["aircraft operator, not an installation"] == 13
    # Offshore fields, Follum, Moss, Gardermoen, Tjeldbergodden …: each with its reason in geodata/ets_excluded.csv
    # (its two aircraft operators count as aircraft).
    assert skipped[str(eutl.EXCLUDED)] == 13
    # Re-reading the bundled years gives the bundled figures, no more and no less.
    bundled = portfolio.figures[portfolio.figures["scope"] == "ets"]
    assert len(result.figures) == len(bundled)


def test_a_generated_2023_release_through_the_cli_adds_2023_and_changes_nothing_else(
    portfolio, shared_geodata, tmp_path
):
    path = tmp_path / "generated_eutl_2023.csv"
    made = gen.generated_2023(shared_geodata, path)
    dry = cli("ingest", str(path), "--format", "eutl", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert open_store().list() == []  # a dry run stores nothing

    done = cli("ingest", str(path), "--format", "eutl")
    assert done.returncode == 0, done.stderr
    assert "Facilities: 10 (10 matched to known facilities: EUTL id 10; 0 unmatched" in done.stdout
    assert [i.kind for i in open_store().list()] == ["figures"]

    imported = read_imported(open_store())
    assert set(imported.figures["year"]) == {2023} and set(imported.figures["scope"]) == {"ets"}
    ids = portfolio.sources.set_index("id")["eutl_id"]
    for row in imported.figures.to_dict("records"):
        assert row["amount_t"] == made[row["eutl_id"]]
        assert row["eutl_id"] in ids[row["facility_id"]]
    combined = combine_figures(portfolio.figures, imported.figures)
    assert em.duplicate_figures(combined, "ets").empty  # nothing bundled is superseded or set aside
    before = portfolio.figures.reset_index(drop=True)
    pd.testing.assert_frame_equal(combined.iloc[: len(before)][before.columns], before, check_dtype=False)
    view = apply_filters(portfolio.__class__(**{**portfolio.__dict__, "figures": combined}), Filters())
    kpi = key_figures(view)
    assert (kpi.scope, kpi.year) == ("ets", 2023)
    assert kpi.total_t == pytest.approx(sum(made[i] for i in imported.figures["eutl_id"]))


def test_the_commissions_yearly_workbook_is_read_too(portfolio, tmp_path):
    """The European Commission's verified_emissions_YYYY_en.xlsx: a title block, upper-case columns, other countries."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Generated test workbook in the layout of the Commission's verified emissions table"])
    sheet.append([])
    sheet.append(
        [
            "REGISTRY_CODE",
            "INSTALLATION_IDENTIFIER",
            "INSTALLATION_NAME",
            "PERMIT_IDENTIFIER",
            "MAIN_ACTIVITY_TYPE_CODE",
            "ALLOCATION_2023",
            "VERIFIED_EMISSIONS_2023",
            "CMPL_CODE_2023",
        ]
    )
    sheet.append(["NO", 203893, "Elkem Thamshavn", "NO-2011-1329", 28, 150000, 200001, "A"])
    sheet.append(["NO", 203944, "AS Rockwool Avd. Trondheim", "NO-2011-1360", 33, "n/a", "Excluded", "-"])
    sheet.append(["DE", 203893, "Generated namesake in Germany", "DE-1", 20, 1, 2, "A"])
    path = tmp_path / "generated_verified_emissions_2023_en.xlsx"
    book.save(path)
    result = read_eutl(path, portfolio.sources)
    rows = result.figures[["facility_id", "year", "amount_t", "free_allocation_t", "compliance_code"]]
    assert rows.values.tolist() == [["src-elkem-thamshavn", 2023, 200001.0, 150000.0, "A"]]
    skipped = {str(k): v for k, v in result.summary.skipped.items()}
    assert skipped == {"outside Norway": 1, "no verified emissions in any year": 1}  # "Excluded" is no figure


def test_na_is_no_figure_and_a_reported_zero_stays_zero(tmp_path):
    path = gen.write(
        tmp_path / "generated_zero_and_na.csv",
        [
            gen.installation("990001", "Generated Nullverk", VerifiedEmissions_2023="0", FreeAllocations_2023="NA"),
            gen.installation("990002", "Generated Tomverk", VerifiedEmissions_2023="NA", ComplianceCode_2023="NA"),
            gen.installation("990003", "Generated Blankverk", VerifiedEmissions_2023=""),
        ],
    )
    result = read_eutl(path, None, excluded={})
    figures = result.figures.set_index("eutl_id")
    assert figures.loc["990001", "amount_t"] == 0.0 and figures["free_allocation_t"].isna().all()
    assert set(figures.index) == {"990001"}  # NA and empty are no figure: never a 0
    assert result.summary.unmatched_names == ["Generated Nullverk"]  # in Orkanger: to be placed


def _bad(tmp_path, name: str) -> object:
    good = gen.installation("990010", "Generated Godverk", VerifiedEmissions_2023="100")
    if name == "another_layout":
        return config.ROOT / "tests" / "fixtures" / "eea_f1_4_testfixture.csv"
    if name == "text_in_a_year_column":
        rows = [good, gen.installation("990011", "Generated Tekstverk", VerifiedEmissions_2023="omtrent 500")]
    elif name == "year_column_without_a_year":
        rows, columns = [good], [*gen.IDENTITY, "VerifiedEmissions_20x3"]
        return gen.write(tmp_path / f"generated_{name}.csv", rows, columns)
    elif name == "negative_emissions":
        rows = [good, gen.installation("990012", "Generated Minusverk", VerifiedEmissions_2023="-5")]
    elif name == "repeated_installation_id":
        rows = [good, gen.installation("990010", "Generated Dobbeltverk", VerifiedEmissions_2023="7")]
    elif name == "empty_file":
        path = tmp_path / f"generated_{name}.csv"
        path.write_bytes(b"")
        return path
    else:  # over the upload limit: checked by its size before a byte is parsed
        rows = [good] * 1
    return gen.write(tmp_path / f"generated_{name}.csv", rows)


BAD = {
    "another_layout": "no_header",
    "text_in_a_year_column": "cell_expected",
    "year_column_without_a_year": "cell_expected",
    "negative_emissions": "cell_expected",
    "repeated_installation_id": "eutl_repeated_id",
    "empty_file": "named_file_empty",
    "over_the_upload_limit": "upload_too_large",
}


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_is_a_typed_error_in_both_languages_and_stores_nothing(name, tmp_path, portfolio, monkeypatch):
    path = _bad(tmp_path, name)
    if name == "over_the_upload_limit":
        monkeypatch.setattr(eutl, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(LayerError) as refused:
        read_eutl(path, portfolio.sources)
    assert refused.value.code == BAD[name]
    nb, en = error_text(refused.value, "nb"), error_text(refused.value, "en")
    assert nb and en and nb != en and "Traceback" not in nb + en
    if name == "over_the_upload_limit":
        return  # the command line reads the limit from config in its own process
    store = open_store()
    kept = store.save(portfolio.sources.head(1), "Generated layer already stored", "sources")
    result = cli("ingest", str(path), "--format", "eutl")
    assert result.returncode == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert [(i.id, i.version) for i in store.list()] == [(kept.id, kept.version)]  # nothing else stored


def test_the_messages_name_what_is_wrong(tmp_path, portfolio):
    with pytest.raises(LayerError) as text:
        read_eutl(_bad(tmp_path, "text_in_a_year_column"), portfolio.sources)
    assert "VerifiedEmissions_2023" in str(text.value) and "omtrent 500" in str(text.value)
    with pytest.raises(LayerError) as repeated:
        read_eutl(_bad(tmp_path, "repeated_installation_id"), portfolio.sources)
    assert "990010" in error_text(repeated.value, "nb") and "to ganger" in error_text(repeated.value, "nb")
    with pytest.raises(LayerError) as named:
        read_eutl(_bad(tmp_path, "year_column_without_a_year"), portfolio.sources)
    assert "VerifiedEmissions_20x3" in str(named.value)


@pytest.fixture
def sentinel(tmp_path_factory):
    return tmp_path_factory.mktemp("generated_sentinel")


def test_hostile_text_in_the_file_is_data_everywhere_it_shows(tmp_path, portfolio, sentinel, monkeypatch):
    texts = corpus(sentinel)
    rows = [
        gen.installation(
            str(990100 + i),
            text,
            city="Trondheim",
            zip_code="7011",
            AccountHolderName=text,
            PermitOrPlanID=text[:80],
            VerifiedEmissions_2023=str(1000 + i),
            FreeAllocations_2023="10",
            ComplianceCode_2023=text[:40],
        )
        for i, text in enumerate(texts)
    ]
    path = gen.write(tmp_path / "generated_hostile_eutl.csv", rows)
    result = read_eutl(path, portfolio.sources)
    assert result.facilities["name"].tolist() == texts  # as written: never cleaned, never run
    lines = "\n".join(summary_lines(result, lambda m: error_text(m, "nb")))
    assert_literal(lines, sentinel)

    store = open_store()
    save_import(store, result, texts[0])
    imported = read_imported(store)
    assert sorted(imported.figures["facility_name"]) == sorted(texts)
    monkeypatch.setattr(emissions_data, "load_imported", lambda: imported)
    monkeypatch.setenv("INDUSTRIKART_BOUNDARIES", "")
    at = AppTest.from_file(str(config.ROOT / "pages/1_Utslipp.py"), default_timeout=90).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.select_slider(key="em_year").value == 2023  # the import's year is the newest
    shown = js_unescaped(
        "\n".join(
            [str(e.value) for e in at.get("markdown") + at.get("caption") + at.get("text")]
            + [json.dumps(json.loads(c.proto.json_args)) for c in at.get("component_instance")]
            + [df.value.to_json(force_ascii=False) for df in at.dataframe]
        )
    )
    assert EVALUATED not in shown and not any(sentinel.iterdir())
    assert "{{ 7*191919 }}" in shown  # the unplaced installations are listed by their names, as written


def test_the_import_page_places_an_unknown_installation_and_saves_2023(portfolio, shared_geodata, tmp_path):
    extra = [gen.installation("990200", "Generated Testverk Grønøra", VerifiedEmissions_2023="4321")]
    path = tmp_path / "generated_eutl_2023_with_new.csv"
    gen.generated_2023(shared_geodata, path, extra)
    at = app("pages/6_Importer_utslipp.py").run()
    at.radio(key="import_format").set_value("eutl").run()
    at.get("file_uploader")[0].set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    text = at.code[0].value
    assert "Anlegg: 11 (10 koblet til kjente anlegg: EUTL-id 10; 1 ikke koblet" in text
    assert "Generated Testverk Grønøra" in text
    at.text_input(key="import_place_text").input("63.3190, 9.8480").run()
    at.button(key="import_place_typed").click().run()
    at.button(key="import_save").click().run()
    assert not at.exception and len(at.success) == 2  # the figures and the newly placed installation
    imported = read_imported(open_store())
    placed = imported.sources[imported.sources["facility"] == "Generated Testverk Grønøra"]
    assert len(placed) == 1 and set(placed["id"]) <= set(imported.figures["facility_id"])
    assert set(imported.figures["year"]) == {2023}
