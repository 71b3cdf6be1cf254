"""The data every page shows: the bundled portfolio plus visible uploaded layers, loaded once per change."""

from __future__ import annotations

import streamlit as st

import config
from core.schema import MAP_KINDS, OWN_KINDS
from i18n import error_text, t
from loaders import LayerError, Portfolio, load_portfolio
from loaders.bundled.portfolio import with_stored_layers
from store import LayerInfo, StoreError, open_store
from ui.shared_frames import shared_view


@st.cache_resource(show_spinner=False)
def _bundled(directory: str) -> Portfolio:
    return load_portfolio(directory)


@st.cache_resource(show_spinner=False, max_entries=4)
def _combined(directory: str, store_key: str, revision: tuple) -> Portfolio:
    # `revision` (ids, versions, visibility) is the cache key: an upload or a hide loads afresh.
    store = open_store()
    stored = [(layer_id, kind, store.read(layer_id)) for layer_id, kind, _, visible in revision if visible]
    return with_stored_layers(_bundled(directory), [s for s in stored if s[1] in MAP_KINDS])


def stored_layers(lang: str) -> list[LayerInfo] | None:
    """The layers in the store (not in the bin); a warning and None when the store cannot be read (which says
    nothing about which layers there are: no tiles may be cleaned up on it)."""
    try:
        return open_store().list()
    except (StoreError, OSError) as exc:
        st.warning(t("store_unavailable", lang, error=error_text(exc, lang)))
        return None


def portfolio(lang: str, layers: list[LayerInfo] | None = None) -> Portfolio:
    """Bundled plus uploaded data; stops the page with a clear message if the bundled data is broken.

    `layers` is the store's listing when the page already has it.
    """
    try:
        bundled = _bundled(str(config.GEODATA_DIR))
    except LayerError as exc:
        st.error(t("data_error", lang, error=error_text(exc, lang)))
        st.stop()
    layers = (stored_layers(lang) or []) if layers is None else layers
    revision = tuple((i.id, i.kind, i.version, i.visible) for i in layers if i.kind in MAP_KINDS)
    if not revision:
        return shared_view(bundled)  # cached for every session: each gets its own view
    try:
        return shared_view(_combined(str(config.GEODATA_DIR), store_key(), revision))
    except (StoreError, OSError, KeyError) as exc:
        st.warning(t("store_unavailable", lang, error=error_text(exc, lang)))
        return shared_view(bundled)


def store_key() -> str:
    """The store's address (config.StoreLocation.key): part of every cache key, since two stores may have a layer 3."""
    return config.settings().store.key


@st.cache_resource(show_spinner=False, max_entries=4)
def _own_layers(store_key: str, revision: tuple) -> list:
    store = open_store()
    return [(title, store.read(layer_id, version), style) for layer_id, version, title, style in revision]


def stored_row(info: LayerInfo, position: int):
    """Row `position` of a stored layer version as a one-row frame (empty past the end), read on its own."""
    return open_store().read(info.id, info.version, start=position, count=1)


def own_layers(lang: str, layers: list[LayerInfo]) -> list:
    """(title, frame, style) of each visible uploaded layer that keeps its own fields."""
    revision = tuple((i.id, i.version, i.title, i.style) for i in layers if i.kind in OWN_KINDS and i.visible)
    if not revision:
        return []
    try:
        return shared_view(_own_layers(store_key(), revision))
    except (StoreError, OSError) as exc:
        st.warning(t("store_unavailable", lang, error=error_text(exc, lang)))
        return []
