"""The layer page: viewers see and download, editors change; every change reaches the store."""

from __future__ import annotations

import pytest

from config import EDITOR_PASSWORD_ENV as PASSWORD_ENV
from store import Origin, open_store
from tests.helpers.apptest import app
from ui.access import password_matches

SECRET = "generated-test-passord-æøå"


@pytest.fixture
def store(portfolio):
    store = open_store()  # the private store every test gets (tests/conftest.py)
    store.save(
        portfolio.parks.head(3),
        "Generated <img src=x onerror=alert(1)> parks",
        "parks",
        Origin(original_filename="parks.geojson"),
    )
    return store


def page():
    return app("pages/4_Kartlag.py").run()


def test_password_comparison():
    assert password_matches(SECRET, SECRET)
    assert not password_matches(SECRET + " ", SECRET)
    assert not password_matches("", SECRET)


def test_without_a_password_local_use_is_open(store):
    at = page()
    assert not at.exception
    assert [b.label for b in at.button] == ["Lagre endringer", "Slett"]
    assert not at.sidebar.text_input  # no sign-in box


def test_viewers_can_download_but_not_change(store, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    at = page()
    assert not at.exception
    assert not at.button and not at.toggle
    assert len(at.get("download_button")) == 2
    assert any("redaktørpassordet" in i.value for i in at.info)


def test_the_bin_is_for_editors_only(store, portfolio, monkeypatch):
    """A deleted layer stayed downloadable by anyone for the bin's 30 days."""
    gone = store.save(portfolio.sources.head(1), "Generated deleted layer", "sources")
    store.delete(gone.id)
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    viewer = page()
    assert not viewer.exception
    assert len(viewer.get("download_button")) == 2  # the live layer's two formats, none of the bin's
    assert not any("Generated deleted layer" in e.label for e in viewer.expander)
    viewer.sidebar.text_input[0].input(SECRET).run()
    assert any("Generated deleted layer" in e.label for e in viewer.expander)
    assert len(viewer.get("download_button")) == 4


def test_wrong_password_refused_right_password_lets_in_and_is_never_shown(store, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    at = page()
    at.sidebar.text_input[0].input("feil").run()
    assert any("Feil passord" in e.value for e in at.sidebar.error)
    assert not at.button
    at.sidebar.text_input[0].input(SECRET).run()
    assert not at.exception
    assert "Lagre endringer" in [b.label for b in at.button]
    assert "Logg ut som redaktør" in [b.label for b in at.sidebar.button]
    assert at.session_state["_editor_password_input"] == "", "the typed password stays in the session"
    assert SECRET not in repr(at.session_state)
    assert SECRET not in "".join(str(e.proto) for e in at.main)


def test_rename_hide_and_describe_reach_the_store(store):
    layer = store.list()[0]
    at = page()
    at.text_input(key=f"layer_{layer.id}_title").input("Nytt navn på laget")
    at.text_area(key=f"layer_{layer.id}_desc").input("Beskrivelse med æøå")
    at.button(key=f"layer_{layer.id}_save").click().run()
    assert not at.exception
    info = store.get(layer.id)
    assert (info.title, info.description) == ("Nytt navn på laget", "Beskrivelse med æøå")
    at.toggle(key=f"layer_{layer.id}_visible").set_value(False).run()
    assert store.get(layer.id).visible is False


def test_delete_needs_confirmation_and_can_be_undone(store):
    layer = store.list()[0]
    at = page()
    assert at.button(key=f"layer_{layer.id}_delete").disabled
    at.checkbox(key=f"layer_{layer.id}_confirm").check().run()
    at.button(key=f"layer_{layer.id}_delete").click().run()
    assert not at.exception
    assert store.get(layer.id).deleted and store.list() == []
    at = page()
    at.button(key=f"layer_{layer.id}_restore").click().run()
    assert not store.get(layer.id).deleted


def test_older_versions_can_be_restored(store, portfolio):
    layer = store.list()[0]
    store.replace(layer.id, portfolio.parks.head(5), Origin(original_filename="v2.geojson"))
    at = page()
    at.button(key=f"layer_{layer.id}_v1").click().run()
    assert not at.exception
    assert store.get(layer.id).version == 1 and store.get(layer.id).feature_count == 3


def test_an_unreadable_store_is_a_message(tmp_path, monkeypatch):
    bad = tmp_path / "generated_broken.gpkg"
    bad.write_text("no", encoding="utf-8")
    monkeypatch.setenv("INDUSTRIKART_STORE", str(bad))
    at = page()
    assert not at.exception
    assert any("Kartlaglageret svarte" in e.value for e in at.error)


def test_every_kind_the_store_keeps_is_listed_with_its_name(store, portfolio):
    """The measure and flow editors keep their records as store layers too: Kartlag lists them by kind, in both
    languages (a stored measure once broke the page: its kind had no name)."""
    from core.schema import TABLE_KINDS, UPLOAD_KINDS
    from i18n import t
    from loaders.bundled.measure_store import add_measure
    from tests.test_measure_store import record

    add_measure(store, record(), portfolio, uploader="editor")
    for lang in ("nb", "en"):
        at = app("pages/4_Kartlag.py")
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        kinds = set(at.dataframe[0].value.iloc[:, 1])
        assert {t("kind_measures", lang), t("kind_parks", lang)} <= kinds
        assert all(t(f"kind_{kind}", lang) for kind in (*UPLOAD_KINDS, *TABLE_KINDS))  # a missing name raises
