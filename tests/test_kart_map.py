"""Kart's readable map without a browser: brief popups in the key figure's scope and year, formatted
numbers (never a register's raw kg), a legend of what is on the map, labels and the chosen municipality as data."""

from __future__ import annotations

import dataclasses
import json
import re

import pandas as pd
import pytest

import config
from analysis.filters import Filters, apply_filters
from analysis.kpi import key_figures
from i18n import fmt_quote, fmt_tonnes, key_figure_label, t
from maps.build import base_map, overview_layers, point_features
from maps.emissions import facility_popup
from maps.labels import key_point_labels, labels_group
from maps.legend import legend_content, legend_html
from maps.outlines import area_group
from maps.styles import cluster_colours
from tests.helpers.apptest import app, js_unescaped
from ui.map_view import Selection
from ui.record import figure_rows

HOSTILE = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>{{ 7*191919 }}'
ALL_LAYERS = {"parks", "sources", "members"}
# A tonnage as fmt_tonnes writes it ("218 541 t", "218,541 t"), to find every figure a popup gives.
TONNES = re.compile(r"\d[\d\u00a0,.]*\u00a0t\b")


def source_popups(view, kpi, lang: str) -> dict[str, str]:
    groups = overview_layers(
        view, {"sources"}, "none", {}, lang, points=point_features(view, {"sources"}, {}, lang, kpi)
    )
    features = next(iter(groups[-1]._children.values())).data["features"]
    return {f["properties"]["ids"][0]: f["properties"]["popup"] for f in features}


def test_a_popup_gives_the_figure_of_the_key_figures_scope_and_year_and_no_other(portfolio):
    view = apply_filters(portfolio, Filters())
    kpi = key_figures(view)
    label = key_figure_label(kpi, "nb")  # "EU ETS, CO₂-ekv. 2022": what the key figure above the map says
    popups = source_popups(view, kpi, "nb")
    with_figure = [i for i in popups if kpi.figure_of(i) is not None]
    without = [i for i in popups if kpi.figure_of(i) is None]
    assert with_figure and without, "the bundled data has plants with and without a figure in that scope and year"
    for facility_id in with_figure:
        assert f"{label}: {fmt_tonnes(kpi.figure_of(facility_id), 'nb')}" in popups[facility_id]
        assert TONNES.findall(popups[facility_id]) == [fmt_tonnes(kpi.figure_of(facility_id), "nb")]
    for facility_id in without:  # said so, and no figure of another scope or year instead
        assert f"ingen tall i {label}" in popups[facility_id] and not TONNES.findall(popups[facility_id])
    elkem = popups["src-elkem-thamshavn"]
    assert "Siste tall" not in elkem and "totalt" not in elkem  # the old popup's other-scope "latest figure"


def test_a_chosen_scope_is_the_popups_scope_too(portfolio):
    view = apply_filters(portfolio, Filters())
    kpi = key_figures(view, "fossil")  # E-PRTR's fossil CO₂: its newest year is older than the ETS's
    stated = portfolio.figures[(portfolio.figures["scope"] == "fossil") & (portfolio.figures["year"] == kpi.year)]
    popups = source_popups(view, kpi, "en")
    label = key_figure_label(kpi, "en")
    for facility_id, popup in popups.items():
        rows = stated[stated["facility_id"] == facility_id]
        if rows.empty:
            assert f"no figure in {label}" in popup
        else:
            assert f"{label}: {fmt_tonnes(float(rows['amount_t'].iloc[-1]), 'en')}" in popup


def test_kart_popups_are_brief_and_escaped(portfolio):
    view = apply_filters(portfolio, Filters())
    hostile = view.parks.assign(name=HOSTILE, focus="Fokus som bare panelet viser")
    view = dataclasses.replace(view, parks=hostile)
    points = point_features(view, ALL_LAYERS, {}, "nb", key_figures(view))
    groups = overview_layers(view, ALL_LAYERS, "none", {}, "nb", points=points)
    popups = [f["properties"]["popup"] for g in groups[1:] for c in g._children.values() for f in c.data["features"]]
    assert popups
    for popup in popups:
        assert "<table" not in popup and "Kilde" not in popup  # the record panel beside the map has the record
        assert "<img" not in popup and "<script" not in popup
    assert not any("Fokus som bare panelet viser" in p for p in popups)
    assert any("&lt;img src=x" in p for p in popups)


