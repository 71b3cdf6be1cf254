"""What a cluster member is, where a source supports it: an industrial company, or a supporting member.

`sector` codes on members (geodata/cluster_members.geojson, made by scripts/member_sectors.py). A member without a
sourced sector has none and is "sector unknown": never guessed. Supporting members (finance, public bodies,
grid/energy networks, research and education, cluster organisations) are kept apart from possible industrial
partners.
"""

from __future__ import annotations

import re

INDUSTRY = "industry"
SUPPORTING_SECTORS = ("finance", "public", "grid", "research", "cluster_org")
MEMBER_SECTORS = (INDUSTRY, *SUPPORTING_SECTORS)

# Groups an actor is shown in on Portefølje.
GROUP_INDUSTRY, GROUP_SUPPORTING, GROUP_UNKNOWN = "industry", "supporting", "unknown"

# Legal forms a registered name shows by itself: (pattern on the whole name, sector, basis code). A member's
# `sector_basis` is "<basis code>" or "<basis code>: <detail as the source gives it>"; the UI names each code in
# both languages (i18n "pf_basis_<code>").
_NAME_RULES = (
    (r"\bfylkeskommune$", "public", "legal_form_county"),
    (r"\bkommune$", "public", "legal_form_municipality"),
    (r"sparebank", "finance", "legal_form_savings_bank"),  # a word Norwegian law reserves for savings banks
)
BASIS_CODES = (
    "legal_form_county",
    "legal_form_municipality",
    "legal_form_savings_bank",
    "emission_source",  # the same company as a bundled emission source: "emission_source: <id> «<sector>»"
    "reference_facts",  # a statement in reference_facts.md: "reference_facts: <section> «<quote>» (<page>)"
)


def basis_parts(basis: object) -> tuple[str, str] | None:
    """(code, detail) of a `sector_basis`, or None when it is empty or has no known code."""
    if not isinstance(basis, str):
        return None
    code, _, detail = basis.partition(": ")
    return (code, detail) if code in BASIS_CODES else None


def sector_group(sector: object) -> str:
    """industry, supporting or unknown (no sector, or a code this version does not know)."""
    if sector == INDUSTRY:
        return GROUP_INDUSTRY
    return GROUP_SUPPORTING if sector in SUPPORTING_SECTORS else GROUP_UNKNOWN


def sector_from_name(name: str) -> tuple[str, str] | None:
    """(sector, basis) where the registered name shows the legal form (a municipality, a savings bank), else None."""
    text = name.casefold().strip()
    for pattern, sector, why in _NAME_RULES:
        if re.search(pattern, text):
            return sector, why
    return None


def sourced_sector(sector: object, basis: object) -> str | None:
    """A member's sector as far as it is sourced: one of MEMBER_SECTORS with a `sector_basis` (a file's bare
    "industri" decides nothing); None otherwise ("sector unknown")."""
    if sector not in MEMBER_SECTORS or not isinstance(basis, str) or not basis.strip():
        return None
    return sector
