"""The one place for settings: paths, basemaps, colours, map defaults and limits, and `settings()`, the one object
that reads the environment."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
STATIC_DIR = ROOT / "static"

# The layer store (store/): a GeoPackage at STORE_PATH (git-ignored data/), or the file named by
# INDUSTRIKART_STORE; DATABASE_URL switches to PostgreSQL/PostGIS, tables in INDUSTRIKART_PG_SCHEMA or STORE_PG_SCHEMA.
STORE_PATH = ROOT / "data" / "layers.gpkg"
STORE_PG_SCHEMA = "industrikart"
# The accessibility statement's feedback address (the county's post office until the owner names its own).
ACCESSIBILITY_CONTACT = "postmottak@trondelagfylke.no"
UUSTATUS_URL = "https://uustatus.no/"  # until the published statement's own address is set
EDITOR_PASSWORD_ENV = "INDUSTRIKART_EDITOR_PASSWORD"  # set: editors sign in with it (else Streamlit's secrets)
# A working day: Streamlit keeps its identity cookie for 30 days, whatever the provider says; the app asks again
# after this many hours since the ID token was issued (INDUSTRIKART_SIGN_IN_HOURS).
SIGN_IN_HOURS = 10.0


@dataclass(frozen=True)
class StoreLocation:
    """Where the layer store is: PostgreSQL/PostGIS at `url` (tables in `schema`) when a URL is given, else the
    GeoPackage at `path`."""

    url: str
    schema: str
    path: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StoreLocation:
        """DATABASE_URL, INDUSTRIKART_PG_SCHEMA and INDUSTRIKART_STORE as `env` has them; STORE_PATH and
        STORE_PG_SCHEMA where they are unset or blank."""
        return cls(
            url=(env.get("DATABASE_URL") or "").strip(),
            schema=(env.get("INDUSTRIKART_PG_SCHEMA") or "").strip() or STORE_PG_SCHEMA,
            path=Path((env.get("INDUSTRIKART_STORE") or "").strip() or STORE_PATH),
        )

    @property
    def key(self) -> str:
        """The store's address, naming it in cache keys and tile folders (a URL may hold a password: never shown)."""
        return self.url or str(self.path)


OVERLAY_ALLOW_PRIVATE_ENV = "INDUSTRIKART_OVERLAY_ALLOW_PRIVATE"


