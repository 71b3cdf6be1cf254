"""Plain tables and texts for the portfolio page, with translated headings (no Streamlit here).

Tables that are meant for sorting (ranking, distances) keep numbers as numbers; the side-by-side
comparison is for reading, so its cells are formatted text in the chosen language.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlparse

import pandas as pd

from analysis.neighbourhoods import IMPRECISE, EmissionSum, Neighbourhood, PortfolioSummary
from core.portfolio import Portfolio
from core.sectors import GROUP_INDUSTRY, GROUP_SUPPORTING, GROUP_UNKNOWN, MEMBER_SECTORS, basis_parts
from core.sources import readable_host
from i18n import error_text, fmt_number, fmt_tonnes, key_figure_label, t
from i18n import fmt_km as km_text  # '1,5 km' / '1.5 km', as the pages and slides write it


def site_names(portfolio: Portfolio) -> dict[str, str]:
    return dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))


def status_text(status: object, lang: str) -> str:
    return t(f"status_{status if isinstance(status, str) else None}", lang)


def scope_text(emissions: EmissionSum, lang: str) -> str:
    """ "EU ETS, CO₂-ekv. 2022": the one scope and year every Portefølje sum takes (Kart's key-figure label)."""
    return key_figure_label(emissions, lang)


def emissions_label(emissions: EmissionSum, lang: str) -> str:
    """ "Utslipp i nabolagene (EU ETS, CO₂-ekv. 2022)"."""
    return t("pf_kpi_emissions_scope", lang, scope=scope_text(emissions, lang))


# --- side by side --------------------------------------------------------------------------------


def comparison_table(
    compared: pd.DataFrame, hoods: Sequence[Neighbourhood], portfolio: Portfolio, lang: str
) -> pd.DataFrame:
    """`analysis.neighbourhoods.compare` as text: one row per measure, one column per site (by name)."""
    names = site_names(portfolio)
    by_id = {h.site_id: h for h in hoods}
    columns = {}
    for site_id in compared.columns:
        c, hood = compared[site_id], by_id[site_id]
        others = [names.get(i, i) for i in hood.colocated_sites]
        nearest, nearest_key, nearest_m = t("pf_none", lang), "pf_row_nearest", "–"
        if isinstance(c["nearest_emitter_id"], str):
            nearest = f"{c['nearest_emitter']} ({fmt_tonnes(c['nearest_emitter_t'], lang)})"
            if c.get("nearest_emitter_year") is not None and not pd.isna(c.get("nearest_emitter_year")):
                nearest = t(
                    "portfolio_nearest_year",
                    lang,
                    name=c["nearest_emitter"],
                    tonnes=fmt_tonnes(c["nearest_emitter_t"], lang),
                    scope=t(f"scope_{c['nearest_emitter_scope']}", lang),
                    year=int(c["nearest_emitter_year"]),
                )
            nearest_m = km_text(c["nearest_emitter_m"], lang)
            if not bool(c["nearest_emitter_large"]):
                nearest_key = "pf_row_nearest_any"
        has_sum = c["emissions_t"] is not None and not pd.isna(c["emissions_t"])
        column = {
            "pf_row_municipality": c["municipality"],
            "pf_row_status": status_text(c["status"], lang),
            "pf_row_themes": c["themes"].replace("; ", ", "),
            "pf_row_precision": t(f"precision_{c['location_precision']}", lang),
            "pf_row_colocated": ", ".join(others) or "–",
            "pf_row_radius": km_text(c["radius_m"], lang),
            "pf_row_sources_inside": fmt_number(c["sources_inside"], lang),
            "pf_row_sources_with_figure": fmt_number(c["sources_with_figure"], lang),
            "pf_row_emissions": fmt_tonnes(c["emissions_t"] if has_sum else None, lang),
            "pf_row_actors_inside": fmt_number(c["actors_inside"], lang),
            "pf_row_industry": _listed(hood.group(GROUP_INDUSTRY), lang),
            "pf_row_supporting": _listed(hood.group(GROUP_SUPPORTING), lang),
            "pf_row_unknown_sector": _listed(hood.group(GROUP_UNKNOWN), lang),
            "pf_row_unplaced": "; ".join(hood.unplaced["name"]) or t("pf_none", lang),
            nearest_key: nearest,
            "pf_row_nearest_m": nearest_m,
        }
        columns[_unique(str(hood.site["name"]), columns)] = column
    # One label column: the nearest-emitter row may be named differently per site (large or any size).
    labels = list(dict.fromkeys(key for column in columns.values() for key in column))
    scope = scope_text(hoods[0].emissions, lang) if hoods else ""
    text = {"pf_row_emissions": t("pf_row_emissions_scope", lang, scope=scope)}
    frame = pd.DataFrame({t("pf_measure", lang): [text.get(key) or t(key, lang) for key in labels]})
    for name, column in columns.items():
        frame[name] = [column.get(key, "–") for key in labels]
    return frame


def _listed(actors: pd.DataFrame, lang: str) -> str:
    if actors.empty:
        return t("pf_none", lang)
    pairs = zip(actors["name"], actors["distance_m"], strict=True)
    return "; ".join(f"{name} ({km_text(distance, lang)})" for name, distance in pairs)


def _unique(name: str, taken: dict) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


# --- ranking -------------------------------------------------------------------------------------


def ranking_table(ranking: pd.DataFrame, portfolio: Portfolio, lang: str, scope: str = "") -> pd.DataFrame:
    """`analysis.neighbourhoods.ranking` for st.dataframe: counts, tonnes and km stay numbers (sortable); a tie is
    one rank and says so; a site at its municipal centre has no rank. `scope`: `scope_text` of the sums."""
    names = site_names(portfolio)
    emissions = ranking["emissions_t"].astype("Float64")
    ties = []
    for unranked, tied, same in zip(ranking["rank"].isna(), ranking["tied"], ranking["same_actors_as"], strict=True):
        if unranked:
            ties.append(t("pf_not_ranked", lang))
        elif same:
            ties.append(t("pf_tie_same_actors", lang, others=", ".join(names.get(i, i) for i in same.split("; "))))
        else:
            ties.append(t("pf_tie", lang) if tied else "–")
    return pd.DataFrame(
        {
            t("pf_col_rank", lang): ranking["rank"].astype("Int64"),
            t("pf_col_site", lang): ranking["name"],
            t("pf_col_tie", lang): ties,
            t("municipality", lang): ranking["municipality"],
            t("status", lang): [status_text(s, lang) for s in ranking["status"]],
            t("pf_row_themes", lang): ranking["themes"].str.replace("; ", ", "),
            t("pf_row_sources_inside", lang): ranking["sources_inside"].astype(int),
            t("pf_col_emissions_scope", lang, scope=scope): emissions.round(0),
            t("pf_row_actors_inside", lang): ranking["actors_inside"].astype(int),
            t("pf_group_industry", lang): ranking["industry_inside"].astype(int),
            t("pf_group_supporting", lang): ranking["supporting_inside"].astype(int),
            t("pf_group_unknown", lang): ranking["unknown_sector_inside"].astype(int),
            t("pf_row_unplaced", lang): ranking["unplaced_in_municipality"].astype(int),
            t("pf_row_nearest", lang): ranking["nearest_emitter"].fillna("–"),
            t("pf_col_nearest_km", lang): (ranking["nearest_emitter_m"].astype("Float64") / 1000).round(1),
            t("pf_row_precision", lang): [t(f"precision_{p}", lang) for p in ranking["location_precision"]],
            t("pf_row_colocated", lang): [
                ", ".join(names.get(i, i) for i in ids.split("; ") if i) or "–" for ids in ranking["colocated_with"]
            ],
        }
    )


# --- actors --------------------------------------------------------------------------------------


def basis_text(basis: object, lang: str) -> str | None:
    """A member's `sector_basis` in the page's language: its code named, its detail as the source gives it."""
    parts = basis_parts(basis)
    if parts is None:
        return basis if isinstance(basis, str) else None  # an uploaded layer's own words, shown as they are
    code, detail = parts
    return t(f"pf_basis_{code}", lang) + (f": {detail}" if detail else "")


def actors_table(hood: Neighbourhood, lang: str) -> pd.DataFrame:
    """The actors inside (nearest first, with km) then those in the municipality whose place is unknown (no
    distance, "i kommunen, plassering ukjent"); one row per actor with its roles, group and the sector's basis."""
    rows = []
    for frame, placed in ((hood.actors, True), (hood.unplaced, False)):
        for actor in frame.to_dict("records"):
            roles = [t("pf_role_source", lang)] if "source" in actor["roles"] else []
            if "member" in actor["roles"]:
                roles += [  # as each source states it: a project participant is no cluster member
                    t("pf_role_in", lang, role=t(f"role_{role}", lang), cluster=cluster)
                    for cluster, role in actor["cluster_roles"]
                ]
            sector, is_source = actor["sector"], isinstance(actor["source_id"], str)
            group = t(f"pf_group_{actor['sector_group']}", lang)
            if not is_source and sector in MEMBER_SECTORS:
                group += f" ({t('pf_sector_' + sector, lang)})"
            basis = basis_text(actor["sector_basis"], lang)
            if is_source:
                basis = t("pf_basis_emission_source", lang) + (f": «{sector}»" if isinstance(sector, str) else "")
            rows.append(
                {
                    t("pf_col_actor", lang): actor["name"],
                    t("pf_col_roles", lang): "; ".join(roles),
                    t("pf_col_group", lang): group,
                    t("pf_col_sector_basis", lang): basis if isinstance(basis, str) else "–",
                    t("pf_col_where", lang): t(f"precision_{actor['location_precision']}", lang)
                    if placed
                    else t("pf_place_unknown", lang),
                    t("pf_col_distance_km", lang): round(actor["distance_m"] / 1000, 1) if placed else None,
                }
            )
    columns = ["pf_col_actor", "pf_col_roles", "pf_col_group", "pf_col_sector_basis", "pf_col_where"]
    frame = pd.DataFrame(rows, columns=[*(t(c, lang) for c in columns), t("pf_col_distance_km", lang)])
    return frame.astype({t("pf_col_distance_km", lang): "Float64"})


# --- flows and possibilities --------------------------------------------------------------------


def actor_text(name: object, precision: object, lang: str) -> str:
    """The actor's name, with a warning when it is placed at a municipal centre."""
    if precision == IMPRECISE:
        return f"{name} · {t('precision_' + IMPRECISE, lang)}"
    return str(name)


def recorded_flows_table(lines: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Recorded flows (resolved, e.g. from `flow_lines`) as text; hostile names stay plain text."""
    return pd.DataFrame(
        {
            t("pf_from", lang): [
                actor_text(n, p, lang) for n, p in zip(lines["from_name"], lines["from_precision"], strict=True)
            ],
            t("pf_to", lang): [
                actor_text(n, p, lang) for n, p in zip(lines["to_name"], lines["to_precision"], strict=True)
            ],
            t("pf_resource", lang): [t(f"resource_{r}", lang) for r in lines["resource"]],
            t("status", lang): [t(f"flow_status_{s}", lang) for s in lines["status"]],
            t("source_year", lang): [
                t("year_unknown", lang) if pd.isna(y) else str(int(y)) for y in lines["source_year"]
            ],
            t("field_quote", lang): lines["quote"].fillna("").astype(str).tolist(),
            t("field_note", lang): lines["note"].fillna("").astype(str).tolist(),
            t("field_source_url", lang): lines["source_url"].astype(str).tolist(),
            t("pf_col_layer", lang): [
                layer if isinstance(layer, str) else t("pf_bundled", lang)
                for layer in (lines["layer"] if "layer" in lines else [None] * len(lines))
            ],
        }
    )


def candidates_table(candidates: pd.DataFrame, lang: str) -> pd.DataFrame:
    """analysis.candidates rows: every row says "mulighet"/"possibility"; the reason in the chosen language."""
    return pd.DataFrame(
        {
            t("pf_from", lang): [
                actor_text(n, p, lang)
                for n, p in zip(candidates["from_name"], candidates["from_precision"], strict=True)
            ],
            t("pf_to", lang): [
                actor_text(n, p, lang) for n, p in zip(candidates["to_name"], candidates["to_precision"], strict=True)
            ],
            t("pf_resource", lang): [t(f"resource_{r}", lang) for r in candidates["resource"]],
            t("pf_col_distance_km", lang): (candidates["distance_m"].astype(float) / 1000).round(1),
            t("pf_col_reason", lang): [error_text(reason, lang) for reason in candidates["reason"]],
            t("pf_col_label", lang): [t("pf_label_possibility", lang)] * len(candidates),
        }
    )


# --- notices, summary and sources ---------------------------------------------------------------


def site_notices(hoods: Sequence[Neighbourhood], portfolio: Portfolio, lang: str) -> list[tuple[str, str]]:
    """("warning"|"info", text) for sites placed at a municipal centre or on another site's point."""
    names = site_names(portfolio)
    notices = []
    for hood in hoods:
        name = hood.site["name"]
        if hood.location_precision == IMPRECISE:
            notices.append(("warning", t("pf_site_unplaced", lang, name=name, municipality=hood.site["municipality"])))
        if hood.colocated_sites:
            others = ", ".join(
                f"«{names.get(i, i)}»" if lang != "en" else f"“{names.get(i, i)}”" for i in hood.colocated_sites
            )
            notices.append(("info", t("pf_notice_colocated", lang, name=name, others=others)))
    return notices


def summary_tables(summary: PortfolioSummary, lang: str) -> dict[str, pd.DataFrame]:
    """Sites by status, sites by theme, recorded flows by resource and status."""
    sites = t("pf_col_sites", lang)
    flows = summary.flows_by_resource
    return {
        "status": pd.DataFrame(
            {
                t("status", lang): [status_text(s, lang) for s in summary.sites_by_status["status"]],
                sites: summary.sites_by_status["sites"].astype(int).tolist(),
            }
        ),
        "theme": pd.DataFrame(
            {
                t("theme", lang): summary.sites_by_theme["theme"].tolist(),
                sites: summary.sites_by_theme["sites"].astype(int).tolist(),
            }
        ),
        "flows": pd.DataFrame(
            {
                t("pf_resource", lang): [t(f"resource_{r}", lang) for r in flows["resource"]],
                t("status", lang): [t(f"flow_status_{s}", lang) for s in flows["status"]],
                t("pf_col_flows", lang): flows["flows"].astype(int).tolist(),
            }
        ),
    }


def source_hosts(*url_columns: Sequence[object]) -> list[str]:
    """The distinct http(s) hosts in columns of ';'-separated source URLs, sorted."""
    hosts = set()
    for column in url_columns:
        for value in column:
            for url in str(value if isinstance(value, str) else "").split(";"):
                parsed = urlparse(url.strip())
                if parsed.scheme in ("http", "https") and parsed.netloc:
                    hosts.add(readable_host(parsed.netloc))
    return sorted(hosts)


def sources_line(hosts: Sequence[str], lang: str) -> str:
    return t("pf_sources_line", lang, hosts=", ".join(hosts) or "–")


def actor_options(portfolio: Portfolio, lang: str) -> dict[str, str]:
    """Every park, emission source and cluster membership the form can pick: id -> label, by label."""
    labels = {}
    for row in portfolio.parks.itertuples(index=False):
        labels[row.id] = f"{row.name} ({t('pf_kind_parks', lang)})"
    for row in portfolio.sources.itertuples(index=False):
        labels[row.id] = f"{row.facility} ({t('pf_kind_sources', lang)})"
    for row in portfolio.members.itertuples(index=False):
        labels[row.id] = f"{row.company} ({t('pf_kind_members', lang)}, {row.cluster})"
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))


def actor_names(portfolio: Portfolio) -> dict[str, str]:
    """id -> name of every park, emission source and cluster membership."""
    return {
        **dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True)),
        **dict(zip(portfolio.sources["id"], portfolio.sources["facility"], strict=True)),
        **dict(zip(portfolio.members["id"], portfolio.members["company"], strict=True)),
    }
