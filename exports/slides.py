"""A meeting slide: the current view as a 16:9 PowerPoint file (python-pptx), one slide per compared site.

Everything a presenter may want to change is text on the slide, not pixels: title, subtitle, date, the
legend, the key figures (a small table) and the sources line. Only the map itself is a picture, the map
frame of `exports.image.render_map`'s 1920 × 1080 PNG. Text goes into the file as text runs (python-pptx
escapes it for XML), so a name like "{{ 7*191919 }}" or "<b>" stays exactly as written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import geopandas as gpd
import pandas as pd
from matplotlib.colors import to_hex, to_rgba
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

import config
from analysis.filters import View
from analysis.kpi import key_figures
from analysis.measures import MeasuresPath
from analysis.neighbourhoods import Neighbourhood
from core.progress import Progress
from core.text import attribution_text, xml_text
from exports.alt_text import map_alt_text
from exports.basemap_mosaic import TileFetcher, url_fetcher
from exports.file_info import AUTHOR
from exports.image import legend_entries, map_frame_px, render_map
from exports.overlays import MapExtras
from exports.request import MapRequest
from i18n import DEFAULT_LANGUAGE, fmt_date, fmt_km, fmt_number, fmt_tonnes, key_figure_label, t
from maps.measures import gap_text, group_label

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
IMAGE_SIZE = "1920x1080"

# Layout of a 13.333 × 7.5 in (16:9) slide, in inches: PowerPoint's own "Widescreen" size, 12 192 000 × 6 858 000 EMU.
SLIDE_W, SLIDE_H = 13.333, 7.5
SLIDE_EMU = (12_192_000, 6_858_000)
PRESENTATION_FORMAT = "Widescreen"  # what PowerPoint writes in app.xml for this size (the template says 4:3)
MARGIN = 0.4
SIDE_W = 3.3  # legend and key figures, right of the map
TOP = 1.55  # below title and subtitle
BOTTOM = 0.55  # the sources line
Place = tuple[float, float, float, float]  # left, top, width, height in inches from the slide's top-left corner
OFFICE_LANGUAGES = {"nb": "nb-NO", "en": "en-GB"}  # the deck's and its text runs' language tags
INK = RGBColor(0x11, 0x11, 0x11)
MUTED = RGBColor(0x3C, 0x3C, 0x3C)


@dataclass(frozen=True)
class Slide:
    """What one slide shows: every field except `image` is text on the slide."""

    title: str
    subtitle: str
    image: bytes  # PNG of the map frame
    legend: tuple[tuple[str, str | None, str], ...]  # (kind: heading|group|item, marker colour, text)
    figures: tuple[tuple[str, str], ...]  # (label, value) rows of the key figures table
    sources: str
    figures_header: tuple[str, str] | None = None  # the table's column heads; None: "Nøkkeltall", "Verdi"
    alt_text: str = ""  # the picture's description (exports.alt_text); "": the title and subtitle


def view_slide(
    view: View, request: MapRequest, *, tile_fetcher: TileFetcher | None = None, progress: Progress | None = None
) -> Slide:
    """The map view as a slide: the map picture with the view's legend, key figures and sources; the request's
    uploaded layers and chosen municipalities as exports.image.render_map draws them. Title and subtitle are the
    request's (the app's own when None); its format and size are not used."""
    lang = request.lang
    image, background = _map_image(view, request, tile_fetcher, progress)
    kpi = key_figures(view)
    total_label = key_figure_label(kpi, lang, facilities=True)
    figures = (
        (t("kpi_parks", lang), fmt_number(kpi.parks, lang)),
        (t("kpi_sources", lang), fmt_number(kpi.sources, lang)),
        (t("kpi_members", lang), fmt_number(kpi.members, lang)),
        (total_label, fmt_tonnes(kpi.total_t, lang)),
    )
    return Slide(
        title=request.shown_title,
        subtitle=request.shown_subtitle,
        image=image,
        legend=_legend(view, request),
        figures=figures,
        sources=sources_line(background, request.basemap, request.boundaries is not None, lang),
        alt_text=map_alt_text(view, request),
    )


def site_slides(
    hoods: Sequence[Neighbourhood],
    request: MapRequest,
    *,
    sources: str | None = None,
    tile_fetcher: TileFetcher | None = None,
    progress: Progress | None = None,
) -> list[Slide]:
    """One slide per compared site: the site's neighbourhood on the map and its numbers in the table.

    `request` gives the layers, colours, basemap, boundaries, language and date, and the subtitle each slide's
    starts with; each map shows its neighbourhood's box. `sources` is the page's own sources line (its data
    hosts); the basemap and boundary credits are added. The page's other layers (buffers, flows) are not drawn.
    """
    lang, subtitle = request.lang, request.subtitle or ""
    slides = []
    for i, hood in enumerate(hoods):
        view = _site_view(hood)
        site = replace(request, bounds=hood.buffer.bounds, center=None, zoom=None, extras=MapExtras())
        image, background = _map_image(view, site, tile_fetcher, _step(progress, i, len(hoods)))
        credits = sources_line(background, request.basemap, request.boundaries is not None, lang)
        title = str(hood.site["name"])
        sub = f"{subtitle} · {t('pf_radius', lang)} {fmt_km(hood.radius_m, lang)}"
        slides.append(
            Slide(
                title=title,
                subtitle=sub,
                image=image,
                legend=_legend(view, site),
                figures=_site_figures(hood, lang),
                sources=f"{sources} · {credits}" if sources else credits,
                alt_text=map_alt_text(view, replace(site, title=title, subtitle=sub), with_sum=False),
            )
        )
    return slides


def slides_pptx(
    slides: Sequence[Slide], *, lang: str = DEFAULT_LANGUAGE, day: date | None = None, now: datetime | None = None
) -> bytes:
    """The slides as one .pptx file (16:9, tagged so in presentation.xml and app.xml), made `now` (UTC)."""
    day = day or date.today()
    deck = Presentation()
    _widescreen(deck)
    blank = deck.slide_layouts[6]
    for slide in slides:
        _add_slide(deck.slides.add_slide(blank), slide, lang, day)
    _core_properties(deck, slides, lang, now or datetime.now(UTC))
    _count_slides(deck, len(slides))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _widescreen(deck) -> None:
    """python-pptx's template is a 4:3 deck: set PowerPoint's widescreen size, drop the sldSz "screen4x3" tag
    (a custom size has none), scale the master's and layouts' placeholders across, and name the format in app.xml."""
    old_width = deck.slide_width
    deck.slide_width, deck.slide_height = Emu(SLIDE_EMU[0]), Emu(SLIDE_EMU[1])
    size = deck.part._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}sldSz")
    if size is not None and "type" in size.attrib:
        del size.attrib["type"]
    factor = SLIDE_EMU[0] / old_width
    for holder in (deck.slide_master, *deck.slide_layouts):
        for shape in holder.shapes:
            if shape._element.xpath("./p:spPr/a:xfrm"):  # its own position (others inherit the master's, scaled)
                shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))
    for part in deck.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            xml = part.blob.decode("utf-8")
            for tag, value in (("PresentationFormat", PRESENTATION_FORMAT), ("Application", AUTHOR)):
                xml = re.sub(rf"<{tag}>[^<]*</{tag}>", f"<{tag}>{value}</{tag}>", xml)  # in place: order counts
            part._blob = xml.encode("utf-8")


def _count_slides(deck, count: int) -> None:
    """app.xml's slide count (the template's says 0)."""
    for part in deck.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = re.sub(rb"<Slides>\d+</Slides>", b"<Slides>%d</Slides>" % count, part.blob)


def _core_properties(deck, slides: Sequence[Slide], lang: str, now: datetime) -> None:
    """Made and changed now (the template's own dates are from 2013), by the app, titled after the first slide."""
    props = deck.core_properties
    stamp = now.astimezone(UTC).replace(microsecond=0, tzinfo=None)  # core.xml holds W3CDTF in UTC ("Z")
    props.created = props.modified = stamp
    props.revision = 1
    props.title = xml_text(slides[0].title[:250]) if slides else t("app_title", lang)
    props.subject = xml_text(slides[0].subtitle[:250]) if slides else t("app_subtitle", lang)
    props.author = props.last_modified_by = AUTHOR
    props.keywords = props.comments = ""
    props.category = t("app_title", lang)
    props.language = OFFICE_LANGUAGES[lang]


def sources_line(background: str, basemap: str, has_boundaries: bool, lang: str) -> str:
    """The credits as the image prints them: basemap (or what stood in for it), boundaries, data."""
    parts = []
    if background == "tiles":
        parts.append(t("export_basemap_credit", lang, credit=attribution_text(config.BASEMAPS[basemap].attribution)))
    elif config.BASEMAPS[basemap].url is not None:
        parts.append(t("export_no_tiles_boundaries" if has_boundaries else "export_no_tiles_graticule", lang))
    if has_boundaries:
        parts.append(t("export_boundaries_credit", lang, credit=config.EXPORT_BOUNDARIES_CREDIT))
    parts.append(t("export_data_credit", lang))
    return " · ".join(parts)


# --- building blocks ------------------------------------------------------------------------


def _map_image(view: View, request: MapRequest, tile_fetcher: TileFetcher | None, progress: Progress | None):
    """(PNG of the map frame only, "tiles" if any basemap tile came else "vector"): the request drawn by
    render_map at IMAGE_SIZE without title and subtitle."""
    fetcher = tile_fetcher if tile_fetcher is not None else url_fetcher(request.basemap)
    got = []

    def counting(z: int, x: int, y: int) -> bytes | None:
        tile = fetcher(z, x, y) if fetcher is not None else None
        if tile is not None:
            got.append(1)
        return tile

    picture_request = replace(request, format="png", size=IMAGE_SIZE, title="", subtitle="")
    png = render_map(view, picture_request, tile_fetcher=counting, progress=progress)
    with Image.open(io.BytesIO(png)) as picture:
        frame = picture.convert("RGB").crop(map_frame_px(IMAGE_SIZE))
        out = io.BytesIO()
        frame.save(out, format="PNG")
    return out.getvalue(), "tiles" if got else "vector"


def _legend(view: View, request: MapRequest) -> tuple:
    rows = []
    for kind, style, text in legend_entries(view, request):
        colour = None
        if kind == "item":
            fill = to_rgba(style["fill"])
            colour = to_hex(fill if fill[3] > 0 else style["edge"])
            kind = "dashed" if style.get("dash") else ("hollow" if fill[3] == 0 else "item")
        rows.append((kind, colour, text))
    return tuple(rows)


def _site_view(hood: Neighbourhood) -> View:
    site = gpd.GeoDataFrame([hood.site], geometry="geometry", crs="EPSG:4326")
    # The slide's numbers are the neighbourhood's own (_site_figures); no figures table is needed for the map.
    figures = pd.DataFrame(columns=["facility_id", "basis", "scope", "year", "amount_t"])
    return View(parks=site, sources=hood.sources, members=hood.members, figures=figures)


def _site_figures(hood: Neighbourhood, lang: str) -> tuple[tuple[str, str], ...]:
    rows = [
        (t("pf_row_sources_inside", lang), fmt_number(len(hood.sources), lang)),
        # the scope and year as on Portefølje and Kart
        (
            t("pf_row_emissions_scope", lang, scope=key_figure_label(hood.emissions, lang)),
            fmt_tonnes(hood.emissions.total_t, lang),
        ),
        (t("pf_row_actors_inside", lang), fmt_number(len(hood.actors), lang)),
        (t("pf_row_unplaced", lang), fmt_number(len(hood.unplaced), lang)),
    ]
    nearest = hood.nearest_emitter
    if nearest is not None:
        key = "pf_row_nearest" if nearest.large else "pf_row_nearest_any"
        rows.append((t(key, lang), f"{nearest.facility} ({fmt_km(nearest.distance_m, lang)})"))
    return tuple(rows)


def _step(progress: Progress | None, i: int, n: int) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction, message: progress((i + fraction) / n, message)


def _add_slide(slide, content: Slide, lang: str, day: date) -> None:
    """The shapes in reading order (a screen reader reads them as they are added): title, subtitle, date, the map
    picture with its description, the legend, the key figures and the sources line."""
    width = SLIDE_W - 2 * MARGIN
    title = _textbox(slide, (MARGIN, 0.25, width - 2.6, 0.8), content.title, _title_size(content.title), bold=True)
    title.name = t("slide_shape_title", lang)
    _textbox(slide, (MARGIN, 1.0, width, 0.45), content.subtitle, 16, colour=MUTED)
    _textbox(slide, (SLIDE_W - MARGIN - 2.5, 0.3, 2.5, 0.4), fmt_date(day, lang), 14, colour=MUTED, right=True)

    map_w, map_h = width - SIDE_W - 0.2, SLIDE_H - TOP - BOTTOM - 0.1
    with Image.open(io.BytesIO(content.image)) as picture:
        aspect = picture.width / picture.height
    w, h = (map_w, map_w / aspect) if map_w / aspect <= map_h else (map_h * aspect, map_h)
    picture = slide.shapes.add_picture(io.BytesIO(content.image), Inches(MARGIN), Inches(TOP), Inches(w), Inches(h))
    picture.name = t("slide_shape_map", lang)
    describe(picture, content.alt_text or " – ".join(part for part in (content.title, content.subtitle) if part))

    side_x = SLIDE_W - MARGIN - SIDE_W
    figures_h = 0.34 * (len(content.figures) + 1)
    legend_h = map_h - figures_h - 0.2
    _legend_box(slide, (side_x, TOP, SIDE_W, legend_h), content.legend)
    header = content.figures_header or (t("slide_figures", lang), t("slide_value", lang))
    _figures_table(slide, (side_x, TOP + map_h - figures_h, SIDE_W, figures_h), content.figures, header)
    _textbox(slide, (MARGIN, SLIDE_H - BOTTOM, width, BOTTOM - 0.1), content.sources, 10, colour=MUTED)
    for run in slide._element.xpath(".//a:rPr | .//a:endParaRPr"):  # the text's language, for a screen reader
        run.set("lang", OFFICE_LANGUAGES[lang])


def describe(picture, text: str) -> None:
    """The picture's description: its `descr` (what PowerPoint shows as Alt Text). lxml escapes it for XML."""
    (properties,) = picture._element.xpath("./p:nvPicPr/p:cNvPr")
    properties.set("descr", xml_text(text))


def _textbox(slide, at: Place, text: str, size: float, *, bold=False, colour=INK, right=False):
    box = slide.shapes.add_textbox(*(Inches(v) for v in at))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    frame.text = xml_text(text)
    for paragraph in frame.paragraphs:
        if right:
            paragraph.alignment = PP_ALIGN.RIGHT
        for run in paragraph.runs:
            _font(run.font, size, bold=bold, colour=colour)
    return box


def _title_size(title: str) -> float:
    return 30 if len(title) <= 50 else 24 if len(title) <= 90 else 14


def _font(font, size: float, *, bold=False, italic=False, colour=INK) -> None:
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = colour


def _legend_box(slide, at: Place, legend) -> None:
    h = at[3]
    box = slide.shapes.add_textbox(*(Inches(v) for v in at))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    size = max(7.0, min(12.0, h * 72 / (1.35 * max(len(legend), 1))))
    for i, (kind, colour, text) in enumerate(legend):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if colour is not None:
            marker = paragraph.add_run()
            marker.text = {"hollow": "○ ", "dashed": "◌ "}.get(kind, "● ")
            _font(marker.font, size * 1.2, colour=RGBColor.from_string(colour.lstrip("#").upper()))
        run = paragraph.add_run()
        run.text = xml_text(text)
        _font(run.font, size * (1.2 if kind == "heading" else 1.0), bold=kind == "heading", italic=kind == "group")


def _figures_table(slide, at: Place, figures, header: tuple[str, str]) -> None:
    w = at[2]
    shape = slide.shapes.add_table(len(figures) + 1, 2, *(Inches(v) for v in at))
    table = shape.table
    table.columns[0].width = Emu(int(Inches(w) * 0.62))
    table.columns[1].width = Inches(w) - table.columns[0].width
    for row, (label, value) in enumerate((header, *figures)):
        for col, text in enumerate((label, value)):
            cell = table.cell(row, col)
            cell.text = xml_text(text)
            for paragraph in cell.text_frame.paragraphs:
                if col == 1:
                    paragraph.alignment = PP_ALIGN.RIGHT
                for run in paragraph.runs:
                    _font(run.font, 10, bold=row == 0, colour=INK if row else RGBColor(0xFF, 0xFF, 0xFF))


def measures_slide(result: MeasuresPath, image: bytes, title: str, subtitle: str, sources: str, lang: str) -> Slide:
    """The path with the portfolio's measures as a slide: the chart as a picture (`image`, rendered without its
    title and legend), the groups as the legend and the gap to the band after each group as a table, all text."""
    groups = result.groups
    drawn = [g for g in groups["group"] if int(groups.set_index("group").at[g, "measures"])]
    legend = (
        ("heading", None, t("ms_chart_measures", lang)),
        ("item", "#333333", t("ms_chart_actual", lang)),
        *(("item", config.MEASURE_GROUP_COLOURS[g], group_label(g, lang)) for g in drawn),
    )
    path_gap = result.source.path.gap

    def both(high: float | None, low: float | None) -> str:
        return f"{gap_text(high, lang)} / {gap_text(low, lang)}"

    figures = (
        (t("ms_before_measures", lang), both(result.gap_high_t, None if path_gap is None else path_gap.gap_to_low_t)),
        *(
            (t("ms_after_group", lang, group=group_label(row.group, lang)), both(row.gap_high_t, row.gap_low_t))
            for row in groups.itertuples()
        ),
    )
    header = (t("ms_group", lang), t("ms_gap_both", lang))
    return Slide(title, subtitle, image, legend, figures, sources, header)
