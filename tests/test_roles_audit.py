"""Roles and the audit log with real stores (GeoPackage and PostGIS): who may change what, every change and refusal
in the log, the log append-only, and the log as a table and a formula-safe CSV."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import psycopg
import pytest

from core.roles import COUNTY, Identity, Role, RoleRule, access_for
from exports.audit_table import audit_table
from exports.tables import csv_bytes
from loaders.audit_log import EntryFilter, change_text, log_frame
from loaders.role_rules import RuleRowError, rules_of_csv, rules_of_rows
from store.acting import ActingStore, Actor
from store.errors import NotAllowed
from tests.helpers.store_fixtures import PG_URL, Backend, generated_parks

NO_PG = 'PostGIS tests need TEST_DATABASE_URL or DATABASE_URL: start one with eval "$(bash tests/postgis.sh start)"'
BACKENDS = [
    pytest.param("gpkg", id="gpkg"),
    pytest.param("postgis", id="postgis", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
]
ORKLAND, STEINKJER = "5059", "5006"
ZONE = ZoneInfo("Europe/Oslo")  # the screen's time
HOSTILE_NAME = '=HYPERLINK("http://evil.example","klikk") <script>alert(1)</script> {{ 7*7 }} <b>x</b>'
ORKLAND_EDITORS = RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"])


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    b = Backend(request.param, tmp_path)
    yield b
    b.cleanup()


@pytest.fixture
def store(backend):
    return backend.open()


def person(subject: str, name: str, email: str = "", **claims) -> Actor:
    return Actor(Identity.from_claims({"sub": subject, "name": name, "email": email, **claims}))


ADMIN = Actor.trusted("admin-1", "Ada Administrator")
KARI = person("kari-1", "Kari Orkland", "Kari@Orkland.Kommune.no", email_verified=True)


@pytest.fixture
def county(store):
    """Two layers, Orkland's and Steinkjer's, put there by an administrator; Orkland's e-mail domain edits Orkland."""
    admin = ActingStore(store, ADMIN)
    admin.set_role_rules([ORKLAND_EDITORS])
    orkland = admin.for_owner(ORKLAND).save(generated_parks(2), "Orkland parker", "parks")
    steinkjer = admin.for_owner(STEINKJER).save(generated_parks(2), "Steinkjer parker", "parks")
    return admin, orkland, steinkjer


# --- rules -> access -------------------------------------------------------------------------------


def test_rules_give_the_highest_matching_role_and_every_editor_rules_municipalities():
    rules = [
        RoleRule.of("email_domain", "Orkland.Kommune.no", "editor", ["5059"]),
        RoleRule.of("groups", "gis-steinkjer", "editor", ["Steinkjer", "5059"]),
        RoleRule.of("tid", "tenant-tfk", "viewer"),
        RoleRule.of("tid", "tenant-admins", "admin"),
    ]
    both = Identity.from_claims(
        {"sub": "a", "name": "A", "email": "a@orkland.kommune.no", "groups": ["other", "gis-steinkjer"]}
    )
    access = access_for(both, rules)
    assert access.role is Role.EDITOR and access.municipalities == {ORKLAND, STEINKJER}
    assert access.may_change(STEINKJER) and not access.may_change(COUNTY)
    boss = Identity.from_claims({"sub": "b", "name": "B", "tid": "tenant-admins", "email": "b@orkland.kommune.no"})
    assert access_for(boss, rules).role is Role.ADMIN and access_for(boss, rules).may_change("5001")
    reader = Identity.from_claims({"sub": "c", "name": "C", "tid": "tenant-tfk"})
    assert access_for(reader, rules).role is Role.VIEWER
    stranger = Identity.from_claims({"sub": "d", "name": "D", "email": "d@example.org", "groups": "gis-steinkjer"})
    assert access_for(stranger, rules).role is Role.EDITOR  # a single-valued claim matches like a one-item list
    assert access_for(Identity.from_claims({"sub": "e", "email": "e@example.org"}), rules).role is Role.VIEWER
    unverified = {"sub": "f", "email": "f@orkland.kommune.no", "email_verified": False}
    assert access_for(Identity.from_claims(unverified), rules).role is Role.VIEWER


