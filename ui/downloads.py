"""CSV and XLSX downloads of the table behind a chart or map."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from i18n import t


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel opens æøå right."""
    return table.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _plain(table).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def download_buttons(table: pd.DataFrame, name: str, lang: str) -> None:
    """Two buttons side by side; `name` is the file name stem and part of the widget keys."""
    left, right = st.columns(2)
    left.download_button(
        t("download_csv", lang),
        csv_bytes(table),
        file_name=f"industrikart_{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
    )
    right.download_button(
        t("download_xlsx", lang),
        xlsx_bytes(table),
        file_name=f"industrikart_{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{name}",
    )


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """Nullable and string dtypes as plain values openpyxl writes (missing as empty cells)."""
    out = table.copy()
    for column in out.columns:
        if not pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out
