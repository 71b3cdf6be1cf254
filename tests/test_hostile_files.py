"""Generated hostile and malformed files through the upload page's and the CLI's one pipeline.

Hypothesis generates several hundred files (every one named generated_hostile_…): mutated and truncated GeoJSON,
wrong types, huge/NaN/inf coordinates, invalid JSON, binary junk, empty files, zips with odd members, damaged
GeoPackages and Shapefiles, CSV with formula cells, template syntax, HTML, RTL and zero-width characters and
very long strings. Each file goes the upload page's way (inspect_upload -> prepare -> save) and the way of
`python -m loaders ingest` (loaders.cli.main, in process). Each must be stored, or refused with the loaders'
typed error (LayerError; the store's StoreError for what only the store refuses), never with another
exception; and a refused file leaves the store exactly as it was.

Runs on the GeoPackage store and, when TEST_DATABASE_URL or DATABASE_URL is set, on PostGIS too. The examples are
derandomized (the same every run, a few seconds in all); for a longer hunt with fresh examples run e.g.
    HOSTILE_FILES_SCALE=20 .venv/bin/python -m pytest tests/test_hostile_files.py --hypothesis-show-statistics
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError
from shapely.geometry import LineString, Point, Polygon

from core.schema import UPLOAD_KINDS as KINDS
from loaders import cli
from loaders.errors import LayerError
from loaders.upload.ingest import LayerMapping, prepare, save
from loaders.upload.upload import inspect_upload
from store import StoreError
from tests.helpers.store_fixtures import PG_URL, Backend

NO_PG = 'PostGIS runs need TEST_DATABASE_URL or DATABASE_URL: start one with eval "$(bash tests/postgis.sh start)"'
if os.environ.get("REQUIRE_POSTGIS") and not PG_URL:
    raise RuntimeError("REQUIRE_POSTGIS is set but no PostGIS URL: " + NO_PG)
BACKENDS = [
    pytest.param("gpkg", id="gpkg"),
    pytest.param("postgis", id="postgis", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
]

# Reproducible in CI, nothing written to the working tree (.hypothesis), one store per test for all examples.
SCALE = float(os.environ.get("HOSTILE_FILES_SCALE", "1"))
_FUZZ = settings(
    deadline=None,
    derandomize=SCALE == 1,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(max_examples: int) -> settings:
    return settings(_FUZZ, max_examples=max(1, round(max_examples * SCALE)))


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path, monkeypatch):
    b = Backend(request.param, tmp_path)
    if b.name == "gpkg":
        monkeypatch.setenv("INDUSTRIKART_STORE", b.location)  # what the CLI opens
    else:
        monkeypatch.setenv("DATABASE_URL", PG_URL)
        monkeypatch.setenv("INDUSTRIKART_PG_SCHEMA", b.location)
    store = b.open()
    store.save(generated_frame(), "Generated existing layer", "other")  # a store that is not empty
    yield b
    b.cleanup()


@pytest.fixture
def upload(backend, tmp_path, capsys):
    """upload(data, filename, kind) runs both entry points and checks the contract; returns what happened."""
    counter = iter(range(10**9))

    def run(data: bytes, filename: str, kind: str = "other") -> tuple[str, str]:
        page = page_path(backend, data, filename, kind)
        path = tmp_path / f"generated_hostile_cli_{next(counter)}{Path(filename).suffix[:8]}"
        path.write_bytes(data)
        command = cli_path(backend, path, kind, capsys)
        path.unlink()
        if currently_in_test_context():  # shown by pytest --hypothesis-show-statistics
            event(f"page: {page}")
            event(f"cli: {command}")
        return page, command

    return run


def snapshot(backend) -> tuple:
    store = backend.open()
    layers = [(i.id, i.version, i.feature_count, i.title, i.deleted_at) for i in store.list(include_deleted=True)]
    return layers, backend.physical_tables()


def page_path(backend, data: bytes, filename: str, kind: str) -> str:
    """What pages/3_Last_opp.py does: inspect, take the first readable layer and CRS candidate, prepare, save."""
    before = snapshot(backend)
    try:
        inspection = inspect_upload(data, filename)
        readable = [layer for layer in inspection.layers if layer.problem is None]
        if not readable:
            assert snapshot(backend) == before
            return "no readable layer"
        summary = readable[0]
        crs, swap = (
            (summary.candidates[0].crs, summary.candidates[0].swap_axes) if summary.needs_crs_choice else (None, False)
        )
        prepared = prepare(
            data,
            filename,
            layer=summary.name if len(inspection.layers) > 1 else None,
            crs=crs,
            swap_axes=swap,
            fields=LayerMapping(kind),
        )
    except LayerError as exc:
        assert snapshot(backend) == before, "a refused file changed the store"
        return f"refused ({type(exc).__name__}: {' '.join(str(exc).split()[:5])})"
    store = backend.open()
    try:
        info = save(prepared, store, title="Generated hostile upload", uploader="generated")
    except StoreError as exc:  # what only a store refuses (PostgreSQL: a row over 8 KB)
        assert snapshot(backend) == before, "a refused file changed the store"
        return f"refused by the store ({' '.join(str(exc).split()[:8])})"
    assert info.feature_count == len(prepared.layer) > 0
    assert len(store.read(info.id)) == info.feature_count
    return "stored"


def cli_path(backend, path: Path, kind: str, capsys) -> str:
    """`python -m loaders ingest FILE --kind KIND`, in process: exit 0 and one more layer, or exit 2 and none."""
    before = snapshot(backend)
    capsys.readouterr()
    code = cli.main(["ingest", str(path), "--kind", kind, "--uploader", "generated"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code == 0:
        assert "stored: layer" in out
        assert len(snapshot(backend)[0]) == len(before[0]) + 1
        return "stored"
    assert code == 2 and err.startswith("error: "), (code, err)
    assert snapshot(backend) == before, "a refused file changed the store"
    return "refused"


# --- generated content -----------------------------------------------------------------------------

HOSTILE_TEXTS = [
    "{{ 7*7 }}",
    "{% for x in range(9) %}{{ x }}{% endfor %}",
    "{{ config.__class__.__init__.__globals__ }}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "<script>alert('generated')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://example.invalid","klikk")',
    "+1+1",
    "-2+3",
    "@SUM(1;1)",
    "\t=1+1",
    "\u202egnp.exe\u202c",
    "\u200b\u200c\u200d\u2060\ufeff",
    "שלום مرحبا",
    "Robert'); DROP TABLE industrikart_layers; --",
    "%s %n %x {0} {}",
    "../../etc/passwd",
    "C:\\Windows\\system32",
    "Ærlig talt: Østre Å-gate, blåbærsyltetøy",
    "🏭" * 20,
    "a" * 20_000,
    "line\r\nbreak\rand\nmore",
    "NaN",
    "Infinity",
    "1e999",
    "-0",
    "null",
    "true",
    "",
    "   ",
    "\u0000",
    "nul\u0000inside",
    "\ud800",
    "\x1b[31mred\x1b[0m",
]
HOSTILE_KEYS = [
    *HOSTILE_TEXTS[:24],
    "geometry",
    "Geometry",
    "geom",
    "fid",
    "FID",
    "_ord",
    "id",
    "navn",
    "NAVN",
    "a.b",
    "lat",
    "lon",
    "x" * 300,
    "x" * 301,
]
texts = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_TEXTS[:20]), st.text(max_size=8)),
)
keys = st.one_of(st.sampled_from(HOSTILE_KEYS), st.text(max_size=12))
numbers = st.one_of(
    st.floats(min_value=9.0, max_value=12.0),
    st.floats(min_value=62.5, max_value=65.0),
    st.floats(min_value=2e5, max_value=7e5),
    st.floats(min_value=6.9e6, max_value=7.3e6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 5e-324, 0.0, -0.0, 10**400, -(10**400), 2**63, 2**64]),
    st.integers(min_value=-(2**70), max_value=2**70),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3), max_leaves=8
)
junk = st.one_of(st.none(), st.booleans(), texts, st.dictionaries(keys, scalars, max_size=2), st.just([]))
position = st.one_of(
    st.lists(numbers, min_size=2, max_size=2),
    st.lists(numbers, min_size=0, max_size=5),
    st.lists(scalars, min_size=1, max_size=3),
    junk,
)
positions = st.lists(position, max_size=6)
coordinates = st.one_of(
    position, positions, st.lists(positions, max_size=3), st.lists(st.lists(positions, max_size=2), max_size=2), junk
)
GEOMETRY_TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]


def trondelag_geometry(draw) -> dict:
    lon, lat = draw(st.floats(9.0, 12.0)), draw(st.floats(62.5, 65.0))
    kind = draw(st.sampled_from(["Point", "LineString", "Polygon"]))
    if kind == "Point":
        return {"type": "Point", "coordinates": [lon, lat]}
    if kind == "LineString":
        return {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.01, lat + 0.01]]}
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@st.composite
def geometries(draw, depth: int = 0) -> object:
    choice = draw(st.integers(0, 9))
    if choice <= 3:
        return trondelag_geometry(draw)
    if choice <= 6:
        kind = draw(st.one_of(st.sampled_from(GEOMETRY_TYPES), texts))
        geometry = {"type": kind, "coordinates": draw(coordinates)}
        if draw(st.booleans()):
            geometry.pop("coordinates")
        return geometry
    if choice == 7 and depth < 2:
        return {"type": "GeometryCollection", "geometries": draw(st.lists(geometries(depth + 1), max_size=3))}
    return draw(junk)


@st.composite
def well_formed_features(draw) -> dict:
    """A valid Feature around Trøndelag whose property keys and values are hostile."""
    feature = {
        "type": "Feature",
        "properties": draw(st.dictionaries(keys, json_values, max_size=5) | st.none()),
        "geometry": trondelag_geometry(draw) if draw(st.integers(0, 7)) else None,
    }
    if draw(st.booleans()):
        feature["id"] = draw(scalars)
    return feature


@st.composite
def features(draw) -> object:
    if draw(st.integers(0, 15)) == 0:
        return draw(junk)
    feature = {
        "type": draw(st.sampled_from(["Feature", "Feature", "Feature", "feature", "FeatureCollection"])),
        "properties": draw(st.dictionaries(keys, json_values, max_size=5) if draw(st.integers(0, 4)) else junk),
        "geometry": draw(geometries()),
    }
    if draw(st.booleans()):
        feature["id"] = draw(json_values)
    return feature


CRS_MEMBERS = [
    {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
    {"type": "name", "properties": {"name": "EPSG:4326"}},
    {"type": "name", "properties": {"name": "EPSG:999999"}},
    {"type": "name", "properties": {"name": "<script>alert(1)</script>"}},
    {"type": "link", "properties": {"href": "file:///etc/passwd", "type": "proj4"}},
    {"type": "name", "properties": None},
    "EPSG:25833",
    None,
    [],
]


@st.composite
def geojson_documents(draw) -> object:
    """Mostly well-formed collections with hostile values; a third with hostile structure too."""
    items = well_formed_features() if draw(st.integers(0, 2)) else features()
    collection = {
        "type": "FeatureCollection",
        "features": draw(st.lists(items, min_size=draw(st.sampled_from([0, 1, 1])), max_size=5)),
    }
    if draw(st.integers(0, 3)) == 0:
        collection["crs"] = draw(st.sampled_from(CRS_MEMBERS))
    shape = draw(st.integers(0, 11))
    if shape <= 7:
        return collection
    if shape == 8:  # Geonorge's wrapper of several collections
        return draw(st.dictionaries(texts, st.just(collection) | junk, min_size=1, max_size=3))
    if shape == 9:
        return draw(features())
    if shape == 10:
        return draw(geometries())
    return draw(json_values)


def encode_json(document: object, ascii_only: bool, bom: bool) -> bytes:
    text = json.dumps(document, ensure_ascii=ascii_only, allow_nan=True)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass")


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """Truncated, bit-flipped, spliced or with a range deleted or repeated."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.integers(0, 4))
        if op == 0:
            data = data[:at]
        elif op == 1:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == 2:
            data[at:at] = draw(
                st.binary(min_size=1, max_size=16) | st.sampled_from([b"{", b"]", b'"', b"\x00", b"NaN"])
            )
        elif op == 3:
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


