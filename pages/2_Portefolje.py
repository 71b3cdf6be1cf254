"""Portfolio: neighbourhoods side by side, recorded flows as arrows, possibilities apart, the portfolio in numbers."""

from __future__ import annotations

import streamlit as st

import config
from analysis.candidates import candidates_around
from analysis.neighbourhoods import compare_hoods, neighbourhoods, portfolio_summary, ranking
from analysis.portfolio_view import filter_flows, flows_touching, sources_inside_any
from i18n import fmt_number, fmt_tonnes, t
from maps.description import description_group
from maps.overlays import over_basemap, overlay_group
from maps.portfolio import fit_view, portfolio_base_map, portfolio_layers
from maps.styles import cluster_colours
from ui.data import derived, listing_key, portfolio
from ui.export_panel import portfolio_export
from ui.feature_list import map_words, neighbourhoods_described
from ui.map_view import show_map
from ui.measure_data import portfolio_measures
from ui.measure_editor import measure_editor
from ui.measures import (
    kept_measure_points,
    measure_filters,
    newest_path_section,
    site_measures,
    summary_section,
)
from ui.overlays import overlay_section
from ui.page import PageFrame
from ui.portfolio import (
    flow_editor,
    flow_store,
    neighbourhood_content,
    point_centre,
    portfolio_controls,
    portfolio_flows,
    portfolio_map,
    read_point_click,
    show_table,
    table_box,
)
from ui.portfolio_tables import (
    actors_table,
    candidates_table,
    comparison_table,
    emissions_label,
    km_text,
    ranking_table,
    recorded_flows_table,
    scope_text,
    site_notices,
    source_hosts,
    sources_line,
    summary_tables,
)
from ui.presentation import heading
from ui.sidebar import presentation_controls
from ui.state import static_url
from ui.text import escape_markdown
from ui.view_state import portfolio_params

page = PageFrame("nav_portfolio")

store, listing = flow_store(page.lang)
data = portfolio(page.lang, listing)  # bundled plus stored parks, sources and members
lang = page.link(portfolio_params(data), map_key="pf_map")
controls = portfolio_controls(data, lang)
read_point_click("pf_map")
found = portfolio_measures(data, listing, lang)
measure_statuses, measure_kinds = measure_filters(lang)
overlays = overlay_section(lang, listing)  # map services switched on (and, for editors, "add one")
present = presentation_controls(lang)
heading(lang, present, t("pf_page_title", lang), t("pf_page_intro", lang))
flows = portfolio_flows(data, store, listing, lang)
radius = controls.radius_m
km = km_text(radius, lang)
hoods = derived(neighbourhoods, controls.site_ids, data, radius)
point_hood = point_centre(data, radius, lang)  # a clicked point, beside the sites
hoods += [point_hood] if point_hood is not None else []
shown = filter_flows(flows.lines, controls.resources, controls.statuses)
colours = cluster_colours(list(data.members["cluster"].unique()))
layers = {"visible": controls.visible, "basemap": controls.basemap, "cluster_colours": colours, "lang": lang}

measure_filters_now = (measure_statuses, measure_kinds)
if not hoods:
    st.info(t("pf_no_sites", lang))
