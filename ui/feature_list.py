"""The map in words: its accessible name and description, and the features in view as a list to choose from.

The list is the map's text alternative and its keyboard way in: choosing a feature does what a click on it does
(the highlight, the record panel, the link), as the page's selection (`st.session_state["selected"]`).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analysis.filters import Filters
from analysis.in_view import LAYERS, MapFeature
from core.portfolio import Portfolio
from i18n import fmt_tonnes, t, theme_label
from maps.description import MapWords
from ui.map_view import Selection

SEPARATOR = "\x1f"  # between the parts of an option's key: never in a layer name or an id from a file


def map_words(lang: str) -> MapWords:
    return MapWords(t("map_role", lang), t("map_zoom_in", lang), t("map_zoom_out", lang))


def neighbourhoods_described(content, km: str, lang: str) -> str:
    """A portfolio map (analysis.portfolio_view.MapContent) in words: the sites, the radius, what lies inside."""
    places = len({(g.x, g.y) for g in content.members.geometry if g is not None and not g.is_empty})
    counts = [(len(content.parks), "parks"), (len(content.sources), "sources"), (places, "members")]
    shown = [t(f"map_count_{layer}", lang, n=n) for n, layer in counts if n]
    shown += [t("map_count_flows", lang, n=len(content.flows))] if len(content.flows) else []
    sites = ", ".join(str(h.site["name"]) for h in content.hoods)
    inside = t("map_shows", lang, what="; ".join(shown)) if shown else t("map_shows_nothing", lang)
    return t("pf_map_described", lang, sites=sites, km=km) + " " + inside


def map_description(features: list[MapFeature], filters: Filters, portfolio: Portfolio, lang: str) -> str:
    """What the map shows (counts by layer) and the filters in force, in one or two sentences."""
    municipalities = dict(zip(portfolio.municipalities["kommunenummer"], portfolio.municipalities["name"], strict=True))
    counts = {layer: sum(1 for f in features if f.layer == layer) for layer in LAYERS}
    shown = [t(f"map_count_{layer}", lang, n=n) for layer, n in counts.items() if n]
    parts = [t("map_shows", lang, what="; ".join(shown)) if shown else t("map_shows_nothing", lang)]
    in_force = filter_texts(filters, municipalities, lang)
    parts.append(t("map_filters", lang, filters="; ".join(in_force)) if in_force else t("map_no_filters", lang))
    return " ".join(parts)


def filter_texts(filters: Filters, municipalities: dict[str, str], lang: str) -> list[str]:
    """Each filter in force as "Label: value, value"."""
    chosen = [
        ("municipality", [municipalities.get(n, n) for n in filters.kommunenummer]),
        ("status", [t(f"status_{s}", lang) for s in filters.statuses]),
        ("theme", [theme_label(v, lang) for v in filters.themes]),
        ("cluster", list(filters.clusters)),
        ("sector", list(filters.sectors)),
    ]
    texts = [f"{t(label, lang)}: {', '.join(values)}" for label, values in chosen if values]
    return texts + ([t("only_with_figure", lang)] if filters.only_with_figure else [])


def feature_text(feature: MapFeature, lang: str) -> str:
    """One line of the list: the name, then what it is ("Orkanger industripark — industripark, etablert")."""
    if feature.layer == "parks":
        status = feature.detail[0] if feature.detail and feature.detail[0] else None
        return t("in_view_park", lang, name=feature.name, status=t(f"status_{status}", lang))
    if feature.layer == "sources":
        return t("in_view_source", lang, name=feature.name, figure=fmt_tonnes(feature.figure_t, lang))
    return t("in_view_members", lang, names=feature.name, clusters=", ".join(feature.detail), n=len(feature.ids))


def option_key(layer: str, ids: tuple[str, ...]) -> str:
    return SEPARATOR.join((layer, *ids))


def feature_picker(
    features: list[MapFeature], selected: Selection | None, lang: str, key: str, scope: str = ""
) -> None:
    """The features in view as a select box; the chosen one becomes the page's selection.

    `scope`: the scope and year the sources' figures are in, named in the help (analysis.kpi: one scope)."""
    texts = {option_key(f.layer, f.ids): feature_text(f, lang) for f in features}
    help_text = t("in_view_help", lang) + (" " + t("in_view_scope", lang, scope=scope) if scope else "")
    label = t("in_view_label", lang, n=len(features))
    current = option_key(selected.layer, selected.ids) if selected else None
    keyboard_picker(label, texts, current, key, help_text, _select_feature, lang)


def keyboard_picker(
    label: str,
    texts: dict[str, str],
    current: str | None,
    key: str,
    help_text: str,
    choose: Callable[[str], None],
    lang: str,
) -> None:
    """A select box of what a map shows (type to search, arrows to move, Enter to choose): `texts` by option,
    `current` the option the page has selected (also when it came from a click on the map); `choose(option)` runs
    when the user picks one (a callback: before the page, and its map, are drawn again)."""
    st.session_state[key] = current if current in texts else None  # follows a click on the map too
    st.selectbox(
        label,
        list(texts),
        format_func=texts.__getitem__,
        key=key,
        placeholder=t("in_view_placeholder", lang),
        help=help_text,
        on_change=_chosen,
        args=(key, choose),
    )


def _chosen(key: str, choose: Callable[[str], None]) -> None:
    option = st.session_state.get(key)
    if option:
        choose(option)


def _select_feature(option: str) -> None:
    layer, *ids = option.split(SEPARATOR)
    st.session_state["selected"] = Selection(layer, tuple(ids))
