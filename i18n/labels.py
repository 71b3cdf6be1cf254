"""Labels built from several texts: park themes, search hits and key figures."""

from __future__ import annotations

from i18n.catalogue import DEFAULT_LANGUAGE, has, t


def theme_label(theme: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A park theme in `lang` (`theme_<word>` in the catalogues); a theme not listed is shown as it is."""
    key = f"theme_{theme}"
    return t(key, lang) if has(key) else theme


def search_hit_text(match, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "Elkem Thamshavn · medlem av CCS Midt-Norge": a search hit's name and what it is. `match` is
    analysis.search.Match (read by its fields: layer, label, cluster, role)."""
    if match.layer == "members":
        key = f"search_role_{match.role}"
        what = t(key if has(key) else "search_role_any", lang, cluster=match.cluster, role=match.role)
    else:
        key = f"search_hit_{match.layer}"
        what = t(key, lang) if has(key) else match.layer
    return t("search_hit", lang, label=match.label, what=what)


def key_figure_label(kpi, lang: str = DEFAULT_LANGUAGE, facilities: bool = False) -> str:
    """ "Fossilt CO₂ 2017" (with " · 4 anlegg" when `facilities`) for the one scope and year a key figure sums;
    the plain label when it sums nothing. `kpi` is analysis.kpi.KeyFigures (read by its fields)."""
    if kpi.scope is None:
        return t("kpi_total_none", lang)
    short = f"scope_short_{kpi.scope}"  # a scope whose full name would not fit a key-figure strip
    scope = t(short if has(short) else f"scope_{kpi.scope}", lang)
    label = t("kpi_scope_year", lang, scope=scope, year=kpi.year)
    return label + " · " + t("kpi_facilities", lang, n=kpi.facilities) if facilities else label


# The register a key figure's scope comes from: its credit line (hand-quoted scopes name their sources per record).
_SCOPE_CREDITS = {"ets": "ets_credit_short", "fossil": "eea_credit_short", "total": "eea_credit_short"}


def key_figure_source(kpi, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The credit of the register the key figure sums ("EU Transaction Log …" for the ETS), or None."""
    key = _SCOPE_CREDITS.get(kpi.scope or "")
    return t(key, lang) if key else None
