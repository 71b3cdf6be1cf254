"""Match imported facilities to known ones (FacilityInspireId, AnleggId, Org.nr., then name) and municipalities."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from config import KOMMUNER_CSV
from core.names import normalise

MATCH_RULES = ("eutl_id", "inspire_id", "anlegg_id", "orgnr", "name")
_LEGAL_FORMS = frozenset({"as", "asa"})  # "Heimdal varmesentral AS" is "Heimdal varmesentral"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def clean_id(value: object) -> str | None:
    """An identifier as text: None for empty, "5447" for 5447, 5447.0 or " 5447 "."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a number that went through a float column
    return text or None


def clean_orgnr(value: object) -> str | None:
    """Org.nr. as digits only ("NO 912 345 678 MVA" -> "912345678"); None when there are no digits."""
    text = clean_id(value)
    digits = "".join(c for c in text or "" if c.isdigit())
    return digits or None


def name_key(name: object) -> str | None:
    """A facility name for comparison: normalised letters, no punctuation, no legal form (AS, ASA)."""
    text = clean_id(name)
    if not text:
        return None
    words = _NOT_ALNUM.sub(" ", normalise(text).replace("a/s", "as")).split()
    words = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(words) or None


def match_facilities(rows: pd.DataFrame, known: pd.DataFrame | None) -> pd.DataFrame:
    """For each row (columns `name` and optionally `eutl_id`, `inspire_id`, `anlegg_id`, `orgnr`), the known facility.

    `known` has columns `id`, `facility` and optionally `eutl_id`, `inspire_id`, `orgnr`, `anlegg_id` (values may be
    missing; the bundled sources carry the EEA register's FacilityInspireId and their EU ETS installation ids).
    Rules in order: same EUTL installation id (a facility may hold several, " ; "-separated); same
    FacilityInspireId; same AnleggId; same Org.nr. (digits only); same normalised name. A rule that fits more than
    one known facility decides nothing, and a known facility whose AnleggId differs from the row's is never taken
    by a weaker rule (it is another plant of the same company). When a weaker rule (Org.nr., name) would give one
    known facility to several rows, none of them gets it.

    Returns a frame on the index of `rows` with `facility_id` (None when unmatched), `matched_by`
    (one of MATCH_RULES or None) and `match_note` (why a candidate was refused, or None).
    """
    empty = [None] * len(rows)
    result = pd.DataFrame(
        {"facility_id": empty, "matched_by": empty, "match_note": empty}, index=rows.index, dtype=object
    )
    if known is None or known.empty or rows.empty:
        return result
    known_ids = [clean_id(v) for v in known["id"]]
    known_anlegg = _column(known, "anlegg_id", clean_id)
    by_rule = {
        "eutl_id": _index_many(known_ids, _column(known, "eutl_id", clean_id)),
        "inspire_id": _index(known_ids, _column(known, "inspire_id", clean_id)),
        "anlegg_id": _index(known_ids, known_anlegg),
        "orgnr": _index(known_ids, _column(known, "orgnr", clean_orgnr)),
        "name": _index(known_ids, _column(known, "facility", name_key)),
    }
    anlegg_of = dict(zip(known_ids, known_anlegg, strict=True))
    clean = {"eutl_id": clean_id, "inspire_id": clean_id, "anlegg_id": clean_id, "orgnr": clean_orgnr, "name": name_key}
    labels = {
        "eutl_id": "EUTL id",
        "inspire_id": "FacilityInspireId",
        "anlegg_id": "AnleggId",
        "orgnr": "Org.nr.",
        "name": "the name",
    }
    for index, row in rows.iterrows():
        own_anlegg = clean_id(row.get("anlegg_id"))
        notes = []
        for rule in MATCH_RULES:
            value = clean[rule](row.get(rule))
            if value is None:
                continue
            candidates = by_rule[rule].get(value, [])
            if rule not in ("eutl_id", "inspire_id", "anlegg_id") and own_anlegg:
                candidates = [c for c in candidates if anlegg_of[c] in (None, own_anlegg)]
            if len(candidates) == 1:
                result.loc[index, ["facility_id", "matched_by"]] = [candidates[0], rule]
                break
            if len(candidates) > 1:
                notes.append(f"{labels[rule]} {value} fits {len(candidates)} known facilities")
        result.at[index, "match_note"] = "; ".join(notes) or None
    weak = result["matched_by"].isin(["orgnr", "name"])
    shared = result.loc[weak, "facility_id"].duplicated(keep=False)
    for index in shared[shared].index:
        taken = result.at[index, "facility_id"]
        result.loc[index] = [None, None, f"{taken} fits several facilities in the file; place it by hand"]
    return result


def _column(frame: pd.DataFrame, name: str, clean) -> list[str | None]:
    if name not in frame.columns:
        return [None] * len(frame)
    return [clean(v) for v in frame[name]]


def _index(ids: list[str | None], values: list[str | None]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for facility_id, value in zip(ids, values, strict=True):
        if facility_id and value:
            index[value].append(facility_id)
    return index


def _index_many(ids: list[str | None], values: list[str | None]) -> dict[str, list[str]]:
    """As `_index`, for a column where one facility may hold several ids (" ; "-separated)."""
    pairs = [(i, part.strip()) for i, v in zip(ids, values, strict=True) for part in (v or "").split(";")]
    return _index([i for i, _ in pairs], [v or None for _, v in pairs])


def slug(text: str) -> str:
    return "-".join(_NOT_ALNUM.sub(" ", normalise(text)).split())


def new_facility_id(name: str | None, fallback: str, taken: set[str]) -> str:
    """A proposed id for a facility not yet known, "src-<name>", unique against `taken` (which it extends)."""
    base = "src-" + (slug(name or "") or slug(fallback) or "facility")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


class Municipalities:
    """Kommunenummer from "5001", "5001 Trondheim", "Trondheim" or "Tråante" (the bundled 2024 list)."""

    def __init__(self, table: pd.DataFrame):
        self.names: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for number, name in zip(table["kommunenummer"], table["name"], strict=True):
            number = str(number).zfill(4)
            self.names[number] = str(name)
            for alias in [str(name), *str(name).split(" - ")]:
                self.by_name.setdefault(name_key(alias) or "", number)

    @classmethod
    def bundled(cls, path: str | Path = KOMMUNER_CSV) -> Municipalities:
        return cls(pd.read_csv(path, dtype=str))

    def number(self, text: object) -> str | None:
        """The kommunenummer for a number or a name in the list, else None."""
        code, name = split_kommune(text)
        if code is not None:
            return code if code in self.names else None
        return self.by_name.get(name_key(name) or "")

    def __contains__(self, number: object) -> bool:
        return number in self.names


_KOMMUNE = re.compile(r"^\s*(?:K-)?(\d{3,4})(?:\s*[-–:]?\s*(\D.*?))?\s*$")


def split_kommune(text: object) -> tuple[str | None, str | None]:
    """("5001", "Trondheim") from "5001 Trondheim"; (None, "Trondheim") from a bare name; "301" -> "0301"."""
    value = clean_id(text)
    if value is None:
        return None, None
    match = _KOMMUNE.match(value)
    if match:
        return match.group(1).zfill(4), (match.group(2) or None)
    return None, value
