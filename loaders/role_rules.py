"""Role rules as rows of a table (the administration page's editor, `python -m loaders roles set --file rules.csv`):
columns claim, value, role, municipalities (numbers or names, comma-separated) and provider (optional: the [auth]
section whose sign-ins the rule trusts; empty: any)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from core.roles import RoleError, RoleRule, owner_name
from core.values import is_missing

RULE_COLUMNS = ("claim", "value", "role", "municipalities", "provider")
REQUIRED_COLUMNS = RULE_COLUMNS[:4]  # a file from before rules named their provider has no provider column


class RuleRowError(ValueError):
    """Row `row` (counted from 1) is not a rule: `error` (a core.roles.RoleError) says why."""

    def __init__(self, row: int, error: Exception):
        super().__init__(f"row {row}: {error}")
        self.row = row
        self.error = error


def cell_text(value: object) -> str:
    return "" if value is None or is_missing(value) else str(value).strip()


def is_blank(row: Mapping[str, object]) -> bool:
    """A row with nothing in it (the editor's new, empty line): skipped, not an error."""
    return not any(cell_text(row.get(column)) for column in RULE_COLUMNS)


def rule_of_row(row: Mapping[str, object]) -> RoleRule:
    """The checked rule a row describes (core.roles.RoleError if it is none)."""
    municipalities = [m.strip() for m in cell_text(row.get("municipalities")).split(",") if m.strip()]
    provider = cell_text(row.get("provider"))
    return RoleRule.of(row.get("claim"), row.get("value"), cell_text(row.get("role")), municipalities, provider)


def rules_of_rows(rows: Iterable[Mapping[str, object]]) -> list[RoleRule]:
    """Every non-blank row as a rule, in order; RuleRowError for the first row that is none."""
    rules = []
    for number, row in enumerate(rows, 1):
        if is_blank(row):
            continue
        try:
            rules.append(rule_of_row(row))
        except RoleError as exc:
            raise RuleRowError(number, exc) from exc
    return rules


def rule_row(rule: RoleRule, names: bool = False) -> dict[str, str]:
    """A rule as a row: municipalities comma-separated, as numbers (files) or names (the screen)."""
    municipalities = [owner_name(m) if names else m for m in rule.municipalities]
    return {
        "claim": rule.claim,
        "value": rule.value,
        "role": str(rule.role),
        "municipalities": ", ".join(municipalities),
        "provider": rule.provider,
    }


def rules_of_csv(text: str) -> list[RoleRule]:
    """Rules from CSV text with a heading row naming (at least) the four columns."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"the file lacks the column(s) {', '.join(missing)} (needs {', '.join(REQUIRED_COLUMNS)})")
    return rules_of_rows(reader)
