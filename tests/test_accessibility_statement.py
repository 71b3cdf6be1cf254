"""The accessibility statement stays true: every WCAG 2.1 A/AA criterion once (the regulation's 47 required), known
statuses, a gap note in both languages for every criterion not met, every test it names exists; the page shows it
in both languages, with the contact from the settings, and every page's menu links it."""

from __future__ import annotations

import ast
import copy
import tomllib
from pathlib import Path

import pytest

import config
from core.accessibility import STATEMENT_FILE, STATUSES, StatementError, parse, statement
from tests.helpers.apptest import run
from ui.state import PAGES

# WCAG 2.1's success criteria at level A and AA (50), with their level.
WCAG21_A_AA = {
    **dict.fromkeys(
        [
            "1.1.1",
            "1.2.1",
            "1.2.2",
            "1.2.3",
            "1.3.1",
            "1.3.2",
            "1.3.3",
            "1.4.1",
            "1.4.2",
            "2.1.1",
            "2.1.2",
            "2.1.4",
            "2.2.1",
            "2.2.2",
            "2.3.1",
            "2.4.1",
            "2.4.2",
            "2.4.3",
            "2.4.4",
            "2.5.1",
            "2.5.2",
            "2.5.3",
            "2.5.4",
            "3.1.1",
            "3.2.1",
            "3.2.2",
            "3.3.1",
            "3.3.2",
            "4.1.1",
            "4.1.2",
        ],
        "A",
    ),
    **dict.fromkeys(
        [
            "1.2.4",
            "1.2.5",
            "1.3.4",
            "1.3.5",
            "1.4.3",
            "1.4.4",
            "1.4.5",
            "1.4.10",
            "1.4.11",
            "1.4.12",
            "1.4.13",
            "2.4.5",
            "2.4.6",
            "2.4.7",
            "3.1.2",
            "3.2.3",
            "3.2.4",
            "3.3.3",
            "3.3.4",
            "4.1.3",
        ],
        "AA",
    ),
}
# Left out of the 47 by the Norwegian regulation (forskrift om universell utforming av IKT-løsninger).
NOT_REQUIRED = {"1.2.3", "1.2.4", "1.2.5"}


def test_every_a_and_aa_criterion_is_listed_once_with_its_level():
    assert len(WCAG21_A_AA) == 50
    data = statement()
    ids = [c.id for c in data.criteria]
    assert len(ids) == len(set(ids))
    assert {c.id: c.level for c in data.criteria} == WCAG21_A_AA


def test_the_regulation_requires_47_of_them():
    data = statement()
    assert {c.id for c in data.criteria if not c.required} == NOT_REQUIRED
    assert len(data.required) == 47


def test_statuses_are_known_and_every_gap_is_explained_in_both_languages():
    for c in statement().criteria:
        assert c.status in STATUSES, c.id
        assert c.names["nb"] and c.names["en"] and c.names["nb"] != c.names["en"], c.id
        if c.status in ("partly", "not_met"):
            assert c.gaps.get("nb") and c.gaps.get("en"), f"{c.id} is {c.status} without a gap note in nb and en"


def _test_names(path: Path) -> set[str]:
    """`name` and `Class::name` of every test function defined in the test file at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{f.name}" for f in node.body if isinstance(f, ast.FunctionDef)}
    return names


def test_every_test_the_statement_names_exists():
    named = [(c.id, test) for c in statement().criteria for test in c.tests]
    assert named  # some criteria are checked automatically
    for cid, test in named:
        file, _, name = test.partition("::")
        path = config.ROOT / file
        assert file.startswith("tests/") and path.is_file(), f"{cid}: no test file {file}"
        assert name.split("[")[0] in _test_names(path), f"{cid}: {file} has no test {name}"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["criterion"].append(copy.deepcopy(d["criterion"][0])), "listed twice"),
        (lambda d: d["criterion"][0].update(status="done"), "status"),
        (lambda d: d["criterion"][0].update(status="not_met", gap_en=""), "gap note"),
        (lambda d: d["criterion"][0].update(checks=[]), "checked"),
        (lambda d: d.update(checked="last week"), "date"),
    ],
)
def test_a_broken_statement_file_is_refused(change, complaint):
    data = tomllib.loads(STATEMENT_FILE.read_text(encoding="utf-8"))
    parse(data)  # the file as it is passes
    change(data)
    with pytest.raises(StatementError, match=complaint):
        parse(data)


def test_every_pages_menu_links_the_statement():
    assert ("pages/7_Tilgjengelighet.py", "nav_accessibility", ":material/accessibility:") in PAGES
    assert all((config.ROOT / path).is_file() for path, _, _ in PAGES)


@pytest.mark.parametrize(
    ("lang", "title", "met"),
    [("nb", "Tilgjengelighetserklæring", "oppfylt"), ("en", "Accessibility statement", "met")],
)
def test_the_page_shows_every_criterion_the_gaps_and_the_contact(monkeypatch, lang, title, met):
    monkeypatch.setenv("INDUSTRIKART_ACCESSIBILITY_CONTACT", "uu@example.org")
    config.settings.cache_clear()
    try:
        at = run("pages/7_Tilgjengelighet.py")
        if lang != "nb":
            at.sidebar.radio(key="lang").set_value(lang).run()
            assert not at.exception
    finally:
        config.settings.cache_clear()
    assert at.title[0].value == title
    table = at.table[0].value
    assert len(table) == 50 and list(table.index) == [c.id for c in statement().criteria]
    assert (table.iloc[:, 2] == met).sum() == sum(c.status == "met" for c in statement().criteria)
    text = " ".join(m.value for m in at.markdown)
    assert "uu@example.org" in text.replace("\\", "")
    assert "uustatus.no" in text and "diskrimineringsnemnda.no" in text
    gap = next(c for c in statement().criteria if c.status in ("not_met", "partly"))
    assert gap.gaps[lang][:30] in text.replace("\\", "")
