"""`python -m loaders`: the administrators' command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from config import ROOT
from store import Origin, open_store


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True
    )


def test_layers_lists_the_store_as_text_and_json(portfolio):
    store = open_store()  # the test's private store: INDUSTRIKART_STORE is set by conftest
    kept = store.save(
        portfolio.parks.head(2),
        "Generated parker – Ørland",
        "parks",
        Origin(original_filename="p.geojson", uploader="Åse"),
    )
    gone = store.save(portfolio.sources.head(1), "Generated deleted", "sources")
    store.delete(gone.id)

    text = cli("layers")
    assert text.returncode == 0, text.stderr
    assert "Generated parker – Ørland" in text.stdout and "Generated deleted" not in text.stdout

    rows = json.loads(cli("layers", "--json", "--all").stdout)
    by_id = {r["id"]: r for r in rows}
    assert by_id[kept.id]["features"] == 2 and by_id[kept.id]["uploader"] == "Åse"
    assert by_id[gone.id]["deleted_at"] is not None


def test_an_unreadable_store_exits_non_zero_with_a_message(tmp_path, monkeypatch):
    bad = tmp_path / "generated_broken.gpkg"
    bad.write_text("not a geopackage", encoding="utf-8")
    monkeypatch.setenv("INDUSTRIKART_STORE", str(bad))
    result = cli("layers")
    assert result.returncode == 2
    # the log line before it names the file (for the administrator at the console); the error itself does not
    assert result.stderr.splitlines()[-1].startswith("error: ") and "Traceback" not in result.stderr
    assert str(bad) not in result.stderr.splitlines()[-1]


FIXTURES = ROOT / "tests" / "fixtures"


def test_ingest_a_geonorge_style_file_needs_a_layer_then_stores_it(tmp_path, shared_geodata):
    from tests.helpers.uploads import generated_geonorge_fylke

    path = tmp_path / "generated_Basisdata_50_Trondelag_25833.json"
    path.write_bytes(generated_geonorge_fylke(shared_geodata))
    asked = cli("ingest", str(path))
    assert asked.returncode == 2 and "--layer" in asked.stderr and "'Fylke'" in asked.stderr
    assert open_store().list() == []

    dry = cli("ingest", str(path), "--layer", "Fylke", "--kind", "boundaries", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "CRS found: urn:ogc:def:crs:EPSG::25833" in dry.stdout and "bbox (lon/lat): 8.13936" in dry.stdout
    assert "nothing stored" in dry.stdout and open_store().list() == []

    done = cli("ingest", str(path), "--layer", "Fylke", "--kind", "boundaries", "--title", "Trøndelag")
    assert done.returncode == 0, done.stderr
    (info,) = open_store().list()
    assert (info.kind, info.title, info.original_crs) == ("boundaries", "Trøndelag", "EPSG:25833")


def test_ingest_without_crs_lists_the_choices(tmp_path):
    path = tmp_path / "generated_utm.csv"
    path.write_text("navn;x;y\nA;563000;7022000\nB;570000;7030000\n", encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.returncode == 2
    assert "--crs EPSG:25833" in result.stderr and open_store().list() == []


def test_ingest_bad_file_exits_2_and_stores_nothing(tmp_path):
    path = tmp_path / "generated_broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.returncode == 2 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    assert open_store().list() == []


def test_ingest_an_official_export_prints_the_summary_and_saves_through_the_store():
    result = cli("ingest", str(FIXTURES / "norskeutslipp_testfixture.xlsx"), "--format", "norskeutslipp")
    assert result.returncode == 0, result.stderr
    assert "Rows read" in result.stdout and "Unmatched" in result.stdout
    kinds = [i.kind for i in open_store().list()]
    assert kinds == ["figures"]
    dry = cli(
        "ingest", str(FIXTURES / "kommunestatistikk_testfixture.csv"), "--format", "kommunestatistikk", "--dry-run"
    )
    assert dry.returncode == 0 and [i.kind for i in open_store().list()] == ["figures"]


def test_boundaries_download_from_a_local_address(tmp_path, shared_geodata):
    url = (shared_geodata / "trondelag_kommuner.geojson").resolve().as_uri()  # no network: a file: URL
    result = cli("boundaries", "--download", "--url", url, "--cache-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    cached = list(tmp_path.iterdir())
    assert cached and "boundaries cached" in result.stdout
    failed = cli(
        "boundaries", "--download", "--force", "--url", (tmp_path / "nope.json").as_uri(), "--cache-dir", str(tmp_path)
    )
    assert failed.returncode == 2 and failed.stderr.startswith("error: ")
    assert list(tmp_path.iterdir()) == cached  # the old cache is untouched
