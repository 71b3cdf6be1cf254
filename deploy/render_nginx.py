"""Fill deploy/nginx.conf.template.

python deploy/render_nginx.py --listen 127.0.0.1:8080 --rundir DIR [--ogc HOST:PORT] HOST:PORT [HOST:PORT ...]

--ogc: the OGC API – Features service (`python -m ogc`, README "Open in QGIS") behind /ogc/, read-only.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import config

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def render(
    listen: str,
    rundir: str,
    replicas: list[str],
    max_fails: int = 1,
    fail_timeout: str = "10s",
    frame_ancestors: str | None = None,
    expose_upstream: bool = False,
    ogc: str | None = None,
) -> str:
    """The filled template. `expose_upstream` adds a header naming the replica that answered: for the replica
    check on loopback (deploy/try-replicas.sh) only, never for an installation (it names an internal address).
    `frame_ancestors` defaults to the settings' (INDUSTRIKART_FRAME_ANCESTORS). `ogc` (host:port) puts the OGC API
    service behind /ogc/."""
    servers = "\n".join(f"        server {r} max_fails={max_fails} fail_timeout={fail_timeout};" for r in replicas)
    text = TEMPLATE.read_text()
    ancestors = config.settings().frame_ancestors if frame_ancestors is None else frame_ancestors
    for key, value in {
        "@LISTEN@": listen,
        "@RUNDIR@": rundir,
        "@SERVERS@": servers,
        "@MAX_BODY@": str(config.MAX_UPLOAD_BYTES),
        "@FRAME_ANCESTORS@": _frame_ancestors(ancestors),
        "@UPSTREAM_HEADER@": _UPSTREAM_HEADER if expose_upstream else "",
        "@OGC@": _ogc_location(ogc) if ogc else "",
    }.items():
        text = text.replace(key, value)
    return text


_HOST_PORT = re.compile(r"^[A-Za-z0-9.-]+:\d{1,5}$")
# The OGC API service: nginx takes /ogc/ off the path (proxy_pass with a path); the service's own links name
# INDUSTRIKART_OGC_URL, https://<host>/ogc/. Only GET (and so HEAD) reaches it: it changes nothing anyway.
_OGC_LOCATION = """        # The OGC API – Features service for QGIS (ogc/, `python -m ogc`), read-only.
        location /ogc/ {
            limit_except GET {
                deny all;
            }
            proxy_pass http://@UPSTREAM@/;
            proxy_http_version 1.1;
            proxy_read_timeout 300s;
        }
"""


def _ogc_location(upstream: str) -> str:
    if not _HOST_PORT.match(upstream):
        raise ValueError(f"--ogc takes host:port, got {upstream!r}")
    return _OGC_LOCATION.replace("@UPSTREAM@", upstream)


_UPSTREAM_HEADER = "        add_header X-Industrikart-Upstream $upstream_addr always;"
_ORIGIN = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?$")


def _frame_ancestors(value: str) -> str:
    """A CSP source list (`'self' https://example.org`): nothing that could end the header or add a directive."""
    sources = value.split() or ["'self'"]
    for source in sources:
        if source not in ("'self'", "'none'") and not _ORIGIN.match(source):
            raise ValueError(f"frame-ancestors takes 'self', 'none' or https:// origins, got {source!r}")
    return " ".join(sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", required=True, help="address:port nginx listens on")
    parser.add_argument("--rundir", required=True, help="directory for nginx's pid, logs and temporary files")
    parser.add_argument(
        "--frame-ancestors",
        default=config.settings().frame_ancestors,
        help="who may show the app in a frame (CSP frame-ancestors): 'self' (default) and https:// origins",
    )
    parser.add_argument(
        "--expose-upstream",
        action="store_true",
        help="name the answering replica in a response header (the replica check on loopback only)",
    )
    parser.add_argument("--ogc", metavar="HOST:PORT", help="the OGC API service (python -m ogc) behind /ogc/")
    parser.add_argument("replicas", nargs="+", help="host:port of each Streamlit replica")
    args = parser.parse_args()
    print(
        render(
            args.listen,
            args.rundir,
            args.replicas,
            frame_ancestors=args.frame_ancestors,
            expose_upstream=args.expose_upstream,
            ogc=args.ogc,
        )
    )


if __name__ == "__main__":
    main()
