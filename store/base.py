"""The layer store interface: one abstract `LayerStore` and the checks both backends share.

The record type is in store/records.py, the errors in store/errors.py (all importable from `store`).

Both backends (GeoPackage, PostGIS) inherit the public methods from here, so argument checks,
defaults and export behave the same; each backend fills in the underscored primitives.
"""

from __future__ import annotations

import builtins
import json
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import geopandas as gpd

from config import AUDIT_LIMIT, STORE_PURGE_DAYS
from core.roles import COUNTY, OWNERS, Role, RoleRule
from core.schema import LAYERS
from store.columns import Encoded, encode
from store.errors import LayerDeleted, LayerNotFound, StoreError
from store.export import to_geojson, to_gpkg
from store.records import AuditEntry, LayerInfo

# The layer kinds the maps know, municipal or county "boundaries", resource "flows" (lines with the
# loaders/bundled/flows.py columns, loaders/bundled/flow_store.py), "measures" (one point each,
# loaders/bundled/measure_store.py) and "other": a layer that keeps its own fields.
# "figures" and "municipal_statistics" hold imported tables without geometry (loaders/official/imported.py);
# "overlays" the map service layers chosen by an editor, also without geometry (loaders/official/overlays.py).
KINDS = (*LAYERS, "figures", "municipal_statistics", "boundaries", "flows", "measures", "overlays", "other")
PURGE_AFTER = timedelta(days=STORE_PURGE_DAYS)
EXPORT_FORMATS = ("geojson", "gpkg")
# What a layer's style may say: colour and fill as #rrggbb, the field used as label, the fields shown in popups.
STYLE_KEYS = {"colour": str, "fill": bool, "label_field": str, "popup_fields": list}


@dataclass(frozen=True)
class NewVersion:
    """What a backend needs to write one version: encoded data plus the upload's metadata."""

    data: Encoded
    original_filename: str
    original_crs: str
    uploader: str
    source_licence: str
    created_at: datetime

    def row(self, layer_id: int, version: int, table: str, time=lambda when: when) -> tuple:
        """The version's row in the versions table, in VERSION_COLUMNS' order; `time` writes the creation time as
        the backend keeps it."""
        return (
            layer_id,
            version,
            table,
            self.original_filename,
            self.original_crs,
            self.uploader,
            time(self.created_at),
            len(self.data),
            self.source_licence,
            self.data.layout_json(),
        )


@dataclass(frozen=True)
class NewLayer:
    """A new layer's own fields, checked: the backends write them as they are."""

    title: str
    kind: str
    description: str
    style: str  # JSON text (style_text)
    owner: str  # a number in core.roles.OWNERS


# The versions table's columns a new version writes (NewVersion.row), in the order of its row.
VERSION_COLUMNS = (
    "layer_id",
    "version",
    "table_name",
    "original_filename",
    "original_crs",
    "uploader",
    "created_at",
    "feature_count",
    "source_licence",
    "layout",
)


@dataclass(frozen=True)
class Origin:
    """Where a layer version comes from, as its metadata keeps it: the file's name and CRS, who uploaded it and the
    source or licence. `source_licence` None: none given (a new layer has none; a new version keeps the layer's)."""

    original_filename: str = ""
    original_crs: str | None = None  # None: the frame's own
    uploader: str = ""
    source_licence: str | None = None


