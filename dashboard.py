"""Industrikart Trøndelag: the overview map of parks, emission sources and cluster members."""

from __future__ import annotations

import streamlit as st

import config
from analysis.in_view import in_bounds
from i18n import key_figure_label, t
from maps.build import base_map, legend_group, overview_layers
from maps.description import description_group
from maps.highlight import highlight_group
from maps.labels import labels_group
from maps.outlines import area_group
from maps.overlays import over_basemap, overlay_group
from maps.pmtiles_layer import STORED_LAYER
from ui.data import derived, portfolio, stored_layers
from ui.export_panel import ExportSettings, export_panel
from ui.feature_list import feature_picker, map_description, map_words
from ui.map_view import show_map
from ui.measure_data import portfolio_measures
from ui.overlays import overlay_section
from ui.overview import compact_header, key_figure_row, map_target, overview_content, remember, selected_geometries
from ui.page import PageFrame
from ui.presentation import heading
from ui.record import record_panel, stored_record_panel
from ui.sidebar import map_controls, presentation_controls
from ui.state import static_url
from ui.uploaded_layers import this_session, uploaded_layers
from ui.view_state import map_params

page = PageFrame()

listed = stored_layers(page.lang)  # None: the store could not be read (and said so)
layers = this_session(listed or [])  # less the uploaded layers switched off in the sidebar's layer list
data = portfolio(page.lang, layers)
lang = page.link(map_params(data), map_key="overview_map")
uploaded = uploaded_layers(lang, layers, static_url(), complete=listed is not None)
controls = map_controls(data, lang, listed)
overlays = overlay_section(lang, listed)  # map services switched on (and, for editors, "add one")
present = presentation_controls(lang)
# circles, names, legend and exports in the key figure's one scope and year; worked out once per data and filters
content = derived(overview_content, data, controls.filters, controls.visible, lang)
view, kpi = content.view, content.kpi

if present:
    heading(lang, present)
    key_figure_row(kpi, lang)
else:
    with compact_header():
        heading(lang, present)
        key_figure_row(kpi, lang)
with st.container():  # search notices go in here, so the map keeps its place (a moved map is redrawn)
    center, zoom, selected = map_target(
        data, controls.query, lang, present, controls.filters.kommunenummer, map_key="overview_map"
    )

colours = content.colours
area = controls.filters.kommunenummer  # the chosen municipalities, outlined on the map
labels, on_map = content.labels, content.on_map
map_column, record_column = st.columns([1, 0.0001] if present else [3, 1])
with map_column:
    shown = show_map(
        base_map(static_url(), vector_tiles=bool(uploaded.tiled)),
        [
            legend_group(colours, lang, uploaded.legend, content.legend),
            description_group(
                t("map_name_overview", lang),
                map_description(on_map, controls.filters, data, lang),
                map_words(lang),
            ),
            area_group(area),
            *over_basemap(
                overview_layers(
                    view,
                    controls.visible,
                    controls.basemap,
                    colours,
                    lang,
                    uploaded.geojson,
                    uploaded.tiled,
                    points=content.points,
                ),
                overlay_group(overlays, lang),
            ),
            labels_group(labels),
            highlight_group(selected_geometries(view, selected, controls.visible)),
        ],
        key="overview_map",
        center=center,
        zoom=zoom,
        height=config.PRESENT_MAP_HEIGHT if present else config.MAP_HEIGHT,
    )
    st.caption(t("sources_line", lang, count=len(data.parks) + len(data.sources) + len(data.members)))
selected = remember(shown, selected)
with map_column:  # the map in words, and its keyboard way in: the features in view
    in_view = in_bounds(on_map, shown.bounds)
    feature_picker(in_view, selected, lang, "overview_in_view", key_figure_label(kpi, lang) if kpi.scope else "")
if not present:
    with record_column:
        if selected and selected.layer == STORED_LAYER:
            stored_record_panel(uploaded.rows, list(selected.ids), lang)
        else:
            chosen = list(selected.ids) if selected else []
            measures = portfolio_measures(data, listed, lang).measures
            record_panel(data, selected.layer if selected else None, chosen, lang, measures, kpi)

with st.popover(t("export", lang)) if present else st.sidebar.expander(f"⬇ {t('export', lang)}"):
    export_panel(
        view,
        ExportSettings(
            visible=controls.visible,
            basemap=controls.basemap,
            colours=colours,
            lang=lang,
            title=st.session_state.get("present_title") or t("present_default_title", lang),
            subtitle=st.session_state.get("present_subtitle") or t("app_subtitle", lang),
        ),
        uploaded=uploaded,
        municipalities=controls.filters.kommunenummer,
        overlays=overlays,
    )
page.finish()
