"""Map an uploaded layer's columns to a layer kind's schema, and check the result as bundled layers are checked.

- `suggest_label(columns)`: the name-like column (navn, name, stedsnavn, tittel …) an "other" layer is labelled by.
- `suggest_mapping(columns, kind)`: {schema field: source column} from a synonym table (navn → name,
  kommune → municipality, komnr → kommunenummer, anlegg → facility, bedrift → company, klynge → cluster,
  kilde/url → source_url, år → source_year, ...). The user confirms or changes it.
- `apply_mapping(frame, kind, mapping, defaults)`: for parks, sources and members builds one record per
  feature and runs `loaders.files.layers.validate_records`, the same check the bundled files pass, so a missing
  required value raises a `SchemaError` naming the feature and the field. Ids the file lacks are made from the
  layer's name and the row ("parker-3"); a kommunenummer it lacks (and the municipality with it) is read from
  where the feature lies (loaders/upload/municipalities.py), outside Trøndelag an error. "boundaries" needs a
  kommunenummer or fylkesnummer column; "other" keeps its fields as they are (with a `LayerStyle` for the map).
- `pad_codes(frame)`: kommunenummer/fylkesnummer columns that lost their leading zeros (301 → "0301").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from config import CRS
from core.messages import Message
from core.schema import LAYERS, UPLOAD_KINDS
from core.values import to_plain
from loaders.errors import SchemaError
from loaders.files.layers import validate_records
from loaders.files.numbers import parse_number, parse_year
from loaders.upload.municipalities import municipalities_of, municipality_name

BOUNDARY_COLUMNS = ("name", "kommunenummer", "fylkesnummer")
BOUNDARY_GEOMETRY_TYPES = ("Polygon", "MultiPolygon")

# Column names that name a feature, best first: the "name" field's synonyms and an "other" layer's default
# label (`suggest_label`). Compared ignoring case, spaces, "-" and "_" (Navn, NAVN, objekt_navn).
NAME_WORDS = ("name", "navn", "objektnavn", "stedsnavn", "parknavn", "områdenavn", "label", "tittel", "title")

# Schema field -> column names that mean it, best first. Compared ignoring case, spaces, "-" and "_".
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "lokalid", "lokal_id", "objektid", "objectid", "identifikator"),
    "name": NAME_WORDS,
    "municipality": ("municipality", "kommune", "kommunenavn", "kommune_navn", "kommunenamn", "municipality_name"),
    "kommunenummer": (
        "kommunenummer",
        "komnr",
        "kommunenr",
        "kommune_nr",
        "kommunenum",
        "knr",
        "kommune_nummer",
        "municipality_number",
        "municipality_code",
    ),
    "fylkesnummer": ("fylkesnummer", "fylkesnr", "fylke_nr", "fylkenr", "fylke_nummer", "county_number"),
    "status": ("status", "tilstand", "fase", "planstatus"),
    "focus": ("focus", "fokus", "formål", "beskrivelse", "description"),
    "themes": ("themes", "theme", "tema", "temaer", "stikkord"),
    "companies": ("companies", "bedrifter", "virksomheter", "selskaper", "foretak"),
    "area": ("area", "areal", "areal_daa", "størrelse"),
    "area_unit": ("area_unit", "arealenhet", "enhet", "unit"),
    "source_url": ("source_url", "kilde", "kilde_url", "kildeurl", "source", "url", "lenke", "link"),
    "source_year": ("source_year", "år", "aar", "year", "kildeår", "årstall"),
    "location_precision": ("location_precision", "presisjon", "stedfesting", "nøyaktighet", "precision"),
    "facility": ("facility", "anlegg", "anleggsnavn", "anlegg_navn", "anleggnavn", "facility_name", "navn", "name"),
    "operator": ("operator", "operatør", "bedrift", "firma", "selskap", "virksomhet", "eier"),
    "orgnr": ("orgnr", "organisasjonsnummer", "org_nr", "orgnummer", "organisasjonsnr"),
    "sector": ("sector", "sektor", "bransje", "næring", "industri"),
    "note": ("note", "merknad", "kommentar", "notat", "beskrivelse", "description"),
    "company": ("company", "bedrift", "firma", "selskap", "virksomhet", "foretak", "bedriftsnavn", "navn", "name"),
    "cluster": ("cluster", "klynge", "klyngenavn", "nettverk"),
    "role": ("role", "rolle"),
    "relation_as_stated": ("relation_as_stated", "relasjon", "tilknytning"),
}
_BOUNDARY_NAMES = ("name", "kommunenavn", "fylkesnavn", "navn", "kommune", "fylke")  # Kartverket: navn may be nested
_LAYER_ONLY = ("status", "themes", "focus", "companies", "facility", "operator", "company", "cluster", "sector")
_CODE_WIDTH = {"kommunenummer": 4, "fylkesnummer": 2}
_CODE_PATTERN = {"kommunenummer": re.compile(r"^\d{4}$"), "fylkesnummer": re.compile(r"^\d{2}$")}
_LIST_SPLIT = re.compile(r"\s*[;,|]\s*")


@dataclass(frozen=True)
class LayerStyle:
    """How an "other" layer is drawn: colour (#rrggbb), fill or outline only, a label field, popup fields."""

    colour: str = "#3388ff"
    fill: bool = True
    label_field: str | None = None
    popup_fields: tuple[str, ...] = ()


def key(name: object) -> str:
    """A column name as compared: case-folded, with spaces, "-", "_" and "." dropped; æøå kept."""
    return re.sub(r"[\s_\-.]+", "", str(name or "").replace("\ufeff", "")).casefold()


def schema_fields(kind: str) -> tuple[str, ...]:
    """The fields a kind maps to: the layer schema's, the boundary columns, or none for "other"."""
    _check_kind(kind)
    if kind in LAYERS:
        return tuple(f.name for f in LAYERS[kind].fields)
    return BOUNDARY_COLUMNS if kind == "boundaries" else ()


def required_fields(kind: str) -> tuple[str, ...]:
    _check_kind(kind)
    if kind in LAYERS:
        return tuple(f.name for f in LAYERS[kind].fields if f.required)
    return ()


# Required fields `apply_mapping` fills itself when the file has no column for them: ids from the layer's name
# and row, the municipality from where the feature lies.
DERIVED_FIELDS = ("id", "municipality", "kommunenummer")


def fields_to_map(kind: str, mapping: Mapping[str, str | None], defaults: Mapping[str, object]) -> tuple[str, ...]:
    """The required fields still without a column or a default (and not derived): what the user has to map."""
    given = {f for f, c in mapping.items() if c} | {f for f, v in defaults.items() if not _empty(v)}
    if kind == "boundaries" and not given & set(_CODE_WIDTH):
        return ("kommunenummer",)  # or fylkesnummer: a boundaries layer needs one of the codes
    return tuple(f for f in required_fields(kind) if f not in given and f not in DERIVED_FIELDS)


def suggest_kind(columns: Iterable[str], geometry_types: Mapping[str, int] | None = None) -> str:
    """The layer kind a file's columns point to: "boundaries" for Kartverket-style boundary files, else "other".

    Kartverket's Basisdata fylker/kommuner (objtype Fylke/Kommune) carry a kommunenummer or fylkesnummer
    column on polygons: such a layer is suggested as boundaries. Anything else starts as "other", which keeps
    every field until the user says what the layer is.
    """
    keys = {key(c) for c in columns}
    codes = {key(s) for code in _CODE_WIDTH for s in SYNONYMS[code]}
    # Words only a park, source or member layer has: a park polygon with a kommunenummer is not a boundary.
    names = {key(n) for n in _BOUNDARY_NAMES}
    layer_words = {key(s) for field in _LAYER_ONLY for s in SYNONYMS[field] if key(s) not in names}
    types = {t for t, n in (geometry_types or {}).items() if n}
    polygons = not types or types <= set(BOUNDARY_GEOMETRY_TYPES)
    if polygons and keys & codes and ("objtype" in keys or not keys & layer_words):
        return "boundaries"
    return "other"


def suggest_label(columns: Iterable[str]) -> str | None:
    """The column that names the features (navn, name, Navn, stedsnavn, tittel …), for the label; None if none."""
    by_key: dict[str, str] = {}
    for column in columns:
        if str(column) != "geometry":
            by_key.setdefault(key(column), str(column))
    return next((by_key[key(word)] for word in NAME_WORDS if key(word) in by_key), None)


def suggest_mapping(columns: Iterable[str], kind: str) -> dict[str, str]:
    """{schema field: source column} for the fields a synonym finds; each column is used once."""
    columns = [str(c) for c in columns if str(c) != "geometry"]
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(key(column), column)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    fields = schema_fields(kind)
    # Exact names first, so "name" is not taken by facility before a "name" field asks for it.
    for field in fields:
        column = by_key.get(key(field))
        if column is not None and column not in used:
            mapping[field] = column
            used.add(column)
    for field in fields:
        if field in mapping:
            continue
        words = _BOUNDARY_NAMES if (kind == "boundaries" and field == "name") else SYNONYMS.get(field, ())
        for word in words:
            column = by_key.get(key(word))
            if column is not None and column not in used:
                mapping[field] = column
                used.add(column)
                break
    return mapping


def apply_mapping(
    frame: gpd.GeoDataFrame,
    kind: str,
    mapping: Mapping[str, str | None],
    defaults: Mapping[str, object] | None = None,
    *,
    id_prefix: str = "upload",
) -> gpd.GeoDataFrame:
    """The uploaded layer as a layer of `kind`: exactly the schema's columns, checked like a bundled file.

    `mapping` is {schema field: source column}; `defaults` fill fields with no column or an empty cell
    (e.g. {"source_url": "https://…", "location_precision": "site"}). Features without an "id" get
    "{id_prefix}-1", "{id_prefix}-2", ...; an empty kommunenummer and municipality are filled from the bundled
    boundaries. Raises `SchemaError` naming the feature (0-based) and the field.
    """
    _check_kind(kind)
    defaults = dict(defaults or {})
    if kind == "other":
        return frame.copy()
    fields = schema_fields(kind)
    mapping = {f: c for f, c in mapping.items() if c not in (None, "")}
    for field, column in mapping.items():
        if field not in fields:
            raise SchemaError(None, field, "kind_field", kind=kind, fields=tuple(fields))
        if column not in frame.columns or column == frame.geometry.name:
            raise SchemaError(None, field, "mapped_column", column)
    for field in defaults:
        if field not in fields:
            raise SchemaError(None, field, "kind_field", kind=kind, fields=tuple(fields))
    columns = {field: frame[column].tolist() for field, column in mapping.items()}
    geometries = list(frame.geometry.array)
    if kind == "boundaries":
        return _boundaries(columns, defaults, geometries)
    schema = LAYERS[kind]
    records = []
    for i, geometry in enumerate(geometries):
        properties = {}
        for field in schema.fields:
            value = to_plain(columns[field.name][i]) if field.name in columns else None
            if _empty(value):
                value = defaults.get(field.name)
            if field.name == "id" and _empty(value):
                value = f"{id_prefix}-{i + 1}"
            properties[field.name] = _convert(i, field, value)
        records.append((properties, geometry))
    _place_in_municipalities(records, frame.geometry, _LABEL_FIELD[kind])
    return validate_records(records, kind)


# The field that names a feature of each kind, for a message about it.
_LABEL_FIELD = {"parks": "name", "sources": "facility", "members": "company"}


def _place_in_municipalities(records: list[tuple[dict, object]], geometries: gpd.GeoSeries, label: str) -> None:
    """Fill an empty kommunenummer, and the municipality with it, from where the feature lies (the bundled
    boundaries); a municipality left empty beside a number from the file is that number's name.

    What the file or a default gives wins: only what is empty is filled. A feature that needs its number but
    lies outside Trøndelag raises a `SchemaError` naming it.
    """
    if not records or "kommunenummer" not in records[0][0]:
        return
    for properties, _ in records:
        if _empty(properties["municipality"]) and not _empty(properties["kommunenummer"]):
            properties["municipality"] = municipality_name(str(properties["kommunenummer"]))
    wanting = [i for i, (properties, _) in enumerate(records) if _empty(properties["kommunenummer"])]
    if not wanting:
        return
    for i, place in zip(wanting, municipalities_of(geometries.iloc[wanting]), strict=True):
        properties = records[i][0]
        if place is None:
            name = properties.get(label)
            raise SchemaError(
                i,
                "kommunenummer",
                "in_trondelag",
                code="outside_trondelag",
                label=None if _empty(name) else str(name),
            )
        properties["kommunenummer"] = place.kommunenummer
        if _empty(properties["municipality"]):
            properties["municipality"] = place.name


def check_style(style: LayerStyle, columns: Iterable[str]) -> LayerStyle:
    """`style` if its colour is #rrggbb and its fields are columns of the layer; else a `SchemaError`."""
    columns = [str(c) for c in columns]
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", style.colour or ""):
        raise SchemaError(None, "colour", "colour", style.colour)
    for name in (style.label_field, *style.popup_fields):
        if name is not None and name not in columns:
            raise SchemaError(None, "label_field" if name == style.label_field else "popup_fields", "a_column", name)
    return style


def pad_codes(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Give kommunenummer (4) and fylkesnummer (2) columns their leading zeros back, as text; notes say what changed.

    Integer columns in older files (301 for Oslo's "0301") and short digit strings are padded; other values stay.
    """
    frame, notes = frame.copy(), []
    for column in frame.columns:
        code = _code_column(column)
        if code is None:
            continue
        width = _CODE_WIDTH[code]
        values = frame[column]
        if pd.api.types.is_integer_dtype(values.dtype) and values.dropna().between(0, 10**width - 1).all():
            text = values.astype("Int64").astype("str").str.zfill(width).where(values.notna(), None)
            padded = int((values.dropna() < 10 ** (width - 1)).sum())
            frame[column] = text.astype("str")
            if padded:
                first = values[values < 10 ** (width - 1)].dropna().iloc[0]
                notes.append(_padded_note(column, padded, width, first, f"{int(first):0{width}d}"))
            continue
        before = [to_plain(v) for v in values.tolist()]
        after = [_pad(v, width) for v in before]
        if after == before:
            continue
        series = pd.Series(after, index=frame.index, dtype=object)
        if all(v is None or isinstance(v, str) for v in after):
            series = series.astype("str")
        frame[column] = series
        padded = [(old, new) for old, new in zip(before, after, strict=True) if len(str(new)) > len(_plain_text(old))]
        if padded:
            notes.append(_padded_note(column, len(padded), width, *padded[0]))
    return frame, notes


def _padded_note(column: str, count: int, width: int, old: object, new: str) -> Message:
    return Message("codes_padded", column=str(column), count=count, width=width, old=_plain_text(old), new=new)


def _code_column(column: object) -> str | None:
    name = key(column)
    for code in _CODE_WIDTH:
        if name in {key(s) for s in SYNONYMS[code]}:
            return code
    return None


def _pad(value: object, width: int) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value < 10**width:
        return f"{value:0{width}d}"
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < width:
        return value.strip().zfill(width)
    return value


def _boundaries(columns: dict[str, list], defaults: dict, geometries: list) -> gpd.GeoDataFrame:
    codes = [c for c in ("kommunenummer", "fylkesnummer") if c in columns]
    if not codes:
        raise SchemaError(None, "kommunenummer", "boundary_code")
    rows = []
    for i, geometry in enumerate(geometries):
        row = {}
        for field in BOUNDARY_COLUMNS:
            value = to_plain(columns[field][i]) if field in columns else None
            if _empty(value):
                value = defaults.get(field)
            if field in _CODE_WIDTH:
                value = _pad(value, _CODE_WIDTH[field])
                if field in codes and (not isinstance(value, str) or not _CODE_PATTERN[field].match(value)):
                    example = "5001" if field == "kommunenummer" else "50"
                    raise SchemaError(i, field, "digits", value, width=_CODE_WIDTH[field], example=example)
            elif value is not None and not isinstance(value, str):
                value = _plain_text(value)
            row[field] = value
        if geometry is None or geometry.is_empty:
            raise SchemaError(i, "geometry", "non_empty_geometry", None)
        if geometry.geom_type not in BOUNDARY_GEOMETRY_TYPES:
            raise SchemaError(i, "geometry", "one_of", geometry.geom_type, choices=BOUNDARY_GEOMETRY_TYPES)
        rows.append(row)
    data = pd.DataFrame(rows, columns=list(BOUNDARY_COLUMNS), dtype=object)
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)


def _convert(i: int, field, value: object) -> object:
    """A cell as the schema field wants it; anything that cannot be is left for validate_records to name."""
    if _empty(value):
        return None
    if field.name == "kommunenummer":
        return _pad(value, 4)
    if field.kind == "str":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = _plain_text(value)
        if isinstance(value, str) and field.choices:
            for choice in field.choices:
                if value.strip().casefold() == choice.casefold():
                    return choice
        return value
    if field.kind == "int":
        return parse_year(value, i, field.name) if field.name == "source_year" else value
    if field.kind == "float":
        return parse_number(value, i, field.name) if isinstance(value, str) else value
    if field.kind == "list":
        return _as_list(value)
    return value


def _as_list(value: object) -> object:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value if not _empty(v)]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, list):
                return [str(v) for v in parsed if not _empty(v)]
        return [part for part in _LIST_SPLIT.split(text) if part]
    return value


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _plain_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_kind(kind: str) -> None:
    if kind not in UPLOAD_KINDS:
        raise ValueError(f"unknown layer kind {kind!r}; expected one of {', '.join(UPLOAD_KINDS)}")
