"""The store's record of one layer version, shared by the interface, the backends and the exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None