# --- an editor, an administrator, and the log -------------------------------------------------------


def test_a_rule_trusts_only_its_provider_and_only_a_vouched_for_e_mail():
    """With a sign-in per tenant, another tenant's administrator can give anyone any e-mail or app role: a rule that
    names its provider trusts that provider's sign-ins only; an e-mail domain counts only when vouched for."""
    rule = RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"], provider="orkland")
    claims = {"sub": "eve", "email": "eve@orkland.kommune.no", "email_verified": True}
    assert access_for(Identity.from_claims({**claims, "provider": "orkland"}), [rule]).role is Role.EDITOR
    assert access_for(Identity.from_claims({**claims, "provider": "steinkjer"}), [rule]).role is Role.VIEWER
    assert access_for(Identity.from_claims(claims), [rule]).role is Role.VIEWER  # no provider: not this one
    anywhere = RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["Orkland"])
    for vouch, role in (
        ({}, Role.VIEWER),  # Entra ID sends no email_verified: an address anyone's tenant could set
        ({"email_verified": False}, Role.VIEWER),
        ({"email_verified": "false"}, Role.VIEWER),
        ({"email_verified": 0}, Role.VIEWER),
        ({"email_verified": True}, Role.EDITOR),
        ({"email_verified": "true"}, Role.EDITOR),
        ({"xms_edov": True}, Role.EDITOR),  # Entra's "domain owner verified"
    ):
        identity = Identity.from_claims({"sub": "k", "email": "k@orkland.kommune.no", **vouch})
        assert access_for(identity, [anywhere]).role is role, vouch


def test_an_orkland_editor_changes_orklands_layers_and_is_refused_steinkjers(store, county):
    _, orkland, steinkjer = county
    kari = ActingStore(store, KARI)
    assert kari.rename(orkland.id, "Orkland næringsparker").title == "Orkland næringsparker"
    assert kari.set_visible(orkland.id, False).visible is False
    mine = kari.save(generated_parks(1), "Kari sitt lag", "parks")
    assert mine.owner == ORKLAND and mine.uploader == "Kari Orkland"
    assert kari.delete(orkland.id).deleted
    for change in (
        lambda: kari.rename(steinkjer.id, "Overtatt"),
        lambda: kari.delete(steinkjer.id),
        lambda: kari.set_owner(orkland.id, STEINKJER),
        lambda: kari.for_owner(STEINKJER).save(generated_parks(1), "Snikende", "parks"),
    ):
        with pytest.raises(NotAllowed):
            change()
    assert store.get(steinkjer.id).title == "Steinkjer parker" and not store.get(steinkjer.id).deleted
    assert [i.title for i in store.list() if i.owner == STEINKJER] == ["Steinkjer parker"]
    log = store.audit_log()
    refused = [(e.action, e.layer_id, e.owner) for e in log if e.outcome == "refused"]
    assert refused == [
        ("upload", None, STEINKJER),
        ("owner", orkland.id, STEINKJER),
        ("delete", steinkjer.id, STEINKJER),
        ("rename", steinkjer.id, STEINKJER),
    ]
    assert {(e.subject, e.name) for e in log if e.outcome == "refused"} == {("kari-1", "Kari Orkland")}
    done = [(e.action, e.layer_id) for e in log if e.subject == "kari-1" and e.outcome == "done"]
    assert done == [("delete", orkland.id), ("upload", mine.id), ("hide", orkland.id), ("rename", orkland.id)]
    rename = next(e for e in log if e.action == "rename" and e.outcome == "done")
    assert change_text(rename) == "title: Orkland parker → Orkland næringsparker"


