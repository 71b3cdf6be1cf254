"""Official map services (WMS, and WMTS: its details in loaders/official/wmts.py) read safely: the capabilities
document an editor names, and GetMap images or tiles for exports.

The server fetches addresses a person typed, so every fetch is guarded against server-side request forgery:
- http and https only;
- the host is resolved once and every address it resolves to is checked (no loopback, private, link-local,
  multicast, reserved or unspecified address, IPv4 or IPv6, IPv4-mapped included) unless the installation allows
  them (config.OVERLAY_ALLOW_PRIVATE_ENV); the connection goes to the checked address, so the name cannot resolve
  elsewhere between the check and the connection (DNS rebinding);
- redirects are followed by hand, a few at most, each new address checked like the first;
- one time limit for the whole answer, and a size limit: an answer that says it is bigger is refused unread, one that
  grows past the limit is cut off.
The XML is read with defusedxml: no entity declarations (no expansion bomb), no external references.
Every refusal is a `MapServiceError` with a code (`msg_overlay_*` in the catalogues).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

import config
from loaders.errors import MapServiceError
from loaders.official import wmts
from loaders.official.capabilities_xml import XLINK, child, children, find_path, local, text

USER_AGENT = "Industrikart-Trondelag/1.0 (map services)"
WEB_MERCATOR = ("EPSG:3857", "EPSG:900913")  # what Leaflet asks a WMS for
MAX_CRS = 100  # CRS codes kept per layer (web mercator's always): a layer inherits all its parents'

# Official services a planner in Trøndelag needs, with the capabilities address each publishes. Each was found
# with the search tool; the comment names where. An editor reads one (or any other address) and picks its layers.
OFFICIAL_SERVICES = (
    # Source: kartkatalog.miljodirektoratet.no/MapService/Details/villrein, its Server Url.
    ("Villrein (Miljødirektoratet)", "https://kart.miljodirektoratet.no/arcgis/services/villrein/MapServer/WMSServer"),
    # kartkatalog.miljodirektoratet.no/MapService/Details/vern names the service; this address as many public
    # clients use it (code search), on the same server as villrein
    ("Verneområder (Miljødirektoratet)", "https://kart.miljodirektoratet.no/arcgis/services/vern/MapServer/WMSServer"),
    # Source: kartkatalog.geonorge.no/metadata/direktoratet-for-mineralforvaltning/bergrettigheter-wms/
    # 9d8026d6-c08c-4c7d-afe8-d2983771840c, its Get Capabilities Url.
    ("Bergrettigheter (DMF)", "https://kart.dirmin.no/dirmin/services/Bergrettigheter/MapServer/WmsServer"),
    # Direktoratet for byggkvalitet's national plan services (arealplaner), as public clients use them (code search)
    ("Kommuneplaner (DiBK)", "https://nap.ft.dibk.no/services/wms/kommuneplaner/"),
    ("Reguleringsplaner (DiBK)", "https://nap.ft.dibk.no/services/wms/reguleringsplaner/"),
    # Kartverket's N50 kartdata on Geonorge (kartverket.no/data/API-og-WMS lists the WMS services; code search)
    ("N50 Kartdata (Kartverket)", "https://wms.geonorge.no/skwms1/wms.n50_kartdata"),
    # Kartverket's tiled topographic maps (WMTS, a "webmercator" matrix set among UTM ones). Source: the
    # GetCapabilities excerpt in sverres.github.io/ntnu/openlayers/openlayers-wmts.html (Geonorge, 14.03.2025),
    # whose GetCapabilities and GetTile (KVP) address is https://cache.kartverket.no/v1/wmts?
    (
        "Topografisk norgeskart, WMTS (Kartverket)",
        "https://cache.kartverket.no/v1/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
    ),
)


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str
    url: str  # where it came from, after any redirect


@dataclass(frozen=True)
class ServiceLayer:
    """One named layer of a WMS (inherited CRS and attribution filled in), or of a WMTS (its tile matrix sets, and
    the Leaflet address template of its tiles in the web mercator set, when it has one)."""

    name: str
    title: str
    abstract: str
    attribution: str
    legend_url: str  # "" when the service offers none (http/https only)
    crs: tuple[str, ...]
    kind: str = "wms"  # or "wmts"
    matrix_sets: tuple[str, ...] = ()  # WMTS: the tile matrix sets it is offered in
    tile_url: str = ""  # WMTS: {tm}/{x}/{y} template in the web mercator set; "" when it has none Leaflet can draw
    matrices: tuple[tuple[int, str], ...] = ()  # WMTS: (zoom, TileMatrix identifier) of that set

    @property
    def web_mercator(self) -> bool:
        """Whether the web map (Leaflet, EPSG:3857) can draw it."""
        if self.kind == "wmts":
            return bool(self.tile_url)
        return any(c in WEB_MERCATOR for c in self.crs)


@dataclass(frozen=True)
class Capabilities:
    title: str
    version: str  # "1.3.0" or "1.1.1"
    getmap_url: str  # the GetMap address the service gives (its base, without WMS parameters)
    image_format: str  # image/png where offered
    layers: tuple[ServiceLayer, ...]
    kind: str = "wms"  # or "wmts" (getmap_url is then its KVP GetTile address, or the capabilities address)


# --- fetching --------------------------------------------------------------------------------------------------


def allowed_private() -> bool:
    return config.settings().overlay_allow_private


def checked_address(url: str, allow_private: bool | None = None) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, path with query, IP address to connect to) of `url`, or MapServiceError."""
    allow = allowed_private() if allow_private is None else allow_private
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise MapServiceError("overlay_bad_address", url=url[:200]) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise MapServiceError("overlay_bad_scheme", url=url[:200])
    host = parts.hostname
    if not host or parts.username or parts.password:
        raise MapServiceError("overlay_bad_address", url=url[:200])
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise MapServiceError("overlay_unreachable", host=host) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise MapServiceError("overlay_unreachable", host=host)
    for address in addresses:
        if not allow and not public_address(address):
            raise MapServiceError("overlay_private_address", host=host, address=address)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return scheme, host, port, path, addresses[0]


