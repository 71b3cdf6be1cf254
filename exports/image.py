"""The current map view as a PNG or a one-page PDF, drawn on the server with matplotlib.

Drawn in Web Mercator (EPSG:3857) like the screen map, with the same colours and circle sizes as
`maps.layers`, plus title, subtitle, date, legend, scale bar, north arrow, key figures and credits.
The basemap is optional: tiles come through an injectable fetcher, and when none come a vector
background (municipal boundaries and coastline if a boundaries frame is given, else a graticule) is
drawn instead, so an export never fails for lack of network.

Every text reaches matplotlib as plain text (parse_math=False, usetex off): a name like "$x$" is
printed as written, never parsed as mathtext or TeX. No pyplot, so figures are not global state; the
few rcParams set here are, so renders take a lock (Streamlit runs sessions in threads).
"""

from __future__ import annotations

import io
import math
import threading
from pathlib import Path as FilePath

import geopandas as gpd
import matplotlib
import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, PathPatch, Polygon, Rectangle
from matplotlib.textpath import TextToPath
from shapely import make_valid, union_all
from shapely.geometry import MultiPolygon
from shapely.geometry import Polygon as ShapelyPolygon

import config
from analysis.filters import View
from analysis.kpi import KeyFigures, in_key_scope, is_large_emitter, key_figures
from core.progress import Progress
from core.text import attribution_text
from exports.alt_text import map_alt_text
from exports.basemap_mosaic import Mosaic, TileFetcher, fetch_mosaic, to_lonlat, to_mercator, url_fetcher
from exports.cartography import (
    extent_from_center,
    fit_extent,
    graticule_step,
    lonlat_box_to_mercator,
    scale_bar,
    spread_points,
)
from exports.errors import ExportOptionError
from exports.file_info import file_metadata, pdf_accessibility
from exports.layout import MARGIN, STRIP, Box, PageLayout
from exports.map_services import draw_overlay_images, fetch_overlay_images, overlay_alt, overlay_credits, overlay_legend
from exports.options import check_view
from exports.overlays import (
    MapExtras,
    draw_outline,
    draw_uploaded,
    municipality_shapes,
    outline_legend,
    polygon_path,
    uploaded_in_view,
    uploaded_legend,
)
from exports.request import MapRequest
from i18n import fmt_date, fmt_number, fmt_tonnes, key_figure_label, key_figure_source, t
from loaders.bundled.boundaries import load_boundaries
from maps.styles import (
    FeatureStyle,
    member_style,
    members_by_point,
    park_style,
    source_radius,
    source_style,
)
from maps.styles import cluster_colours as default_cluster_colours

FORMATS = ("png", "pdf")  # the requests this module draws (exports.options.FORMATS has the slide and HTML too)
MERCATOR = "EPSG:3857"
Extent = tuple[float, float, float, float]  # west, south, east, north in EPSG:3857 metres

PT_PER_SCREEN_PX = 72 / config.EXPORT_SCREEN_DPI  # radii in maps.layers are screen pixels
INK = "#111111"
MUTED = "#3c3c3c"
PANEL = "#f1f3f4"
SPREAD_MIN_PX = 20  # markers closer than this (screen px) are set apart on a ring, each with a leader line
LEADER_COLOUR = "#4a4a4a"
LABEL_SIZE = 8.5  # pt
LABEL_MAX = 24  # key-point labels per map; one that would cover another is left off (its marker stays)
LABEL_CHARS = 40

_TEXT_TO_PATH = TextToPath()
_RENDER_LOCK = threading.Lock()  # rc_context changes process-wide rcParams
_RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: æøå, ₂, ∝ and “” on every machine
    "text.usetex": False,
    "text.parse_math": False,
    "pdf.fonttype": 42,  # TrueType in the PDF: text stays selectable and searchable
    "lines.scale_dashes": False,  # dash lengths in points, as Leaflet's are in pixels
}


