"""The Streamlit side: shared sidebar, cached data, map bridge and record panel. Pages call these."""
