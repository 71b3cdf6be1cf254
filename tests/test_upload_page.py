"""The upload page under AppTest: real files in, checked layers kept; bad files refused and nothing changed."""

from __future__ import annotations

import io
import json
import os
import uuid
import zipfile

import geopandas as gpd
import pyogrio
import pytest

from config import EDITOR_PASSWORD_ENV as PASSWORD_ENV
from i18n import error_text, t
from loaders.errors import FileFormatError, UploadTooLarge
from maps.pmtiles_build import FID, TILE_LAYER, store_folder, tile_path
from store import Origin, open_store
from tests.helpers.apptest import app, js_unescaped, map_args, metrics, read_back
from tests.helpers.big_layer_fixtures import generated_dense_counties
from tests.helpers.store_fixtures import PG_URL
from tests.helpers.uploads import generated_geonorge_fylke, upload
from ui.data import store_key
from ui.upload_form import file_error
from ui.uploaded_layers import version_of

HOSTILE = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.skipif(not PG_URL, reason="no PostGIS"))])
def backend(request, monkeypatch):
    """The page's store: the test's private GeoPackage, or a throwaway schema in the test PostGIS."""
    if request.param == "postgis":
        schema = f"test_upload_{uuid.uuid4().hex[:10]}"
        monkeypatch.setenv("DATABASE_URL", PG_URL)
        monkeypatch.setenv("INDUSTRIKART_PG_SCHEMA", schema)
        yield request.param
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as con:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    else:
        yield request.param


def test_geonorge_utm33_county_file_lands_in_place_and_survives_a_restart(backend, shared_geodata):
    at = upload(
        generated_geonorge_fylke(shared_geodata),
        "Basisdata_50_Trondelag_25833.json",
        upload_layer="Fylke",
        upload_kind="boundaries",
    )
    assert not at.exception
    assert [s.options for s in at.selectbox if s.key == "upload_layer"][0] == ["Fylke (1)", "Grense (1)"]
    assert "EPSG:25833" in at.dataframe[0].value.to_string()
    at.text_input(key="upload_title").input("Trøndelag fylke").run()
    at.button(key="upload_save").click().run()
    assert not at.exception
    assert any("Lagret" in s.value for s in at.success)

    # A restart: a new store object and fresh page runs see the same layer, in the right place.
    store = open_store()
    (info,) = store.list()
    assert (info.title, info.kind, info.original_crs) == ("Trøndelag fylke", "boundaries", "EPSG:25833")
    original = gpd.read_file(shared_geodata / "trondelag_fylke.geojson")
    assert store.read(info.id).total_bounds == pytest.approx(original.total_bounds, abs=1e-6)
    dashboard = app("dashboard.py").run()
    assert not dashboard.exception
    assert json.dumps("Trøndelag fylke")[1:-1] in map_args(dashboard)["feature_group"]  # folium writes \u00f8
    layers_page = app("pages/4_Kartlag.py").run()
    assert "Trøndelag fylke" in layers_page.dataframe[0].value.to_string()


def test_parks_from_a_norwegian_csv_join_the_map(shared_geodata, portfolio):
    csv = (
        "navn;kommune;kommunenummer;status;lat;lon\r\n"
        "Generert testpark Ørland;Ørland;5057;planlagt;63,70;9,60\r\n"
        "Generert testpark 2;Orkland;5059;etablert;63,30;9,85\r\n"
    ).encode("utf-8-sig")
    at = upload(csv, "generated_parker.csv", upload_kind="parks")
    at.text_input(key="upload_default_parks_source_url").input("https://example.org/generert").run()
    at.selectbox(key="upload_default_parks_location_precision").set_value("locality").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    at.button(key="upload_save").click().run()
    assert any("Lagret" in s.value for s in at.success)
    dashboard = app("dashboard.py").run()
    assert metrics(dashboard)["Parker og områder"] == str(len(portfolio.parks) + 2)


