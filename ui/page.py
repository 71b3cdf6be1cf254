"""What every page repeats around its own layout: page config, language, the link state, the share box.

page = PageFrame()                      # first: Streamlit's page config
data = portfolio(page.lang)             # the language before any widget is drawn
lang = page.link(map_params(data))      # restore the link, draw the language switch
...                                     # the page's own layout
page.finish()                           # the link follows the screen; the share box
"""

from __future__ import annotations

import streamlit as st

from i18n import error_text, t
from store import LayerStore, StoreError, open_store
from ui import upload_guard, view_state
from ui.access import editor_access
from ui.sidebar import share_box
from ui.state import current_language, keep_page_state, language_selector, note_page
from ui.view_state import Param, language_params


class PageFrame:
    def __init__(self):
        st.set_page_config(page_title=t("app_title"), page_icon="🏭", layout="wide")
        upload_guard.install()  # before any upload can reach this process: only editors' uploaders take files
        keep_page_state()  # before any widget: what was set on other pages survives this page's run
        note_page()
        self.lang = current_language()
        self.params: list[Param] = language_params()

    def link(self, params: list[Param] | None = None) -> str:
        """Restore the page's link parameters (only the language when `params` is None) and draw the language
        switch; a notice names any parameter that was ignored. Returns the user's language."""
        self.params = language_params() if params is None else params
        ignored = view_state.restore(self.params)
        self.lang = language_selector()
        if ignored:
            st.toast(t("url_ignored", self.lang, names=", ".join(ignored)))
        return self.lang

    def editors_page(self, title: str, intro: str) -> bool:
        """The head of a page for editors (upload, import, stored layers): only the language in the link (the page
        may stop early), the sign-in box, the page's title and intro (message codes). True when the user may edit."""
        self.link()
        self.finish(share=False)
        editor = editor_access(self.lang)
        st.title(t(title, self.lang))
        st.caption(t(intro, self.lang))
        return editor

    def store(self) -> LayerStore:
        """The layer store, or a clear message and the page stops."""
        try:
            return open_store()
        except (StoreError, OSError) as exc:
            st.error(t("store_error", self.lang, error=error_text(exc, self.lang)))
            st.stop()

    def finish(self, share: bool = True) -> str:
        """Write what is on screen into the link; offer it in the sidebar unless presenting. Returns the query."""
        query = view_state.publish(self.params)
        if share and not st.session_state.get("present"):
            share_box(view_state.share_link(query), self.lang)
        return query