@dataclass(frozen=True)
class Settings:
    """Everything the app takes from the environment, read once per process by `settings()`."""

    store: StoreLocation
    geodata_dir: Path  # INDUSTRIKART_GEODATA: the bundled data, or another folder of the same layout
    tile_dir: Path  # INDUSTRIKART_TILES: the vector-tile cache (served only while it is under STATIC_DIR)
    tile_secret_file: Path  # INDUSTRIKART_TILE_SECRET_FILE: the key that names a store's tile folder
    frame_ancestors: str  # 'self' and INDUSTRIKART_FRAME_ANCESTORS: who may show the app in a frame
    trusted_proxies: frozenset[str]  # INDUSTRIKART_TRUSTED_PROXIES: addresses whose X-Real-IP is believed
    editor_password: str  # EDITOR_PASSWORD_ENV; empty: none set in the environment
    boundaries_file: str  # INDUSTRIKART_BOUNDARIES: a municipality boundary file to use; empty: none named
    accessibility_contact: str  # INDUSTRIKART_ACCESSIBILITY_CONTACT: where the accessibility statement sends feedback
    accessibility_statement_url: str  # INDUSTRIKART_ACCESSIBILITY_STATEMENT_URL: the statement published on uustatus.no
    sign_in_hours: float  # INDUSTRIKART_SIGN_IN_HOURS: an OIDC sign-in older than this must be made again
    sign_in_to_view: bool  # INDUSTRIKART_SIGN_IN_TO_VIEW=1: with OIDC, only people signed in see anything
    ogc_url: str  # INDUSTRIKART_OGC_URL: the OGC API – Features address (ogc/) given to QGIS users; empty: none shown
    ogc_database_url: (
        str  # INDUSTRIKART_OGC_DATABASE_URL: the read-only role ogc/ reads PostGIS as; empty: DATABASE_URL
    )
    # INDUSTRIKART_OVERLAY_ALLOW_PRIVATE=1: map services on loopback or private addresses may be read (a map server
    # inside the installation's own network; the tests' loopback MapServer). Off: such addresses are refused.
    overlay_allow_private: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        return cls(
            store=StoreLocation.from_env(env),
            geodata_dir=Path(env.get("INDUSTRIKART_GEODATA") or ROOT / "geodata"),
            tile_dir=Path(env.get("INDUSTRIKART_TILES") or STATIC_DIR / "tiles"),
            tile_secret_file=Path(env.get("INDUSTRIKART_TILE_SECRET_FILE") or ROOT / "data" / "tile_secret"),
            frame_ancestors=" ".join(["'self'", *env.get("INDUSTRIKART_FRAME_ANCESTORS", "").split()]),
            trusted_proxies=frozenset(env.get("INDUSTRIKART_TRUSTED_PROXIES", "").split()),
            editor_password=env.get(EDITOR_PASSWORD_ENV) or "",
            boundaries_file=(env.get("INDUSTRIKART_BOUNDARIES") or "").strip(),
            accessibility_contact=_setting(env, "INDUSTRIKART_ACCESSIBILITY_CONTACT", ACCESSIBILITY_CONTACT),
            accessibility_statement_url=_setting(env, "INDUSTRIKART_ACCESSIBILITY_STATEMENT_URL", UUSTATUS_URL),
            sign_in_hours=_hours(env.get("INDUSTRIKART_SIGN_IN_HOURS"), SIGN_IN_HOURS),
            sign_in_to_view=_setting(env, "INDUSTRIKART_SIGN_IN_TO_VIEW", "0") in {"1", "true", "yes"},
            ogc_url=(env.get("INDUSTRIKART_OGC_URL") or "").strip(),
            ogc_database_url=(env.get("INDUSTRIKART_OGC_DATABASE_URL") or "").strip(),
            overlay_allow_private=_setting(env, OVERLAY_ALLOW_PRIVATE_ENV, "0") in {"1", "true", "yes"},
        )


# A stored layer's collection in the OGC API service (ogc/): the same name for every version, so a QGIS project keeps it
OGC_COLLECTION = "layer-{id}"


def _hours(value: str | None, default: float) -> float:
    """A positive number of hours; `default` where unset, blank or not one."""
    try:
        hours = float((value or "").strip() or default)
    except ValueError:
        return default
    return hours if 0 < hours < 24 * 366 else default


def _setting(env: Mapping[str, str], name: str, default: str) -> str:
    """`env[name]` without surrounding blanks; `default` where it is unset or blank."""
    return (env.get(name) or "").strip() or default


@functools.cache
def settings() -> Settings:
    """This process's settings, read from the environment once (tests that change it call settings.cache_clear())."""
    return Settings.from_env(os.environ)


# The bundled data (INDUSTRIKART_GEODATA points the app at another folder of the same layout). This path and the
# tile folders below are taken from the settings once, when config is imported: files and defaults hang off them.
GEODATA_DIR = settings().geodata_dir

# Leaflet is served by Streamlit's static serving (see .streamlit/config.toml),
# so maps draw with no network. Paths are relative to STATIC_DIR.
LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"