def test_no_error_before_mapping_a_hint_instead_and_after_mapping_an_error_naming_the_field():
    csv = b"navn;kilde;lat;lon\nGenerert;https://example.org/g;63,4;10,4\nGenerert 2;;63,41;10,41\n"
    at = upload(csv, "generated_mangler_kilde.csv", upload_kind="parks")
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # nothing mapped by hand yet: no red
    hint = [i.value for i in at.info if "Velg en kolonne" in i.value]
    assert hint and "«Plassering»" in hint[0] and "«Kilde»" not in hint[0]  # kilde was suggested: mapped
    assert "«Kommune»" not in hint[0] and "«Id»" not in hint[0]  # derived, not asked for
    assert not [b for b in at.button if b.key == "upload_save"]
    at.selectbox(key="upload_default_parks_location_precision").set_value("site").run()
    # mapped now: the empty cell in row 1 is an error naming the feature and the field as the form labels it
    assert [e.value for e in at.error] and "objekt 1: feltet «Kilde»" in read_back(at.error[0]), [
        e.value for e in at.error
    ]
    assert not [b for b in at.button if b.key == "upload_save"]


def test_a_file_without_crs_asks_and_the_answer_places_it(shared_geodata):
    kommuner = gpd.read_file(shared_geodata / "trondelag_kommuner.geojson").to_crs(25833)
    points = kommuner.representative_point()
    csv = "navn;x;y\n" + "".join(f"{n};{p.x:.1f};{p.y:.1f}\n" for n, p in zip(kommuner["name"], points, strict=True))
    at = upload(csv.encode(), "generated_utm_uten_crs.csv")
    assert any("koordinatsystem" in w.value for w in at.warning)
    radio = next(r for r in at.radio if r.key == "upload_crs_choice")
    assert "25833" in radio.options[0]
    assert not at.exception
    bbox = [d.value for d in at.dataframe if "Utstrekning (lon/lat)" in d.value.to_string()][0]
    west, south, east, north = (float(v) for v in bbox.iloc[3, 1].split(","))
    assert 8 < west < east < 15 and 62 < south < north < 66


def zip_with(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = {
    "empty": (b"", "generated_empty.geojson", error_text(FileFormatError("file_empty"), "nb")),
    "invalid json": (b'{"type": "FeatureCollection", "features": [', "generated_broken.geojson", "JSON"),
    "json not geojson": (b'{"hello": "world"}', "generated_not_geojson.json", "GeoJSON"),
    "not utf-8": (
        '{"type": "FeatureCollection", "features": [], "name": "Ørland"}'.encode("latin-1"),
        "generated_latin1.geojson",
        "UTF-8",
    ),
    "path traversal": (zip_with("../evil.geojson", b"{}"), "generated_evil.zip", ".."),
    "coordinates out of range": (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        b'"geometry":{"type":"Point","coordinates":[9e12,9e12]}}]}',
        "generated_far.geojson",
        "",
    ),
    "unknown crs": (
        b'{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:999999"}},"features":'
        b'[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}',
        "generated_unknown_crs.geojson",
        "999999",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_get_a_message_and_change_nothing(case, portfolio):
    store = open_store()
    kept = store.save(portfolio.parks.head(2), "Generated existing layer", "parks")
    data, filename, words = BAD_FILES[case]
    at = upload(data, filename)
    assert not at.exception, [e.message for e in at.exception]
    assert at.error, "no message shown"
    assert all(word in read_back(at.error[0]) for word in [words])
    assert not [b for b in at.button if b.key == "upload_save"]
    assert [(i.id, i.version) for i in open_store().list()] == [(kept.id, kept.version)]
    assert len(open_store().read(kept.id)) == 2


def test_a_too_large_file_is_refused(monkeypatch):
    import config

    monkeypatch.setattr(config, "MAX_UPLOAD_BYTES", 1000)
    at = upload(b" " * 2000 + b"{}", "generated_big.geojson")
    expected = file_error(error_text(UploadTooLarge(2002, 1000), "nb"), "nb")
    assert [read_back(e) for e in at.error] == [expected]
    assert open_store().list() == []


def test_hostile_properties_stay_text_in_preview_and_map():
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"navn": HOSTILE, "merknad": "<b>fet</b>"},
                    "geometry": {"type": "Point", "coordinates": [10.4, 63.4]},
                }
            ],
        }
    ).encode()
    at = upload(data, "generated_hostile.geojson")
    assert not at.exception
    assert HOSTILE in at.dataframe[1].value.to_string()  # the property table shows the text as it is
    script = js_unescaped(map_args(at)["script"])  # folium writes < and & as \u003c, \u0026
    assert "<img src=x" not in script and "&lt;img src=x" in script