def generated_frame() -> gpd.GeoDataFrame:
    square = Polygon([(10.0, 63.0), (10.1, 63.0), (10.1, 63.1), (10.0, 63.0)])
    return gpd.GeoDataFrame(
        {"navn": ["Generert punkt «æøå»", "Generert linje", "Generert flate"], "antall": [1, 2, 3]},
        geometry=[Point(10.4, 63.4), LineString([(10.0, 63.0), (10.5, 63.5)]), square],
        crs="EPSG:4326",
    )


def _seed_files(folder: Path) -> dict[str, bytes]:
    """Valid generated files of every format, to be mutated."""
    frame = generated_frame()
    seeds = {".geojson": frame.to_json(drop_id=True).encode()}
    frame.to_file(folder / "generated_seed.gpkg", layer="generated_seed", driver="GPKG")
    seeds[".gpkg"] = (folder / "generated_seed.gpkg").read_bytes()
    frame.to_file(folder / "generated_seed.kml", driver="KML")
    seeds[".kml"] = (folder / "generated_seed.kml").read_bytes()
    points = frame.iloc[[0]]
    points.to_file(folder / "generated_seed.shp")
    seeds[".zip"] = zip_of(
        {p.name: p.read_bytes() for p in folder.glob("generated_seed.*") if p.suffix != ".gpkg" and p.suffix != ".kml"}
    )
    seeds[".csv"] = b"navn;lat;lon\nGenerert A;63,43;10,39\nGenerert B;63,5;10,5\n"
    seeds[".xlsx"] = xlsx_of([["navn", "lat", "lon"], ["Generert A", 63.43, 10.39], ["=1+1", "63,5", "10,5"]])
    return seeds


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def xlsx_of(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


with tempfile.TemporaryDirectory(prefix="generated_hostile_seeds_") as _folder:
    SEEDS = _seed_files(Path(_folder))
    SHAPEFILE_PARTS = {
        p.suffix: p.read_bytes() for p in Path(_folder).glob("generated_seed.*") if p.suffix not in (".gpkg", ".kml")
    }
EXTENSIONS = [".geojson", ".json", ".gpkg", ".zip", ".kml", ".kmz", ".csv", ".txt", ".xlsx", ".shp", ".xls", ".bin", ""]
MAGIC = [
    b"",
    b"{",
    b"[",
    b"PK\x03\x04",
    b"SQLite format 3\x00",
    b"<?xml version='1.0'?>",
    b"<kml>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]
# Mostly "other", the page's default, which keeps every field; the schema kinds refuse what lacks their fields.
kinds = st.sampled_from(["other", "other", "other", *KINDS])


# --- the tests -------------------------------------------------------------------------------------


@fuzz(70)
@given(document=geojson_documents(), ascii_only=st.booleans(), bom=st.booleans(), kind=kinds, stem=texts)
def test_generated_geojson_with_hostile_values_and_coordinates(upload, document, ascii_only, bom, kind, stem):
    upload(encode_json(document, ascii_only, bom), f"generated_hostile_{stem}.geojson", kind)


@fuzz(60)
@given(data=st.data(), extension=st.sampled_from(sorted(SEEDS)), kind=kinds)
def test_mutated_and_truncated_files_of_every_format(upload, data, extension, kind):
    upload(data.draw(mutated(SEEDS[extension])), f"generated_hostile_mutated{extension}", kind)


@fuzz(40)
@given(
    magic=st.sampled_from(MAGIC),
    body=st.one_of(st.binary(max_size=600), st.sampled_from([b"", b" \n\t\r ", b"\x00" * 64, b"\xef\xbb\xbf"])),
    extension=st.sampled_from(EXTENSIONS),
)
def test_binary_junk_and_empty_files(upload, magic, body, extension):
    upload(magic + body, f"generated_hostile_junk{extension}")


CSV_HEADERS = [
    "lat",
    "lon",
    "Breddegrad",
    "Lengdegrad",
    "øst",
    "nord",
    "Øst UTM33",
    "x",
    "y",
    "epsg",
    "navn",
    "=SUM(A1)",
]


CSV_PAIRS = [("lat", "lon"), ("Breddegrad", "Lengdegrad"), ("øst", "nord"), ("Øst UTM33", "Nord UTM33"), ("x", "y")]
cells = st.one_of(
    texts,
    texts,
    numbers.map(str),
    st.sampled_from(["=1+1", "@A1", "+47 12345678", "-", "..", "63,4", "10,4", '"', '""', ";", "\n"]),
)


@st.composite
def csv_tables(draw) -> tuple[list[str], list[list[str]]]:
    """Half with a coordinate pair whose cells mostly hold coordinates; every other cell hostile."""
    header = draw(st.lists(st.one_of(st.sampled_from(CSV_HEADERS), keys), min_size=1, max_size=5))
    width = len(header) + draw(st.sampled_from([0, 0, 0, 1]))  # now and then a row longer than the header
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=5))
    if draw(st.integers(0, 2)):
        x, y = draw(st.sampled_from(CSV_PAIRS))
        lonlat = x in ("lat", "Breddegrad")
        header = [x, y, *header]
        for row in rows:
            if draw(st.integers(0, 5)):
                a = draw(st.floats(62.5, 65.0) if lonlat else st.floats(2e5, 7e5))
                b = draw(st.floats(9.0, 12.0) if lonlat else st.floats(6.9e6, 7.3e6))
                row[:0] = [str(a).replace(".", draw(st.sampled_from([".", ","]))), str(b)]
            else:
                row[:0] = draw(st.lists(cells, min_size=2, max_size=2))
    return header, rows


