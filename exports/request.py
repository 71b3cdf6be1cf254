"""What a map export is asked for, in one object: the file's format and size, its texts and language, what the map
shows (layers, colours, basemap, boundaries, the uploaded layers and chosen municipalities) and where it looks.

The PNG/PDF (`exports.image.render_map`), slide (`exports.slides.view_slide`, `site_slides`) and HTML
(`exports.html.standalone_html`) exporters take the data `View` and a `MapRequest`; the request is checked once,
when it is made, so an exporter never starts on options it cannot take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import geopandas as gpd

import config
from exports.options import LAYERS, check_boundaries, check_image_options, check_map_options
from exports.overlays import MapExtras, check_extras
from i18n import DEFAULT_LANGUAGE, t


@dataclass(frozen=True, eq=False)
class MapRequest:
    """One map export. Made with a wrong option it raises `ExportOptionError` (or `ExportDataError` for the
    boundaries or extras), so a request that exists is one every exporter can draw.

    The view box is `bounds` (west, south, east, north in lon/lat, e.g. st_folium's bounds), or `center` (lat, lon,
    as folium takes it) with a Leaflet `zoom`, or else the visible features (the chosen municipalities when
    `extras` names some). `size` is "1920x1080" (PNG's default) or "a4-landscape-300dpi" (3508 x 2480 px; a PDF
    is always one A4 landscape page); the slide's picture and the HTML map have their own sizes.
    """

    format: str = "png"  # exports.options.FORMATS
    size: str | None = None  # None: the format's own (filled in when made)
    title: str | None = None  # None: the app's title
    subtitle: str | None = None  # None: the app's subtitle
    lang: str = DEFAULT_LANGUAGE
    layers: Iterable[str] = LAYERS  # a frozenset once made
    colours: Mapping[str, str] | None = None  # cluster colours; None: maps.styles' colours for the view's clusters
    basemap: str = config.DEFAULT_BASEMAP
    boundaries: gpd.GeoDataFrame | None = None  # None: the bundled outlines (or a graticule) as the background
    day: date | None = None  # the date printed on the map; None: today
    bounds: tuple[float, float, float, float] | None = None
    center: tuple[float, float] | None = None
    zoom: float | None = None
    extras: MapExtras = MapExtras()  # the uploaded layers and the municipalities the view is filtered to

    def __post_init__(self) -> None:
        size = check_image_options(self.format, self.size)
        layers = check_map_options(self.lang, self.layers, self.basemap, self.bounds, self.center, self.zoom)
        check_boundaries(self.boundaries)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "layers", frozenset(layers))
        object.__setattr__(self, "extras", check_extras(self.extras))

    @property
    def shown_title(self) -> str:
        return t("app_title", self.lang) if self.title is None else self.title

    @property
    def shown_subtitle(self) -> str:
        return t("app_subtitle", self.lang) if self.subtitle is None else self.subtitle

    @property
    def shown_day(self) -> date:
        return self.day or date.today()

    @property
    def framed(self) -> bool:
        """Whether the map frames the chosen municipalities: some are chosen and no view box is given."""
        return self.bounds is None and self.center is None and bool(self.extras.municipalities)
