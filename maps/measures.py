"""Measures on the portfolio map (a circle per measure at its site, coloured by kind, sized by its yearly cut), and
how a measure's numbers read in words: its cut, its group, a gap (the tables, the chart and the slide use these).

Hollow where the source gives no tonnes, dashed where the cut is a potential. No Streamlit here.
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd

import config
from core.values import is_missing
from i18n import fmt_number, fmt_tonnes, t
from maps.features import feature, geojson_group
from maps.popups import esc, rows_table, source_links
from maps.styles import FeatureStyle


def measure_radius(cut_t: float | None) -> float:
    """Circle area proportional to the yearly cut; a fixed size where there is no figure."""
    if cut_t is None or is_missing(cut_t):
        return config.MEASURE_NO_FIGURE_RADIUS
    return max(config.MEASURE_MIN_RADIUS, math.sqrt(cut_t / config.MEASURE_T_PER_PX2 / math.pi))


def measure_style(row: dict) -> FeatureStyle:
    colour = config.MEASURE_KIND_COLOURS.get(row.get("kind"), config.MEASURE_KIND_COLOURS["annet"])
    has_figure = not is_missing(row.get("cut_t"))
    return FeatureStyle(
        colour,
        colour,
        0.35 if has_figure else 0.0,
        2.0 if has_figure else 3.0,
        measure_radius(row.get("cut_t")),
        dashed=bool(row.get("potential")),
    )


def cut_text(row: dict, lang: str) -> str:
    """«430 000 t kvotepliktige utslipp …, potensial» or «ingen tall»: the cut as the table and popup say it."""
    if is_missing(row.get("cut_t")):
        return t("no_figure", lang)
    text = f"{fmt_tonnes(row['cut_t'], lang)} {t('scope_' + row['scope'], lang)} {t('ms_per_year', lang)}"
    return text + (f" · {t('ms_potential', lang)}" if row.get("potential") else "")


def measure_popup(row: dict, lang: str) -> str:
    start = row.get("start_year")
    counted_in = row.get("counted_in")
    year = row.get("source_year")
    year_text = t("year_unknown", lang) if is_missing(year) else int(year)
    source = f"{source_links(row.get('source_url'), lang)} ({esc(year_text)})"
    return f"<b>{esc(row['title'])}</b>" + rows_table(
        [
            (t("ms_place", lang), esc(row.get("place_name"))),
            (t("ms_kind", lang), esc(t(f"ms_kind_{row['kind']}", lang))),
            (t("status", lang), esc(t(f"ms_status_{row['status']}", lang))),
            (t("ms_cut", lang), esc(cut_text(row, lang))),
            (t("ms_start", lang), esc(t("ms_start_unknown", lang) if is_missing(start) else int(start))),
            (t("ms_quote", lang), esc(row.get("quote"))),
            (t("ms_counted_in", lang), "" if is_missing(counted_in) else esc(counted_in)),
            (t("field_note", lang), esc(row.get("note"))),
            (t("source", lang), source),
        ]
    )


def measures_group(points: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """One circle per measure (loaders.bundled.measures.measure_points); the largest drawn first, so the smaller
    ones at the same site stay clickable on top."""
    features = [
        feature(
            row["geometry"],
            "measures",
            [row["id"]],
            esc(row["title"]),
            measure_popup(row, lang),
            measure_style(row).leaflet(),
        )
        for row in points.to_dict("records")
    ]
    features.sort(key=lambda f: -f["properties"]["style"]["radius"])
    return geojson_group(features, t("layer_measures", lang))


def measures_legend(lang: str, swatch, dot) -> list[str]:
    """The legend's rows for measures: a colour per kind, then hollow and dashed."""
    kinds = "".join(
        swatch(dot(colour), t(f"ms_kind_{kind}", lang)) for kind, colour in config.MEASURE_KIND_COLOURS.items()
    )
    return [
        f"<div><i>{esc(t('layer_measures', lang))}</i></div>",
        f'<div style="display:grid;grid-template-columns:auto auto;column-gap:8px">{kinds}</div>',
        swatch(dot("#444444", hollow=True), t("ms_legend_no_figure", lang)),
        swatch(dot("#444444", dashed=True), t("ms_legend_potential", lang)),
    ]


def group_label(group: str, lang: str) -> str:
    return t(f"ms_group_{group}", lang)


def gap_text(value: float | None, lang: str) -> str:
    """A gap in tonnes; a negative gap reads as how far below the band the measures would take it."""
    if is_missing(value):
        return t("no_figure", lang)
    if value <= 0:
        return t("ms_below_band", lang, t_=fmt_number(-value, lang, 0))
    return f"{fmt_number(value, lang, 0)}\u00a0t"
