"""The store's errors: a code and params (core.messages.CodedError); `str()` is the English sentence, and the
pages show them in the user's language with `i18n.error_text`."""

from __future__ import annotations

from core.messages import CodedError


class StoreError(CodedError):
    """The store could not do what was asked."""


class LayerNotFound(StoreError):
    """No layer (or no such version of it) has this id."""


class LayerDeleted(StoreError):
    """The layer is in the bin: restore it before changing it."""


class StoreBusy(StoreError):
    """Another writer held the store longer than the lock timeout."""


class StoreLayoutError(StoreError):
    """The store file has a layout this version of the app cannot use (too new, or damaged)."""


class NotAllowed(StoreError):
    """The person acting may not make this change (store/acting.py): refused, and written to the audit log."""
