"""Saving an editor's record (a flow, a measure) through the layer store, or saying why it was not saved."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from i18n import error_text, t
from loaders import LayerError
from store import StoreError
from store.base import LayerInfo
from store.errors import NotAllowed
from ui.text import escape_markdown


def saved(save: Callable[[], LayerInfo], refused: str, lang: str) -> LayerInfo | None:
    """What `save()` stored, or None after an error message: `refused` (a message code taking `error`) when the
    record is refused, the store's own when the person may not make the change, and that it cannot be reached."""
    try:
        return save()
    except LayerError as exc:
        st.error(escape_markdown(t(refused, lang, error=error_text(exc, lang))))
    except NotAllowed as exc:
        st.error(escape_markdown(error_text(exc, lang)))
    except (StoreError, OSError) as exc:
        st.error(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
    return None
