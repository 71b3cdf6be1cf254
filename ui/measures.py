"""The measures' Streamlit side: loading them, their filters, the path-with-measures section, a site's list, the
summary and the editors' form, list, bin and import."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

import config
from analysis import emissions as em
from analysis.figures import with_latest_figure
from analysis.measures import filter_measures, measures_path, site_summary
from analysis.neighbourhoods import neighbourhood
from exports.charts import chart_pdf, chart_png, gap_text, group_label, localised, measures_chart
from exports.slides import measures_slide, slides_pptx
from exports.tables import csv_bytes, xlsx_bytes
from i18n import error_text, fmt_tonnes, t
from loaders import LayerError, Portfolio
from loaders.bundled.flow_store import slug
from loaders.bundled.measure_store import (
    AllMeasures,
    PartialImport,
    add_measure,
    all_measures,
    apply_import,
    binned_measure_ids,
    change_measure,
    plan_import,
    stored_measure_layers,
)
from loaders.bundled.measures import (
    MEASURE_KINDS,
    MEASURE_SCOPES,
    MEASURE_STATUSES,
    load_measures,
    measure_points,
    measure_records_csv,
    measure_records_geojson,
)
from maps.measures import cut_text
from store import StoreError, open_store
from store.base import LayerInfo, LayerStore
from ui.access import signed_in_editor
from ui.data import store_key
from ui.shared_frames import shared_view
from ui.state import keep_widget_state
from ui.text import escape_markdown
from ui.widget_texts import file_uploader

FILTER_KEYS = ("pf_m_statuses", "pf_m_kinds")
_FLASH = "ms_flash"


@st.cache_resource(show_spinner=False)
def _bundled(path: str, _portfolio: Portfolio, directory: str) -> pd.DataFrame:
    return load_measures(path, _portfolio)


@st.cache_resource(show_spinner=False, max_entries=2048)
def _stored_measure(key: str, layer_id: int, version: int) -> gpd.GeoDataFrame:
    # A measure layer version never changes once written: read once per process, not on every rerun.
    return open_store().read(layer_id, version)


class _CachedReads:
    """The store as all_measures reads it: each listed measure version from the cache above."""

    def __init__(self, listing: list[LayerInfo]):
        self._versions = {info.id: info.version for info in listing}

    def read(self, layer_id: int) -> gpd.GeoDataFrame:
        return shared_view(_stored_measure(store_key(), layer_id, self._versions[layer_id]))


def portfolio_measures(
    portfolio: Portfolio, store: LayerStore | None, layers: list[LayerInfo], lang: str
) -> AllMeasures:
    """Bundled measures with the stored ones over them; a warning for each stored measure left out."""
    try:
        bundled = shared_view(_bundled(str(config.GEODATA_DIR / "measures.csv"), portfolio, str(config.GEODATA_DIR)))
        found = all_measures(None if store is None else _CachedReads(layers), bundled, portfolio, layers)
    except LayerError as exc:
        st.error(escape_markdown(t("data_error", lang, error=error_text(exc, lang))))
        st.stop()
    except StoreError as exc:
        st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return portfolio_measures(portfolio, None, [], lang)
    for title, error in found.problems:
        st.warning(escape_markdown(t("ms_store_problem", lang, title=title, error=error_text(error, lang))))
    return found


def listed_measures(portfolio: Portfolio, listing: list[LayerInfo] | None, lang: str) -> pd.DataFrame:
    """The measures for a page that has the store's listing but not the store (the store is opened only when
    the listing holds a stored measure)."""
    listing = listing or []
    store = None
    if stored_measure_layers(listing):
        try:
            store = open_store()
        except (StoreError, OSError) as exc:
            st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
    return portfolio_measures(portfolio, store, listing if store is not None else [], lang).measures


def measure_filters(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sidebar's measure filters (status, kind); kept between pages and in the link."""
    keep_widget_state(*FILTER_KEYS)
    sidebar = st.sidebar
    sidebar.subheader(t("ms_filters", lang))
    every = t("all", lang)
    statuses = sidebar.multiselect(
        t("status", lang),
        list(MEASURE_STATUSES),
        format_func=lambda s: t(f"ms_status_{s}", lang),
        placeholder=every,
        key="pf_m_statuses",
    )
    kinds = sidebar.multiselect(
        t("ms_kind", lang),
        list(MEASURE_KINDS),
        format_func=lambda k: t(f"ms_kind_{k}", lang),
        placeholder=every,
        key="pf_m_kinds",
    )
    return tuple(statuses), tuple(kinds)


