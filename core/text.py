"""Text helpers every layer may use."""

from __future__ import annotations

import html
import re


def attribution_text(attribution: str) -> str:
    """Leaflet's HTML attribution as text: '&copy; <a ...>Kartverket</a>' -> '© Kartverket'."""
    return html.unescape(re.sub(r"<[^>]+>", "", attribution)).strip()