def render_map(
    view: View, request: MapRequest, *, tile_fetcher: TileFetcher | None = None, progress: Progress | None = None
) -> bytes:
    """PNG or PDF bytes (`request.format`) of the map view as `request` asks for it (exports.request.MapRequest).

    The view box is widened, never cropped, to the map frame's shape. `tile_fetcher(z, x, y)` returns tile bytes
    or None; without one the basemap's URL is fetched. `progress(fraction, message)` is called as the export goes
    on. The request's uploaded layers are drawn as on the web map; its chosen municipalities are outlined, and
    framed when the request gives no view box.
    """
    if request.format not in FORMATS:
        raise ExportOptionError("export_unknown_image_format", format=request.format, choices=FORMATS)
    check_view(view)
    lang = request.lang
    report = progress or (lambda fraction, message: None)
    page = PageLayout.of(request.size, request.format)
    dpi = config.EXPORT_IMAGE_SIZES[request.size][2]
    colours = request.colours or default_cluster_colours(list(view.members["cluster"].dropna().unique()))
    kpi = key_figures(view)
    alt = map_alt_text(view, request)  # before the scope is applied: the key figures' own counts and sum
    view = in_key_scope(view, kpi)  # circles and names in the key figure's one scope and year, as on Kart
    frames = {name: getattr(view, name).to_crs(MERCATOR) for name in request.layers}
    # the outlines bundled in geodata/ (scripts/build_geodata.py), else a graticule
    boundaries = request.boundaries if request.boundaries is not None else bundled_boundaries()
    shapes = boundaries.to_crs(MERCATOR) if boundaries is not None else None
    chosen = _chosen_municipalities(boundaries, request.extras.municipalities)
    map_box = page.map_box
    extent = _extent(request, frames, chosen, map_box)
    screen_px = (extent[2] - extent[0]) / (map_box[2] * config.EXPORT_SCREEN_DPI)  # EPSG:3857 m per screen px

    # Tiles first, outside the lock: waiting for the network must not hold up other exports.
    report(0.05, t("export_progress_background", lang))
    mosaic = _fetch_tiles(request.basemap, tile_fetcher, extent, map_box[2] * dpi)
    overlays = fetch_overlay_images(request.extras.overlays, extent, map_box[2] * dpi)  # None where one failed
    alt = " ".join(part for part in (alt, overlay_alt(overlays, lang)) if part)

    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(page.width, page.height), dpi=dpi, facecolor="white")
        ax = fig.add_axes(page.fraction(map_box))
        background = _draw_background(ax, extent, shapes, mosaic, lang)
        draw_overlay_images(ax, overlays, extent)

        report(0.45, t("export_progress_layers", lang))
        extras = request.extras
        draw_uploaded(ax, uploaded_in_view(extras.uploaded, extent, (extent[2] - extent[0]) / (map_box[2] * dpi)))
        if chosen is not None:
            draw_outline(ax, chosen)
        _draw_layers(ax, frames, colours, extent, screen_px)
        _frame_axes(ax, extent)
        _draw_scale_bar(fig, page, extent, lang)
        _draw_north_arrow(fig, page, lang)
        _draw_header(fig, page, request)
        entries = _legend_entries(frames, request.layers, colours, lang, extras, chosen, kpi)
        _draw_legend(fig, page, entries + overlay_legend(overlays, lang))
        _draw_key_figures(fig, page, kpi, lang)
        credits = _credits(background, request.basemap, shapes is not None, lang, kpi)
        _draw_credits(fig, page, [*credits[:1], *overlay_credits(overlays, lang), *credits[1:]])

        report(0.85, t("export_progress_saving", lang))
        buffer = io.BytesIO()
        fig.savefig(
            buffer,
            format=request.format,
            dpi=dpi,
            facecolor="white",
            metadata=file_metadata(request.format, request.shown_title, alt),
        )
    report(1.0, t("export_progress_done", lang))
    return buffer.getvalue() if request.format == "png" else pdf_accessibility(buffer.getvalue(), lang)


def map_frame_px(size: str = "1920x1080") -> tuple[int, int, int, int]:
    """The map frame's left, top, right and bottom pixel in a PNG of `size` (for cropping and tests)."""
    _, height_px, dpi = config.EXPORT_IMAGE_SIZES[size]
    x, y, w, h = PageLayout.of(size).map_box
    return round(x * dpi), round(height_px - (y + h) * dpi), round((x + w) * dpi), round(height_px - y * dpi)


def legend_entries(view: View, request: MapRequest) -> list[tuple[str, dict, str]]:
    """The legend's (kind, marker style, text) rows as the image draws them (for the slide export); clusters in the
    request's colours, any other in the mixed colour."""
    shown, extras, colours = set(request.layers), request.extras, dict(request.colours or {})
    chosen = _chosen_municipalities(request.boundaries, extras.municipalities)
    frames = {name: getattr(view, name) for name in shown}
    return _legend_entries(frames, shown, colours, request.lang, extras, chosen, key_figures(view))


def _chosen_municipalities(boundaries, numbers: tuple[str, ...]):
    """The filtered municipalities' shapes (EPSG:3857) from `boundaries`, else from the bundled ones."""
    chosen = municipality_shapes(boundaries, numbers)
    return chosen if chosen is not None or not numbers else municipality_shapes(bundled_boundaries(), numbers)


