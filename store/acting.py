"""The store as one person uses it: every change checked at the moment it is made, and written to the audit log.

`ActingStore(store, actor)` has the store's writing methods. Each asks `core.roles` whether the actor may change what
the layer's owner has (the role rules read fresh from the store, so a role taken away counts at the actor's next
action), does the change, and has the store write who, when, what, which layer and owner, and the metadata before
and after in the change's own transaction (`LayerStore.logged`). A refused change raises `NotAllowed` and is logged
as refused. The uploader of a version is the actor's name, whatever
the caller's `Origin` says. Reading passes straight through; a method this class does not know is refused, so no
writing method of the store can be reached around it.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import geopandas as gpd

from core.roles import COUNTY, FULL_ACCESS, Access, Identity, RoleRule, access_for
from store.base import PURGE_AFTER, LayerStore, Origin
from store.errors import NotAllowed
from store.records import DONE, REFUSED, AuditEntry, LayerInfo

# Housekeeping nobody asked for by hand: the bin emptied after STORE_PURGE_DAYS.
SYSTEM = Identity(subject="system", name="Industrikart (automatisk)")
# What the audit log keeps of a layer before and after a change.
_SUMMARY = (
    "title",
    "kind",
    "owner",
    "version",
    "visible",
    "description",
    "style",
    "feature_count",
    "uploader",
    "source_licence",
    "original_filename",
)
NO_ORIGIN = Origin()  # an upload that says nothing of its file
_READS = frozenset({"get", "versions", "read", "list", "export", "audit_log", "role_rules"})


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in `identity`, and `access` when it is fixed by the installation (the single-password and
    the open local mode: FULL_ACCESS) rather than decided by the role rules."""

    identity: Identity
    access: Access | None = None

    @classmethod
    def trusted(cls, subject: str, name: str) -> Actor:
        """One trusted user of a single-user installation, or the operator at the command line."""
        return cls(Identity(subject=subject, name=name), FULL_ACCESS)


