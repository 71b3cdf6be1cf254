"""The map first: a map page's first run in a browser sends its map and holds the rest back until the map is drawn.

A browser renders every Streamlit element on the same main thread as the map's frame (a same-origin frame shares
the page's process), and a map page's 40–150 elements cost it 0.2–1.3 s before the map may draw (measured with
`benchmarks/bench_page_visit.py`). So on a page's first run in a session (`hold_until_drawn`, from ui.page.PageFrame)
every widget counts as usual (its value from the link, the session or its default), but of the elements the run
writes only the maps, the layout blocks around them (so a map keeps its place), errors and notices reach the
browser; the rest go out as empty elements in their places. The sidebar, a tree of its own whose places no map's
depends on, gets nothing but its first place (the fallback's slot, so the fragment there has its block): its 30-odd
empty elements cost the browser 0.03–0.04 s before the map. The run stops once its map is sent (`sent`), leaving
the server free to serve the map's frame; a page may skip a costly part before its map (`holding`). The map reports
its first view as soon as Leaflet has drawn it; that report reruns the page, which then sends everything.

A held run that ends or stops without its map (nothing to map, a sign-in box) runs again at once, whole
(`finished`). Should the map never report (its frame failed), a timer reruns the page in full after
FALLBACK_SECONDS. A session without a browser (Streamlit's AppTest, which has no request headers) is never held back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.RootContainer_pb2 import RootContainer
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

FALLBACK_SECONDS = 6.0  # well past a cold first visit on a busy machine (about 3 s here)
_GIVE_UP = "_ik_map_first_off"  # set when the fallback had to rerun the page: this session is not held again
_WHOLE_NEXT = "_ik_map_first_whole_next"  # the held run ended without its map: the next run sends everything
_SINCE = "_ik_map_first_since"  # when the page began holding back (the fragment's own first call is no timeout)
_MAP_COMPONENT = "streamlit_folium"
# What may say why a page stopped: never held back in the main area (the sidebar's come with the whole run).
_SENT_ELEMENTS = frozenset({"alert", "exception", "toast"})


class _Gate:
    """In front of a script run's outgoing messages: while `holding`, every element other than a map goes out as an
    empty one in its place (the browser takes an element only next to those before it)."""

    def __init__(self, send):
        self.send = send
        self.holding = False
        self.passing = False  # inside `sent_anyway`
        self.map_key = ""

    def __call__(self, msg) -> None:
        if self.holding and msg.WhichOneof("type") == "delta" and _later_in_sidebar(msg.metadata.delta_path):
            return  # the whole run draws the sidebar afresh from its first place
        if self.holding and not self.passing and msg.WhichOneof("type") == "delta" and _held(msg.delta):
            placeholder = ForwardMsg()
            placeholder.CopyFrom(msg)
            placeholder.delta.new_element.Clear()
            placeholder.delta.new_element.empty.SetInParent()
            msg = placeholder
        self.send(msg)


def _later_in_sidebar(path) -> bool:
    """In the sidebar, past its first place (where `hold_until_drawn` put the fallback's slot)."""
    return len(path) >= 2 and path[0] == RootContainer.SIDEBAR and path[1] > 0


def _held(delta) -> bool:
    if delta.WhichOneof("type") != "new_element":
        return False  # layout blocks, row additions to elements already sent
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "component_instance":
        return not element.component_instance.component_name.startswith(_MAP_COMPONENT)
    return kind not in _SENT_ELEMENTS


def _gate() -> _Gate | None:
    """This session's gate, put in front of Streamlit's message queue once per script-run context."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    gate = ctx.enqueue  # before the message cache: a held element must not go out as a reference to a cached one
    if not isinstance(gate, _Gate):
        gate = ctx.enqueue = _Gate(ctx.enqueue)  # Streamlit has no public hook on what a run sends
    return gate


def release() -> None:
    """This run sends all it writes (every run begins so: ui.page.PageFrame)."""
    if gate := _gate():
        gate.holding = False


def hold_until_drawn(map_key: str) -> bool:
    """On the page's first run in a browser session, before the map under `map_key` (its st_folium key) has
    reported its first view: send only the maps from here on, stop once that map is sent (`sent`), and rerun in
    full after FALLBACK_SECONDS should the map never report. True when this run holds back."""
    # The fallback's place, in every run and first in the sidebar (a held run sends the sidebar's first place only): a
    # fragment is a block, and one that came and went would move what follows it, which the browser then draws anew
    # (an expander opened meanwhile would close).
    slot = st.sidebar.empty()
    state = st.session_state
    whole = state.pop(_WHOLE_NEXT, False)
    if whole or state.get(map_key) is not None or state.get(_GIVE_UP) or not st.context.headers:
        return False
    gate = _gate()
    if gate is None:
        return False
    gate.holding, gate.map_key = True, map_key
    state[_SINCE] = time.monotonic()
    with slot:
        _fallback(map_key)
    return True


@contextmanager
def sent_anyway() -> Iterator[None]:
    """What is written inside goes out even in a held run: the page's style sheets, which set the layout the map is
    drawn in (a slide drawn beside a sidebar that its style hides a moment later would be drawn twice)."""
    gate = _gate()
    if gate is None:
        yield
        return
    before, gate.passing = gate.passing, True
    try:
        yield
    finally:
        gate.passing = before


def holding() -> bool:
    """True in a run that holds back: nothing it draws now reaches the browser but maps, so a page may leave a costly
    part before its map for the full run (in a container of its own, which keeps what follows in its place)."""
    gate = _gate()
    return gate is not None and gate.holding


def finished() -> None:
    """At the end of a page's run: one that held back but drew no map (a page with nothing to map this time) has
    sent next to nothing, and no map will report: run again, sending everything."""
    gate = _gate()
    if gate is not None and gate.holding:
        st.session_state[_WHOLE_NEXT] = True
        st.rerun()


def sent(map_key: str) -> None:
    """After a map is drawn: a run that holds back for this map stops here, so the server's time goes to serving
    the map's frame (the full run that follows draws the rest of the page)."""
    gate = _gate()
    if gate is not None and gate.holding and gate.map_key == map_key:
        st.stop()


@st.fragment(run_every=FALLBACK_SECONDS)
def _fallback(map_key: str) -> None:
    """Rerun the page in full if the map has not reported by now (a later run without this fragment stops it)."""
    state = st.session_state
    late = time.monotonic() - state.get(_SINCE, 0.0) >= FALLBACK_SECONDS / 2
    if late and state.get(map_key) is None and not state.get(_GIVE_UP):
        state[_GIVE_UP] = True
        st.rerun(scope="app")