def bundled_boundaries() -> gpd.GeoDataFrame | None:
    """The simplified municipalities bundled in static/outlines/kommunegrenser.geojson, or None when not bundled."""
    path = FilePath(config.BUNDLED_KOMMUNER)
    return load_boundaries(path) if path.exists() else None


def _text(target, x: float, y: float, text: str, **kwargs):
    """All text goes through here: plain text, never mathtext or TeX."""
    return target.text(x, y, text, parse_math=False, usetex=False, **kwargs)


# --- the view box ---------------------------------------------------------------------------


def _extent(request: MapRequest, frames, chosen, map_box: Box) -> Extent:
    """The map's box in EPSG:3857 in the frame's shape: the chosen municipalities when no view box is asked for,
    else the request's bounds, or its center and zoom, or else the visible features."""
    width_in, height_in = map_box[2], map_box[3]
    aspect = width_in / height_in
    if request.bounds is None and request.center is None and chosen is not None:
        return fit_extent(tuple(chosen.total_bounds), aspect, pad=0.03)
    if request.bounds is not None:
        return fit_extent(lonlat_box_to_mercator(request.bounds), aspect)
    if request.center is not None:
        return extent_from_center(request.center, request.zoom, width_in, height_in, config.EXPORT_SCREEN_DPI)
    shown = [frame for frame in frames.values() if len(frame) and not frame.geometry.is_empty.all()]
    if not shown:
        return extent_from_center(config.MAP_CENTER, config.MAP_ZOOM, width_in, height_in, config.EXPORT_SCREEN_DPI)
    boxes = np.array([frame.total_bounds for frame in shown])
    box = (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
    return fit_extent(box, aspect, pad=0.08)


def _fetch_tiles(basemap: str, tile_fetcher: TileFetcher | None, extent: Extent, width_px: float) -> Mosaic | None:
    """The basemap's tiles over `extent` for a frame `width_px` wide; None when the basemap is "none" or there is
    no fetcher."""
    fetcher = tile_fetcher if tile_fetcher is not None else url_fetcher(basemap)
    if fetcher is None or config.BASEMAPS[basemap].url is None:  # "none" chosen: nothing to fetch
        return None
    max_zoom = min(config.BASEMAPS[basemap].max_zoom, config.MAP_MAX_ZOOM)
    return fetch_mosaic(extent, width_px, fetcher, max_zoom=max_zoom)


def _frame_axes(ax, extent) -> None:
    west, south, east, north = extent
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("auto")  # the extent already has the frame's shape: metres are square
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#7a7a7a")
        spine.set_linewidth(0.8)


# --- background -----------------------------------------------------------------------------


def _draw_background(ax, extent, shapes, mosaic: Mosaic | None, lang) -> str:
    """Tiles over a vector background; returns "tiles", "partial tiles", "boundaries" or "graticule"."""
    ax.set_facecolor(config.EXPORT_SEA_COLOUR if shapes is not None else config.EXPORT_LAND_COLOUR)
    if shapes is not None:
        _draw_boundaries(ax, shapes, extent)
    if mosaic is not None:
        ax.imshow(
            mosaic.image, extent=mosaic.extent, origin="upper", zorder=2, interpolation="antialiased", aspect="auto"
        )
        return "tiles" if mosaic.received == mosaic.wanted else "partial tiles"
    if shapes is not None:
        return "boundaries"
    _draw_graticule(ax, extent, lang)
    return "graticule"


def _draw_boundaries(ax, shapes: gpd.GeoDataFrame, extent) -> None:
    west, south, east, north = extent
    shapes = shapes.cx[west:east, south:north]
    polygons = [g for g in shapes.geometry if isinstance(g, ShapelyPolygon | MultiPolygon) and not g.is_empty]
    if not polygons:
        return
    patches = [PathPatch(polygon_path(g)) for g in polygons]
    ax.add_collection(
        PatchCollection(
            patches,
            facecolor=config.EXPORT_LAND_COLOUR,
            edgecolor=config.EXPORT_BOUNDARY_COLOUR,
            linewidth=0.5,
            zorder=1,
        )
    )
    # The outline of all of them: the coast (the boundaries are clipped to it) and the outer border.
    # Simplified boundaries are not always valid polygons; make_valid keeps union_all from failing.
    outline = union_all(make_valid(np.asarray(polygons, dtype=object)))
    ax.add_patch(
        PathPatch(polygon_path(outline), facecolor="none", edgecolor=config.EXPORT_COAST_COLOUR, lw=0.8, zorder=1.1)
    )


def _draw_graticule(ax, extent, lang) -> None:
    west, south, east, north = extent
    lon0, lat0 = to_lonlat(west, south)
    lon1, lat1 = to_lonlat(east, north)
    style = {"color": config.EXPORT_GRATICULE_COLOUR, "linewidth": 0.6, "zorder": 2.5}
    label = {"fontsize": 7, "color": MUTED, "zorder": 2.6, "clip_on": True}
    margin_x, margin_y = 0.03 * (east - west), 0.03 * (north - south)  # no line (or label) on the frame itself
    step = graticule_step(lon1 - lon0)
    for lon in np.arange(math.ceil(lon0 / step) * step, lon1, step):
        x, _ = to_mercator(lon, 0)
        if not west + margin_x < x < east - margin_x:
            continue
        ax.add_line(Line2D([x, x], [south, north], **style))
        key = "export_degrees_east" if lon >= 0 else "export_degrees_west"
        _text(ax, x, south, " " + t(key, lang, deg=fmt_number(abs(lon), lang, _decimals(step))), va="bottom", **label)
    step = graticule_step(lat1 - lat0)
    for lat in np.arange(math.ceil(lat0 / step) * step, lat1, step):
        _, y = to_mercator(0, lat)
        if not south + margin_y < y < north - margin_y:
            continue
        ax.add_line(Line2D([west, east], [y, y], **style))
        key = "export_degrees_north" if lat >= 0 else "export_degrees_south"
        _text(ax, west, y, " " + t(key, lang, deg=fmt_number(abs(lat), lang, _decimals(step))), va="bottom", **label)


def _decimals(step: float) -> int:
    return 0 if step >= 1 else (1 if step * 10 == round(step * 10) else 2)


# --- layers ---------------------------------------------------------------------------------


def _draw_layers(ax, frames: dict[str, gpd.GeoDataFrame], colours: dict[str, str], extent, screen_px: float) -> None:
    """Same order as the screen map: parks, then members, then sources on top. Point markers closer than
    SPREAD_MIN_PX are set apart on a ring (cartography.spread_points), each with a leader line to its true place
    (marked by a small dot); parks and large emitters get their names beside them."""
    markers: list[tuple[float, float, FeatureStyle, float, str | None]] = []  # x, y, style, zorder, label
    labels: list[tuple[float, float, str, float]] = []  # polygon parks: the name at the polygon, no marker
    if "parks" in frames:
        markers += _park_markers(ax, frames["parks"], labels)
    if "members" in frames:
        markers += [
            (r[0]["geometry"].x, r[0]["geometry"].y, member_style(r, colours), 4, None)
            for r in members_by_point(frames["members"])
        ]
    if "sources" in frames:
        rows = [r for r in frames["sources"].to_dict("records") if r["geometry"] is not None]
        rows = [r for r in rows if not r["geometry"].is_empty]
        sources = [(r["geometry"].x, r["geometry"].y, source_style(r), 5, _source_label(r)) for r in rows]
        sources.sort(key=lambda m: -m[2].radius)  # largest first, so small circles stay visible on top
        markers += sources
    if not markers and not labels:
        return
    true = np.array([(m[0], m[1]) for m in markers]).reshape(-1, 2)
    placed = spread_points(true, SPREAD_MIN_PX * screen_px)
    moved = np.any(np.abs(placed - true) > 1e-6, axis=1)
    if moved.any():
        ax.add_collection(
            LineCollection(
                [(tuple(a), tuple(b)) for a, b in zip(true[moved], placed[moved], strict=True)],
                colors=LEADER_COLOUR,
                linewidths=0.8,
                zorder=2.95,
            )
        )
        ax.scatter(true[moved, 0], true[moved, 1], s=6, c=LEADER_COLOUR, linewidths=0, zorder=2.96)
    for zorder in sorted({m[3] for m in markers}):
        _scatter(ax, [(*placed[i], m[2]) for i, m in enumerate(markers) if m[3] == zorder], zorder)
    named = sorted((i for i, m in enumerate(markers) if m[4]), key=lambda i: -markers[i][3])  # emitters first
    wanted = [(*placed[i], markers[i][4], markers[i][2].radius) for i in named] + labels
    radii = np.array([m[2].radius for m in markers]) * screen_px
    discs = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(placed, radii, strict=True)]
    _draw_labels(ax, wanted, screen_px, discs + _furniture_boxes(extent, screen_px), extent)


