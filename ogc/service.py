"""The OGC API – Features service: pygeoapi's own Flask app, given a configuration built from the bundled layers
and the store, and a thin WSGI wrapper around it that

- refuses every method but GET, HEAD and OPTIONS (nothing is ever written: no provider is editable either), and
- looks at the store's listing at most every `check_every` seconds and, when a layer was added, changed, hidden
  or deleted, builds a new pygeoapi API object from a new configuration: no restart.

pygeoapi's Flask app reads its configuration once, at import, from the files PYGEOAPI_CONFIG and PYGEOAPI_OPENAPI
name, and answers every request through its module's `api_` object: the wrapper writes the first configuration
before the import and swaps `api_` afterwards (the Flask app itself depends only on the server settings, which
never change while it runs).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import pygeoapi.util
import pyogrio
import yaml
from pygeoapi.api import API
from pygeoapi.openapi import get_oas

from i18n import t
from ogc.bundled import BUNDLED
from ogc.stored import StoredLayer, geopackage_provider

log = logging.getLogger(__name__)

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
# What a client may ask for with ?crs= (the layers are stored in EPSG:4326; 25833 is the planners' UTM 33N)
CRS_LIST = [CRS84, "http://www.opengis.net/def/crs/EPSG/0/4326", "http://www.opengis.net/def/crs/EPSG/0/25833"]
LANGUAGES = ("nb", "en")
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
CHECK_EVERY_S = 3.0
PAGE_DEFAULT, PAGE_MAX = 100, 10_000
# pygeoapi's own templates, but for the few here that fix how they show stored values (each says what it changes)
TEMPLATES = Path(__file__).resolve().parent / "templates"
BASEMAP = {  # the HTML pages' map: Kartverket's open grey map, as in the app
    "url": "https://cache.kartverket.no/v1/wmts/1.0.0/topograatone/default/webmercator/{z}/{y}/{x}.png",
    "attribution": "© Kartverket",
}


_pygeoapi_to_json = pygeoapi.util.to_json


def _script_safe_json(dict_: dict, pretty: bool = False) -> str:
    """pygeoapi's `to_json` with <, > and & as JSON escapes (the same values): its HTML pages put the features into
    a <script> with `| to_json | safe`, where a value holding "</script>" ended the script and started the
    uploader's own, on the app's address."""
    text = _pygeoapi_to_json(dict_, pretty)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The name pygeoapi's template environment reads when it renders a page (pygeoapi.util.render_j2_template); its
# JSON answers use their own imported name and are not touched.
pygeoapi.util.to_json = _script_safe_json


def _texts(key: str, **values) -> dict[str, str]:
    return {lang: t(key, lang, **values) for lang in LANGUAGES}


def _collection(title, description, bbox, provider: dict, links: list | None = None) -> dict:
    provider = {"type": "feature", "crs": CRS_LIST, "storage_crs": CRS84, **provider}
    return {
        "type": "collection",
        "title": title,
        "description": description,
        "keywords": _texts("ogc_keywords")["nb"].split(", "),
        "links": links or [],
        "extents": {"spatial": {"bbox": [float(v) for v in bbox], "crs": CRS84}},
        "providers": [provider],
    }


def bundled_collections(path: Path) -> dict[str, dict]:
    resources = {}
    for item in BUNDLED:
        links = []
        if item.licence_url:
            links.append({"type": "text/html", "rel": "license", "title": "CC BY 4.0", "href": item.licence_url})
        bbox = pyogrio.read_info(path, layer=item.id)["total_bounds"]
        resources[item.id] = _collection(
            _texts(item.title),
            _texts(item.description),
            bbox,
            geopackage_provider(path, item.id),
            links,
        )
    return resources


def stored_collection(layer: StoredLayer, source) -> dict:
    description = {
        lang: "\n\n".join(
            part
            for part in (
                layer.description,
                t("ogc_stored_version", lang, version=layer.version, count=layer.feature_count),
                t("ogc_source_licence", lang, licence=layer.source_licence) if layer.source_licence else "",
            )
            if part
        )
        for lang in LANGUAGES
    }
    return _collection(layer.title, description, source.extent(layer), source.provider(layer))


def pygeoapi_config(url: str, resources: dict[str, dict]) -> dict:
    """A whole pygeoapi configuration; `url` is the public address (behind nginx: https://…/ogc/)."""
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 5000},  # unused: the wrapper's own server binds
            "url": url.rstrip("/"),
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": list(LANGUAGES),
            "cors": False,
            "pretty_print": False,
            "limits": {"default_items": PAGE_DEFAULT, "max_items": PAGE_MAX, "on_exceed": "throttle"},
            "map": BASEMAP,
            "templates": {"path": str(TEMPLATES)},
            "admin": False,
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": _texts("ogc_service_title"),
                "description": _texts("ogc_service_description"),
                "keywords": _texts("ogc_keywords")["nb"].split(", "),
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": url,
            },
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "Trøndelag fylkeskommune", "url": "https://www.trondelagfylke.no/"},
            "contact": {"name": "Trøndelag fylkeskommune", "email": "postmottak@trondelagfylke.no"},
        },
        "resources": resources,
    }


