"""The command-line twin of the upload page: `python -m loaders ...` (see `python -m loaders --help`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from core.roles import COUNTY, RoleError, owner_number
from core.schema import UPLOAD_KINDS
from loaders.errors import LayerError, NeedsCRSChoice, NeedsLayerChoice
from loaders.official.registry import FORMATS as IMPORT_FORMATS


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Load layers into the Industrikart store and list what it holds. "
        "The store is the GeoPackage named by INDUSTRIKART_STORE (default data/layers.gpkg), "
        "or PostgreSQL/PostGIS when DATABASE_URL is set.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser(
        "ingest",
        help="read, validate and store a file, exactly as the upload page does",
        description="Read FILE (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV/XLSX with coordinates), "
        "print the validation report and store it as a new layer (or a new version with --replace).",
    )
    ingest.add_argument("file")
    ingest.add_argument("--layer", help="which layer of a file that holds several")
    ingest.add_argument("--kind", default="other", choices=UPLOAD_KINDS, help="layer kind (default: other)")
    ingest.add_argument("--title", help="layer title (default: the layer's name in the file)")
    ingest.add_argument("--crs", help="the file's CRS when it declares none, e.g. EPSG:25833")
    ingest.add_argument("--swap-axes", action="store_true", help="read x as latitude and y as longitude")
    ingest.add_argument(
        "--default",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="value for a schema field the file lacks, e.g. source_url=https://... (repeatable)",
    )
    ingest.add_argument(
        "--uploader", default="", help="who loads it (kept with the layer and in the audit log; default: your login)"
    )
    ingest.add_argument(
        "--owner",
        default=COUNTY,
        help="the municipality the new layer belongs to, by number or name (default: the county, 50)",
    )
    ingest.add_argument("--description", default="")
    ingest.add_argument("--source-licence", default="", help="source and licence text kept with the layer")
    ingest.add_argument("--replace", type=int, metavar="LAYER_ID", help="store as a new version of this layer")
    ingest.add_argument("--dry-run", action="store_true", help="read and validate only; store nothing")
    ingest.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="an official emission export instead of a map layer: norskeutslipp.no (.xlsx/.csv), "
        "EEA E-PRTR F1_4 (.csv), the EU ETS's verified emissions per installation (eutl: the EU Transaction Log "
        "table or the Commission's yearly workbook, .csv/.xlsx) or Miljødirektoratet's municipal statistics (.csv)",
    )

    boundaries = commands.add_parser(
        "boundaries", help="download Kartverket's municipal boundaries from Geonorge and cache them on disk"
    )
    boundaries.add_argument("--download", action="store_true", required=True)
    boundaries.add_argument("--force", action="store_true", help="download again even when a cached copy exists")
    boundaries.add_argument("--url", help="another address of the same file")
    boundaries.add_argument("--cache-dir", help="where to keep it (default: data/boundaries)")

    listing = commands.add_parser("layers", help="list the stored layers with their metadata")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--all", action="store_true", help="include layers in the bin")
    args = parser.parse_args(argv)
    try:
        if args.command == "ingest":
            return _import(args) if args.format else _ingest(args)
        if args.command == "boundaries":
            return _boundaries(args)
        if args.command == "layers":
            return _layers(args)
    except (LayerError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 1


def operator_store(args):
    """The store as the operator at this machine changes it: trusted (whoever runs this may open the store anyway),
    and every change in the audit log under their login name."""
    import getpass

    from store import open_store
    from store.acting import ActingStore, Actor

    login = getpass.getuser()
    actor = Actor.trusted(f"cli:{login}", args.uploader or login)
    return ActingStore(open_store(), actor, owner_number(args.owner))


def _ingest(args) -> int:
    from pathlib import Path

    from loaders.upload.ingest import LayerMapping, prepare, report_lines, save
    from store import StoreError

    path = Path(args.file)
    defaults = {}
    for item in args.default:
        field, sep, value = item.partition("=")
        if not sep:
            print(f"error: --default needs FIELD=VALUE, got {item!r}", file=sys.stderr)
            return 2
        defaults[field.strip()] = value
    try:
        prepared = prepare(
            path.read_bytes(),
            path.name,
            layer=args.layer,
            crs=args.crs,
            swap_axes=args.swap_axes,
            fields=LayerMapping(args.kind, defaults=defaults),
        )
    except NeedsLayerChoice as exc:
        print(f"error: {exc}; pass --layer NAME", file=sys.stderr)
        return 2
    except NeedsCRSChoice as exc:
        print(f"error: {exc}; pass --crs with one of:", file=sys.stderr)
        for candidate in exc.candidates:
            swap = " --swap-axes" if candidate.swap_axes else ""
            print(f"  --crs {candidate.crs}{swap}   {candidate.name}: {candidate.reason}", file=sys.stderr)
        return 2
    print("\n".join(report_lines(prepared)))
    if args.dry_run:
        print("dry run: nothing stored")
        return 0
    try:
        info = save(
            prepared,
            operator_store(args),
            title=args.title or prepared.uploaded.name,
            description=args.description,
            source_licence=args.source_licence,
            replace_id=args.replace,
        )
    except (StoreError, RoleError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"stored: layer {info.id} version {info.version}, {info.feature_count} features, {info.title!r}")
    return 0


def _import(args) -> int:
    """An official emission export: the same importer and summary as the import page, saved through the store."""
    from pathlib import Path

    from loaders.bundled.portfolio import load_portfolio
    from loaders.official.imported import save_import
    from loaders.official.importing import summary_lines
    from loaders.official.registry import run_import
    from store import StoreError

    path = Path(args.file)
    result = run_import(path, args.format, known=load_portfolio().sources)
    print("\n".join(summary_lines(result)))  # English: str() of each message, like every other line here
    if args.dry_run:
        print("dry run: nothing stored")
        return 0
    try:
        saved = save_import(operator_store(args), result, args.title or path.stem)
    except (StoreError, RoleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for info in saved:
        print(
            f"stored: layer {info.id} ({info.kind}) version {info.version}, {info.feature_count} rows, {info.title!r}"
        )
    return 0


def _boundaries(args) -> int:
    import config
    from loaders.bundled.boundaries import BoundariesError, download_boundaries

    try:
        path = download_boundaries(
            url=args.url or config.BOUNDARIES_URL,
            cache_dir=args.cache_dir or config.BOUNDARIES_CACHE_DIR,
            force=args.force,
        )
    except BoundariesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"boundaries cached: {path}")
    return 0


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