@fuzz(40)
@given(
    table=csv_tables(),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    extension=st.sampled_from([".csv", ".txt"]),
    kind=kinds,
    quoted=st.booleans(),
)
def test_generated_csv_with_formulas_templates_and_junk_coordinates(
    upload, table, delimiter, encoding, extension, kind, quoted
):
    header, rows = table
    if quoted:  # as Excel and csv.writer write it: cells with delimiters, quotes or line breaks quoted
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
        text = out.getvalue()
    else:
        text = "\n".join([delimiter.join(header)] + [delimiter.join(row) for row in rows])
    data = text.encode(encoding, errors="replace")
    upload(data, f"generated_hostile{extension}", kind)


ODD_NAMES = [
    "generated.geojson",
    "../generated_climbs.geojson",
    "/generated_absolute.geojson",
    "C:/generated_drive.csv",
    "folder/",
    "folder/generated.geojson",
    "__MACOSX/._generated.geojson",
    ".geojson",
    "generated.GEOJSON",
    "generated.shp",
    "generated.SHX",
    "generated.dbf",
    "generated.prj",
    "generated.cpg",
    "nested.zip",
    "nested.kmz",
    "generated.kml",
    "generated.csv",
    "generated.xlsx",
    "generated.gpkg",
    "\u202egnp.csv",
    "{{ 7*7 }}.geojson",
    "<script>.csv",
    "readme.txt",
]


