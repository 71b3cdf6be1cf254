"""Plain-text tables of the filtered records, with translated headings (no Streamlit here)."""

from __future__ import annotations

import pandas as pd

from analysis.filters import View
from i18n import fmt_number, fmt_tonnes, t, theme_label


def _year(value: object, lang: str) -> str:
    return t("year_unknown", lang) if pd.isna(value) else str(int(value))


def parks_table(view: View, lang: str) -> pd.DataFrame:
    parks = view.parks
    return pd.DataFrame(
        {
            t("field_name", lang): parks["name"],
            t("municipality", lang): parks["municipality"],
            t("status", lang): [t(f"status_{s if isinstance(s, str) else None}", lang) for s in parks["status"]],
            t("field_themes", lang): [", ".join(theme_label(v, lang) for v in themes) for themes in parks["themes"]],
            t("field_area", lang): [
                "" if pd.isna(a) else f"{fmt_number(a, lang)} {u or ''}".strip()
                for a, u in zip(parks["area"], parks["area_unit"], strict=True)
            ],
            t("field_location_precision", lang): [t(f"precision_{p}", lang) for p in parks["location_precision"]],
            t("source_year", lang): [_year(y, lang) for y in parks["source_year"]],
            t("field_source_url", lang): parks["source_url"],
        }
    )


def sources_table(view: View, lang: str) -> pd.DataFrame:
    sources = view.sources
    return pd.DataFrame(
        {
            t("field_facility", lang): sources["facility"],
            t("field_operator", lang): sources["operator"],
            t("municipality", lang): sources["municipality"],
            t("sector", lang): sources["sector"],
            t("field_latest", lang): [fmt_tonnes(v, lang) for v in sources["figure_t"]],
            t("field_scope", lang): [
                "" if not isinstance(s, str) else t(f"scope_{s}", lang) for s in sources["figure_scope"]
            ],
            t("field_year", lang): [
                "" if pd.isna(v) else _year(y, lang)
                for v, y in zip(sources["figure_t"], sources["figure_year"], strict=True)
            ],
            t("field_location_precision", lang): [t(f"precision_{p}", lang) for p in sources["location_precision"]],
            t("field_source_url", lang): sources["source_url"],
        }
    )


def members_table(view: View, lang: str) -> pd.DataFrame:
    members = view.members
    return pd.DataFrame(
        {
            t("field_company", lang): members["company"],
            t("cluster", lang): members["cluster"],
            t("field_role", lang): [t(f"role_{r}", lang) for r in members["role"]],
            t("field_relation_as_stated", lang): members["relation_as_stated"],
            t("municipality", lang): members["municipality"],
            t("source_year", lang): [_year(y, lang) for y in members["source_year"]],
            t("field_source_url", lang): members["source_url"],
        }
    )
