"""Building folium maps from the portfolio: layers, popups, legend and offline assets. No Streamlit here."""

from maps import single_pass

single_pass.install()  # before any figure renders: rendered text is never compiled as a template again