@st.composite
def zip_members(draw) -> bytes:
    names = draw(
        st.lists(
            st.sampled_from(ODD_NAMES) | keys.map(lambda k: k.replace("\x00", "") + ".geojson"), min_size=0, max_size=5
        )
    )
    members = {}
    for name in names:
        source = draw(st.integers(0, 4))
        if source == 0:
            content = encode_json(draw(geojson_documents()), True, False)
        elif source == 1:
            content = draw(st.binary(max_size=200))
        elif source == 2:
            suffix = Path(name).suffix.lower()
            content = SHAPEFILE_PARTS.get(suffix) or SEEDS.get(suffix) or SEEDS[".geojson"]
        elif source == 3:
            content = draw(mutated(SEEDS[draw(st.sampled_from(sorted(SEEDS)))]))
        else:
            content = SEEDS[".csv"]
        members[name] = content
    if draw(st.integers(0, 2)) == 0:  # a whole valid Shapefile, under an odd stem
        stem = draw(st.sampled_from(["generated", "Generert æøå", "{{ 7*7 }}", "a" * 120]))
        members.update({stem + suffix: content for suffix, content in SHAPEFILE_PARTS.items()})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = draw(
                st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
            )
            if draw(st.integers(0, 9)) == 0:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content)
    data = out.getvalue()
    return draw(mutated(data)) if draw(st.integers(0, 3)) == 0 else data


