"""The portfolio's measures against the emissions: which cuts count toward 2030, as wedges, and the gap left.

The actual series is a point-source path (analysis/emissions.py: the register's plants, like for like). A measure
counts against it only when
- it has a sourced figure (`cut_t`), is not `counted_in` another measure and has not ended ("avsluttet");
- it belongs to a facility of the path's set of plants and its scope is the path's scope;
- it starts acting after the path's newest year and by the target year (a measure that started earlier is
  already in the figures). A measure whose source gives no start year is counted at the target year, and says
  so, except one already in operation ("i drift"), which may be in the figures already and is not counted.
Every other measure is listed beside the chart with its reason, never added. Nothing is capped: where the counted
measures on one plant add up to more than its newest figure, `over` says so.
Planned cuts never touch the actual series: the wedges start from the newest year's level.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.emissions import PointSourcePath
from core.values import to_plain

# Status groups, in the order the wedges stack below the newest level: in operation and decided apart from
# planned work and ideas; a potential (a cut a source calls possible) is a group of its own, whatever its status.
STATUS_GROUP = {
    "i drift": "running",
    "vedtatt": "decided",
    "under bygging": "decided",
    "utredes": "planned",
    "idé": "idea",
}
POTENTIAL = "potential"
GROUPS = ("running", "decided", "planned", "idea", POTENTIAL)
ENDED = "avsluttet"

# Why a measure is beside the chart, not in it (the `reason` of `beside`): no_figure (the source gives no tonnes),
# counted_in (another measure's cut already holds it), counted_in_missing (it names a measure that is not shown,
# retired or left out: not counted either), ended (status avsluttet), not_a_plant (a site's measure, not a plant's:
# outside the register's plants), other_scope (its scope is not the path's), not_in_set (its plant is not in the
# path's like-for-like set), in_figures (it started acting by the newest year: already in the actual series),
# running_no_start (in operation, start year not stated: may already be in the figures), after_target (it starts
# after the target year).
COUNTED_COLUMNS = ["id", "group", "cut_t", "facility_id", "from_year", "start_stated"]
BESIDE_COLUMNS = ["id", "reason"]


@dataclass(frozen=True)
class MeasuresPath:
    """A point-source path with the measures that count against it, as wedges from its newest year to the target."""

    source: PointSourcePath
    counted: pd.DataFrame  # COUNTED_COLUMNS: each counted measure, its group and the year it is drawn from
    beside: pd.DataFrame  # BESIDE_COLUMNS: each measure not added, with its reason (above)
    levels: pd.DataFrame  # year, group, upper_t, lower_t: each group's wedge per year, newest year to target year
    groups: pd.DataFrame  # group, measures, cut_t, gap_high_t, gap_low_t (the gap after this group and those above)
    over: pd.DataFrame  # facility_id, cut_t, newest_t, newest_year: plants whose counted cuts exceed their figure

    @property
    def gap_high_t(self) -> float | None:
        """Tonnes still to cut to reach the smaller cut (50 %) with no measure counted; None without a gap."""
        gap = self.source.path.gap
        return None if gap is None else gap.gap_to_high_t


def measure_group(status: str, potential: bool) -> str | None:
    """The wedge group of a measure (None for one that ended)."""
    if status == ENDED:
        return None
    return POTENTIAL if potential else STATUS_GROUP[status]


def measures_path(measures: pd.DataFrame, figures: pd.DataFrame, path: PointSourcePath) -> MeasuresPath:
    """Which of `measures` count against the point-source `path` (built from `figures`), and how far they take it."""
    county = path.path
    latest_year, target_year = county.latest_year, county.target_year
    plants = set(path.plants)
    ids = set(measures["id"])
    counted, beside = [], []
    for row in measures.to_dict("records"):
        reason, start = _reason(row, county.scope, plants, latest_year, target_year)
        if reason == "counted_in" and row["counted_in"] not in ids:
            reason = "counted_in_missing"
        if reason is not None:
            beside.append({"id": row["id"], "reason": reason})
            continue
        counted.append(
            {
                "id": row["id"],
                "group": measure_group(row["status"], bool(row["potential"])),
                "cut_t": float(row["cut_t"]),
                "facility_id": row["facility_id"],
                "from_year": target_year if start is None else start,
                "start_stated": start is not None,
            }
        )
    counted = pd.DataFrame(counted, columns=COUNTED_COLUMNS)
    beside = pd.DataFrame(beside, columns=BESIDE_COLUMNS)
    levels = _levels(counted, county.latest_t, latest_year, target_year)
    groups = _groups(counted, path)
    over = _over(counted, figures, county.scope, latest_year)
    return MeasuresPath(path, counted, beside, levels, groups, over)


def _reason(row: dict, scope: str, plants: set[str], latest_year: int | None, target_year: int):
    """(why the measure is beside the chart, or None; the year it starts, or None)."""
    start = to_plain(row["start_year"])
    facility = to_plain(row["facility_id"])
    if to_plain(row["cut_t"]) is None:
        return "no_figure", start
    if to_plain(row["counted_in"]) is not None:
        return "counted_in", start
    if row["status"] == ENDED:
        return "ended", start
    if facility is None:
        return "not_a_plant", start
    if row["scope"] != scope:
        return "other_scope", start
    if facility not in plants or latest_year is None:
        return "not_in_set", start
    if start is not None and start <= latest_year:
        return "in_figures", start
    if start is None and row["status"] == "i drift":
        return "running_no_start", start
    if start is not None and start > target_year:
        return "after_target", start
    return None, start


def _levels(counted: pd.DataFrame, latest_t: float | None, latest_year: int | None, target_year: int) -> pd.DataFrame:
    """Per year from the newest to the target year, each group's wedge: from `upper_t` down to `lower_t`."""
    columns = ["year", "group", "upper_t", "lower_t"]
    if latest_t is None or latest_year is None or counted.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for year in range(latest_year, target_year + 1):
        level = latest_t
        acting = counted[counted["from_year"] <= year]
        for group in GROUPS:
            cut = float(acting.loc[acting["group"] == group, "cut_t"].sum())
            if group in set(counted["group"]):
                rows.append({"year": year, "group": group, "upper_t": level, "lower_t": level - cut})
            level -= cut
    return pd.DataFrame(rows, columns=columns)