def _park_markers(ax, parks: gpd.GeoDataFrame, labels: list) -> list:
    """Polygon parks are drawn here (their names go to `labels`); point parks are returned as markers."""
    markers = []
    for row in parks.to_dict("records"):
        geometry = row["geometry"]
        if geometry is None or geometry.is_empty:
            continue
        style = park_style(row)
        name = _plain(row.get("name"))
        if geometry.geom_type == "Point":
            markers.append((geometry.x, geometry.y, style, 3.1, name))
            continue
        ax.add_patch(
            PathPatch(
                polygon_path(geometry),
                facecolor=to_rgba(style.fill_colour, style.fill_opacity),
                edgecolor=style.colour,
                linewidth=style.weight * PT_PER_SCREEN_PX,
                linestyle=_linestyle(style),
                zorder=3,
            )
        )
        if name:
            inside = geometry.representative_point()
            labels.append((inside.x, inside.y, name, 0.0))
    return markers


def _source_label(row: dict) -> str | None:
    """Large emitters are named, by the figure the circle is drawn from (analysis.kpi.is_large_emitter)."""
    return _plain(row.get("facility")) if is_large_emitter(row.get("figure_t")) else None


def _plain(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return (text[: LABEL_CHARS - 1] + "…" if len(text) > LABEL_CHARS else text) or None


def _furniture_boxes(extent, screen_px: float) -> list[tuple[float, float, float, float]]:
    """Where the scale bar and the north arrow sit over the map (as _draw_scale_bar and _draw_north_arrow place
    them), in map metres: no name goes under them."""
    west, south, east, north = extent
    inch = screen_px * config.EXPORT_SCREEN_DPI  # map metres per inch of the frame
    bar_w = max(scale_bar(extent).map_units / inch, 1.2) + 0.3
    return [
        (west, south, west + (0.2 + bar_w) * inch, south + 0.65 * inch),
        (east - 0.65 * inch, north - 0.9 * inch, east, north),
    ]


def _draw_labels(ax, wanted: list, screen_px: float, obstacles: list, extent) -> None:
    """Each name beside its marker (right, left, above, below or at a diagonal: the first place free of other
    names, markers and map furniture, inside the frame); a name with no free place is left off, its marker stays.
    Plain text on a light box (a stroked halo would turn the PDF's text into paths, unsearchable)."""
    west, south, east, north = extent
    taken: list[tuple[float, float, float, float]] = []  # placed names; `obstacles`: markers and map furniture
    height = LABEL_SIZE / 72 * config.EXPORT_SCREEN_DPI * 1.25 * screen_px  # in map metres
    gap = 3 * screen_px
    for x, y, text, radius_px in wanted:
        if len(taken) >= LABEL_MAX:
            break
        width = _width_in(text, LABEL_SIZE) * config.EXPORT_SCREEN_DPI * screen_px
        r = radius_px * screen_px + gap
        d = r * 0.75  # the diagonal places, corner to the marker
        for box in (
            (x + r, y - height / 2, x + r + width, y + height / 2),  # right, then left, above, below
            (x - r - width, y - height / 2, x - r, y + height / 2),
            (x - width / 2, y + r, x + width / 2, y + r + height),
            (x - width / 2, y - r - height, x + width / 2, y - r),
            (x + d, y + d, x + d + width, y + d + height),
            (x - d - width, y + d, x - d, y + d + height),
            (x + d, y - d - height, x + d + width, y - d),
            (x - d - width, y - d - height, x - d, y - d),
        ):
            if not (west < box[0] and box[2] < east and south < box[1] and box[3] < north):
                continue  # inside the frame, whole
            if any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in taken + obstacles):
                continue
            taken.append(box)
            _text(
                ax,
                box[0],
                (box[1] + box[3]) / 2,
                text,
                fontsize=LABEL_SIZE,
                color=INK,
                ha="left",
                va="center",
                zorder=6,
                clip_on=True,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": to_rgba("white", 0.8), "edgecolor": "none"},
            )
            break