def measure_map_points(measures: pd.DataFrame, portfolio: Portfolio, statuses, kinds) -> gpd.GeoDataFrame:
    return measure_points(filter_measures(measures, statuses, kinds), portfolio)


def measures_table(measures: pd.DataFrame, portfolio: Portfolio, lang: str) -> pd.DataFrame:
    """The measures as a table to read and to download: every number as its source gives it, with quote and source."""
    places = dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))
    plants = dict(zip(portfolio.sources["id"], portfolio.sources["facility"], strict=True))
    return pd.DataFrame(
        {
            t("ms_col_title", lang): measures["title"],
            t("ms_place", lang): [places.get(s, s) if isinstance(s, str) else None for s in measures["site_id"]],
            t("ms_plant", lang): [plants.get(f, f) if isinstance(f, str) else None for f in measures["facility_id"]],
            t("ms_kind", lang): [t(f"ms_kind_{k}", lang) for k in measures["kind"]],
            t("status", lang): [t(f"ms_status_{s}", lang) for s in measures["status"]],
            t("ms_cut", lang): [cut_text(r, lang) for r in measures.to_dict("records")],
            t("ms_col_cut_t", lang): measures["cut_t"],
            t("ms_col_scope", lang): measures["scope"],
            t("ms_start", lang): measures["start_year"],
            t("ms_quote", lang): measures["quote"],
            t("ms_counted_in", lang): measures["counted_in"],
            t("source", lang): measures["source_url"],
            t("source_year", lang): measures["source_year"],
            t("field_note", lang): measures["note"],
            "id": measures["id"],
        }
    )


