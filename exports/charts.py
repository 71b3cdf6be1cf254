"""The path to 2030 with the portfolio's measures: one Altair chart for the page, the same chart as PNG and PDF.

The page draws the chart with Streamlit's Vega; meetings get it rendered by vl-convert (offline, no browser), so
what is shown and what is handed out are one definition. Text goes into Vega as data and titles, drawn as text.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

import config
from analysis.emissions import CountyPath
from analysis.measures import GROUPS, MeasuresPath
from exports.file_info import pdf_accessibility, png_described
from i18n import t
from maps.measures import group_label

LINE_COLOUR = "#333333"
HELD_COLOUR = "#888888"
BAND_COLOUR = "#1a9850"
BASELINE_COLOUR = "#2166ac"
# Vega's d3-format locale: 12 346 and 1,5 in Norwegian (no-break space between thousands).
NB_NUMBERS = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]}
CHART_WIDTH, CHART_HEIGHT = 760, 420
FILE_FONT = "DejaVu Sans"  # a PNG/PDF is drawn with this machine's fonts: one sans family throughout


def measures_chart(
    result: MeasuresPath,
    lang: str,
    title: str = "",
    notes: tuple[str, ...] = (),
    legend: bool = True,
    width: int | str = "container",
) -> alt.LayerChart:
    """The like-for-like series up to its newest year, its base level, the 2030 band, and the counted measures as
    wedges (stacked by group, each from its start year) below the newest level held flat. `title` and `notes`
    (subtitle lines: what the chart shows, its sources) for a file; `legend` False where the legend is text beside
    the picture (a slide)."""
    path = result.source.path
    y_title = t("em_axis_tonnes", lang, scope=t(f"scope_{path.scope}", lang))
    totals = path.totals[path.totals["amount_t"].notna()].assign(year=lambda f: f["year"].astype(int))
    totals = totals.assign(segment=path.totals["amount_t"].isna().cumsum())
    years = [*totals["year"].tolist(), path.target_year]
    domain = [min(years) - 0.5, path.target_year + 0.6]
    x = alt.X("year:Q", title=t("field_year", lang), scale=alt.Scale(domain=domain, nice=False))
    x = x.axis(format="d")
    y = alt.Y("amount_t:Q", title=y_title, axis=alt.Axis(format=",.0f"))
    actual_name = t("ms_chart_actual", lang)
    layers = [
        alt.Chart(totals.assign(series=actual_name))
        .mark_line(color=LINE_COLOUR, point=alt.OverlayMarkDef(color=LINE_COLOUR, size=40))
        .encode(
            x=x,
            y=y,
            detail="segment:N",
            tooltip=[
                alt.Tooltip("year:Q", format="d", title=t("field_year", lang)),
                alt.Tooltip("amount_t:Q", format=",.0f", title=y_title),
            ],
        )
    ]
    if path.latest_t is not None and path.latest_year is not None:
        held = pd.DataFrame({"year": [path.latest_year, path.target_year], "amount_t": [path.latest_t] * 2})
        layers.append(alt.Chart(held).mark_line(color=HELD_COLOUR, strokeDash=[4, 4]).encode(x=x, y=y))
        layers.append(_label(held.iloc[[0]], t("ms_chart_held", lang, year=path.latest_year), HELD_COLOUR, x, dy=-8))
    if not result.levels.empty:
        drawn = [g for g in GROUPS if g in set(result.levels["group"])]
        order = [group_label(g, lang) for g in drawn]
        # Each step lasts a year: the target year's step is drawn to the band's right edge, so a measure that
        # only acts from the target year shows too.
        last = result.levels[result.levels["year"] == path.target_year].assign(year=path.target_year + 0.4)
        levels = pd.concat([result.levels, last], ignore_index=True)
        wedges = levels.assign(
            label=[group_label(g, lang) for g in levels["group"]],
            cut_t=levels["upper_t"] - levels["lower_t"],
        )
        colour = alt.Color(
            "label:N",
            title=t("ms_chart_measures", lang),
            scale=alt.Scale(
                domain=order, range=[config.MEASURE_GROUP_COLOURS[g] for g in GROUPS if group_label(g, lang) in order]
            ),
            legend=alt.Legend(orient="bottom", labelLimit=320) if legend else None,
        )
        layers.append(
            alt.Chart(wedges)
            .mark_area(interpolate="step-after", opacity=0.85)
            .encode(
                x=x,
                y=alt.Y("upper_t:Q", title=y_title),
                y2="lower_t:Q",
                color=colour,
                tooltip=[
                    alt.Tooltip("label:N", title=t("ms_group", lang)),
                    alt.Tooltip("year:Q", format="d", title=t("field_year", lang)),
                    alt.Tooltip("cut_t:Q", format=",.0f", title=t("ms_cut", lang)),
                ],
            )
        )
    if path.baseline_t is not None:
        layers += target_layers(path, lang)
        band_label = pd.DataFrame(
            {"year": [path.target_year + 0.4], "amount_t": [path.baseline_t * (1 - path.target_cut_high)]}
        )
        band_text = t("ms_chart_band", lang, year=path.target_year)
        layers.append(_label(band_label, band_text, BAND_COLOUR, x, dy=12, align="right"))
        base_label = pd.DataFrame({"year": [domain[0]], "amount_t": [path.baseline_t]})
        base_text = t("em_chart_baseline", lang, year=path.baseline_year)
        layers.append(_label(base_label, base_text, BASELINE_COLOUR, x, dy=10))
    chart = alt.layer(*layers).properties(width=width, height=CHART_HEIGHT)
    if title:
        heading = alt.TitleParams(title, anchor="start", subtitle=list(notes), subtitleColor="#444444")
        chart = chart.properties(title=heading)
    return chart


def target_layers(path: CountyPath, lang: str) -> list[alt.Chart]:
    """The target band in the target year and the base level as a dashed rule (a path with a base level)."""
    band = pd.DataFrame(
        {
            "year": [path.target_year - 0.4],
            "year2": [path.target_year + 0.4],
            "low": [path.baseline_t * (1 - path.target_cut_high)],
            "high": [path.baseline_t * (1 - path.target_cut_low)],
        }
    )
    baseline = pd.DataFrame(
        {"amount_t": [path.baseline_t], "label": [t("em_chart_baseline", lang, year=path.baseline_year)]}
    )
    return [
        alt.Chart(band)
        .mark_rect(color=BAND_COLOUR, opacity=0.45)
        .encode(
            x="year:Q",
            x2="year2:Q",
            y="low:Q",
            y2="high:Q",
            tooltip=[alt.Tooltip("low:Q", format=",.0f"), alt.Tooltip("high:Q", format=",.0f")],
        ),
        alt.Chart(baseline)
        .mark_rule(color=BASELINE_COLOUR, strokeDash=[6, 4])
        .encode(
            y="amount_t:Q",
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("amount_t:Q", format=",.0f")],
        ),
    ]


def _label(at: pd.DataFrame, text: str, colour: str, x, dy: int, align: str = "left") -> alt.Chart:
    """A line's name written beside it (Vega draws it as text: the chart needs no legend entry for it)."""
    return (
        alt.Chart(at.assign(text=text))
        .mark_text(color=colour, align=align, dx=4 if align == "left" else -4, dy=dy, fontSize=11)
        .encode(x=x, y="amount_t:Q", text="text:N")
    )


