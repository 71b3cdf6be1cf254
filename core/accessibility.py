"""The accessibility statement's data: the app's status per WCAG 2.1 A/AA success criterion (core/accessibility.toml).

`statement()` reads and checks the file: every criterion once, a known status, a gap note in both languages for
every criterion not (fully) met. The page (ui/accessibility.py) renders it; tests/test_accessibility_statement.py
keeps it true (every test it names exists, all 50 criteria are there, 47 of them required).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

STATEMENT_FILE = Path(__file__).resolve().parent / "accessibility.toml"
STATUSES = ("met", "partly", "not_met", "not_applicable")
NEEDS_GAP = ("partly", "not_met")
LEVELS = ("A", "AA")
MANUAL = "manual"


@dataclass(frozen=True)
class Criterion:
    id: str  # "1.4.3"
    level: str  # "A" or "AA"
    names: dict[str, str]  # language -> the criterion's name
    status: str  # one of STATUSES
    checks: tuple[str, ...]  # "manual", or test ids "tests/test_x.py::test_name"
    gaps: dict[str, str]  # language -> what is missing ({} when nothing is)
    required: bool = True  # False: left out of the Norwegian regulation's 47

    @property
    def tests(self) -> tuple[str, ...]:
        return tuple(check for check in self.checks if check != MANUAL)

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.id.split("."))


@dataclass(frozen=True)
class Statement:
    checked: date  # when the table was last reviewed
    criteria: tuple[Criterion, ...]  # in WCAG's order

    @property
    def required(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.required)

    def count(self, status: str) -> int:
        """How many of the regulation's criteria have `status`."""
        return sum(1 for c in self.required if c.status == status)


class StatementError(ValueError):
    """The statement file breaks its own rules (a developer's error: the tests read the file too)."""


def parse(data: dict, languages: tuple[str, ...] = ("nb", "en")) -> Statement:
    """The statement in `data` (the TOML file as a dict), or StatementError naming the first broken rule."""
    checked = data.get("checked")
    if not isinstance(checked, date):
        raise StatementError("`checked` must be a date (2026-12-06)")
    criteria, seen = [], set()
    for row in data.get("criterion", []):
        cid = str(row.get("id", ""))
        if cid in seen:
            raise StatementError(f"{cid} is listed twice")
        seen.add(cid)
        status, level = row.get("status"), row.get("level")
        if status not in STATUSES:
            raise StatementError(f"{cid}: status {status!r} is not one of {STATUSES}")
        if level not in LEVELS:
            raise StatementError(f"{cid}: level {level!r} is not one of {LEVELS}")
        names = {lang: str(row.get(f"name_{lang}", "")).strip() for lang in languages}
        gaps = {lang: str(row.get(f"gap_{lang}", "")).strip() for lang in languages}
        if not all(names.values()):
            raise StatementError(f"{cid}: a name is missing in {languages}")
        if status in NEEDS_GAP and not all(gaps.values()):
            raise StatementError(f"{cid}: status {status} needs a gap note in every language {languages}")
        checks = tuple(row.get("checks", ()))
        if not checks:
            raise StatementError(f"{cid}: say how it is checked ('manual' or a test id)")
        criteria.append(
            Criterion(
                id=cid,
                level=level,
                names=names,
                status=status,
                checks=checks,
                gaps={k: v for k, v in gaps.items() if v},
                required=bool(row.get("required", True)),
            )
        )
    return Statement(checked=checked, criteria=tuple(sorted(criteria, key=lambda c: c.sort_key)))


@cache
def statement(path: Path = STATEMENT_FILE) -> Statement:
    with open(path, "rb") as file:
        return parse(tomllib.load(file))
