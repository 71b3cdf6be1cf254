"""The visible uploaded layers of their own kind on the overview map: small ones as GeoJSON, big ones as tiles;
and Kart's list of uploaded layers, each with a toggle (this session's map only) and "zoom to layer"."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import folium
import geopandas as gpd
import streamlit as st

import config
from core.schema import OWN_KINDS, UPLOAD_KINDS
from i18n import error_text, t
from maps.pmtiles_build import (
    LayerVersion,
    TileBuildError,
    TileSet,
    ensure_tiles,
    is_big,
    remove_legacy_folder,
    remove_stale,
    store_folder,
    tile_path,
)
from maps.pmtiles_layer import tile_layer_group
from maps.styles import layer_colours
from store import LayerInfo, StoreError, open_store
from ui.data import own_layers, store_key, stored_row
from ui.map_focus import fit_view
from ui.text import escape_markdown

HIDDEN_KEY = "hidden_uploads"  # ids of the uploaded layers switched off in this session's layer list
ZOOM_REQUEST = "map_zoom_request"  # the view a "zoom to layer" asks for; ui.overview.map_target takes it


@dataclass(frozen=True)
class UploadedLayers:
    geojson: list[tuple[str, gpd.GeoDataFrame, dict]] = field(default_factory=list)  # (title, frame, style)
    tiled: list[folium.FeatureGroup] = field(default_factory=list)  # one tiny group per big layer
    legend: list[tuple[str, dict]] = field(default_factory=list)  # (title, style) of every layer drawn
    # every layer drawn, for the map exports: (title, a function giving its whole frame, style); called on export only
    readers: list[tuple[str, Callable[[], gpd.GeoDataFrame], dict]] = field(default_factory=list)
    # big layers, for the record: (title, a function giving row N as a one-row frame, empty past the end, the record)
    rows: dict[int, tuple[str, Callable[[int], gpd.GeoDataFrame], LayerInfo]] = field(default_factory=dict)


def version_of(info: LayerInfo) -> LayerVersion:
    return LayerVersion(info.id, info.version, info.created_at, info.feature_count)


def build_tiles_at_save(
    info: LayerInfo, frame: gpd.GeoDataFrame, read_stored: Callable[[], gpd.GeoDataFrame], lang: str
):
    """Build a just-saved big layer's tiles now, so its first display need not wait for them.

    `frame` only decides whether tiles are needed; they are cut from `read_stored()`, the frame as the store
    gives it back, because the tiles' `fid` is a row position in that frame. A failure is only a warning:
    the first display tries again.
    """
    if info.kind in OWN_KINDS and is_big(frame):
        layer_tiles(info, read_stored, lang)


def layer_tiles(info: LayerInfo, read_frame: Callable[[], gpd.GeoDataFrame], lang: str) -> TileSet | None:
    """The layer version's tiles, built from `read_frame()` (with a spinner) when missing; None, with a warning,
    when they cannot be built."""
    folder, version = store_folder(store_key()), version_of(info)
    try:
        if tile_path(folder, version).exists():
            return ensure_tiles(folder, version, read_frame)
        with st.spinner(t("tiles_building", lang, count=info.feature_count)):
            return ensure_tiles(folder, version, read_frame)
    except (TileBuildError, StoreError, OSError) as exc:
        st.warning(t("tiles_failed", lang, error=error_text(exc, lang)))
        return None


def uploaded_layers(lang: str, layers: list[LayerInfo], static_url: str, complete: bool = True) -> UploadedLayers:
    """Each visible uploaded layer of its own kind, split by size; builds missing tiles (once per version)
    and, when `layers` is the store's whole listing (`complete`), removes the tiles of layers that are gone: a
    failed listing says nothing about which are.

    A layer known to be big by its feature count is not read at all while its tiles exist: the map needs only
    the file, and the record panel reads only the clicked row from the store (`rows`).
    """
    infos = [i for i in layers if i.kind in OWN_KINDS and i.visible]
    counted_big = {i.id for i in infos if i.feature_count > config.TILE_MIN_FEATURES}
    loaded = iter(own_layers(lang, [i for i in infos if i.id not in counted_big]))  # (title, frame, style)
    result = UploadedLayers()
    styles = layer_colours([dict(i.style or {}) for i in infos])  # a colour of its own for every layer
    for info, style in zip(infos, styles, strict=True):
        title = info.title
        if info.id in counted_big:
            frame = None
        else:
            title, frame, _ = next(loaded, (title, None, None))
            if frame is None:  # the store could not be read (own_layers warned)
                continue
        result.legend.append((title, style))
        if frame is not None and not is_big(frame):
            result.geojson.append((title, frame, style))
            result.readers.append((title, lambda frame=frame: frame, style))
            continue

        def read(info=info, frame=frame):  # the whole frame: only to build missing tiles, not kept
            return frame if frame is not None else open_store().read(info.id, info.version)

        result.readers.append((title, read, style))
        tiles = layer_tiles(info, read, lang)
        if tiles is None:  # drawn without tiles (slow, the warning says so)
            with contextlib.suppress(StoreError, OSError):
                result.geojson.append((title, read(), style))
            continue
        result.tiled.append(tile_layer_group(title, tiles, tiles.url(static_url), info.id, style))
        if frame is None:
            result.rows[info.id] = (title, lambda position, info=info: stored_row(info, position), info)
        else:
            result.rows[info.id] = (title, lambda position, frame=frame: frame.iloc[position : position + 1], info)
    if complete:
        with contextlib.suppress(OSError):  # another server removed them first; they are rebuilt on demand
            remove_stale(store_folder(store_key()), [version_of(i) for i in layers])
            remove_legacy_folder(store_key())
    return result


# --- Kart's layer list ----------------------------------------------------------------------------------------


def this_session(layers: list[LayerInfo]) -> list[LayerInfo]:
    """The store's listing with the layers switched off in this session's layer list marked not visible.

    The store's visibility is everyone's (set on Kartlag); the layer list's toggle is only this session's map."""
    hidden = st.session_state.get(HIDDEN_KEY, set())
    return [replace(info, visible=False) if info.id in hidden else info for info in layers]


def layer_list(layers: list[LayerInfo], lang: str, container) -> None:
    """Each uploaded layer the map can show (visible in the store): a toggle and a "zoom to layer" button."""
    shown = [info for info in layers if info.visible and info.kind in UPLOAD_KINDS]
    if not shown:
        return
    container.caption(t("uploaded_layers", lang))
    hidden = st.session_state.setdefault(HIDDEN_KEY, set())
    for info in shown:
        key = f"show_upload_{info.id}"
        st.session_state[key] = info.id not in hidden  # the set, not the widget, outlives a page switch
        container.checkbox(
            escape_markdown(info.title),  # a title is text from a form: never markdown (links, images)
            key=key,
            on_change=_toggle,
            args=(info.id, key),
            help=t("uploaded_layer_toggle_help", lang),
        )
        container.button(
            t("zoom_to_layer", lang),
            key=f"zoom_upload_{info.id}",
            icon=":material/zoom_in_map:",
            type="tertiary",
            on_click=_zoom_to,
            args=(info,),
        )


def _toggle(layer_id: int, key: str) -> None:
    hidden = st.session_state.setdefault(HIDDEN_KEY, set())
    if st.session_state[key]:
        hidden.discard(layer_id)
    else:
        hidden.add(layer_id)


def _zoom_to(info: LayerInfo) -> None:
    """Ask the map for the view that fits the layer (and show the layer, if switched off)."""
    bounds = layer_bounds(store_key(), info.id, info.version)
    if bounds is None:
        return
    st.session_state.setdefault(HIDDEN_KEY, set()).discard(info.id)
    st.session_state[ZOOM_REQUEST] = fit_view(bounds)


@st.cache_data(show_spinner=False, max_entries=64)
def layer_bounds(store: str, layer_id: int, version: int) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a stored layer version in lon/lat; None when it has no geometry.

    `store` (ui.data.store_key) is part of the cache key: two stores may have a layer 3, version 1."""
    try:
        frame = open_store().read(layer_id, version)
    except (StoreError, OSError):
        return None
    geometry = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if geometry.empty:
        return None
    west, south, east, north = (float(v) for v in geometry.to_crs(config.CRS).total_bounds)
    return west, south, east, north
