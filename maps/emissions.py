"""Maps for the emissions page: facility circles for one year and the municipality choropleth.

Both are built like the overview's layers (one canvas GeoJson per group, style in `properties.style`,
escaped tooltip and popup HTML). Their legends travel *inside* the feature group (`maps.legend.Legend`), so a
new year or scope swaps layer and legend together without remounting the map.
"""

from __future__ import annotations

import warnings

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd

import config
from core.kommunenummer import CURRENT
from core.schema import CLIMATE_SCOPES
from core.values import is_missing
from i18n import fmt_number, fmt_quote, fmt_tonnes, t
from maps.assets import use_local_assets
from maps.build import new_map
from maps.features import feature, geojson_group
from maps.legend import Legend, legend_box
from maps.popups import esc, place_html, rows_table, source_links
from maps.styles import figure_style


def emissions_base_map(static_url: str = "/app/static") -> folium.Map:
    """The part of an emissions map that never changes (so moving the year does not remount it)."""
    m = new_map()
    return use_local_assets(m, static_url)


# --- facility circles --------------------------------------------------------------------------------


def facility_circles_group(year_table: pd.DataFrame, year: int, scope: str, lang: str) -> folium.FeatureGroup:
    """Circles for the facilities that have a position: area ∝ that year's tonnes, hollow without a figure.

    CO₂ circles share one scale on every map; another pollutant's are scaled so the year's largest is as
    large as a CO₂ circle of POLLUTANT_MAX_AS_CO2_T (still area ∝ tonnes within the map).
    """
    features = []
    largest = year_table["amount_t"].max()
    factor = 1.0 if scope in CLIMATE_SCOPES or not largest else config.POLLUTANT_MAX_AS_CO2_T / float(largest)
    for row in year_table[year_table["placed"] & year_table["geometry"].notna()].to_dict("records"):
        has_figure = not is_missing(row["amount_t"])
        style = figure_style(row["amount_t"] * factor if has_figure else None).leaflet()
        tooltip = esc(row["facility"]) + (f" · {esc(fmt_tonnes(row['amount_t'], lang))}" if has_figure else "")
        popup = facility_popup(row, year, scope, lang)
        features.append(feature(row["geometry"], "sources", [row["id"]], tooltip, popup, style))
    features.sort(key=lambda f: -f["properties"]["style"]["radius"])  # small circles on top stay clickable
    group = geojson_group(features, t("layer_sources", lang))
    Legend(facility_legend_html(year, scope, lang), lang).add_to(group)
    return group


def facility_popup(row: dict, year: int, scope: str, lang: str) -> str:
    scope_text = t(f"scope_{scope}", lang)
    if is_missing(row["amount_t"]) and row.get("not_reported"):
        figure = esc(t("em_not_reported", lang, year=year))
    elif is_missing(row["amount_t"]):
        figure = esc(t("em_no_figure_year", lang, year=year, scope=scope_text))
    else:
        figure = f"{esc(fmt_tonnes(row['amount_t'], lang))} {esc(scope_text)}, {esc(year)}"
    return f"<b>{esc(row['facility'])}</b>" + rows_table(
        [
            (t("municipality", lang), esc(row.get("municipality"))),
            (t("sector", lang), esc(row.get("sector"))),
            (t("em_figure", lang), figure),
            (t("field_quote", lang), esc(fmt_quote(row.get("quote"), lang))),  # "213 000 000 kg", not the file's
            (
                t("source", lang),
                source_links(row.get("source_url"), lang) if not is_missing(row.get("source_url")) else "",
            ),
            *([(t("field_licence", lang), esc(row["licence"]))] if not is_missing(row.get("licence")) else []),
        ]
    )


def facility_legend_html(year: int, scope: str, lang: str) -> str:
    colour = config.SOURCE_COLOUR

    def dot(label: str, hollow: bool = False) -> str:
        fill = "transparent" if hollow else colour
        return (
            f'<div><span style="display:inline-block;width:11px;height:11px;border-radius:50%;'
            f'background:{fill};border:2px solid {colour};margin-right:6px"></span>{esc(label)}</div>'
        )

    return legend_box(
        f'<div style="font-weight:600">{esc(t("legend", lang))}</div>'
        f"<div>{esc(t('em_legend_year_scope', lang, year=year, scope=t(f'scope_{scope}', lang)))}</div>"
        + dot(t("em_legend_circle", lang))
        + dot(t("em_legend_hollow", lang, year=year), hollow=True)
    )