def _marker_area(radius_px: float) -> float:
    """scatter's size (points squared) for a circle of `radius_px` screen pixels."""
    return (2 * radius_px * PT_PER_SCREEN_PX) ** 2


DASHED = (0, (3 * PT_PER_SCREEN_PX, 3 * PT_PER_SCREEN_PX))  # Leaflet's dashArray "3 3"


def _linestyle(style: FeatureStyle):
    return DASHED if style.dashed else "-"


def _scatter(ax, points: list[tuple[float, float, FeatureStyle]], zorder: float) -> None:
    """Circles as on screen: each point's radius, fill, outline and dash from its `FeatureStyle`."""
    if not points:
        return
    xs, ys, styles = zip(*points, strict=True)
    ax.scatter(
        xs,
        ys,
        s=[_marker_area(st.radius) for st in styles],
        c=[to_rgba(st.fill_colour, st.fill_opacity if st.fill else 0.0) for st in styles],
        edgecolors=[st.colour for st in styles],
        linewidths=[st.weight * PT_PER_SCREEN_PX for st in styles],
        linestyles=[_linestyle(st) for st in styles],
        zorder=zorder,
    )


# --- map furniture --------------------------------------------------------------------------


def _inset(fig, page: PageLayout, box: Box, zorder=10):
    """An axes over `box` (inches) whose data units are inches from its lower-left corner."""
    ax = fig.add_axes(page.fraction(box), zorder=zorder)
    ax.set_xlim(0, box[2])
    ax.set_ylim(0, box[3])
    ax.set_axis_off()
    return ax


