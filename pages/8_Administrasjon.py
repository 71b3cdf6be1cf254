"""Administration (administrators only): the role rules, and the audit log with filters and a CSV download."""

from __future__ import annotations

import streamlit as st

from i18n import t
from ui.audit import audit_section, role_rules_editor, rules_saved_note
from ui.page import PageFrame

page = PageFrame("nav_admin")
page.editors_page("admin_page_title", "admin_page_intro")
lang = page.lang

store = page.store()
if not store.access().may_administer:  # the store checks again when the rules are saved
    st.info(t("admin_only", lang))
    st.stop()
rules_saved_note(lang)
role_rules_editor(store, lang)
audit_section(store, lang)
