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


def test_ingest_files_the_layer_under_its_owner_and_logs_the_operator(tmp_path):
    import getpass

    path = tmp_path / "generated_point.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"navn": "Generert"},'
        ' "geometry": {"type": "Point", "coordinates": [9.83, 63.31]}}]}',
        encoding="utf-8",
    )
    assert cli("ingest", str(path), "--owner", "Orkland").returncode == 0
    assert cli("ingest", str(path), "--owner", "5006", "--uploader", "Generert Operatør").returncode == 0
    bad = cli("ingest", str(path), "--owner", "Atlantis")
    assert bad.returncode == 2 and "Atlantis" in bad.stderr and "Traceback" not in bad.stderr
    layers = open_store().list()
    assert [(i.owner, i.uploader) for i in layers] == [("5059", getpass.getuser()), ("5006", "Generert Operatør")]
    log = open_store().audit_log()
    assert [(e.action, e.subject) for e in log] == [("upload", f"cli:{getpass.getuser()}")] * 2


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


# --- roles and the audit log -----------------------------------------------------------------------

HOSTILE_OPERATOR = '=HYPERLINK("http://evil.example","x") <b>{{7*7}}</b>'


def test_roles_set_list_and_add_are_logged_under_the_operator(tmp_path):
    rules = tmp_path / "generated_rules.csv"
    rules.write_text(
        "claim,value,role,municipalities\r\n"
        "email_domain,Orkland.Kommune.no,editor,Orkland\r\n"
        'groups,gis-nord,editor,"5006, snåsa"\r\n'
        "tid,tenant-1,admin,\r\n",
        encoding="utf-8",
    )
    done = cli("roles", "set", "--file", str(rules))
    assert done.returncode == 0, done.stderr
    listed = json.loads(cli("roles", "list", "--json").stdout)
    assert listed[0] == {
        "claim": "email_domain",
        "value": "orkland.kommune.no",
        "role": "editor",
        "municipalities": "5059",
        "provider": "",
    }
    assert listed[1]["municipalities"] == "5006, 5041"  # names (any case) become numbers
    assert listed[2] == {"claim": "tid", "value": "tenant-1", "role": "admin", "municipalities": "", "provider": ""}
    added = cli("roles", "add", "--claim", "sub", "--value", "kari", "--role", "editor", "--municipality", "Steinkjer")
    assert added.returncode == 0, added.stderr
    assert [r.value for r in open_store().role_rules()] == ["orkland.kommune.no", "gis-nord", "tenant-1", "kari"]
    text = cli("roles", "list").stdout
    assert "sub\tkari\teditor\t5006" in text
    log = open_store().audit_log()
    assert [(e.action, e.outcome) for e in log] == [("roles", "done"), ("roles", "done")]
    assert log[0].subject.startswith("cli:") and len(log[0].after["rules"]) == 4 and len(log[0].before["rules"]) == 3


def test_roles_refuses_a_bad_row_and_changes_nothing(tmp_path):
    rules = tmp_path / "generated_rules.csv"
    rules.write_text("claim,value,role,municipalities\ntid,t,admin,\ngroups,g,editor,Atlantis\n", encoding="utf-8")
    bad = cli("roles", "set", "--file", str(rules))
    assert bad.returncode == 2 and "row 2" in bad.stderr and "Atlantis" in bad.stderr
    wrong = cli("roles", "add", "--claim", "tid", "--value", "t", "--role", "boss")
    assert wrong.returncode == 2 and "boss" in wrong.stderr
    assert open_store().role_rules() == [] and open_store().audit_log() == []


def test_audit_prints_newest_first_and_writes_a_formula_safe_csv(tmp_path):
    added = cli("roles", "add", "--claim", "tid", "--value", "t", "--role", "admin", "--uploader", HOSTILE_OPERATOR)
    assert added.returncode == 0, added.stderr
    layer = open_store().save(generated_layer(), "=SUM(A1) lag", "other", Origin(uploader="x"))
    from store.acting import ActingStore, Actor

    ActingStore(open_store(), Actor.trusted("t-1", "Test Person")).rename(layer.id, "Nytt\x1b[2J navn")
    printed = cli("audit")
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert len(lines) == 2 and "rename" in lines[0] and "roles" in lines[1]
    assert "\x1b" not in printed.stdout and "title: =SUM(A1) lag → Nytt?[2J navn" in lines[0]
    assert cli("audit", "--layer", str(layer.id)).stdout.count("\n") == 1
    out = tmp_path / "generated_audit.csv"
    assert cli("audit", "--csv", str(out)).returncode == 0
    import pandas as pd

    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table["action"]) == ["rename", "roles"]
    assert table["name"].iloc[1] == "'" + HOSTILE_OPERATOR  # text in a spreadsheet, never a formula
    assert table["title"].iloc[0].startswith("Nytt") and table["changes"].iloc[0].startswith("title: =SUM")
    assert not any(cell.startswith(("=", "+", "@")) for cell in table.to_numpy().ravel())


def generated_layer():
    import geopandas as gpd
    from shapely.geometry import Point

    return gpd.GeoDataFrame({"navn": ["a"]}, geometry=[Point(10.4, 63.4)], crs="EPSG:4326")
