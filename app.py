"""Industrikart as served: `streamlit run app.py`. Streamlit's server for dashboard.py and its pages, with the
upload guard in place from the start, the page document naming the server's address, and a component's hashed files
kept by the browser (ui/serving.py).

`streamlit run dashboard.py` serves the same pages without these (for development)."""

import streamlit as st
from starlette.middleware import Middleware

from ui.serving import LastingComponentFiles, ServerAddress, guarded

app = st.App(
    "dashboard.py", lifespan=guarded, middleware=[Middleware(ServerAddress), Middleware(LastingComponentFiles)]
)