else:
    for kind, text in site_notices(hoods, data, lang):
        getattr(st, kind)(escape_markdown(text))

    st.subheader(t("pf_map_title", lang))
    content = neighbourhood_content(hoods, data, flows, controls, lang)
    center, zoom = fit_view(content.bounds, config.PORTFOLIO_MAP_WIDTH, config.MAP_HEIGHT)
    portfolio_map(
        portfolio_base_map(lang, static_url()),
        [
            *over_basemap(
                portfolio_layers(
                    content,
                    **layers,
                    measures=kept_measure_points(found.measures, data, listing, *measure_filters_now),
                    heads=flows.heads,
                ),
                overlay_group(overlays, lang),
            ),
            description_group(t("pf_map_title", lang), neighbourhoods_described(content, km, lang), map_words(lang)),
        ],
        key="pf_map",
        center=center,
        zoom=zoom,
    )
    st.caption(t("pf_map_caption", lang, km=km) + " " + t("pf_attribution", lang))

    st.subheader(t("pf_compare_title", lang))
    show_table(comparison_table(compare_hoods(hoods), hoods, data, lang), lang, all_rows=True)
    st.caption(t("pf_small_maps", lang))
    for i, (column, hood) in enumerate(zip(st.columns(len(hoods)), hoods, strict=True)):
        with column:
            st.markdown(f"**{escape_markdown(hood.site['name'])}**")
            small = neighbourhood_content([hood], data, flows, controls, lang)
            center, zoom = fit_view(small.bounds, config.PORTFOLIO_MAP_WIDTH // len(hoods), config.SMALL_MAP_HEIGHT)
            show_map(
                portfolio_base_map(lang, static_url(), legend=False),
                [
                    *portfolio_layers(small, **layers, heads=flows.heads),
                    description_group(hood.site["name"], neighbourhoods_described(small, km, lang), map_words(lang)),
                ],
                key=f"pf_small_{i}",  # one slot per column: a new site moves the map, it does not remount it
                center=center,
                zoom=zoom,
                height=config.SMALL_MAP_HEIGHT,
                clickable=False,
            )

    st.subheader(t("pf_flows_title", lang))
    # a site's name may come from an upload: a tab's label is Markdown, the name is text
    for tab, hood in zip(st.tabs([escape_markdown(h.site["name"]) for h in hoods]), hoods, strict=True):
        with tab:
            table_box("pf_actors_title", "pf_actors_caption", actors_table(hood, lang), "pf_actors_none", lang, km=km)
            recorded = flows_touching(shown, hood)
            listed = recorded_flows_table(recorded, lang) if not recorded.empty else recorded
            table_box("pf_recorded_title", "pf_recorded_caption", listed, "pf_recorded_none", lang, km=km)
            # Possibilities in their own box, never mixed into the recorded flows above.
            possible = derived(
                candidates_around,
                hood.site,
                data,
                flows.flows.flows,
                radius,
                key=(listing_key(listing), hood.site["id"]),
            )
            listed = candidates_table(possible, lang) if not possible.empty else possible
            table_box(
                "pf_candidates_title", "pf_candidates_caption", listed, "pf_candidates_none_companies", lang, km=km
            )
        with tab, st.container(border=True):
            site_measures(hood, found.measures, data, lang)

summary = derived(portfolio_summary, data, flows.flows.flows, radius, key=listing_key(listing))
emissions = summary.emissions_in_neighbourhoods
st.subheader(t("pf_ranking_title", lang))
st.caption(t("pf_ranking_caption", lang))
show_table(ranking_table(derived(ranking, data, radius), data, lang, scope_text(emissions, lang)), lang, all_rows=True)
with st.container(border=True):
    st.subheader(f"{t('pf_summary_title', lang)} · {km}")
    columns = st.columns(5)
    columns[0].metric(t("pf_kpi_sites", lang), fmt_number(summary.sites, lang))
    columns[1].metric(
        emissions_label(emissions, lang),
        fmt_tonnes(emissions.total_t, lang),
        help=t("pf_emissions_one_scope_help", lang, scope=scope_text(emissions, lang)),
    )
    if emissions.total_t is not None:
        columns[1].caption(t("kpi_facilities", lang, n=emissions.with_figure))
    columns[2].metric(t("pf_kpi_sources", lang), fmt_number(summary.sources_in_neighbourhoods, lang))
    columns[3].metric(
        t("pf_kpi_members", lang),
        fmt_number(summary.member_companies, lang),
        help=t("pf_kpi_members_help", lang, memberships=summary.members, inside=summary.members_in_neighbourhoods),
    )
    columns[4].metric(t("pf_kpi_flows", lang), fmt_number(int(summary.flows_by_resource["flows"].sum()), lang))
    for column, table in zip(st.columns(3), summary_tables(summary, lang).values(), strict=True):
        with column:
            show_table(table, lang, all_rows=True)
    st.caption(t("pf_summary_caption", lang, sites=summary.sites, km=km))
    inside = derived(sources_inside_any, data, radius)
    hosts = source_hosts(data.parks["source_url"], inside["figure_source"], flows.flows.flows["source_url"])
    st.caption(escape_markdown(sources_line(hosts, lang)))

summary_section(found.measures, data, radius, lang)
newest_path_section(data.figures, found.measures, data, lang)

if hoods:
    st.subheader(t("pf_export_title", lang))
    portfolio_export(
        hoods,
        lang=lang,
        subtitle=t("pf_page_title", lang),
        sources=sources_line(hosts, lang),
        visible=controls.visible,
        basemap=controls.basemap,
        cluster_colours=colours,
    )

if not present:
    measure_editor(data, found, flows.store, listing, lang)
    flow_editor(data, flows, lang)

page.finish()
