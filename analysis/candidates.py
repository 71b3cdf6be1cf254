"""Possible resource links ("mulighet") around a site: one company's declared output meets another company's input.

These are possibilities computed from declarations, never facts, and are kept apart from the
recorded flows (loaders/bundled/flows.py). A pair that already has a recorded flow is never listed.

Both ends are actors (analysis.neighbourhoods.actor_table: an emission source and its cluster memberships are one
actor; a flow's free-text company joins the actor that is the same company, core.names) with a known place within
the radius of a site that has one. A park is an area, never an end: its themes declare nothing here.

An actor's declared outputs and inputs come from
- recorded flows: the giver declares the resource as output, the receiver as input (a fact);
- an emission source's sector, through SECTOR_DECLARATIONS: a HEURISTIC (typical for such plants, not
  stated for this one); the reason says so.
Each row's reason is a `core.messages.Message` (`candidate_reason`, with the bases as messages): the page renders
it in the user's language with `i18n.error_text`.
Cluster members declare nothing on their own: membership says nothing about material streams.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis.neighbourhoods import IMPRECISE, actor_table, check_radius, site_row
from config import CRS, METRIC_CRS
from core.messages import Message
from core.names import company_key, same_company
from core.portfolio import Portfolio
from loaders.bundled.flows import resolve_flows

LABEL = "mulighet"

# Heuristic: typical outputs and inputs of an emission source's sector.
SECTOR_DECLARATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Metallurgisk industri": (("overskuddsvarme", "CO2"), ()),
    "Avfallsforbrenning og fjernvarme": (("overskuddsvarme", "CO2"), ("restavfall",)),
    "Mineralsk industri (kalk)": (("CO2",), ()),
    "Treforedling": (("slam", "overskuddsvarme"), ("trefiber",)),
}

CANDIDATE_COLUMNS = (
    "site_id",
    "from_id",
    "from_name",
    "from_kind",
    "from_precision",
    "to_id",
    "to_name",
    "to_kind",
    "to_precision",
    "resource",
    "reason",  # a core.messages.Message
    "distance_m",
    "label",
)


@dataclass(frozen=True)
class Basis:
    """Why an actor declares a resource: a recorded flow or a sector."""

    kind: str  # "flow" or "sector"
    value: str  # the flow id or sector

    @property
    def message(self) -> Message:
        if self.kind == "flow":
            return Message("candidate_basis_flow", flow=self.value)
        return Message("candidate_basis_sector", sector=self.value)


@dataclass
class Actor:
    key: str  # analysis.neighbourhoods actor id ("company:<key>" for a flow's free-text company)
    id: str | None  # the layer id (the source's, else the first membership's), None for free-text actors of flows
    name: str
    kind: str  # "sources", "members", "sources+members" or "actor"
    precision: str
    lon: float
    lat: float
    outputs: dict[str, list[Basis]] = field(default_factory=lambda: defaultdict(list))
    inputs: dict[str, list[Basis]] = field(default_factory=lambda: defaultdict(list))


def actors(portfolio: Portfolio, flows: pd.DataFrame) -> list[Actor]:
    """Every company actor with its declared outputs and inputs (parks are areas, not actors)."""
    return _actors_and_recorded(portfolio, flows)[0]


def recorded_pairs(portfolio: Portfolio, flows: pd.DataFrame) -> set[tuple[str, str]]:
    """(giver key, receiver key) of every recorded flow between two actors, whatever its resource or status."""
    return _actors_and_recorded(portfolio, flows)[1]


def candidates(site_id: str, portfolio: Portfolio, flows: pd.DataFrame, radius_m: float) -> pd.DataFrame:
    """Possible links between two company actors with a known place within `radius_m` of the site (see
    `CANDIDATE_COLUMNS`); none around a site at its municipality's centre.

    Every row is labelled "mulighet". Left out: pairs with a recorded flow (in that direction, any resource).
    Nearest pairs first.
    """
    return candidates_around(site_row(portfolio, site_id), portfolio, flows, radius_m)


def candidates_around(site: pd.Series, portfolio: Portfolio, flows: pd.DataFrame, radius_m: float) -> pd.DataFrame:
    """`candidates` around a site row (a park's, or a point's from analysis.neighbourhoods.point_site)."""
    radius_m = check_radius(radius_m)
    site_id = site["id"]
    if site["location_precision"] == IMPRECISE:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    everyone, recorded = _actors_and_recorded(portfolio, flows)
    everyone = [a for a in everyone if a.precision != IMPRECISE]

    points = gpd.GeoSeries(gpd.points_from_xy([a.lon for a in everyone], [a.lat for a in everyone]), crs=CRS)
    points_m = points.to_crs(METRIC_CRS)
    site_m = gpd.GeoSeries([site.geometry], crs=CRS).to_crs(METRIC_CRS).iloc[0]
    near = [i for i, d in enumerate(points_m.distance(site_m)) if d <= radius_m]

    rows = []
    for i in near:
        giver = everyone[i]
        for j in near:
            taker = everyone[j]
            shared = sorted(set(giver.outputs) & set(taker.inputs))
            if i == j or not shared or (giver.key, taker.key) in recorded:
                continue
            distance = float(points_m.iloc[i].distance(points_m.iloc[j]))
            rows.extend(_row(site_id, giver, taker, resource, distance) for resource in shared)
    frame = pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))
    return frame.sort_values(["distance_m", "resource", "from_name", "to_name"], kind="stable").reset_index(drop=True)


def _actors_and_recorded(portfolio: Portfolio, flows: pd.DataFrame) -> tuple[list[Actor], set[tuple[str, str]]]:
    table = actor_table(portfolio)
    by_key: dict[str, Actor] = {}
    by_id: dict[str, Actor] = {}
    names: list[tuple[Actor, tuple]] = []  # an actor and the names it goes by, for a flow's free-text end
    sources = portfolio.sources.set_index("id")
    for row in table.to_dict("records"):
        kind = "+".join(f"{role}s" for role in row["roles"])
        first = row["source_id"] or row["member_ids"][0]
        point = row["geometry"]
        actor = Actor(row["actor_id"], first, row["name"], kind, row["location_precision"], point.x, point.y)
        by_key[actor.key] = actor
        for ref in (row["source_id"], *row["member_ids"]):
            if isinstance(ref, str):
                by_id[ref] = actor
        source = sources.loc[row["source_id"]] if isinstance(row["source_id"], str) else None
        known = (row["name"],) if source is None else (source["facility"], source.get("operator"))
        names.append((actor, (source.get("orgnr") if source is not None else None, known)))
        if source is not None:
            outputs, inputs = SECTOR_DECLARATIONS.get(source["sector"], ((), ()))
            _declare(actor, outputs, inputs, Basis("sector", source["sector"]))

    def free_text(name: str, precision: str, lon: float, lat: float) -> Actor:
        for actor, (orgnr, known) in names:
            if same_company(None, [name], orgnr, known):
                return actor
        actor = Actor(f"company:{company_key(name) or name}", None, name, "actor", precision, lon, lat)
        by_key.setdefault(actor.key, actor)
        names.append((by_key[actor.key], (None, (name,))))
        return by_key[actor.key]

    recorded = set()
    for flow in resolve_flows(flows, portfolio).to_dict("records"):
        ends = []
        for end in ("from", "to"):
            ref = flow[f"{end}_id"]
            if isinstance(ref, str):
                ends.append(by_id.get(ref))  # None for a park: an area, not a company
            else:
                precision, lon, lat = flow[f"{end}_precision"], flow[f"{end}_lon"], flow[f"{end}_lat"]
                ends.append(free_text(flow[f"{end}_name"], precision, lon, lat))
        basis = Basis("flow", flow["id"])
        if ends[0] is not None:
            _declare(ends[0], (flow["resource"],), (), basis)
        if ends[1] is not None:
            _declare(ends[1], (), (flow["resource"],), basis)
        if ends[0] is not None and ends[1] is not None:
            recorded.add((ends[0].key, ends[1].key))
    return list(by_key.values()), recorded


def _row(site_id: str, giver: Actor, taker: Actor, resource: str, distance_m: float) -> dict:
    given, taken = giver.outputs[resource], taker.inputs[resource]
    reason = Message(
        "candidate_reason",
        giver=giver.name,
        taker=taker.name,
        resource=resource,
        given=[basis.message for basis in given],
        taken=[basis.message for basis in taken],
        distance_km=distance_m / 1000,
    )
    return {
        "site_id": site_id,
        "from_id": giver.id,
        "from_name": giver.name,
        "from_kind": giver.kind,
        "from_precision": giver.precision,
        "to_id": taker.id,
        "to_name": taker.name,
        "to_kind": taker.kind,
        "to_precision": taker.precision,
        "resource": resource,
        "reason": reason,
        "distance_m": distance_m,
        "label": LABEL,
    }


def _declare(actor: Actor, outputs: tuple[str, ...], inputs: tuple[str, ...], basis: Basis) -> None:
    for resource in outputs:
        actor.outputs[resource].append(basis)
    for resource in inputs:
        actor.inputs[resource].append(basis)
