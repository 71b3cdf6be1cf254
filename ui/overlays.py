"""Map service overlays (WMS and WMTS) on Kart and Portefølje: everyone's toggles (this session's map, kept in the
link) and, for editors, "add a map service": an address (or one of the official services) -> its capabilities ->
pick layers -> save.

The overlays are stored layers of kind "overlays" (loaders/official/overlays.py), saved through the page's
ActingStore, so a saving is owned, checked and in the audit log.
"""

from __future__ import annotations

import streamlit as st

from i18n import error_text, t
from loaders.errors import MapServiceError
from loaders.official.map_services import OFFICIAL_SERVICES, Capabilities, read_capabilities
from loaders.official.overlays import OVERLAYS_KIND, Overlay, overlays_of, save_overlays
from store import LayerInfo, StoreError, open_store
from ui.access import acting_store
from ui.data import store_key
from ui.saving import saved
from ui.text import escape_markdown

OVERLAYS_ON = "overlays_on"  # the keys of the overlays switched on in this session (and in the link: ?ov=)
_CAPABILITIES = "overlay_capabilities"  # what the editor's last read found, until saved
OWN_ADDRESS = "own"


@st.cache_resource(show_spinner=False, max_entries=8)
def _stored_overlays(store: str, revision: tuple) -> list[Overlay]:
    opened = open_store()
    return [
        overlay for layer_id, version in revision for overlay in overlays_of(layer_id, opened.read(layer_id, version))
    ]


def saved_overlays(lang: str, layers: list[LayerInfo] | None) -> list[Overlay]:
    """Every overlay in the visible stored layers of kind "overlays" (none when the store could not be listed)."""
    revision = tuple((i.id, i.version) for i in layers or [] if i.kind == OVERLAYS_KIND and i.visible)
    if not revision:
        return []
    try:
        return _stored_overlays(store_key(), revision)
    except (StoreError, OSError) as exc:
        st.warning(t("store_unavailable", lang, error=error_text(exc, lang)))
        return []


def overlay_toggles(overlays: list[Overlay], lang: str) -> list[Overlay]:
    """A toggle for each saved overlay in the sidebar (off unless the link or the user switched it on); returns
    those switched on, in the saved order."""
    on = st.session_state.setdefault(OVERLAYS_ON, [])
    if overlays:
        st.sidebar.caption(t("overlays_heading", lang))
    for overlay in overlays:
        key = f"overlay_on_{overlay.key}"
        st.session_state[key] = overlay.key in on  # the list, not the widget, outlives a page switch
        st.sidebar.checkbox(
            escape_markdown(overlay.title),  # text from a service: never markdown
            key=key,
            on_change=_toggle,
            args=(overlay.key, key),
            help=t(
                "overlay_toggle_help", lang, service=escape_markdown(overlay.service or overlay.url)
            ),  # Markdown too
        )
    return [overlay for overlay in overlays if overlay.key in on]


def _toggle(overlay_key: str, widget_key: str) -> None:
    on = [k for k in st.session_state.get(OVERLAYS_ON, []) if k != overlay_key]
    st.session_state[OVERLAYS_ON] = on + [overlay_key] if st.session_state[widget_key] else on


def overlay_editor(store, lang: str) -> None:
    """For editors: read a map service's capabilities and save the layers picked (an expander in the sidebar).
    `store`: the page's ActingStore (it checks the role again when saving)."""
    with st.sidebar.expander(t("overlay_add", lang)):
        names = {address: name for name, address in OFFICIAL_SERVICES}
        choice = st.selectbox(
            t("overlay_service", lang),
            [*names, OWN_ADDRESS],
            format_func=lambda a: t("overlay_own_address", lang) if a == OWN_ADDRESS else names[a],
            key="overlay_service",
            placeholder=t("choose_placeholder", lang),
        )
        address = choice
        if choice == OWN_ADDRESS:
            address = st.text_input(t("overlay_address", lang), key="overlay_address", max_chars=1000).strip()
        if st.button(t("overlay_read", lang), key="overlay_read", disabled=not address):
            _read(address, lang)
        capabilities: Capabilities | None = st.session_state.get(_CAPABILITIES)
        if capabilities is not None:
            _pick_and_save(capabilities, store, lang)


def _read(address: str, lang: str) -> None:
    st.session_state.pop(_CAPABILITIES, None)
    try:
        with st.spinner(t("overlay_reading", lang)):
            st.session_state[_CAPABILITIES] = read_capabilities(address)
    except MapServiceError as exc:
        st.error(escape_markdown(t("overlay_refused", lang, error=error_text(exc, lang))))


def _pick_and_save(capabilities: Capabilities, store, lang: str) -> None:
    usable = [layer for layer in capabilities.layers if layer.web_mercator]
    st.caption(
        escape_markdown(
            t(
                "overlay_found",
                lang,
                service=capabilities.title,
                n=len(usable),
                other=len(capabilities.layers) - len(usable),
            )
        )
    )
    for layer in capabilities.layers:
        if layer.kind == "wmts" and not layer.web_mercator:  # said plainly, with the sets it does offer
            sets = ", ".join(layer.matrix_sets) or "–"
            st.caption(escape_markdown(t("overlay_wmts_not_drawable", lang, title=layer.title, sets=sets)))
    if not usable:
        return
    titles = {layer.name: f"{layer.title} ({layer.name})" for layer in usable}
    picked = st.multiselect(
        t("overlay_layers", lang),
        list(titles),
        format_func=lambda n: titles[n],  # options are plain text: escaping would show its backslashes
        key="overlay_layers",
        placeholder=t("choose_placeholder", lang),
    )
    title = st.text_input(t("overlay_title", lang), value=capabilities.title[:200], key="overlay_title", max_chars=200)
    if st.button(t("overlay_save", lang), key="overlay_save", disabled=not picked or not title.strip()):
        info = saved(lambda: save_overlays(store, capabilities, picked, title.strip()), "overlay_not_saved", lang)
        if info is not None:
            st.session_state.pop(_CAPABILITIES, None)
            on = st.session_state.setdefault(OVERLAYS_ON, [])
            on += [f"{info.id}.{row}" for row in range(len(picked))]  # what was just added is shown
            st.rerun()


def overlay_section(lang: str, layers: list[LayerInfo] | None) -> list[Overlay]:
    """A map page's overlays: the toggles for everyone, the editor's form for editors; the overlays on. A store that
    cannot be reached means no form (the page already says the store is unavailable)."""
    on = overlay_toggles(saved_overlays(lang, layers), lang)
    try:
        store = acting_store(open_store())
        editor = store.access().may_edit
    except (StoreError, OSError):
        return on
    if editor:
        overlay_editor(store, lang)
    return on
