"""The key numbers above the map."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.filters import View


@dataclass(frozen=True)
class KeyFigures:
    parks: int
    sources: int
    members: int
    total_t: float | None  # None when no shown source has a figure
    years: tuple[int, ...]  # the known years the summed figures refer to
    unknown_years: int  # how many summed figures have no stated year
    scopes: tuple[str, ...]  # the scopes that went into the sum


def key_figures(view: View) -> KeyFigures:
    with_figure = view.sources[view.sources["figure_t"].notna()]
    years = tuple(sorted(int(y) for y in with_figure["figure_year"].dropna().unique()))
    return KeyFigures(
        parks=len(view.parks),
        sources=len(view.sources),
        members=len(view.members),
        total_t=float(with_figure["figure_t"].sum()) if len(with_figure) else None,
        years=years,
        unknown_years=int(with_figure["figure_year"].isna().sum()),
        scopes=tuple(sorted(with_figure["figure_scope"].unique())),
    )
