"""The audit log and the role rules on screen: a layer's own log (Kartlag) and the administration page (the rules
editor, the whole log with filters and its CSV download). Names, subjects, titles and claim values come from people
and providers: they are shown only as text (st.dataframe, st.data_editor, widget options), never as Markdown."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.roles import Role, owner_name
from exports.audit_table import ACTIONS, OUTCOMES, action_label, audit_table, outcome_label
from exports.tables import csv_bytes
from i18n import error_text, t
from loaders.audit_log import OSLO, EntryFilter
from loaders.role_rules import RULE_COLUMNS, RuleRowError, rule_row, rules_of_rows
from store import LayerInfo, StoreError
from store.acting import ActingStore

LAYER_LOG_LIMIT = 200  # the newest lines shown under one layer
_RULES_KEY = "admin_role_rules"


def layer_log(store: ActingStore, info: LayerInfo, lang: str) -> None:
    """The layer's own lines of the audit log, newest first (for those who may change the layer: it names people)."""
    st.markdown(f"**{t('audit_layer_heading', lang)}**")
    entries = store.audit_log(layer_id=info.id, limit=LAYER_LOG_LIMIT)
    if not entries:
        st.caption(t("audit_none", lang))
        return
    st.dataframe(audit_table(entries, lang), hide_index=True, width="stretch", key=f"audit_{info.id}")


# --- the administration page ----------------------------------------------------------------------


def role_rules_editor(store: ActingStore, lang: str) -> None:
    """The rules as an editable table; saved (as a whole, checked row by row) with the administrator's name."""
    st.subheader(t("admin_rules_heading", lang))
    st.markdown(t("admin_rules_help", lang))  # our own text: no claim value in it
    current = pd.DataFrame([rule_row(r, names=True) for r in store.role_rules()], columns=list(RULE_COLUMNS))
    edited = st.data_editor(
        current,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=_RULES_KEY,
        column_config={
            "claim": st.column_config.TextColumn(t("admin_rule_claim", lang), help=t("admin_rule_claim_help", lang)),
            "value": st.column_config.TextColumn(t("admin_rule_value", lang)),
            "role": st.column_config.SelectboxColumn(
                t("admin_rule_role", lang), options=[str(r) for r in Role], format_func=lambda r: role_label(r, lang)
            ),
            "municipalities": st.column_config.TextColumn(
                t("admin_rule_municipalities", lang), help=t("admin_rule_municipalities_help", lang)
            ),
            "provider": st.column_config.TextColumn(
                t("admin_rule_provider", lang), help=t("admin_rule_provider_help", lang)
            ),
        },
    )
    if not st.button(t("admin_rules_save", lang), type="primary"):
        return
    try:
        rules = rules_of_rows(edited.to_dict("records"))
    except RuleRowError as exc:
        st.error(t("admin_rule_row_error", lang, row=exc.row, error=error_text(exc.error, lang)))
        return
    try:
        store.set_role_rules(rules)
    except (StoreError, OSError) as exc:
        st.error(t("store_error", lang, error=error_text(exc, lang)))
        return
    st.session_state.pop(_RULES_KEY, None)  # the editor starts again from the rules as saved
    st.session_state["admin_rules_saved"] = len(rules)
    st.rerun()


def rules_saved_note(lang: str) -> None:
    """After a save (and its rerun): how many rules now hold."""
    saved = st.session_state.pop("admin_rules_saved", None)
    if saved is not None:
        st.success(t("admin_rules_saved", lang, n=saved))


def role_label(role: str, lang: str) -> str:
    return t(f"admin_role_{role}", lang) if role in set(Role) else role


def audit_section(store: ActingStore, lang: str) -> None:
    """The whole audit log, newest first, narrowed by who, action, owner, outcome and dates; what is shown as CSV."""
    st.subheader(t("admin_audit_heading", lang))
    entries = store.audit_log()
    if not entries:
        st.caption(t("audit_none", lang))
        return
    people = {e.subject: e.name for e in reversed(entries)}  # the newest name each subject went by
    owners = sorted({e.owner for e in entries}, key=owner_name)
    left, middle, right = st.columns(3)
    who = _pick(left, "audit_filter_who", list(people), lambda s: f"{people[s]} ({s})", lang)
    actions = _pick(middle, "audit_filter_action", ACTIONS, lambda a: action_label(a, lang), lang)
    owner = _pick(right, "audit_filter_owner", owners, owner_name, lang)
    left, middle, _ = st.columns(3)
    outcomes = _pick(left, "audit_filter_outcome", OUTCOMES, lambda o: outcome_label(o, lang), lang)
    first, last = entries[-1].at.astimezone(OSLO).date(), entries[0].at.astimezone(OSLO).date()
    # no key: when the log reaches a new day, the range starts again from the log's first and last day
    days = middle.date_input(t("audit_filter_dates", lang), value=(first, last), format="DD.MM.YYYY")
    chosen = EntryFilter(
        subjects=frozenset(who),
        actions=frozenset(actions),
        owners=frozenset(owner),
        outcomes=frozenset(outcomes),
        days=_day_range(days),
    )
    shown = [e for e in entries if chosen.keeps(e)]
    st.caption(t("audit_shown", lang, shown=len(shown), total=len(entries)))
    table = audit_table(shown, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="audit_table")
    st.download_button(
        t("audit_download_csv", lang),
        data=csv_bytes(table),
        file_name="industrikart_endringslogg.csv",
        mime="text/csv",
        key="audit_csv",
    )


def _pick(column, label: str, options, format_func, lang: str) -> list:
    """A filter: the options chosen, none meaning all (the widget's key is its label's code)."""
    return column.multiselect(
        t(label, lang), options, format_func=format_func, key=label, placeholder=t("choose_placeholder", lang)
    )


def _day_range(days: object) -> tuple[date, date] | None:
    """The date input's range; while only its first day is picked, that day alone."""
    if isinstance(days, date):
        return days, days
    picked = [d for d in days or () if isinstance(d, date)]
    return (picked[0], picked[-1]) if picked else None
