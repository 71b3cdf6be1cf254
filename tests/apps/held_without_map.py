"""A bare page for tests/test_map_first.py: its first run holds back as a map page does in a browser (AppTest has
no browser, so the gate is closed by hand), then draws no map, as Portefølje with no site chosen."""

import streamlit as st

from ui import map_first

runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
map_first.release()
held = map_first.hold_until_drawn("generated_map")
if runs == 1:
    map_first._gate().holding = True  # what hold_until_drawn does in a browser session
st.text(f"run {runs}, held by the page: {held}")
map_first.finished()
