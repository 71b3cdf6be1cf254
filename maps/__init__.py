"""Building folium maps from the portfolio: layers, popups, legend and offline assets. No Streamlit here."""
