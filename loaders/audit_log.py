"""The audit log as rows: what one entry changed, and the log as a plain table for the command line (the screen's
table, in the reader's language, is exports/audit_table.py). Every value is text or a number: names and titles come
from people and are never markup here or anywhere they are shown."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from core.roles import owner_name
from store.records import AuditEntry

OSLO = ZoneInfo("Europe/Oslo")  # the days of the filter are Norwegian days
VALUE_TEXT_LIMIT = 120  # characters of one value in "what changed": a long description is cut, with an ellipsis


def changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(key, before, after) for every key both sides of the entry have, with different values: a rename gives
    [("title", "A", "B")]. An upload (nothing before) or a refusal (nothing after) gives none."""
    before, after = entry.before or {}, entry.after or {}
    return [(key, before[key], after[key]) for key in before if key in after and before[key] != after[key]]


def value_text(value: object) -> str:
    """One value as short, single-line text: a style or the role rules as compact JSON."""
    if value is None:
        text = "–"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_TEXT_LIMIT else text[: VALUE_TEXT_LIMIT - 1] + "…"


def change_text(entry: AuditEntry) -> str:
    """What changed, in one line: "title: A → B; visible: true → false"."""
    return "; ".join(f"{key}: {value_text(old)} → {value_text(new)}" for key, old, new in changes(entry))


def layer_field(entry: AuditEntry, key: str) -> str:
    """The layer's `key` (title, kind) after the change, or before it when nothing came after (a delete, a refusal)."""
    value = (entry.after or {}).get(key, (entry.before or {}).get(key))
    return "" if value is None else str(value)


def log_frame(entries: Iterable[AuditEntry]) -> pd.DataFrame:
    """The entries as a plain table, in their order: time in UTC (ISO 8601), codes as the store keeps them."""
    rows = [
        {
            "time_utc": entry.at.isoformat(timespec="seconds"),
            "subject": entry.subject,
            "name": entry.name,
            "action": entry.action,
            "outcome": entry.outcome,
            "layer_id": entry.layer_id,
            "kind": layer_field(entry, "kind"),
            "title": layer_field(entry, "title"),
            "owner": entry.owner,
            "owner_name": owner_name(entry.owner),
            "changes": change_text(entry),
        }
        for entry in entries
    ]
    frame = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    frame["layer_id"] = frame["layer_id"].astype("Int64")
    return frame


LOG_COLUMNS = (
    "time_utc",
    "subject",
    "name",
    "action",
    "outcome",
    "layer_id",
    "kind",
    "title",
    "owner",
    "owner_name",
    "changes",
)


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to keep: each set empty keeps all; `days` a first and last day in Norwegian time (inclusive)."""

    subjects: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()
    days: tuple[date, date] | None = None

    def keeps(self, entry: AuditEntry) -> bool:
        chosen = (
            (self.subjects, entry.subject),
            (self.actions, entry.action),
            (self.owners, entry.owner),
            (self.outcomes, entry.outcome),
        )
        if any(values and value not in values for values, value in chosen):
            return False
        if self.days is None:
            return True
        day = entry.at.astimezone(OSLO).date()
        return self.days[0] <= day <= self.days[1]
