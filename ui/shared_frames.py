"""Copy-on-read for values kept in `st.cache_resource`: every session gets its own view of a shared frame.

`st.cache_resource` hands every session the very same object. pandas 3 copies on write, so a shallow copy
costs no data: a session may add, drop or overwrite columns or values in its view, and neither the cached
frame nor any other session sees it. Containers (dataclasses, tuples, lists, dicts) are copied around
their frames the same way; other values (numbers, text, geometries, which are immutable) pass through, and so
does a frozen dataclass holding only such values.
"""

from __future__ import annotations

import dataclasses

import pandas as pd


def shared_view(value):
    """A per-session view of a cached value: changing it in place never reaches the cache."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: shared_view(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        if value.__dataclass_params__.frozen and all(changes[n] is getattr(value, n) for n in changes):
            return value  # nothing in it to copy, and it cannot be changed: shared as it is
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        shared = tuple(shared_view(v) for v in value)
        return value if all(a is b for a, b in zip(shared, value, strict=True)) else shared
    if isinstance(value, list):
        return [shared_view(v) for v in value]
    if isinstance(value, dict):
        return {k: shared_view(v) for k, v in value.items()}
    return value
