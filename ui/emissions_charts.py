"""Altair charts for the emissions page (Vega ships with Streamlit, so they draw offline). No Streamlit here.

Axis titles carry the scope, so a chart never shows tonnes without saying which tonnes.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.emissions import CountyPath
from exports.charts import target_layers
from i18n import t

BAR_COLOUR = "#b2182b"
LINE_COLOUR = "#333333"


def _tonnes_axis(scope: str, lang: str) -> str:
    return t("em_axis_tonnes", lang, scope=t(f"scope_{scope}", lang))


def top_chart(top: pd.DataFrame, scope: str, lang: str) -> alt.Chart:
    """Horizontal bars, largest on top; every bar keeps its own label (namesakes get a number, none is hidden)."""
    data = pd.DataFrame({"facility": _unique_labels(top["facility"]), "amount_t": top["amount_t"]})
    return (
        alt.Chart(data)
        .mark_bar(color=BAR_COLOUR)
        .encode(
            x=alt.X("amount_t:Q", title=_tonnes_axis(scope, lang), axis=alt.Axis(format=",.0f")),
            y=alt.Y(
                "facility:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False, labelPadding=4)
            ),
            tooltip=[
                alt.Tooltip("facility:N", title=t("field_facility", lang)),
                alt.Tooltip("amount_t:Q", title=t("field_amount_t", lang), format=",.1f"),
            ],
        )
        .properties(height=max(120, 34 * len(data)))
    )


def _unique_labels(names: pd.Series) -> list[str]:
    """Facility names as bar labels: two facilities of one name would share one bar and one label."""
    seen: dict[str, int] = {}
    labels = []
    for name in names.astype(str):
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def series_chart(series: pd.DataFrame, scope: str, lang: str) -> alt.Chart:
    """A facility's figures by year; one coloured line per `series` label where the frame has several (the
    registers' scopes side by side, never added)."""
    labels = series["series"] if "series" in series else pd.Series(t(f"scope_{scope}", lang), index=series.index)
    data = pd.DataFrame({"year": series["year"].astype(int), "amount_t": series["amount_t"], "series": labels})
    several = data["series"].nunique() > 1
    colour = (
        alt.Color("series:N", title=t("em_series_label", lang), legend=alt.Legend(orient="bottom", labelLimit=400))
        if several
        else alt.value(BAR_COLOUR)
    )
    axis_title = t("field_amount_t", lang) if several else _tonnes_axis(scope, lang)
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=t("field_year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount_t:Q", title=axis_title, axis=alt.Axis(format=",.0f")),
            color=colour,
            tooltip=[
                alt.Tooltip("series:N", title=t("em_series_label", lang)),
                alt.Tooltip("year:O", title=t("field_year", lang)),
                alt.Tooltip("amount_t:Q", title=t("field_amount_t", lang), format=",.1f"),
            ],
        )
        .properties(height=260)
    )


def path_chart(path: CountyPath, lang: str, changes: pd.DataFrame | None = None) -> alt.LayerChart:
    """Yearly totals (hollow points for years that miss municipalities; none where a point-source path's set is not
    whole), the baseline, the 2030 band, and rules at the years `changes` lists (year, previous, reporting)."""
    # A year without a sum breaks the line: each run of summed years is a segment of its own.
    segment = path.totals["amount_t"].isna().cumsum()
    totals = path.totals.assign(segment=segment)[path.totals["amount_t"].notna()]
    totals = totals.assign(
        year=totals["year"].astype(int),
        status=[t("em_complete" if c else "em_incomplete", lang) for c in totals["complete"]],
    )
    years = totals["year"].tolist() + ([path.target_year] if path.baseline_t is not None else [])
    x = alt.X(
        "year:Q",
        title=t("field_year", lang),
        scale=alt.Scale(domain=[min(years), max(years)]),
        axis=alt.Axis(format="d"),
    )
    y_title = _tonnes_axis(path.scope, lang)
    line = (
        alt.Chart(totals)
        .mark_line(color=LINE_COLOUR)
        .encode(x=x, y=alt.Y("amount_t:Q", title=y_title, axis=alt.Axis(format=",.0f")), detail="segment:N")
    )
    points = (
        alt.Chart(totals)
        .mark_point(color=LINE_COLOUR, size=50)
        .encode(
            x=x,
            y=alt.Y("amount_t:Q", title=y_title, axis=alt.Axis(format=",.0f")),
            shape=alt.Shape("status:N", title=None),
            fill=alt.condition(alt.datum.status == t("em_complete", lang), alt.value(LINE_COLOUR), alt.value("white")),
            tooltip=[
                alt.Tooltip("year:Q", title=t("field_year", lang), format="d"),
                alt.Tooltip("amount_t:Q", title=t("field_amount_t", lang), format=",.0f"),
                alt.Tooltip("covered:Q", title=t("em_col_covered", lang)),
            ],
        )
    )
    # An empty layer would take another layer's data in Vega-Lite: draw the line only when it has two points.
    layers = [line, points] if int(totals["complete"].sum()) >= 2 else [points]
    if changes is not None and not changes.empty:
        marks = pd.DataFrame(
            {
                "year": changes["year"].astype(int),
                "label": [
                    t("em_coverage_label", lang, before=int(b), after=int(a))
                    for b, a in zip(changes["previous"], changes["reporting"], strict=True)
                ],
            }
        )
        layers.append(
            alt.Chart(marks)
            .mark_rule(color="#888888", strokeDash=[2, 3])
            .encode(x="year:Q", tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("label:N", title=" ")])
        )
    if path.baseline_t is not None:
        layers += target_layers(path, lang)
    return alt.layer(*layers).properties(height=320)


def sector_chart(path: CountyPath, lang: str) -> alt.Chart:
    data = path.sector_totals.assign(year=path.sector_totals["year"].astype(int))
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=t("field_year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount_t:Q", title=_tonnes_axis(path.scope, lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color("sector:N", title=t("sector", lang)),
            tooltip=[
                alt.Tooltip("sector:N", title=t("sector", lang)),
                alt.Tooltip("year:O", title=t("field_year", lang)),
                alt.Tooltip("amount_t:Q", title=t("field_amount_t", lang), format=",.0f"),
            ],
        )
        .properties(height=280)
    )
