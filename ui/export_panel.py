"""Exports of the current view: map images (PNG, PDF), a slide, a standalone HTML map, and the filtered data.

One click each: the download button makes its file when clicked (Streamlit's deferred download), so there is no
"make the file" step; the map renders go one at a time in the process, within the client's export budget.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from analysis.filters import View
from exports.alt_text import map_alt_text
from exports.data import MIME_TYPES, export_data, export_filename
from exports.html import standalone_html
from exports.image import render_map
from exports.names import export_file_name
from exports.options import LAYERS, PDF_SIZE
from exports.overlays import MapExtras, UploadedLayer
from exports.request import MapRequest
from exports.slides import MIME as PPTX_MIME
from exports.slides import site_slides, slides_pptx, view_slide
from i18n import t
from loaders import LayerError
from loaders.bundled.boundaries import find_boundaries
from store import StoreError
from ui.access import client_address
from ui.export_cache import LAYER_EXPORTS, client_budget
from ui.map_focus import link_view
from ui.overview import selection_point
from ui.text import escape_markdown

CHOICES = ("png-1920", "png-a4", "pdf", "pptx", "html", "geojson", "gpkg", "csv", "xlsx")
MAP_SUFFIXES = {
    "png-1920": "1920x1080.png",
    "png-a4": "A4-300dpi.png",
    "pdf": "A4.pdf",
    "pptx": ".pptx",
    "html": ".html",
}


# The map choices as a request's format and size (None: the format's own).
MAP_FORMATS = {
    "png-1920": ("png", "1920x1080"),
    "png-a4": ("png", PDF_SIZE),
    "pdf": ("pdf", PDF_SIZE),
    "pptx": ("pptx", None),
    "html": ("html", None),
}


@dataclass(frozen=True)
class ExportSettings:
    """What the user sees, as the panel hands it to an export: layers, basemap and cluster colours, the language,
    title and subtitle, the map's (lat, lon, zoom) and the day the file is made (None: today)."""

    visible: frozenset[str]
    basemap: str
    colours: dict[str, str]
    lang: str
    title: str
    subtitle: str
    map_view: tuple[float, float, float] | None = None
    day: date | None = None


def build_export(
    choice: str,
    view: View,
    settings: ExportSettings,
    *,
    boundaries=None,
    progress=None,
    extras: MapExtras | None = None,
) -> tuple[bytes, str, str]:
    """(file bytes, file name, MIME type) for one export of what the user sees. `extras`: the uploaded layers on
    the web map and the municipalities the view is filtered to (then the map frames those, not `map_view`)."""
    day = settings.day or date.today()
    name = export_name(choice, settings.title, day)
    if choice not in MAP_FORMATS:
        return export_data(view, choice, settings.lang, day=day), export_filename(choice, day), MIME_TYPES[choice]
    request = map_request(choice, replace(settings, day=day), boundaries=boundaries, extras=extras)
    if request.format == "pptx":
        slide = view_slide(view, request, progress=progress)
        return slides_pptx([slide], lang=request.lang, day=day), name, PPTX_MIME
    if request.format == "html":
        return standalone_html(view, request).encode("utf-8"), name, "text/html"
    return render_map(view, request, progress=progress), name, export_mime(choice)


def map_request(
    choice: str, settings: ExportSettings, *, boundaries=None, extras: MapExtras | None = None
) -> MapRequest:
    """The map export `choice` of what the user sees. The view box is the map's, unless the view is filtered to
    municipalities (then the map frames those); an empty title or subtitle on a slide is the app's own."""
    fmt, size = MAP_FORMATS[choice]
    framed = extras is not None and bool(extras.municipalities)
    where = {"center": settings.map_view[:2], "zoom": settings.map_view[2]} if settings.map_view and not framed else {}
    title, subtitle = settings.title, settings.subtitle
    if fmt == "pptx":  # a slide's empty title or subtitle is the app's own
        title, subtitle = title or None, subtitle or None
    return MapRequest(
        format=fmt,
        size=size,
        title=title,
        subtitle=subtitle,
        lang=settings.lang,
        layers=settings.visible,
        colours=settings.colours,
        basemap=settings.basemap,
        boundaries=boundaries,
        day=settings.day,
        extras=extras,
        **where,
    )


def export_name(choice: str, title: str, day: date) -> str:
    """The title as the file name for the map exports (exports.names); the data exports keep theirs."""
    if choice in MAP_SUFFIXES:
        return export_file_name(title, day, MAP_SUFFIXES[choice])
    return export_filename(choice, day)