def test_an_editor_does_every_change_to_her_own_layers_and_none_to_the_countys(store, county):
    admin, orkland, _ = county
    kari = ActingStore(store, KARI)
    assert kari.replace(orkland.id, generated_parks(3)).version == 2
    assert kari.restore_version(orkland.id, 1).version == 1
    assert kari.set_description(orkland.id, "Hennes").description == "Hennes"
    assert kari.set_style(orkland.id, {"colour": "#654321"}).style == {"colour": "#654321"}
    assert kari.delete(orkland.id).deleted
    assert not kari.restore(orkland.id).deleted
    countys = admin.save(generated_parks(1), "Fylkets lag", "parks")  # an administrator files under the county
    assert countys.owner == COUNTY
    for change in (
        lambda: kari.rename(countys.id, "Hennes nå"),
        lambda: kari.for_owner(COUNTY).save(generated_parks(1), "Fylkets?", "parks"),
    ):
        with pytest.raises(NotAllowed):
            change()
    actions = [(e.action, e.outcome) for e in store.audit_log() if e.subject == "kari-1"]
    assert actions == [
        ("upload", "refused"),
        ("rename", "refused"),
        ("restore", "done"),
        ("delete", "done"),
        ("style", "done"),
        ("describe", "done"),
        ("restore_version", "done"),
        ("new_version", "done"),
    ]


@pytest.mark.parametrize(
    "actor",
    [
        person("viewer-1", "Vera Viewer", "vera@example.org"),  # signed in, no rule matches: a viewer
        Actor(Identity(subject="", name="anonym")),  # not signed in
        person("kari-2", "Kari Unverified", "kari@orkland.kommune.no", email_verified=False),  # a claim not vouched
    ],
    ids=["viewer", "anonymous", "unverified e-mail"],
)
def test_a_viewer_changes_nothing_and_every_try_is_logged(store, county, actor):
    _, orkland, _ = county
    viewer = ActingStore(store, actor)
    assert viewer.access().role is Role.VIEWER
    for change in (
        lambda: viewer.save(generated_parks(1), "Vera sitt", "parks"),
        lambda: viewer.rename(orkland.id, "Vera var her"),
        lambda: viewer.set_visible(orkland.id, False),
        lambda: viewer.delete(orkland.id),
        lambda: viewer.set_role_rules([RoleRule.of("sub", actor.identity.subject or "x", "admin")]),
    ):
        with pytest.raises(NotAllowed):
            change()
    assert store.get(orkland.id).title == "Orkland parker" and store.get(orkland.id).visible
    refused = [e.action for e in store.audit_log() if e.outcome == "refused"]
    assert refused == ["roles", "delete", "hide", "rename", "upload"]


def test_a_change_and_its_log_line_are_stored_together_or_not_at_all(store, county):
    """A line that cannot be written undoes its change: no change is ever stored without its line."""
    _, orkland, _ = county

    def broken(after):
        raise RuntimeError("the log line could not be made")

    for change in (
        lambda: store.rename(orkland.id, "Uten logglinje"),
        lambda: store.replace(orkland.id, generated_parks(5)),
        lambda: store.delete(orkland.id),
    ):
        with store.logged(broken), pytest.raises(RuntimeError):
            change()
    now = store.get(orkland.id)
    assert (now.title, now.version, now.deleted, len(store.versions(orkland.id))) == ("Orkland parker", 1, False, 1)
    ActingStore(store, KARI).rename(orkland.id, "Med logglinje")
    line = store.audit_log(layer_id=orkland.id)[0]
    assert (line.action, line.before["title"], line.after["title"]) == ("rename", "Orkland parker", "Med logglinje")


def test_a_role_taken_away_refuses_the_very_next_change(store, county):
    admin, orkland, _ = county
    kari = ActingStore(store, KARI)
    kari.rename(orkland.id, "Før")
    admin.set_role_rules([RoleRule.of("email_domain", "steinkjer.kommune.no", "editor", ["Steinkjer"])])
    with pytest.raises(NotAllowed):
        kari.rename(orkland.id, "Etter")  # the same object: the rules are read again
    assert store.get(orkland.id).title == "Før"
    newest = store.audit_log(layer_id=orkland.id)[0]
    assert (newest.action, newest.outcome, newest.name) == ("rename", "refused", "Kari Orkland")