# Vector tiles for big uploaded layers (maps/pmtiles_build.py): a layer of its own kind with more than
# TILE_MIN_FEATURES features is drawn from a PMTiles file that tippecanoe builds at save (again where missing), kept per
# layer version under TILE_DIR (inside STATIC_DIR, so Streamlit serves it with HTTP Range; git-ignored) and
# drawn by the vendored protomaps-leaflet. Smaller layers travel as GeoJSON. INDUSTRIKART_TILES moves the
# cache (it must stay under STATIC_DIR to be served).
PROTOMAPS_JS = "vendor/protomaps-leaflet/protomaps-leaflet.js"
TILE_MIN_FEATURES = 5_000
TILE_MIN_VERTICES = 50_000  # or this many vertices (Geonorge's county file: 15 features, 181 000 vertices)
TILE_DIR = settings().tile_dir
# The key that names a store's tile folder (an HMAC of the store's address: a database URL holds its password).
# Made once per machine, readable by its owner only, and outside STATIC_DIR so it is never served.
TILE_SECRET_FILE = settings().tile_secret_file
# tippecanoe drops the densest features of a tile above this size (its default is 500 000): the first, zoomed-out
# view of a 100 000-polygon layer decodes and paints a few small tiles, not several megabytes
TILE_MAX_BYTES = 200_000
TILE_MIN_MAX_ZOOM = 10  # tiles reach at least z10 (about 10 m precision); tippecanoe goes deeper where needed
TILE_BUILD_TIMEOUT_S = 900
TILE_CLICK_RADIUS_PX = 8  # how near a click must be to a point or line to select it
TILE_OUTLINE_ZOOM = 11  # filled areas of a tiled layer get their outline from this zoom on

CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25833"  # UTM 33N: metres for buffers, distances and areas

MAP_CENTER = (63.85, 11.0)  # lat, lon: the middle of Trøndelag
MAP_ZOOM = 7
MAP_MAX_ZOOM = 18
SEARCH_ZOOM = 13
LABEL_MIN_ZOOM = 11  # Kart names its parks and large emitters from this zoom on (maps/labels.py)
MAP_HEIGHT = 620
# Where the overview map goes (ui/map_focus.py): a municipality chosen in the filter is fitted into
# a map about this wide (the page's map column) with this padding, never closer than the max zoom; a reported
# view within a few pixels of the last command counts as not moved by the user. The selected feature's ring.
MAP_FIT_WIDTH_PX = 900
MAP_FIT_PADDING = 0.05
MAP_FOCUS_MAX_ZOOM = 13
MAP_FOCUS_TOLERANCE_PX = 2  # Leaflet's reported centre can be half a pixel off the one it was given
HIGHLIGHT_COLOUR = "#00e5ff"
HIGHLIGHT_CASING_COLOUR = "#1b1b1b"  # under the ring: seen on a light map too
HIGHLIGHT_RADIUS_PX = 14
# A link with a selection shows it: a selected feature outside this box (width, height in px) around
# the link's centre is brought to the centre. The box fits inside any map a link opens in (MAP_HEIGHT tall, a
# map column at least ~700 px wide at 1366 px), clear of its edges, where a popup's auto-pan may leave a feature.
# Where a link may point a map (west, south, east, north, degrees): Norway and its seas, with room to spare;
# a view or a clicked centre outside it is a bad link parameter, not a neighbourhood in the Gulf of Guinea.
LINK_BOUNDS = (-5.0, 55.0, 35.0, 75.0)
LINK_SELECTION_BOX_PX = (480, 360)


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
    "kommunegrenser": Basemap("kommunegrenser", None, "Kommunegrenser &copy; Kartverket, CC BY 4.0"),
    "none": Basemap("none", None, ""),
}
DEFAULT_BASEMAP = "kartverket_grey"

# Colours (colour-blind safe pairs where they carry meaning).
PARK_STATUS_COLOURS = {
    "etablert": "#1b7837",
    "under utvikling": "#c1660f",
    "planlagt": "#2166ac",
    None: "#7f7f7f",  # status not stated by the source
}
CLUSTER_COLOURS = [
    "#7b3294",
    "#008837",
    "#d95f02",
    "#1f78b4",
    "#e7298a",
    "#548c1c",
    "#a6761d",
    "#666666",
]
SOURCE_COLOUR = "#b2182b"
MIXED_CLUSTER_COLOUR = "#333333"  # a place whose memberships belong to several clusters
STORED_DEFAULT_COLOUR = "#555555"  # an uploaded layer whose uploader chose no colour
# Uploaded layers of their own kind: a layer without a chosen colour gets the first of these
# that no other uploaded layer on the map uses (two boundary layers never share one grey); polygons are
# drawn as outlines unless the uploader asked for a fill, which is then this transparent.
STORED_LAYER_COLOURS = ("#404040", "#6a3d9a", "#b15928", "#01665e", "#c51b7d", "#8c6d31", "#3288bd", "#9e0142")
STORED_FILL_DEFAULT = False
STORED_FILL_OPACITY = 0.25
PRESENT_SIDE_PADDING_PX = 24  # the presentation slide fills the screen's width but for this margin