def _groups(counted: pd.DataFrame, path: PointSourcePath) -> pd.DataFrame:
    """Per group, what it counts and the gap to the band left after it and every group above it."""
    gap = path.path.gap
    rows, done = [], 0.0
    for group in GROUPS:
        ours = counted[counted["group"] == group]
        done += float(ours["cut_t"].sum())
        rows.append(
            {
                "group": group,
                "measures": len(ours),
                "cut_t": float(ours["cut_t"].sum()),
                "gap_high_t": None if gap is None else gap.gap_to_high_t - done,
                "gap_low_t": None if gap is None else gap.gap_to_low_t - done,
            }
        )
    return pd.DataFrame(rows).astype({"gap_high_t": float, "gap_low_t": float})


def _over(counted: pd.DataFrame, figures: pd.DataFrame, scope: str, latest_year: int | None) -> pd.DataFrame:
    """Plants whose counted measures add up to more than their figure in the newest year (nothing is capped)."""
    columns = ["facility_id", "cut_t", "newest_t", "newest_year"]
    if counted.empty or latest_year is None:
        return pd.DataFrame(columns=columns)
    cuts = counted.groupby("facility_id")["cut_t"].sum()
    rows = figures[(figures["basis"] == "stated") & (figures["scope"] == scope) & (figures["year"] == latest_year)]
    newest = rows.groupby("facility_id")["amount_t"].sum()
    over = [
        {"facility_id": f, "cut_t": float(cut), "newest_t": float(newest[f]), "newest_year": int(latest_year)}
        for f, cut in cuts.items()
        if f in newest.index and cut > newest[f]
    ]
    return pd.DataFrame(over, columns=columns)


def sums_by_group(measures: pd.DataFrame) -> pd.DataFrame:
    """Sourced cuts summed per group and scope (tonnes of different scopes are never added): group, scope,
    measures, cut_t. Measures without a figure, counted in another or ended are not in any sum."""
    summed = measures[measures["cut_t"].notna() & measures["counted_in"].isna() & (measures["status"] != ENDED)]
    summed = summed.assign(
        group=[measure_group(s, bool(p)) for s, p in zip(summed["status"], summed["potential"], strict=True)]
    )
    table = summed.groupby(["group", "scope"], sort=False).agg(measures=("id", "size"), cut_t=("cut_t", "sum"))
    table = table.reset_index()
    table["order"] = table["group"].map(GROUPS.index)
    return table.sort_values(["order", "scope"]).drop(columns="order").reset_index(drop=True)


def site_summary(measures: pd.DataFrame, emitters: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per place (a site, or a plant for a measure without one): its emitters' newest figures, its measures and
    their sourced cuts summed by group and scope (`sums_by_group`). `emitters` maps each place id to its sources
    (with_latest_figure columns: id, facility, figure_t, figure_year, figure_scope).

    Columns: place_id, measures, no_figure, emitters (list of dicts), sums (a sums_by_group table)."""
    places = measures["site_id"].where(measures["site_id"].notna(), measures["facility_id"])
    rows = []
    for place_id, ours in measures.groupby(places, sort=False):
        sources = emitters.get(
            place_id, pd.DataFrame(columns=["id", "facility", "figure_t", "figure_year", "figure_scope"])
        )
        rows.append(
            {
                "place_id": place_id,
                "measures": len(ours),
                "no_figure": int(ours["cut_t"].isna().sum()),
                "emitters": sources[["id", "facility", "figure_t", "figure_year", "figure_scope"]].to_dict("records"),
                "sums": sums_by_group(ours),
            }
        )
    return pd.DataFrame(rows, columns=["place_id", "measures", "no_figure", "emitters", "sums"])


def filter_measures(measures: pd.DataFrame, statuses=(), kinds=()) -> pd.DataFrame:
    """The measures of the chosen statuses and kinds (none chosen: all)."""
    keep = pd.Series(True, index=measures.index)
    if statuses:
        keep &= measures["status"].isin(list(statuses))
    if kinds:
        keep &= measures["kind"].isin(list(kinds))
    return measures[keep]
