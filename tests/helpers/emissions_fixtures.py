"""Fixture-imported emission data for the emissions page tests (every number in the fixtures is made up)."""

from __future__ import annotations

from pathlib import Path

from loaders.official.imported import read_imported, save_import
from loaders.official.registry import run_import

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IMPORTS = (
    ("norskeutslipp_testfixture.csv", "norskeutslipp"),
    ("eea_f1_4_testfixture.csv", "eea-f1_4"),
    ("kommunestatistikk_testfixture.csv", "kommunestatistikk"),
)


def make_fixture_store(path: Path, known):
    """A GeoPackage layer store at `path` holding the three fixture imports, saved as the import page would."""
    from store.geopackage import GeoPackageStore

    store = GeoPackageStore(path)
    for name, fmt in IMPORTS:
        save_import(store, run_import(FIXTURES / name, fmt, known), f"Testfixture {fmt}")
    return store


def fixture_imported(path: Path, known):
    return read_imported(make_fixture_store(path, known))