def test_register_quotes_are_formatted_with_their_unit():
    assert fmt_quote("213000000.0 kg", "nb") == "213\u00a0000\u00a0000\u00a0kg"
    assert fmt_quote("213000000.0 kg", "en") == "213,000,000\u00a0kg"
    assert fmt_quote("0.022 kg", "nb") == "0,022\u00a0kg"  # 22 grams, not 22 kg
    assert fmt_quote("188766 t CO₂-ekv. (VerifiedEmissions_2013)", "nb").startswith("188\u00a0766\u00a0t CO₂-ekv.")
    words = "«Med årlige utslipp på 200.000 tonn CO₂»"
    assert fmt_quote(words, "nb") == words  # a source's own words stay as they are
    assert fmt_quote(None, "nb") == "" and fmt_quote(float("nan"), "nb") == ""


def test_no_raw_kg_in_the_record_panel_or_the_emissions_popup(portfolio):
    raw = re.compile(r"^\s*\d+\.\d+\s*kg")
    assert portfolio.figures["quote"].astype(str).str.match(raw).any(), "the bundled E-PRTR quotes are raw kg"
    for facility_id in portfolio.figures["facility_id"].unique():
        quotes = figure_rows(portfolio, facility_id, "nb")[t("field_quote", "nb")]
        assert not quotes.astype(str).str.match(raw).any(), facility_id
    row = {"facility": "Elkem Thamshavn", "amount_t": 213000.0, "quote": "213000000.0 kg", "source_url": None}
    popup = facility_popup(row, 2017, "fossil", "nb")
    assert "213000000.0" not in popup and "213\u00a0000\u00a0000\u00a0kg" in popup


def test_the_record_panel_opens_with_the_key_figures_scope_and_year(portfolio):
    kpi = key_figures(apply_filters(portfolio, Filters()))
    at = app("dashboard.py")
    at.session_state["selected"] = Selection("sources", ("src-elkem-thamshavn",))
    at.run()
    assert not at.exception
    label = key_figure_label(kpi, "nb")
    headline = f"{label}: {fmt_tonnes(kpi.figure_of('src-elkem-thamshavn'), 'nb')}"
    assert any(m.value.replace("\\", "") == headline for m in at.markdown)
    column = t("field_quote", "nb")
    quotes = next(df.value for df in at.dataframe if column in df.value.columns)[column]
    assert not quotes.astype(str).str.contains(r"\d\.\d kg").any()


def test_the_legend_lists_only_what_the_filtered_map_shows(portfolio):
    colours = cluster_colours(list(portfolio.members["cluster"].unique()))  # stable colours, from the full list
    orkland = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    shown_clusters = set(orkland.members["cluster"])
    hidden_clusters = set(colours) - shown_clusters
    assert shown_clusters and hidden_clusters
    html = legend_html(colours, "nb", content=legend_content(orkland, ALL_LAYERS, area=True))
    assert all(name in html for name in shown_clusters)
    assert not any(name in html for name in hidden_clusters)
    statuses = {s if isinstance(s, str) else None for s in orkland.parks["status"]}
    assert 0 < len(statuses) < len(config.PARK_STATUS_COLOURS)
    for status in config.PARK_STATUS_COLOURS:
        assert (f"</span>{t(f'status_{status}', 'nb')}</div>" in html) == (status in statuses), status
    assert "Valgt kommune" in html
    only_parks = legend_html(colours, "nb", content=legend_content(orkland, {"parks"}))
    assert "Industriparker" in only_parks and "Punktutslipp" not in only_parks and "Klyngemedlemmer" not in only_parks
    assert "Valgt kommune" not in only_parks
    everything = legend_html(colours, "nb")  # without content (exports): every item, as before
    assert all(name in everything for name in colours)


def test_labels_name_the_parks_and_the_large_emitters_of_the_layers_shown(portfolio):
    view = apply_filters(portfolio, Filters())
    kpi = key_figures(view)
    labels = {text for _, _, text in key_point_labels(view, ALL_LAYERS, kpi)}
    large = {
        name
        for i, name in zip(view.sources["id"], view.sources["facility"], strict=True)
        if (kpi.figure_of(i) or 0) >= config.LARGE_EMITTER_MIN_T
    }
    small = set(view.sources["facility"]) - large
    assert large and small
    assert set(view.parks["name"]) | large == labels
    only_sources = {text for _, _, text in key_point_labels(view, {"sources"}, kpi)}
    assert only_sources == large