@fuzz(45)
@given(data=zip_members(), extension=st.sampled_from([".zip", ".zip", ".zip", ".kmz", ".xlsx"]), kind=kinds)
def test_zip_files_with_odd_members(upload, data, extension, kind):
    upload(data, f"generated_hostile{extension}", kind)


@fuzz(25)
@given(
    name=texts,
    description=texts,
    coordinates=st.sampled_from(["10.4,63.4", "10.4,63.4,0", "nan,nan", "1e999,1", "", "a,b", "10.4"]),
    escape=st.booleans(),
)
def test_generated_kml_with_hostile_text(upload, name, description, coordinates, escape):
    from xml.sax.saxutils import escape as xml_escape

    def text(value: str) -> str:
        return xml_escape(value) if escape else value

    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{text(name)}</name><Placemark><name>{text(name)}</name><description>{text(description)}</description>"
        f"<Point><coordinates>{coordinates}</coordinates></Point></Placemark></Document></kml>"
    )
    upload(document.encode("utf-8", "surrogatepass"), "generated_hostile.kml")


@fuzz(15)
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                texts.map(lambda s: s.replace("\x00", "")[:2000]),
                st.floats(allow_nan=False, allow_infinity=False),
                st.integers(-(2**40), 2**40),
            ),
            max_size=4,
        ),
        max_size=4,
    ),
    header=st.sampled_from([["navn", "lat", "lon"], ["Øst", "Nord"], ["=1+1", "x", "y"]]),
)
def test_generated_xlsx_with_formula_cells(upload, rows, header):
    try:
        data = xlsx_of([header, *rows, ['=HYPERLINK("https://example.invalid")', 63.4, 10.4]])
    except IllegalCharacterError:  # openpyxl refuses control characters itself: such a workbook cannot be made
        return
    upload(data, "generated_hostile.xlsx")