def test_viewers_cannot_upload(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "generated-secret")
    at = app("pages/3_Last_opp.py").run()
    assert not at.get("file_uploader")
    assert os.environ[PASSWORD_ENV] not in str([e.proto for e in at.main])


def test_a_kartverket_municipality_file_is_suggested_as_boundaries_in_planner_words(shared_geodata):
    at = upload((shared_geodata / "trondelag_kommuner.geojson").read_bytes(), "Basisdata_kommuner.geojson")
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="upload_kind").value == "boundaries"
    labels = {s.key: s.label for s in at.selectbox if s.key and s.key.startswith("upload_map_boundaries_")}
    assert labels["upload_map_boundaries_name"] == "Navn"
    assert labels["upload_map_boundaries_kommunenummer"] == "Kommunenummer"
    assert labels["upload_map_boundaries_fylkesnummer"] == "Fylkesnummer"
    assert at.selectbox(key="upload_map_boundaries_kommunenummer").value == "kommunenummer"
    assert at.selectbox(key="upload_map_boundaries_name").value == "name"
    assert any("Foreslått" in c.value for c in at.caption)


def test_a_big_layer_gets_its_tiles_when_saved_and_its_first_display_uses_them(shared_geodata, monkeypatch):
    counties = generated_dense_counties(shared_geodata)  # 15 features, big by its vertices
    at = upload(counties.to_json().encode(), "generated_dense_counties.geojson", upload_kind="other")
    at.text_input(key="upload_title").input("Fylker").run()
    at.button(key="upload_save").click().run()
    assert not at.exception and not at.warning
    (info,) = open_store().list()
    path = tile_path(store_folder(store_key()), version_of(info))
    assert path.exists()
    cut = pyogrio.read_dataframe(path, layer=TILE_LAYER)
    assert sorted(set(cut[FID].astype(int))) == list(range(len(counties)))

    def no_build(*args, **kwargs):
        raise AssertionError("the tiles were built again at first display")

    monkeypatch.setattr("maps.pmtiles_build.build_tiles", no_build)
    dashboard = app("dashboard.py").run()
    assert not dashboard.exception and not dashboard.warning
    assert path.name in map_args(dashboard)["feature_group"]


# --- three polygons as "parker og områder", the notice before saving ----------------------------------


def generated_three_polygons() -> bytes:
    """Three areas as a planner draws them: a name each, no id, no municipality."""
    from shapely.geometry import box

    frame = gpd.GeoDataFrame(
        {"navn": ["Generert område Orkanger", "Generert område Fannrem", "Generert område Lade"]},
        geometry=[box(9.84, 63.30, 9.86, 63.31), box(9.70, 63.26, 9.72, 63.27), box(10.44, 63.44, 10.45, 63.445)],
        crs=4326,
    )
    return frame.to_json(drop_id=True).encode()  # no feature ids either


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_three_polygons_as_parks_need_only_a_source_and_say_who_will_see_them(lang):
    at = app("pages/3_Last_opp.py").run()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    at.get("file_uploader")[0].set_value(("generated_omrader.geojson", generated_three_polygons(), "x")).run()
    at.selectbox(key="upload_kind").set_value("parks").run()
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="upload_map_parks_name").value == "navn"
    at.text_input(key="upload_default_parks_source_url").input("https://example.org/generert").run()
    precision = at.selectbox(key="upload_default_parks_location_precision")
    shown = {
        "nb": "kommunesenteret (omtrentlig) (municipality)",
        "en": "the municipal centre (approximate) (municipality)",
    }
    assert shown[lang] in precision.options  # in the planner's words, with the code a file would hold
    precision.set_value("site").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    notice = t("upload_visible_to_all", lang)
    assert notice in [i.value for i in at.info]
    assert ("alle som bruker" if lang == "nb" else "everyone who uses") in notice
    at.button(key="upload_save").click().run()
    (info,) = open_store().list()
    stored = open_store().read(info.id)
    assert list(stored["kommunenummer"]) == ["5059", "5059", "5001"]
    assert list(stored["municipality"]) == ["Orkland", "Orkland", "Trondheim"]
    assert list(stored["id"]) == ["generated-omrader-1", "generated-omrader-2", "generated-omrader-3"]