def test_labels_and_the_chosen_area_reach_the_page_as_data_only(portfolio):
    m = base_map()
    labels_group([(63.3, 9.8, HOSTILE)]).add_to(m)
    area_group(("5059", '5001"]);alert(1);//')).add_to(m)
    html = js_unescaped(m.get_root().render())
    assert "</script><script>alert(2)" not in html and "alert(1);//" not in html
    assert "1343433" not in html  # never run as a template
    labels = re.search(r"labels = (\[\[.*?\]\]), made", html)
    assert labels and json.loads(labels.group(1))[0][2] == HOSTILE  # a JSON string, set as the label's text
    assert "text.textContent = label[2]" in html
    chosen = re.search(r"var numbers = (\[.*?\]);", html)
    assert chosen and json.loads(chosen.group(1)) == ["5059"]


def test_every_map_draws_popups_over_its_legend_and_labels_by_zoom():
    html = base_map().get_root().render()
    assert 'getPane("popupPane")' in html and "z-index:1001" in html
    assert f"zoom >= {config.LABEL_MIN_ZOOM}" in html


def test_key_figures_per_facility_sum_to_the_key_figure(portfolio):
    kpi = key_figures(apply_filters(portfolio, Filters()))
    assert len(kpi.by_facility) == kpi.facilities > 0
    assert sum(kpi.by_facility.values()) == pytest.approx(kpi.total_t)


def test_utslipp_tables_show_register_quotes_formatted_and_keep_them_as_printed_in_files(portfolio):
    from analysis.emissions import facility_figures_for_year
    from ui import emissions_tables

    year = facility_figures_for_year(portfolio.figures, portfolio.sources, 2017, "fossil")
    table = emissions_tables.year_table(year, "nb")
    column = t("field_quote", "nb")
    assert table[column].astype(str).str.fullmatch(r"\d+\.\d+ kg").any()  # the file: as the register prints it
    on_screen = emissions_tables.shown(table, "nb")[column]
    assert not on_screen.str.contains(r"\d\.\d+ kg").any()
    assert on_screen.str.fullmatch(r"\d{1,3}(\u00a0\d{3})*\u00a0kg").any()


def test_kart_draws_each_circle_from_the_key_figures_scope_and_year_and_names_it_in_the_legend(portfolio):
    from analysis.kpi import in_key_scope

    view = apply_filters(portfolio, Filters())
    kpi = key_figures(view)
    latest = view.sources.set_index("id")
    drawn = in_key_scope(view, kpi).sources.set_index("id")
    assert list(drawn.index) == list(latest.index)  # the same plants; only their figure changes
    other_scope = latest["figure_scope"].notna() & (latest["figure_scope"] != kpi.scope)
    assert other_scope.any(), "the bundled data has a plant whose latest figure is of another scope"
    for facility_id, row in drawn.iterrows():
        figure = kpi.figure_of(facility_id)
        if figure is None:  # hollow: never another scope's number
            assert pd.isna(row["figure_t"]) and pd.isna(row["figure_scope"]), facility_id
        else:
            assert (row["figure_t"], row["figure_scope"], row["figure_year"]) == (figure, kpi.scope, kpi.year)
    assert drawn["figure_t"].sum() == pytest.approx(kpi.total_t)
    label = key_figure_label(kpi, "nb")
    content = legend_content(in_key_scope(view, kpi), {"sources"}, scope=label)
    html = legend_html({}, "nb", content=content)
    assert f"Sirkelareal ∝ tonn ({label})" in html and f"Hul sirkel: ingen tall i {label}" in html


def test_the_records_figures_name_their_scope_beside_each_number(portfolio):
    """A figure of another scope than the headline's (fossil CO₂ 2013 beside EU ETS 2022) has its scope in view."""
    table = figure_rows(portfolio, "src-elkem-thamshavn", "nb")
    assert t("em_col_free_allocation", "nb") in table.columns  # the ETS's columns, inserted after the scope
    assert list(table.columns[:3]) == [t("field_year", "nb"), t("field_amount_t", "nb"), t("field_scope", "nb")]


def test_a_measure_on_a_plant_alone_shows_no_place_as_a_dash(portfolio):
    from loaders.bundled.measures import load_measures
    from ui.measure_tables import measures_table

    measures = load_measures().copy()
    measures.loc[measures.index[0], "site_id"] = None
    column = measures_table(measures, portfolio, "nb")[t("ms_place", "nb")]
    assert column.iloc[0] == "–" and "None" not in column.astype(str).tolist()
