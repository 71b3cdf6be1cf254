"""The OGC API address ("Legg til i QGIS", INDUSTRIKART_OGC_URL) on the Kartlag page and in the share box, only where
the installation runs the service."""

from __future__ import annotations

import pytest

from store import Origin, open_store
from tests.helpers.apptest import app

OGC_URL = "https://kart.example.org/ogc/"


@pytest.fixture
def layers(portfolio):
    store = open_store()  # the private store every test gets (tests/conftest.py)
    shown = store.save(portfolio.parks.head(2), "Parker for QGIS", "parks", Origin(original_filename="p.geojson"))
    hidden = store.save(portfolio.parks.head(1), "Skjult lag", "parks", Origin(original_filename="h.geojson"))
    store.set_visible(hidden.id, False)
    return shown, hidden


def _codes(at) -> list[str]:
    return [c.value for c in at.code]


def test_each_visible_layer_gives_the_address_and_its_collection(layers, monkeypatch):
    shown, hidden = layers
    monkeypatch.setenv("INDUSTRIKART_OGC_URL", OGC_URL)
    at = app("pages/4_Kartlag.py").run()
    assert not at.exception
    assert _codes(at).count(OGC_URL) == 1  # the visible layer's, not the hidden one's
    captions = " ".join(c.value for c in at.caption)
    assert f"layer-{shown.id}" in captions and f"layer-{hidden.id}" not in captions
    assert "Skjulte lag er ikke med i QGIS-tjenesten" in captions
    assert "Legg til i QGIS" in " ".join(m.value for m in at.markdown)


def test_the_share_box_gives_the_address(monkeypatch):
    monkeypatch.setenv("INDUSTRIKART_OGC_URL", OGC_URL)
    at = app("dashboard.py").run()
    assert not at.exception
    assert OGC_URL in [c.value for c in at.sidebar.code]


@pytest.mark.parametrize("script", ["pages/4_Kartlag.py", "dashboard.py"])
def test_no_address_where_no_service_runs(layers, monkeypatch, script):
    monkeypatch.delenv("INDUSTRIKART_OGC_URL", raising=False)
    at = app(script).run()
    assert not at.exception
    assert OGC_URL not in _codes(at)
    assert "Legg til i QGIS" not in " ".join(m.value for m in at.markdown)