def export_mime(choice: str) -> str:
    return {"pdf": "application/pdf", "pptx": PPTX_MIME, "html": "text/html"}.get(
        choice, "image/png" if choice.startswith("png") else MIME_TYPES.get(choice, "application/octet-stream")
    )


def export_panel(view: View, settings: ExportSettings, *, uploaded=None, municipalities=(), overlays=()) -> None:
    """Pick an export; one click on the download button makes the file and downloads it.

    `settings`: what the user sees (its map view and day are filled in here); `uploaded`:
    ui.uploaded_layers.UploadedLayers (its layers are read when the button is clicked, so a big layer is not read on
    every rerun); `municipalities`: the numbers the view is filtered to; `overlays`: the map services switched on
    (loaders.official.overlays.Overlay), fetched for the file's extent when the button is clicked.
    """
    lang = settings.lang
    choice = st.selectbox(
        t("export_what", lang),
        CHOICES,
        format_func=lambda c: t(f"export_{c}", lang),
        key="export_choice",
        placeholder=t("choose_placeholder", lang),
    )
    day = date.today()
    name = export_name(choice, settings.title, day)
    readers = list(uploaded.readers) if uploaded is not None else []
    # the view a shared link keeps: a popup's auto-pan never takes the selected feature out of the file
    map_view = link_view(st.session_state.get("view"), selection_point(view, st.session_state.get("selected")))
    settings = replace(settings, visible=frozenset(settings.visible), map_view=map_view, day=day)
    budget = client_budget(client_address())

    def make() -> bytes:  # runs when the button is clicked, outside the script run: no Streamlit calls in here
        extras = MapExtras(
            uploaded=tuple(UploadedLayer(layer_title, read(), style) for layer_title, read, style in readers),
            municipalities=tuple(municipalities),
            overlays=tuple(overlays),
        )
        build = lambda: build_export(choice, view, settings, boundaries=_boundaries(), extras=extras)[0]  # noqa: E731
        return LAYER_EXPORTS.run(build, budget)  # one export at a time in the process, within the budget

    st.download_button(
        t("export_download", lang, name=name),
        make,
        file_name=name,
        mime=export_mime(choice),
        key="export_download",
        help=t("export_one_click_help", lang),
        on_click="ignore",
        disabled=not budget_left(budget, lang),
    )
    if budget.left() > 0:  # a status message (role="status"): a screen reader hears that the download is there
        st.success(t("export_ready", lang, name=escape_markdown(name)), icon=":material/download:")
    if choice in MAP_FORMATS:
        alt = map_alt_text(
            view,
            map_request(choice, settings, extras=MapExtras(municipalities=tuple(municipalities))),
            uploaded=[layer_title for layer_title, _, _ in readers],
        )
        alt_text_field(alt, lang)


def alt_text_field(alt: str, lang: str) -> None:
    """The map's text alternative beside its download, to copy where the picture is used (the file carries it
    too). A text area: labelled, reachable by Tab, its text selectable; what is typed in it changes nothing."""
    st.text_area(t("export_alt_text", lang), alt, height=150, help=t("export_alt_text_help", lang))


def budget_left(budget, lang: str) -> bool:
    """Whether the client may start another export now; says when it may not (a refused download has no page
    of its own to say it on)."""
    if budget.left() > 0:
        return True
    st.caption(t("export_wait", lang, n=budget.limit, seconds=round(budget.window_s)))
    return False


def portfolio_export(hoods, *, lang: str, subtitle: str, sources: str, visible, basemap, cluster_colours) -> None:
    """The portfolio's export: one slide per compared site, made and downloaded with one click."""
    day = date.today()
    name = export_file_name(t("pf_export_file", lang), day, ".pptx")
    budget = client_budget(client_address())

    def build() -> bytes:
        request = MapRequest(
            format="pptx",
            subtitle=subtitle,
            lang=lang,
            layers=set(visible) & set(LAYERS),
            colours=cluster_colours,
            basemap=basemap,
            boundaries=_boundaries(),
            day=day,
        )
        return slides_pptx(site_slides(hoods, request, sources=sources), lang=lang, day=day)

    def make() -> bytes:  # on click, outside the script run
        return LAYER_EXPORTS.run(build, budget)

    st.download_button(
        t("pf_export_pptx", lang),
        make,
        file_name=name,
        mime=PPTX_MIME,
        key="pf_export_download",
        help=t("export_one_click_help", lang),
        on_click="ignore",
        disabled=not budget_left(budget, lang),
    )


def _boundaries():
    """Municipal boundaries for the vector background when tiles cannot be fetched (None if there are none)."""
    try:
        found = find_boundaries()
    except (LayerError, StoreError, OSError):
        return None
    return found.frame if found else None