class LayerStore(ABC):
    """Layers kept in EPSG:4326 with their metadata, versions and a 30-day bin."""

    # --- writing -------------------------------------------------------------------------------

    def save(
        self,
        gdf: gpd.GeoDataFrame,
        title: str,
        kind: str,
        origin: Origin = Origin(),
        description: str = "",
        style: dict | None = None,
        owner: str = COUNTY,
    ) -> LayerInfo:
        """Store `gdf` as a new layer (version 1) of `owner` (a municipality's number, or the county's) and return
        its record."""
        title = _title(title)
        if kind not in KINDS:
            raise StoreError("store_unknown_kind", got=kind, kinds=KINDS)
        new = _new_version(gdf, origin, origin.source_licence or "")
        layer = NewLayer(title, kind, _text("description", description), style_text(style), _owner(owner))
        return self._save(new, layer)

    def replace(
        self,
        layer_id: int,
        gdf: gpd.GeoDataFrame,
        origin: Origin = Origin(),
        description: str | None = None,
    ) -> LayerInfo:
        """Store `gdf` as the layer's next version; earlier versions stay restorable.

        `description` and the origin's `source_licence` left as None keep the current ones.
        """
        current = self._live(layer_id)
        licence = current.source_licence if origin.source_licence is None else origin.source_licence
        new = _new_version(gdf, origin, licence)
        desc = None if description is None else _text("description", description)
        return self._replace(layer_id, new, desc)

    def restore_version(self, layer_id: int, version: int) -> LayerInfo:
        """Make an earlier (or later) version current again. No version is removed."""
        self._live(layer_id)
        if version not in {v.version for v in self.versions(layer_id)}:
            raise LayerNotFound("store_no_version", layer_id=layer_id, version=version)
        return self._update(layer_id, current_version=int(version))

    def set_visible(self, layer_id: int, visible: bool) -> LayerInfo:
        self._live(layer_id)
        return self._update(layer_id, visible=bool(visible))

    def rename(self, layer_id: int, title: str) -> LayerInfo:
        self._live(layer_id)
        return self._update(layer_id, title=_title(title))

    def set_description(self, layer_id: int, description: str) -> LayerInfo:
        self._live(layer_id)
        return self._update(layer_id, description=_text("description", description))

    def set_style(self, layer_id: int, style: dict) -> LayerInfo:
        self._live(layer_id)
        return self._update(layer_id, style=style_text(style))

    def set_owner(self, layer_id: int, owner: str) -> LayerInfo:
        self._live(layer_id)
        return self._update(layer_id, owner=_owner(owner))

    def delete(self, layer_id: int, now: datetime | None = None) -> LayerInfo:
        """Move the layer to the bin: hidden from `list()`, restorable until purged."""
        info = self.get(layer_id)
        if info.deleted:
            return info
        return self._update(layer_id, deleted_at=_utc(now))

    def restore(self, layer_id: int) -> LayerInfo:
        """Take the layer out of the bin."""
        info = self.get(layer_id)
        if not info.deleted:
            return info
        return self._update(layer_id, deleted_at=None)

    def purge(self, older_than: timedelta = PURGE_AFTER, now: datetime | None = None) -> builtins.list[int]:
        """Remove for good the layers deleted more than `older_than` before `now`; return their ids."""
        # the backend picks the layers inside its write, so a layer restored meanwhile is spared
        return self._purge(_utc(now) - older_than)

    def append_audit(self, entry: AuditEntry) -> None:
        """Add one line to the audit log; nothing in the app changes or removes a line (store/acting.py writes)."""
        self._append_audit(entry)

    @contextmanager
    def logged(self, entry_for: Callable[[LayerInfo], AuditEntry]) -> Iterator[None]:
        """Within the block, a layer change in this thread writes `entry_for(the layer after it)` to the audit log in
        its own transaction: a change and its line are stored together or not at all."""
        local = self.__dict__.setdefault("_log_local", threading.local())
        local.entry_for = entry_for
        try:
            yield
        finally:
            local.entry_for = None

    def _log_entry(self, after: LayerInfo) -> AuditEntry | None:
        """The line `logged` asked for, for the layer as the change left it; None outside `logged`."""
        entry_for = getattr(self.__dict__.get("_log_local"), "entry_for", None)
        return None if entry_for is None else entry_for(after)

    def replace_role_rules(self, rules: builtins.list[RoleRule], entry: AuditEntry) -> None:
        """Make `rules` the role rules, in their order, and log `entry` in the same transaction."""
        rows = [(r.claim, r.value, str(r.role), ",".join(r.municipalities), r.provider) for r in rules]
        self._replace_role_rules(rows, entry)

    # --- reading -------------------------------------------------------------------------------

    def export(self, layer_id: int, fmt: str = "geojson", version: int | None = None) -> bytes:
        """The layer as a GeoJSON (RFC 7946) or GeoPackage file, with its title and licence inside."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError("store_unknown_export", got=fmt, formats=EXPORT_FORMATS)
        info = self.get(layer_id)
        if version is not None:
            info = next((v for v in self.versions(layer_id) if v.version == version), None)
            if info is None:
                raise LayerNotFound("store_no_version", layer_id=layer_id, version=version)
        frame = self.read(layer_id, version=info.version)
        return to_geojson(frame, info) if fmt == "geojson" else to_gpkg(frame, info)

    @abstractmethod
    def get(self, layer_id: int) -> LayerInfo:
        """The layer's record (also for a layer in the bin); LayerNotFound if there is none."""

    @abstractmethod
    def versions(self, layer_id: int) -> builtins.list[LayerInfo]:
        """Every stored version of the layer, oldest first."""

    @abstractmethod
    def read(
        self, layer_id: int, version: int | None = None, *, start: int = 0, count: int | None = None
    ) -> gpd.GeoDataFrame:
        """The layer's features in EPSG:4326 (the current version unless `version` is given), in stored order;
        with `start`/`count` only those rows (a clicked feature of a big layer, without reading the rest)."""

    @abstractmethod
    def list(self, include_deleted: bool = False) -> builtins.list[LayerInfo]:
        """All layers, oldest first; those in the bin only with `include_deleted`."""

    @abstractmethod
    def audit_log(self, layer_id: int | None = None, limit: int = AUDIT_LIMIT) -> builtins.list[AuditEntry]:
        """The newest `limit` lines of the audit log (of one layer with `layer_id`), newest first."""

    @abstractmethod
    def role_rules(self) -> builtins.list[RoleRule]:
        """The administrators' rules from claims to roles, in their order (none: everyone signed in is a viewer)."""

    # --- backend primitives ---------------------------------------------------------------------

    @abstractmethod
    def _save(self, new: NewVersion, layer: NewLayer) -> LayerInfo: ...

    @abstractmethod
    def _replace(self, layer_id: int, new: NewVersion, description: str | None) -> LayerInfo: ...

    @abstractmethod
    def _update(self, layer_id: int, **fields) -> LayerInfo:
        """Set layer fields: title, description, style, visible, current_version, deleted_at."""

    @abstractmethod
    def _append_audit(self, entry: AuditEntry) -> None: ...

    @abstractmethod
    def _replace_role_rules(self, rows: builtins.list[tuple], entry: AuditEntry) -> None: ...

    @abstractmethod
    def _purge(self, cutoff: datetime) -> builtins.list[int]:
        """Remove the layers deleted at or before `cutoff`, with all their versions; return their ids."""

    def _before_publish(self) -> None:
        """Called when a write is complete but not yet visible. Tests use it to kill a writer there."""
        return None

    def _live(self, layer_id: int) -> LayerInfo:
        info = self.get(layer_id)
        if info.deleted:
            raise LayerDeleted("store_layer_deleted_title", layer_id=layer_id, title=info.title)
        return info


