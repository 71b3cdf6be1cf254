"""Resource-flow tables in the layer store: saved as a "flows" layer of lines, read back as flow tables.

A stored flow layer holds the columns of loaders/bundled/flows.py (`FLOW_COLUMNS`) and one LineString per
flow, giver to receiver, so other GIS tools can draw it. Reading uses the columns, not the line:
reference ends take their position from the portfolio again, exactly as bundled flows do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from config import CRS, STORE_FLOWS_KIND
from core.messages import Message
from core.portfolio import Portfolio
from loaders.bundled.flows import FLOW_COLUMNS, flow_lines, flows_from_records, resolve_flows
from loaders.errors import LayerError, SchemaError
from store import Origin
from store.base import LayerInfo, LayerStore, StoreError

TITLE_PREFIX = "Ressursstrømmer"


@dataclass(frozen=True, eq=False)
class AllFlows:
    """The bundled flows and every visible stored flow layer, with what had to be left out."""

    flows: pd.DataFrame  # FLOW_COLUMNS + "layer": the store layer's title, None for the bundled table
    layers: tuple[LayerInfo, ...]  # the stored flow layers that were read
    problems: tuple[tuple[str, object], ...]  # (layer title, error or message: i18n.error_text) for each left out


def flow_layer(flows: pd.DataFrame, portfolio: Portfolio) -> gpd.GeoDataFrame:
    """The flow table as a layer to store; raises `SchemaError` for an id the portfolio lacks."""
    lines = flow_lines(flows, portfolio)
    table = flows[list(FLOW_COLUMNS)].reset_index(drop=True)
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(lines.geometry.to_numpy(), crs=CRS), crs=CRS)


def flows_from_layer(layer: gpd.GeoDataFrame) -> pd.DataFrame:
    """A stored flow layer back as a checked flow table (the same checks as a file upload)."""
    missing = [c for c in ("id", "from_id", "to_id", "resource", "status", "source_url", "quote") if c not in layer]
    if missing:
        raise SchemaError(None, missing[0], "column_of", what="stored_flows")
    records = pd.DataFrame(layer.drop(columns=layer.geometry.name)).to_dict("records")
    return flows_from_records(records)


def save_flows(
    store: LayerStore,
    flows: pd.DataFrame,
    portfolio: Portfolio,
    title: str,
    taken_ids: Iterable[str] = (),
    original_filename: str = "",
    uploader: str = "",
) -> LayerInfo:
    """Store checked flows as a new "flows" layer. Ids must be new: a flow is recorded once."""
    taken = set(taken_ids)
    for i, flow_id in enumerate(flows["id"]):
        if flow_id in taken:
            raise SchemaError(i, "id", "new_flow_id", flow_id)
    layer = flow_layer(flows, portfolio)
    return store.save(layer, title, STORE_FLOWS_KIND, Origin(original_filename=original_filename, uploader=uploader))


def all_flows(
    store: LayerStore | None,
    portfolio: Portfolio,
    bundled: pd.DataFrame,
    layers: Sequence[LayerInfo] | None = None,
) -> AllFlows:
    """`bundled` plus the visible stored flow layers, oldest first (`layers`: the store's listing, if read).

    A layer that no longer reads or resolves (a referenced park removed since) is left out whole;
    a stored flow whose id is already taken is left out alone. Both are reported, never dropped quietly.
    """
    frames = [bundled.assign(layer=None)]
    taken = set(bundled["id"])
    read, problems = [], []
    if store is None:
        layers = []
    elif layers is None:
        layers = store.list()
    for info in layers:
        if info.kind != STORE_FLOWS_KIND or not info.visible:
            continue
        try:
            flows = flows_from_layer(store.read(info.id))
            resolve_flows(flows, portfolio)
        except (LayerError, StoreError) as exc:
            problems.append((info.title, exc))
            continue
        repeated = flows["id"].isin(taken)
        problems.extend(
            (info.title, Message("flow_id_repeated", id=repr(flow_id))) for flow_id in flows["id"][repeated]
        )
        taken.update(flows["id"])
        frames.append(flows[~repeated].assign(layer=info.title))
        read.append(info)
    combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    return AllFlows(combined, tuple(read), tuple(problems))


def new_flow_id(from_id: str, to_id: str, resource: str, taken: Iterable[str]) -> str:
    """A readable id for a flow entered in the form, unique among `taken`."""
    base = "flow-" + "-".join(slug(part) for part in (from_id, to_id, resource))
    taken = set(taken)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def slug(text: str) -> str:
    folded = text.casefold().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"
