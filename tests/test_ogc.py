"""The OGC API – Features service (ogc/, `python -m ogc`) as QGIS meets it: started as its own process on a store,
read by GDAL's OGC API Features driver (QGIS's) through pyogrio.

Runs on the GeoPackage store and, when TEST_DATABASE_URL (or DATABASE_URL) is set, on PostGIS read as a role made
read-only by ogc.stored.read_only_role_sql (the SQL the README gives).
"""

from __future__ import annotations

import html as html_module
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import geopandas as gpd
import psycopg
import psycopg.sql
import pyogrio
import pytest
import requests
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pygeoapi.util import yaml_load
from shapely.geometry import LineString, Point, Polygon

from ogc.bundled import bundled_frames
from ogc.service import pygeoapi_config, write_yaml
from ogc.stored import read_only_role_sql
from store import Origin
from tests.helpers.browser import free_port
from tests.helpers.nginx import needs_nginx, running_nginx
from tests.helpers.store_fixtures import PG_URL, Backend
from tests.helpers.waiting import stop_process, wait_until

ROOT = Path(__file__).resolve().parents[1]
NO_PG = 'PostGIS runs need TEST_DATABASE_URL or DATABASE_URL: start one with eval "$(bash tests/postgis.sh start)"'
BACKENDS = [
    pytest.param("gpkg", id="gpkg"),
    pytest.param("postgis", id="postgis", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
]
CHANGE_TIMEOUT_S = 20  # the service looks at the store every 0.3 s here; GDAL and pygeoapi's rebuild take a moment


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "navn": ["Orkanger", "Skogn", "Heimdal «æøå»"],
            "areal": [1.5, 2.0, 3.25],
            "antall": [1, 2, 3],
        },
        geometry=[
            Point(9.85, 63.30),
            LineString([(11.19, 63.69), (11.2, 63.7)]),
            Polygon([(10.3, 63.3), (10.4, 63.3), (10.4, 63.35), (10.3, 63.3)]),
        ],
        crs="EPSG:4326",
    )


def _read_only_url(backend: Backend, role: str) -> str:
    """A login role that may only read the test's schema, made with the SQL the README gives."""
    password = uuid.uuid4().hex
    writer = conninfo_to_dict(PG_URL).get("user") or "postgres"
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        for statement in read_only_role_sql(role, backend.location, writer):
            con.execute(statement)
    return make_conninfo(PG_URL, user=role, password=password)


def _drop_role(role: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f"DROP OWNED BY {role}")
        con.execute(f"DROP ROLE {role}")


class Service:
    def __init__(self, backend: Backend, tmp: Path, public_url: str | None = None):
        self.backend = backend
        self.store = backend.open()
        self.first = self.store.save(
            _layer(), "Testlag for QGIS", "other", origin=Origin("t.geojson", None, "test", "CC BY 4.0 Testkilde")
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "INDUSTRIKART_STORE")}
        self.role = self.read_only_url = ""
        if backend.name == "gpkg":
            env["INDUSTRIKART_STORE"] = backend.location
        else:
            self.role = f"ogc_test_{uuid.uuid4().hex[:10]}"
            env["DATABASE_URL"] = PG_URL
            env["INDUSTRIKART_PG_SCHEMA"] = backend.location
            self.read_only_url = env["INDUSTRIKART_OGC_DATABASE_URL"] = _read_only_url(backend, self.role)
        env["INDUSTRIKART_OGC_URL"] = public_url or self.url
        self.log = tmp / "ogc.log"
        command = [
            sys.executable,
            "-m",
            "ogc",
            "--port",
            str(self.port),
            "--workdir",
            str(tmp / "ogc"),
            "--check-every",
            "0.3",
        ]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        wait_until(self._answers, 60, self.tail, self.process)

    def _answers(self) -> bool:
        try:
            return requests.get(self.url + "collections?f=json", timeout=5).ok
        except requests.ConnectionError:
            return False

    def tail(self) -> str:
        return self.log.read_text()[-3000:]

    @property
    def oapif(self) -> str:
        return f"OAPIF:{self.url}"

    def collections(self) -> set[str]:
        return {str(name) for name, _ in pyogrio.list_layers(self.oapif)}

    def read(self, collection: str, **options) -> gpd.GeoDataFrame:
        return pyogrio.read_dataframe(self.oapif, layer=collection, **options)

    def stop(self) -> None:
        stop_process(self.process)
        self.store = None
        if self.role:
            _drop_role(self.role)
        self.backend.cleanup()