def _new_version(gdf, origin: Origin, source_licence: str) -> NewVersion:
    original_crs = origin.original_crs
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise StoreError("store_not_a_frame")
    try:
        gdf.geometry  # noqa: B018 (raises when the frame has no active geometry column)
    except AttributeError:
        raise StoreError("store_no_geometry_column") from None
    if gdf.crs is None and not original_crs:
        raise StoreError("store_no_crs")
    crs = original_crs or gdf.crs.to_string()
    return NewVersion(
        data=encode(gdf if gdf.crs is not None else gdf.set_crs(crs)),
        original_filename=_text("original file name", origin.original_filename),
        original_crs=_text("original CRS", crs),
        uploader=_text("uploader", origin.uploader),
        source_licence=_text("source/licence", source_licence),
        created_at=datetime.now(UTC),
    )


def info_from_row(row: tuple, to_utc) -> LayerInfo:
    """A LayerInfo from a metadata row in the column order both backends select; `to_utc` reads their times."""
    (
        id_,
        title,
        kind,
        filename,
        crs,
        uploader,
        created,
        count,
        description,
        licence,
        visible,
        version,
        deleted,
        style,
        owner,
    ) = row
    return LayerInfo(
        id=id_,
        title=title,
        kind=kind,
        original_filename=filename,
        original_crs=crs,
        uploader=uploader,
        created_at=to_utc(created),
        feature_count=count,
        description=description,
        source_licence=licence,
        visible=bool(visible),
        version=version,
        deleted_at=None if deleted is None else to_utc(deleted),
        style=parse_style(style),
        owner=owner,
    )


