"""The accessibility statement page: the app's status per WCAG 2.1 criterion (core/accessibility.toml), its known
gaps in plain words, and where to give feedback or complain."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from config import settings
from core.accessibility import MANUAL, NEEDS_GAP, Statement, statement
from i18n import fmt_date, t
from ui.text import escape_markdown

UUTILSYNET_URL = "https://www.uutilsynet.no/"
COMPLAINTS_URL = "https://www.diskrimineringsnemnda.no/"


def status_label(status: str, lang: str) -> str:
    return t(f"a11y_status_{status}", lang)


def check_label(checks: tuple[str, ...], lang: str) -> str:
    """How a criterion is checked: by hand, and/or by the named tests."""
    tests = [check for check in checks if check != MANUAL]
    parts = [t("a11y_check_manual", lang)] if MANUAL in checks else []
    if tests:
        parts.append(t("a11y_check_tests", lang, tests=", ".join(breakable(test) for test in tests)))
    return "; ".join(parts)


def breakable(test_id: str) -> str:
    """A test id that may wrap after `/`, `_` and `::` (a zero-width space, silent to a screen reader): a table
    cell that cannot wrap scrolls sideways, out of reach of the keyboard."""
    for mark in ("/", "_", "::"):
        test_id = test_id.replace(mark, mark + "\u200b")
    return test_id


def criteria_table(data: Statement, lang: str) -> pd.DataFrame:
    """One row per criterion: number, name, level, status, how it is checked, the gap (or why not required)."""
    rows = []
    for c in data.criteria:
        note = c.gaps.get(lang, "")
        if not c.required:
            note = " ".join(filter(None, [t("a11y_not_required", lang), note]))
        rows.append((c.id, c.names[lang], c.level, status_label(c.status, lang), check_label(c.checks, lang), note))
    columns = [
        t("a11y_col_id", lang),
        t("a11y_col_name", lang),
        t("a11y_col_level", lang),
        t("a11y_col_status", lang),
        t("a11y_col_check", lang),
        t("a11y_col_note", lang),
    ]
    return pd.DataFrame(rows, columns=columns)


def statement_page(lang: str) -> None:
    data = statement()
    st.title(t("a11y_title", lang))
    st.markdown(t("a11y_intro", lang))
    st.markdown(
        t(
            "a11y_summary",
            lang,
            required=len(data.required),
            met=data.count("met"),
            partly=data.count("partly"),
            not_met=data.count("not_met"),
            not_applicable=data.count("not_applicable"),
        )
    )
    st.caption(t("a11y_checked", lang, date=fmt_date(data.checked, lang)))

    st.header(t("a11y_gaps_title", lang))
    st.markdown(t("a11y_gaps_intro", lang))
    gaps = [c for c in data.criteria if c.status in NEEDS_GAP]
    st.markdown(
        "\n".join(
            f"- **{c.id} {escape_markdown(c.names[lang])}** ({status_label(c.status, lang)}): "
            f"{escape_markdown(c.gaps[lang])}"
            for c in gaps
        )
    )

    st.header(t("a11y_table_title", lang))
    st.table(criteria_table(data, lang).set_index(t("a11y_col_id", lang)))  # an HTML table a screen reader reads

    st.header(t("a11y_feedback_title", lang))
    contact = settings().accessibility_contact
    st.markdown(t("a11y_feedback", lang, contact=f"[{escape_markdown(contact)}](mailto:{quote(contact, safe='@')})"))
    st.markdown(t("a11y_complaint", lang, complaints=COMPLAINTS_URL, uutilsynet=UUTILSYNET_URL))
    st.markdown(t("a11y_uustatus", lang, uustatus=settings().accessibility_statement_url))
