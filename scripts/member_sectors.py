"""Add `sector` and `sector_basis` to geodata/cluster_members.geojson, only where a source supports it.

    .venv/bin/python scripts/member_sectors.py [--check]

A member's sector comes, in this order, from
1. the legal form its registered name shows (core.sectors.sector_from_name: "... kommune", "... fylkeskommune",
   "sparebank");
2. the emission source that is the same company (core.names.same_company): a point emission source is an
   industrial plant, and the basis names the source and its sector as bundled;
3. a statement in ../shared/geodata/reference_facts.md quoted in FACTS below.
Anything else gets no sector ("sector unknown"). `--check` exits 1 when the file differs from what this gives.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.names import company_key, same_company
from core.sectors import INDUSTRY, sector_from_name
from loaders.bundled.portfolio import load_portfolio

ROOT = Path(__file__).resolve().parent.parent

MEMBERS = ROOT / "geodata" / "cluster_members.geojson"

# company_key -> (sector, basis): statements in reference_facts.md about members no emission source covers.
FACTS = {
    "norsk kylling": (INDUSTRY, "reference_facts: a) «Orkanger – Norsk Kylling factory» (inorkland.no, 2021)"),
}


def member_sector(member: dict, sources: list[dict]) -> tuple[str | None, str | None]:
    """(sector, basis) for one member record, or (None, None) when no source supports one."""
    by_name = sector_from_name(member["company"])
    if by_name:
        return by_name
    matches = [
        s
        for s in sources
        if same_company(member.get("orgnr"), [member["company"]], s.get("orgnr"), [s["facility"], s.get("operator")])
    ]
    if matches:
        named = "; ".join(f"{s['id']} «{s['sector']}»" for s in matches)
        return INDUSTRY, f"emission_source: {named}"
    return FACTS.get(company_key(member["company"]), (None, None))


def with_sectors(collection: dict, sources: list[dict]) -> dict:
    for feature in collection["features"]:
        properties = feature["properties"]
        sector, basis = member_sector(properties, sources)
        properties["sector"], properties["sector_basis"] = sector, basis
    return collection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file is up to date")
    args = parser.parse_args(argv)
    sources = load_portfolio().sources.drop(columns="geometry").to_dict("records")
    before = MEMBERS.read_text(encoding="utf-8")
    text = json.dumps(with_sectors(json.loads(before), sources), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        return 0 if text == before else 1
    MEMBERS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