@pytest.fixture(scope="module", params=BACKENDS)
def service(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"ogc-{request.param}")
    running = Service(Backend(request.param, tmp), tmp)
    yield running
    running.stop()


def _same_features(served: gpd.GeoDataFrame, expected: gpd.GeoDataFrame) -> None:
    """Count, attribute names and every geometry of `served` (read by GDAL) equal `expected` (read directly)."""
    assert len(served) == len(expected)
    names = [c for c in expected.columns if c != expected.geometry.name]
    assert sorted(c for c in served.columns if c != "geometry") == sorted(names)
    for got, want in zip(served.geometry, expected.geometry, strict=True):
        assert (got is None and (want is None or want.is_empty)) or got.equals_exact(want, 1e-9)


def test_every_bundled_collection_is_what_the_bundled_data_holds(service):
    frames = bundled_frames()
    assert set(frames) <= service.collections()
    for name, frame in frames.items():
        _same_features(service.read(name), frame)


def test_a_stored_layer_is_what_the_store_holds(service):
    served = service.read(f"layer-{service.first.id}")
    stored = service.store.read(service.first.id)
    _same_features(served, stored)
    assert served["navn"].tolist() == stored["navn"].tolist()
    assert served["areal"].tolist() == stored["areal"].tolist()
    described = requests.get(f"{service.url}collections/layer-{service.first.id}?f=json", timeout=10).json()
    assert described["title"] == "Testlag for QGIS"
    assert "CC BY 4.0 Testkilde" in described["description"]
    assert described["extent"]["spatial"]["bbox"][0] == pytest.approx([9.85, 63.3, 11.2, 63.7])


def test_one_feature_by_its_id_and_an_unknown_id(service):
    """What a client asks for one feature: its own id answers that feature; an id that is not one answers 404 (on
    PostGIS the id from the address is text, the key an integer)."""
    name = f"layer-{service.first.id}"
    page = requests.get(f"{service.url}collections/{name}/items?f=json&limit=2", timeout=10).json()
    first = page["features"][1]
    one = requests.get(f"{service.url}collections/{name}/items/{first['id']}?f=json", timeout=10)
    assert one.status_code == 200
    assert one.json()["properties"]["navn"] == first["properties"]["navn"]
    assert one.json()["geometry"] == first["geometry"]
    for unknown in ("999999", "not-a-number", "1%20OR%201=1"):
        assert requests.get(f"{service.url}collections/{name}/items/{unknown}?f=json", timeout=10).status_code == 404


def test_layers_come_and_go_without_a_restart(service):
    store = service.store
    added = store.save(_layer().iloc[:2], "Lagt til nå", "other", origin=Origin("ny.geojson", None, "test", ""))
    name = f"layer-{added.id}"
    wait_until(lambda: name in service.collections(), CHANGE_TIMEOUT_S, service.tail, service.process)
    _same_features(service.read(name), store.read(added.id))

    store.set_visible(added.id, False)
    wait_until(lambda: name not in service.collections(), CHANGE_TIMEOUT_S, service.tail, service.process)
    store.set_visible(added.id, True)
    wait_until(lambda: name in service.collections(), CHANGE_TIMEOUT_S, service.tail, service.process)

    store.replace(added.id, _layer(), origin=Origin("ny2.geojson", None, "test", ""))  # a new version: its table
    wait_until(lambda: len(service.read(name)) == 3, CHANGE_TIMEOUT_S, service.tail, service.process)

    store.delete(added.id)
    wait_until(lambda: name not in service.collections(), CHANGE_TIMEOUT_S, service.tail, service.process)
    assert requests.get(f"{service.url}collections/{name}/items?f=json", timeout=10).status_code == 404


