"""Reading hand-kept record tables (flows, measures): the text of a file and the cells of a record."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import pandas as pd

from core.values import to_plain
from loaders.errors import FileFormatError, SchemaError
from loaders.files.text import nonempty_text


def clean(value: object) -> object:
    """Empty strings and pandas/NaN missing values become None; text is stripped."""
    value = to_plain(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def one_of(choices: tuple[str, ...]) -> tuple[str, ...]:
    """A vocabulary as it is named in a message."""
    return tuple(repr(c) for c in choices)


def check_text(i: int, record: Mapping[str, object], row: Mapping[str, object], names: Iterable[str]) -> None:
    """Each of `names` present in the checked `row` and text; SchemaError naming the first that is not (with the
    value as `record` gave it)."""
    for name in names:
        if row[name] is None:
            raise SchemaError(i, name, "present", record.get(name))
        if not isinstance(row[name], str):
            raise SchemaError(i, name, "text", row[name])


def check_choice(i: int, row: Mapping[str, object], name: str, choices: tuple[str, ...]) -> None:
    if row[name] not in choices:
        raise SchemaError(i, name, "one_of", row[name], choices=one_of(choices))


def check_urls(i: int, row: Mapping[str, str], name: str = "source_url") -> None:
    """Every ";"-separated address in `name` a web address."""
    for url in row[name].split(";"):
        if not url.strip().startswith(("http://", "https://")):
            raise SchemaError(i, name, "urls", row[name])


def csv_records(data: bytes | str, required: tuple[str, ...], what: str) -> list[dict]:
    """The rows of a UTF-8 CSV with a header row, every cell as text; SchemaError naming the first of `required`
    missing from the header (`what` names the table in the message)."""
    text = nonempty_text(data)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FileFormatError("not_csv_table", reason=str(exc)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SchemaError(None, missing[0], "column_of", what=what)
    return frame.to_dict("records")
