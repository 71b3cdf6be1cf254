"""The audit log as the screen (and its CSV download) shows it, in the reader's language: the time in Norwegian time,
who, what (the action and the layer's kind: "Lastet opp · Strømmer"), the outcome in words, the layer, its owner and
what changed. Every cell is plain text or a number; the page shows it with st.dataframe, never as Markdown."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from core.roles import owner_name
from i18n import fmt_time, has, t
from loaders.audit_log import change_text, layer_field
from store.records import AuditEntry

ACTIONS = (
    "upload",
    "new_version",
    "restore_version",
    "show",
    "hide",
    "rename",
    "describe",
    "style",
    "owner",
    "delete",
    "restore",
    "purge",
    "roles",
)
OUTCOMES = ("done", "refused")
# The table's columns (message codes of their headings), in order
COLUMNS = (
    "audit_col_time",
    "audit_col_name",
    "audit_col_subject",
    "audit_col_action",
    "audit_col_outcome",
    "audit_col_layer",
    "audit_col_title",
    "audit_col_owner",
    "audit_col_changes",
)


def action_label(action: str, lang: str) -> str:
    """ "Lastet opp" for "upload"; an action this app does not know (a newer one's log) as its code."""
    return t(f"audit_action_{action}", lang) if action in ACTIONS else action


def outcome_label(outcome: str, lang: str) -> str:
    """In words, with a sign that does not depend on colour: "✓ Utført", "✗ AVVIST"."""
    return t(f"audit_outcome_{outcome}", lang) if outcome in OUTCOMES else outcome


def what_text(entry: AuditEntry, lang: str) -> str:
    """The action, and the layer's kind when the entry is about a layer: "Lastet opp · Strømmer"."""
    kind = layer_field(entry, "kind")
    label = action_label(entry.action, lang)
    if kind and has(f"kind_{kind}"):
        return f"{label} · {t(f'kind_{kind}', lang)}"
    return f"{label} · {kind}" if kind else label


def audit_table(entries: Iterable[AuditEntry], lang: str) -> pd.DataFrame:
    """One row per entry, in the entries' order, headed in `lang`."""
    rows = [
        (
            fmt_time(entry.at),
            entry.name,
            entry.subject,
            what_text(entry, lang),
            outcome_label(entry.outcome, lang),
            entry.layer_id,
            layer_field(entry, "title"),
            owner_name(entry.owner),
            change_text(entry),
        )
        for entry in entries
    ]
    frame = pd.DataFrame(rows, columns=[t(code, lang) for code in COLUMNS])
    layer = t("audit_col_layer", lang)
    frame[layer] = frame[layer].astype("Int64")
    return frame
