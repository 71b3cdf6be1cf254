"""`python -m ogc [--host 127.0.0.1] [--port 5000]`: the OGC API – Features service for the store the settings name
(the same environment as the app: DATABASE_URL or INDUSTRIKART_STORE) and the bundled data.

INDUSTRIKART_OGC_URL is the service's public address, the one its links use and QGIS is given (behind nginx:
https://host/ogc/); unset, the links name http://HOST:PORT/. On PostGIS, INDUSTRIKART_OGC_DATABASE_URL names the
read-only role it reads as.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict
from werkzeug.serving import make_server

from config import ROOT, settings
from ogc.bundled import write_bundled
from ogc.service import CHECK_EVERY_S, Service
from ogc.stored import read_only_role_sql, stored_layers

WORKDIR = ROOT / "data" / "ogc"  # derived files: the bundled GeoPackage and pygeoapi's configuration (git-ignored)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ogc", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on (default 5000)")
    parser.add_argument("--workdir", type=Path, default=WORKDIR, help="where the derived files go (data/ogc)")
    parser.add_argument(
        "--check-every", type=float, default=CHECK_EVERY_S, help="seconds between looks at the store's listing"
    )
    parser.add_argument(
        "--role-sql",
        metavar="ROLE",
        help="print the SQL making ROLE a read-only reader of the PostGIS store (INDUSTRIKART_OGC_DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if args.role_sql:
        store = settings().store
        writer = conninfo_to_dict(store.url).get("user", "") if store.url else ""
        print(";\n".join(read_only_role_sql(args.role_sql, store.schema, writer or "industrikart")) + ";")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    now = settings()
    if now.sign_in_to_view:  # the service has no sign-in: it would show what the app shows only to people signed in
        parser.exit(2, "python -m ogc: not with INDUSTRIKART_SIGN_IN_TO_VIEW set (the service has no sign-in)\n")
    url = now.ogc_url or f"http://{args.host}:{args.port}/"
    source = stored_layers(now.store, now.ogc_database_url)
    service = Service(url, write_bundled(args.workdir / "bundled.gpkg"), source, args.workdir, args.check_every)
    server = make_server(args.host, args.port, service, threaded=True)
    logging.getLogger("ogc").info("OGC API – Features at %s (listening on %s:%d)", url, args.host, args.port)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: stop quietly
        server.serve_forever()


if __name__ == "__main__":
    main()