def sources_sheet(measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per source of the measures shown: what it says and where."""
    rows = measures[["id", "source_url", "source_year", "quote"]].rename(
        columns={
            "id": "id",
            "source_url": t("source", lang),
            "source_year": t("source_year", lang),
            "quote": t("ms_quote", lang),
        }
    )
    return rows.reset_index(drop=True)


def site_measures(site_id: str, measures: pd.DataFrame, portfolio: Portfolio, lang: str) -> None:
    """A site's measures in its tab, with their quotes and sources."""
    ours = measures[measures["site_id"] == site_id]
    st.markdown(f"#### {t('ms_site_title', lang)}")
    if ours.empty:
        st.info(t("ms_site_none", lang))
        return
    st.dataframe(
        measures_table(ours, portfolio, lang), hide_index=True, width="stretch", placeholder=t("no_figure", lang)
    )


def measures_path_section(
    figures: pd.DataFrame,
    measures: pd.DataFrame,
    portfolio: Portfolio,
    scope: str,
    year: int,
    baseline: int,
    lang: str,
    key: str,
) -> None:
    """The path to 2030 with the portfolio's measures: the chart, the gap after each group, what is not added."""
    path = em.point_source_path(
        figures, scope, year, baseline, config.TARGET_CUT_LOW, config.TARGET_CUT_HIGH, config.TARGET_YEAR
    )
    scope_text = t(f"scope_{scope}", lang)
    st.subheader(t("ms_path_title", lang, scope=scope_text))
    if not path.plants:
        st.info(t("em_point_path_none", lang, scope=scope_text, baseline=baseline, year=year))
        return
    result = measures_path(measures, figures, path)
    st.caption(t("ms_path_caption", lang, n=len(path.plants), baseline=baseline, year=year, target=config.TARGET_YEAR))
    chart = measures_chart(result, lang)
    st.altair_chart(localised(chart, lang), width="stretch")
    names = dict(zip(portfolio.sources["id"], portfolio.sources["facility"], strict=True))
    for row in result.over.itertuples():
        st.warning(
            escape_markdown(
                t(
                    "ms_over",
                    lang,
                    plant=names.get(row.facility_id, row.facility_id),
                    cut=fmt_tonnes(row.cut_t, lang),
                    newest=fmt_tonnes(row.newest_t, lang),
                    year=row.newest_year,
                )
            )
        )
    groups = gap_table(result, lang)
    st.table(groups.set_index(t("ms_group", lang)))  # a plain table: its numbers are text a screen reader reads
    not_started = int((~result.counted["start_stated"]).sum())
    if not_started:
        st.caption(t("ms_no_start_counted", lang, n=not_started, target=config.TARGET_YEAR))
    st.markdown(f"**{t('ms_chart_table_title', lang)}**")
    st.table(chart_measures_table(result, measures, lang))
    st.caption(t("ms_never_added", lang))
    title = t("ms_path_title", lang, scope=scope_text)
    subtitle = t("ms_path_caption", lang, n=len(path.plants), baseline=baseline, year=year, target=config.TARGET_YEAR)
    _chart_downloads(result, measures, portfolio, title, subtitle, lang, key)


def chart_measures_table(result, measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every measure with its quote and source: those in the chart (group, from which year), then those beside it
    (and why). For st.table, which renders Markdown: every text from the data is escaped."""
    by_id = measures.set_index("id")
    rows = []
    for row in result.counted.itertuples():
        if row.start_stated:
            where = t("ms_in_chart", lang, group=group_label(row.group, lang), year=row.from_year)
        else:
            where = t("ms_in_chart_no_start", lang, group=group_label(row.group, lang), year=row.from_year)
        rows.append((row.id, where))
    rows += [
        (row.id, t("ms_not_in_chart", lang, why=t(f"ms_reason_{row.reason}", lang)))
        for row in result.beside.itertuples()
    ]
    records = [by_id.loc[i].to_dict() | {"id": i} for i, _ in rows]
    table = pd.DataFrame(
        {
            t("ms_col_title", lang): [escape_markdown(r["title"]) for r in records],
            t("ms_cut", lang): [escape_markdown(cut_text(r, lang)) for r in records],
            t("ms_col_in_chart", lang): [where for _, where in rows],
            t("ms_quote", lang): [escape_markdown(r["quote"]) for r in records],
            t("source", lang): [escape_markdown(r["source_url"]) for r in records],
        }
    )
    return table.set_index(t("ms_col_title", lang))


def gap_table(result, lang: str) -> pd.DataFrame:
    """Per group: its measures, their cut, and the gap to the band left after it and every group above."""
    groups = result.groups
    first = pd.DataFrame(
        {
            t("ms_group", lang): [t("ms_before_measures", lang)],
            t("ms_col_measures", lang): [0],
            t("ms_cut", lang): ["–"],
            t("ms_gap_high", lang): [gap_text(result.gap_high_t, lang)],
            t("ms_gap_low", lang): [
                gap_text(None if result.source.path.gap is None else result.source.path.gap.gap_to_low_t, lang)
            ],
        }
    )
    rest = pd.DataFrame(
        {
            t("ms_group", lang): [t("ms_after_group", lang, group=group_label(g, lang)) for g in groups["group"]],
            t("ms_col_measures", lang): groups["measures"].astype(int),
            t("ms_cut", lang): [fmt_tonnes(v, lang) for v in groups["cut_t"]],
            t("ms_gap_high", lang): [gap_text(v, lang) for v in groups["gap_high_t"]],
            t("ms_gap_low", lang): [gap_text(v, lang) for v in groups["gap_low_t"]],
        }
    )
    return pd.concat([first, rest], ignore_index=True)


def _chart_downloads(result, measures, portfolio, title, subtitle, lang, key) -> None:
    day = date.today().isoformat()
    columns = st.columns(5)
    chart = measures_chart(result, lang, title=title)
    sources = t("ms_sources_line", lang)
    with columns[0]:
        if st.button(t("ms_make_files", lang), key=f"{key}_make"):
            st.session_state[f"{key}_files"] = {
                "png": chart_png(chart, lang),
                "pdf": chart_pdf(chart, lang),
                "pptx": slides_pptx(
                    [
                        measures_slide(
                            result, chart_png(measures_chart(result, lang), lang), title, subtitle, sources, lang
                        )
                    ],
                    lang=lang,
                ),
            }
    files = st.session_state.get(f"{key}_files")
    if files:
        columns[1].download_button("PNG", files["png"], f"tiltak_{day}.png", "image/png", key=f"{key}_png")
        columns[2].download_button("PDF", files["pdf"], f"tiltak_{day}.pdf", "application/pdf", key=f"{key}_pdf")
        columns[3].download_button(t("ms_slide", lang), files["pptx"], f"tiltak_{day}.pptx", key=f"{key}_pptx")
    table = measures_table(measures, portfolio, lang)
    columns[4].download_button(
        "XLSX",
        xlsx_bytes(
            {
                t("ms_sheet_measures", lang): table,
                t("ms_sheet_gap", lang): gap_table(result, lang),
                t("ms_sheet_sources", lang): sources_sheet(measures, lang),
            }
        ),
        f"tiltak_{day}.xlsx",
        key=f"{key}_xlsx",
    )
    st.download_button("CSV", csv_bytes(table), f"tiltak_{day}.csv", "text/csv", key=f"{key}_csv")


def summary_section(measures: pd.DataFrame, portfolio: Portfolio, radius_m: float, lang: str) -> None:
    """Per site: its emitters' newest figures, its measures, and their sourced cuts by status group and scope."""
    st.subheader(t("ms_summary_title", lang))
    places = dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))
    plants = with_latest_figure(portfolio.sources, portfolio.figures)
    emitters = {}
    for place in set(measures["site_id"].dropna()):
        if place in places:
            emitters[place] = neighbourhood(place, portfolio, radius_m).sources
    for plant in set(measures.loc[measures["site_id"].isna(), "facility_id"].dropna()):
        emitters[plant] = plants[plants["id"] == plant]
    summary = site_summary(measures, emitters)
    rows = []
    for row in summary.itertuples():
        emitter_text = "; ".join(_emitter_text(e, lang) for e in row.emitters)
        sums = "; ".join(
            f"{group_label(s.group, lang)}: {fmt_tonnes(s.cut_t, lang)} {t('scope_' + s.scope, lang)}"
            for s in row.sums.itertuples()
        )
        rows.append(
            {
                t("ms_place", lang): places.get(row.place_id)
                or dict(zip(plants["id"], plants["facility"], strict=True)).get(row.place_id, row.place_id),
                t("ms_col_emitters", lang): emitter_text or t("ms_no_emitters", lang),
                t("ms_col_measures", lang): row.measures,
                t("ms_col_no_figure", lang): row.no_figure,
                t("ms_col_sums", lang): sums or t("no_figure", lang),
            }
        )
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("ms_summary_caption", lang, km=int(radius_m // 1000)))
    day = date.today().isoformat()
    columns = st.columns(2)
    columns[0].download_button(
        "CSV", csv_bytes(table), f"tiltak_oppsummering_{day}.csv", "text/csv", key="ms_summary_csv"
    )
    columns[1].download_button(
        "XLSX",
        xlsx_bytes({t("ms_sheet_summary", lang): table, t("ms_sheet_sources", lang): sources_sheet(measures, lang)}),
        f"tiltak_oppsummering_{day}.xlsx",
        key="ms_summary_xlsx",
    )


def _emitter_text(emitter: dict, lang: str) -> str:
    """«Elkem Thamshavn: 300 000 t kvotepliktige …, 2022», or «…: ingen tall»."""
    text = f"{emitter['facility']}: {fmt_tonnes(emitter['figure_t'], lang)}"
    if pd.isna(emitter["figure_t"]):
        return text
    year = t("year_unknown", lang) if pd.isna(emitter["figure_year"]) else int(emitter["figure_year"])
    return f"{text} {t('scope_' + emitter['figure_scope'], lang)}, {year}"


# --- the editors' side ----------------------------------------------------------------------------------------


def measure_editor(
    portfolio: Portfolio, found: AllMeasures, store: LayerStore | None, layers: list[LayerInfo], lang: str
) -> None:
    """Add, change, retire and restore measures, and import a file of them; everything through the layer store."""
    flash = st.session_state.pop(_FLASH, None)
    with st.expander(t("ms_editor_title", lang), expanded=flash is not None):
        if flash:
            st.success(escape_markdown(flash))
        st.caption(t("ms_editor_intro", lang))
        if store is None:
            st.info(t("pf_store_unreachable", lang, error="–"))
            return
        if not signed_in_editor():  # the flow editor below the page draws the one sign-in box
            st.info(t("viewer_only", lang))
            return
        measures = found.measures
        ids = measures["id"].tolist()
        titles = dict(zip(measures["id"], measures["title"], strict=True))
        choice = st.selectbox(
            t("ms_form_pick", lang),
            [None, *ids],
            format_func=lambda i: t("ms_form_new", lang) if i is None else titles[i],
            key="ms_pick",
        )
        current = None if choice is None else measures.set_index("id").loc[choice]
        try:
            everything = store.list(include_deleted=True)
        except (StoreError, OSError) as exc:
            st.error(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
            return
        binned = binned_measure_ids(store, everything)  # no new measure takes the id of one in the bin
        shown = {row["id"]: row for row in measures.to_dict("records")}  # what a counted_in may name
        _measure_form(portfolio, store, (current, choice, shown), [*ids, *binned], lang)
        st.divider()
        _stored_list(store, measures, everything, lang)
        st.divider()
        _measure_import(portfolio, store, measures, binned, lang)


def _measure_form(portfolio: Portfolio, store: LayerStore, chosen: tuple, ids: list[str], lang: str) -> None:
    """One measure's form: empty for a new one, filled with the chosen one's record to change it (`chosen`: its
    record or None, its id or None, and the measures shown by id)."""
    current, choice, shown = chosen
    sites = dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))
    plants = dict(zip(portfolio.sources["id"], portfolio.sources["facility"], strict=True))

    def value(name, default=None):
        if current is None:
            return default
        v = current.get(name)
        return default if v is None or (not isinstance(v, str | bool) and pd.isna(v)) else v

    def index(options, name):
        v = value(name)
        return options.index(v) if v in options else None

    form_key = choice or "new"  # one set of widgets per measure: a kept widget value never lands on another measure
    with st.form(f"ms_form_{form_key}"):
        title = st.text_input(t("ms_col_title", lang), value=value("title", ""), key=f"ms_f_title_{form_key}")
        left, right = st.columns(2)
        site_ids = list(sites)
        plant_ids = list(plants)
        site = left.selectbox(
            t("ms_place", lang),
            site_ids,
            index=index(site_ids, "site_id"),
            format_func=sites.__getitem__,
            placeholder=t("ms_form_none", lang),
            key=f"ms_f_site_{form_key}",
        )
        plant = right.selectbox(
            t("ms_plant", lang),
            plant_ids,
            index=index(plant_ids, "facility_id"),
            format_func=plants.__getitem__,
            placeholder=t("ms_form_none", lang),
            key=f"ms_f_plant_{form_key}",
        )
        kind = left.selectbox(
            t("ms_kind", lang),
            MEASURE_KINDS,
            index=index(list(MEASURE_KINDS), "kind") or 0,
            format_func=lambda k: t(f"ms_kind_{k}", lang),
            key=f"ms_f_kind_{form_key}",
        )
        status = right.selectbox(
            t("status", lang),
            MEASURE_STATUSES,
            index=index(list(MEASURE_STATUSES), "status") or 0,
            format_func=lambda s: t(f"ms_status_{s}", lang),
            key=f"ms_f_status_{form_key}",
        )
        cut = left.text_input(
            t("ms_col_cut_t", lang),
            value="" if value("cut_t") is None else _tonnes_text(value("cut_t")),
            help=t("ms_form_cut_help", lang),
            key=f"ms_f_cut_{form_key}",
        )
        scope = right.selectbox(
            t("ms_col_scope", lang),
            MEASURE_SCOPES,
            index=index(list(MEASURE_SCOPES), "scope"),
            format_func=lambda s: t(f"scope_{s}", lang),
            placeholder=t("ms_form_none", lang),
            key=f"ms_f_scope_{form_key}",
        )
        start = left.text_input(
            t("ms_start", lang),
            value="" if value("start_year") is None else str(int(value("start_year"))),
            key=f"ms_f_start_{form_key}",
        )
        potential = right.checkbox(
            t("ms_potential_box", lang), value=bool(value("potential", False)), key=f"ms_f_potential_{form_key}"
        )
        quote = st.text_area(
            t("ms_quote", lang),
            value=value("quote", ""),
            help=t("ms_form_quote_help", lang),
            key=f"ms_f_quote_{form_key}",
        )
        left, right = st.columns(2)
        url = left.text_input(
            t("pf_form_url", lang), value=value("source_url", ""), placeholder="https://", key=f"ms_f_url_{form_key}"
        )
        year = right.text_input(
            t("pf_form_year", lang),
            value="" if value("source_year") is None else str(int(value("source_year"))),
            key=f"ms_f_year_{form_key}",
        )
        counted_in = st.text_input(
            t("ms_counted_in", lang),
            value=value("counted_in", ""),
            help=t("ms_form_counted_in_help", lang),
            key=f"ms_f_counted_in_{form_key}",
        )
        note = st.text_area(t("field_note", lang), value=value("note", ""), key=f"ms_f_note_{form_key}")
        submitted = st.form_submit_button(
            t("ms_form_save" if current is not None else "ms_form_add", lang), key=f"ms_f_submit_{form_key}"
        )
    if not submitted:
        return
    record = {
        "id": choice or _new_id(title, ids),
        "site_id": site,
        "facility_id": plant,
        "title": title,
        "kind": kind,
        "status": status,
        "cut_t": cut,
        "scope": scope,
        "potential": potential,
        "start_year": start,
        "quote": quote,
        "source_url": url,
        "source_year": year,
        "counted_in": counted_in,
        "note": note,
    }
    try:
        layer_id = None if current is None or pd.isna(current["layer_id"]) else int(current["layer_id"])
        if layer_id is None:
            info = add_measure(store, record, portfolio, shown=shown)
        else:
            info = change_measure(store, layer_id, record, portfolio, shown=shown)
    except LayerError as exc:
        st.error(escape_markdown(t("ms_invalid", lang, error=error_text(exc, lang))))
        return
    except (StoreError, OSError) as exc:
        st.error(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return
    st.session_state[_FLASH] = t("ms_saved", lang, title=info.title)
    st.rerun()


def _tonnes_text(value: float) -> str:
    """A stored cut as the form shows it again, every digit kept (1234567, 12.5)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _new_id(title: str, taken) -> str:
    base = "tiltak-" + slug(title or "nytt")[:60]
    candidate, n = base, 1
    while candidate in set(taken):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _stored_list(store: LayerStore, measures: pd.DataFrame, everything: list[LayerInfo], lang: str) -> None:
    """Stored measures can be retired (to the bin); those in the bin restored."""
    st.markdown(f"**{t('ms_stored_title', lang)}**")
    stored = measures[measures["layer_id"].notna()]
    if stored.empty:
        st.caption(t("ms_stored_none", lang))
    for row in stored.itertuples():
        left, right = st.columns([4, 1])
        left.markdown(escape_markdown(f"{row.title} ({t('ms_origin_' + row.origin, lang)})"))
        if right.button(t("ms_retire", lang), key=f"ms_retire_{row.layer_id}"):
            _act(lambda lid=int(row.layer_id): store.delete(lid), t("ms_retired", lang, title=row.title), lang)
    binned = [i for i in stored_measure_layers(everything) if i.deleted]
    if binned:
        st.markdown(f"**{t('ms_bin_title', lang, days=config.STORE_PURGE_DAYS)}**")
        for info in binned:
            left, right = st.columns([4, 1])
            left.markdown(escape_markdown(info.title))
            if right.button(t("ms_restore", lang), key=f"ms_restore_{info.id}"):
                _act(lambda lid=info.id: store.restore(lid), t("ms_restored", lang, title=info.title), lang)


def _act(action, message: str, lang: str) -> None:
    try:
        action()
    except (StoreError, OSError) as exc:
        st.error(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return
    st.session_state[_FLASH] = message
    st.rerun()


def _measure_import(portfolio: Portfolio, store: LayerStore, measures: pd.DataFrame, binned, lang: str) -> None:
    key = f"ms_upload_{st.session_state.get('ms_upload_n', 0)}"
    upload = file_uploader(t("ms_upload", lang), ["csv", "geojson", "json"], lang, key=key)
    if upload is None:
        return
    if upload.size > config.MAX_UPLOAD_BYTES:
        st.error(t("pf_upload_too_big", lang, mb=config.MAX_UPLOAD_BYTES // 2**20))
        return
    data = upload.getvalue()
    try:
        records = measure_records_csv(data) if upload.name.lower().endswith(".csv") else measure_records_geojson(data)
    except LayerError as exc:
        st.error(escape_markdown(t("ms_upload_invalid", lang, error=error_text(exc, lang))))
        return
    plan = plan_import(records, portfolio, measures, binned)
    st.caption(
        t(
            "ms_import_plan",
            lang,
            added=len(plan.added),
            changed=len(plan.changed),
            unchanged=len(plan.unchanged),
            refused=len(plan.refused),
        )
    )
    if plan.refused:
        refused = pd.DataFrame(
            {
                t("ms_col_row", lang): [n for n, _, _ in plan.refused],
                "id": [i for _, i, _ in plan.refused],
                t("ms_why_refused", lang): [error_text(e, lang) for _, _, e in plan.refused],
            }
        )
        st.dataframe(refused, hide_index=True, width="stretch")
    if (plan.added or plan.changed) and st.button(t("ms_import_save", lang), key="ms_import_save"):
        try:
            apply_import(store, plan, portfolio)
        except PartialImport as exc:
            error = error_text(exc.cause, lang)
            st.error(escape_markdown(t("ms_import_partial", lang, saved=exc.saved, total=exc.total, error=error)))
            return
        except (LayerError, StoreError, OSError) as exc:
            st.error(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
            return
        st.session_state["ms_upload_n"] = st.session_state.get("ms_upload_n", 0) + 1
        st.session_state[_FLASH] = t(
            "ms_imported", lang, added=len(plan.added), changed=len(plan.changed), refused=len(plan.refused)
        )
        st.rerun()
