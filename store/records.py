"""The store's record of one layer version, shared by the interface, the backends and the exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.roles import COUNTY


@dataclass(frozen=True)
class LayerInfo:
    """One layer as the store knows it; the upload fields describe `version`."""

    id: int
    title: str
    kind: str
    original_filename: str
    original_crs: str
    uploader: str
    created_at: datetime  # when this version was saved (UTC)
    feature_count: int
    description: str
    source_licence: str
    visible: bool
    version: int
    deleted_at: datetime | None
    style: dict = field(default_factory=dict)  # how maps draw the layer (see store.base.STYLE_KEYS)
    owner: str = COUNTY  # the municipality (its number) or the county the layer belongs to (core.roles)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


DONE = "done"
REFUSED = "refused"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who (`subject`, `name` as the provider gave them) did (`outcome` DONE) or tried
    (REFUSED) `action` when (`at`, UTC), to which layer (`layer_id`, None for the role rules) of which `owner`, and
    the metadata `before` and `after` (plain JSON values)."""

    at: datetime
    subject: str
    name: str
    action: str
    outcome: str
    layer_id: int | None
    owner: str
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    id: int | None = None  # given by the store, in the order entries were written