FIXED_CASES = {
    "billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><kml xmlns="http://www.opengis.net/kml/2.2">'
        b"<Placemark><name>&lol3;</name><Point><coordinates>10.4,63.4</coordinates></Point></Placemark></kml>",
        "generated_hostile_entities.kml",
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name>'
        b"<Point><coordinates>10.4,63.4</coordinates></Point></Placemark></kml>",
        "generated_hostile_xxe.kml",
    ),
    "deep nesting": (
        b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "generated_hostile_deep.geojson",
    ),
    "deep properties": (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[10.4,63.4]},'
        b'"properties":' + b'{"a":' * 900 + b"1" + b"}" * 900 + b"}]}",
        "generated_hostile_deep_properties.geojson",
    ),
    "huge integer coordinate": (
        b'{"type":"Point","coordinates":[1' + b"0" * 400 + b", 63.4]}",
        "generated_hostile_huge_int.geojson",
    ),
    "integers past int64 in every row": (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":9223372036854775808},'
        b'"geometry":{"type":"Point","coordinates":[10.4,63.4]}}]}',
        "generated_hostile_uint64.geojson",
    ),
    "an integer past any float beside floats": (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1' + b"0" * 400 + b"},"
        b'"geometry":{"type":"Point","coordinates":[10.4,63.4]}},{"type":"Feature","properties":{"n":1.5},'
        b'"geometry":{"type":"Point","coordinates":[10.5,63.4]}}]}',
        "generated_hostile_huge_property.geojson",
    ),
    "NaN coordinates": (b'{"type":"Point","coordinates":[NaN, Infinity]}', "generated_hostile_nan.geojson"),
    "long key": (
        json.dumps(
            {
                "type": "Feature",
                "properties": {"k" * 100_000: "v" * 1_000_000},
                "geometry": {"type": "Point", "coordinates": [10.4, 63.4]},
            }
        ).encode(),
        "generated_hostile_long.geojson",
    ),
    "many columns": (
        json.dumps(
            {
                "type": "Feature",
                "properties": {f"felt {i}": i for i in range(3000)},
                "geometry": {"type": "Point", "coordinates": [10.4, 63.4]},
            }
        ).encode(),
        "generated_hostile_many_columns.geojson",
    ),
    "case-folded duplicate keys": (
        b'{"type":"Feature","properties":{"Navn":"a","navn":"b","NAVN":"c","geometry":"d","fid":1},'
        b'"geometry":{"type":"Point","coordinates":[10.4,63.4]}}',
        "generated_hostile_keys.geojson",
    ),
    "zip bomb": (zip_of({"generated.geojson": b" " * (3 * 1024 * 1024)}), "generated_hostile_bomb.zip"),
    "zip in zip in zip": (
        zip_of({"a.zip": zip_of({"b.zip": zip_of({"c.geojson": SEEDS[".geojson"]})})}),
        "generated_hostile_nested.zip",
    ),
    "shapefile without shx": (
        zip_of({"generated.shp": SHAPEFILE_PARTS[".shp"], "generated.dbf": SHAPEFILE_PARTS[".dbf"]}),
        "generated_hostile_no_shx.zip",
    ),
    "shx pointing past the end": (
        zip_of(
            {
                **{f"generated{s}": c for s, c in SHAPEFILE_PARTS.items()},
                "generated.shx": SHAPEFILE_PARTS[".shx"][:100] + b"\x7f\xff\xff\xf0\x7f\xff\xff\xf0",
            }
        ),
        "generated_hostile_bad_shx.zip",
    ),
    "lone surrogate escapes": (
        b'{"type":"Feature","properties":{"\\udc80":"\\ud800","pair":"\\ud83c\\udfed","x":["\\udfff"]},'
        b'"geometry":{"type":"Point","coordinates":[10.4,63.4]}}',
        "generated_hostile_surrogates.geojson",
    ),
    "lone surrogate layer names": (
        b'{"\\ud800":{"type":"FeatureCollection","features":[]},"b":{"type":"FeatureCollection","features":[]}}',
        "generated_hostile_surrogate_layers.geojson",
    ),
    "surrogate in the file name": (SEEDS[".geojson"], "generated_hostile_\udcff.geojson"),
    "damaged utf-16 csv": (b"\xff\xfen\x00a\x00v\x00", "generated_hostile_utf16_damaged.csv"),
    "csv formula only": (b"=cmd|' /C calc'!A0;+1;-1\n@SUM(1);=1;=2\n", "generated_hostile_formula.csv"),
    "csv utf-16 bom": ("navn;lat;lon\n{{ 7*7 }};63,4;10,4\n".encode("utf-16"), "generated_hostile_utf16.csv"),
    "csv unbalanced quote": (b'navn;lat;lon\n"open;63,4;10,4\n', "generated_hostile_quote.csv"),
}


@pytest.mark.parametrize("case", list(FIXED_CASES))
def test_hand_written_hostile_files(upload, case):
    data, filename = FIXED_CASES[case]
    upload(data, filename)


def test_an_external_entity_is_never_read_into_the_store(upload, backend):
    data, filename = FIXED_CASES["external entity"]
    upload(data, filename)
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").exists() else ""
    store = backend.open()
    for info in store.list():
        text = store.read(info.id).drop(columns="geometry").astype(str).to_string()
        assert not hostname or hostname not in text
