"""Search: municipalities and bundled places beside features, hits that say what they are, one hit per reading;
English singulars and theme names (i18n)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import i18n
from analysis.search import MUNICIPALITIES, search
from core.kommunenummer import MUNICIPALITIES as BUNDLED_MUNICIPALITIES
from i18n import search_hit_text, t, theme_label


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("Orkland", "5059"),
        ("orkland", "5059"),
        ("5059", "5059"),
        ("roros", "5025"),  # the short name, without its ø
        ("Rosse", "5025"),  # the Sami name in "Rosse - Røros"
        ("traante", "5001"),  # "Trondheim - Tråante", without its å
        ("Trondheim", "5001"),
        ("nærøysund", "5060"),
        ("naeroysund", "5060"),
    ],
)
def test_a_municipality_is_found_by_its_names_and_number_first(portfolio, query, number):
    first = search(portfolio, query)[0]
    assert (first.layer, first.id) == (MUNICIPALITIES, number)
    assert first.lat is None and first.lon is None  # the map fits its outline, not a point


def test_every_bundled_municipality_is_found_by_its_short_name(portfolio):
    bundled = BUNDLED_MUNICIPALITIES
    for number, short in zip(bundled["kommunenummer"], bundled["short_name"], strict=True):
        hits = [m for m in search(portfolio, short, limit=100) if m.layer == MUNICIPALITIES]
        assert number in {m.id for m in hits}, short


def test_a_number_finds_only_its_municipality_and_a_part_of_one_finds_none(portfolio):
    assert [m.id for m in search(portfolio, "5059")] == ["5059"]
    assert not [m for m in search(portfolio, "50") if m.layer == MUNICIPALITIES]


def test_orkland_finds_the_municipality_then_the_places_and_companies_named_after_it(portfolio):
    hits = search(portfolio, "Orkland")
    assert hits[0].layer == MUNICIPALITIES
    assert {"park-biopark-vormstad"} <= {m.id for m in hits if m.layer == "parks"}  # "(Orkland Næringspark)"
    assert any(m.layer == "members" and m.label == "Orkland Energi" for m in hits)


def test_a_place_is_found_by_its_other_name_in_brackets_without_diacritics(portfolio):
    ids = {m.id for m in search(portfolio, "orkanger") if m.layer == "parks"}
    assert {"park-gronora", "park-isfjord-orkanger", "park-norsk-kylling-orkanger"} <= ids
    assert "park-verdal-industripark" in {m.id for m in search(portfolio, "orin")}  # "(Ørin)"


def test_elkem_hits_each_say_what_they_are_and_none_read_the_same(portfolio):
    hits = [m for m in search(portfolio, "Elkem") if m.label == "Elkem Thamshavn"]
    texts = [search_hit_text(m, "nb") for m in hits]
    assert len(texts) == len(set(texts)) == 4
    assert texts[0] == "Elkem Thamshavn · utslippskilde"
    assert set(texts[1:]) == {
        "Elkem Thamshavn · medlem av Thamsklyngen",
        "Elkem Thamshavn · prosjektdeltaker i Thamsklyngen",
        "Elkem Thamshavn · medlem av CCS Midt-Norge",
    }
    english = {search_hit_text(m, "en") for m in hits}
    assert "Elkem Thamshavn · emission source" in english
    assert "Elkem Thamshavn · project participant in Thamsklyngen" in english


def test_a_board_membership_and_a_municipality_say_so(portfolio):
    board = next(m for m in search(portfolio, "WoodWorks", limit=100) if m.role == "board")
    assert search_hit_text(board, "nb") == f"{board.label} · medlem av {board.cluster} (styre)"
    orkland = search(portfolio, "Orkland")[0]
    assert search_hit_text(orkland, "nb") == "Orkland · kommune"
    assert search_hit_text(orkland, "en") == "Orkland · municipality"


def test_hits_that_read_the_same_are_one_hit_with_every_id(portfolio):
    members = portfolio.members
    elkem = members[members["id"] == "mem-ccs-midt-norge-elkem-thamshavn-member"]
    twice = elkem.assign(id="generated-second-row")  # the same membership again (e.g. an uploaded layer's)
    doubled = dataclasses.replace(portfolio, members=pd.concat([members, twice], ignore_index=True))
    before = search(portfolio, "Elkem Thamshavn")
    after = search(doubled, "Elkem Thamshavn")
    assert [search_hit_text(m, "nb") for m in after] == [search_hit_text(m, "nb") for m in before]
    merged = next(m for m in after if m.cluster == "CCS Midt-Norge")
    assert merged.ids == ("mem-ccs-midt-norge-elkem-thamshavn-member", "generated-second-row")


def test_english_singular_and_plural():
    assert t("kpi_facilities", "en", n=1) == "1 facility"
    assert t("kpi_facilities", "en", n=2) == "2 facilities"
    assert t("kpi_facilities", "en", n=0) == "0 facilities"
    assert t("kpi_facilities", "nb", n=1) == "1 anlegg"
    assert t("memberships_here", "en", n=1) == "1 membership here"
    assert t("editor_minutes_n", "nb", n=1) == "1 minutt" and t("editor_minutes_n", "nb", n=5) == "5 minutter"


def test_every_singular_has_the_plurals_placeholders():
    import string

    from i18n.catalogue import catalogue

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for lang in i18n.LANGUAGES:
        found = catalogue(lang)
        assert found.plural, lang
        for key in found.plural:
            one, other = found.forms[key]
            assert "n" in fields(other), key
            assert fields(one) == fields(other), key


def test_theme_values_in_english_and_unknown_ones_as_they_are(portfolio):
    themes = {theme for row in portfolio.parks["themes"] for theme in row}
    assert theme_label("havbruk", "en") == "aquaculture" and theme_label("havbruk", "nb") == "havbruk"
    untranslated = {theme for theme in themes if theme_label(theme, "en") == theme and theme != "hydrogen"}
    assert untranslated == set(), "a bundled theme has no English name"
    assert theme_label("generated tema", "en") == "generated tema"


def test_kart_search_for_orkland_fits_its_outline_and_offers_its_filter(portfolio):
    from analysis.filters import Filters, apply_filters
    from tests.helpers.apptest import map_args, metrics, run
    from ui.map_focus import area_view, bundled_boxes

    at = run("dashboard.py")
    at.sidebar.text_input(key="search").input("Orkland").run()
    assert not at.exception
    pick = at.selectbox(key="search_match")
    assert pick.value.layer == MUNICIPALITIES and pick.format_func(pick.value) == "Orkland · kommune"
    lat, lon, zoom = area_view(("5059",), bundled_boxes())
    args = map_args(at)
    assert args["center"] == pytest.approx([lat, lon]) and round(args["zoom"]) == zoom
    assert at.session_state["selected"] is None  # a municipality is no feature to select
    at.button(key="search_filter_municipality").click().run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_municipalities").value == ["5059"]
    orkland = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    assert metrics(at)["Parker og områder"] == str(len(orkland.parks)) != str(len(portfolio.parks))
    assert not [b for b in at.button if b.key == "search_filter_municipality"]  # done: no button to press again


def test_kart_search_hits_in_english_say_what_they_are():
    from tests.helpers.apptest import app

    at = app("dashboard.py")
    at.query_params["lang"] = "en"
    at = at.run()
    at.sidebar.text_input(key="search").input("Elkem").run()
    assert not at.exception
    pick = at.selectbox(key="search_match")
    shown = pick.options
    assert shown[0] == "Elkem Thamshavn · emission source"
    assert "Elkem Thamshavn · member of CCS Midt-Norge" in shown and len(shown) == len(set(shown))


def test_kart_shows_theme_values_in_english_and_filters_by_the_datas_own_word(portfolio):
    from tests.helpers.apptest import app, metrics

    at = app("dashboard.py")
    at.query_params["lang"] = "en"
    at = at.run()
    themes = at.sidebar.multiselect(key="f_themes")
    assert "aquaculture" in themes.options and "havbruk" not in themes.options
    at = themes.set_value(["havbruk"]).run()  # the value stays the data's word (and the link's)
    assert not at.exception
    expected = sum("havbruk" in row for row in portfolio.parks["themes"])
    assert metrics(at)["Parks and sites"] == str(expected)


def test_a_searched_municipality_after_a_searched_plant_leaves_the_plant_unselected():
    """The map moves to the municipality: neither the record panel nor a shared link keeps the plant it left."""
    from tests.helpers.apptest import run

    at = run("dashboard.py")
    at.sidebar.text_input(key="search").input("Elkem").run()
    assert at.session_state["selected"].ids == ("src-elkem-thamshavn",)
    at.sidebar.text_input(key="search").input("5059").run()
    assert not at.exception
    assert at.session_state["selected"] is None
    assert "sel" not in at.query_params
