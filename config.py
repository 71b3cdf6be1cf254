"""The one place for settings: paths, basemaps, colours, map defaults and limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
GEODATA_DIR = ROOT / "geodata"
STATIC_DIR = ROOT / "static"

# Leaflet is served by Streamlit's static serving (see .streamlit/config.toml),
# so maps draw with no network. Paths are relative to STATIC_DIR.
LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"

CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25833"  # UTM 33N: metres for buffers, distances and areas

MAP_CENTER = (63.85, 11.0)  # lat, lon: the middle of Trøndelag
MAP_ZOOM = 7
MAP_MAX_ZOOM = 18
SEARCH_ZOOM = 13
MAP_HEIGHT = 620


@dataclass(frozen=True)
class Basemap:
    key: str
    url: str | None
    attribution: str
    max_zoom: int = 18


BASEMAPS: dict[str, Basemap] = {
    "kartverket_topo": Basemap(
        "kartverket_topo",
        "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png",
        '&copy; <a href="https://www.kartverket.no/">Kartverket</a>',
    ),
    "kartverket_grey": Basemap(
        "kartverket_grey",
        "https://cache.kartverket.no/v1/wmts/1.0.0/topograatone/default/webmercator/{z}/{y}/{x}.png",
        '&copy; <a href="https://www.kartverket.no/">Kartverket</a>',
    ),
    "osm": Basemap(
        "osm",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        max_zoom=19,
    ),
    "none": Basemap("none", None, ""),
}
DEFAULT_BASEMAP = "kartverket_grey"

# Colours (colour-blind safe pairs where they carry meaning).
PARK_STATUS_COLOURS = {
    "etablert": "#1b7837",
    "under utvikling": "#e08214",
    "planlagt": "#2166ac",
    None: "#7f7f7f",  # status not stated by the source
}
CLUSTER_COLOURS = [
    "#7b3294",
    "#008837",
    "#d95f02",
    "#1f78b4",
    "#e7298a",
    "#66a61e",
    "#a6761d",
    "#666666",
]
SOURCE_COLOUR = "#b2182b"

# Circle area is proportional to tonnes: radius = sqrt(t / SOURCE_T_PER_PX2 / pi).
SOURCE_T_PER_PX2 = 300.0
SOURCE_MIN_RADIUS = 4.0
SOURCE_NO_FIGURE_RADIUS = 6.0
MEMBER_RADIUS = 5.0
PARK_RADIUS = 8.0

# Upload and file limits (used by loaders).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
FEATURE_COUNT_WARNING = 50_000

# The layer store (store/): a GeoPackage at STORE_PATH (git-ignored data/), or the file named by
# INDUSTRIKART_STORE; DATABASE_URL switches to PostgreSQL/PostGIS, tables in STORE_PG_SCHEMA.
STORE_PATH = ROOT / "data" / "layers.gpkg"
STORE_PG_SCHEMA = "industrikart"
STORE_LOCK_TIMEOUT = 120.0  # seconds a writer waits for another before giving up
STORE_PURGE_DAYS = 30  # deleted layers stay restorable this long
