"""Exports of the current view: map images (PNG, PDF), a standalone HTML map, and the filtered data."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.filters import View
from exports.data import MIME_TYPES, export_data, export_filename
from exports.errors import ExportError
from exports.html import standalone_html
from exports.image import render_map
from exports.slides import MIME as PPTX_MIME
from exports.slides import site_slides, slides_pptx, view_slide
from i18n import t
from loaders import LayerError
from loaders.bundled.boundaries import find_boundaries
from store import StoreError

CHOICES = ("png-1920", "png-a4", "pdf", "pptx", "html", "geojson", "gpkg", "csv", "xlsx")
_DONE = "_export_file"
_PF_DONE = "_portfolio_export_file"


def build_export(
    choice: str,
    view: View,
    *,
    visible: set[str],
    basemap: str,
    colours: dict[str, str],
    lang: str,
    map_view: tuple[float, float, int] | None,
    title: str,
    subtitle: str,
    boundaries=None,
    progress=None,
    day: date | None = None,
) -> tuple[bytes, str, str]:
    """(file bytes, file name, MIME type) for one export of what the user sees."""
    day = day or date.today()
    stem = f"industrikart-trondelag-{day.isoformat()}"
    where = {"center": map_view[:2], "zoom": map_view[2]} if map_view else {}
    if choice in ("png-1920", "png-a4", "pdf"):
        size = "a4-landscape-300dpi" if choice in ("png-a4", "pdf") else "1920x1080"
        fmt = "pdf" if choice == "pdf" else "png"
        data = render_map(
            view,
            size=size,
            fmt=fmt,
            title=title,
            subtitle=subtitle,
            lang=lang,
            visible_layers=visible,
            cluster_colours=colours,
            boundaries=boundaries,
            basemap=basemap,
            progress=progress,
            day=day,
            **where,
        )
        suffix = {"png-1920": "1920x1080.png", "png-a4": "A4-300dpi.png", "pdf": "A4.pdf"}[choice]
        return data, f"{stem}-{suffix}", "application/pdf" if fmt == "pdf" else "image/png"
    if choice == "pptx":
        slide = view_slide(
            view,
            title=title or t("app_title", lang),
            subtitle=subtitle or t("app_subtitle", lang),
            lang=lang,
            visible_layers=visible,
            cluster_colours=colours,
            boundaries=boundaries,
            basemap=basemap,
            progress=progress,
            day=day,
            **where,
        )
        return slides_pptx([slide], lang=lang, day=day), f"{stem}.pptx", PPTX_MIME
    if choice == "html":
        html = standalone_html(
            view,
            visible_layers=visible,
            basemap=basemap,
            cluster_colours=colours,
            lang=lang,
            title=title,
            subtitle=subtitle,
            **where,
        )
        return html.encode("utf-8"), f"{stem}.html", "text/html"
    return export_data(view, choice, lang, day=day), export_filename(choice, day), MIME_TYPES[choice]


def export_panel(view: View, *, visible, basemap, colours, lang: str, title: str, subtitle: str) -> None:
    """Pick an export, make it (with a progress bar), then download it."""
    choice = st.selectbox(
        t("export_what", lang),
        CHOICES,
        format_func=lambda c: t(f"export_{c}", lang),
        key="export_choice",
        placeholder=t("choose_placeholder", lang),
    )
    if st.button(t("export_make", lang), key="export_make"):
        bar = st.progress(0.0, text=t("export_rendering", lang))
        try:
            made = build_export(
                choice,
                view,
                visible=set(visible),
                basemap=basemap,
                colours=colours,
                lang=lang,
                map_view=st.session_state.get("view"),
                title=title,
                subtitle=subtitle,
                boundaries=_boundaries(),
                progress=lambda fraction, message: bar.progress(min(fraction, 1.0), message),
            )
        except ExportError as exc:
            bar.empty()
            st.error(t("export_failed", lang, error=str(exc)))
            return
        bar.empty()
        st.session_state[_DONE] = (choice, *made)
    done = st.session_state.get(_DONE)
    if done and done[0] == choice:
        _, data, name, mime = done
        st.download_button(
            t("export_download", lang, name=name), data, file_name=name, mime=mime, key="export_download"
        )


def portfolio_export(hoods, *, lang: str, subtitle: str, sources: str, visible, basemap, cluster_colours) -> None:
    """The portfolio's export: one slide per compared site, made on request, then downloaded."""
    name = f"industrikart-portefolje-{date.today().isoformat()}.pptx"
    made_for = (tuple(h.site_id for h in hoods), tuple(h.radius_m for h in hoods), lang)
    if st.button(t("pf_export_pptx", lang), key="pf_export_make"):
        bar = st.progress(0.0, text=t("export_rendering", lang))
        try:
            slides = site_slides(
                hoods,
                subtitle=subtitle,
                lang=lang,
                sources=sources,
                visible_layers=set(visible),
                cluster_colours=cluster_colours,
                boundaries=_boundaries(),
                basemap=basemap,
                progress=lambda fraction, message: bar.progress(min(fraction, 1.0), message),
            )
        except ExportError as exc:
            bar.empty()
            st.error(t("export_failed", lang, error=str(exc)))
            return
        bar.empty()
        st.session_state[_PF_DONE] = (made_for, slides_pptx(slides, lang=lang))
    done = st.session_state.get(_PF_DONE)
    if done and done[0] == made_for:  # the file is for the sites, radius and language on screen
        st.download_button(
            t("export_download", lang, name=name), done[1], file_name=name, mime=PPTX_MIME, key="pf_export_download"
        )


def _boundaries():
    """Municipal boundaries for the vector background when tiles cannot be fetched (None if there are none)."""
    try:
        found = find_boundaries()
    except (LayerError, StoreError, OSError):
        return None
    return found.frame if found else None
