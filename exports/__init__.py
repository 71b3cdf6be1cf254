"""Exports of the current map and data: PNG/PDF images, a standalone HTML map and data files. No Streamlit here."""
