"""The upload page's steps: read with progress, choose layer and CRS, preview, map fields, save."""

from __future__ import annotations

import hashlib

import folium
import pandas as pd
import streamlit as st

import config
from core.messages import Message
from core.roles import owner_name
from core.schema import LOCATION_PRECISIONS, UPLOAD_KINDS
from i18n import error_text, fmt_number, t
from loaders.errors import LayerError, SchemaError
from loaders.upload.field_mapping import (
    DERIVED_FIELDS,
    LayerStyle,
    fields_to_map,
    required_fields,
    schema_fields,
    suggest_kind,
    suggest_label,
    suggest_mapping,
)
from loaders.upload.ingest import LayerMapping, Prepared, prepare, save
from loaders.upload.upload import UploadInspection, inspect_upload
from maps.assets import ZoomableMap, use_local_assets
from maps.build import MetricScale
from maps.layers import stored_layer_group
from store import LayerInfo, StoreError
from store.acting import ActingStore
from ui.text import escape_markdown
from ui.uploaded_layers import build_tiles_at_save

_NONE = "—"
PREVIEW_ROWS = 200


def progress_callback(bar):
    """A loaders progress callback that moves a Streamlit progress bar and names the stage."""

    def report(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"stage_{stage}", _lang()))

    return report


def inspect(data: bytes, filename: str, lang: str) -> UploadInspection | None:
    """The file's layers (cached per file in the session, since a file is parsed once per step)."""
    digest = hashlib.sha256(data).hexdigest()
    cache = st.session_state.setdefault("_upload_inspections", {})
    if digest not in cache:
        bar = st.progress(0.0, text=t("stage_checking", lang))
        try:
            cache.clear()
            cache[digest] = inspect_upload(data, filename, progress=progress_callback(bar))
        except LayerError as exc:
            bar.empty()
            st.error(file_error(error_text(exc, lang), lang))
            return None
        bar.empty()
    return cache[digest]


def file_error(error: str, lang: str) -> str:
    """Why a chosen file cannot be used (`error`, plain text: escaped here), naming the field it was chosen in and
    what to do about it."""
    return t("upload_error", lang, field=t("upload_file", lang), error=escape_markdown(error.rstrip(". ")))


def choose_layer(inspection: UploadInspection, lang: str) -> str | None:
    readable = [layer.name for layer in inspection.layers if layer.problem is None]
    for layer in inspection.layers:
        if layer.problem:
            st.warning(
                t(
                    "upload_layer_unreadable",
                    lang,
                    layer=escape_markdown(layer.name),
                    error=escape_markdown(error_text(layer.problem, lang)),
                )
            )
    if len(readable) <= 1:
        return readable[0] if readable else None
    return st.selectbox(
        t("upload_choose_layer", lang),
        readable,
        format_func=lambda name: f"{name} ({fmt_number(inspection.layer(name).feature_count, lang)})",
        key="upload_layer",
        placeholder=t("choose_placeholder", lang),
    )


def choose_crs(inspection: UploadInspection, layer: str, lang: str) -> tuple[str | None, bool]:
    """The CRS to read the layer in, asking the user when the file does not settle it."""
    summary = inspection.layer(layer)
    if not summary.needs_crs_choice:
        return None, False
    st.warning(t("upload_crs_question", lang))
    candidates = list(summary.candidates)
    chosen = st.radio(
        t("upload_crs", lang),
        range(len(candidates)),
        format_func=lambda i: f"{error_text(candidates[i].label, lang)}: {error_text(candidates[i].reason, lang)}",
        key="upload_crs_choice",
    )
    return candidates[chosen].crs, candidates[chosen].swap_axes