def localised(chart, lang: str):
    """The chart with the language's number format (configure at the top level only)."""
    return chart.configure(locale={"number": NB_NUMBERS}) if lang != "en" else chart


def chart_png(
    chart: alt.TopLevelMixin, lang: str, scale: float = 2.0, described: tuple[str, str] | None = None
) -> bytes:
    """The chart as PNG; with `described` (title, text alternative) those in the file as text chunks."""
    import vl_convert  # 9 MB per process: loaded by the first file made, not by every page that imports this

    png = vl_convert.vegalite_to_png(_spec(chart, lang), scale=scale)
    return png if described is None else png_described(png, *described)


def chart_pdf(chart: alt.TopLevelMixin, lang: str, described: tuple[str, str] | None = None) -> bytes:
    """The chart as PDF with its language, and with `described` (title, text alternative) its document information."""
    import vl_convert  # see chart_png

    return pdf_accessibility(vl_convert.vegalite_to_pdf(_spec(chart, lang)), lang, described)


def _spec(chart, lang: str) -> str:
    """A fixed-size spec (a file has no container to fill), with the language's numbers."""
    spec = localised(chart.properties(width=CHART_WIDTH), lang).to_dict()
    spec.setdefault("config", {})["font"] = FILE_FONT
    return json.dumps(spec)
