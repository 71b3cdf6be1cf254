"""Measures in the layer store: one "measures" layer per measure, so each has its versions and its place in the bin.

Adding a measure saves a new layer (one point, at its site or facility, with the columns of
loaders/bundled/measures.py); changing it saves the layer's next version; retiring moves the layer to the bin and
restoring takes it out. Every replica reads the same store, so every replica sees the same measures.

A stored measure with the id of a bundled one replaces it on every page (a status moved on, a newer source):
the bundled file itself is only changed in the repository. Retiring that stored measure brings the bundled one back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from config import CRS, STORE_MEASURES_KIND
from core.messages import Message
from core.portfolio import Portfolio
from loaders.bundled.measures import MEASURE_COLUMNS, check_counted_in, check_measure, measure_table, place_point
from loaders.errors import LayerError, SchemaError
from store import Origin
from store.base import LayerInfo, LayerStore, StoreError

TITLE_PREFIX = "Tiltak"
BUNDLED, STORED, CHANGED = "bundled", "stored", "changed"  # where a shown measure comes from


@dataclass(frozen=True, eq=False)
class AllMeasures:
    """The bundled measures with the stored ones over them, and what had to be left out."""

    measures: pd.DataFrame  # MEASURE_COLUMNS + origin (BUNDLED, STORED, CHANGED) + layer_id (None for bundled)
    problems: tuple[tuple[str, object], ...]  # (layer title, error or message) for each stored measure left out


@dataclass(frozen=True)
class ImportPlan:
    """What saving a measures file would do, row by row; nothing is stored until `apply_import`."""

    added: tuple[dict, ...] = ()  # checked records with a new id
    changed: tuple[tuple[int | None, dict], ...] = ()  # (stored layer id, or None over a bundled one; record)
    unchanged: tuple[str, ...] = ()  # ids whose stored record is the same already
    refused: tuple[tuple[int, str, LayerError], ...] = field(default=())  # (row number from 1, id, why)


def measure_layer(
    record: Mapping[str, object], portfolio: Portfolio, shown: Mapping[str, Mapping] | None = None
) -> gpd.GeoDataFrame:
    """One checked measure as a one-point layer to store; SchemaError for an id the portfolio lacks, or (with
    `shown`: the measures shown, id → record) a `counted_in` that names none of them."""
    row = check_measure(0, record, portfolio)
    if shown is not None:
        check_counted_in(0, row, {**shown, row["id"]: row})
    table = measure_table([row])
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries([place_point(row, portfolio)], crs=CRS), crs=CRS)


def add_measure(
    store: LayerStore,
    record: Mapping[str, object],
    portfolio: Portfolio,
    uploader: str = "",
    shown: Mapping[str, Mapping] | None = None,
) -> LayerInfo:
    layer = measure_layer(record, portfolio, shown)
    title = f"{TITLE_PREFIX}: {layer.at[0, 'title']}"
    return store.save(layer, title, STORE_MEASURES_KIND, Origin(uploader=uploader))


def change_measure(
    store: LayerStore,
    layer_id: int,
    record: Mapping[str, object],
    portfolio: Portfolio,
    uploader: str = "",
    shown: Mapping[str, Mapping] | None = None,
) -> LayerInfo:
    """The stored measure's next version (its id stays: a measure changed is the same measure)."""
    current = measure_from_layer(store.read(layer_id))
    if record.get("id") != current["id"]:
        raise SchemaError(0, "id", "same_measure_id", record.get("id"))
    info = store.replace(layer_id, measure_layer(record, portfolio, shown), Origin(uploader=uploader))
    title = f"{TITLE_PREFIX}: {record['title']}"
    return store.rename(layer_id, title) if info.title != title else info


def measure_from_layer(layer: gpd.GeoDataFrame) -> dict:
    """A stored measure layer back as one checked record (the same checks as a file)."""
    if len(layer) != 1:
        raise SchemaError(None, "id", "one_measure", len(layer), what="stored_measure")
    record = pd.DataFrame(layer.drop(columns=layer.geometry.name)).to_dict("records")[0]
    return check_measure(0, record)


def stored_measure_layers(layers: Iterable[LayerInfo]) -> list[LayerInfo]:
    return [info for info in layers if info.kind == STORE_MEASURES_KIND]


