"""Spreadsheet formula injection: every CSV and XLSX the app writes, read back, holds no live formula.

Each writer gets a table with formula-like texts, an ordinary text, floats (one of them -5.5) and ints
(one of them -5). Read back with the csv module, pandas and openpyxl, the formula-like texts carry a
leading ', the ordinary text is untouched and the numbers are still numbers equal to the input.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import config
import ui.tables
from analysis.filters import Filters, apply_filters
from exports.data import export_data
from exports.tables import FORMULA_STARTS, csv_bytes, neutralise, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x","klikk")', "+1+1", "-2+3", "@SUM(1)", "\tx", "\rx"]
NORMAL = "Vanlig tekst – ø"
TEXTS = [*HOSTILE, NORMAL]
FLOATS = [-5.5, 0.25, 1.5, 2.0, 1e6, -0.75, 123456.7]
INTS = [-5, 0, 1, 2021, 2022, 7, 42]


def hostile_table(text: str = "Tekst", number: str = "Tonn", count: str = "Antall") -> pd.DataFrame:
    return pd.DataFrame({text: TEXTS, number: FLOATS, count: INTS})


def expected_texts(xml: bool = False) -> list[str]:
    """The texts as they should come back, in CSV and XLSX alike: formula-like ones with a leading apostrophe
    (a carriage return comes back as written from XLSX too)."""
    return ["'" + v if v in HOSTILE else v for v in TEXTS]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_csv(data: bytes, text: str = "Tekst", number: str = "Tonn", count: str = "Antall") -> None:
    """The first len(TEXTS) rows of a CSV hold the hostile table, neutralised, numbers as numbers."""
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert {text, number, count} <= set(header)
    for cell in (c for r in rows for c in r):
        assert is_number(cell) or not cell.startswith(FORMULA_STARTS), repr(cell)
    assert [r[text] for r in body[: len(TEXTS)]] == expected_texts()
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert pd.api.types.is_float_dtype(frame[number]) and pd.api.types.is_integer_dtype(frame[count])
    assert list(frame[number][: len(FLOATS)]) == FLOATS
    assert list(frame[count][: len(INTS)]) == INTS


def check_xlsx(data: bytes, sheet_name: str, text: str = "Tekst", number: str = "Tonn", count: str = "Antall"):
    """The sheet holds the hostile table, neutralised and as text; no sheet of the workbook has a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for cell in (c for ws in workbook.worksheets for row in ws.iter_rows() for c in row):
        assert cell.data_type != "f"
        assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)), repr(cell.value)
    sheet = workbook[sheet_name]
    header = [c.value for c in sheet[1]]
    body = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, max_row=len(TEXTS) + 1)]
    assert [r[text].value for r in body] == expected_texts(xml=True)
    assert all(r[text].data_type == "s" for r in body)
    for row, expected in zip(body, FLOATS, strict=True):
        cell = row[number]
        assert cell.data_type == "n" and isinstance(cell.value, int | float) and cell.value == expected
    for row, expected in zip(body, INTS, strict=True):
        cell = row[count]
        assert cell.data_type == "n" and type(cell.value) is int and cell.value == expected


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """The bytes of every st.download_button an AppTest run makes, by file name (a deferred one's callable is
    called, as a click would)."""
    files: dict[str, bytes] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def recording_add(self, data, *args, **kwargs):
        files[kwargs.get("file_name")] = data
        return add(self, data, *args, **kwargs)

    def recording_add_deferred(self, data_callable, *args, **kwargs):
        files[kwargs.get("file_name")] = data_callable()
        return add_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", recording_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_add_deferred)
    return files


# --- the one writer -------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_prefixes_formula_like_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [NORMAL, "", "a=b", "'=1", -5, -5.5, None])
def test_neutralise_leaves_everything_else(value):
    assert neutralise(value) == value


def test_a_workbook_takes_text_with_characters_xml_cannot_hold():
    """A bell (U+0007) or U+FFFF in uploaded text made openpyxl refuse the whole workbook."""
    table = pd.DataFrame({"navn": ["Møte\x07 i Orkland", "x\uffff", "=1+1\x00"], "tonn": [1.0, 2.0, 3.0]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"data": table})))
    values = [row[0] for row in book["data"].iter_rows(min_row=2, values_only=True)]
    assert values == ["Møte\ufffd i Orkland", "x\ufffd", "'=1+1\ufffd"]


