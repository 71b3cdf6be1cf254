"""Which view the overview map is told to take (ui/map_focus.py), and the selected feature's highlight."""

from __future__ import annotations

import json
import math

import folium
import pytest
import streamlit as st
from shapely.geometry import MultiPolygon, Point, Polygon

import config
from maps.highlight import CASING_STYLE, HIGHLIGHT_CLASS, InstantHighlight, KeepPopup, highlight_group
from ui.map_focus import (
    Command,
    area_view,
    bundled_boxes,
    first_command,
    fit_view,
    goto,
    keeps_report,
    link_view,
    next_command,
    shows,
    user_moved,
)
from ui.map_view import Selection
from ui.overview import _new_click

LINK = (63.32085, 9.87834, 12)
MATCH = (63.31, 9.86, config.SEARCH_ZOOM)
SELECTION = (63.4, 10.4, config.SEARCH_ZOOM)
AREA = (63.2, 9.7, 9)


def test_the_links_view_wins_over_its_search_selection_and_municipalities():
    assert first_command(LINK, MATCH, SELECTION, AREA).view() == pytest.approx(LINK)
    assert first_command(None, MATCH, SELECTION, AREA).view() == pytest.approx(MATCH)
    assert first_command(None, None, SELECTION, AREA).view() == pytest.approx(SELECTION)
    assert first_command(None, None, None, AREA).view() == pytest.approx(AREA)
    default = first_command(None)
    assert default.center is None and default.zoom is None
    assert default.view() == (*config.MAP_CENTER, config.MAP_ZOOM)


def test_a_new_search_match_moves_the_map_even_after_the_user_moved_it():
    command = goto(LINK)
    assert next_command(command, (60.0, 8.0, 9), match_view=MATCH).view() == pytest.approx(MATCH)


def test_nothing_new_keeps_the_command_so_the_map_does_not_chase_its_own_reports():
    command = goto(MATCH)
    assert next_command(command, (63.0, 10.0, 8)) is command


def test_a_municipality_zooms_the_map_unless_the_user_moved_it_since():
    command = goto(MATCH)
    still = command.view()
    assert next_command(command, still, area_changed=True, area_view=AREA).view() == pytest.approx(AREA)
    assert next_command(command, None, area_changed=True, area_view=AREA).view() == pytest.approx(AREA)
    moved = (still[0] + 0.1, still[1], still[2])
    assert next_command(command, moved, area_changed=True, area_view=AREA) is command
    zoomed = (still[0], still[1], still[2] - 1)
    assert next_command(command, zoomed, area_changed=True, area_view=AREA) is command
    assert next_command(command, still, area_changed=True, area_view=None) is command  # no outline to fit


def test_the_default_view_counts_as_not_moved():
    assert not user_moved((*config.MAP_CENTER, config.MAP_ZOOM), Command())
    assert not user_moved((config.MAP_CENTER[0] + 1e-3, config.MAP_CENTER[1], config.MAP_ZOOM), Command())
    assert user_moved((config.MAP_CENTER[0] + 0.1, config.MAP_CENTER[1], config.MAP_ZOOM), Command())
    assert user_moved((63.0, 10.001, 13), goto((63.0, 10.0, 13)))  # a couple of pixels at z13
    assert user_moved((*config.MAP_CENTER, config.MAP_ZOOM + 2), Command())


def test_a_redrawn_map_is_told_the_view_it_showed():
    shown = (63.5, 10.2, 9)
    command = next_command(Command(), shown, redrawn=True)
    assert command.view() == pytest.approx(shown)
    assert next_command(Command(), None, redrawn=True) == Command()  # nothing reported yet: keep the default


def test_a_command_with_the_last_ones_zoom_sends_a_zoom_streamlit_folium_sees_as_new():
    first = goto(MATCH)
    assert first.zoom_to_send() == config.SEARCH_ZOOM
    second = goto((63.0, 10.0, config.SEARCH_ZOOM), first)
    third = goto(MATCH, second)
    assert second.seq == first.seq + 1
    assert len({first.zoom_to_send(), second.zoom_to_send(), third.zoom_to_send()}) == 2
    assert first.zoom_to_send() != second.zoom_to_send() != third.zoom_to_send()
    assert round(second.zoom_to_send()) == config.SEARCH_ZOOM
    assert goto((63.0, 10.0, 9), first).zoom_to_send() == 9
    assert Command().zoom_to_send() is None