def all_measures(
    store: LayerStore | None,
    bundled: pd.DataFrame,
    portfolio: Portfolio,
    layers: Sequence[LayerInfo] | None = None,
) -> AllMeasures:
    """`bundled` with the visible stored measures over it (`layers`: the store's listing, if read).

    A stored measure that no longer reads, or whose site or facility the portfolio lost, is left out and
    reported; of two stored measures with one id the older is shown and the newer reported.
    """
    shown = {row["id"]: {**row, "origin": BUNDLED, "layer_id": None} for row in bundled.to_dict("records")}
    stored_ids, problems = set(), []
    if store is not None:
        for info in stored_measure_layers(store.list() if layers is None else layers):
            if not info.visible or info.deleted:
                continue
            try:
                record = measure_from_layer(store.read(info.id))
                check_measure(0, record, portfolio)
            except (LayerError, StoreError) as exc:
                problems.append((info.title, exc))
                continue
            if record["id"] in stored_ids:
                problems.append((info.title, Message("measure_id_repeated", id=repr(record["id"]))))
                continue
            stored_ids.add(record["id"])
            origin = CHANGED if record["id"] in shown else STORED
            shown[record["id"]] = {**record, "origin": origin, "layer_id": info.id}
    table = measure_table(list(shown.values())) if shown else measure_table([])
    rows = list(shown.values())
    table["origin"] = [r["origin"] for r in rows]
    table["layer_id"] = pd.array([r["layer_id"] for r in rows], dtype="Int64")
    return AllMeasures(table, tuple(problems))


def plan_import(
    records: Sequence[Mapping[str, object]],
    portfolio: Portfolio,
    current: pd.DataFrame,
    binned_ids: Iterable[str] = (),
) -> ImportPlan:
    """Each row of a measures file checked on its own: new ids are added, known ids changed (a stored measure's
    next version, or a stored one over a bundled one), the same record again left alone, a bad row refused (also
    an id of a measure in the bin, and a `counted_in` naming no measure shown or in the file)."""
    known = current.set_index("id") if not current.empty else current
    binned = set(binned_ids) - set(known.index)
    checked, refused, seen = [], [], set()
    for i, record in enumerate(records):
        row_id = str(record.get("id") or "").strip()
        try:
            row = check_measure(i, record, portfolio)
            if row["id"] in seen:
                raise SchemaError(i, "id", "unique", row["id"], what="measure_table")
            if row["id"] in binned:
                raise SchemaError(i, "id", "id_in_bin", row["id"])
        except LayerError as exc:
            refused.append((i + 1, row_id, exc))
            continue
        seen.add(row["id"])
        checked.append((i, row))
    # what each shown measure and each row is counted in: a counted_in must name one of them, itself counted
    counted_in = {m: {"counted_in": _plain(c)} for m, c in zip(current["id"], current["counted_in"], strict=True)}
    counted_in.update({row["id"]: row for _, row in checked})
    added, changed, unchanged = [], [], []
    for i, row in checked:
        try:
            check_counted_in(i, row, counted_in)
        except LayerError as exc:
            refused.append((i + 1, row["id"], exc))
            continue
        if row["id"] not in known.index:
            added.append(row)
            continue
        before = known.loc[row["id"]]
        if _same(row, before):
            unchanged.append(row["id"])
            continue
        layer_id = None if pd.isna(before["layer_id"]) else int(before["layer_id"])
        changed.append((layer_id, row))
    refused.sort(key=lambda item: item[0])
    return ImportPlan(tuple(added), tuple(changed), tuple(unchanged), tuple(refused))


def apply_import(store: LayerStore, plan: ImportPlan, portfolio: Portfolio, uploader: str = "") -> list[LayerInfo]:
    """Store what `plan_import` found: new layers for added measures (and for changes over bundled ones), next
    versions for changed stored ones. Refused rows touch nothing. Every layer is built (and checked) before the
    first is written; a store failure part-way raises `PartialImport` saying how many were saved."""
    writes = [(None, row, measure_layer(row, portfolio)) for row in plan.added]
    writes += [(layer_id, row, measure_layer(row, portfolio)) for layer_id, row in plan.changed]
    saved = []
    for layer_id, row, layer in writes:
        try:
            if layer_id is None:
                saved.append(
                    store.save(layer, f"{TITLE_PREFIX}: {row['title']}", STORE_MEASURES_KIND, Origin(uploader=uploader))
                )
            else:
                saved.append(change_measure(store, layer_id, row, portfolio, uploader))
        except StoreError as exc:
            raise PartialImport(len(saved), len(writes), exc) from exc
    return saved


class PartialImport(StoreError):
    """The store failed part-way through an import: `saved` of `total` measures were stored."""

    def __init__(self, saved: int, total: int, cause: Exception):
        super().__init__(f"{saved} of {total} measures were saved before the store failed: {cause}")
        self.saved, self.total, self.cause = saved, total, cause


def binned_measure_ids(store: LayerStore, layers: Iterable[LayerInfo]) -> set[str]:
    """The ids of the measures in the bin (`layers`: the store's listing with the bin), so no new one takes one."""
    ids = set()
    for info in stored_measure_layers(layers):
        if info.deleted:
            try:
                ids.add(measure_from_layer(store.read(info.id))["id"])
            except (LayerError, StoreError):
                continue
    return ids


def _plain(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _same(row: dict, before: pd.Series) -> bool:
    for column in MEASURE_COLUMNS:
        old, new = before.get(column) if column != "id" else row["id"], row[column]
        if pd.isna(old) if not isinstance(old, list | tuple) else False:
            old = None
        if column == "potential":
            old, new = bool(old), bool(new)
        if old != new and not (isinstance(old, float) and new is not None and float(new) == old):
            return False
    return True
