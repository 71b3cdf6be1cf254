"""Shared fixtures: the repository on sys.path, the bundled portfolio and ../shared/geodata."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ../shared sits beside the checkout (in CI too); SHARED_DIR overrides it.
SHARED_GEODATA = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "geodata"


@pytest.fixture(scope="session")
def portfolio():
    from loaders import load_portfolio

    return load_portfolio()


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    if not (SHARED_GEODATA / "trondelag_kommuner.geojson").exists():
        pytest.fail(f"{SHARED_GEODATA} is missing: clone the repository with ../shared beside it, or set SHARED_DIR")
    return SHARED_GEODATA


@pytest.fixture(scope="session")
def kommuner(shared_geodata):
    import geopandas as gpd

    return gpd.read_file(shared_geodata / "trondelag_kommuner.geojson")


@pytest.fixture
def monkeypatch():
    """pytest's own, but a change to the environment is seen by config.settings(), which reads it once per process."""
    from tests.helpers.environment import SettingsMonkeyPatch

    patch = SettingsMonkeyPatch()
    yield patch
    patch.undo()


@pytest.fixture(autouse=True)
def _private_store(tmp_path_factory, monkeypatch):
    """Every test gets an empty store of its own, never the developer's data/layers.gpkg or DATABASE_URL."""
    monkeypatch.setenv("INDUSTRIKART_STORE", str(tmp_path_factory.mktemp("store") / "generated_layers.gpkg"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright, shared by every browser test (Playwright's own download fails here)."""
    from tests.helpers.chromium import CHROMIUM, launch

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the README's test command does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


# Modules whose tests take long (a real browser, generated-file hunts, killed writers): marked `slow`, so the
# inner loop `bash tests/run.sh -m "not slow"` stays short; CI runs everything.
_SLOW_MODULES = {"test_hostile_files"}
_SLOW_TESTS = {
    "test_a_killed_writer_leaves_earlier_layers_intact",
    "test_writers_killed_at_random_moments_leave_a_sound_store",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        name = getattr(item, "originalname", item.name)
        if item.get_closest_marker("browser") or module in _SLOW_MODULES or name in _SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("browser"):
            # one worker drives chromium, one test at a time: two browsers and two apps on two cores time out
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="module")
def app_url():
    """The app on its bundled data (an empty store of its own, no editor password), one per test module; a module
    that needs another setting (a password, a store) defines its own."""
    from tests.helpers.browser import running_app

    with running_app() as url:
        yield url


@pytest.fixture
def page(browser, app_url):
    """A fresh offline page on the module's app."""
    from tests.helpers.browser import OfflinePage

    offline = OfflinePage(browser, app_url)
    yield offline
    offline.close()


@pytest.fixture(scope="session")
def oidc_issuer():
    """A real OpenID Connect provider (oidc-provider-mock) on loopback, once per test run, offering the users of
    tests/helpers/oidc.py (ORKLAND_EDITOR, STEINKJER_EDITOR, COUNTY_ADMIN); its issuer URL."""
    from tests.helpers.oidc import running_provider

    with running_provider() as issuer:
        yield issuer


@pytest.fixture
def allow_private(monkeypatch):
    """The installation allows map services at private addresses, as the tests' loopback MapServer and MapProxy need."""
    import config

    monkeypatch.setenv(config.OVERLAY_ALLOW_PRIVATE_ENV, "1")
    config.settings.cache_clear()
    yield
    config.settings.cache_clear()
