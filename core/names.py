"""Names compared the way people type them: case, Norwegian letters and accents do not matter."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """Lower case, æ→ae, ø→o, å→a, and accents dropped, so 'Gronora' finds 'Grønøra'."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
