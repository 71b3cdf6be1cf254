"""Where the overview map is told to go: the rules of which view wins, kept free of Streamlit.

The map moves only when it is given a new `Command` (streamlit-folium applies a centre or zoom only when it
differs from the one it was last given). Every run hands the same command back until one of these replaces it:

- the first run: the link's `view` wins over the re-run search, the link's selection and its municipalities;
- a new search match (the map goes to it);
- a change of the municipality filter, unless the user has moved the map since the last command;
- the map being drawn afresh (presentation mode on or off, Kart opened again after another page): the command
  becomes what the map showed.

`link_view` is the view a link keeps: the screen's, or centred on the selection where that would not show it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import config
from loaders.bundled.boundaries import bundled_outlines

View = tuple[float, float, int]  # lat, lon, zoom


@dataclass(frozen=True)
class Command:
    """A view the map is told to take (None: the map's own default); `seq` counts the commands given.

    `nudged`: streamlit-folium skips a zoom equal to the last one it got, even when the user zoomed since; a
    command with the previous one's zoom sends a millionth more (Leaflet rounds it away)."""

    center: tuple[float, float] | None = None
    zoom: int | None = None
    seq: int = 0
    nudged: bool = False

    def view(self) -> View:
        """Where the map is once it followed this command."""
        lat, lon = self.center or config.MAP_CENTER
        return float(lat), float(lon), int(self.zoom or config.MAP_ZOOM)

    def zoom_to_send(self) -> float | None:
        """The zoom for st_folium."""
        if self.zoom is None:
            return None
        return self.zoom + 1e-6 if self.nudged else self.zoom


def goto(view: View, previous: Command | None = None) -> Command:
    zoom = int(view[2])
    nudged = previous is not None and previous.zoom_to_send() == zoom
    return Command((view[0], view[1]), zoom, (previous.seq + 1) if previous else 1, nudged)


def default_view() -> View:
    return Command().view()


def first_command(
    link_view: View | None,
    match_view: View | None = None,
    selection_view: View | None = None,
    area_view: View | None = None,
) -> Command:
    """The first run's command: an explicit view in the link wins, then a search match, the link's
    selection, the municipalities filtered on; else the map's default (the county)."""
    for view in (link_view, match_view, selection_view, area_view):
        if view is not None:
            return goto(view)
    return Command()


def user_moved(shown: View | None, command: Command) -> bool:
    """Whether the view the map reports is not where the last command put it (the user panned or zoomed)."""
    if shown is None:
        return False
    lat, lon, zoom = command.view()
    tolerance = config.MAP_FOCUS_TOLERANCE_PX * 360 / (256 * 2**zoom)  # degrees of longitude (latitude: fewer)
    return int(shown[2]) != zoom or abs(shown[0] - lat) > tolerance or abs(shown[1] - lon) > tolerance


def keeps_report(shown: View, command: Command | None) -> bool:
    """Whether a view the map reported is what it shows. A freshly drawn map first reports where folium
    starts it (the county, give or take the pixel its frame's resize shifts it) and only then takes the
    command's view; that first report is not the screen."""
    starts_elsewhere = command is not None and user_moved(command.view(), Command())
    return not (starts_elsewhere and not user_moved(shown, Command()))


def next_command(
    command: Command,
    shown: View | None,
    match_view: View | None = None,
    area_changed: bool = False,
    area_view: View | None = None,
    redrawn: bool = False,
) -> Command:
    """A later run's command.

    `match_view`: a new search match's view; `area_changed`/`area_view`: the municipality filter changed and
    the view that fits the new choice (the county for none; None when there is no outline to fit);
    `redrawn`: the map is drawn afresh this run, so it must be told the view it showed.
    """
    if match_view is not None:
        return goto(match_view, command)
    if area_changed and area_view is not None and not user_moved(shown, command):
        return goto(area_view, command)
    if redrawn and shown is not None:
        return goto(shown, command)
    return command


def fit_view(
    bounds: tuple[float, float, float, float],
    width_px: int = config.MAP_FIT_WIDTH_PX,
    height_px: int = config.MAP_HEIGHT,
) -> View:
    """The centre and the largest whole zoom at which (min lon, min lat, max lon, max lat) fits a map of
    that size in Web Mercator (as Leaflet's fitBounds would, with some padding)."""
    west, south, east, north = bounds
    y = _mercator_y
    dx = max((east - west) / 360.0, 1e-9)
    dy = max(y(south) - y(north), 1e-9)
    usable = 1 - 2 * config.MAP_FIT_PADDING
    zoom = math.floor(min(math.log2(width_px * usable / (256 * dx)), math.log2(height_px * usable / (256 * dy))))
    zoom = max(config.MAP_ZOOM, min(config.MAP_FOCUS_MAX_ZOOM, zoom))
    mid = (y(south) + y(north)) / 2
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * mid))))
    return round(lat, 5), round((west + east) / 2, 5), zoom


def _mercator_y(lat: float) -> float:
    """Web Mercator's y, 0..1 over the world, north up."""
    phi = math.radians(max(min(lat, 85.0), -85.0))
    return (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2


def shows(view: View, point: tuple[float, float], box_px: tuple[int, int] = config.LINK_SELECTION_BOX_PX) -> bool:
    """Whether `point` (lat, lon) lies inside the box of `box_px` (width, height) around the centre of `view`."""
    lat, lon, zoom = view
    world = 256 * 2**zoom  # the world's width in pixels at this zoom
    dx = abs(point[1] - lon) / 360 * world
    dy = abs(_mercator_y(point[0]) - _mercator_y(lat)) * world
    return dx <= box_px[0] / 2 and dy <= box_px[1] / 2


def link_view(shown: View | None, selected_at: tuple[float, float] | None) -> View | None:
    """The view a link keeps: the one on screen, unless the selected feature (at `selected_at`, lat/lon) lies
    outside its middle box; then the same zoom centred on the feature.

    The screen's view is where the user left the map, or where a popup's auto-pan took it when the feature was
    clicked near an edge; either way a link that names a selection opens with that feature well inside the map,
    whatever the recipient's window and whenever the browser reported the pan. `shown` None (the map has not
    reported yet) stays None: a link with a selection and no view opens centred on the selection."""
    if selected_at is None or shown is None or shows(shown, selected_at):
        return shown
    return round(selected_at[0], 5), round(selected_at[1], 5), int(shown[2])


def area_view(kommunenummer: tuple[str, ...], boxes: dict[str, tuple[float, float, float, float]]) -> View | None:
    """The view that fits the chosen municipalities (the county for none); None when none of them has a
    box in `boxes` (kommunenummer -> (min lon, min lat, max lon, max lat))."""
    if not kommunenummer:
        return default_view()
    found = [boxes[number] for number in kommunenummer if number in boxes]
    if not found:
        return None
    west, south = min(b[0] for b in found), min(b[1] for b in found)
    east, north = max(b[2] for b in found), max(b[3] for b in found)
    return fit_view((west, south, east, north))


@lru_cache(maxsize=1)
def bundled_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Each municipality's bounding box from the bundled outlines (empty when the data folder has none)."""
    from shapely.geometry import shape

    outlines = bundled_outlines(config.BUNDLED_KOMMUNER, config.BUNDLED_FYLKE)
    boxes = {}
    for feature in (outlines[0] if outlines else {}).get("features", []):
        number = str((feature.get("properties") or {}).get("kommunenummer") or "")
        if number and feature.get("geometry"):
            boxes[number] = shape(feature["geometry"]).bounds
    return boxes
