"""The text alternative of a map export: one short paragraph that says what the picture shows, in the request's
language. Built here once, from the data `View` and the `MapRequest`, so the PNG (its text chunk), the PDF (its
Subject), the slide (its picture's description), the HTML map (its description) and the export panel (beside the
download) all carry the same words.

It names the title and subtitle, the area (the municipalities the view is filtered to, else all of Trøndelag),
each drawn layer with how many features it has (the counts of the key figures strip), the uploaded layers, the
emissions sum with its scope and year, the basemap with its attribution, and the date. It is plain text: whoever
puts it into a file escapes it as that file needs (HTML, XML, PDF strings).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd

import config
from analysis.filters import View
from analysis.kpi import key_figures
from core.text import attribution_text
from exports.request import MapRequest
from i18n import fmt_date, fmt_number, fmt_tonnes, key_figure_label, t
from loaders.bundled.boundaries import load_boundaries

MAX_NAME = 200  # a title, subtitle or layer name longer than this is cut with an ellipsis
_LAYER_LABELS = (("parks", "kpi_parks"), ("sources", "kpi_sources"), ("members", "kpi_members"))
_NAME_COLUMNS = ("name", "kommunenavn", "navn")


def map_alt_text(
    view: View, request: MapRequest, *, uploaded: Sequence[str] | None = None, with_sum: bool = True
) -> str:
    """What the map export of `view` as `request` asks for shows, as a few plain sentences in `request.lang`.

    `uploaded`: the uploaded layers' titles, when the request does not carry their frames yet (the export panel
    reads them only when the button is clicked); None: the request's. `with_sum` False leaves out the emissions
    sum (a site slide's table has its own)."""
    lang = request.lang
    kpi = key_figures(view)
    sentences = [t("alt_map", lang, title=_short(request.shown_title) or t("app_title", lang))]
    if request.shown_subtitle.strip():
        sentences.append(_short(request.shown_subtitle))
    names = municipality_names(request)
    area = ", ".join(names) if names else t("alt_area_all", lang)
    sentences.append(t("alt_area", lang, place=area))
    counts = {"parks": kpi.parks, "sources": kpi.sources, "members": kpi.members}
    shown = [
        t("alt_layer_count", lang, layer=t(label, lang), count=fmt_number(counts[name], lang))
        for name, label in _LAYER_LABELS
        if name in request.layers
    ]
    sentences.append(t("alt_layers", lang, layers=", ".join(shown)) if shown else t("alt_no_layers", lang))
    titles = [layer.title for layer in request.extras.uploaded] if uploaded is None else list(uploaded)
    if titles:
        sentences.append(t("alt_uploaded", lang, layers="; ".join(_short(title) for title in titles)))
    if "sources" in request.layers and with_sum:
        if kpi.total_t is None:
            sentences.append(t("alt_no_total", lang))
        else:
            label = key_figure_label(kpi, lang, facilities=True)
            sentences.append(t("alt_total", lang, label=label, amount=fmt_tonnes(kpi.total_t, lang)))
    basemap = config.BASEMAPS[request.basemap]
    if basemap.url is None:
        sentences.append(t("alt_no_basemap", lang))
    else:
        credit = attribution_text(basemap.attribution)
        sentences.append(t("alt_basemap", lang, basemap=t(f"basemap_{request.basemap}", lang), credit=credit))
    sentences.append(t("export_date", lang, date=fmt_date(request.shown_day, lang)))
    return " ".join(_sentence(s) for s in sentences)


def municipality_names(request: MapRequest) -> list[str]:
    """The names of the municipalities the request's view is filtered to, from the bundled boundaries or else the
    request's (a number stands for a municipality no boundary file names)."""
    numbers = list(request.extras.municipalities)
    if not numbers:
        return []
    found: dict[str, str] = {}
    for frame in (_bundled(), request.boundaries):
        if frame is None or "kommunenummer" not in frame.columns:
            continue
        column = next((c for c in _NAME_COLUMNS if c in frame.columns), None)
        if column is None:
            continue
        for number, name in zip(frame["kommunenummer"].astype(str), frame[column], strict=True):
            if number in numbers and number not in found and isinstance(name, str) and name.strip():
                found[number] = name.strip()
    return [found.get(number, number) for number in numbers]


def _bundled() -> gpd.GeoDataFrame | None:
    path = config.BUNDLED_KOMMUNER
    return _read_bundled(str(path), path.stat().st_mtime_ns) if path.exists() else None


@lru_cache(maxsize=2)
def _read_bundled(path: str, mtime_ns: int) -> gpd.GeoDataFrame:
    """The bundled boundaries, read once per version of the file (the panel asks on every rerun)."""
    return load_boundaries(path)


def _short(text: str) -> str:
    """`text` on one line, at most MAX_NAME characters (cut with an ellipsis)."""
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1].rstrip() + "…"


def _sentence(text: str) -> str:
    """`text` ending in a full stop (or its own ?, ! or …)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!", "…")) else text + "."