def public_address(address: str) -> bool:
    """Whether an IP address is one on the public internet (IPv4-mapped IPv6 judged as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address) and (ip.sixtofour is not None or ip.teredo is not None):
        return False  # tunnels that can lead to any IPv4 address
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


class _Deadline:
    """Ends the connection when the time for the whole answer is up. A per-read time limit alone lets a service that
    sends a byte now and then (in its status line or headers, which http.client reads in one call) hold a request,
    and the thread serving it, for as long as it likes."""

    def __init__(self, seconds: float):
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError("deadline")
            self._sock = sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._sock
        if sock is not None:
            # the plain socket's shutdown (a TLS socket's own would drop its TLS state first): a waiting read ends
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float, deadline: _Deadline):
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self._deadline.watch(self.sock)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the checked address, with the host name for SNI and certificate checks."""

    def __init__(self, host: str, port: int, address: str, timeout: float, deadline: _Deadline):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self._deadline.watch(raw)  # the handshake itself is bounded by the socket's time limit as a whole
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)
        self._deadline.watch(self.sock)


def fetch(
    url: str,
    limit: int,
    timeout: float = config.OVERLAY_TIMEOUT_S,
    allow_private: bool | None = None,
) -> Answer:
    """The body of a GET of `url` under the rules above, or MapServiceError."""
    deadline = time.monotonic() + timeout
    watchdog = _Deadline(timeout)  # one time limit for the whole answer, redirects included
    try:
        for _ in range(config.OVERLAY_REDIRECTS + 1):
            scheme, host, port, path, address = checked_address(url, allow_private)
            connection_type = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
            response = None
            try:
                connection = connection_type(host, port, address, _left(deadline, host), watchdog)
                try:
                    connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
                    response = connection.getresponse()
                    if response.status in (301, 302, 303, 307, 308):
                        location = response.getheader("Location") or ""
                        if not location:
                            raise MapServiceError("overlay_unreachable", host=host)
                        url = urljoin(url, location)
                        continue
                    if response.status != 200:
                        raise MapServiceError("overlay_http_status", host=host, status=response.status)
                    body = _read_limited(response, limit, deadline, host)
                    return Answer(body, (response.getheader("Content-Type") or "").lower(), url)
                finally:
                    if response is not None:  # it holds the socket too: a refused answer's sender must see it closed
                        response.close()
                    connection.close()
            except TimeoutError as exc:
                raise MapServiceError("overlay_too_slow", host=host, seconds=round(timeout)) from exc
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.expired:  # the time limit ended the connection
                    raise MapServiceError("overlay_too_slow", host=host, seconds=round(timeout)) from exc
                raise MapServiceError("overlay_unreachable", host=host) from exc
        raise MapServiceError("overlay_too_many_redirects", count=config.OVERLAY_REDIRECTS)
    finally:
        watchdog.cancel()


