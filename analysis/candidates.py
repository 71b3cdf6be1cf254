"""Possible resource links ("mulighet") around a site: one actor's declared output meets another's input.

These are possibilities computed from declarations, never facts, and are kept apart from the
recorded flows (loaders/bundled/flows.py). A pair that already has a recorded flow is never listed.

An actor's declared outputs and inputs come from
- recorded flows: the giver declares the resource as output, the receiver as input (a fact);
- a park's themes, through THEME_DECLARATIONS, and an emission source's sector, through
  SECTOR_DECLARATIONS. Both mappings are HEURISTICS (typical for such sites, not stated for this
  one); the reason text says so.
Cluster members declare nothing on their own: membership says nothing about material streams.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis.neighbourhoods import check_radius, site_row
from config import CRS, METRIC_CRS
from core.portfolio import Portfolio
from loaders.bundled.flows import resolve_flows

LABEL = "mulighet"
COLOCATED_M = 1.0  # closer than this counts as the same position

# Heuristic: what a site with this theme typically gives (outputs) and takes (inputs).
# Themes without an entry (havn, industrisymbiose, grønn industri, bioøkonomi) declare nothing.
THEME_DECLARATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "overskuddsvarme": ((), ("overskuddsvarme",)),  # sites named for surplus heat use it
    "biogass": (("biogass", "biogjødsel"), ("slam", "husdyrgjødsel", "restråstoff")),
    "biogjødsel": (("biogjødsel",), ()),
    "havbruk": (("slam",), ()),  # fish-farm sludge
    "CO2": ((), ("CO2",)),  # the one CO2-themed site (Tjuin) takes CO2 in
    "næringsmiddel": (("restråstoff",), ()),  # food processing leaves by-products
    "trefiber": ((), ("trefiber",)),
    "hydrogen": (("hydrogen",), ()),
    "kalk": (("CO2",), ()),  # lime burning releases process CO2
}

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
    "reason_no",
    "reason_en",
    "distance_m",
    "label",
)


@dataclass(frozen=True)
class Basis:
    """Why an actor declares a resource: a recorded flow, a theme or a sector."""

    kind: str  # "flow", "theme" or "sector"
    value: str  # the flow id, theme or sector

    @property
    def no(self) -> str:
        if self.kind == "flow":
            return f"registrert strøm {self.value}"
        what = "tema" if self.kind == "theme" else "bransje"
        return f"{what} «{self.value}» (antakelse, typisk for slike aktører)"

    @property
    def en(self) -> str:
        if self.kind == "flow":
            return f"recorded flow {self.value}"
        return f"{self.kind} '{self.value}' (heuristic: typical for such actors)"


@dataclass
class Actor:
    key: tuple[str, float, float]  # casefolded name and rounded position: one actor across layers
    id: str | None  # layer id, None for free-text actors of flows
    name: str
    kind: str  # "parks", "sources", "members" or "actor"
    precision: str
    lon: float
    lat: float
    outputs: dict[str, list[Basis]] = field(default_factory=lambda: defaultdict(list))
    inputs: dict[str, list[Basis]] = field(default_factory=lambda: defaultdict(list))


def actors(portfolio: Portfolio, flows: pd.DataFrame) -> list[Actor]:
    """Every actor with its declared outputs and inputs.

    The same name at the same position in several layers (Elkem Thamshavn as a source and as a
    cluster member) is one actor; the first layer in the order sources, parks, members gives its id.
    """
    return _actors_and_recorded(portfolio, flows)[0]


def recorded_pairs(portfolio: Portfolio, flows: pd.DataFrame) -> set[tuple[tuple, tuple]]:
    """(giver key, receiver key) of every recorded flow, whatever its resource or status."""
    return _actors_and_recorded(portfolio, flows)[1]


def candidates(site_id: str, portfolio: Portfolio, flows: pd.DataFrame, radius_m: float) -> pd.DataFrame:
    """Possible links between actors within `radius_m` of the site (see `CANDIDATE_COLUMNS`).

    Both ends lie within the radius. Every row is labelled "mulighet". Left out: pairs with a
    recorded flow (in that direction, any resource), and a park paired with an actor (or park) at
    its own position, since such actors are placed there as part of it. Nearest pairs first.
    """
    radius_m = check_radius(radius_m)
    site = site_row(portfolio, site_id)
    everyone, recorded = _actors_and_recorded(portfolio, flows)

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
            if distance < COLOCATED_M and "parks" in (giver.kind, taker.kind):
                continue  # an actor drawn on a park's own point is taken as part of that park
            rows.extend(_row(site_id, giver, taker, resource, distance) for resource in shared)
    frame = pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))
    return frame.sort_values(["distance_m", "resource", "from_name", "to_name"], kind="stable").reset_index(drop=True)


def _actors_and_recorded(portfolio: Portfolio, flows: pd.DataFrame) -> tuple[list[Actor], set[tuple[tuple, tuple]]]:
    by_key: dict[tuple, Actor] = {}
    by_id: dict[str, Actor] = {}

    def add(ref: str | None, name: str, kind: str, precision: str, lon: float, lat: float) -> Actor:
        key = (name.casefold().strip(), round(lon, 5), round(lat, 5))
        actor = by_key.get(key)
        if actor is None:
            actor = by_key[key] = Actor(key, ref, name, kind, precision, lon, lat)
        if ref is not None:
            by_id[ref] = actor
        return actor

    for row, point in _rows(portfolio.sources):
        actor = add(row["id"], row["facility"], "sources", row["location_precision"], point.x, point.y)
        outputs, inputs = SECTOR_DECLARATIONS.get(row["sector"], ((), ()))
        _declare(actor, outputs, inputs, Basis("sector", row["sector"]))
    for row, point in _rows(portfolio.parks):
        actor = add(row["id"], row["name"], "parks", row["location_precision"], point.x, point.y)
        for theme in row["themes"]:
            outputs, inputs = THEME_DECLARATIONS.get(theme, ((), ()))
            _declare(actor, outputs, inputs, Basis("theme", theme))
    for row, point in _rows(portfolio.members):
        add(row["id"], row["company"], "members", row["location_precision"], point.x, point.y)

    recorded = set()
    for flow in resolve_flows(flows, portfolio).to_dict("records"):
        ends = []
        for end in ("from", "to"):
            ref = flow[f"{end}_id"]
            if isinstance(ref, str):
                ends.append(by_id[ref])  # resolve_flows has checked the id
            else:
                name, precision = flow[f"{end}_name"], flow[f"{end}_precision"]
                ends.append(add(None, name, "actor", precision, flow[f"{end}_lon"], flow[f"{end}_lat"]))
        basis = Basis("flow", flow["id"])
        _declare(ends[0], (flow["resource"],), (), basis)
        _declare(ends[1], (), (flow["resource"],), basis)
        recorded.add((ends[0].key, ends[1].key))
    return list(by_key.values()), recorded


def _row(site_id: str, giver: Actor, taker: Actor, resource: str, distance_m: float) -> dict:
    given, taken = giver.outputs[resource], taker.inputs[resource]
    km = f"{distance_m / 1000:.1f}"
    reason_no = (
        f"{giver.name} kan gi {resource} ({'; '.join(b.no for b in given)}); "
        f"{taker.name} kan ta imot {resource} ({'; '.join(b.no for b in taken)}). "
        f"Avstand {km.replace('.', ',')} km. Mulighet, ikke registrert strøm."
    )
    reason_en = (
        f"{giver.name} may give {resource} ({'; '.join(b.en for b in given)}); "
        f"{taker.name} may take {resource} ({'; '.join(b.en for b in taken)}). "
        f"Distance {km} km. A possibility, not a recorded flow."
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
        "reason_no": reason_no,
        "reason_en": reason_en,
        "distance_m": distance_m,
        "label": LABEL,
    }


def _declare(actor: Actor, outputs: tuple[str, ...], inputs: tuple[str, ...], basis: Basis) -> None:
    for resource in outputs:
        actor.outputs[resource].append(basis)
    for resource in inputs:
        actor.inputs[resource].append(basis)


def _rows(layer: gpd.GeoDataFrame):
    # Polygons (parks) stand at a point guaranteed to lie inside them.
    return zip(layer.to_dict("records"), layer.geometry.representative_point(), strict=True)
