"""Reading hand-kept record tables (flows, measures): the text of a file and the cells of a record."""

from __future__ import annotations

import io

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
