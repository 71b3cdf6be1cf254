"""Tooltip and popup HTML built only from escaped values.

folium's GeoJsonTooltip/GeoJsonPopup insert property values with innerHTML, so every value
that reaches them is escaped here first, and links are kept only for http(s) URLs.
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlparse

from core.sources import source_name
from core.values import is_missing
from i18n import DEFAULT_LANGUAGE, fmt_number, fmt_tonnes, key_figure_label, t


def esc(value: object) -> str:
    """Text for HTML: None and NaN become empty, everything else is escaped."""
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


def place_html(name: object, norwegian: str | None) -> str:
    """A municipality's name as HTML, its South Sami form marked `lang="sma"` (WCAG 3.1.2: a screen reader then
    does not read "Snåase" as Norwegian). `norwegian`: its Norwegian form (core.kommunenummer.CURRENT); a name
    that is not "a - b" with it as one part comes out as plain escaped text."""
    parts = str(name).split(" - ")
    if is_missing(name) or not norwegian or len(parts) != 2 or norwegian not in parts:
        return esc(name)
    return " - ".join(esc(part) if part == norwegian else f'<span lang="sma">{esc(part)}</span>' for part in parts)


def script_json(value: object) -> str:
    """`value` as a JavaScript literal inside a <script>: JSON that can never close the script element."""
    return json.dumps(value).replace("</", "<\\/")


def source_label(url: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """What a link to `url` reads as in `lang` (core.sources, the catalogue's `source_link_*`), or None when it is
    not an http(s) link."""
    name = source_name(url)
    return None if name is None else t(name[0], lang, **name[1])


def source_links(source_url: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """' ; '-separated source URLs as links named as sources (core.sources: «Havnedata (kyogre), GitHub»,
    else the host); anything not http(s) stays plain text."""
    parts = [p.strip() for p in str(source_url or "").split(" ; ") if p.strip()]
    links = []
    for url in parts:
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https") and parsed.netloc:
            label = esc(source_label(url, lang))
            links.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>')
        else:
            links.append(esc(url))
    return ", ".join(links)


def rows_table(pairs: list[tuple[str, str]]) -> str:
    """Label/value rows; values are already-safe HTML."""
    body = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in pairs if value)
    return f'<table class="ik-popup">{body}</table>'


def _source_row(row: dict, lang: str) -> tuple[str, str]:
    year = row.get("source_year")
    year_text = t("year_unknown", lang) if year is None or is_missing(year) else str(int(year))
    return t("source", lang), f"{source_links(row.get('source_url'), lang)} ({esc(year_text)})"


def _placed_row(row: dict, lang: str) -> tuple[str, str]:
    return t("placed_at", lang), esc(t(f"precision_{row['location_precision']}", lang))


def park_popup(row: dict, lang: str) -> str:
    status = row.get("status") if isinstance(row.get("status"), str) else None
    area = ""
    if not is_missing(row.get("area")):
        area = esc(f"{fmt_number(row['area'], lang)} {row.get('area_unit') or ''}".strip())
    return f"<b>{esc(row['name'])}</b>" + rows_table(
        [
            (t("municipality", lang), esc(row["municipality"])),
            (t("status", lang), esc(t(f"status_{status}", lang))),
            (t("field_focus", lang), esc(row.get("focus"))),
            (t("field_themes", lang), esc(", ".join(row.get("themes") or []))),
            (t("field_companies", lang), esc(row.get("companies"))),
            (t("field_area", lang), area),
            _placed_row(row, lang),
            _source_row(row, lang),
        ]
    )


def source_popup(row: dict, lang: str) -> str:
    if is_missing(row.get("figure_t")):
        figure = esc(t("no_figure", lang))
    else:
        year = row.get("figure_year")
        year_text = t("year_unknown", lang) if is_missing(year) else str(int(year))
        figure = (
            f"{esc(fmt_tonnes(row['figure_t'], lang))} {esc(t('scope_' + row['figure_scope'], lang))}, "
            f"{esc(year_text)} ({source_links(row.get('figure_source'), lang)})"
        )
    return f"<b>{esc(row['facility'])}</b>" + rows_table(
        [
            (t("field_operator", lang), esc(row.get("operator"))),
            (t("municipality", lang), esc(row["municipality"])),
            (t("sector", lang), esc(row.get("sector"))),
            (t("field_latest", lang), figure),
            (t("field_note", lang), esc(row.get("note"))),
            _placed_row(row, lang),
            _source_row(row, lang),
        ]
    )


def members_popup(rows: list[dict], lang: str) -> str:
    """One popup for every membership at one point."""
    items = "".join(
        f"<li><b>{esc(r['company'])}</b> – {esc(r['cluster'])} ({esc(t('role_' + r['role'], lang))})</li>" for r in rows
    )
    first = rows[0]
    return (
        f"<b>{esc(first['municipality'])}</b> · {esc(t('memberships_here', lang, n=len(rows)))}"
        f'<ul class="ik-members">{items}</ul>' + rows_table([_placed_row(first, lang)])
    )


def members_tooltip(rows: list[dict], lang: str) -> str:
    names = sorted({r["company"] for r in rows})
    shown = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
    return esc(shown)


# Kart's brief popups: the record panel beside the map shows the full record, so a popup names the feature and
# gives its one figure (in the key figure's scope and year), no more.


def scope_figure_text(kpi, facility_id: str, lang: str) -> str:
    """The facility's figure in the scope and year of the key figure above the map ("EU ETS, CO₂-ekv. 2022:
    218 541 t"), or that it has none there ("ingen tall i EU ETS, CO₂-ekv. 2022"): never another scope's figure.
    `kpi` is analysis.kpi.KeyFigures; plain text (escape it for HTML)."""
    if kpi.scope is None:  # no shown source has a dated figure: nothing is summed, nothing to show
        return t("no_figure", lang)
    label = key_figure_label(kpi, lang)
    amount = kpi.figure_of(facility_id)
    if amount is None:
        return t("kart_scope_none", lang, label=label)
    return t("kart_scope_figure", lang, label=label, amount=fmt_tonnes(amount, lang))


def brief_source_popup(row: dict, kpi, lang: str) -> str:
    figure = esc(scope_figure_text(kpi, row["id"], lang))
    return f'<b>{esc(row["facility"])}</b><div class="ik-brief">{figure}</div>'


def brief_park_popup(row: dict, lang: str) -> str:
    status = row.get("status") if isinstance(row.get("status"), str) else None
    return f'<b>{esc(row["name"])}</b><div class="ik-brief">{esc(t(f"status_{status}", lang))}</div>'


def brief_members_popup(rows: list[dict], lang: str) -> str:
    """The place, how many memberships there and the first few companies (the record panel lists them all)."""
    first = rows[0]
    return (
        f"<b>{esc(first['municipality'])}</b> · {esc(t('memberships_here', lang, n=len(rows)))}"
        f'<div class="ik-brief">{members_tooltip(rows, lang)}</div>'
    )