def _panel(ax, w: float, h: float, alpha: float = 0.88) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (0, 0),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.05",
            facecolor=to_rgba("white", alpha),
            edgecolor="#9a9a9a",
            linewidth=0.6,
        )
    )


def _draw_scale_bar(fig, page: PageLayout, extent: Extent, lang: str) -> None:
    map_box = page.map_box
    bar = scale_bar(extent)
    bar_in = bar.map_units / (extent[2] - extent[0]) * map_box[2]
    length = f"{fmt_number(bar.metres / 1000, lang)} km" if bar.metres >= 1000 else f"{fmt_number(bar.metres)} m"
    label = t("export_scale_at", lang, length=length, lat=fmt_number(bar.latitude, lang, 1))
    w, h = max(bar_in, 1.2) + 0.3, 0.46
    box = (map_box[0] + 0.12, map_box[1] + 0.12, w, h)
    inset = _inset(fig, page, box)
    _panel(inset, w, h)
    x0, y0, height = 0.15, 0.1, 0.07
    for i in range(4):  # four alternating quarters, as on paper maps
        inset.add_patch(
            Rectangle(
                (x0 + i * bar_in / 4, y0),
                bar_in / 4,
                height,
                facecolor=INK if i % 2 == 0 else "white",
                edgecolor=INK,
                linewidth=0.7,
            )
        )
    _text(inset, x0, y0 + height + 0.06, label, fontsize=9, color=INK, va="bottom", ha="left")


def _draw_north_arrow(fig, page: PageLayout, lang: str) -> None:
    """North is straight up everywhere in Web Mercator."""
    map_box = page.map_box
    w, h = 0.46, 0.72
    box = (map_box[0] + map_box[2] - w - 0.12, map_box[1] + map_box[3] - h - 0.12, w, h)
    inset = _inset(fig, page, box)
    _panel(inset, w, h)
    cx, bottom, top = w / 2, 0.1, 0.45
    inset.add_patch(
        Polygon([(cx, top), (cx - 0.11, bottom), (cx, bottom + 0.08)], facecolor=INK, edgecolor=INK, lw=0.8)
    )
    inset.add_patch(
        Polygon([(cx, top), (cx + 0.11, bottom), (cx, bottom + 0.08)], facecolor="white", edgecolor=INK, lw=0.8)
    )
    _text(
        inset, cx, top + 0.03, t("export_north", lang), fontsize=13, weight="bold", color=INK, ha="center", va="bottom"
    )


# The drawing order is the reading order of the PDF's text (it is untagged): header, map, its furniture and legend,
# key figures, credits. Nothing of these overlaps, so the order changes no pixel.
HEADER_Z, KEY_FIGURES_Z, CREDITS_Z = -1, 11, 12  # the map frame is at 0, its scale, north arrow and legend at 10


def _draw_header(fig, page: PageLayout, request: MapRequest) -> None:
    """Title and subtitle top left, the date top right (drawn first: read first)."""
    title, lang = request.shown_title, request.lang
    width = page.title_width  # leave room for the date
    title_size = _fit_size(title, width, 22, 13)
    _text(
        fig,
        *page.from_top(MARGIN, MARGIN + 0.02),
        _clip(title, width, title_size, bold=True),
        fontsize=title_size,
        weight="bold",
        color=INK,
        va="top",
        zorder=HEADER_Z,
    )
    _text(
        fig,
        *page.from_top(MARGIN, MARGIN + 0.45),
        _clip(request.shown_subtitle, width, 12.5),
        fontsize=12.5,
        color=MUTED,
        va="top",
        zorder=HEADER_Z,
    )
    _text(
        fig,
        *page.from_right(MARGIN, MARGIN + 0.06),
        t("export_date", lang, date=fmt_date(request.shown_day, lang)),
        fontsize=11,
        color=MUTED,
        va="top",
        ha="right",
        zorder=HEADER_Z,
    )


