"""The gate in front of a held-back run's messages (ui/map_first.py): what reaches the browser, what goes out as an
empty element in its place, and that a session without a browser (AppTest) is never held back."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from ui.map_first import _Gate

ROOT = Path(__file__).resolve().parents[1]


def element(path: list[int], fill) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    fill(msg.delta)
    return msg


def map_element(delta) -> None:
    delta.new_element.component_instance.component_name = "streamlit_folium.st_folium"
    delta.new_element.component_instance.json_args = '{"height": 560}'


def other_component(delta) -> None:
    delta.new_element.component_instance.component_name = "another_package.widget"


def multiselect(delta) -> None:
    delta.new_element.multiselect.label = "Kommune"


def error(delta) -> None:
    delta.new_element.alert.body = "Lagret lag kunne ikke leses"


def columns(delta) -> None:
    delta.add_block.column.weight = 0.75


def sent(holding: bool, msg: ForwardMsg) -> ForwardMsg:
    out: list[ForwardMsg] = []
    gate = _Gate(out.append)
    gate.holding = holding
    gate(msg)
    assert len(out) == 1  # never dropped in the main area: the browser takes an element only next to those before it
    return out[0]


def test_a_holding_gate_sends_maps_blocks_and_errors_as_they_are():
    for fill in (map_element, error, columns):
        msg = element([0, 4, 0, 0], fill)
        assert sent(True, msg) == msg, fill.__name__


def test_a_holding_gate_sends_every_other_element_as_an_empty_one_in_its_place():
    for fill in (multiselect, other_component):
        out = sent(True, element([0, 18], fill))
        assert out.delta.new_element.WhichOneof("type") == "empty", fill.__name__
        assert list(out.metadata.delta_path) == [0, 18]


def test_what_a_holding_gate_lets_pass_goes_out_as_it_is():
    """A page's style sheet (ui.style.style_sheet) goes out in a held run: it sets the layout the map is drawn in."""
    out: list[ForwardMsg] = []
    gate = _Gate(out.append)
    gate.holding = gate.passing = True
    style = element([0, 2], lambda delta: setattr(delta.new_element.html, "body", "<style>h1 {}</style>"))
    gate(style)
    assert out == [style]


def test_a_holding_gate_sends_only_the_sidebar_s_first_place():
    """The sidebar is drawn whole by the full run; only its first place (the fallback's slot) goes out before."""
    out: list[ForwardMsg] = []
    gate = _Gate(out.append)
    gate.holding = True
    slot = element([1, 0], columns)
    gate(slot)
    for fill in (multiselect, error, columns):
        gate(element([1, 3], fill))
        gate(element([1, 3, 0], fill))
    gate.passing = True  # not even a style sheet: it would stand in a place whose elements before it never came
    gate(element([1, 4], multiselect))
    assert out == [slot]
    gate.holding = False
    later = element([1, 3], multiselect)
    gate(later)
    assert out == [slot, later]


@pytest.mark.parametrize("script", ["dashboard.py", "pages/1_Utslipp.py", "pages/2_Portefolje.py"])
def test_the_fallback_s_slot_is_the_sidebar_s_first_place_on_every_map_page(script):
    """What a held run sends of the sidebar is its first place: the slot must be there, or the fallback's fragment
    would stand where the browser has nothing before it."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=120).run()
    assert not at.exception
    assert at.sidebar.children[0].type == "empty"
    assert len(at.sidebar.children) > 1  # the page draws its sidebar after the slot


def test_an_open_gate_sends_everything_as_it_is():
    msg = element([1, 18], multiselect)
    assert sent(False, msg) == msg


def test_messages_that_are_not_deltas_pass_a_holding_gate():
    msg = ForwardMsg()
    msg.page_info_changed.query_string = "lang=en"
    assert sent(True, msg) == msg


def test_a_session_without_a_browser_is_never_held_back():
    """AppTest has no request headers and no map that could report: the first run is the whole page."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    assert len(at.sidebar.multiselect) >= 5
    assert len(at.metric) == 4


def test_a_held_run_that_draws_no_map_runs_again_sending_everything():
    """No map will report, so the page must not wait for one (nor for the fallback's timer)."""
    at = AppTest.from_file(str(ROOT / "tests" / "apps" / "held_without_map.py"), default_timeout=60).run()
    assert not at.exception
    assert at.session_state["runs"] == 2
    assert [text.value for text in at.text] == ["run 2, held by the page: False"]
    assert "_ik_map_first_whole_next" not in at.session_state  # the second run took the flag: later runs may hold