def _left(deadline: float, host: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(host)
    return left


def _read_limited(response: http.client.HTTPResponse, limit: int, deadline: float, host: str) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limit:
        raise MapServiceError("overlay_too_large", host=host, limit_mb=limit // (1024 * 1024))
    chunks, size = [], 0
    while True:
        sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
        if sock is not None:  # each read waits no longer than the time that is left
            sock.settimeout(_left(deadline, host))
        chunk = response.read1(64 * 1024) if hasattr(response, "read1") else response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise MapServiceError("overlay_too_large", host=host, limit_mb=limit // (1024 * 1024))
        chunks.append(chunk)
        _left(deadline, host)


# --- capabilities ------------------------------------------------------------------------------------------------


def capabilities_url(address: str) -> str:
    """The GetCapabilities request for a service address (its own parameters kept, WMS ones set). A WMTS's address
    is its REST capabilities document (…/WMTSCapabilities.xml, read as it is) or a KVP one with SERVICE=WMTS."""
    parts = urlsplit(address.strip())
    if parts.path.lower().endswith(".xml"):
        return address.strip()
    given = {k.lower(): v for k, v in parse_qsl(parts.query)}
    service = "WMTS" if given.get("service", "").upper() == "WMTS" else "WMS"
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in ("service", "request", "version")]
    query += [("SERVICE", service), ("REQUEST", "GetCapabilities")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def read_capabilities(address: str, allow_private: bool | None = None) -> Capabilities:
    """Fetch and read a WMS's or a WMTS's capabilities from its address, or MapServiceError."""
    answer = fetch(capabilities_url(address), config.OVERLAY_CAPABILITIES_MAX_BYTES, allow_private=allow_private)
    return parse_capabilities(answer.body, answer.url)


def parse_capabilities(body: bytes, url: str = "") -> Capabilities:
    """The service's title, GetMap address and named layers, read without entities or external references."""
    try:
        root = SafeTree.fromstring(body)
    except DefusedXmlException as exc:
        raise MapServiceError("overlay_xml_entities") from exc
    except SafeTree.ParseError as exc:
        raise MapServiceError("overlay_not_xml") from exc
    if wmts.is_wmts(root):
        return wmts.parse_wmts(root, url, Capabilities, ServiceLayer)
    if local(root.tag) not in ("WMS_Capabilities", "WMT_MS_Capabilities"):
        raise MapServiceError("overlay_not_wms", root=local(root.tag)[:80])
    version = root.get("version") or ""
    service = child(root, "Service")
    capability = child(root, "Capability")
    if capability is None:
        raise MapServiceError("overlay_not_wms", root=local(root.tag))
    getmap = find_path(capability, ("Request", "GetMap"))
    getmap_url = _getmap_address(getmap, url)
    formats = [text(f) for f in children(getmap, "Format")] if getmap is not None else []
    image_format = "image/png" if "image/png" in formats or not formats else formats[0]
    layers: list[ServiceLayer] = []
    top = child(capability, "Layer")
    if top is not None:
        _collect(top, (), "", layers)
    return Capabilities(text(child(service, "Title")) or url, version, getmap_url, image_format, tuple(layers))


def _getmap_address(getmap, fallback: str) -> str:
    href = ""
    if getmap is not None:
        for dcp in children(getmap, "DCPType"):
            resource = find_path(dcp, ("HTTP", "Get", "OnlineResource"))
            if resource is not None:
                href = resource.get(XLINK) or ""
                break
    href = href or fallback
    if urlsplit(href).scheme.lower() not in ("http", "https"):
        raise MapServiceError("overlay_not_wms", root="GetMap")
    return href


def _collect(top, crs: tuple[str, ...], attribution: str, found: list[ServiceLayer]) -> None:
    """Named layers depth first; CRS and attribution are inherited from the parent layers. A stack, not recursion:
    the tree is as deep as the service makes it."""
    stack = [(top, crs, attribution)]
    while stack:
        layer, crs, attribution = stack.pop()
        own = tuple(text(c).upper() for c in (*children(layer, "CRS"), *children(layer, "SRS")))
        crs = _bounded_crs((*crs, *(c for code in own for c in code.split())))
        credit = child(layer, "Attribution")
        if credit is not None and child(credit, "Title") is not None:
            attribution = text(child(credit, "Title"))
        name = text(child(layer, "Name"))
        if name:
            found.append(
                ServiceLayer(
                    name=name,
                    title=text(child(layer, "Title")) or name,
                    abstract=text(child(layer, "Abstract")),
                    attribution=attribution,
                    legend_url=_legend(layer),
                    crs=crs,
                )
            )
        stack.extend((sub, crs, attribution) for sub in reversed(children(layer, "Layer")))


def _bounded_crs(codes) -> tuple[str, ...]:
    """The first MAX_CRS distinct codes, web mercator's among them wherever they come."""
    distinct = dict.fromkeys(codes)
    if len(distinct) <= MAX_CRS:
        return tuple(distinct)
    mercator = [c for c in WEB_MERCATOR if c in distinct]
    others = [c for c in distinct if c not in WEB_MERCATOR][: MAX_CRS - len(mercator)]
    return (*others, *mercator)


def _legend(layer) -> str:
    for style in children(layer, "Style"):
        resource = find_path(style, ("LegendURL", "OnlineResource"))
        href = (resource.get(XLINK) or "") if resource is not None else ""
        if urlsplit(href).scheme.lower() in ("http", "https"):
            return href
    return ""


# --- GetMap for exports ------------------------------------------------------------------------------------------


def getmap_url(
    base: str, layer: str, bbox: tuple[float, float, float, float], size: tuple[int, int], version: str = "1.3.0"
) -> str:
    """A GetMap request for one layer over an EPSG:3857 box (west, south, east, north) at `size` pixels."""
    parts = urlsplit(base)
    keep = [(k, v) for k, v in parse_qsl(parts.query) if k.upper() not in _GETMAP_KEYS]
    crs_key = "CRS" if version.startswith("1.3") else "SRS"
    query = keep + [
        ("SERVICE", "WMS"),
        ("REQUEST", "GetMap"),
        ("VERSION", version or "1.3.0"),
        ("LAYERS", layer),
        ("STYLES", ""),
        (crs_key, "EPSG:3857"),
        ("BBOX", ",".join(f"{v:.3f}" for v in bbox)),
        ("WIDTH", str(int(size[0]))),
        ("HEIGHT", str(int(size[1]))),
        ("FORMAT", "image/png"),
        ("TRANSPARENT", "TRUE"),
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


_GETMAP_KEYS = {
    "SERVICE",
    "REQUEST",
    "VERSION",
    "LAYERS",
    "STYLES",
    "CRS",
    "SRS",
    "BBOX",
    "WIDTH",
    "HEIGHT",
    "FORMAT",
    "TRANSPARENT",
}


def fetch_map_image(
    base: str,
    layer: str,
    bbox: tuple[float, float, float, float],
    size: tuple[int, int],
    version: str = "1.3.0",
    timeout: float = config.OVERLAY_EXPORT_TIMEOUT_S,
    allow_private: bool | None = None,
) -> bytes:
    """A GetMap image's bytes (through the same checks and limits), or MapServiceError; an XML answer (a WMS
    exception) is refused as not an image."""
    url = getmap_url(base, layer, bbox, size, version)
    answer = fetch(url, config.OVERLAY_IMAGE_MAX_BYTES, timeout, allow_private)
    if not answer.content_type.startswith("image/"):
        raise MapServiceError("overlay_no_image", layer=layer[:100])
    return answer.body


def fetch_wmts_image(
    template: str,
    matrices: tuple[tuple[int, str], ...],
    bbox: tuple[float, float, float, float],
    size: tuple[int, int],
    timeout: float = config.OVERLAY_EXPORT_TIMEOUT_S,
    allow_private: bool | None = None,
) -> bytes:
    """A WMTS layer over an EPSG:3857 box as one PNG, from its tiles fetched through the same checks, or
    MapServiceError (loaders/official/wmts.py)."""

    def guarded(url: str, limit: int, left: float) -> Answer:
        return fetch(url, limit, left, allow_private)

    return wmts.fetch_tile_image(template, matrices, bbox, size, guarded, timeout)
