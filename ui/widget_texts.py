"""Streamlit's own widget texts in the user's language, where Streamlit 1.67 has no locale option.

`streamlit config show` has no locale or language setting, and `st.file_uploader` takes no button label: its
"Upload" button and its "200MB per file • GEOJSON, …" line are English. In both languages they are replaced
with CSS keyed to Streamlit's data-testid attributes (stable across releases, used by Streamlit's own tests):
Streamlit's text is taken out of the layout (`display: none`: shrinking it to font-size 0 left "Upload" showing,
as its markdown has a font size of its own) and ours is drawn in its place with `::after`, on the button's label
only: on every button in the drop zone it also wrote over the file chip's remove icon and the "+" button.
Multiselect's "Select all" / "No results" live in a virtualised popover without such attributes: left as
they are (no robust selector); the selectboxes' placeholders are set where each is drawn (`placeholder=`).
"""

from __future__ import annotations

import streamlit as st

import config
from i18n import t
from ui.style import style_sheet
from ui.upload_guard import allow_uploads

_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_BUTTON_TEXT = f'{_DROPZONE} button [data-testid="stMarkdownContainer"]'
_INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'


def uploader_css(lang: str, types: list[str] | tuple[str, ...], max_mb: int) -> str:
    """The style that puts our button label and limit line in `lang` in place of Streamlit's English ones."""
    button = _css_string(t("uploader_button", lang))
    limit = _css_string(t("uploader_limit", lang, mb=max_mb, types=", ".join(x.upper() for x in types)))
    return (
        "<style>"
        f"{_BUTTON_TEXT} > * {{display: none !important;}}"
        f'{_BUTTON_TEXT}::after {{content: "{button}";}}'
        f"{_INSTRUCTIONS} > * {{display: none !important;}}"
        f'{_INSTRUCTIONS}::after {{content: "{limit}"; font-size: 0.875rem; opacity: 0.6;}}'
        "</style>"
    )


def file_uploader(label: str, types: list[str], lang: str, **kwargs):
    """`st.file_uploader` whose own texts follow `lang`."""
    style_sheet(uploader_css(lang, types, int(st.get_option("server.maxUploadSize"))))
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
