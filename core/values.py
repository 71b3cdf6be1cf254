"""What counts as a missing value, and table cells as plain Python: one rule for the whole app."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def is_missing(value: object) -> bool:
    """None, NaN, pd.NA and NaT are missing; everything else (text, lists, 0, False) is a value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def to_plain(value: object) -> object:
    """A pandas/numpy cell as plain Python: missing becomes None, numpy scalars their Python value."""
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value
