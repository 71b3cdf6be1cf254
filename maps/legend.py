"""A legend drawn inside the map (so it is in every screenshot), built from escaped text."""

from __future__ import annotations

from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

import config
from analysis.filters import View
from i18n import DEFAULT_LANGUAGE, t
from maps.popups import esc, script_json
from maps.styles import approximate, members_by_point


class Legend(MacroElement):
    """The legend box, collapsible by its button, never more than half the map's width and half its height
    (so at most a quarter of the map), scrolling inside when it has more.

    Added to a map, it stays there. Added to a feature group, it is on the map exactly while the group is:
    then its text (language, cluster names, uploaded layers) travels with the groups that streamlit-folium
    swaps in place, and the map itself, whose script is its key, is not rebuilt when that text changes.
    Whether the reader closed it is kept on the map, so a redrawn legend stays as it was left.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var owner = {{ this._parent.get_name() }};
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function(map) {
                var div = L.DomUtil.create("div", "ik-legend");
                div.innerHTML = {{ this.html_json }};
                var body = L.DomUtil.create("div", "ik-legend-body");
                while (div.firstChild) body.appendChild(div.firstChild);
                var toggle = L.DomUtil.create("button", "ik-legend-toggle", div);
                toggle.type = "button";
                body.id = "ik-legend-body-" + L.Util.stamp(body);
                // it scrolls when long: keyboard users reach it with Tab, and hear which region it is
                body.tabIndex = 0;
                body.setAttribute("role", "region");
                body.setAttribute("aria-label", {{ this.title_json }});
                toggle.setAttribute("aria-controls", body.id);
                toggle.style.cssText = "float:right;margin:2px 2px 0 6px;border:1px solid #999;background:#fff;" +
                    "border-radius:3px;width:22px;height:22px;line-height:18px;cursor:pointer;padding:0";
                div.appendChild(body);
                function set(open) {
                    body.style.display = open ? "" : "none";
                    toggle.textContent = open ? "\u2212" : "+";
                    toggle.title = open ? {{ this.hide_json }} : {{ this.show_json }};
                    toggle.setAttribute("aria-label", toggle.title);
                    toggle.setAttribute("aria-expanded", open ? "true" : "false");
                }
                function fit() {
                    var size = map.getSize();
                    body.style.maxHeight = Math.max(60, Math.floor(size.y / 2) - 34) + "px";
                    body.style.maxWidth = Math.max(120, Math.floor(size.x / 2) - 40) + "px";
                    body.style.overflow = "auto";
                }
                set(!map.__ikLegendClosed);
                fit();
                map.on("resize", fit);
                legend._fit = fit;
                L.DomEvent.on(toggle, "click", function() {
                    map.__ikLegendClosed = body.style.display !== "none";
                    set(!map.__ikLegendClosed);
                });
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.onRemove = function(map) { map.off("resize", legend._fit); };
            if (owner instanceof L.Map) { legend.addTo(owner); return; }
            var shown = null;
            function show(map) { if (shown !== map) { legend.remove(); legend.addTo(map); shown = map; } }
            owner.on("add", function(e) { show(e.target._map); });
            owner.on("remove", function() { legend.remove(); shown = null; });
            if (owner._map) { show(owner._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, lang: str = DEFAULT_LANGUAGE):
        super().__init__()
        self._name = "Legend"
        self.html_json = script_json(html)
        self.title_json = script_json(t("legend", lang))
        self.hide_json = script_json(t("legend_hide", lang))
        self.show_json = script_json(t("legend_show", lang))


class PopupPlacement(MacroElement):
    """A popup opens above its circle, not over it: its tip is moved up by the circle's radius. No user text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on("popupopen", function(e) {
            var source = e.popup._source;
            if (source && typeof source.getRadius === "function") {
                // opened at the click: move the tip to the circle's top edge, so the circle stays in view
                e.popup.options.offset = L.point(0, 7 - source.getRadius() - 2);
                e.popup.setLatLng(source.getLatLng());
            }
        });
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "PopupPlacement"


@dataclass(frozen=True)
class LegendContent:
    """What the overview map shows, so its legend lists that and nothing else."""

    statuses: tuple = ()  # park statuses present (keys of config.PARK_STATUS_COLOURS, None for "not stated")
    figure: bool = False  # a source circle with a figure
    hollow: bool = False  # a source without one
    clusters: tuple[str, ...] = ()  # clusters with a member on the map
    mixed: bool = False  # a point with members of several clusters
    dashed: bool = False  # a feature placed at a municipal centre
    area: bool = False  # the chosen municipality outlined
    labels: bool = False  # names shown from config.LABEL_MIN_ZOOM on
    scope: str = ""  # the one scope and year the circles are drawn from ("EU ETS, CO₂-ekv. 2022"); "" = latest


def legend_content(
    view: View, visible: set[str], area: bool = False, labels: bool = False, scope: str = ""
) -> LegendContent:
    """The legend's items for the features of `view` in the layers switched on (`visible`); `scope` names the scope
    and year the circles are drawn from (analysis.kpi.in_key_scope)."""
    parks = view.parks if "parks" in visible else view.parks.iloc[0:0]
    sources = view.sources if "sources" in visible else view.sources.iloc[0:0]
    points = members_by_point(view.members) if "members" in visible else []
    statuses = {s if isinstance(s, str) else None for s in parks.get("status", [])}
    figures = sources["figure_t"].notna()  # as maps/styles.source_style draws them
    rows = [*parks.to_dict("records"), *sources.to_dict("records"), *(p[0] for p in points)]
    return LegendContent(
        statuses=tuple(s for s in config.PARK_STATUS_COLOURS if s in statuses),
        figure=bool(figures.any()),
        hollow=bool((~figures).any()),
        clusters=tuple(sorted({r["cluster"] for p in points for r in p})),
        mixed=any(len({r["cluster"] for r in p}) > 1 for p in points),
        dashed=any(approximate(r) for r in rows),
        area=area,
        labels=labels and bool(len(parks) or len(sources)),
        scope=scope,
    )


