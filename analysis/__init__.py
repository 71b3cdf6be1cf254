"""Filtering, figures, key numbers and search over the portfolio: plain pandas, no Streamlit."""