def test_an_other_layer_is_labelled_by_its_name_column_and_every_choice_has_our_placeholder():
    at = upload(generated_three_polygons(), "generated_omrader.geojson")
    assert at.selectbox(key="upload_kind").value == "other"
    assert at.selectbox(key="upload_style_label").value == "navn"
    placeholders = {w.key: w.placeholder for kind in ("selectbox", "multiselect") for w in getattr(at, kind)}
    assert placeholders and all(p and "Choose an option" not in p for p in placeholders.values()), placeholders


def test_kart_lists_an_uploaded_layer_with_a_toggle_for_this_session_and_a_zoom_to_it():
    from shapely.geometry import box

    frame = gpd.GeoDataFrame({"navn": ["Generert område Lade"]}, geometry=[box(10.44, 63.44, 10.45, 63.445)], crs=4326)
    info = open_store().save(frame, "Generert lag Lade", "other", Origin(original_filename="generated_lade.geojson"))
    at = app("dashboard.py").run()
    assert not at.exception, [e.message for e in at.exception]
    toggle = at.sidebar.checkbox(key=f"show_upload_{info.id}")
    assert (toggle.label, toggle.value) == ("Generert lag Lade", True)
    assert "Generert lag Lade" in map_args(at)["feature_group"]
    toggle.uncheck().run()
    assert "Generert lag Lade" not in map_args(at)["feature_group"]
    assert open_store().get(info.id).visible  # only this session's map: the store's layer stays visible
    at.sidebar.button(key=f"zoom_upload_{info.id}").click().run()
    args = map_args(at)
    assert args["center"] == pytest.approx([63.4425, 10.445], abs=1e-3) and args["zoom"] >= 12
    assert "Generert lag Lade" in args["feature_group"]  # zooming to a layer shows it
    assert at.sidebar.checkbox(key=f"show_upload_{info.id}").value


def test_switching_off_an_uploaded_parks_layer_takes_its_parks_off_the_map_and_the_counts(portfolio):
    at = app("pages/3_Last_opp.py").run()
    at.get("file_uploader")[0].set_value(("generated_omrader.geojson", generated_three_polygons(), "x")).run()
    at.selectbox(key="upload_kind").set_value("parks").run()
    at.text_input(key="upload_default_parks_source_url").input("https://example.org/generert").run()
    at.selectbox(key="upload_default_parks_location_precision").set_value("site").run()
    at.button(key="upload_save").click().run()
    (info,) = open_store().list()
    dashboard = app("dashboard.py").run()
    assert metrics(dashboard)["Parker og områder"] == str(len(portfolio.parks) + 3)
    dashboard.sidebar.checkbox(key=f"show_upload_{info.id}").uncheck().run()
    assert metrics(dashboard)["Parker og områder"] == str(len(portfolio.parks))


def test_a_features_name_in_an_error_is_text_not_markdown():
    """The outside-Trøndelag message names the feature: a link, an image (a request to another host) or colour
    markup in that name is shown as the characters it is."""
    name = "[Klikk her](https://evil.example/phish) ![px](https://evil.example/track.png) :red[**RØD**]"
    csv = ("navn;kilde;lat;lon\n" + name + ";https://example.org/g;60,0;5,0\n").encode()
    at = upload(csv, "generated_outside_trondelag.csv", upload_kind="parks")
    at.selectbox(key="upload_default_parks_location_precision").set_value("site").run()
    assert not at.exception
    (error,) = at.error
    assert "utenfor Trøndelag" in error.value
    assert r"\[Klikk her\]\(https\:" in error.value and r"\!\[px\]" in error.value and r"\:red\[\*\*RØD" in error.value
