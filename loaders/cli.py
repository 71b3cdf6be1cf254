"""The command-line twin of the upload page: `python -m loaders ...` (see `python -m loaders --help`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from loaders.errors import LayerError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Load layers into the Industrikart store and list what it holds. "
        "The store is the GeoPackage named by INDUSTRIKART_STORE (default data/layers.gpkg), "
        "or PostgreSQL/PostGIS when DATABASE_URL is set.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("layers", help="list the stored layers with their metadata")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--all", action="store_true", help="include layers in the bin")
    args = parser.parse_args(argv)
    try:
        if args.command == "layers":
            return _layers(args)
    except (LayerError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1


def _layers(args) -> int:
    from store import StoreError, open_store

    try:
        layers = open_store().list(include_deleted=args.all)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        rows = [
            {
                "id": i.id,
                "title": i.title,
                "kind": i.kind,
                "version": i.version,
                "features": i.feature_count,
                "visible": i.visible,
                "original_filename": i.original_filename,
                "original_crs": i.original_crs,
                "uploader": i.uploader,
                "created_at": i.created_at.isoformat(),
                "description": i.description,
                "source_licence": i.source_licence,
                "deleted_at": i.deleted_at.isoformat() if i.deleted_at else None,
            }
            for i in layers
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not layers:
        print("no layers stored")
        return 0
    print(f"{'id':>4}  {'kind':<10} {'ver':>3} {'features':>9}  {'shown':<5}  title")
    for i in layers:
        shown = "yes" if i.visible else "no"
        deleted = f"  (deleted {i.deleted_at:%Y-%m-%d})" if i.deleted_at else ""
        print(f"{i.id:>4}  {i.kind:<10} {i.version:>3} {i.feature_count:>9}  {shown:<5}  {i.title}{deleted}")
    return 0
