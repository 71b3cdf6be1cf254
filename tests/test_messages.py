"""Every text has one home, the catalogues in locales/, in both languages, and every code in use has a text.

Babel's extractor (babel.messages.extract) finds the keys the app passes to `t` and the codes it passes to
`Message`, the coded errors and `ImportSummary.note`; a key or code in use without a text fails, and so does a
text no code uses. Both catalogues hold the same msgids with the same placeholders; each message renders in both
languages with no missing param, the bokmål has none of the English give-away words and the English none of the
Norwegian ones; the upload page in bokmål shows a bad file's message in bokmål only.
"""

from __future__ import annotations

import io
import string
import zipfile
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from streamlit.testing.v1 import AppTest

import config
from analysis import errors as analysis_errors
from core.messages import CodedError, Message
from exports import errors as export_errors
from i18n import error_text, t
from i18n.catalogue import LANGUAGES, catalogue
from loaders import errors
from loaders.errors import FileFormatError, LayerError, SchemaError, TooManyFeatures, UnsafeArchive
from store import errors as store_errors
from tests.helpers.apptest import read_back
from ui.upload_form import file_error

ENGLISH_WORDS = (" the ", " is ", " must ", " file ", " not ", " expected ", " and ", " has ", " was ", " could ")
NORWEGIAN_WORDS = (" ikke ", " og ", " filen ", " skal ", " må ", " har ", " ble ", " kunne ")
APP_DIRS = ("ogc", "ui", "pages", "maps", "exports", "analysis", "loaders", "store", "core", "i18n")
# Calls whose first argument is a message code (a `msg_<code>` text): notes, and every coded error class ...
_ERROR_MODULES = (errors, store_errors, analysis_errors, export_errors)
_CODE_CALLS = {"Message", "note", "__init__", "CodedError", "CoordinateError", "BoundariesError"}
_CODE_CALLS |= {
    name
    for module in _ERROR_MODULES
    for name, value in vars(module).items()
    if isinstance(value, type) and issubclass(value, CodedError)
}
_CODE_CALLS -= {"MissingColumnError", "SchemaError", "CellError"}
# ... and the schema errors, whose third argument names a `msg_expected_<value>` text.
_EXPECTED_CALLS = {"SchemaError", "CellError"}

# Texts whose key the code builds from a value (f"scope_{code}", "ms_status_" + status) or passes as a keyword
# or class attribute, which an extractor cannot see: a text counts as used when its key starts with one of these.
DYNAMIC = {
    # values of the data and of core.schema / core.pollutants, each with its text
    "scope_": "a figure's scope or pollutant code (core.pollutants, core.schema)",
    "status_": "a park's status (core.schema)",
    "a11y_status_": "a criterion's status in the accessibility statement (core/accessibility.toml)",
    "precision_": "a place's location precision (core.schema.LOCATION_PRECISIONS)",
    "resource_": "a flow's resource (bundled flows, analysis.candidates)",
    "flow_status_": "a flow's status",
    "role_": "a cluster membership's role",
    "access_": "what a signed-in person may do (core.roles.Role, ui/access.py)",
    "audit_action_": "an audit log line's action (exports/audit_table.py ACTIONS)",
    "audit_outcome_": "an audit log line's outcome (exports/audit_table.py OUTCOMES)",
    "audit_col_": "the audit table's column headings (exports/audit_table.py COLUMNS)",
    "admin_role_": "a role in the role rules editor (core.roles.Role, ui/audit.py)",
    "search_role_": "a membership role in a search hit (i18n.labels)",
    "search_hit_": "the layer of a search hit (i18n.labels)",
    "theme_": "a park theme as the bundled data names it (i18n.labels)",
    "basemap_": "config.BASEMAPS' keys",
    "layer_": "the map layers' names",
    "map_count_": "how many features of a map layer the map shows (ui/feature_list.py)",
    "kind_": "an upload's or a stored layer's kind (core.schema.UPLOAD_KINDS, store kinds)",
    "field_": "a layer field's label (core.schema)",
    "crs_source_": "how a layer's CRS was settled (loaders.upload)",
    "ms_kind_": "a measure's kind (loaders.bundled.measures.MEASURE_KINDS)",
    "ms_status_": "a measure's status (MEASURE_STATUSES)",
    "ms_group_": "a measure's group on the path",
    "ms_origin_": "where a measure comes from (bundled, stored, changed)",
    "ms_reason_": "why a measure is left out of the path (analysis.measures)",
    "ms_form_": "the measure form's two modes",
    "pf_sector_": "a member's sector group (analysis.portfolio)",
    "pf_basis_": "what a member's sector is read from",
    "pf_kind_": "a portfolio layer",
    "pf_show_": "the portfolio map's layer toggles",
    "export_": "an export's format, sheet, heading or view part (exports/, ui/export_panel)",
    "download_": "a download's format",
    "import_format_": "an official import's format (loaders.official)",
    "em_source_": "an emission figure's source kind",
    "em_basis_": "what the emission totals are built from",
    "em_group_": "a pollutant group",
    "em_no_baseline_": "why there is no baseline (analysis.emissions)",
    "em_reason_": "why the municipal statistics are not shown",
    "em_series_": "the emission series' titles",
    "em_register_": "the point-source register",
    "editor_minutes_": "the editor's session time",
    "editor_seconds_": "the editor's session time",
    "stage_": "an upload's progress stage (loaders.upload)",
    "basis_": "a figure's basis (stated, planned)",
    # coded messages composed by i18n.messages from a param's value
    "msg_part_": "a message's optional piece for a given param ({name_part})",
    "msg_none_": "a message's piece for a param given as None",
    "msg_what_": "a `what` param's text",
    "msg_kind_": "a `kind` param's text",
    "msg_expected_": "a schema error's `expected` param",
    "msg_rule_": "a facility matching rule (loaders.official.matching.MATCH_RULES)",
    "msg_json_": "what a JSON document's top holds (loaders.files)",
    "msg_lands_": "where a CRS candidate lands (loaders.files.crs)",
    "msg_axes_": "a CRS candidate's axis order",
    # codes given as a keyword (code="...") or a class attribute (_CODE), or as a default
    "msg_too_many_": "LayerTooLarge's subclasses name theirs in _CODE",
    "msg_field_expected": "SchemaError's default code",
    "msg_cell_expected": "CellError's code, a keyword",
    "msg_missing_column": "MissingColumnError's code, a keyword",
    "msg_outside_trondelag": "a SchemaError code, a keyword",
    "msg_unit_bytes": "i18n.numbers.fmt_size",
    "msg_count": "ImportSummary's count line",
}


