"""The administration page and a layer's own audit log on Kartlag, under AppTest with the private store: open local
use (no password: the local user is a trusted administrator), and a viewer of a password installation."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from config import EDITOR_PASSWORD_ENV as PASSWORD_ENV
from core.roles import RoleRule
from store import open_store
from store.acting import ActingStore, Actor
from tests.helpers.apptest import app
from tests.test_downloads import downloads  # noqa: F401  (a fixture: the bytes of every download button)
from ui.access import LOCAL_USER

HOSTILE_TITLE = '=HYPERLINK("http://evil.example","klikk") <b>{{ 7*7 }}</b>'
HOSTILE_NAME = "<script>alert(1)</script> {{7*7}} =1+2"


@pytest.fixture
def layer(portfolio):
    """A layer the local user uploaded, then renamed on Kartlag (through the page, as a person would)."""
    info = ActingStore(open_store(), LOCAL_USER).save(portfolio.parks.head(2), "Generated parks", "parks")
    at = app("pages/4_Kartlag.py").run()
    at.text_input(key=f"layer_{info.id}_title").set_value(HOSTILE_TITLE)
    at.button(key=f"layer_{info.id}_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert open_store().get(info.id).title == HOSTILE_TITLE
    return info


def frames(at) -> list[pd.DataFrame]:
    return [element.value for element in at.dataframe]  # st.dataframe and st.data_editor


def test_kartlag_shows_the_layers_own_log_to_those_who_may_change_it(layer, monkeypatch):
    at = app("pages/4_Kartlag.py").run()
    log = frames(at)[1]  # the layer table, then the layer's log in its expander
    assert log["Hva"].iloc[-1] == "Lastet opp · parker og områder"
    assert "Nytt navn · parker og områder" in set(log["Hva"])
    assert set(log["Hvem"]) == {"lokal bruker"} and set(log["Utfall"]) == {"✓ Utført"}
    rename = log[log["Hva"].str.startswith("Nytt navn")].iloc[0]
    assert rename["Hva som ble endret"] == f"title: Generated parks → {HOSTILE_TITLE}"  # as text, unchanged

    monkeypatch.setenv(PASSWORD_ENV, "generated-secret")  # a viewer: the log names people, it is not shown
    viewer = app("pages/4_Kartlag.py").run()
    assert not viewer.exception and len(frames(viewer)) == 1


def test_the_admin_page_lists_the_log_and_its_csv_is_formula_safe(layer, downloads):  # noqa: F811
    ActingStore(open_store(), Actor.trusted("sub-h", HOSTILE_NAME)).set_visible(layer.id, False)
    at = app("pages/8_Administrasjon.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.subheader] == ["Rolleregler", "Endringslogg"]
    log = frames(at)[-1]
    assert log["Hva"].iloc[0] == "Skjult · parker og områder" and log["Hvem"].iloc[0] == HOSTILE_NAME
    assert log["Hva"].iloc[-1] == "Lastet opp · parker og områder" and len(log) == len(open_store().audit_log())
    assert HOSTILE_TITLE in set(log["Tittel"])
    written = pd.read_csv(io.BytesIO(downloads["industrikart_endringslogg.csv"]), encoding="utf-8-sig", dtype=str)
    assert written["Hvem"].iloc[0] == HOSTILE_NAME  # "<script>" starts no formula: as it was
    assert set(written["Tittel"]) == {"'" + HOSTILE_TITLE, "Generated parks"}  # the title at each line's time
    assert not any(str(c).startswith(("=", "+", "-", "@")) for c in written.to_numpy().ravel())

    at.multiselect(key="audit_filter_who").set_value(["sub-h"]).run()
    assert list(frames(at)[-1]["Hvem"]) == [HOSTILE_NAME]
    at.multiselect(key="audit_filter_who").set_value([]).run()
    at.multiselect(key="audit_filter_action").set_value(["rename"]).run()
    assert list(frames(at)[-1]["Hva"]) == ["Nytt navn · parker og områder"]
    assert "Viser 1 av" in " ".join(c.value for c in at.caption)
    at.multiselect(key="audit_filter_action").set_value([]).run()
    today = open_store().audit_log()[0].at.astimezone(ZoneInfo("Europe/Oslo")).date()
    at.date_input[0].set_value((today - timedelta(days=2), today - timedelta(days=1))).run()
    assert frames(at)[-1].empty
    at.date_input[0].set_value((today, today)).run()
    assert len(frames(at)[-1]) == len(open_store().audit_log())


def test_the_admin_page_shows_the_rules_and_is_for_administrators_only(monkeypatch):
    ActingStore(open_store(), LOCAL_USER).set_role_rules(
        [RoleRule.of("email_domain", "orkland.kommune.no", "editor", ["5059", "Steinkjer"])]
    )
    at = app("pages/8_Administrasjon.py").run()
    assert not at.exception, [e.message for e in at.exception]
    rules = frames(at)[0]
    assert rules.to_dict("records") == [
        {
            "claim": "email_domain",
            "value": "orkland.kommune.no",
            "role": "editor",
            "municipalities": "Steinkjer, Orkland",
            "provider": "",
        }
    ]
    assert any("`tid`" in m.value and "`email_domain`" in m.value for m in at.markdown)  # the claims explained

    monkeypatch.setenv(PASSWORD_ENV, "generated-secret")
    viewer = app("pages/8_Administrasjon.py").run()
    assert not viewer.exception
    assert any("Bare administratorer" in i.value for i in viewer.info)
    assert not frames(viewer) and not viewer.get("download_button") and not viewer.button


def edit_rules(at, *rows: dict) -> None:
    """Add rows in the rules editor (its state, as the browser sends it) and press save."""
    at.session_state["admin_role_rules"] = {"edited_rows": {}, "added_rows": list(rows), "deleted_rows": []}
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]


def test_the_rules_editor_saves_checked_rules_and_names_a_bad_row():
    at = app("pages/8_Administrasjon.py").run()
    edit_rules(
        at,
        {"claim": "tid", "value": "tenant-1", "role": "admin", "municipalities": None},
        {"claim": "groups", "value": "g-1", "role": "editor", "municipalities": "Atlantis"},
    )
    (error,) = [e.value for e in at.error]
    assert error.startswith("Rad 2: ") and "Atlantis" in error and error.endswith(" Ingenting er lagret.")
    assert open_store().role_rules() == [] and open_store().audit_log() == []

    at = app("pages/8_Administrasjon.py").run()
    edit_rules(at, {"claim": "groups", "value": "g-1", "role": "editor", "municipalities": "Orkland, 5006"})
    assert open_store().role_rules() == [RoleRule.of("groups", "g-1", "editor", ["5059", "5006"])]
    entry = open_store().audit_log()[0]
    assert (entry.action, entry.outcome, entry.name) == ("roles", "done", "lokal bruker")
    assert frames(at)[0].to_dict("records") == [
        {"claim": "groups", "value": "g-1", "role": "editor", "municipalities": "Steinkjer, Orkland", "provider": ""}
    ]
    assert [s.value for s in at.success] == ["Reglene er lagret (1 i alt) og ført i endringsloggen."]
