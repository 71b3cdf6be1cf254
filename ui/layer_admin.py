"""Managing stored layers: list, show/hide, rename, describe, versions, bin and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config import StoreLocation
from core.roles import owner_name
from i18n import error_text, fmt_number, fmt_time, t
from loaders.files.sandbox import run_limited
from store import LayerInfo, StoreError, export_stored
from store.acting import ActingStore
from ui.access import client_address
from ui.export_cache import LAYER_EXPORTS, client_budget


def layer_table(layers: list[LayerInfo], lang: str) -> pd.DataFrame:
    """One row per layer, as plain text (titles are user text and are never rendered as HTML)."""
    return pd.DataFrame(
        {
            t("layer_title", lang): [i.title for i in layers],
            t("layer_kind", lang): [t(f"kind_{i.kind}", lang) for i in layers],
            t("layer_owner", lang): [owner_name(i.owner) for i in layers],
            t("layer_features", lang): [fmt_number(i.feature_count, lang) for i in layers],
            t("layer_version", lang): [i.version for i in layers],
            t("layer_visible", lang): [i.visible for i in layers],
            t("layer_uploaded", lang): [fmt_time(i.created_at) for i in layers],
            t("layer_uploader", lang): [i.uploader for i in layers],
            t("layer_file", lang): [i.original_filename for i in layers],
            t("layer_crs", lang): [i.original_crs for i in layers],
        }
    )


def downloads(info: LayerInfo, lang: str, store: StoreLocation) -> None:
    """The layer as GeoJSON and GeoPackage: built when clicked, once per version and format (ui/export_cache.py),
    in the worker process (loaders/files/sandbox.py), so a big export leaves the server free for everyone else."""
    stem = f"industrikart_lag_{info.id}_v{info.version}"
    budget = client_budget(client_address())  # per client address: a fresh session gets no fresh budget
    for fmt, mime in (("geojson", "application/geo+json"), ("gpkg", "application/geopackage+sqlite3")):
        key = (store, info.id, info.version, fmt)

        def build(fmt=fmt) -> bytes:
            return run_limited(export_stored, store, info.id, fmt, info.version, worker="export")

        st.download_button(
            t(f"download_{fmt}", lang),
            data=lambda key=key, build=build: LAYER_EXPORTS.get(key, build, budget),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"dl_{fmt}_{info.id}_{info.version}",
        )


def editor_actions(store: ActingStore, info: LayerInfo, lang: str) -> None:
    """Visibility, title, description, versions and delete for one live layer."""
    key = f"layer_{info.id}"
    visible = st.toggle(t("layer_visible", lang), value=info.visible, key=f"{key}_visible")
    if visible != info.visible:
        _do(lambda: store.set_visible(info.id, visible), lang)

    title = st.text_input(t("layer_title", lang), value=info.title, key=f"{key}_title")
    description = st.text_area(t("layer_description", lang), value=info.description, key=f"{key}_desc")
    if st.button(t("save_changes", lang), key=f"{key}_save"):
        _do(lambda: _edit_text(store, info, title, description), lang)

    versions = store.versions(info.id)
    if len(versions) > 1:
        st.caption(t("layer_versions", lang))
        for version in reversed(versions):
            label = f"v{version.version} · {fmt_time(version.created_at)} · {version.original_filename}"
            if version.version == info.version:
                st.text(f"{label} ({t('current', lang)})")
            elif st.button(t("restore_version", lang, version=version.version), key=f"{key}_v{version.version}"):
                _do(lambda v=version.version: store.restore_version(info.id, v), lang)

    confirm = st.checkbox(t("delete_confirm", lang), key=f"{key}_confirm")
    if st.button(t("delete", lang), key=f"{key}_delete", disabled=not confirm, type="primary"):
        _do(lambda: store.delete(info.id), lang)


def bin_actions(store: ActingStore, info: LayerInfo, lang: str) -> None:
    st.text(t("in_bin_since", lang, when=fmt_time(info.deleted_at)))
    if st.button(t("restore_layer", lang), key=f"layer_{info.id}_restore"):
        _do(lambda: store.restore(info.id), lang)


def _edit_text(store: ActingStore, info: LayerInfo, title: str, description: str) -> None:
    """Only what changed: each change is one line in the audit log."""
    if title != info.title:
        store.rename(info.id, title)
    if description != info.description:
        store.set_description(info.id, description)


def _do(action, lang: str) -> None:
    """Run a store change; show what went wrong instead of a traceback, then redraw with the new state."""
    try:
        action()
    except StoreError as exc:
        st.error(t("store_error", lang, error=error_text(exc, lang)))
        return
    st.rerun()
