"""The measures a page shows: the bundled ones with the stored ones over them, read once per stored version.

Light on purpose (no chart or slide libraries): the Kart page imports it for a clicked site's record.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

import config
from i18n import error_text, t
from loaders import LayerError, Portfolio
from loaders.bundled.measure_store import (
    AllMeasures,
    all_measures,
    stored_measure_layers,
)
from loaders.bundled.measures import (
    load_measures,
)
from store import StoreError, open_store
from store.base import LayerInfo, LayerStore
from ui.data import store_key
from ui.shared_frames import shared_view
from ui.text import escape_markdown


@st.cache_resource(show_spinner=False)
def _bundled(path: str, _portfolio: Portfolio, directory: str) -> pd.DataFrame:
    return load_measures(path, _portfolio)


@st.cache_resource(show_spinner=False, max_entries=2048)
def _stored_measure(key: str, layer_id: int, version: int) -> gpd.GeoDataFrame:
    # A measure layer version never changes once written: read once per process, not on every rerun.
    return open_store().read(layer_id, version)


class _CachedReads:
    """The store as all_measures reads it: each listed measure version from the cache above."""

    def __init__(self, listing: list[LayerInfo]):
        self._versions = {info.id: info.version for info in listing}

    def read(self, layer_id: int) -> gpd.GeoDataFrame:
        return shared_view(_stored_measure(store_key(), layer_id, self._versions[layer_id]))


def portfolio_measures(
    portfolio: Portfolio, store: LayerStore | None, layers: list[LayerInfo], lang: str
) -> AllMeasures:
    """Bundled measures with the stored ones over them; a warning for each stored measure left out."""
    try:
        bundled = shared_view(_bundled(str(config.GEODATA_DIR / "measures.csv"), portfolio, str(config.GEODATA_DIR)))
        found = all_measures(None if store is None else _CachedReads(layers), bundled, portfolio, layers)
    except LayerError as exc:
        st.error(escape_markdown(t("data_error", lang, error=error_text(exc, lang))))
        st.stop()
    except StoreError as exc:
        st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return portfolio_measures(portfolio, None, [], lang)
    for title, error in found.problems:
        st.warning(escape_markdown(t("ms_store_problem", lang, title=title, error=error_text(error, lang))))
    return found


def listed_measures(portfolio: Portfolio, listing: list[LayerInfo] | None, lang: str) -> pd.DataFrame:
    """The measures for a page that has the store's listing but not the store (the store is opened only when
    the listing holds a stored measure)."""
    listing = listing or []
    store = None
    if stored_measure_layers(listing):
        try:
            store = open_store()
        except (StoreError, OSError) as exc:
            st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
    return portfolio_measures(portfolio, store, listing if store is not None else [], lang).measures
