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
)
from loaders.bundled.measures import (
    load_measures,
)
from store import StoreError, open_store
from store.base import LayerInfo
from ui.data import store_key
from ui.shared_frames import shared_view
from ui.text import escape_markdown


@st.cache_resource(show_spinner=False)
def _bundled(path: str, _portfolio: Portfolio) -> pd.DataFrame:
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


def portfolio_measures(portfolio: Portfolio, listing: list[LayerInfo] | None, lang: str) -> AllMeasures:
    """Bundled measures with the stored ones in the store's `listing` over them (None or []: the bundled ones);
    a warning for each stored measure left out, and for a store gone since it was listed."""
    listing = listing or []
    try:
        bundled = shared_view(_bundled(str(config.GEODATA_DIR / "measures.csv"), portfolio))
        found = all_measures(_CachedReads(listing), bundled, portfolio, listing)
    except LayerError as exc:
        st.error(escape_markdown(t("data_error", lang, error=error_text(exc, lang))))
        st.stop()
    except (StoreError, OSError) as exc:
        st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return portfolio_measures(portfolio, None, lang)
    for title, error in found.problems:
        st.warning(escape_markdown(t("ms_store_problem", lang, title=title, error=error_text(error, lang))))
    return found
