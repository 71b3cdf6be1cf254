"""The emission-import page: an official export in, a summary, unmatched facilities placed, saved to the store."""

from __future__ import annotations

import pytest

from config import EDITOR_PASSWORD_ENV as PASSWORD_ENV
from config import ROOT
from i18n import error_text, t
from loaders.files.coordinates import CoordinateError, parse_coordinates
from loaders.official.imported import read_imported
from store import open_store
from tests.helpers.apptest import app, read_back

FIXTURES = ROOT / "tests" / "fixtures"


def import_page(name: str, fmt: str):
    at = app("pages/6_Importer_utslipp.py").run()
    at.radio(key="import_format").set_value(fmt).run()
    data = (FIXTURES / name).read_bytes()
    at.get("file_uploader")[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_norskeutslipp_export_with_a_placed_facility_reaches_the_store():
    at = import_page("norskeutslipp_testfixture.xlsx", "norskeutslipp")
    text = at.code[0].value
    assert "Rader lest" in text and "Fiktiv Testfabrikk Grønøra" in text
    at.text_input(key="import_place_text").input("63.3190, 9.8480").run()
    at.button(key="import_place_typed").click().run()
    assert not at.error
    at.button(key="import_save").click().run()
    assert not at.exception
    assert len(at.success) == 2  # the figures and the newly placed facility

    imported = read_imported(open_store())
    placed = imported.sources[imported.sources["facility"] == "Fiktiv Testfabrikk Grønøra"]
    assert len(placed) == 1
    assert (placed.geometry.iloc[0].x, placed.geometry.iloc[0].y) == pytest.approx((9.848, 63.319))
    assert set(placed["id"]) <= set(imported.figures["facility_id"])


def test_unreadable_coordinates_are_refused_and_nothing_is_placed():
    at = import_page("norskeutslipp_testfixture.xlsx", "norskeutslipp")
    at.text_input(key="import_place_text").input("9.848, 63.319").run()  # lon, lat: outside Norway
    at.button(key="import_place_typed").click().run()
    with pytest.raises(CoordinateError) as refused:
        parse_coordinates("9.848, 63.319", "33")
    field = t("import_coordinates", "nb")
    expected = t("import_coordinates_error", "nb", field=field, error=error_text(refused.value, "nb"))
    assert [read_back(e) for e in at.error] == [expected]
    assert "«Koordinater»" in expected and "utenfor Norge" in expected  # the field, and what is wrong
    at.button(key="import_save").click().run()
    kinds = sorted(i.kind for i in open_store().list())
    assert kinds == ["figures"]  # figures kept; no facility placed


def test_municipal_statistics_are_saved_as_their_own_kind():
    at = import_page("kommunestatistikk_testfixture.csv", "kommunestatistikk")
    assert not at.get("selectbox") or all(s.key != "import_place_key" for s in at.selectbox)
    at.button(key="import_save").click().run()
    assert [i.kind for i in open_store().list()] == ["municipal_statistics"]


def test_a_file_of_the_wrong_format_is_a_message_and_nothing_is_stored():
    at = import_page("kommunestatistikk_testfixture.csv", "norskeutslipp")
    assert at.error and "Traceback" not in at.error[0].value
    assert open_store().list() == []


def test_viewers_cannot_import(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "generated-secret")
    at = app("pages/6_Importer_utslipp.py").run()
    assert not at.get("file_uploader")