def test_nothing_can_be_written(service):
    items = f"{service.url}collections/layer-{service.first.id}/items"
    feature = {"type": "Feature", "properties": {"navn": "x"}, "geometry": {"type": "Point", "coordinates": [10, 63]}}
    headers = {"Content-Type": "application/geo+json"}
    answers = [
        requests.post(items, json=feature, headers=headers, timeout=10),
        requests.put(f"{items}/1", json=feature, headers=headers, timeout=10),
        requests.delete(f"{items}/1", timeout=10),
        requests.patch(f"{items}/1", json=feature, headers=headers, timeout=10),
    ]
    assert [a.status_code for a in answers] == [405] * 4
    assert len(service.store.read(service.first.id)) == 3
    if service.read_only_url:  # PostGIS: the service's role itself may not write either
        layers = psycopg.sql.Identifier(service.backend.location, "layers")
        with psycopg.connect(service.read_only_url) as con, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            con.execute(psycopg.sql.SQL("DELETE FROM {}").format(layers))
        with psycopg.connect(service.read_only_url, autocommit=True) as con:
            con.execute("SET default_transaction_read_only = off")  # the role's default is not its only guard
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(psycopg.sql.SQL("DELETE FROM {}").format(layers))
        for private in ("audit", "role_rules"):  # who changed what is not map data
            table = psycopg.sql.Identifier(service.backend.location, private)
            with psycopg.connect(service.read_only_url) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(psycopg.sql.SQL("SELECT count(*) FROM {}").format(table))


def test_bbox_crs_paging_and_property_filters(service):
    name = f"layer-{service.first.id}"
    stored = service.store.read(service.first.id)
    near_orkanger = service.read(name, bbox=(9.8, 63.25, 9.9, 63.35))
    assert near_orkanger["navn"].tolist() == ["Orkanger"]

    utm = service.read(name, CRS="EPSG:25833")
    assert utm.crs.to_epsg() == 25833
    for got, want in zip(utm.geometry, stored.to_crs(25833).geometry, strict=True):
        assert got.equals_exact(want, 1e-3)  # millimetres

    items = f"{service.url}collections/{name}/items"
    page = requests.get(items, params={"f": "json", "limit": 1, "offset": 1}, timeout=10).json()
    assert page["numberMatched"] == 3 and [f["properties"]["navn"] for f in page["features"]] == ["Skogn"]
    assert any(link["rel"] == "next" for link in page["links"])
    found = requests.get(items, params={"f": "json", "navn": "Heimdal «æøå»"}, timeout=10).json()
    assert [f["properties"]["areal"] for f in found["features"]] == [3.25]
    crs = requests.get(f"{service.url}collections/{name}?f=json", timeout=10).json()["crs"]
    assert "http://www.opengis.net/def/crs/EPSG/0/25833" in crs


@needs_nginx
def test_behind_nginx_on_ogc(tmp_path):
    """With PostGIS the service runs behind the app's nginx on /ogc/: its links name that address, so GDAL (QGIS)
    follows them through nginx; nginx lets nothing but GET through."""
    port = free_port()
    public = f"http://127.0.0.1:{port}/ogc/"
    service = Service(Backend("gpkg", tmp_path), tmp_path, public_url=public)
    try:
        with running_nginx(["127.0.0.1:9"], port=port, ogc=f"127.0.0.1:{service.port}"):
            layers = {str(name) for name, _ in pyogrio.list_layers(f"OAPIF:{public}")}
            assert {"parks", f"layer-{service.first.id}"} <= layers
            served = pyogrio.read_dataframe(f"OAPIF:{public}", layer=f"layer-{service.first.id}")
            _same_features(served, service.store.read(service.first.id))
            items = requests.get(f"{public}collections/parks/items", params={"f": "json", "limit": 5}, timeout=10)
            assert all(link["href"].startswith(public) for link in items.json()["links"])
            refused = requests.post(f"{public}collections/parks/items", json={}, timeout=10)
            assert refused.status_code == 403
    finally:
        service.stop()


