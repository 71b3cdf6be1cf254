"""Reading hand-kept record tables (flows, measures): the text of a file and the cells of a record."""

from __future__ import annotations

from core.values import to_plain
from loaders.errors import FileFormatError


def file_text(data: bytes | str) -> str:
    """The file as text (UTF-8, a BOM allowed); FileFormatError when it is not UTF-8 or empty."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileFormatError("not_utf8", byte=exc.start) from None
    if not data.strip():
        raise FileFormatError("file_empty")
    return data


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