def test_an_administrator_does_everything_an_editor_may_not_touch_the_rules(store, county):
    admin, orkland, steinkjer = county
    assert admin.set_owner(steinkjer.id, COUNTY).owner == COUNTY
    assert admin.set_style(orkland.id, {"colour": "#123456"}).style == {"colour": "#123456"}
    assert admin.set_description(orkland.id, "Ny").description == "Ny"
    assert admin.replace(orkland.id, generated_parks(3)).version == 2
    assert admin.restore_version(orkland.id, 1).version == 1
    admin.delete(orkland.id)
    assert not admin.restore(orkland.id).deleted
    admin.set_role_rules([ORKLAND_EDITORS, RoleRule.of("tid", "t-1", "admin")])
    assert store.role_rules() == [ORKLAND_EDITORS, RoleRule.of("tid", "t-1", "admin")]

    with pytest.raises(NotAllowed):
        ActingStore(store, KARI).set_role_rules([RoleRule.of("sub", "kari-1", "admin")])
    assert store.role_rules() == [ORKLAND_EDITORS, RoleRule.of("tid", "t-1", "admin")]
    refused = store.audit_log()[0]
    assert (refused.action, refused.outcome, refused.name, refused.layer_id) == (
        "roles",
        "refused",
        "Kari Orkland",
        None,
    )
    assert refused.after["rules"][0]["value"] == "kari-1"  # what she tried is in the log
    actions = [e.action for e in store.audit_log() if e.subject == "admin-1"]
    assert actions[:8] == ["roles", "restore", "delete", "restore_version", "new_version", "describe", "style", "owner"]


def test_purge_logs_one_line_per_layer_as_the_system(store, county):
    admin, orkland, steinkjer = county
    then = datetime(2026, 1, 1, tzinfo=UTC)
    admin.delete(orkland.id, now=then)
    admin.delete(steinkjer.id, now=then)
    # anyone's page runs the housekeeping: a viewer's too
    viewer = ActingStore(store, person("v-1", "Vera Viewer"))
    assert sorted(viewer.purge(now=then + timedelta(days=31))) == sorted([orkland.id, steinkjer.id])
    purged = [e for e in store.audit_log() if e.action == "purge"]
    assert sorted((e.layer_id, e.owner) for e in purged) == sorted([(orkland.id, ORKLAND), (steinkjer.id, STEINKJER)])
    assert {(e.subject, e.outcome) for e in purged} == {("system", "done")}
    assert {e.before["title"] for e in purged} == {"Orkland parker", "Steinkjer parker"}


def test_the_audit_log_is_append_only(store, backend, county):
    assert store.audit_log()
    if backend.name == "gpkg":
        with closing(sqlite3.connect(backend.location)) as con:
            for statement in ("UPDATE industrikart_audit SET name = 'x'", "DELETE FROM industrikart_audit"):
                with pytest.raises(sqlite3.DatabaseError), con:
                    con.execute(statement)
    else:
        table = f'"{backend.location}"."audit"'
        for statement in (f"UPDATE {table} SET name = 'x'", f"DELETE FROM {table}", f"TRUNCATE {table}"):
            with psycopg.connect(PG_URL) as con, pytest.raises(psycopg.errors.RaiseException):
                con.execute(statement)
    assert {e.name for e in backend.open().audit_log()} == {"Ada Administrator"}


def test_a_hostile_name_round_trips_and_is_neutralised_in_the_csv(store, county):
    _, orkland, _ = county
    hostile = ActingStore(store, Actor.trusted("sub <i>", HOSTILE_NAME))
    hostile.rename(orkland.id, "=1+1 <b>tittel</b>")
    entry = store.audit_log()[0]
    assert (entry.name, entry.subject, entry.after["title"]) == (HOSTILE_NAME, "sub <i>", "=1+1 <b>tittel</b>")
    table = audit_table([entry], "nb")
    assert table.iloc[0]["Hvem"] == HOSTILE_NAME and table.iloc[0]["Tittel"] == "=1+1 <b>tittel</b>"
    read = pd.read_csv(io.BytesIO(csv_bytes(table)), encoding="utf-8-sig", dtype=str)
    assert read.iloc[0]["Hvem"] == "'" + HOSTILE_NAME and read.iloc[0]["Tittel"] == "'=1+1 <b>tittel</b>"
    plain = pd.read_csv(io.BytesIO(csv_bytes(log_frame([entry]))), encoding="utf-8-sig", dtype=str)
    assert plain.iloc[0]["name"] == "'" + HOSTILE_NAME


