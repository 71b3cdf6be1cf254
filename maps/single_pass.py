"""folium elements render once, as text: what a template produced is never compiled as a template again.

branca's `MacroElement.render` (and `Div`, and folium's `Popup` and `Class`) wrap the text an element's
template produced in `Element(text)`, which is `jinja2.Template(text)`, and the figure runs it when it renders.
Every value inside that text (a cluster name, a layer title, a popup, a GeoJSON property) would be Jinja source:
`{{ 7*7 }}` became `49`, and `{{ lipsum.__globals__ … }}` ran code on the server. Here the produced text is
kept in a `RenderedText` element that renders as itself. This module is the one place that rule lives;
`maps/__init__.py` installs it, so any import of `maps` protects every figure in the process.
"""

from __future__ import annotations

import branca.element as branca
import folium.map as folium_map


class RenderedText(branca.Element):
    """Text that is already rendered (or is plain HTML/JS): rendering returns it unchanged, never via Jinja."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RenderedText"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _figure_of(element: branca.Element) -> branca.Figure:
    figure = element.get_root()
    if not isinstance(figure, branca.Figure):
        raise TypeError(f"{type(element).__name__} can only be rendered inside a Figure")
    return figure


def _add_macros(element: branca.Element, figure: branca.Figure, kwargs: dict) -> None:
    """The element's header/html/script macros, each rendered once into the figure's slot of that name."""
    macros = element._template.module.__dict__
    for slot in ("header", "html", "script"):
        macro = macros.get(slot)
        if macro is not None:
            getattr(figure, slot).add_child(RenderedText(macro(element, kwargs)), name=element.get_name())


def _macro_element_render(self: branca.MacroElement, **kwargs) -> None:
    _add_macros(self, _figure_of(self), kwargs)
    for child in self._children.values():
        child.render(**kwargs)


def _div_render(self: branca.Div, **kwargs) -> None:
    figure = self._parent
    if not isinstance(figure, branca.Figure):
        raise TypeError("a Div can only be rendered inside a Figure")
    for child in self._children.values():
        child.render(**kwargs)
    for name, child in self.header._children.items():
        figure.header.add_child(child, name=name)
    for name, child in self.script._children.items():
        figure.script.add_child(child, name=name)
    _add_macros(self, figure, kwargs)


def _popup_render(self: folium_map.Popup, **kwargs) -> None:
    for child in self._children.values():
        child.render(**kwargs)
    _figure_of(self).script.add_child(
        RenderedText(self._template.render(this=self, kwargs=kwargs)), name=self.get_name()
    )


def _class_render(self: folium_map.Class, **kwargs) -> None:
    figure = _figure_of(self)
    if self.includes:
        statement = folium_map.IncludeStatement(self.leaflet_class_name, **self.includes)
        figure.script.add_child(
            RenderedText(statement._template.render(this=statement, kwargs=self.includes)),
            name=self._name + "_includes",
            index=-1,  # before the element itself, once per class
        )
    _macro_element_render(self, **kwargs)


_PATCHES = (
    (branca.MacroElement, _macro_element_render),
    (branca.Div, _div_render),
    (folium_map.Popup, _popup_render),
    (folium_map.Class, _class_render),
)


def install() -> None:
    """Replace the four renders that compile their own output; idempotent."""
    for cls, render in _PATCHES:
        cls.render = render


def installed() -> bool:
    return all(cls.__dict__.get("render") is render for cls, render in _PATCHES)


def require_installed() -> None:
    """Called where figures are rendered whole (the streamlit-folium bridge): refuse rather than template."""
    if not installed():
        raise RuntimeError("maps.single_pass is not installed: rendered text would be compiled as a template")
