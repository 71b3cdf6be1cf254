"""CSV and XLSX downloads of the table behind a chart or map (written by exports.tables, formulas neutralised)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from exports.tables import csv_bytes, xlsx_bytes
from i18n import t


def download_buttons(table: pd.DataFrame, name: str, lang: str) -> None:
    """Two buttons side by side; `name` is the file name stem and part of the widget keys.

    The files are written only when a button is clicked: not on every rerun (a page has up to a dozen), and no
    per-run file a browser could still be fetching when the next run has replaced it.
    """
    left, right = st.columns(2)
    left.download_button(
        t("download_csv", lang),
        lambda: csv_bytes(table),
        file_name=f"industrikart_{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
    )
    right.download_button(
        t("download_xlsx", lang),
        lambda: xlsx_bytes({"data": table}),
        file_name=f"industrikart_{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{name}",
    )
