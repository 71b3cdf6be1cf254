"""The store's errors. `str()` of each is a complete, user-facing sentence."""

from __future__ import annotations


class StoreError(Exception):
    """The store could not do what was asked."""


class LayerNotFound(StoreError):
    """No layer (or no such version of it) has this id."""


class LayerDeleted(StoreError):
    """The layer is in the bin: restore it before changing it."""


class StoreBusy(StoreError):
    """Another writer held the store longer than the lock timeout."""


class StoreLayoutError(StoreError):
    """The store file has a layout this version of the app cannot use (too new, or damaged)."""
