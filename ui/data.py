"""The data every page shows: the bundled portfolio plus visible uploaded layers, loaded once per change."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

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
    return dataclasses.replace(load_portfolio(directory), revision=("bundled", directory))


@st.cache_resource(show_spinner=False, max_entries=4)
def _combined(directory: str, store_key: str, revision: tuple) -> Portfolio:
    # `revision` (ids, versions, visibility) is the cache key: an upload or a hide loads afresh.
    store = open_store()
    stored = [(layer_id, kind, store.read(layer_id)) for layer_id, kind, _, visible in revision if visible]
    combined = with_stored_layers(_bundled(directory), [s for s in stored if s[1] in MAP_KINDS])
    return dataclasses.replace(combined, revision=(directory, store_key, revision))


Result = TypeVar("Result")
_PLAIN = (str, int, float, bool, type(None))


def derived(compute: Callable[..., Result], *args, key: tuple = ()) -> Result:
    """`compute(*args)`, worked out once for every session (each gets its own view of the result,
    ui/shared_frames.py): a new visitor does not pay again for what the last one worked out.

    The key is `compute` and its arguments: a Portfolio by its revision, plain values (text, numbers, tuples and
    frozensets of them) as they are. An argument that is neither (a frame) must be accounted for by `key` (e.g. the
    store listing it was read from); without one, or with a Portfolio of no known revision, nothing is kept.
    """
    if "<" in compute.__qualname__:  # a lambda or a local function: what it captures is not in the key
        raise ValueError(f"derived() needs a module-level function, not {compute.__qualname__}")
    parts = []
    for value in args:
        if isinstance(value, Portfolio) and value.revision:
            parts.append(("portfolio", value.revision))
        elif _plain(value):
            parts.append(_key_of(value))
        elif key and not isinstance(value, Portfolio):
            parts.append(None)
        else:
            return compute(*args)
    name = f"{compute.__module__}.{compute.__qualname__}"
    return shared_view(_derived(name, tuple(parts), key, _compute=compute, _args=args))


def _key_of(value):
    """A plain value as a cache key part: a frozen dataclass as its class's name and its fields' values, a frozenset
    as its values sorted."""
    if dataclasses.is_dataclass(value):
        return (type(value).__qualname__, *(_key_of(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, frozenset):  # in one order: Streamlit hashes a set in the order it iterates
        return ("frozenset", *sorted((_key_of(v) for v in value), key=repr))
    if isinstance(value, tuple):
        return tuple(_key_of(v) for v in value)
    return value


def _plain(value) -> bool:
    """Text, numbers, and tuples, frozensets or frozen dataclasses (a page's filters) made of them: hashable, compared
    by value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return isinstance(value, _PLAIN) or (isinstance(value, tuple | frozenset) and all(_plain(v) for v in value))


@st.cache_resource(show_spinner=False, max_entries=256)
def _derived(name: str, parts: tuple, key: tuple, _compute, _args):
    return _compute(*_args)


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


def listing_key(layers: list[LayerInfo]) -> tuple:
    """What a store listing says about the data read from it: for `derived` results that depend on stored layers."""
    return store_key(), tuple((i.id, i.kind, i.version, i.visible) for i in layers)


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
