"""A legend drawn inside the map (so it is in every screenshot), built from escaped text."""

from __future__ import annotations

import json

from branca.element import MacroElement
from jinja2 import Template

import config
from i18n import DEFAULT_LANGUAGE, t
from maps.popups import esc


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
                toggle.style.cssText = "float:right;margin:2px 2px 0 6px;border:1px solid #999;background:#fff;" +
                    "border-radius:3px;width:22px;height:22px;line-height:18px;cursor:pointer;padding:0";
                div.appendChild(body);
                function set(open) {
                    body.style.display = open ? "" : "none";
                    toggle.textContent = open ? "\u2212" : "+";
                    toggle.title = open ? {{ this.hide_json }} : {{ this.show_json }};
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
        self.html_json = _script_json(html)
        self.hide_json = _script_json(t("legend_hide", lang))
        self.show_json = _script_json(t("legend_show", lang))


def _script_json(text: str) -> str:
    return json.dumps(text).replace("</", "<\\/")  # never close the <script>


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


def legend_html(cluster_colours: dict[str, str], lang: str, stored: list[tuple[str, str]] = ()) -> str:
    """The legend; `stored` adds (title, colour) for each uploaded layer on the map."""

    def dot(colour: str, label: str, hollow: bool = False, dashed: bool = False) -> str:
        fill = "transparent" if hollow else colour
        border = "dashed" if dashed else "solid"
        return (
            f'<div><span style="display:inline-block;width:11px;height:11px;border-radius:50%;'
            f'background:{fill};border:2px {border} {colour};margin-right:6px"></span>{esc(label)}</div>'
        )

    parts = [
        f'<div style="font-weight:600;margin-bottom:2px">{esc(t("legend", lang))}</div>',
        f"<div><i>{esc(t('layer_parks', lang))}</i></div>",
        *[dot(c, t(f"status_{s}", lang)) for s, c in config.PARK_STATUS_COLOURS.items()],
        f"<div><i>{esc(t('layer_sources', lang))}</i></div>",
        dot(config.SOURCE_COLOUR, t("legend_circle", lang)),
        dot(config.SOURCE_COLOUR, t("legend_hollow", lang), hollow=True),
        f"<div><i>{esc(t('layer_members', lang))}</i></div>",
        *[dot(c, name) for name, c in cluster_colours.items()],
        dot(config.MIXED_CLUSTER_COLOUR, "2+ " + t("cluster", lang).lower()),
        dot("#555555", t("legend_dashed", lang), hollow=True, dashed=True),
    ]
    if stored:
        parts.append(f"<div><i>{esc(t('legend_uploaded', lang))}</i></div>")
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