# --- choropleth ----------------------------------------------------------------------------------------


def class_bins(values: pd.Series) -> list[float]:
    """Upper bounds of the classes for `values` (NaN ignored): Fisher–Jenks (deterministic, optimal for a
    few dozen municipalities); k = 3 below 10 values, 4 below 20, else 5; each distinct value its own class
    when there are no more of them than k."""
    data = np.asarray(values.dropna(), dtype=float)
    distinct = np.unique(data)
    if distinct.size == 0:
        return []
    k = 3 if data.size < 10 else 4 if data.size < 20 else config.CHOROPLETH_MAX_CLASSES
    if distinct.size <= k:
        return [float(v) for v in distinct]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Numba not installed")  # 38 values: pure Python is quick
        return [float(b) for b in mapclassify.FisherJenks(data, k=k).bins]


def class_of(value: float, bins: list[float]) -> int | None:
    """The class index of `value` (upper bounds inclusive), None for a missing value."""
    if is_missing(value) or not bins:
        return None
    for i, upper in enumerate(bins):
        if value <= upper:
            return i
    return len(bins) - 1


def class_labels(values: pd.Series, bins: list[float], lang: str) -> list[str]:
    """'12 346 – 98 765 t' per class, from the smallest value up; a one-value class shows just that value."""
    if not bins:
        return []
    present = set(values.dropna().astype(float))
    if present <= set(bins):  # one class per distinct value
        return [f"{fmt_number(b, lang)}\u00a0t" for b in bins]
    low = float(values.dropna().min())
    labels = []
    for upper in bins:
        text = fmt_number(upper, lang) if low == upper else f"{fmt_number(low, lang)} – {fmt_number(upper, lang)}"
        labels.append(f"{text}\u00a0t")
        low = upper
    return labels


def choropleth_group(
    boundaries: gpd.GeoDataFrame,
    totals: pd.DataFrame,
    title: str,
    lang: str,
    simplify: float = config.BOUNDARIES_SIMPLIFY_DEG,
) -> folium.FeatureGroup:
    """Municipalities coloured by `totals.amount_t` (joined on kommunenummer), grey where there is no figure."""
    joined = boundaries.merge(totals[["kommunenummer", "amount_t"]], on="kommunenummer", how="left")
    bins = class_bins(joined["amount_t"])
    colours = config.CHOROPLETH_COLOURS.get(len(bins), [])
    geometries = joined.geometry.simplify(simplify, preserve_topology=True) if simplify else joined.geometry
    features = []
    for row, geometry in zip(joined.to_dict("records"), geometries, strict=True):
        index = class_of(row["amount_t"], bins)
        colour = config.CHOROPLETH_NO_DATA if index is None else colours[index]
        figure = t("no_figure", lang) if index is None else fmt_tonnes(row["amount_t"], lang)
        name = place_html(row.get("name") or row["kommunenummer"], CURRENT.get(row["kommunenummer"]))
        label = f"{name} ({esc(row['kommunenummer'])}) · {esc(figure)}"
        style = {"fillColor": colour, "fillOpacity": 0.75, "color": "#555555", "weight": 0.8}
        popup = f"<b>{name}</b> ({esc(row['kommunenummer'])})<br>{esc(title)}: " + esc(figure)
        features.append(feature(geometry, "municipalities", [row["kommunenummer"]], label, popup, style))
    group = geojson_group(features, t("em_municipal_layer", lang))
    labels = class_labels(joined["amount_t"], bins, lang)
    Legend(choropleth_legend_html(title, labels, colours, lang), lang).add_to(group)
    return group


def choropleth_legend_html(title: str, labels: list[str], colours: list[str], lang: str) -> str:
    def swatch(colour: str, label: str) -> str:
        return (
            f'<div><span style="display:inline-block;width:14px;height:11px;background:{colour};'
            f'border:1px solid #555;margin-right:6px"></span>{esc(label)}</div>'
        )

    parts = [swatch(c, label) for c, label in zip(colours, labels, strict=True)]
    parts.append(swatch(config.CHOROPLETH_NO_DATA, t("no_figure", lang)))
    return legend_box(f'<div style="font-weight:600">{esc(title)}</div>' + "".join(parts))
