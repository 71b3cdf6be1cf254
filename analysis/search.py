"""Finding municipalities, parks, facilities and companies by name, forgiving case and Norwegian letters.

A hit says what it is (its layer, and for a cluster member the cluster and role), so two hits on one name differ
on screen; hits that would read the same are one hit carrying every id. The text is made above analysis (i18n).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.kommunenummer import CURRENT
from core.names import normalise
from core.portfolio import Portfolio

MUNICIPALITIES = "municipalities"  # a hit's layer when it is one of the 38 municipalities (id: its kommunenummer)

# Which columns are searched in each layer, and which one names the match. A park's other names (the place in
# brackets, "Biopark Vormstad (Orkland Næringspark)") are in its name; its companies are searched too.
_SEARCHED = {
    "parks": ("name", ("name", "companies")),
    "sources": ("facility", ("facility", "operator")),
    "members": ("company", ("company", "cluster")),
}
_LAYER_ORDER = (MUNICIPALITIES, *_SEARCHED)  # among equally good hits: the municipality first


@dataclass(frozen=True)
class Match:
    """One hit. `lat`/`lon`: where a feature is (None for a municipality: the map fits its outline);
    `cluster`/`role`: a cluster member's, so its memberships read apart; `ids`: every feature this hit stands for."""

    layer: str
    id: str
    label: str
    lat: float | None
    lon: float | None
    cluster: str = ""
    role: str = ""
    ids: tuple[str, ...] = ()

    def key(self) -> tuple[str, str, str, str]:
        """What a hit reads as: hits with the same key are the same hit."""
        return self.layer, self.label, self.cluster, self.role


def search(portfolio: Portfolio, query: str, limit: int = 20) -> list[Match]:
    """Matches whose searched text contains every word of `query` (a municipality also by its number); names equal
    to the query first, then names that start with it, a municipality before a feature of the same rank."""
    words = normalise(query).split()
    if not words:
        return []
    phrase = " ".join(words)
    found: list[tuple[int, Match]] = []
    for number, name in zip(portfolio.municipalities["kommunenummer"], portfolio.municipalities["name"], strict=True):
        names = _municipality_names(str(name), CURRENT.get(str(number), ""))
        haystack = " ".join(names)
        if all(w in haystack or w == str(number) for w in words):
            rank = 0 if phrase in names or phrase == str(number) else _rank(normalise(str(name)), words)
            found.append((rank, Match(MUNICIPALITIES, str(number), str(name), None, None, ids=(str(number),))))
    for layer, (label_column, columns) in _SEARCHED.items():
        frame = getattr(portfolio, layer)
        for row in frame.itertuples(index=False):
            haystack = " ".join(normalise(str(getattr(row, c) or "")) for c in columns)
            if not all(w in haystack for w in words):
                continue
            label = str(getattr(row, label_column))
            point = row.geometry.representative_point()
            cluster, role = (str(row.cluster), str(row.role or "")) if layer == "members" else ("", "")
            match = Match(layer, row.id, label, point.y, point.x, cluster, role, (row.id,))
            found.append((0 if normalise(label) == phrase else _rank(normalise(label), words), match))
    found.sort(key=lambda item: (item[0], _LAYER_ORDER.index(item[1].layer), item[1].label))
    return _merged([match for _, match in found])[:limit]


def _municipality_names(name: str, short: str) -> list[str]:
    """A municipality's names as typed: the official name, each of its parts ("Trondheim - Tråante": the Norwegian
    and the Sami name) and the short name."""
    parts = [name, *(part.strip() for part in name.split(" - ")), short]
    return [normalise(part) for part in dict.fromkeys(p for p in parts if p)]


def _rank(label: str, words: list[str]) -> int:
    return 1 if label.startswith(words[0]) else 2


def _merged(matches: list[Match]) -> list[Match]:
    """One hit per key (the first one's place), holding the ids of all that read the same."""
    merged: dict[tuple, Match] = {}
    for match in matches:
        first = merged.get(match.key())
        if first is None:
            merged[match.key()] = match
        else:
            merged[match.key()] = replace(first, ids=(*first.ids, *match.ids))
    return list(merged.values())
