"""Building folium maps from the portfolio: layers, popups, legend and offline assets. No Streamlit here."""

from maps import compiled, single_pass

single_pass.install()  # before any figure renders: rendered text is never compiled as a template again
compiled.install()  # constant template text compiled once, not for every element
