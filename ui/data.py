"""Loading the portfolio once per server process, with a readable error instead of a traceback."""

from __future__ import annotations

import streamlit as st

import config
from i18n import t
from loaders import LayerError, Portfolio, load_portfolio


@st.cache_resource(show_spinner=False)
def _cached_portfolio(directory: str) -> Portfolio:
    return load_portfolio(directory)


def portfolio(lang: str) -> Portfolio:
    """The bundled portfolio; stops the page with a clear message if the data is broken."""
    try:
        return _cached_portfolio(str(config.GEODATA_DIR))
    except LayerError as exc:
        st.error(t("data_error", lang, error=str(exc)))
        st.stop()
