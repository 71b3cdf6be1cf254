"""The emission-import page's steps: run an official importer, show its summary, place unmatched facilities, save."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from shapely.geometry import Point

from core.roles import COUNTY, owner_name
from i18n import error_text, t
from loaders.errors import LayerError
from loaders.files.coordinates import UTM_ZONES, CoordinateError, parse_coordinates
from loaders.official.imported import save_import
from loaders.official.importing import ImportResult, summary_lines
from loaders.official.registry import FORMATS, run_import
from store import StoreError
from ui.text import escape_markdown
from ui.upload_form import file_error, progress_callback

PLACEMENTS = "_import_placements"  # facility key -> (lon, lat), for the current file


def run(data: bytes, filename: str, fmt: str, known: pd.DataFrame, lang: str):
    """The import result for this file and format (run once per file, then kept in the session)."""
    key = (hashlib.sha256(data).hexdigest(), fmt)
    cache = st.session_state.setdefault("_import_results", {})
    if key not in cache:
        bar = st.progress(0.0, text=t("stage_reading", lang))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(filename).name  # the importers read paths; the name goes into the source
            path.write_bytes(data)
            try:
                result = run_import(path, fmt, known=known, progress=progress_callback(bar))
            except (LayerError, ValueError) as exc:
                bar.empty()
                st.error(file_error(error_text(exc, lang), lang))
                return None
        bar.empty()
        cache.clear()
        cache[key] = result
        st.session_state[PLACEMENTS] = {}
    return cache[key]


def format_choice(lang: str) -> str:
    return st.radio(
        t("import_format", lang), FORMATS, format_func=lambda f: t(f"import_format_{f}", lang), key="import_format"
    )


def summary(result, lang: str) -> None:
    st.code("\n".join(summary_lines(result, lambda message: error_text(message, lang))), language=None)


def unplaced(result) -> pd.DataFrame:
    """Unmatched facilities the file gives no position for: these need an editor to place them."""
    if not isinstance(result, ImportResult):
        return pd.DataFrame()
    unmatched = result.unmatched
    return unmatched[unmatched.geometry.isna()]


def placement_form(result: ImportResult, lang: str, clicked: tuple[float, float] | None) -> None:
    """Place one unmatched facility by typed coordinates (lat/lon or UTM) or by the last click on the map."""
    waiting = unplaced(result)
    if waiting.empty:
        return
    placements = st.session_state.setdefault(PLACEMENTS, {})
    names = dict(zip(waiting["key"], waiting["name"], strict=True))
    st.caption(t("import_place_help", lang, n=len(waiting), placed=len(placements)))
    key = st.selectbox(
        t("import_facility", lang),
        list(names),
        format_func=names.__getitem__,
        key="import_place_key",
        placeholder=t("choose_placeholder", lang),
    )
    typed = st.text_input(t("import_coordinates", lang), key="import_place_text", placeholder="63.3208, 9.8783")
    zone = st.selectbox(
        t("import_utm_zone", lang),
        list(UTM_ZONES),
        index=1,
        key="import_place_zone",
        placeholder=t("choose_placeholder", lang),
    )
    left, right = st.columns(2)
    if left.button(t("import_place_typed", lang), key="import_place_typed"):
        try:
            placements[key] = parse_coordinates(typed, zone)
        except CoordinateError as exc:
            field = t("import_coordinates", lang)
            st.error(t("import_coordinates_error", lang, field=field, error=escape_markdown(error_text(exc, lang))))
    if clicked is not None and right.button(
        t("import_place_clicked", lang, lat=f"{clicked[1]:.5f}", lon=f"{clicked[0]:.5f}"), key="import_place_click"
    ):
        placements[key] = clicked
    if placements:
        shown = pd.DataFrame(
            [(names.get(k, k), f"{lat:.5f}", f"{lon:.5f}") for k, (lon, lat) in placements.items()],
            columns=[t("field_facility", lang), "lat", "lon"],
        )
        st.dataframe(shown, hide_index=True)


def placed(result: ImportResult) -> ImportResult:
    """The result with the editor's placements as the unmatched facilities' positions."""
    placements = st.session_state.get(PLACEMENTS, {})
    if not placements:
        return result
    facilities = result.facilities.copy()
    for key, (lon, lat) in placements.items():
        facilities.loc[facilities["key"] == key, "geometry"] = Point(lon, lat)
    return dataclasses.replace(result, facilities=facilities)


def save_form(result, store, lang: str) -> None:
    default = error_text(result.title, lang) if result.title is not None else result.source
    title = st.text_input(t("layer_title", lang), value=default, key="import_title")
    # the registers' figures are for plants in every municipality, and a later import wins over an earlier one:
    # an import is the county's, whoever makes it (the store refuses it to an editor of one municipality)
    store = store.for_owner(COUNTY)
    st.caption(t("upload_owner_is", lang, owner=owner_name(COUNTY)))
    st.caption(t("upload_saved_as", lang, name=escape_markdown(store.actor.identity.name)))
    if st.button(t("upload_save", lang), type="primary", key="import_save"):
        to_save = placed(result) if isinstance(result, ImportResult) else result
        try:
            saved = save_import(store, to_save, title)
        except (LayerError, StoreError, ValueError, OSError) as exc:
            st.error(t("store_error", lang, error=error_text(exc, lang)))
            return
        for info in saved:
            st.success(
                t(
                    "import_saved",
                    lang,
                    title=escape_markdown(info.title),
                    kind=t(f"kind_{info.kind}", lang),
                    n=info.feature_count,
                )
            )
