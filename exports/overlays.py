"""What a map export draws beside the portfolio's three layers: the uploaded layers the web map shows, and the
outline of the municipalities the view is filtered to (which also frame the export).

Uploaded layers come as frames (ui resolves big, tiled layers by reading them from the store at click time). A
layer the web map draws from tiles (maps.pmtiles_build.is_big) is drawn here simplified to about one output pixel
and only where it meets the map; the legend says "simplified" for it. No layer is left out for being big.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon as ShapelyPolygon

import config
from exports.errors import ExportDataError
from i18n import t
from maps.pmtiles_build import is_big
from maps.styles import stored_style

MERCATOR = "EPSG:3857"
OUTLINE_COLOUR = "#1b1b1b"  # the chosen municipality: dark over every basemap, with a white halo under it
OUTLINE_WIDTH_PT = 2.2
UPLOADED_ZORDER = 2.8  # over the basemap, under the portfolio's points (as on the web map)
OUTLINE_ZORDER = 2.9
SCREEN_PT = 72 / config.EXPORT_SCREEN_DPI  # maps.styles widths and radii are screen pixels


@dataclass(frozen=True)
class UploadedLayer:
    """An uploaded layer of its own kind as the web map shows it: its title, features and style."""

    title: str
    frame: gpd.GeoDataFrame  # with a CRS
    style: dict  # as ui.uploaded_layers gives it: colour, fill, ...


@dataclass(frozen=True)
class MapExtras:
    """What an export adds to the view's three layers."""

    uploaded: tuple[UploadedLayer, ...] = ()
    municipalities: tuple[str, ...] = ()  # municipality numbers the view is filtered to: framed and outlined
    # map service overlays switched on (loaders.official.overlays.Overlay): drawn from GetMap, or named as missing
    overlays: tuple = ()


@dataclass(frozen=True)
class DrawnLayer:
    title: str
    style: dict
    frame: gpd.GeoDataFrame  # EPSG:3857, only the features that meet the map
    simplified: bool


def check_extras(extras: MapExtras | None) -> MapExtras:
    extras = extras or MapExtras()
    if not isinstance(extras, MapExtras):
        raise ExportDataError("export_extras_type")
    for layer in extras.uploaded:
        if not isinstance(layer.frame, gpd.GeoDataFrame) or layer.frame.crs is None:
            raise ExportDataError("export_uploaded_no_crs", title=layer.title)
    return extras


def simplified(layer: UploadedLayer) -> bool:
    """Whether the export draws the layer simplified: the layers the web map draws from tiles."""
    return is_big(layer.frame)


def uploaded_in_view(
    layers: tuple[UploadedLayer, ...], extent: tuple[float, float, float, float], metres_per_px: float
) -> list[DrawnLayer]:
    """Each layer in EPSG:3857, cut to the features that meet `extent`; big ones simplified to `metres_per_px`."""
    west, south, east, north = extent
    drawn = []
    for layer in layers:
        frame = layer.frame.to_crs(MERCATOR)
        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        frame = frame.cx[west:east, south:north]
        big = simplified(layer)
        if big and len(frame):
            geometries = shapely.simplify(frame.geometry.to_numpy(), metres_per_px, preserve_topology=True)
            frame = gpd.GeoDataFrame(geometry=geometries, crs=MERCATOR)
        drawn.append(DrawnLayer(layer.title, layer.style, frame, big))
    return drawn


def draw_uploaded(ax, layers: list[DrawnLayer]) -> None:
    """Points, lines and polygons in their layer's style (maps.styles.stored_style, as on the web map)."""
    for i, layer in enumerate(layers):
        z = UPLOADED_ZORDER + i * 0.001  # in the order the web map stacks them
        geometries = [g for g in layer.frame.geometry if g is not None and not g.is_empty]
        points = [g for g in geometries if g.geom_type in ("Point", "MultiPoint")]
        lines = [g for g in geometries if g.geom_type in ("LineString", "MultiLineString", "LinearRing")]
        polygons = [g for g in geometries if g.geom_type.endswith("Polygon")]
        if polygons:
            style = stored_style(layer.style, "Polygon")
            ax.add_collection(
                PatchCollection(
                    [PathPatch(polygon_path(g)) for g in polygons],
                    facecolor=to_rgba(style.fill_colour, style.fill_opacity if style.fill else 0.0),
                    edgecolor=style.colour,
                    linewidth=style.weight * SCREEN_PT,
                    zorder=z,
                )
            )
        if lines:
            style = stored_style(layer.style, "LineString")
            segments = [np.asarray(part.coords)[:, :2] for g in lines for part in getattr(g, "geoms", [g])]
            ax.add_collection(
                LineCollection(segments, colors=style.colour, linewidths=style.weight * SCREEN_PT, zorder=z)
            )
        if points:
            style = stored_style(layer.style, "Point")
            xy = np.array([(p.x, p.y) for g in points for p in getattr(g, "geoms", [g])])
            small = len(xy) > config.TILE_MIN_FEATURES  # thousands of points: dots, so the map stays readable
            radius = 1.5 if small else style.radius
            ax.scatter(
                xy[:, 0],
                xy[:, 1],
                s=(2 * radius * SCREEN_PT) ** 2,
                c=[to_rgba(style.fill_colour, style.fill_opacity)],
                edgecolors="none" if small else [style.colour],
                linewidths=0 if small else style.weight * SCREEN_PT,
                zorder=z,
            )


