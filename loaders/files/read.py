"""The one way from an uploaded file to its layers: `open_source` picks the reader by the file's name (or, when the
name says nothing, its first bytes), the same table reads every readable member of a zip, and every reader returns
`RawLayer`s (loaders/files/raw.py) for `loaders/upload/upload.py` to settle the CRS and validate. Nothing here
reprojects or repairs.

- GeoJSON (.geojson, .json): loaders/files/geojson.py (own code: why, its docstring says).
- GeoPackage (.gpkg), KML/KMZ (.kml, .kmz), Shapefile: loaders/files/ogr.py (pyogrio/GDAL, one layer per table,
  folder or .shp), in a worker process with limits.
- CSV (.csv, .txt), XLSX (.xlsx, .xlsm): loaders/files/points.py, one point per row from coordinate columns.
- Zip (.zip): checked by loaders/files/archive.py before anything is unpacked (so are a KMZ and an XLSX, which are
  zips too); then every Shapefile (.shp with .shx and .dbf) and every GeoJSON, GeoPackage, KML, KMZ, CSV or XLSX
  inside it is a layer.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.messages import Message
from loaders.errors import FileFormatError
from loaders.files.archive import SafeZip, ZipLimits, open_zip
from loaders.files.geojson import read_geojson
from loaders.files.ogr import read_gpkg, read_kml, read_shapefile
from loaders.files.points import read_csv, read_xlsx
from loaders.files.raw import RawLayer, Source
from loaders.files.text import file_stem

FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".kml": "kml",
    ".kmz": "kmz",
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
SUPPORTED_TEXT = ".geojson, .json, .gpkg, .zip (Shapefile), .kml, .kmz, .csv, .xlsx"
_ZIP_MEMBERS = {".geojson", ".json", ".gpkg", ".kml", ".kmz", ".csv", ".xlsx"}  # read inside a zip (and .shp)


@dataclass(frozen=True)
class _File:
    """A file to read: the upload itself, or a member of an uploaded zip (`member` then names it)."""

    data: bytes
    name: str
    folder: Path  # a folder of its own, for what GDAL reads from disk
    limits: ZipLimits
    member: str | None = None

    def checked_zip(self, label: str) -> bytes:
        """The data, once its table of contents passed the zip checks (a KMZ and an XLSX are zips)."""
        open_zip(
            self.data, self.limits, Message("label_member", member=self.member) if self.member else Message(label)
        ).close()
        return self.data


_READERS: dict[str, Callable[[_File], list[RawLayer]]] = {
    "geojson": lambda f: read_geojson(f.data, file_stem(f.name)),
    "gpkg": lambda f: read_gpkg(f.data, f.folder, f.member),
    "kml": lambda f: read_kml(f.data, f.folder, "kml"),
    "kmz": lambda f: read_kml(f.checked_zip("label_kmz"), f.folder, "kmz"),
    "csv": lambda f: read_csv(f.data, file_stem(f.name)),
    "xlsx": lambda f: read_xlsx(f.checked_zip("label_xlsx")),
}


def detect_format(filename: str, data: bytes) -> str:
    """The format by the file's extension, or by its first bytes when the extension says nothing."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix == ".shp":
        raise FileFormatError("shapefile_alone")
    if suffix == ".xls":
        raise FileFormatError("xls_old")
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "geojson"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith((b"<?xml", b"<kml")):
        return "kml"
    raise FileFormatError("not_supported", name=filename, supported=SUPPORTED_TEXT)


@contextlib.contextmanager
def open_source(data: bytes, filename: str, zip_limits: ZipLimits) -> Iterator[Source]:
    """Layers in an uploaded file, loadable while the context is open (some need a temporary folder)."""
    fmt = detect_format(filename, data)
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        if fmt == "zip":
            source = _read_zip(data, Path(folder), zip_limits)
        else:
            source = Source(fmt, _READERS[fmt](_File(data, filename, Path(folder), zip_limits)))
        if not source.layers:
            raise FileFormatError("no_layers", name=filename)
        yield source


def _read_zip(data: bytes, workdir: Path, limits: ZipLimits) -> Source:
    archive = open_zip(data, limits)
    try:
        return _zip_layers(archive, workdir, limits)
    finally:
        archive.close()


def _zip_layers(archive: SafeZip, workdir: Path, limits: ZipLimits) -> Source:
    by_lower = {m.filename.lower(): m for m in archive.members}
    shapefiles = [m for m in archive.members if m.filename.lower().endswith(".shp")]
    others = [m for m in archive.members if PurePosixPath(m.filename.lower()).suffix in _ZIP_MEMBERS]
    if not shapefiles and not others:
        listing = tuple(repr(n) for n in archive.names[:12]) or Message("nothing")
        raise FileFormatError("zip_nothing_readable", listing=listing)
    layers: list[RawLayer] = []
    several = len(shapefiles) + len(others) > 1
    for index, member in enumerate(shapefiles):
        layers.append(_shapefile_layer(archive, member, by_lower, workdir / f"shp{index}"))
    for index, member in enumerate(others):
        folder = workdir / f"member{index}"
        folder.mkdir()
        fmt = FORMATS[PurePosixPath(member.filename.lower()).suffix]
        found = _READERS[fmt](_File(archive.read(member), member.filename, folder, limits, member.filename))
        stem = file_stem(member.filename)
        for layer in found:
            if several and len(found) > 1:
                layer.name = f"{stem}/{layer.name}"
            elif several:
                layer.name = stem
        layers.extend(found)
    names = [layer.name for layer in layers]
    for layer in layers:
        if names.count(layer.name) > 1:
            raise FileFormatError("zip_same_names", layer=layer.name)
    return Source("shapefile" if shapefiles and not others else "zip", layers)


def _shapefile_layer(archive: SafeZip, shp, by_lower: dict, folder: Path) -> RawLayer:
    """The Shapefile whose .shp is `shp`, its parts unpacked under flat, fixed names (nothing from the zip's paths)."""
    base = shp.filename[:-4]
    parts = {}
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        member = by_lower.get((base + ext).lower())
        if member is not None:
            parts[ext] = member
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise FileFormatError("shapefile_incomplete", member=shp.filename, missing=tuple(missing))
    folder.mkdir()
    for ext, member in parts.items():
        (folder / f"layer{ext}").write_bytes(archive.read(member))
    return read_shapefile(folder / "layer.shp", file_stem(shp.filename))