def _app_files() -> list[Path]:
    """The app's modules: the top-level ones (dashboard.py, config.py) and those of its packages."""
    return sorted([*config.ROOT.glob("*.py"), *(p for d in APP_DIRS for p in (config.ROOT / d).rglob("*.py"))])


@cache
def _extracted() -> dict[str, dict[str, list[str]]]:
    """Per kind of call ("t", "code", "expected"): the literal strings the app passes as its key, with where."""
    found: dict[str, dict[str, list[str]]] = {"t": {}, "code": {}, "expected": {}}
    names = {"t", *_CODE_CALLS, *_EXPECTED_CALLS}
    for path in _app_files():
        with path.open("rb") as fileobj:
            for line, name, args, _comments in extract_python(fileobj, names, (), {}):
                args = args if isinstance(args, tuple) else (args,)
                kind, index = ("t", 0) if name == "t" else ("expected", 2) if name in _EXPECTED_CALLS else ("code", 0)
                if len(args) > index and args[index]:
                    found[kind].setdefault(args[index], []).append(f"{path.relative_to(config.ROOT)}:{line}")
    return found


def _keys_in(text: str, known: set[str]) -> list[str] | None:
    """`text` as the keys it is glued from, or None. Babel's extractor joins the literals of one argument, so
    t("em_yes" if placed else "em_no") reads as "em_yesem_no"; a dynamic prefix may end it ("ms_status_" + x)."""
    if text in known:
        return [text]
    for key in sorted(known, key=len, reverse=True):
        if text.startswith(key):
            rest = _keys_in(text[len(key) :], known)
            if rest is not None:
                return [key, *rest]
    return None


def _used_keys() -> dict[str, list[str]]:
    """Every key the app's calls name: page texts as themselves, message codes as msg_<code>."""
    ids = catalogue("nb").ids
    prefixes = {p for p in DYNAMIC if p.endswith("_")}
    used: dict[str, list[str]] = {}
    found = _extracted()
    groups = ((found["t"], ""), (found["code"], "msg_"), (found["expected"], "msg_expected_"))
    for found, prefix in groups:
        known = {key.removeprefix(prefix) for key in ids | prefixes if key.startswith(prefix)}
        for text, where in found.items():
            keys = _keys_in(text, known) or [text]
            for key in keys:
                used.setdefault(prefix + key, []).extend(where)
    return used


def test_every_key_and_code_in_use_has_a_text():
    used = _used_keys()
    assert len(used) > 600
    ids = catalogue("nb").ids
    missing = {key: where for key, where in used.items() if key not in ids and key not in DYNAMIC}
    assert not missing, missing


