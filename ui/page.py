"""What every page repeats around its own layout: page config, language, the link state, the share box.

page = PageFrame()                      # first: Streamlit's page config
data = portfolio(page.lang)             # the language before any widget is drawn
lang = page.link(map_params(data))      # restore the link, draw the language switch
...                                     # the page's own layout
page.finish()                           # the link follows the screen; the share box
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from config import settings
from i18n import error_text, t
from store import StoreError, open_store
from store.acting import ActingStore
from ui import map_first, upload_guard, view_state
from ui.access import (
    MISCONFIGURED,
    OIDC,
    acting_store,
    auth_mode,
    editor_access,
    identity_box,
    sign_in_box,
    signed_in_identity,
)
from ui.sidebar import share_box
from ui.state import current_language, keep_page_state, language_selector, note_page
from ui.view_state import Param, language_params

# A focus ring Streamlit does not draw everywhere (page links, scrolled areas): one for every element the keyboard
# reaches, dark blue (6.6:1 on white), inside the large areas so the screen's edge does not cut it off. Then the
# language of the page's text as the document's `lang` (Streamlit writes `en` whatever the text), so screen
# readers speak it in the right voice; Streamlit's one-letter shortcuts switched off (WCAG 2.1.4: a speech user's
# word must not rerun the page); and a name for every file uploader's button, whose label Streamlit does not
# let us set: ui/widget_texts.py hides Streamlit's English "Upload" and draws ours with CSS `::after`, which not all
# assistive technology reads, so the button's aria-label is set to that same text. Constant code: the only value put
# in is a language tag from DOCUMENT_LANGUAGES; the label is read from our own CSS.
DOCUMENT_LANGUAGES = {"nb": "nb", "en": "en"}
_DOCUMENT_KEY = "ik_document"
_DOCUMENT_SCRIPT = """<style>.st-key-%(key)s {display: none !important;}
:focus-visible {outline: 2px solid #0b5cad !important; outline-offset: 1px !important;}
[data-baseweb="select"]:has(input:focus-visible) > div, [data-baseweb="input"]:has(input:focus-visible)
  {outline: 2px solid #0b5cad !important; outline-offset: 1px;}
[data-testid="stMain"]:focus-visible, [data-testid="stSidebarContent"]:focus-visible, iframe:focus-visible
  {outline-offset: -3px !important;}
</style>
<script>(function () {
  document.documentElement.lang = "%(lang)s";
  if (!window.__ikNoLetterKeys) {  // WCAG 2.1.4: Streamlit's one-letter shortcuts (R reruns, C clears) are off
    window.__ikNoLetterKeys = true;
    window.addEventListener("keydown", function (e) {
      var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && /^[rc]$/i.test(e.key)) e.stopImmediatePropagation();
    }, true);
  }
  var texts = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]';
  function label(text) {
    var content = getComputedStyle(text, "::after").content;
    if (!content || content === "none" || content === "normal") return "";
    try { return JSON.parse(content); } catch (e) { return content.replace(/^"|"$/g, ""); }
  }
  var pending = false;
  function nameButtons() {
    pending = false;
    document.querySelectorAll(texts).forEach(function (text) {
      var button = text.closest("button"), name = label(text);
      if (button && name && button.getAttribute("aria-label") !== name) button.setAttribute("aria-label", name);
    });
  }
  if (window.__ikDocumentObserver) window.__ikDocumentObserver.disconnect();
  window.__ikDocumentObserver = new MutationObserver(function () {
    if (!pending) { pending = true; requestAnimationFrame(nameButtons); }
  });
  window.__ikDocumentObserver.observe(document.body, {childList: true, subtree: true, characterData: true});
  nameButtons();
})();</script>"""


def document_language(lang: str) -> None:
    """Set the document's language to `lang` (and name the uploaders' buttons), from a hidden element in the
    sidebar; its script runs again whenever the language changes."""
    body = _DOCUMENT_SCRIPT % {"key": _DOCUMENT_KEY, "lang": DOCUMENT_LANGUAGES[lang]}
    with st.sidebar.container(key=_DOCUMENT_KEY):
        st.html(body, unsafe_allow_javascript=True)


class PageFrame:
    def __init__(self, menu_key: str = "nav_map"):
        """`menu_key`: the page's name in the menu (ui.state.PAGES), which begins its title in the browser's tab
        (WCAG 2.4.2: a title per page, in the reader's language)."""
        title = f"{t(menu_key, current_language())} · {t('app_title', current_language())}"
        st.set_page_config(page_title=title, page_icon="🏭", layout="wide")
        map_first.release()  # a run sends what it writes unless its page holds back (ui/map_first.py)
        upload_guard.install()  # before any upload can reach this process: only editors' uploaders take files
        keep_page_state()  # before any widget: what was set on other pages survives this page's run
        note_page()
        self.lang = current_language()
        self.params: list[Param] = language_params()

    def link(self, params: list[Param] | None = None, map_key: str = "") -> str:
        """Restore the page's link parameters (only the language when `params` is None) and draw the language
        switch; a notice names any parameter that was ignored. Returns the user's language. `map_key`: the page's
        first map (its st_folium key), drawn before the rest of the page (ui/map_first.py)."""
        self.params = language_params() if params is None else params
        ignored = view_state.restore(self.params)
        if map_key:
            map_first.hold_until_drawn(map_key)  # from here on only the map goes out, until it has been drawn
        self.lang = language_selector()
        document_language(self.lang)
        if ignored:
            st.toast(t("url_ignored", self.lang, names=", ".join(ignored)))
        mode = auth_mode()
        if mode == OIDC:
            self._identity()
        elif mode == MISCONFIGURED:
            st.sidebar.error(t("auth_misconfigured", self.lang))
            if settings().sign_in_to_view:
                self._stop()  # fail closed: the installation meant to show nothing to people not signed in
        return self.lang

    def _identity(self) -> None:
        if settings().sign_in_to_view and signed_in_identity() is None:
            sign_in_box(self.lang)  # the installation shows nothing to people not signed in
            st.info(t("sign_in_to_view", self.lang))
            self._stop()
        try:
            store = open_store() if signed_in_identity() is not None else None
        except (StoreError, OSError):
            store = None  # the page itself says so where it needs the store
        identity_box(self.lang, store)

    def editors_page(self, title: str, intro: str) -> bool:
        """The head of a page for editors (upload, import, stored layers): only the language in the link (the page
        may stop early), the sign-in box, the page's title and intro (message codes). True when the user may edit."""
        self.link()
        self.finish(share=False)
        editor = editor_access(self.lang, self.store())
        st.title(t(title, self.lang))
        st.caption(t(intro, self.lang))
        return editor

    def store(self, owner: str | None = None) -> ActingStore:
        """The layer store as this session's user changes it (store/acting.py: every change checked and logged; new
        layers go to `owner`), or a clear message and the page stops."""
        try:
            return acting_store(open_store(), owner)
        except (StoreError, OSError) as exc:
            st.error(t("store_error", self.lang, error=error_text(exc, self.lang)))
            self._stop()

    @staticmethod
    def _stop() -> NoReturn:
        """Stop the page here. A run that held back for its map (ui/map_first.py), which will not come now, runs
        again at once sending everything: the sign-in box, the menu, the message."""
        map_first.finished()
        st.stop()

    def finish(self, share: bool = True) -> str:
        """Write what is on screen into the link; offer it in the sidebar unless presenting. Returns the query."""
        map_first.finished()
        query = view_state.publish(self.params)
        if share and not st.session_state.get("present"):
            share_box(view_state.share_link(query), self.lang)
        return query
