"""The editors' side of measures: the form (add or change), retire and restore, and the import with its report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import config
from core.messages import Message
from core.roles import COUNTY
from exports.tables import csv_bytes
from i18n import error_text, fmt_time, t
from loaders import LayerError, Portfolio, SchemaError
from loaders.bundled.flow_store import slug
from loaders.bundled.measure_store import (
    AllMeasures,
    PartialImport,
    add_measure,
    apply_import,
    binned_measure_ids,
    change_measure,
    plan_import,
    stored_measure_layers,
)
from loaders.bundled.measures import (
    MEASURE_COLUMNS,
    MEASURE_KINDS,
    MEASURE_SCOPES,
    MEASURE_STATUSES,
    measure_records_csv,
    measure_records_geojson,
)
from store import StoreError
from store.base import LayerInfo, LayerStore
from ui.access import viewer_only_text
from ui.saving import saved
from ui.text import escape_markdown
from ui.widget_texts import table_upload

_FLASH = "ms_flash"


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
        if not store.access().may_edit:  # the flow editor below the page draws the one sign-in box
            st.info(viewer_only_text(lang))
            return
        measures = found.measures
        ids = measures["id"].tolist()
        titles = dict(zip(measures["id"], measures["title"], strict=True))
        choice = st.selectbox(
            t("ms_form_pick", lang),
            [None, *ids],
            format_func=lambda i: t("ms_form_new", lang) if i is None else titles[i],
            key="ms_pick",
            placeholder=t("choose_placeholder", lang),
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

    def choose(where, label: str, options, column: str, name: str, texts, first_by_default: bool = False):
        """One of `options` for the record's `column`: the chosen measure's; else the first (`first_by_default`) or
        none."""
        at = index(options, column)
        return where.selectbox(
            label,
            options,
            index=(at or 0) if first_by_default else at,
            format_func=texts,
            placeholder=t("choose_placeholder" if first_by_default else "ms_form_none", lang),
            key=f"ms_f_{name}_{form_key}",
        )

    with st.form(f"ms_form_{form_key}"):
        st.caption(t("ms_form_required", lang))
        title = st.text_input(required(t("ms_col_title", lang)), value=value("title", ""), key=f"ms_f_title_{form_key}")
        left, right = st.columns(2)
        site = choose(left, t("ms_place", lang) + " ¹", list(sites), "site_id", "site", sites.__getitem__)
        plant = choose(right, t("ms_plant", lang) + " ¹", list(plants), "facility_id", "plant", plants.__getitem__)
        kind = choose(left, t("ms_kind", lang), MEASURE_KINDS, "kind", "kind", lambda k: t(f"ms_kind_{k}", lang), True)
        status = choose(
            right, t("status", lang), MEASURE_STATUSES, "status", "status", lambda s: t(f"ms_status_{s}", lang), True
        )
        cut = left.text_input(
            t("ms_col_cut_t", lang),
            value="" if value("cut_t") is None else _tonnes_text(value("cut_t")),
            help=t("ms_form_cut_help", lang),
            key=f"ms_f_cut_{form_key}",
        )
        scope = choose(
            right, t("ms_col_scope", lang), MEASURE_SCOPES, "scope", "scope", lambda s: t(f"scope_{s}", lang)
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
            required(t("ms_quote", lang)),
            value=value("quote", ""),
            help=t("ms_form_quote_help", lang),
            key=f"ms_f_quote_{form_key}",
        )
        left, right = st.columns(2)
        url = left.text_input(
            required(t("pf_form_url", lang)),
            value=value("source_url", ""),
            placeholder="https://",
            key=f"ms_f_url_{form_key}",
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
    missing = [
        label
        for label, empty in (
            (t("ms_col_title", lang), not title.strip()),
            (t("ms_place_or_plant", lang), site is None and plant is None),
            (t("ms_col_scope", lang), bool(cut.strip()) and scope is None),
            (t("ms_quote", lang), not quote.strip()),
            (t("pf_form_url", lang), not url.strip()),
        )
        if empty
    ]
    if missing:  # every missing field at once, by the form's own labels
        st.error(t("ms_form_missing", lang, fields=", ".join(f"«{label}»" for label in missing)))
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

    def save() -> LayerInfo:
        layer_id = None if current is None or pd.isna(current["layer_id"]) else int(current["layer_id"])
        if layer_id is None and current is not None:  # a bundled measure changed: the county's, as the bundled data
            return add_measure(store.for_owner(COUNTY), record, portfolio, shown=shown)
        if layer_id is None:
            return add_measure(store, record, portfolio, shown=shown)
        return change_measure(store, layer_id, record, portfolio, shown=shown)

    info = saved(save, "ms_invalid", lang)
    if info is None:
        return
    st.session_state[_FLASH] = t("ms_saved", lang, title=info.title)
    st.rerun()


def _import_help(portfolio: Portfolio, measures: pd.DataFrame, lang: str) -> None:
    """What an import file looks like: the measures shown, in the file's own columns (a template to edit), and the
    codes of every site and plant a row may name."""
    st.caption(t("ms_import_help", lang))
    codes = pd.concat(
        [
            pd.DataFrame({"column": "site_id", "id": portfolio.parks["id"], "name": portfolio.parks["name"]}),
            pd.DataFrame(
                {"column": "facility_id", "id": portfolio.sources["id"], "name": portfolio.sources["facility"]}
            ),
        ],
        ignore_index=True,
    )
    left, right = st.columns(2)
    template = measures[list(MEASURE_COLUMNS)]
    left.download_button(
        t("ms_template", lang), lambda: csv_bytes(template), "tiltak_mal.csv", "text/csv", key="ms_template"
    )
    right.download_button(t("ms_codes", lang), lambda: csv_bytes(codes), "tiltak_koder.csv", "text/csv", key="ms_codes")


def _at_line(error: LayerError, line: int) -> object:
    """A refused CSV row's error as a spreadsheet cell's: line and column, not a 0-based feature number."""
    if not isinstance(error, SchemaError):
        return error
    return Message("cell_expected", **{**error.params, "row": line, "feature": None, "file": None})


def required(label: str) -> str:
    return f"{label} *"


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
    saved = {info.id: info.created_at for info in everything}
    for row in stored.itertuples():
        left, right = st.columns([4, 1])
        when = saved.get(int(row.layer_id))
        details = [t("ms_status_" + row.status, lang), t("ms_origin_" + row.origin, lang)]
        details += [fmt_time(when)] if when is not None else []
        left.markdown(escape_markdown(f"{row.title} ({', '.join(details)})"))
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
    _import_help(portfolio, measures, lang)
    upload = table_upload(t("ms_upload", lang), "ms_upload_n", lang)
    if upload is None:
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
        csv = upload.name.lower().endswith(".csv")
        # A CSV row is named by its line in a spreadsheet (the header is line 1); a GeoJSON feature by its number.
        places = [n + 1 if csv else n - 1 for n, _, _ in plan.refused]
        refused = pd.DataFrame(
            {
                t("ms_col_line" if csv else "ms_col_feature", lang): places,
                "id": [i for _, i, _ in plan.refused],
                t("ms_why_refused", lang): [
                    error_text(_at_line(e, place) if csv else e, lang)
                    for (_, _, e), place in zip(plan.refused, places, strict=True)
                ],
            }
        )
        st.table(refused.map(lambda v: escape_markdown(v) if isinstance(v, str) else v).set_index("id"))
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
