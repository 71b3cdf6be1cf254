"""Localised messages have one system: every loader error and note is a code with params, rendered by i18n.

Every code the loaders raise or note (found in their source) has an English text (loaders/messages.py) and a
bokmål one (i18n.py); both render with no missing key, the bokmål has none of the English give-away words and
the English none of the Norwegian ones; the upload page in bokmål shows a bad file's message in bokmål only.
"""

from __future__ import annotations

import ast
import io
import string
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import config
import i18n
from i18n import error_text, t
from loaders import errors
from loaders.errors import FileFormatError, LayerError, SchemaError, TooManyFeatures, UnsafeArchive
from loaders.messages import ENGLISH, Message
from tests.helpers.apptest import read_back

ENGLISH_WORDS = (" the ", " is ", " must ", " file ", " not ", " expected ", " and ", " has ", " was ", " could ")
NORWEGIAN_WORDS = (" ikke ", " og ", " filen ", " skal ", " må ", " har ", " ble ", " kunne ")
LOADERS = config.ROOT / "loaders"
# Calls whose first argument is a message code; SchemaError/CellError take it as `expected` (third argument).
_CODE_FIRST = {"Message", "note", *(name for name in dir(errors) if name.endswith(("Error", "Archive", "CRS")))}
_CODE_FIRST |= {"CoordinateError", "BoundariesError", "MissingColumnError"}
_EXPECTED_THIRD = {"SchemaError", "CellError"}


def _codes_in_loaders() -> set[str]:
    """Every literal code the loaders pass to an error, a Message or ImportSummary.note."""
    codes = set()
    for path in LOADERS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call | ast.Assign):
                continue
            func = getattr(node, "func", None)
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            args = getattr(node, "args", ())
            literal = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args]
            if name in _EXPECTED_THIRD and len(literal) >= 3 and literal[2]:
                codes.add(f"expected_{literal[2]}")
            elif name in _CODE_FIRST - {"MissingColumnError"} and literal and literal[0]:
                codes.add(literal[0])
            for keyword in getattr(node, "keywords", ()):
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    codes.add(keyword.value.value)
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(n, ast.Name) and n.id == "_CODE" for n in node.targets)
                and isinstance(node.value, ast.Constant)
                and node.value.value
            ):
                codes.add(node.value.value)
    return codes


def _sample(code: str) -> Message:
    """The message `code` with every placeholder of its English and bokmål texts filled by a neutral value."""
    names = set()
    for text in (ENGLISH[code], i18n._MESSAGES_NB[code]):
        names |= {field for _, field, _, _ in string.Formatter().parse(text) if field}
    params: dict[str, object] = {}
    for name in names:
        base = name.removesuffix("_part")
        if base == "label":
            params[base] = Message("label_zip")
        elif base == "expected":
            params[base] = "text"
        elif base == "what":
            params[base] = "the_layer"
        elif base == "kind":
            params[base] = "parks"
        else:
            params[base] = 7
    return Message(code, **params)


def test_every_code_the_loaders_use_has_both_texts():
    used = _codes_in_loaders()
    assert len(used) > 150
    assert used <= set(ENGLISH), sorted(used - set(ENGLISH))
    assert set(ENGLISH) == set(i18n._MESSAGES_NB)


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_each_code_renders_in_both_languages(code):
    message = _sample(code)
    nb, en = error_text(message, "nb"), error_text(message, "en")
    assert en == str(message)
    for text in (nb, en):
        assert "{" not in text and "}" not in text
    padded_nb, padded_en = f" {nb.casefold()} ", f" {en.casefold()} "
    assert not [w for w in ENGLISH_WORDS if w in padded_nb], nb
    assert not [w for w in NORWEGIAN_WORDS if w in padded_en], en