def _draw_legend(fig, page: PageLayout, entries: list[tuple[str, dict, str]]) -> None:
    box = page.legend_box
    w, h = box[2], box[3]
    inset = _inset(fig, page, box)
    _panel(inset, w, h, alpha=1.0)
    heights = {"heading": 0.3, "group": 0.25, "item": 0.2}
    # Groups are set from x = 0.15 in at 9.5 pt, items from x = 0.55 in at 9 pt.
    wrapped = [
        (kind, style, _wrap(text, w - 0.3, 9.5) if kind == "group" else _wrap(text, w - 0.65, 9))
        for kind, style, text in entries
    ]
    needed = sum(heights[k] + 0.15 * (len(lines) - 1) for k, _, lines in wrapped) + 0.2
    scale = min(1.0, (h - 0.1) / needed)  # many clusters: shrink to fit rather than overflow
    y = h - 0.15 * scale
    for kind, style, lines in wrapped:
        step = (heights[kind] + 0.15 * (len(lines) - 1)) * scale
        if kind == "heading":
            _text(inset, 0.15, y, lines[0], fontsize=12 * scale, weight="bold", color=INK, va="top")
        elif kind == "group":
            _text(
                inset,
                0.15,
                y - 0.06 * scale,
                "\n".join(lines),
                fontsize=9.5 * scale,
                style="italic",
                color=INK,
                va="top",
            )
        else:
            _legend_marker(inset, 0.3, y - 0.09 * scale, style, scale)
            _text(inset, 0.55, y, "\n".join(lines), fontsize=9 * scale, color=INK, va="top", linespacing=1.15)
        y -= step


def _legend_entries(
    frames, visible, colours, lang, extras: MapExtras, chosen, kpi: KeyFigures
) -> list[tuple[str, dict, str]]:
    """(kind, marker style, text) rows; clusters only as far as the view has them; then the uploaded layers drawn
    and the outlined municipalities."""
    entries: list[tuple[str, dict, str]] = [("heading", {}, t("legend", lang))]
    if "parks" in visible:
        entries.append(("group", {}, t("layer_parks", lang)))
        for status, colour in config.PARK_STATUS_COLOURS.items():
            style = {"radius": config.PARK_RADIUS, "fill": to_rgba(colour, 0.55), "edge": colour, "lw": 2}
            entries.append(("item", style, t(f"status_{status}", lang)))
    if "sources" in visible:
        entries.append(("group", {}, t("layer_sources", lang)))
        example = 100_000.0
        style = {"radius": source_radius(example), "fill": to_rgba(config.SOURCE_COLOUR, 0.45)}
        scope = key_figure_label(kpi, lang) if kpi.scope else ""
        circle, hollow = ("legend_circle_in", "legend_hollow_in") if scope else ("legend_circle", "legend_hollow")
        example_text = t("export_legend_example", lang, amount=fmt_tonnes(example, lang))
        text = f"{t(circle, lang, scope=scope)}, {example_text}"
        entries.append(("item", {**style, "edge": config.SOURCE_COLOUR, "lw": 1.5}, text))
        style = {
            "radius": config.SOURCE_NO_FIGURE_RADIUS,
            "fill": (0, 0, 0, 0),
            "edge": config.SOURCE_COLOUR,
            "lw": 2.5,
        }
        entries.append(("item", style, t(hollow, lang, scope=scope)))
    if "members" in visible:
        entries.append(("group", {}, t("layer_members", lang)))
        members = frames["members"]
        present = sorted(set(members["cluster"].dropna()))
        for name in present:
            style = {
                "radius": config.MEMBER_RADIUS,
                "fill": colours.get(name, config.MIXED_CLUSTER_COLOUR),
                "edge": "white",
            }
            entries.append(("item", {**style, "lw": 1.5}, str(name)))
        points = members.geometry.apply(lambda p: (p.x, p.y) if p is not None and not p.is_empty else None)
        if members.groupby(points)["cluster"].nunique().gt(1).any():
            style = {"radius": config.MEMBER_RADIUS, "fill": config.MIXED_CLUSTER_COLOUR, "edge": "white", "lw": 1.5}
            entries.append(("item", style, "2+ " + t("cluster", lang).lower()))
    if visible:
        style = {"radius": config.SOURCE_NO_FIGURE_RADIUS, "fill": (0, 0, 0, 0), "edge": "#555555", "lw": 2, "dash": 1}
        entries.append(("item", style, t("legend_dashed", lang)))
    return entries + uploaded_legend(extras.uploaded, lang) + outline_legend(chosen, lang)