# Circle area is proportional to tonnes: radius = sqrt(t / SOURCE_T_PER_PX2 / pi).
SOURCE_T_PER_PX2 = 300.0
SOURCE_MIN_RADIUS = 4.0
SOURCE_NO_FIGURE_RADIUS = 6.0
MEMBER_RADIUS = 5.0
PARK_RADIUS = 8.0

# Layer downloads (ui/export_cache.py): built once per layer version and format and kept up to this many bytes in each
# process; one export at a time; a session may start this many within the window (a second click is free).
EXPORT_CACHE_BYTES = 512 * 1024 * 1024
EXPORTS_PER_WINDOW = 6
EXPORT_WINDOW_S = 60
EXPORT_FAILURE_S = 60  # a failed export is not tried again for this long

# Reading an uploaded file with GDAL (and exporting a layer) runs in a worker process with these limits
# (loaders/files/sandbox.py): CPU seconds per call (1 000 000 points take about 15 s to read), its address space,
# how long to wait at most, and the largest answer it may send back.
READ_CPU_S = 120
READ_MEMORY_BYTES = 4 * 1024**3
READ_WALL_S = 300
READ_ANSWER_BYTES = 2 * 1024**3

# Upload and file limits (used by loaders).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
FEATURE_COUNT_WARNING = 50_000
# Hard caps per uploaded layer (loaders.errors.TooManyFeatures / TooManyVertices), checked before the geometries
# are read wherever the format tells the counts (GeoPackage/Shapefile/KML headers, the parsed GeoJSON, the table
# rows). 1 000 000 points already took 14.7 s and 1.3 GB through `python -m loaders ingest`, and such layers are
# far beyond what the maps draw; 20 000 000 vertices are about 320 MB of bare coordinates, several GB once read,
# repaired, reprojected and stored. Above either cap the file is refused, not just warned about.
MAX_UPLOAD_FEATURES = 1_000_000
MAX_UPLOAD_VERTICES = 20_000_000
# Fields (property columns) per layer: each becomes a table column, and SQLite/GeoPackage take at most 2000,
# PostgreSQL 1600 (TooManyFields). Real layers have tens.
MAX_UPLOAD_FIELDS = 1_000
# An uploaded feature without a municipality column takes the municipality it lies in (loaders/upload/
# municipalities.py); the bundled outlines are simplified by about 0.01° (~500 m across at 63° N), so a feature
# this near an outline (a quay, a shore park) takes the nearest one; farther away it is outside Trøndelag.
UPLOAD_MUNICIPALITY_NEAR_M = 1_000.0
# Zip archives (zipped Shapefile, KMZ, XLSX, Geonorge's zipped downloads) are checked before anything is
# unpacked: no absolute paths, no "..", no links, at most this many members and this many bytes unpacked
# (counted while unpacking, not taken from the zip's own headers), and no member over 1 MB that unpacks to
# more than ZIP_MAX_RATIO times its packed size (real GIS files stay far below 100; zip bombs reach 1000).
ZIP_MAX_MEMBERS = 1_000
ZIP_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200

# Portfolio analysis (analysis/neighbourhoods.py, analysis/candidates.py).
NEIGHBOURHOOD_RADIUS_DEFAULT_M = 10_000
NEIGHBOURHOOD_RADIUS_MIN_M = 1_000
NEIGHBOURHOOD_RADIUS_MAX_M = 50_000
COMPARE_MAX_SITES = 4
# 128 segments per circle: the drawn buffer's area is within 0.05 % of pi r^2.
BUFFER_QUAD_SEGS = 32
# "Large emitter": latest *stated* figure of at least this many tonnes. Matches the E-PRTR
# reporting threshold for CO2 to air (100 000 t/yr). Planned or missing figures never qualify.
LARGE_EMITTER_MIN_T = 100_000.0

