"""Numbers and years as Norwegian exports print them: "313 182,2", "1.234,5", "-" for none."""

from __future__ import annotations

import datetime as dt
import math
import re

from loaders.errors import SchemaError
from loaders.files.text import SPACES

# Printed instead of a number when there is none (SSB and Miljødirektoratet use ".." and ":" too).
MISSING_MARKS = frozenset({"", "-", "–", "—", "..", ":", "nan", "NaN"})
_DOT_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$")  # 1.234 or 1.234.567,5
_COMMA_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")  # 1,234.5 (English)
_PLAIN = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_YEAR = re.compile(r"^(\d{4})(\.0+)?(-\d{2}-\d{2}([ T].*)?)?$")  # 2022, 2022.0, 2022-01-01

# Units a file may give its amounts in, as factors to tonnes.
TONNES_PER_UNIT = {"tonn": 1.0, "tonnes": 1.0, "t": 1.0, "kg": 0.001, "kilo": 0.001, "1000 tonn": 1000.0, "kt": 1000.0}


class CellError(SchemaError):
    """One cell of an imported table does not hold what its column needs. Names file, row and column."""

    def __init__(
        self, row: int | None, column: str, expected: str, got: object = None, file: str | None = None, **params: object
    ):
        super().__init__(row, column, expected, got, code="cell_expected", file=file or None, row=row, **params)
        self.file = file


def parse_number(raw: object, row: int | None = None, column: str = "", file: str | None = None) -> float | None:
    """A number from a cell: decimal comma or point, thousands as spaces, no-break spaces or dots.

    None for an empty cell or a missing mark ("-", ".."). "1.234" with exactly three digits after a
    single dot is read as one thousand two hundred and thirty-four: in a Norwegian export a dot
    separates thousands; a dot followed by another count of digits ("12.5") is a decimal point.
    """
    if raw is None or isinstance(raw, bool):
        if raw is None:
            return None
        raise CellError(row, column, "cell_number", raw, file)
    if isinstance(raw, int | float):
        value = float(raw)
        return None if math.isnan(value) else _finite(value, raw, row, column, file)
    text = str(raw).strip()
    if text in MISSING_MARKS:
        return None
    compact = SPACES.sub("", text).replace("\u2212", "-")  # U+2212 is the typographic minus
    if _DOT_THOUSANDS.match(compact):
        number = compact.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.match(compact) and "." in compact:
        number = compact.replace(",", "")
    elif compact.count(",") == 1 and "." not in compact:
        number = compact.replace(",", ".")
    else:
        number = compact
    if not _PLAIN.match(number):
        raise CellError(row, column, "cell_number", text, file)
    return _finite(float(number), text, row, column, file)


def _finite(value: float, raw: object, row: int | None, column: str, file: str | None) -> float:
    if not math.isfinite(value):
        raise CellError(row, column, "finite_number", raw, file)
    return value


def parse_year(raw: object, row: int | None = None, column: str = "", file: str | None = None) -> int | None:
    """A year from 2022, 2022.0, "2022", "2022-01-01" or a date cell; None when empty."""
    if raw is None:
        return None
    if isinstance(raw, dt.date):  # datetime is a date too
        return raw.year
    if isinstance(raw, float) and math.isnan(raw):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        year = int(raw)
    else:
        text = str(raw).strip()
        if text in MISSING_MARKS:
            return None
        match = _YEAR.match(text)
        if not match:
            raise CellError(row, column, "cell_year", raw, file)
        year = int(match.group(1))
    if not 1900 <= year <= 2100:
        raise CellError(row, column, "year_range", raw, file)
    return year


def tonnes_factor(unit: object, row: int | None = None, column: str = "", file: str | None = None) -> float:
    """The factor that turns an amount in `unit` ("tonn", "kg" ...) into tonnes."""
    key = " ".join(str(unit or "").split()).casefold().rstrip(".")
    try:
        return TONNES_PER_UNIT[key]
    except KeyError:
        raise CellError(row, column, "mass_unit", unit, file, units=tuple(TONNES_PER_UNIT)) from None