def uploaded_legend(layers: tuple[UploadedLayer, ...], lang: str) -> list[tuple[str, dict, str]]:
    """The legend's rows for the uploaded layers: a group heading and one row per layer in its style."""
    if not layers:
        return []
    rows: list[tuple[str, dict, str]] = [("group", {}, t("export_legend_uploaded", lang))]
    for layer in layers:
        kinds = set(layer.frame.geometry.geom_type.dropna())
        kind = "Point" if kinds <= {"Point", "MultiPoint"} and kinds else next(iter(sorted(kinds)), "Point")
        style = stored_style(layer.style, kind)
        fill = to_rgba(style.fill_colour, style.fill_opacity if style.fill else 0.0)
        text = layer.title if not simplified(layer) else t("export_legend_simplified", lang, title=layer.title)
        rows.append(("item", {"radius": config.MEMBER_RADIUS, "fill": fill, "edge": style.colour, "lw": 2}, text))
    return rows


def municipality_shapes(boundaries: gpd.GeoDataFrame | None, numbers: tuple[str, ...]) -> gpd.GeoDataFrame | None:
    """The chosen municipalities from `boundaries` (a `kommunenummer` column) in EPSG:3857; None when there are
    none to outline (no filter, or boundaries without those numbers)."""
    if not numbers or boundaries is None or "kommunenummer" not in boundaries.columns:
        return None
    chosen = boundaries[boundaries["kommunenummer"].astype(str).isin(set(numbers))]
    chosen = chosen[chosen.geometry.notna() & ~chosen.geometry.is_empty]
    return chosen.to_crs(MERCATOR) if len(chosen) else None


def municipality_names(shapes: gpd.GeoDataFrame) -> str:
    column = "name" if "name" in shapes.columns else "kommunenummer"
    return ", ".join(str(v) for v in shapes[column].fillna(shapes["kommunenummer"]))


def draw_outline(ax, shapes: gpd.GeoDataFrame) -> None:
    """The chosen municipalities' border: a dark line on a white halo, so it reads on tiles and on the tint."""
    path = Path.make_compound_path(*(polygon_path(g) for g in shapes.geometry))
    for colour, width in ((to_rgba("white", 0.9), OUTLINE_WIDTH_PT + 2.4), (OUTLINE_COLOUR, OUTLINE_WIDTH_PT)):
        ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, lw=width, zorder=OUTLINE_ZORDER))


def outline_legend(shapes: gpd.GeoDataFrame | None, lang: str) -> list[tuple[str, dict, str]]:
    if shapes is None:
        return []
    style = {"radius": config.PARK_RADIUS, "fill": (0, 0, 0, 0), "edge": OUTLINE_COLOUR, "lw": 2.5}
    return [("item", style, t("export_legend_municipality", lang, names=municipality_names(shapes)))]


def polygon_path(geometry) -> Path:
    """A (multi)polygon as one matplotlib path, holes included."""
    parts = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
    rings = []
    for part in parts:
        if isinstance(part, ShapelyPolygon) and not part.is_empty:
            rings.append(Path(np.asarray(part.exterior.coords)[:, :2], closed=True))
            rings.extend(Path(np.asarray(r.coords)[:, :2], closed=True) for r in part.interiors)
        elif isinstance(part, MultiPolygon):
            rings.append(polygon_path(part))
    return Path.make_compound_path(*rings) if rings else Path(np.zeros((0, 2)))