def test_errors_are_codes_and_plain_params_and_str_is_english():
    error = SchemaError(3, "id", "unique", "x", what="the_layer")
    assert (error.code, error.params["expected"], error.params["feature"]) == ("field_expected", "unique", 3)
    assert str(error) == "feature 3: field 'id' must be unique within the layer, got 'x'"
    assert error_text(error, "nb") == "objekt 3: feltet «id» skal være unik i laget, fant 'x'"
    too_many = TooManyFeatures(12_345, 10_000)
    assert too_many.params == {"count": 12_345, "limit": 10_000}
    assert error_text(too_many, "nb").startswith("laget har 12\u00a0345 objekter")
    assert str(too_many).startswith("the layer has 12,345 features")
    assert isinstance(FileFormatError("file_empty"), LayerError)
    # i18n is duck-typed: anything with a code and params renders; everything else is str().
    assert error_text(ValueError("plain"), "nb") == "plain"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("generated_bomb.geojson", b" " * (8 * 1024 * 1024))  # packs about 1000 times
    return buffer.getvalue()


BOKMAL_CASES = {
    "empty": (b"", "generated_empty.geojson", FileFormatError("file_empty")),
    "zip bomb": (_zip_bomb(), "generated_bomb.zip", None),
    "json not geojson": (b'{"hello": "world"}', "generated_not_geojson.json", None),
}


@pytest.mark.parametrize("case", list(BOKMAL_CASES))
def test_upload_page_in_bokmal_shows_a_bad_file_in_bokmal_only(case):
    data, filename, expected = BOKMAL_CASES[case]
    at = AppTest.from_file(str(Path(config.ROOT) / "pages/3_Last_opp.py"), default_timeout=60).run()
    at.get("file_uploader")[0].set_value((filename, data, "application/octet-stream")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1
    shown = read_back(at.error[0])
    assert shown.startswith(t("upload_error", "nb", error="").strip())
    if expected is not None:
        assert shown == t("upload_error", "nb", error=error_text(expected, "nb"))
    if case == "zip bomb":
        assert "zip-bombe" in shown
    padded = f" {shown.casefold()} "
    assert not [w for w in ENGLISH_WORDS if w in padded], shown


def test_unsafe_archive_renders_its_label_in_the_same_language():
    error = UnsafeArchive("archive_link", label=Message("label_member", member="a.kmz"), member="b")
    assert error_text(error, "nb") == "«a.kmz» i zip-filen har en symbolsk lenke («b»); den ble ikke pakket ut"
    assert str(error) == "'a.kmz' in the zip holds a symbolic link ('b'); it was not unpacked"


def test_streamlit_uploader_texts_are_replaced_in_both_languages():
    from ui.widget_texts import uploader_css

    css = uploader_css("nb", ["geojson", "csv"], 200)
    assert 'content: "Last opp fil"' in css and 'content: "Høyst 200 MB per fil • GEOJSON, CSV"' in css
    assert '[data-testid="stFileUploaderDropzoneInstructions"]' in css
    english = uploader_css("en", ["csv"], 200)
    assert 'content: "Upload file"' in english and 'content: "200 MB per file • CSV"' in english
    # our text goes on the button's label only, not on every button in the drop zone (the chip's remove icon)
    assert "button::after" not in css


def test_times_are_shown_in_oslo_time():
    from datetime import UTC, datetime

    from i18n import fmt_time

    assert fmt_time(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "2026-07-01 12:00"  # summer time
    assert fmt_time(datetime(2026, 12, 1, 10, 0)) == "2026-12-01 11:00"  # naive: UTC


def test_the_scale_bar_is_metric_only():
    from maps.build import new_map

    html = new_map().get_root().render()
    assert "L.control.scale({imperial: false})" in html
    assert "L.control.scale()" not in html


def test_every_selectbox_and_multiselect_has_our_placeholder():
    """Streamlit's own "Choose an option" shows while a choice is being typed or is empty: ours everywhere."""
    import ast

    import config

    missing = []
    for path in sorted([*(config.ROOT / "ui").glob("*.py"), *(config.ROOT / "pages").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("selectbox", "multiselect"):
                keywords = {k.arg for k in node.keywords}
                if "placeholder" not in keywords and None not in keywords:  # **options carry their own
                    missing.append(f"{path.name}:{node.lineno}")
    assert not missing, missing
