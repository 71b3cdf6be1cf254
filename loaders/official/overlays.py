"""Map service overlays kept in the layer store, for everyone: one stored layer of kind "overlays" per saving, one
row per chosen service layer (no geometry, like the imported figure tables in loaders/official/imported.py).

An overlay is named in links and toggles by its key "<stored layer id>.<row>".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from config import CRS
from loaders.official.map_services import Capabilities
from loaders.official.wmts import MAX_ZOOM, TEMPLATE_KEYS
from store import Origin

OVERLAYS_KIND = "overlays"
COLUMNS = ("url", "layer", "title", "attribution", "legend_url", "version", "service", "kind", "matrices")


@dataclass(frozen=True)
class Overlay:
    key: str  # "<stored layer id>.<row>"
    url: str  # the service's GetMap address
    layer: str  # the WMS layer's name
    title: str
    attribution: str
    legend_url: str  # "" when the service offers no legend image
    version: str
    service: str  # the service's title
    kind: str = "wms"  # "wmts": `url` is the tiles' {tm}/{x}/{y} address template (web mercator)
    matrices: tuple[tuple[int, str], ...] = ()  # a WMTS layer's (zoom, TileMatrix identifier)

    @property
    def tiled(self) -> bool:
        return self.kind == "wmts"


def overlays_frame(capabilities: Capabilities, names: list[str]) -> gpd.GeoDataFrame:
    """The chosen layers of a service (in the order given) as rows without geometry."""
    by_name = {layer.name: layer for layer in capabilities.layers}
    rows = [
        {
            "url": layer.tile_url if layer.kind == "wmts" else capabilities.getmap_url,
            "layer": layer.name,
            "title": layer.title,
            "attribution": layer.attribution,
            "legend_url": layer.legend_url,
            "version": capabilities.version or ("1.0.0" if layer.kind == "wmts" else "1.3.0"),
            "service": capabilities.title,
            "kind": layer.kind,
            "matrices": json.dumps([[z, name] for z, name in layer.matrices]) if layer.kind == "wmts" else "",
        }
        for layer in (by_name[name] for name in names if name in by_name)
        if layer.web_mercator  # a WMTS layer without a web mercator matrix set cannot be drawn
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), crs=CRS))


def save_overlays(store, capabilities: Capabilities, names: list[str], title: str, uploader: str = ""):
    """Save the chosen layers as one stored layer (through the page's ActingStore: owned, checked, logged)."""
    origin = Origin(original_filename=capabilities.getmap_url[:500], uploader=uploader)
    return store.save(overlays_frame(capabilities, names), title, OVERLAYS_KIND, origin, description=capabilities.title)


def overlays_of(layer_id: int, frame: pd.DataFrame) -> list[Overlay]:
    """The overlays of one stored layer's frame; rows without a name or an http(s) address are left out."""
    found = []
    for row, values in enumerate(frame.reindex(columns=list(COLUMNS)).itertuples(index=False)):
        data = {c: "" if pd.isna(v) else str(v) for c, v in zip(COLUMNS, values, strict=True)}
        if not data["layer"] or not data["url"].lower().startswith(("http://", "https://")):
            continue
        legend = data["legend_url"] if data["legend_url"].lower().startswith(("http://", "https://")) else ""
        kind = "wmts" if data["kind"] == "wmts" else "wms"
        matrices = _matrices(data["matrices"]) if kind == "wmts" else ()
        if kind == "wmts" and (not matrices or not all(p in data["url"] for p in TEMPLATE_KEYS)):
            continue
        found.append(
            Overlay(
                key=f"{layer_id}.{row}",
                url=data["url"],
                layer=data["layer"],
                title=data["title"] or data["layer"],
                attribution=data["attribution"],
                legend_url=legend,
                version=data["version"] or "1.3.0",
                service=data["service"],
                kind=kind,
                matrices=matrices,
            )
        )
    return found


def _matrices(text: str) -> tuple[tuple[int, str], ...]:
    """The stored [[zoom, identifier], ...] of a WMTS layer; () when it is not that."""
    try:
        found = json.loads(text)
        return tuple(
            (int(z), str(name)[:100]) for z, name in found if isinstance(z, int) and 0 <= z <= MAX_ZOOM and name
        )
    except (ValueError, TypeError):
        return ()