def kind_and_mapping(columns: list[str], lang: str, geometry_types=None) -> LayerMapping:
    """Layer kind, {schema field: column} and default values, as the user sets them (suggestions first)."""
    # "other" keeps every field: the safe start, unless the fields say it is a boundary file (Kartverket's).
    guess = suggest_kind(columns, geometry_types)
    kind = st.selectbox(
        t("upload_kind", lang),
        UPLOAD_KINDS,
        index=UPLOAD_KINDS.index(guess),
        format_func=lambda k: t(f"kind_{k}", lang),
        key="upload_kind",
        placeholder=t("choose_placeholder", lang),
    )
    if guess != "other":
        st.caption(t("upload_kind_suggested", lang, kind=t(f"kind_{guess}", lang)))
    if kind == "other":
        return LayerMapping(kind, {}, {})
    suggested = suggest_mapping(columns, kind)
    st.caption(t("upload_mapping_help", lang))
    required = set(required_fields(kind))
    derived = required & set(DERIVED_FIELDS)
    if derived:
        st.caption(t("upload_derived_note", lang))
    mapping, defaults = {}, {}
    options = [_NONE, *columns]
    for field in schema_fields(kind):
        label = field_label(field, lang) + (" *" if field in required - derived else "")
        left, right = st.columns([1, 1])
        column = left.selectbox(
            label,
            options,
            index=options.index(suggested[field]) if suggested.get(field) in options else 0,
            key=f"upload_map_{kind}_{field}",
            placeholder=t("upload_pick_column", lang),
            help=t("upload_derived_help", lang) if field in derived else None,
        )
        if column != _NONE:
            mapping[field] = column
        if field == "location_precision":
            value = right.selectbox(
                t("upload_default", lang),
                LOCATION_PRECISIONS,
                index=None,
                format_func=lambda code: f"{t('precision_' + code, lang)} ({code})",  # the code is what a file holds
                placeholder=t("upload_no_default", lang),
                key=f"upload_default_{kind}_{field}",
            )
        else:
            value = right.text_input(t("upload_default", lang), key=f"upload_default_{kind}_{field}")
        if value:
            defaults[field] = value
    return LayerMapping(kind, mapping, defaults)


def mapping_hint(fields: LayerMapping, lang: str) -> bool:
    """Whether every required field has a column or a default; if not, a neutral hint naming the fields left
    (no error: the user has not mapped them yet, and the check would only say the same in red)."""
    left = fields_to_map(fields.kind, fields.mapping, fields.defaults)
    if left:
        st.info(t("upload_map_these", lang, fields=", ".join(f"«{field_label(f, lang)}»" for f in left)))
    return not left


def field_label(field: str, lang: str) -> str:
    """A schema field in words a planner reads («Kommunenummer», «Navn»), never the internal name."""
    try:
        return t(f"field_{field}", lang)
    except KeyError:
        return field


def style_form(columns: list[str], lang: str) -> LayerStyle:
    colour = st.color_picker(t("style_colour", lang), "#3388ff", key="upload_style_colour")
    fill = st.checkbox(t("style_fill", lang), value=config.STORED_FILL_DEFAULT, key="upload_style_fill")
    options = [_NONE, *columns]
    label = st.selectbox(
        t("style_label", lang),
        options,
        index=options.index(suggest_label(columns) or _NONE),
        key="upload_style_label",
        placeholder=t("upload_no_label", lang),
    )
    popup = st.multiselect(
        t("style_popup", lang),
        columns,
        default=columns[:5],
        key="upload_style_popup",
        placeholder=t("choose_placeholder", lang),
    )
    return LayerStyle(
        colour=colour, fill=fill, label_field=None if label == _NONE else label, popup_fields=tuple(popup)
    )


def prepared_layer(data, filename, layer, crs, swap, fields: LayerMapping, lang) -> Prepared | None:
    bar = st.progress(0.0, text=t("stage_reading", lang))
    try:
        result = prepare(
            data,
            filename,
            layer=layer,
            crs=crs,
            swap_axes=swap,
            fields=fields,
            progress=progress_callback(bar),
        )
    except LayerError as exc:
        st.error(file_error(error_text(named_field(exc, lang), lang), lang))
        result = None
    bar.empty()
    return result


def named_field(error: LayerError, lang: str) -> LayerError | Message:
    """A schema error with its field as the form labels it («Kilde», not source_url); other errors as they are."""
    if not isinstance(error, SchemaError) or "field" not in error.params:
        return error
    return Message(error.code, **{**error.params, "field": field_label(error.field, lang)})


def report(prepared: Prepared, lang: str) -> None:
    """Feature count, geometry types, bounding box, CRS found, repairs: the validation report."""
    r = prepared.uploaded.report
    cols = st.columns(4)
    cols[0].metric(t("report_features", lang), fmt_number(r.features_kept, lang))
    cols[1].metric(t("report_repaired", lang), fmt_number(r.invalid_repaired, lang))
    cols[2].metric(t("report_dropped", lang), fmt_number(r.empty_dropped, lang))
    cols[3].metric(t("report_duplicates", lang), fmt_number(r.duplicates, lang))
    west, south, east, north = r.bbox
    rows = [
        (t("report_types", lang), ", ".join(f"{k}: {v}" for k, v in sorted(r.geometry_types.items()))),
        (t("report_crs_found", lang), r.crs_found or t("report_no_crs", lang)),
        (
            t("report_read_as", lang),
            f"{prepared.uploaded.original_crs} ({_crs_source(prepared.uploaded.crs_source, lang)})",
        ),
        (t("report_bbox", lang), f"{west:.5f}, {south:.5f}, {east:.5f}, {north:.5f}"),
    ]
    st.dataframe(pd.DataFrame(rows, columns=[t("field_field", lang), t("field_value", lang)]), hide_index=True)
    for warning in r.warnings:
        st.warning(escape_markdown(error_text(warning, lang)))


