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

# Legal forms a registered name shows by itself: (pattern on the whole name, sector, why).
_NAME_RULES = (
    (r"\bfylkeskommune$", "public", "fylkeskommune (county authority): legal form in the registered name"),
    (r"\bkommune$", "public", "kommune (municipality): legal form in the registered name"),
    (r"sparebank", "finance", "«sparebank» in the name: a word Norwegian law reserves for savings banks"),
)


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
