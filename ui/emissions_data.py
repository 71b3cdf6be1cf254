"""Where the emissions page gets its data: the bundled portfolio plus imported data in the layer store.

Imported data comes from `load_imported()`: by default the visible "figures", "sources" and
"municipal_statistics" layers of the layer store (loaders/official/imported.py), read only when a store exists
(DATABASE_URL, INDUSTRIKART_STORE, or data/layers.gpkg). Tests replace `load_imported` to inject
fixture imports. Boundaries come from `loaders.bundled.boundaries.find_boundaries`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

import config
from analysis.emissions import prepare_municipal
from config import StoreLocation
from core.kommunenummer import NumberReport
from i18n import error_text, t
from loaders import LayerError, Portfolio
from loaders.bundled.boundaries import (
    FoundBoundaries,
    boundaries_signature,
    find_boundaries,
    restrict,
    to_current_numbers,
)
from loaders.official.imported import Imported, combine_figures, combine_sources, read_imported
from store import LayerStore, StoreError, store_at
from ui.data import derived, portfolio
from ui.shared_frames import shared_view

Result = TypeVar("Result")


@dataclass(frozen=True)
class EmissionsData:
    sources: gpd.GeoDataFrame  # bundled + imported sources that have a position
    figures: pd.DataFrame  # bundled figures first, then imported ones in the order they were saved
    municipal: pd.DataFrame  # municipal statistics on today's numbers (analysis.emissions.prepare_municipal)
    numbers: NumberReport  # what mapping the municipal table's numbers did
    municipalities: pd.DataFrame  # kommunenummer, name: the county's 38 (2024)
    imported: tuple[str, ...]  # titles of the store layers read
    error: str | None  # the store could not be read: the page says so and shows the bundled data
    revision: tuple = ()  # the bundled data's and the store's: results kept under it (ui.data.derived); () not known


@st.cache_resource(show_spinner=False)
def _open_store(location: StoreLocation) -> LayerStore:
    return store_at(location)


def _current_store() -> LayerStore | None:
    """The layer store when there is one (never an empty GeoPackage made just by looking): checked on every run, so a
    store made by an import later is found, and opened once."""
    location = config.settings().store
    return _open_store(location) if location.url or location.path.exists() else None


@st.cache_resource(show_spinner=False, max_entries=4)
def _imported(_store: LayerStore, signature: tuple) -> Imported:
    return dataclasses.replace(read_imported(_store), revision=signature)


@st.cache_resource(show_spinner=False)
def _nothing_imported() -> Imported:
    return Imported(revision=("no store",))


def load_imported() -> Imported:
    """Imported data from the layer store (replaced in tests); cached for every session, each gets its own view."""
    store = _current_store()
    if store is None:
        return shared_view(_nothing_imported())
    signature = (repr(store), tuple((i.id, i.version, i.visible, i.kind) for i in store.list()))
    return shared_view(_imported(store, signature))


def emissions_data(lang: str) -> EmissionsData:
    # Bundled only: imported sources are read below with their own ids, which the imported figures use
    # (ui.data's combined portfolio prefixes stored ids with "L<layer id>:").
    bundled = portfolio(lang, layers=[])
    error = None
    try:
        imported = load_imported()
    except (StoreError, LayerError, OSError) as exc:
        imported, error = shared_view(_nothing_imported()), error_text(exc, lang)
    combined = derived(combined_data, bundled, imported, key=_revision(bundled, imported))
    return dataclasses.replace(combined, error=error)


def _revision(bundled: Portfolio, imported: Imported) -> tuple:
    """The combined data's revision: () unless both parts have a known one."""
    return (bundled.revision, imported.revision) if bundled.revision and imported.revision else ()


def of_data(compute: Callable[..., Result], data: EmissionsData, *args) -> Result:
    """`compute(*args)`, its frames all from `data` and the rest plain values: worked out once per data revision
    for every session (ui.data.derived); every run when the revision is not known."""
    return derived(compute, *args, key=data.revision)


def combined_data(bundled: Portfolio, imported: Imported) -> EmissionsData:
    """The bundled data with what was imported over it: worked out once per bundled data and store listing."""
    municipal, numbers = prepare_municipal(imported.municipal)
    return EmissionsData(
        sources=combine_sources(bundled.sources, imported.sources),
        figures=combine_figures(bundled.figures, imported.figures),
        municipal=municipal,
        numbers=numbers,
        municipalities=bundled.municipalities,
        imported=imported.titles,
        error=None,
        revision=_revision(bundled, imported),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundaries(signature: tuple, _store: LayerStore | None, numbers: tuple[str, ...]):
    found = find_boundaries(store=_store)
    if found is None:
        return None, None
    frame, report = to_current_numbers(found.frame)
    return FoundBoundaries(restrict(frame, list(numbers)), found.origin, found.label), report


def boundaries(numbers: list[str], lang: str) -> tuple[FoundBoundaries | None, NumberReport | None]:
    """The county's municipality boundaries on today's numbers, or None (with an error shown if unreadable)."""
    try:
        store = _current_store()
        return shared_view(_boundaries(boundaries_signature(store=store), store, tuple(numbers)))
    except (LayerError, StoreError, OSError) as exc:
        st.error(t("em_boundaries_error", lang, error=error_text(exc, lang)))
        return None, None