def test_csv_bytes_neutralises_text_and_keeps_numbers():
    check_csv(csv_bytes(hostile_table()))


def test_csv_bytes_neutralises_string_categorical_and_object_columns_and_headers():
    table = hostile_table()
    table["string"] = pd.array(TEXTS, dtype="string")
    table["category"] = pd.Categorical(TEXTS)
    table["mixed"] = pd.Series([-5, *HOSTILE[1:], None], dtype=object)
    table["=1+1"] = NORMAL
    data = csv_bytes(table)
    check_csv(data)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame["string"]) == list(frame["category"]) == expected_texts()
    assert list(frame["mixed"]) == ["-5", *expected_texts()[1:-1], ""]
    assert "'=1+1" in frame.columns


def test_xlsx_bytes_neutralises_text_keeps_numbers_and_sheet_names():
    long_name = "Et veldig langt arknavn som er over grensen"
    data = xlsx_bytes({"data": hostile_table(), long_name: hostile_table("A", "B", "C")})
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["data", long_name[:31]]
    check_xlsx(data, "data")
    check_xlsx(data, long_name[:31], "A", "B", "C")


def test_xlsx_bytes_writes_missing_values_as_empty_cells_and_headers_as_text():
    table = hostile_table()
    table["=SUM(1)"] = pd.array([None, *INTS[1:]], dtype="Int64")
    table["tekst"] = pd.array([None, *TEXTS[1:]], dtype="string")
    table.loc[0, "Tonn"] = float("nan")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"data": table})))["data"]
    assert [c.value for c in sheet[1]] == ["Tekst", "Tonn", "Antall", "'=SUM(1)", "tekst"]
    assert [c.value for c in sheet[2]][1:] == [None, -5, None, None]
    assert sheet["D3"].value == INTS[1] and sheet["E3"].value == "'+1+1"


# --- the call sites -------------------------------------------------------------------------


def _download_buttons_page(table):
    from ui.downloads import download_buttons

    download_buttons(table, "test", "nb")


def test_emissions_download_buttons_write_through_the_one_writer(downloads):
    at = AppTest.from_function(_download_buttons_page, args=(hostile_table(),), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    check_csv(downloads["industrikart_test.csv"])
    check_xlsx(downloads["industrikart_test.xlsx"], "data")


def test_emissions_downloads_are_written_only_when_clicked(monkeypatch):
    import ui.downloads

    written = []
    monkeypatch.setattr(ui.downloads, "csv_bytes", lambda table: written.append("csv") or b"")
    monkeypatch.setattr(ui.downloads, "xlsx_bytes", lambda sheets: written.append("xlsx") or b"")
    at = AppTest.from_function(_download_buttons_page, args=(hostile_table(),), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert written == []  # a rerun writes no file; the button's click does


def test_data_and_sources_page_csv_downloads_are_neutralised(downloads, monkeypatch):
    for name in ("parks_table", "sources_table", "members_table"):
        monkeypatch.setattr(ui.tables, name, lambda view, lang: hostile_table())
    at = AppTest.from_file(str(config.ROOT / "pages/5_Data_og_kilder.py"), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    for kind in ("parks", "sources", "members"):
        check_csv(downloads[f"industrikart_{kind}.csv"])


@pytest.fixture(scope="module")
def hostile_view(portfolio):
    """The bundled view with the hostile texts as park names and a float and an int column added."""
    view = apply_filters(portfolio, Filters())
    parks = view.parks.copy()
    rest = range(len(parks) - len(TEXTS))
    parks["name"] = TEXTS + [f"Park {i}" for i in rest]
    parks["tonn"] = FLOATS + [float(i) for i in rest]
    parks["antall"] = INTS + list(rest)
    return replace(view, parks=parks)


def test_data_export_csv_is_neutralised(hostile_view):
    with zipfile.ZipFile(io.BytesIO(export_data(hostile_view, "csv", "nb"))) as archive:
        check_csv(archive.read("parks.csv"), "name", "tonn", "antall")
        for name in ("sources.csv", "members.csv", "sources_licence.csv"):
            data = archive.read(name)
            assert all(
                is_number(c) or not c.startswith(FORMULA_STARTS)
                for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
                for c in r
            )


@pytest.mark.parametrize(("lang", "sheet"), [("nb", "Parker"), ("en", "Parks")])
def test_data_export_xlsx_is_neutralised(hostile_view, lang, sheet):
    check_xlsx(export_data(hostile_view, "xlsx", lang), sheet, "name", "tonn", "antall")