# --- the table on screen ----------------------------------------------------------------------------


def test_the_audit_table_says_what_happened_in_the_readers_language(store, county):
    _, orkland, steinkjer = county
    with pytest.raises(NotAllowed):
        ActingStore(store, KARI).rename(steinkjer.id, "Overtatt")
    ActingStore(store, KARI).rename(orkland.id, "Nytt")
    entries = store.audit_log()
    nb, en = audit_table(entries, "nb"), audit_table(entries, "en")
    assert list(nb["Hva"]) == [
        "Nytt navn · parker og områder",
        "Nytt navn · parker og områder",
        "Lastet opp · parker og områder",
        "Lastet opp · parker og områder",
        "Rolleregler endret",
    ]
    assert list(nb["Utfall"][:2]) == ["✓ Utført", "✗ AVVIST"] and list(en["Outcome"][:2]) == ["✓ Done", "✗ REFUSED"]
    assert list(nb["Tilhører"][:2]) == ["Orkland", "Steinkjer"]
    assert nb["Hva som ble endret"].iloc[0] == "title: Orkland parker → Nytt"
    assert nb["Hva som ble endret"].iloc[1] == ""  # refused: nothing changed
    assert pd.isna(nb["Kartlag-ID"].iloc[-1]) and nb["Kartlag-ID"].iloc[0] == orkland.id
    oslo = entries[0].at.astimezone(ZONE)
    assert nb["Tid"].iloc[0] == f"{oslo:%Y-%m-%d %H:%M}"


def test_the_filter_keeps_what_is_chosen(store, county):
    _, orkland, steinkjer = county
    with pytest.raises(NotAllowed):
        ActingStore(store, KARI).rename(steinkjer.id, "Overtatt")
    entries = store.audit_log()
    assert len(entries) == 4
    assert [e.action for e in entries if EntryFilter(outcomes=frozenset({"refused"})).keeps(e)] == ["rename"]
    assert [e.owner for e in entries if EntryFilter(owners=frozenset({ORKLAND})).keeps(e)] == [ORKLAND]
    assert len([e for e in entries if EntryFilter(subjects=frozenset({"admin-1"})).keeps(e)]) == 3
    today = entries[0].at.astimezone(ZONE).date()
    assert len([e for e in entries if EntryFilter(days=(today, today)).keeps(e)]) == 4
    yesterday = today - timedelta(days=1)
    assert not [e for e in entries if EntryFilter(days=(yesterday, yesterday)).keeps(e)]


# --- rules as rows --------------------------------------------------------------------------------


def test_rule_rows_are_checked_row_by_row():
    rows = [
        {"claim": "tid", "value": "t-1", "role": "Admin", "municipalities": ""},
        {"claim": "", "value": "", "role": None, "municipalities": None},  # the editor's empty new row
        {"claim": "groups", "value": "g", "role": "editor", "municipalities": "Orkland, 5006"},
    ]
    assert rules_of_rows(rows) == [
        RoleRule.of("tid", "t-1", "admin"),
        RoleRule.of("groups", "g", "editor", [ORKLAND, STEINKJER]),
    ]
    with pytest.raises(RuleRowError) as bad:
        rules_of_rows([*rows, {"claim": "groups", "value": "g", "role": "editor", "municipalities": "Atlantis"}])
    assert bad.value.row == 4 and bad.value.error.code == "role_unknown_municipality"
    with pytest.raises(RuleRowError) as bad:
        rules_of_csv("claim,value,role,municipalities\r\ngroups,g,editor,\r\n")
    assert bad.value.row == 1 and bad.value.error.code == "role_editor_needs_municipality"
    with pytest.raises(ValueError, match="municipalities"):
        rules_of_csv("claim,value,role\r\ntid,t,admin\r\n")
