"""`python -m loaders`: the administrators' command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from config import ROOT
from store import open_store


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True
    )


def test_layers_lists_the_store_as_text_and_json(portfolio):
    store = open_store()  # the test's private store: INDUSTRIKART_STORE is set by conftest
    kept = store.save(portfolio.parks.head(2), "Generated parker – Ørland", "parks", "p.geojson", uploader="Åse")
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
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
