"""File names of exports: the view's title as a safe slug, then the date and what the file is.

A title is typed by a user (or arrives in a link): it is data, never a path. The slug keeps ASCII letters and
digits only, writes æ, ø and å the Norwegian way (ae, oe, aa) and other accented letters without their accent,
joins words with "-", and is cut to `MAX_STEM` characters, so no title can name a folder, hide a control
character or make a name too long for a file system.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

DEFAULT_STEM = "industrikart-trondelag"
MAX_STEM = 60
_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def title_slug(title: str | None, max_length: int = MAX_STEM) -> str:
    """ "Orkland: møte 3/12" -> "orkland-moete-3-12"; "" (nothing usable) for an empty or all-symbol title."""
    text = unicodedata.normalize("NFKD", str(title or "").translate(_NORWEGIAN))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = _NOT_SLUG.sub("-", text).strip("-")
    return slug[:max_length].rstrip("-")


def export_file_name(title: str | None, day: date, suffix: str) -> str:
    """`<title slug>-<YYYY-MM-DD>-<suffix>`, e.g. "orkland-moete-2026-12-06-1920x1080.png"; the app's name stands
    in for a title with nothing usable in it. `suffix` is ours ("A4.pdf", "pptx"), never a user's."""
    stem = title_slug(title) or DEFAULT_STEM
    return f"{stem}-{day.isoformat()}{suffix if suffix.startswith('.') else '-' + suffix}"