def test_a_redrawn_maps_first_report_of_the_county_is_not_taken_for_the_screen():
    county = (*config.MAP_CENTER, config.MAP_ZOOM)
    assert not keeps_report(county, goto((63.4, 10.4, 9)))  # folium starts it there, the command moves it
    assert not keeps_report((63.85035, 10.99731, 7), goto((63.4, 10.4, 9)))  # shifted by the frame's resize
    assert keeps_report((63.4, 10.4, 9), goto((63.4, 10.4, 9)))
    assert keeps_report(county, Command())  # the default view is the screen when nothing else was asked
    assert keeps_report(county, None)
    assert keeps_report(county, goto(county))  # the county asked for (the municipality filter emptied)


def test_fit_view_fits_a_box_at_the_largest_whole_zoom():
    lat, lon, zoom = fit_view((9.5, 63.0, 10.5, 63.5), width_px=900, height_px=620)
    assert (lat, lon) == pytest.approx((63.25, 10.0), abs=0.01)
    assert zoom == 9  # one degree of longitude is about 2.8 pixels' worth of 256 at z0: 900 px fit z9, not z10
    assert fit_view((10.0, 63.0, 10.0001, 63.0001))[2] == config.MAP_FOCUS_MAX_ZOOM
    assert fit_view((-20.0, 50.0, 40.0, 75.0))[2] == config.MAP_ZOOM


def test_area_view_fits_the_chosen_municipalities_and_the_county_for_none():
    boxes = bundled_boxes()
    assert len(boxes) == 38
    assert area_view((), boxes) == (*config.MAP_CENTER, config.MAP_ZOOM)
    assert area_view(("9999",), boxes) is None
    lat, lon, zoom = area_view(("5059",), boxes)  # Orkland
    west, south, east, north = boxes["5059"]
    assert south < lat < north and west < lon < east
    assert config.MAP_ZOOM < zoom <= config.MAP_FOCUS_MAX_ZOOM
    assert area_view(("5059", "5001"), boxes)[2] <= zoom


def test_the_highlight_is_a_few_non_interactive_paths_from_the_geometry_alone():
    square = Polygon([(10, 63), (10.1, 63), (10.1, 63.1), (10, 63.1)])
    group = highlight_group([Point(10.4, 63.4), MultiPolygon([square, square])])
    paths = [child for child in group._children.values() if not isinstance(child, KeepPopup | InstantHighlight)]
    assert all(p.options["interactive"] is False for p in paths)
    rings = [p for p in paths if p.options["className"] == HIGHLIGHT_CLASS]
    casings = [p for p in paths if p.options["className"] != HIGHLIGHT_CLASS]
    assert [type(p) for p in rings] == [folium.CircleMarker, folium.PolyLine, folium.PolyLine]
    assert rings[0].location == [63.4, 10.4]
    # each ring lies on a dark casing of the same shape, drawn before it (under it)
    assert [type(p) for p in casings] == [type(p) for p in rings]
    assert all(paths.index(c) < paths.index(r) for c, r in zip(casings, rings, strict=True))
    assert {c.options["color"] for c in casings} == {config.HIGHLIGHT_CASING_COLOUR}
    assert all(c.options["weight"] > r.options["weight"] for c, r in zip(casings, rings, strict=True))
    assert [type(c) for c in highlight_group([])._children.values()] == [KeepPopup, InstantHighlight]