def _crs_source(source: str, lang: str) -> str:
    """How the CRS was settled ("declared", "inferred" …) in `lang`; an unknown value as it is."""
    try:
        return t(f"crs_source_{source}", lang)
    except KeyError:
        return source


def preview_map(prepared: Prepared, style: LayerStyle | None, static_url: str) -> folium.Map:
    """The new layer on its own map, fitted to its extent, drawn from escaped values only."""
    west, south, east, north = prepared.uploaded.report.bbox
    # A layer of one point (or of points all in one place) has no extent to fit: Leaflet would zoom to NaN
    at_one_place = west == east and south == north
    m = ZoomableMap(
        location=[south, west] if at_one_place else None,
        zoom_start=config.SEARCH_ZOOM,
        tiles=None,
        prefer_canvas=True,
        max_zoom=config.MAP_MAX_ZOOM,
    )
    m.add_child(MetricScale(), name="metric_scale")
    if not at_one_place:
        m.fit_bounds([[south, west], [north, east]])
    frame = prepared.layer
    chosen = style or LayerStyle()
    style_dict = {
        "colour": chosen.colour,
        "fill": chosen.fill if style else config.STORED_FILL_DEFAULT,  # boundaries: outlines
        "label_field": chosen.label_field or suggest_label(frame.columns),
        "popup_fields": list(chosen.popup_fields) or [c for c in frame.columns if c != "geometry"][:6],
    }
    stored_layer_group(
        prepared.uploaded.name, frame, {k: v for k, v in style_dict.items() if v is not None}, _lang()
    ).add_to(m)
    return use_local_assets(m, static_url)


def property_table(prepared: Prepared) -> pd.DataFrame:
    """The first rows as text (lists and objects shown as they are, never as HTML)."""
    frame = pd.DataFrame(prepared.layer.drop(columns="geometry")).head(PREVIEW_ROWS)
    return frame.astype(str).where(frame.notna(), "")


def save_form(
    prepared: Prepared, store: ActingStore, style: LayerStyle | None, existing: list[LayerInfo], lang: str
) -> None:
    access = store.access()
    same_kind = [i for i in existing if i.kind == prepared.kind and access.may_change(i.owner)]
    target = st.selectbox(
        t("upload_target", lang),
        [None, *same_kind],
        format_func=lambda i: (
            t("upload_new_layer", lang) if i is None else t("upload_new_version", lang, title=i.title)
        ),
        key="upload_target",
        placeholder=t("choose_placeholder", lang),
    )
    title = st.text_input(t("layer_title", lang), value=prepared.uploaded.name, key="upload_title")
    if target is None:
        store = store.for_owner(owner_choice(store, lang, "upload_owner"))
    st.caption(t("upload_saved_as", lang, name=escape_markdown(store.actor.identity.name)))
    description = st.text_area(t("layer_description", lang), key="upload_description")
    licence = st.text_area(t("upload_licence", lang), key="upload_licence")
    st.info(t("upload_visible_to_all", lang), icon=":material/public:")
    if st.button(t("upload_save", lang), type="primary", key="upload_save"):
        bar = st.progress(0.5, text=t("stage_saving", lang))
        try:
            info = save(
                prepared,
                store,
                title=title,
                description=description,
                source_licence=licence,
                style=style,
                replace_id=None if target is None else target.id,
            )
        except (StoreError, LayerError, ValueError) as exc:
            bar.empty()
            st.error(t("store_error", lang, error=escape_markdown(error_text(exc, lang))))
            return
        build_tiles_at_save(info, prepared.layer, lambda: store.read(info.id), lang)
        bar.progress(1.0, text=t("stage_done", lang))
        st.success(
            t("upload_saved", lang, title=escape_markdown(info.title), version=info.version, n=info.feature_count)
        )


def owner_choice(store: ActingStore, lang: str, key: str) -> str:
    """Whose the new layer is: the one owner the user may file under, or their choice of several."""
    owners = store.access().owners()
    if len(owners) == 1:
        st.caption(t("upload_owner_is", lang, owner=owner_name(owners[0])))
        return owners[0]
    return st.selectbox(
        t("upload_owner", lang), owners, format_func=owner_name, key=key, placeholder=t("choose_placeholder", lang)
    )


def _lang() -> str:
    return st.session_state.get("lang", "nb")
