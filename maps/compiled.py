"""Template text compiled once per process: folium and branca compile the same constant text again for every
element they make (a tooltip's or a popup's CSS in `GeoJsonDetail.render`, branca's `Element(template=text)`), 15
to 23 compiles of 0.4 ms each in a map page's run. A compiled jinja Template is not changed by rendering, so one
is shared by every element (and thread) with the same text. Bounded: text that differs per element (a map's
header with its id) cannot grow it without end. `maps/__init__.py` installs it.
"""

from __future__ import annotations

import functools

import branca.element
import folium.features
import folium.template
import jinja2

_CACHED = 512


class _JinjaTemplate(jinja2.Template):
    """branca's Template (plain jinja2), compiled once per text."""

    def __new__(cls, source, *args, **kwargs):
        if args or kwargs or not isinstance(source, str):
            return super().__new__(cls, source, *args, **kwargs)
        return _compiled(cls, source)


class _FoliumTemplate(folium.template.Template):
    """folium's Template (its environment has the `tojavascript` filter), compiled once per text."""

    def __new__(cls, source, *args, **kwargs):
        if args or kwargs or not isinstance(source, str):
            return super().__new__(cls, source, *args, **kwargs)
        return _compiled(cls, source)


@functools.lru_cache(maxsize=_CACHED)
def _compiled(cls: type, source: str) -> jinja2.Template:
    return super(cls, cls).__new__(cls, source)


_PATCHES = ((branca.element, _JinjaTemplate), (folium.features, _FoliumTemplate))


def install() -> None:
    """Where branca and folium compile text while a map is built; idempotent."""
    for module, template in _PATCHES:
        module.Template = template


def installed() -> bool:
    return all(module.Template is template for module, template in _PATCHES)
