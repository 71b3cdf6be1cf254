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

    roles = commands.add_parser("roles", help="list or change the role rules (who may change which layers)")
    role_commands = roles.add_subparsers(dest="roles_command", required=True)
    role_list = role_commands.add_parser("list", help="print the role rules, in order")
    role_list.add_argument("--json", action="store_true", help="print JSON instead of a table")
    role_set = role_commands.add_parser(
        "set",
        help="replace every rule with those of a CSV file",
        description="Replace all role rules with the rows of FILE: a CSV file with the columns claim, value, role, "
        "municipalities (numbers or names, comma-separated; editors need one) and, optionally, provider (the [auth] "
        "section whose sign-ins the rule trusts). Logged under your login.",
    )
    role_set.add_argument("--file", required=True)
    role_add = role_commands.add_parser("add", help="add one rule after the others (logged under your login)")
    role_add.add_argument("--claim", required=True, help="a claim of the sign-in (tid, groups, sub) or email_domain")
    role_add.add_argument("--value", required=True)
    role_add.add_argument("--role", required=True, help="viewer, editor or admin")
    role_add.add_argument(
        "--municipality", action="append", default=[], help="a municipality an editor edits for (repeatable)"
    )
    role_add.add_argument(
        "--provider", default="", help="only sign-ins through this [auth] section (needed with several providers)"
    )
    for command in (role_set, role_add):
        command.add_argument("--uploader", default="", help="your name in the audit log (default: your login)")

    audit = commands.add_parser("audit", help="print the audit log, newest first")
    audit.add_argument("--layer", type=int, metavar="LAYER_ID", help="only this layer's lines")
    audit.add_argument("--csv", metavar="FILE", help="write the lines to FILE as CSV (formula-safe) instead")
    audit.add_argument("--limit", type=int, default=None, help="at most this many of the newest lines")
    args = parser.parse_args(argv)
    try:
        if args.command == "ingest":
            return _import(args) if args.format else _ingest(args)
        if args.command == "boundaries":
            return _boundaries(args)
        if args.command == "layers":
            return _layers(args)
        if args.command == "roles":
            return _roles(args)
        if args.command == "audit":
            return _audit(args)
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
    actor = Actor.trusted(f"cli:{login}", getattr(args, "uploader", "") or login)
    return ActingStore(open_store(), actor, owner_number(getattr(args, "owner", COUNTY)))


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
        title = _terminal_text(i.title)  # an editor's text: no escape sequence reaches the terminal
        print(f"{i.id:>4}  {i.kind:<10} {i.version:>3} {i.feature_count:>9}  {shown:<5}  {title}{deleted}")
    return 0


def _roles(args) -> int:
    from pathlib import Path

    from core.roles import RoleRule
    from loaders.role_rules import RULE_COLUMNS, RuleRowError, rule_row, rules_of_csv
    from store import StoreError, open_store

    try:
        if args.roles_command == "list":
            rows = [rule_row(r) for r in open_store().role_rules()]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=2))
            elif not rows:
                print("no role rules: everyone who signs in may only view")
            else:
                print("\t".join(RULE_COLUMNS))
                for row in rows:
                    print("\t".join(row[c] for c in RULE_COLUMNS))
            return 0
        store = operator_store(args)
        if args.roles_command == "set":
            rules = rules_of_csv(Path(args.file).read_text(encoding="utf-8"))
        else:
            rule = RoleRule.of(args.claim, args.value, args.role, args.municipality, args.provider)
            rules = [*store.role_rules(), rule]
        store.set_role_rules(rules)
    except (RuleRowError, RoleError, ValueError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"role rules saved: {len(rules)} in all")
    return 0


def _audit(args) -> int:
    """The audit log newest first: a table on the screen, or CSV through the app's one writer (formula-safe)."""
    from pathlib import Path

    import pandas as pd

    from core.csv_text import csv_bytes
    from loaders.audit_log import log_frame
    from store import StoreError, open_store

    try:
        limit = {} if args.limit is None else {"limit": args.limit}
        entries = open_store().audit_log(layer_id=args.layer, **limit)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    frame = log_frame(entries)
    if args.csv:
        Path(args.csv).write_bytes(csv_bytes(frame))
        print(f"{len(frame)} lines written to {args.csv}")
        return 0
    if frame.empty:
        print("the audit log is empty")
        return 0
    for row in frame.itertuples(index=False):
        layer = "" if pd.isna(row.layer_id) else f"layer {row.layer_id} {row.title!r} "
        changes = f"  {row.changes}" if row.changes else ""
        who = f"by {row.name} [{row.subject}]"
        print(
            _terminal_text(
                f"{row.time_utc}  {row.outcome:<7} {row.action:<15} {layer}({row.owner_name})  {who}{changes}"
            )
        )
    return 0


def _terminal_text(text: str) -> str:
    """People's text on a terminal: no control character (an escape sequence in a title could rewrite the screen)."""
    return "".join(c if c.isprintable() else "?" for c in text)
