"""Names compared the way people type them: case, Norwegian letters and accents do not matter."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def normalise(text: str) -> str:
    """Lower case, æ→ae, ø→o, å→a, and accents dropped, so 'Gronora' finds 'Grønøra'."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- one company across layers -------------------------------------------------------------------
# A source and a member are the same company when both have an org.nr. and they agree, else when one of the
# source's names (facility, operator) and the member's company name give the same `company_key`.

LEGAL_FORMS = frozenset({"as", "asa", "sa", "ans", "da", "iks", "kf", "ab", "ag", "gmbh", "ltd", "inc"})

# Names the sources use for one plant that no rule can join: member name's key -> the plant's key. Each entry
# names where both spellings come from.
COMPANY_ALIASES = {
    # reference_facts.md b) "Wacker Chemicals Norway AS, Holla Metall"; c) CCS Midt-Norge "Wacker Holla Metall"
    "wacker holla metall": "wacker chemicals norway holla metall",
}


def company_key(name: object) -> str:
    """`normalise`d, with what is in brackets, punctuation and legal-form words (AS, ASA, IKS …) dropped:
    'MM FollaCell AS' and 'MM FollaCell (cellulosefabrikken i Follafoss)' both give 'mm follacell'."""
    if not isinstance(name, str):
        return ""
    text = re.sub(r"\([^)]*\)", " ", normalise(name))
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w and w not in LEGAL_FORMS]
    key = " ".join(words)
    return COMPANY_ALIASES.get(key, key)


def clean_orgnr(value: object) -> str | None:
    """The 9 digits of an org.nr. ('923 609 016' -> '923609016'), or None."""
    digits = re.sub(r"\D", "", value) if isinstance(value, str) else ""
    return digits if len(digits) == 9 else None


def same_company(orgnr_a: object, names_a: Iterable[object], orgnr_b: object, names_b: Iterable[object]) -> bool:
    """True when both org.nr. are known and equal; when only one or none is known, when any two names share a key."""
    a, b = clean_orgnr(orgnr_a), clean_orgnr(orgnr_b)
    if a and b:
        return a == b
    keys_a = {company_key(n) for n in names_a} - {""}
    return bool(keys_a & ({company_key(n) for n in names_b} - {""}))