class PopupsOverLegend(MacroElement):
    """Popups are drawn over the legend (and the other controls): Leaflet keeps its popups inside the map's moving
    pane, which lies under every control, so the popup pane is moved into a layer of its own above them that
    follows the map pane's position (and its zoom animation). No user text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var mapPane = map.getPane("mapPane"), popups = map.getPane("popupPane");
            var layer = L.DomUtil.create("div", "ik-popup-layer", map.getContainer());
            layer.style.cssText = "position:absolute;left:0;top:0;z-index:1001";
            layer.appendChild(popups);
            function follow() {
                layer.style.transform = mapPane.style.transform;
                layer.style.left = mapPane.style.left;
                layer.style.top = mapPane.style.top;
                layer.classList.toggle("leaflet-zoom-anim", mapPane.classList.contains("leaflet-zoom-anim"));
            }
            new MutationObserver(follow).observe(mapPane, {attributes: true, attributeFilter: ["style", "class"]});
            follow();
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "PopupsOverLegend"


def legend_html(
    cluster_colours: dict[str, str],
    lang: str,
    stored: list[tuple[str, str]] = (),
    content: LegendContent | None = None,
) -> str:
    """The legend; `stored` adds (title, colour) for each uploaded layer on the map. With `content`, only the
    items on the map (a layer with nothing shown has no heading); without it every item."""

    def dot(colour: str, label: str, hollow: bool = False, dashed: bool = False, square: bool = False) -> str:
        fill = "transparent" if hollow else colour
        border = "dashed" if dashed else "solid"
        radius = "2px" if square else "50%"
        return (
            f'<div><span style="display:inline-block;width:11px;height:11px;border-radius:{radius};'
            f'background:{fill};border:2px {border} {colour};margin-right:6px"></span>{esc(label)}</div>'
        )

    def heading(key: str) -> str:
        return f"<div><i>{esc(t(key, lang))}</i></div>"

    if content is None:
        content = LegendContent(
            statuses=tuple(config.PARK_STATUS_COLOURS),
            figure=True,
            hollow=True,
            clusters=tuple(cluster_colours),
            mixed=True,
            dashed=True,
        )
    parks = [dot(config.PARK_STATUS_COLOURS[s], t(f"status_{s}", lang)) for s in content.statuses]
    circle, hollow = ("legend_circle_in", "legend_hollow_in") if content.scope else ("legend_circle", "legend_hollow")
    sources = [dot(config.SOURCE_COLOUR, t(circle, lang, scope=content.scope))] if content.figure else []
    sources += [dot(config.SOURCE_COLOUR, t(hollow, lang, scope=content.scope), hollow=True)] if content.hollow else []
    members = [dot(cluster_colours.get(c, config.MIXED_CLUSTER_COLOUR), c) for c in content.clusters]
    members += [dot(config.MIXED_CLUSTER_COLOUR, "2+ " + t("cluster", lang).lower())] if content.mixed else []
    parts = [f'<div style="font-weight:600;margin-bottom:2px">{esc(t("legend", lang))}</div>']
    for key, items in (("layer_parks", parks), ("layer_sources", sources), ("layer_members", members)):
        parts += [heading(key), *items] if items else []
    if content.dashed:
        parts.append(dot("#555555", t("legend_dashed", lang), hollow=True, dashed=True))
    if content.area:
        parts.append(dot(config.CHOSEN_AREA_COLOUR, t("legend_chosen_area", lang), hollow=True, square=True))
    if content.labels:
        parts.append(f"<div>{esc(t('legend_labels', lang, zoom=config.LABEL_MIN_ZOOM))}</div>")
    if stored:
        parts.append(heading("legend_uploaded"))
        parts += [dot(colour, title) for title, colour in stored]
    return legend_box("".join(parts))


LEGEND_STYLE = (
    "background:rgba(255,255,255,0.92);padding:6px 9px;border-radius:4px;font:12px/1.45 sans-serif;"
    "box-shadow:0 1px 4px rgba(0,0,0,0.3)"
)


def legend_box(inner_html: str, max_width: int = 260) -> str:
    """The white box every map legend sits in; `inner_html` must already be built from escaped text."""
    return f'<div style="{LEGEND_STYLE};max-width:{max_width}px">{inner_html}</div>'


class NorthArrow(MacroElement):
    """A north arrow in the top right corner (web maps here are always north up)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var arrow = L.control({position: "topright"});
            arrow.onAdd = function() {
                var div = L.DomUtil.create("div", "ik-north");
                div.innerHTML = '<svg width="28" height="40" viewBox="0 0 28 40" aria-label="N">' +
                    '<text x="14" y="11" text-anchor="middle" font-weight="700" ' +
                    'font-size="12" font-family="sans-serif">N</text>' +
                    '<path d="M14 14 L22 38 L14 32 L6 38 Z" fill="#222" stroke="#fff" stroke-width="1"/></svg>';
                return div;
            };
            arrow.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "NorthArrow"
