"""The text catalogues: `locales/<lang>/LC_MESSAGES/messages.po`, one per language, the one home of every text.

Each catalogue is read once with Babel (`read_po`), compiled in memory to a gettext catalogue, and looked up with
gettext's `gettext`/`ngettext`: a msgid is a key (a page's key, `msg_<code>` for a coded message, `theme_<word>`);
a key with a plural (msgid_plural) picks its form by the catalogue's Plural-Forms from the value `n`.
To add a text, add the same msgid to both .po files (tests/test_messages.py checks they match).
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
LOCALES = Path(__file__).resolve().parent.parent / "locales"


@dataclass(frozen=True)
class Catalogue:
    """One language's texts: `gettext` for lookups, `plural` the msgids that take `n`, `forms` each msgid's text
    (its forms, singular first, for a plural msgid) as the .po file writes it."""

    lang: str
    gettext: gettext.GNUTranslations
    ids: frozenset[str]
    plural: frozenset[str]
    forms: dict[str, tuple[str, ...]]


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of `lang` ("nb" or "en"), read from its .po file on first use."""
    with po_path(lang).open("rb") as fileobj:
        catalog = read_po(fileobj, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    forms, plural = {}, set()
    for message in catalog:
        if not message.id:
            continue  # the header
        if message.pluralizable:
            plural.add(message.id[0])
            forms[message.id[0]] = tuple(message.string)
        else:
            forms[message.id] = (message.string,)
    return Catalogue(lang, gettext.GNUTranslations(compiled), frozenset(forms), frozenset(plural), forms)


def language(lang: str) -> str:
    """English for "en", bokmål for anything else (the default)."""
    return "en" if lang == "en" else DEFAULT_LANGUAGE


def has(key: str) -> bool:
    """Whether the catalogue holds `key`."""
    return key in catalogue(DEFAULT_LANGUAGE).ids


def template(key: str, lang: str = DEFAULT_LANGUAGE, n: object = None) -> str:
    """The unfilled text of `key` in `lang`; for a plural key, the form for `n`. KeyError for an unknown key."""
    found = catalogue(language(lang))
    if key not in found.ids:
        raise KeyError(f"no text for {key!r}")
    if key in found.plural:
        if n is None:
            raise KeyError(f"the text {key!r} needs n")
        count = int(n) if isinstance(n, float) and n.is_integer() else n
        return found.gettext.ngettext(key, key, count)
    return found.gettext.gettext(key)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values` (KeyError for a missing one)."""
    return template(key, lang, values.get("n")).format(**values)
