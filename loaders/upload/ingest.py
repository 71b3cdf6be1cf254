"""One path from an uploaded file to a stored layer, shared by the upload page and `python -m loaders ingest`.

prepared = prepare(data, "fylker.geojson", layer="Fylke", fields=LayerMapping("boundaries"))
report_lines(prepared)                        # what was found and repaired, for a person to read
save(prepared, store, title="Trøndelag")      # atomic; a new layer, or a new version with replace_id
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd

from core.progress import Progress
from core.schema import UPLOAD_KINDS
from loaders.upload.field_mapping import LayerStyle, apply_mapping, check_style, suggest_mapping
from loaders.upload.upload import UploadedLayer, read_upload
from store import Origin


@dataclass(frozen=True)
class LayerMapping:
    """How a layer read from a file becomes one of the app's: its `kind` (core.schema.UPLOAD_KINDS), the file's
    column for each schema field (`mapping`; None: the suggested one) and values for the fields no column gives."""

    kind: str = "other"
    mapping: Mapping[str, str | None] | None = None
    defaults: Mapping[str, object] | None = None


@dataclass(frozen=True)
class Prepared:
    """A file read, validated and mapped to a layer kind: everything except the saving."""

    uploaded: UploadedLayer
    kind: str
    mapping: dict[str, str]
    layer: gpd.GeoDataFrame  # what will be stored: the schema's columns (own columns for "other")


def prepare(
    data: bytes,
    filename: str,
    *,
    layer: str | None = None,
    crs: str | None = None,
    swap_axes: bool = False,
    fields: LayerMapping = LayerMapping(),
    progress: Progress | None = None,
) -> Prepared:
    """Read one layer of the file and map it to `fields.kind` (the suggested mapping unless one is given).

    Raises the loaders' typed errors (`NeedsLayerChoice`, `NeedsCRSChoice`, `SchemaError`, ...).
    """
    kind, mapping = fields.kind, fields.mapping
    if kind not in UPLOAD_KINDS:
        raise ValueError(f"unknown layer kind {kind!r}; expected one of {', '.join(UPLOAD_KINDS)}")
    uploaded = read_upload(data, filename, layer=layer, crs=crs, swap_axes=swap_axes, progress=progress)
    columns = [c for c in uploaded.frame.columns if c != uploaded.frame.geometry.name]
    chosen = dict(suggest_mapping(columns, kind) if mapping is None else mapping)
    frame = apply_mapping(uploaded.frame, kind, chosen, fields.defaults, id_prefix=_id_prefix(uploaded.name))
    return Prepared(uploaded, kind, {k: v for k, v in chosen.items() if v}, frame)


def report_lines(prepared: Prepared) -> list[str]:
    """The validation report as short lines (English, like the command line's other output)."""
    report = prepared.uploaded.report
    west, south, east, north = report.bbox
    types = ", ".join(f"{name} {count}" for name, count in sorted(report.geometry_types.items()))
    lines = [
        f"layer: {prepared.uploaded.name} ({prepared.uploaded.format})",
        f"features: {report.features_kept} kept of {report.features_read} read",
        f"geometry types: {types or 'none'}",
        f"CRS found: {report.crs_found or 'none declared'}; read as {prepared.uploaded.original_crs} "
        f"({prepared.uploaded.crs_source}){'; axes swapped' if prepared.uploaded.swap_axes else ''}",
        f"bbox (lon/lat): {west:.5f}, {south:.5f}, {east:.5f}, {north:.5f}",
        f"repaired invalid geometries: {report.invalid_repaired}",
        f"dropped empty geometries: {report.empty_dropped}",
        f"duplicates noted: {report.duplicates}",
        f"kind: {prepared.kind}" + (f"; fields: {_mapping_text(prepared.mapping)}" if prepared.mapping else ""),
    ]
    lines += [f"warning: {w}" for w in report.warnings]
    return lines


def save(
    prepared: Prepared,
    store,
    *,
    title: str,
    uploader: str = "",
    description: str = "",
    source_licence: str = "",
    style: LayerStyle | None = None,
    replace_id: int | None = None,
):
    """Store the layer (a new one, or the next version of `replace_id`) and return its `LayerInfo`."""
    uploaded = prepared.uploaded
    origin = Origin(uploaded.filename, uploaded.original_crs, uploader, source_licence or None)
    if replace_id is None:
        return store.save(
            prepared.layer,
            title,
            prepared.kind,
            origin,
            description=description,
            style=style_dict(check_style(style, prepared.layer.columns)) if style else None,
        )
    current = store.get(replace_id)
    if current.kind != prepared.kind:
        raise ValueError(f"layer {replace_id} holds {current.kind}; a new version must be {current.kind} too")
    info = store.replace(replace_id, prepared.layer, origin, description=description or None)
    if style is not None:
        info = store.set_style(info.id, style_dict(check_style(style, prepared.layer.columns)))
    return info


def style_dict(style: LayerStyle) -> dict:
    """The store's form of a style (see store.base.STYLE_KEYS)."""
    out = {"colour": style.colour, "fill": style.fill, "popup_fields": list(style.popup_fields)}
    if style.label_field:
        out["label_field"] = style.label_field
    return out


def _mapping_text(mapping: dict[str, str]) -> str:
    return ", ".join(f"{field} <- {column}" for field, column in mapping.items())


def _id_prefix(name: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in name.casefold()).strip("-")
    return cleaned[:40] or "upload"