def audit_values(entry: AuditEntry, time=lambda when: when) -> tuple:
    """The entry's row for the audit table, from `at` to `after` (the id is the store's); `time` writes `at`."""
    dump = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)  # noqa: E731
    at = entry.at.astimezone(UTC)
    return (
        time(at),
        _text("subject", entry.subject),
        _text("name", entry.name),
        entry.action,
        entry.outcome,
        entry.layer_id,
        entry.owner,
        _text("before", dump(entry.before)),
        _text("after", dump(entry.after)),
    )


def audit_from_row(row: tuple, to_utc) -> AuditEntry:
    """An entry from (id, at, subject, name, action, outcome, layer_id, owner, before, after); `to_utc` reads `at`."""
    id_, at, subject, name, action, outcome, layer_id, owner, before, after = row
    load = lambda value: value if isinstance(value, dict) else json.loads(value or "{}")  # noqa: E731 (jsonb: a dict)
    return AuditEntry(to_utc(at), subject, name, action, outcome, layer_id, owner, load(before), load(after), id_)


def rule_from_row(row: tuple) -> RoleRule:
    claim, value, role, municipalities, provider = row
    return RoleRule(claim, value, Role(role), tuple(m for m in municipalities.split(",") if m), provider)


def style_text(style: dict | None) -> str:
    """A style checked against STYLE_KEYS, as JSON text for the metadata table."""
    style = style or {}
    if not isinstance(style, dict):
        raise StoreError("store_style_not_mapping")
    for key, value in style.items():
        if key not in STYLE_KEYS:
            raise StoreError("store_unknown_style", got=key, keys=STYLE_KEYS)
        if not isinstance(value, STYLE_KEYS[key]) or (
            key == "popup_fields" and not all(isinstance(v, str) for v in value)
        ):
            raise StoreError("store_style_type", key=key)
    colour = style.get("colour")
    if colour is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise StoreError("store_bad_colour", got=colour)
    return _text("style", json.dumps(style, ensure_ascii=False, sort_keys=True))


def parse_style(text: str | None) -> dict:
    return json.loads(text) if text else {}


def _title(title: object) -> str:
    title = _text("title", title)
    if not title.strip():
        raise StoreError("store_needs_title")
    return title


def _text(what: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StoreError("store_not_text", field=what, type=type(value).__name__)
    if "\x00" in value:  # PostgreSQL text cannot hold NUL; refuse it in both backends alike
        raise StoreError("store_text_nul", field=what)
    return value


def _owner(owner: object) -> str:
    if owner not in OWNERS:
        raise StoreError("store_unknown_owner", got=str(owner)[:40])
    return str(owner)


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise StoreError("store_naive_time")
    return now.astimezone(UTC)


def layer_key(layer_id: object) -> int:
    """Layer ids are integers; anything else names no layer."""
    if isinstance(layer_id, bool):
        raise LayerNotFound("store_no_layer_got", got=layer_id)
    try:
        return int(layer_id)
    except (TypeError, ValueError):
        raise LayerNotFound("store_no_layer_got", got=layer_id) from None


MAX_ROW = 2**53  # far beyond any layer (config.MAX_UPLOAD_FEATURES), far below the databases' 64-bit integers


def row_range(start: object, count: object) -> tuple[int, int | None]:
    """`start` and `count` of a partial read as plain non-negative integers (a count of None: to the end)."""
    if isinstance(start, bool) or isinstance(count, bool):
        raise ValueError("start and count are row numbers")
    start = int(start)
    count = None if count is None else int(count)
    if start < 0 or (count is not None and count < 0):
        raise ValueError(f"rows from {start}, {count} of them: both must be 0 or more")
    if start > MAX_ROW or (count is not None and count > MAX_ROW):  # SQLite and PostgreSQL count in 64 bits
        raise ValueError(f"rows from {start}, {count} of them: no layer has that many")
    return start, count


def data_table(layer_id: int, version: int) -> str:
    """Physical table of one version: built from integers only, never from user text."""
    return f"layer_{int(layer_id)}_v{int(version)}"
