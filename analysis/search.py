"""Finding parks, facilities and companies by name, forgiving case and Norwegian letters."""

from __future__ import annotations

from dataclasses import dataclass

from core.names import normalise
from core.portfolio import Portfolio

# Which columns are searched in each layer, and which one names the match.
_SEARCHED = {
    "parks": ("name", ("name", "companies")),
    "sources": ("facility", ("facility", "operator")),
    "members": ("company", ("company", "cluster")),
}


@dataclass(frozen=True)
class Match:
    layer: str
    id: str
    label: str
    lat: float
    lon: float


def search(portfolio: Portfolio, query: str, limit: int = 20) -> list[Match]:
    """Matches whose searched text contains every word of `query`; names that start with it first."""
    words = normalise(query).split()
    if not words:
        return []
    found: list[tuple[int, Match]] = []
    for layer, (label_column, columns) in _SEARCHED.items():
        frame = getattr(portfolio, layer)
        for row in frame.itertuples(index=False):
            haystack = " ".join(normalise(str(getattr(row, c) or "")) for c in columns)
            if all(w in haystack for w in words):
                label = getattr(row, label_column)
                rank = 0 if normalise(label).startswith(words[0]) else 1
                point = row.geometry.representative_point()
                found.append((rank, Match(layer, row.id, label, point.y, point.x)))
    found.sort(key=lambda item: (item[0], item[1].label))
    return [match for _, match in found[:limit]]