# Resource-flow arrows, one colour per resource (loaders/bundled/flows.py holds the vocabulary).
FLOW_RESOURCE_COLOURS = {
    "overskuddsvarme": "#d7301f",
    "CO2": "#525252",
    "slam": "#8c510a",
    "biogass": "#1a9850",
    "biogjødsel": "#4a9a3a",
    "husdyrgjødsel": "#b8792a",
    "nitrogenrikt vann": "#3288bd",
    "trefiber": "#a6761d",
    "restråstoff": "#e7298a",
    "restavfall": "#7570b3",
    "hydrogen": "#01665e",
}
FLOW_STATUS_DASH = {"eksisterende": None, "planlagt": "8 6", "mulig": "2 6"}

# Importers (loaders/official/norskeutslipp.py, loaders/official/eea.py, loaders/official/kommunestatistikk.py).
# A crude lon/lat box around Trøndelag: it also takes in edges of Møre og Romsdal (Sunndal, Surnadal),
# Innlandet, Nordland and Sweden, so the editor still reviews what an EEA import keeps.
TRONDELAG_BBOX = (8.0, 62.2, 14.5, 65.2)  # min lon, min lat, max lon, max lat
EEA_CHUNK_ROWS = 20_000  # rows per pandas chunk: ~36 MB peak on a 100 MB F1_4 file, and no slower (benchmarks/)
KOMMUNER_CSV = GEODATA_DIR / "kommuner.csv"

# The layer store's writers and bin (store/).
STORE_LOCK_TIMEOUT = 120.0  # seconds a writer waits for another before giving up
STORE_PURGE_DAYS = 30  # deleted layers stay restorable this long
AUDIT_LIMIT = 10_000  # the newest lines of the audit log a page or a download reads at once

# Presentation mode: a map this tall in content 1200 px wide gives a 16:9 map frame.
PRESENT_MAP_HEIGHT = 675

# Exports (exports/): server-rendered map images, the standalone HTML map and data downloads.
# Image sizes: pixel width, height and the dpi that sets how large points and type come out.
# 1920x1080 at 150 dpi and A4 at 300 dpi are both ~12x8 inches, so one layout in points fits both.
EXPORT_IMAGE_SIZES = {
    "1920x1080": (1920, 1080, 150),
    "a4-landscape-300dpi": (3508, 2480, 300),
}
EXPORT_PDF_PAGE_PT = (842, 595)  # A4 landscape as PDF viewers round it (297 x 210 mm)
EXPORT_SCREEN_DPI = 96  # CSS pixels per inch: marker radii and zoom levels are in screen pixels
EXPORT_TILE_TIMEOUT_S = 4.0  # per tile; one probe tile first, so no network costs one timeout
EXPORT_TILE_WORKERS = 4
EXPORT_MAX_TILES = 96  # the tile zoom drops until the view needs at most this many
EXPORT_TILE_USER_AGENT = "Industrikart-Trondelag/1.0 (map export)"
EXPORT_SEA_COLOUR = "#e4edf3"  # the vector background when no tiles came
EXPORT_LAND_COLOUR = "#f7f6f1"
EXPORT_BOUNDARY_COLOUR = "#9b9b9b"
EXPORT_COAST_COLOUR = "#5f6b73"
EXPORT_GRATICULE_COLOUR = "#b9c6cf"
# Credit for the boundaries frame the lead passes (../shared/geodata: Kartverket via robhop/fylker-og-kommuner).
EXPORT_BOUNDARIES_CREDIT = "© Kartverket (CC BY 4.0)"
# The data folder's README: its "Sources and licences" section goes into every data export.
GEODATA_README = GEODATA_DIR / "README.md"