def test_text_in_the_configuration_is_never_read_as_an_environment_variable(tmp_path, monkeypatch):
    """pygeoapi reads its configuration files with `${NAME}` replaced by the environment variable NAME: a layer
    titled that way by an editor would publish a secret (or, naming none, stop the service from starting)."""
    monkeypatch.setenv("INDUSTRIKART_TEST_SECRET", "hunter2")
    hostile = {
        "type": "collection",
        "title": "Plan ${INDUSTRIKART_TEST_SECRET}",
        "description": {"nb": "${IK_NOT_SET_ANYWHERE}", "en": "${HOME:-x} !env 5000"},
        "keywords": ["true", "12", "${PATH}"],
    }
    config = pygeoapi_config("http://127.0.0.1:9/", {"layer-1": hostile})
    written = tmp_path / "pygeoapi.yml"
    write_yaml(config, written)
    with written.open(encoding="utf-8") as fh:
        assert yaml_load(fh) == config  # numbers and booleans (the port, cors) are read back as they were


def test_a_layer_titled_like_an_environment_variable_is_served_as_titled(tmp_path, monkeypatch):
    monkeypatch.setenv("INDUSTRIKART_TEST_SECRET", "hunter2")
    backend = Backend("gpkg", tmp_path)
    hostile = backend.open().save(
        _layer(), "${INDUSTRIKART_TEST_SECRET}", "other", origin=Origin("t.geojson", None, "test", "")
    )
    service = Service(backend, tmp_path)  # started after the save: the layer is in its first configuration
    try:
        described = requests.get(f"{service.url}collections/layer-{hostile.id}?f=json", timeout=10).json()
        assert described["title"] == "${INDUSTRIKART_TEST_SECRET}"
        assert "hunter2" not in requests.get(f"{service.url}collections?f=json", timeout=10).text
    finally:
        service.stop()


def test_feature_text_stays_text_in_the_html_pages(service):
    """pygeoapi's HTML pages put the features into a <script> as JSON: a value holding "</script>" would end that
    script and start the uploader's own, on the app's address (behind nginx, /ogc/ is the app's origin)."""
    payload = '</script><script>window.__xss=1</script><!--<img src=x onerror="window.__xss=2">'
    script_link = " JavaScript:window.__xss=3//bilde.png"  # pygeoapi shows a value ending in .png as a linked image
    frame = _layer().iloc[:1].assign(navn=[payload], foto=[script_link], bilde=["https://bilder.example/kai.png"])
    added = service.store.save(frame, "Fiendtlig", "other", origin=Origin("x.geojson", None, "test", ""))
    name = f"layer-{added.id}"
    wait_until(lambda: name in service.collections(), CHANGE_TIMEOUT_S, service.tail, service.process)
    try:
        features = _features_in_script(service.url + f"collections/{name}/items?f=html")
        assert [f["properties"]["navn"] for f in features] == [payload]
        one = _features_in_script(service.url + f"collections/{name}/items/{features[0]['id']}?f=html")
        assert [f["properties"]["navn"] for f in one] == [payload]
        page = requests.get(service.url + f"collections/{name}/items/{features[0]['id']}?f=html", timeout=10).text
        addresses = [html_module.unescape(a).strip().lower() for a in re.findall(r'(?:href|src)="([^"]*)"', page)]
        assert not [a for a in addresses if a.startswith("javascript")], addresses
        assert "https://bilder.example/kai.png" in addresses  # an image at a web address is still shown
        assert script_link.strip() in html_module.unescape(page)  # the value is shown, as text
    finally:
        service.store.delete(added.id)


def test_html_pages_run_no_third_partys_script(service):
    """pygeoapi's pages name scripts on unpkg and cdnjs; on the app's own address (/ogc/ behind nginx) the browser
    runs none of them: the policy allows only the service's own and inline scripts. JSON is left as it is."""
    page = requests.get(f"{service.url}collections?f=html", timeout=10)
    assert "unpkg.com" in page.text  # what the policy is there for
    policy = page.headers["Content-Security-Policy"]
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src")).split()[1:]
    assert scripts == ["'self'", "'unsafe-inline'"]
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy
    assert "Content-Security-Policy" not in requests.get(f"{service.url}collections?f=json", timeout=10).headers


def _features_in_script(page: str) -> list[dict]:
    """The features a pygeoapi HTML page puts into its script, read from the script as the browser cuts it out."""
    html = requests.get(page, timeout=10).text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.DOTALL | re.IGNORECASE)
    data = [s for s in scripts if "geojson_data" in s]
    assert data, page
    found = json.loads(data[0].split("var geojson_data = ", 1)[1].split(";\n", 1)[0])
    return found if isinstance(found, list) else [found]
