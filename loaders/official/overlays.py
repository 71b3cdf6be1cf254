"""Map service overlays kept in the layer store, for everyone: one stored layer of kind "overlays" per saving, one
row per chosen service layer (no geometry, like the imported figure tables in loaders/official/imported.py).

An overlay is named in links and toggles by its key "<stored layer id>.<row>".
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from config import CRS
from loaders.official.map_services import Capabilities
from store import Origin

OVERLAYS_KIND = "overlays"
COLUMNS = ("url", "layer", "title", "attribution", "legend_url", "version", "service")


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


def overlays_frame(capabilities: Capabilities, names: list[str]) -> gpd.GeoDataFrame:
    """The chosen layers of a service (in the order given) as rows without geometry."""
    by_name = {layer.name: layer for layer in capabilities.layers}
    rows = [
        {
            "url": capabilities.getmap_url,
            "layer": layer.name,
            "title": layer.title,
            "attribution": layer.attribution,
            "legend_url": layer.legend_url,
            "version": capabilities.version or "1.3.0",
            "service": capabilities.title,
        }
        for layer in (by_name[name] for name in names if name in by_name)
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
            )
        )
    return found
