"""Streamlit's own widget texts in the user's language, where Streamlit 1.67 has no locale option.

`streamlit config show` has no locale or language setting, so the file uploader's "Upload" button and its
"200MB per file • GEOJSON, …" line are English. In bokmål they are replaced with CSS keyed to Streamlit's
data-testid attributes (stable across releases, used by Streamlit's own tests): the English text is sized
to nothing and the bokmål text is drawn in its place with `::after`. English pages keep Streamlit's texts.
Multiselect's "Select all" / "No results" live in a virtualised popover without such attributes: left as
they are (no robust selector).
"""

from __future__ import annotations

import streamlit as st

import config
from i18n import t
from ui.upload_guard import allow_uploads

_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'


def uploader_css(lang: str, types: list[str] | tuple[str, ...], max_mb: int) -> str:
    """The style that puts the uploader's button and limit line in `lang` ("" for English: nothing to replace)."""
    if lang == "en":
        return ""
    button = _css_string(t("uploader_button", lang))
    limit = _css_string(t("uploader_limit", lang, mb=max_mb, types=", ".join(x.upper() for x in types)))
    return (
        "<style>"
        f"{_DROPZONE} button {{font-size: 0 !important;}}"
        f'{_DROPZONE} button [data-testid="stIconMaterial"] {{font-size: 1.25rem !important;}}'
        f'{_DROPZONE} button::after {{content: "{button}"; font-size: 0.875rem;}}'
        f"{_INSTRUCTIONS}, {_INSTRUCTIONS} * {{font-size: 0 !important;}}"
        f'{_INSTRUCTIONS}::after {{content: "{limit}"; font-size: 0.875rem; opacity: 0.6;}}'
        "</style>"
    )


def file_uploader(label: str, types: list[str], lang: str, **kwargs):
    """`st.file_uploader` whose own texts follow `lang`."""
    css = uploader_css(lang, types, int(st.get_option("server.maxUploadSize")))
    if css:
        st.markdown(css, unsafe_allow_html=True)
    allow_uploads()  # the pages draw an uploader only for editors: this session may upload (ui/upload_guard.py)
    return st.file_uploader(label, type=types, **kwargs)


def table_upload(label: str, counter_key: str, lang: str):
    """A CSV/GeoJSON uploader for a small table (flows, measures), or None; a file over the limit is refused here.

    Its key carries `counter_key`'s count: the page raises the count after a save, which empties the uploader."""
    key = f"{counter_key}_{st.session_state.get(counter_key, 0)}"
    upload = file_uploader(label, ["csv", "geojson", "json"], lang, key=key)
    if upload is not None and upload.size > config.MAX_UPLOAD_BYTES:
        st.error(t("pf_upload_too_big", lang, mb=config.MAX_UPLOAD_BYTES // 2**20))
        return None
    return upload


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
