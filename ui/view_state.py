"""The view in the URL: query parameters <-> session state, so a link restores what the user saw.

Pure parsing and writing (`Param`, `parse`, `dump`) are kept apart from the Streamlit glue
(`restore`, `publish`) so they can be tested without a running app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

_RESTORED = "_view_state_restored"
_PROBLEMS = "_view_state_problems"


@dataclass(frozen=True)
class Param:
    """One query parameter: where its value lives in session state and how it is written.

    `read(state)` gives the value (None: leave it out of the URL); `write(state, value)` sets it;
    `parse(values)` turns the parameter's strings into a value or raises ValueError.
    """

    name: str
    read: Callable[[dict], object]
    write: Callable[[dict, object], None]
    parse: Callable[[list[str]], object]
    dump: Callable[[object], list[str]]


def key_param(name: str, key: str, parse: Callable[[list[str]], object], dump=None, default=None) -> Param:
    """A parameter stored under one session-state key; the default value is left out of the URL."""

    def read(state: dict) -> object:
        value = state.get(key, default)
        return None if value == default else value

    def write(state: dict, value: object) -> None:
        state[key] = value

    return Param(name, read, write, parse, dump or (lambda v: [str(v)]))


def choice(options: Iterable[object], encode=str) -> Callable[[list[str]], object]:
    """A parser for one value out of `options` (compared by their encoded text)."""
    by_text = {encode(o): o for o in options}

    def parse(values: list[str]) -> object:
        if len(values) != 1 or values[0] not in by_text:
            raise ValueError(values)
        return by_text[values[0]]

    return parse


def choices(options: Iterable[object], encode=str) -> Callable[[list[str]], list]:
    """A parser for several values out of `options`, kept in the order given."""
    by_text = {encode(o): o for o in options}

    def parse(values: list[str]) -> list:
        if any(v not in by_text for v in values):
            raise ValueError(values)
        return list(dict.fromkeys(by_text[v] for v in values))

    return parse


def number(low: float, high: float, cast=float) -> Callable[[list[str]], float]:
    def parse(values: list[str]) -> float:
        if len(values) != 1:
            raise ValueError(values)
        value = cast(values[0])
        if not low <= value <= high:
            raise ValueError(values)
        return value

    return parse


def flag(values: list[str]) -> bool:
    if values not in (["1"], ["0"]):
        raise ValueError(values)
    return values == ["1"]


def parse(query: dict[str, list[str]], params: list[Param]) -> tuple[dict[str, object], list[str]]:
    """Values for the known parameters, and the names of those that were unknown or malformed."""
    known = {p.name: p for p in params}
    values, problems = {}, []
    for name, raw in query.items():
        param = known.get(name)
        if param is None:
            problems.append(name)
            continue
        try:
            values[name] = param.parse(raw)
        except (ValueError, TypeError):
            problems.append(name)
    return values, problems


def dump(state: dict, params: list[Param]) -> dict[str, list[str]]:
    """The query parameters for the current state (defaults left out)."""
    query = {}
    for param in params:
        value = param.read(state)
        if value is not None and value != [] and value != ():
            query[param.name] = param.dump(value)
    return query


def restore(params: list[Param]) -> list[str]:
    """On a session's first run, set session state from the URL; return the parameters ignored.

    Later runs leave state alone: from then on the widgets own it and `publish` writes the URL.
    """
    if _RESTORED in st.session_state:
        return st.session_state.get(_PROBLEMS, [])
    query = {name: st.query_params.get_all(name) for name in st.query_params}
    values, problems = parse(query, params)
    by_name = {p.name: p for p in params}
    for name, value in values.items():
        by_name[name].write(st.session_state, value)
    st.session_state[_RESTORED] = True
    st.session_state[_PROBLEMS] = problems
    return problems


def publish(params: list[Param]) -> str:
    """Write the current state into the URL (no rerun, no reload); return the query string."""
    query = dump(st.session_state, params)
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    if current != query:
        st.query_params.from_dict(query)
    return urlencode(query, doseq=True)


def share_link(query_string: str) -> str:
    """The full link to this page with `query_string`."""
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{query_string}" if query_string else base