def test_every_text_is_used():
    used = set(_used_keys())
    source = "".join(path.read_text(encoding="utf-8") for path in _app_files())

    def named(key: str) -> bool:  # a table of keys: ("nav_map", "pages/…") or a code constant
        bare = key.removeprefix("msg_")
        return any(f"{quote}{name}{quote}" in source for name in {key, bare} for quote in "\"'")

    unused = [key for key in catalogue("nb").ids if key not in used and not key.startswith(tuple(DYNAMIC))]
    assert not [key for key in unused if not named(key)]


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


# Placeholders the bokmål leaves out: what a library says in English has no place in a bokmål sentence.
ENGLISH_ONLY = {"reason": "a library's technical reason (GDAL, JSON, zip)", "area": "pyproj's area of use"}


def test_both_catalogues_hold_the_same_keys_and_placeholders():
    nb, en = catalogue("nb"), catalogue("en")
    assert nb.ids == en.ids and nb.plural == en.plural
    for key in nb.ids:
        assert all(nb.forms[key]) and all(en.forms[key]), key
        nb_fields = {frozenset(_fields(f)) for f in nb.forms[key]}
        en_fields = {frozenset(_fields(f) - set(ENGLISH_ONLY)) for f in en.forms[key]}
        assert nb_fields == en_fields, key


def test_a_missing_placeholder_is_an_error():
    with pytest.raises(KeyError):
        t("search_none", "nb")
    with pytest.raises(KeyError):
        error_text(Message("no_such_file"), "en")
    with pytest.raises(KeyError):
        t("no such key", "en")


MESSAGE_CODES = sorted(key.removeprefix("msg_") for key in catalogue("en").ids if key.startswith("msg_"))


def _sample(code: str) -> Message:
    """The message `code` with every placeholder of its English and bokmål texts filled by a neutral value."""
    names = set()
    for lang in LANGUAGES:
        for text in catalogue(lang).forms[f"msg_{code}"]:
            names |= _fields(text)
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
    used = {key for key in _used_keys() if key.startswith("msg_")}
    assert len(used) > 150
    assert used <= {f"msg_{code}" for code in MESSAGE_CODES} | set(DYNAMIC), sorted(used)
    assert {k for k in catalogue("nb").ids if k.startswith("msg_")} == {f"msg_{c}" for c in MESSAGE_CODES}


@pytest.mark.parametrize("code", MESSAGE_CODES)
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
    assert isinstance(FileFormatError("file_empty"), CodedError)
    # i18n is duck-typed: anything with a code and params renders; everything else is str().
    assert error_text(ValueError("plain"), "nb") == "plain"


def test_export_errors_are_coded_and_keep_their_english():
    from exports.errors import ExportError, ExportOptionError
    from exports.options import check_bounds

    with pytest.raises(ExportOptionError) as caught:
        check_bounds((5, 6, 1, 2))
    error = caught.value
    assert isinstance(error, ExportError) and isinstance(error, ValueError) and isinstance(error, CodedError)
    assert (error.code, error.params) == ("export_bounds_not_box", {"bounds": (5, 6, 1, 2)})
    assert str(error) == "bounds (5, 6, 1, 2) are not a west, south, east, north box in lon/lat."
    assert error_text(error, "nb").startswith("bounds (5, 6, 1, 2) er ikke en boks")


def test_a_text_formats_raw_params_by_its_spec():
    """{x!r} the param's repr, {x:.1f} fixed decimals, {x:.6g} significant digits, {x:;} a list joined by "; "."""
    bases = [Message("candidate_basis_flow", flow="f1"), Message("candidate_basis_sector", sector="S")]
    ends = {"giver": "A", "taker": "B", "resource": "CO2"}
    reason = Message("candidate_reason", **ends, given=bases, taken=bases[:1], distance_km=2.0)
    assert str(reason) == (
        "A may give CO2 (recorded flow f1; sector 'S' (heuristic: typical for such plants)); "
        "B may take CO2 (recorded flow f1). Distance 2.0 km. A possibility, not a recorded flow."
    )
    assert "(registrert strøm f1; bransje «S» (antakelse, typisk for slike anlegg))" in error_text(reason, "nb")
    assert "Avstand 2,0 km." in error_text(reason, "nb")
    ranges = Message("fit_not_degrees", xmin=160_000.0, xmax=1_234_567.8, ymin=10.3956123, ymax=-0.5)
    assert str(ranges).startswith("x runs 160,000 to 1,234,570 and y 10.3956 to -0.5,")
    nb = error_text(ranges, "nb").replace("\u00a0", " ")
    assert nb.startswith("x går fra 160 000 til 1 234 570 og y fra 10,3956 til -0,5,")


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
    assert shown.startswith(f"«{t('upload_file', 'nb')}»: filen kan ikke brukes – ")  # the field, then the reason
    if expected is not None:
        assert shown == file_error(error_text(expected, "nb"), "nb")
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