def _legend_marker(ax, x: float, y: float, style: dict, scale: float) -> None:
    radius = min(style["radius"], 13)  # the example circle is shown at most about as big as the text block
    ax.scatter(
        [x],
        [y],
        s=_marker_area(radius * scale),
        c=[style["fill"]],
        edgecolors=[style["edge"]],
        linewidths=style["lw"] * PT_PER_SCREEN_PX * scale,
        linestyles=DASHED if style.get("dash") else "-",
        clip_on=False,
    )


def _draw_key_figures(fig, page: PageLayout, kpi: KeyFigures, lang: str) -> None:
    total_label = key_figure_label(kpi, lang, facilities=True)
    cells = [
        (fmt_number(kpi.parks, lang), t("kpi_parks", lang)),
        (fmt_number(kpi.sources, lang), t("kpi_sources", lang)),
        (fmt_number(kpi.members, lang), t("kpi_members", lang)),
        (fmt_tonnes(kpi.total_t, lang), total_label),
    ]
    for box, (value, label) in zip(page.key_figure_boxes(len(cells)), cells, strict=True):
        width = box[2]
        inset = _inset(fig, page, box, zorder=KEY_FIGURES_Z)
        inset.add_patch(
            FancyBboxPatch(
                (0, 0), width, STRIP, boxstyle="round,pad=0,rounding_size=0.05", facecolor=PANEL, edgecolor="none"
            )
        )
        _text(inset, 0.14, STRIP - 0.08, value, fontsize=16, weight="bold", color=INK, va="top")
        _text(inset, 0.14, 0.07, _clip(label, width - 0.2, 8.5), fontsize=8.5, color=MUTED, va="bottom")


def _credits(background: str, basemap: str, has_boundaries: bool, lang: str, kpi: KeyFigures | None = None) -> list:
    parts = []
    if background in ("tiles", "partial tiles"):
        parts.append(t("export_basemap_credit", lang, credit=attribution_text(config.BASEMAPS[basemap].attribution)))
    elif config.BASEMAPS[basemap].url is not None:  # a basemap was wanted and could not be had
        no_tiles = "export_no_tiles_boundaries" if background == "boundaries" else "export_no_tiles_graticule"
        parts.append(t(no_tiles, lang))
    if has_boundaries:
        parts.append(t("export_boundaries_credit", lang, credit=config.EXPORT_BOUNDARIES_CREDIT))
    parts.append(t("export_data_credit", lang))
    register = key_figure_source(kpi, lang) if kpi is not None and kpi.total_t is not None else None
    if register:  # the register the key figure's scope and year come from, as Kart's caption names it
        parts.append(t("export_key_figure_credit", lang, credit=register))
    return parts


def _draw_credits(fig, page: PageLayout, parts: list[str]) -> None:
    lines = _wrap(" · ".join(parts), page.text_width, 8)[:2]
    _text(
        fig,
        *page.from_bottom(MARGIN, MARGIN),
        "\n".join(lines),
        fontsize=8,
        color=MUTED,
        va="bottom",
        linespacing=1.3,
        zorder=CREDITS_Z,
    )


def _width_in(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` is set in DejaVu Sans at `size` points, in inches (no renderer needed)."""
    font = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, font, ismath=False)
    return width / 72


def _fit_size(text: str, width_in: float, largest: float, smallest: float, bold: bool = True) -> float:
    """The largest font size (points, down to `smallest`) at which `text` fits `width_in`."""
    width = _width_in(text, largest, bold)
    return largest if width <= width_in else max(smallest, largest * width_in / width)


def _clip(text: str, width_in: float, size: float, bold: bool = False) -> str:
    """`text` on one line, cut with an ellipsis where it would run past `width_in`."""
    text = " ".join(str(text).split())
    if _width_in(text, size, bold) <= width_in:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with its ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if _width_in(text[:middle].rstrip() + "…", size, bold) <= width_in:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _wrap(text: str, width_in: float, size: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width_in` (a longer word gets a line of its own, cut with
    an ellipsis where even that would run past the legend's edge)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and _width_in(f"{lines[-1]} {word}", size) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(_clip(word, width_in, size))
    return lines or [""]