def test_the_browser_drawn_highlight_uses_the_servers_style():
    m = folium.Map()
    highlight_group([Point(10.4, 63.4)]).add_to(m)
    html = m.get_root().render()
    start = html.index("})(window.map, ") + len("})(window.map, ")
    style, casing = json.loads("[" + html[start : html.index(");", start)] + "]")
    assert casing == {**CASING_STYLE, "radius": config.HIGHLIGHT_RADIUS_PX}  # the browser's ring has its casing too
    assert style == {
        "color": config.HIGHLIGHT_COLOUR,
        "weight": 4,
        "opacity": 0.95,
        "className": HIGHLIGHT_CLASS,
        "radius": config.HIGHLIGHT_RADIUS_PX,
    }
    children = highlight_group([Point(10.4, 63.4)])._children.values()
    ring = next(c for c in children if isinstance(c, folium.CircleMarker) and c.options["className"] == HIGHLIGHT_CLASS)
    assert {k: ring.options[k] for k in style} == style


def test_a_click_is_selected_as_soon_as_it_is_read_so_a_stopped_run_cannot_lose_it(monkeypatch):
    """The popup's auto-pan reports a new view right after a click: Streamlit stops the run that read the click
    and starts another. The click must then already be the selection, not only marked as seen."""
    monkeypatch.setattr(st, "session_state", {})
    returned = {"last_active_drawing": {"properties": {"layer": "parks", "ids": ["park-fiborgtangen"]}}}
    clicked = _new_click(returned)  # the run is stopped right after this
    assert clicked == Selection("parks", ("park-fiborgtangen",))
    assert st.session_state["selected"] == clicked
    assert _new_click(returned) is None  # the next run: the same click is not new ...
    assert st.session_state["selected"] == clicked  # ... and still selected


def _moved(view, dx_px: float, dy_px: float):
    """`view` with its centre moved by pixels at its zoom (x east, y south), as Leaflet's panBy would."""
    lat, lon, zoom = view
    world = 256 * 2**zoom
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 + dy_px / world
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y)))), lon + dx_px / world * 360, zoom


ELKEM = (63.32585, 9.89443)
WIDTH, HEIGHT = config.LINK_SELECTION_BOX_PX


def test_shows_counts_pixels_at_the_views_zoom_inside_the_box_around_its_centre():
    centred = (*ELKEM, 11)
    assert shows(centred, ELKEM)
    assert shows(_moved(centred, 0, HEIGHT / 2 - 2), ELKEM) and not shows(_moved(centred, 0, HEIGHT / 2 + 2), ELKEM)
    assert shows(_moved(centred, -(WIDTH / 2 - 2), 0), ELKEM) and not shows(_moved(centred, -(WIDTH / 2 + 2), 0), ELKEM)
    assert not shows(_moved(centred, 0, HEIGHT / 2 + 2), ELKEM, (WIDTH, HEIGHT - 10))
    # the same distance in degrees is many more pixels two zooms closer
    assert shows(_moved(centred, 0, HEIGHT / 4), ELKEM) and not shows((*_moved(centred, 0, HEIGHT / 4)[:2], 13), ELKEM)


def test_a_link_keeps_the_screens_view_when_it_shows_the_selection_well_inside():
    near = _moved((*ELKEM, 11), 100, -80)
    assert link_view(near, ELKEM) == near
    assert link_view(near, None) == near  # no selection: the screen's view, whatever it is
    assert link_view(None, None) is None


def test_a_link_centres_on_a_selection_a_popups_auto_pan_moved_towards_the_edge():
    """Elkem's popup panned the map until the plant was 326 px below the centre (63.43° N at zoom
    11); the link names the plant at the zoom the user chose, centred, so it opens with the plant in view."""
    panned = _moved((*ELKEM, 11), 0, -326)
    assert panned[0] == pytest.approx(63.43, abs=0.01)
    assert link_view(panned, ELKEM) == (*ELKEM, 11)
    assert link_view(_moved((*ELKEM, 9), 400, 0), ELKEM) == (*ELKEM, 9)


def test_a_link_without_a_reported_view_has_none_so_it_opens_on_the_selection():
    assert link_view(None, ELKEM) is None
    assert first_command(link_view(None, ELKEM), selection_view=(*ELKEM, config.SEARCH_ZOOM)).view() == pytest.approx(
        (*ELKEM, config.SEARCH_ZOOM)
    )
