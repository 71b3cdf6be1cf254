"""Text helpers every layer may use."""

from __future__ import annotations

import html
import re

# What XML 1.0 (and so PowerPoint and Excel files) cannot hold: C0 controls but tab, newline and carriage return,
# lone surrogates, and U+FFFE/U+FFFF. python-pptx and openpyxl refuse such text with an exception.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML cannot hold replaced by U+FFFD (visible: the reader sees something was there)."""
    return _NOT_XML.sub("\ufffd", text)


def attribution_text(attribution: str) -> str:
    """Leaflet's HTML attribution as text: '&copy; <a ...>Kartverket</a>' -> '© Kartverket'."""
    return html.unescape(re.sub(r"<[^>]+>", "", attribution)).strip()
