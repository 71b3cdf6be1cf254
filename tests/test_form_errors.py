"""Form errors name the field as the form labels it and say how to put it right (WCAG 3.3.1, 3.3.3), in bokmål and
English: a file the upload page cannot use, and a measure sent with required fields left empty."""

from __future__ import annotations

import pytest

from i18n import t
from tests.helpers.apptest import app, read_back

NO_COORDINATES = b"navn;verdi\nGenerert anlegg;1\n"  # a table with no coordinate columns


def upload_page(lang: str):
    at = app("pages/3_Last_opp.py").run()
    if lang != "nb":
        at.sidebar.radio(key="lang").set_value(lang).run()
    return at


@pytest.mark.parametrize(
    ("lang", "fix", "expected"),
    [("nb", "Rett filen", "ventet lat/lon"), ("en", "Correct the file", "expected lat/lon")],
)
def test_a_form_error_names_the_field_and_the_fix(lang, fix, expected):
    at = upload_page(lang)
    at.get("file_uploader")[0].set_value(("generated_no_coordinates.csv", NO_COORDINATES, "text/csv")).run()
    assert not at.exception
    errors = [read_back(e) for e in at.error]
    assert len(errors) == 1, errors
    shown = errors[0]
    field = t("upload_file", lang)
    assert shown.startswith(f"«{field}»" if lang == "nb" else f"“{field}”"), shown  # the field, as labelled
    assert expected in shown  # what the file should have had
    assert fix in shown  # and what to do


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_coordinate_error_names_its_field_and_the_form_to_type(lang):
    shown = t("import_coordinates_error", lang, field=t("import_coordinates", lang), error="x")
    assert t("import_coordinates", lang) in shown and "63.3208, 9.8783" in shown and "UTM" in shown