# pygeoapi's HTML pages ask unpkg, cdnjs and jsdelivr for their scripts and styles. Behind nginx they are on the app's
# own address (/ogc/), so a script from a third party would run with the app's origin: none runs. The pages' own inline
# script (the features as JSON) does; without the third party's Leaflet their little map stays empty, and the tables,
# the links and the JSON (what QGIS reads) are as they were. Images may come from web addresses (a layer's pictures).
HTML_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)


class _QuotedDumper(yaml.SafeDumper):
    """Every string double-quoted: pygeoapi reads its files with an implicit resolver that replaces `${NAME}` in
    any plain (unquoted) string with the environment variable NAME, and titles and descriptions are editors' text.
    A quoted string is never resolved, so it is read back exactly as written."""


_QuotedDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)


def write_yaml(data: dict, path: Path) -> None:
    """`data` as a YAML file pygeoapi reads back unchanged (no environment variable put into any text)."""
    path.write_text(yaml.dump(data, Dumper=_QuotedDumper, allow_unicode=True), encoding="utf-8")


class Service:
    """The WSGI application: pygeoapi behind the read-only, reloading wrapper."""

    def __init__(self, url: str, bundled_path: Path, source, workdir: Path, check_every: float = CHECK_EVERY_S):
        self.url = url
        self.source = source
        self.check_every = check_every
        self.bundled = bundled_collections(bundled_path)
        self._lock = threading.Lock()
        self._checked = 0.0
        self._listing: tuple[StoredLayer, ...] | None = None
        self._flask = self._start(Path(workdir))

    def _config(self, listing: tuple[StoredLayer, ...]) -> dict:
        stored = {layer.collection_id: stored_collection(layer, self.source) for layer in listing}
        return pygeoapi_config(self.url, {**self.bundled, **stored})

    def _start(self, workdir: Path):
        """Write the first configuration where pygeoapi's Flask app reads it, then import the app."""
        listing = self.source.listing()
        config = self._config(listing)
        workdir.mkdir(parents=True, exist_ok=True)
        config_file, openapi_file = workdir / f"pygeoapi-{os.getpid()}.yml", workdir / f"openapi-{os.getpid()}.yml"
        write_yaml(config, config_file)
        write_yaml(get_oas(config, False), openapi_file)
        os.environ["PYGEOAPI_CONFIG"], os.environ["PYGEOAPI_OPENAPI"] = str(config_file), str(openapi_file)
        from pygeoapi import flask_app  # only now: it reads the files PYGEOAPI_CONFIG and PYGEOAPI_OPENAPI name

        self._listing, self._checked = listing, time.monotonic()
        return flask_app

    def refresh(self, force: bool = False) -> bool:
        """Rebuild pygeoapi's API object if the store's listing changed; True when it did."""
        if not force and time.monotonic() - self._checked < self.check_every:
            return False
        with self._lock:
            if not force and time.monotonic() - self._checked < self.check_every:
                return False  # another request looked meanwhile
            listing = self.source.listing()
            self._checked = time.monotonic()
            if listing == self._listing:
                return False
            config = self._config(listing)
            self._flask.api_ = API(config, get_oas(config, False))
            self._listing = listing
            log.info("OGC API collections rebuilt: %d stored layers", len(listing))
            return True

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD", "GET").upper() not in READ_METHODS:
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD, OPTIONS"), ("Content-Type", "text/plain")])
            return [b"read-only: this service serves layers, it changes none\n"]
        try:
            self.refresh()
        except Exception:  # the store is away for a moment: serve what was last known, try again next time
            log.exception("the store's listing could not be read")

        def with_policy(status, headers, *rest):
            if any(k.lower() == "content-type" and "html" in v.lower() for k, v in headers):
                headers = [*headers, ("Content-Security-Policy", HTML_POLICY)]
            return start_response(status, headers, *rest)

        return self._flask.APP(environ, with_policy)