class ActingStore:
    """`store`, changed only as `actor` may; new layers go to `owner` (None: the actor's only owner, or the county
    for an administrator)."""

    def __init__(self, store: LayerStore, actor: Actor, owner: str | None = None):
        self.store = store
        self.actor = actor
        self.owner = owner

    def __getattr__(self, name: str):
        if name in _READS:
            return getattr(self.store, name)
        raise AttributeError(f"{type(self).__name__} has no {name!r}: changes go through its own methods")

    def for_owner(self, owner: str) -> ActingStore:
        """The same actor, filing new layers under `owner`."""
        return ActingStore(self.store, self.actor, owner)

    def access(self) -> Access:
        """The actor's access now (the rules are read again on every call)."""
        return self.actor.access or access_for(self.actor.identity, self.store.role_rules())

    # --- changes -----------------------------------------------------------------------------

    def save(
        self,
        gdf: gpd.GeoDataFrame,
        title: str,
        kind: str,
        origin: Origin = NO_ORIGIN,
        description: str = "",
        style: dict | None = None,
    ) -> LayerInfo:
        owner = self.owner or self._default_owner()
        return self._change(
            "upload",
            None,
            owner,
            lambda: self.store.save(gdf, title, kind, self._origin(origin), description, style, owner=owner),
        )

    def replace(
        self, layer_id: int, gdf: gpd.GeoDataFrame, origin: Origin = NO_ORIGIN, description: str | None = None
    ) -> LayerInfo:
        return self._change(
            "new_version", layer_id, None, lambda: self.store.replace(layer_id, gdf, self._origin(origin), description)
        )

    def restore_version(self, layer_id: int, version: int) -> LayerInfo:
        return self._change("restore_version", layer_id, None, lambda: self.store.restore_version(layer_id, version))

    def set_visible(self, layer_id: int, visible: bool) -> LayerInfo:
        action = "show" if visible else "hide"
        return self._change(action, layer_id, None, lambda: self.store.set_visible(layer_id, visible))

    def rename(self, layer_id: int, title: str) -> LayerInfo:
        return self._change("rename", layer_id, None, lambda: self.store.rename(layer_id, title))

    def set_description(self, layer_id: int, description: str) -> LayerInfo:
        return self._change("describe", layer_id, None, lambda: self.store.set_description(layer_id, description))

    def set_style(self, layer_id: int, style: dict) -> LayerInfo:
        return self._change("style", layer_id, None, lambda: self.store.set_style(layer_id, style))

    def set_owner(self, layer_id: int, owner: str) -> LayerInfo:
        """Give the layer to another owner: the actor must be allowed to change what both of them have."""
        if not self.access().may_change(owner):
            self._log("owner", REFUSED, layer_id, owner, _summary(self.store.get(layer_id)), {})
            raise NotAllowed("acting_not_allowed", layer_id=layer_id)
        return self._change("owner", layer_id, None, lambda: self.store.set_owner(layer_id, owner))

    def delete(self, layer_id: int, now: datetime | None = None) -> LayerInfo:
        return self._change("delete", layer_id, None, lambda: self.store.delete(layer_id, now))

    def restore(self, layer_id: int) -> LayerInfo:
        return self._change("restore", layer_id, None, lambda: self.store.restore(layer_id))

    def purge(self, older_than: timedelta = PURGE_AFTER, now: datetime | None = None) -> builtins.list[int]:
        """The bin's housekeeping (any page may run it): logged as the system's, one line per layer removed."""
        doomed = {i.id: i for i in self.store.list(include_deleted=True) if i.deleted}
        purged = self.store.purge(older_than, now)
        for layer_id in purged:
            before = doomed.get(layer_id)
            owner = before.owner if before else COUNTY
            self.store.append_audit(_entry(SYSTEM, "purge", DONE, layer_id, owner, _summary(before), {}))
        return purged

    def set_role_rules(self, rules: builtins.list[RoleRule]) -> None:
        """Make `rules` the role rules (administrators only); the old and new rules go to the log."""
        before = {"rules": [_rule(r) for r in self.store.role_rules()]}
        after = {"rules": [_rule(r) for r in rules]}
        if not self.access().may_administer:
            self._log("roles", REFUSED, None, COUNTY, before, after)
            raise NotAllowed("acting_not_admin")
        entry = _entry(self.actor.identity, "roles", DONE, None, COUNTY, before, after)
        self.store.replace_role_rules(rules, entry)

    # --- the one path of every layer change ----------------------------------------------------

    def _change(self, action: str, layer_id: int | None, owner: str | None, do: Callable[[], LayerInfo]) -> LayerInfo:
        before = None if layer_id is None else self.store.get(layer_id)
        owner = before.owner if before is not None else owner
        if not self.access().may_change(owner):
            self._log(action, REFUSED, layer_id, owner, _summary(before), {})
            raise NotAllowed("acting_not_allowed", layer_id=layer_id if layer_id is not None else "")
        identity = self.actor.identity
        line = lambda after: _entry(identity, action, DONE, after.id, after.owner, _summary(before), _summary(after))  # noqa: E731
        with self.store.logged(line):  # the change and its line in one transaction (store/base.py)
            return do()

    def _log(self, action: str, outcome: str, layer_id: int | None, owner: str, before: dict, after: dict) -> None:
        self.store.append_audit(_entry(self.actor.identity, action, outcome, layer_id, owner, before, after))

    def _origin(self, origin: Origin) -> Origin:
        return dataclasses.replace(origin, uploader=self.actor.identity.name)

    def _default_owner(self) -> str:
        """The first owner the actor may file under (the county for an administrator); for a viewer the county's,
        which the check then refuses."""
        owners = self.access().owners()
        return owners[0] if owners else COUNTY


def _entry(
    identity: Identity, action: str, outcome: str, layer_id: int | None, owner: str, before: dict, after: dict
) -> AuditEntry:
    return AuditEntry(
        at=datetime.now(UTC),
        subject=identity.subject,
        name=identity.name,
        action=action,
        outcome=outcome,
        layer_id=layer_id,
        owner=owner,
        before=before,
        after=after,
    )


def _summary(info: LayerInfo | None) -> dict:
    if info is None:
        return {}
    summary = {name: getattr(info, name) for name in _SUMMARY}
    summary["deleted"] = info.deleted
    return summary


def _rule(rule: RoleRule) -> dict:
    return {
        "claim": rule.claim,
        "value": rule.value,
        "role": str(rule.role),
        "municipalities": rule.municipalities,
        "provider": rule.provider,
    }