# Emissions page (pages/1_Utslipp.py, analysis/emissions.py, maps/emissions.py, loaders/bundled/boundaries.py).
# Kartverket's municipalities (Geonorge "Basisdata – Kommuner", ETRS89 lon/lat, GeoJSON in a zip; CC BY 4.0),
# downloaded once by `python -m loaders boundaries --download` and cached in BOUNDARIES_CACHE_DIR.
BOUNDARIES_URL = (
    "https://nedlasting.geonorge.no/geonorge/Basisdata/Kommuner/GeoJSON/Basisdata_0000_Norge_4258_Kommuner_GeoJSON.zip"
)
BOUNDARIES_CACHE_DIR = ROOT / "data" / "boundaries"  # git-ignored, beside the layer store
BOUNDARIES_TIMEOUT_S = 120
BOUNDARIES_MAX_BYTES = 1024 * 1024 * 1024  # refuse anything larger than 1 GB
# Simplify drawn municipality outlines to ~50 m: the full-resolution file is far too heavy for the browser.
BOUNDARIES_SIMPLIFY_DEG = 0.0005
EMISSIONS_TOP_N = 10
# The county's climate target: 50–55 % below 2009 by 2030 (trondelagfylke.no; ../shared reference_facts.md D).
TARGET_BASELINE_YEAR = 2009
TARGET_YEAR = 2030
TARGET_CUT_LOW = 0.50
TARGET_CUT_HIGH = 0.55
# Choropleth classes (ColorBrewer YlOrRd, sequential); k by the number of municipalities with data.
CHOROPLETH_COLOURS = {
    1: ["#fd8d3c"],
    2: ["#feb24c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
}
CHOROPLETH_NO_DATA = "#d9d9d9"
CHOROPLETH_MAX_CLASSES = 5
# Portfolio page (pages/2_Portefolje.py, maps/portfolio.py, loaders/bundled/flow_store.py).
PORTFOLIO_DEFAULT_SITES = ("park-gronora", "park-malm")  # the planner's first comparison
BUFFER_COLOUR = "#2166ac"
FLOW_WEIGHT = 3.0
# Arrowheads are triangles on the ground: this share of the line's length, kept within the bounds
# (metres), with a base this many times as wide as the head is long.
FLOW_ARROW_SHARE = 0.15
FLOW_ARROW_MIN_M = 60.0
FLOW_ARROW_MAX_M = 2_500.0
FLOW_ARROW_WIDTH = 0.7
# Flows whose two ends share one point are rings round it (pixels), one ring per flow.
FLOW_RING_RADIUS = 10.0
FLOW_RING_STEP = 4.0
# st_folium gets a centre and zoom rather than fit_bounds (which would rebuild the base map);
# these are the map sizes (pixels) the zoom is fitted to.
PORTFOLIO_MAP_WIDTH = 1050
SMALL_MAP_HEIGHT = 320
STORE_FLOWS_KIND = "flows"  # the layer store kind of stored flow tables (store/base.py KINDS)
# Measures on the portfolio map (maps/measures.py): a colour per kind, circle area by the yearly cut, hollow where
# the source gives no tonnes, dashed where the cut is a potential.
# None of them is a park status colour or the emission sources' red, so a measure never reads as a park or a plant.
MEASURE_KIND_COLOURS = {
    "karbonfangst": "#542788",
    "brenselsbytte": "#8c510a",
    "biogass": "#35978f",
    "elektrifisering": "#c51b7d",
    "ressursflyt": "#9c7400",
    "energigjenvinning": "#d6604d",
    "annet": "#4d4d4d",
}
# The path-with-measures chart's wedges (exports/charts.py): in operation and decided in blues, planned work and
# ideas in oranges, potentials grey.
MEASURE_GROUP_COLOURS = {
    "running": "#08519c",
    "decided": "#6baed6",
    "planned": "#fd8d3c",
    "idea": "#fdd0a2",
    "potential": "#bdbdbd",
}
MEASURE_T_PER_PX2 = 150.0
MEASURE_MIN_RADIUS = 6.0
MEASURE_NO_FIGURE_RADIUS = 8.0
STORE_MEASURES_KIND = "measures"  # one stored measure per layer (loaders/bundled/measure_store.py)
# Editor password guesses (ui/access.py, ui/password_throttle.py): wrong guesses within the window count;
# after the first few each one makes the next try wait (1, 2, 4 … s), then the session is locked out,
# and past a higher count every session of the process is.
EDITOR_GUESS_WINDOW_S = 15 * 60
EDITOR_GUESS_FREE_FAILURES = 1  # a single typo costs no wait
EDITOR_GUESS_DELAY_MAX_S = 30
EDITOR_GUESS_SESSION_LIMIT = 5
EDITOR_GUESS_SESSION_LOCKOUT_S = 15 * 60
EDITOR_GUESS_CLIENT_LIMIT = 20  # one address, however many sessions: below the limit for everyone, so no single
# client can lock every editor out (a locked-out client's tries no longer count towards it)
EDITOR_GUESS_GLOBAL_LIMIT = 50
EDITOR_GUESS_GLOBAL_LOCKOUT_S = 15 * 60
# Bundled register data and boundaries (made by scripts/build_geodata.py from ../shared/geodata).
# The EEA's E-PRTR table F1_4 for the Trøndelag facilities, and simplified Kartverket municipality outlines
# that draw the choropleth, the offline basemap and the export's no-tiles background on a fresh clone.
EEA_CREDIT = "European Environment Agency, E-PRTR (CC BY 4.0)"
EEA_SOURCE_URL = "https://sdi.eea.europa.eu/catalogue/srv/api/records/9f373400-35b7-4978-9a34-a3cf839e053f"
# The EU ETS register: verified emissions per installation from the EU Transaction Log, 2008–2022 for
# Norway's installations (Norway joined in 2008), made by the same script; the excluded rows keep their reason,
# so a later import of the whole Norwegian table knows them too.
ETS_CREDIT = "EU Transaction Log (European Commission), CC BY 4.0"
ETS_SOURCE_URL = "https://union-registry-data.ec.europa.eu/report/welcome"
ETS_INSTALLATIONS = GEODATA_DIR / "ets_installations.geojson"
ETS_EXCLUDED_CSV = GEODATA_DIR / "ets_excluded.csv"
ETS_SCOPE_WIDENED_YEAR = 2013  # ferroalloys, mineral wool … joined the ETS: the default base year of its path
# Served from static/ so the browser fetches them once (a rerun never re-sends them); Python reads the same files.
OUTLINES_DIR = STATIC_DIR / "outlines"
BUNDLED_KOMMUNER = OUTLINES_DIR / "kommunegrenser.geojson"
BUNDLED_FYLKE = OUTLINES_DIR / "fylkesgrense.geojson"
BUNDLED_OUTLINES_SCRIPT = OUTLINES_DIR / "outlines.js"  # both, for a map's frame to load with Leaflet
OFFLINE_BASEMAP = "kommunegrenser"  # the vector background drawn from the bundled outlines, no network
OFFLINE_LAND_COLOUR = "#f6f4ee"
OFFLINE_MUNICIPALITY_COLOUR = "#a7a29a"
OFFLINE_COUNTY_COLOUR = "#5f6b73"
CHOSEN_AREA_COLOUR = "#1b1b1b"  # the outline of the municipality chosen in Kart's filter (maps/outlines.py)
EPRTR_NEAR_M = 2_000  # a register facility within this distance of a Trøndelag municipality counts (SOURCE.md)
POLLUTANT_MAX_AS_CO2_T = 300_000.0  # a non-CO₂ map: its largest circle is drawn as large as this many t CO₂

# Official map services (WMS) drawn over the maps (loaders/official/map_services.py): what one answer may cost.
OVERLAY_TIMEOUT_S = 10.0  # a whole answer (connect, wait, read): a slow service is refused, not waited for
OVERLAY_CAPABILITIES_MAX_BYTES = 10 * 1024 * 1024  # a capabilities document; Geonorge's biggest are a few MB
OVERLAY_IMAGE_MAX_BYTES = 20 * 1024 * 1024  # one GetMap image for an export
OVERLAY_REDIRECTS = 3  # each one's address checked like the first
OVERLAY_EXPORT_MAX_PX = 2048  # WMS servers commonly refuse bigger GetMap images: the export scales up to fit
OVERLAY_EXPORT_TIMEOUT_S = 8.0
