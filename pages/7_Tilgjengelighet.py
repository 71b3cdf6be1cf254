"""The accessibility statement (tilgjengelighetserklæring): status per WCAG 2.1 criterion, known gaps, feedback."""

from __future__ import annotations

from ui.accessibility import statement_page
from ui.page import PageFrame

page = PageFrame("nav_accessibility")
lang = page.link()
statement_page(lang)
page.finish()
