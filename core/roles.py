"""Who may change what: an identity's claims, the administrators' rules that turn claims into a role per
municipality, and the one rule for a change (`Access.may_change`).

Plain Python, no Streamlit and no store: the pages ask it to hide buttons, and store/acting.py asks it again at the
moment of every change, with the rules read fresh from the store (a role taken away counts at the next action).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from core.kommunenummer import CURRENT
from core.messages import CodedError

COUNTY = "50"  # Trøndelag fylkeskommune: what belongs to the county, not to one municipality
OWNERS = {COUNTY: "Trøndelag fylkeskommune", **CURRENT}  # number -> name of everyone who may own a layer
CLAIM_TEXT_LIMIT = 200  # characters kept of a claim: a name or e-mail longer than this is not a real one
# A rule may match on any claim the provider sends (tid, groups, roles, email, sub …) or on this one, made here:
# the part of an e-mail address after "@", lower case, only when the provider vouches for the address
# (`email_verified`, or Entra ID's `xms_edov`: the domain is verified by the tenant that owns it).
EMAIL_DOMAIN = "email_domain"
VOUCHED = (True, "true", "True", 1)


class Role(StrEnum):
    """Ordered: a later role may do everything an earlier one may."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class RoleError(CodedError):
    """A role rule the administrator wrote cannot be used (an unknown role, a municipality that is none)."""


@dataclass(frozen=True)
class Identity:
    """Who signed in, as the provider says: `subject` (stable, unique per issuer), `name` and `email` as given
    (shown as text, never as markup), `issuer`, and every claim (for the role rules)."""

    subject: str
    name: str
    email: str = ""
    issuer: str = ""
    claims: Mapping[str, object] | None = None
    provider: str = ""  # the [auth] section it signed in through (Streamlit sets it; no token can)

    @classmethod
    def from_claims(cls, claims: Mapping[str, object]) -> Identity:
        """An identity from an ID token's claims; missing or odd values become text, cut to CLAIM_TEXT_LIMIT."""
        subject = claim_text(claims.get("sub"))
        name = claim_text(claims.get("name")) or claim_text(claims.get("preferred_username"))
        email = claim_text(claims.get("email"))
        issuer, provider = claim_text(claims.get("iss")), claim_text(claims.get("provider"))
        return cls(subject, name or email or subject, email, issuer, dict(claims), provider)

    def claim_values(self, claim: str) -> frozenset[str]:
        """The values a rule on `claim` compares with: a list claim (groups) gives each of its items."""
        claims = self.claims or {}
        if claim == EMAIL_DOMAIN:
            vouched = claims.get("email_verified") in VOUCHED or claims.get("xms_edov") in VOUCHED
            domain = self.email.rpartition("@")[2].lower() if "@" in self.email and vouched else ""
            return frozenset({domain} - {""})
        value = claims.get(claim)
        values = value if isinstance(value, list | tuple) else [value]
        return frozenset(claim_text(v) for v in values if v is not None and claim_text(v))


def claim_text(value: object) -> str:
    """A claim as plain, single-line text of at most CLAIM_TEXT_LIMIT characters ("" for none)."""
    if value is None or isinstance(value, dict | list | tuple):
        return ""
    text = "".join(c if c.isprintable() else " " for c in str(value)).strip()
    return text[:CLAIM_TEXT_LIMIT]


@dataclass(frozen=True)
class RoleRule:
    """An identity signed in through `provider` (an `[auth]` section's name; "" any) whose `claim` has `value` is
    `role`, for `municipalities` (editors; ignored for the others). With several providers, name it: otherwise the
    administrators of any of them could give their own people a claim the rule trusts."""

    claim: str
    value: str
    role: Role
    municipalities: tuple[str, ...] = ()
    provider: str = ""

    @classmethod
    def of(
        cls, claim: object, value: object, role: object, municipalities: Iterable[object] = (), provider: object = ""
    ) -> RoleRule:
        """A checked rule: a known role, a claim and value given, and owners that exist (numbers or names)."""
        claim, value = claim_text(claim), claim_text(value)
        if not claim or not value:
            raise RoleError("role_rule_needs_claim")
        try:
            role = Role(str(role).strip().lower())
        except ValueError:
            raise RoleError("role_unknown", got=claim_text(role), roles=", ".join(Role)) from None
        owners = tuple(sorted({owner_number(m) for m in municipalities}))
        if role is Role.EDITOR and not owners:
            raise RoleError("role_editor_needs_municipality")
        value = value.lower() if claim == EMAIL_DOMAIN else value
        return cls(claim, value, role, owners, claim_text(provider))

    def matches(self, identity: Identity) -> bool:
        if self.provider and self.provider != identity.provider:
            return False
        return self.value in identity.claim_values(self.claim)


def owner_number(value: object) -> str:
    """A municipality (or the county) as its number, from its number or its name; RoleError if it is neither."""
    text = claim_text(value)
    if text in OWNERS:
        return text
    by_name = {name.casefold(): number for number, name in OWNERS.items()}
    if text.casefold() in by_name:
        return by_name[text.casefold()]
    raise RoleError("role_unknown_municipality", got=text)


@dataclass(frozen=True)
class Access:
    """What one identity may do now: its highest `role`, and the owners it edits for (editors)."""

    role: Role = Role.VIEWER
    municipalities: frozenset[str] = frozenset()

    def may_change(self, owner: str) -> bool:
        """The one rule: administrators change everything; editors what belongs to their municipalities."""
        return self.role is Role.ADMIN or (self.role is Role.EDITOR and owner in self.municipalities)

    @property
    def may_administer(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def may_edit(self) -> bool:
        """May change something (which things: `may_change`)."""
        return self.role is not Role.VIEWER

    def owners(self) -> list[str]:
        """The owners this identity may file a new layer under, county first."""
        allowed = OWNERS if self.role is Role.ADMIN else self.municipalities if self.role is Role.EDITOR else ()
        return [number for number in OWNERS if number in allowed]


FULL_ACCESS = Access(Role.ADMIN)  # one trusted user: the single-password and the open, local installation


def access_for(identity: Identity | None, rules: Iterable[RoleRule]) -> Access:
    """The identity's access under `rules`: the highest role any matching rule gives, with the municipalities of every
    matching editor rule. No identity, or no rule matching: a viewer."""
    if identity is None or not identity.subject:
        return Access()
    matching = [rule for rule in rules if rule.matches(identity)]
    if not matching:
        return Access()
    role = max((rule.role for rule in matching), key=lambda r: r.rank)
    municipalities = frozenset(m for rule in matching if rule.role is Role.EDITOR for m in rule.municipalities)
    return Access(role, municipalities if role is Role.EDITOR else frozenset())


def owner_name(number: str) -> str:
    """The owner's name for a number ("Orkland", "Trøndelag fylkeskommune"); an unknown number as itself."""
    return OWNERS.get(number, number)
