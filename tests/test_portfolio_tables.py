"""The portfolio page's plain tables and texts: languages, numbers kept numeric, sources, Markdown escaping."""

from __future__ import annotations

import pandas as pd

from analysis.neighbourhoods import compare, neighbourhood, ranking
from i18n import t
from ui.portfolio_tables import actor_text, actors_table, comparison_table, km_text, ranking_table, source_hosts
from ui.text import escape_markdown

SITES = ["park-gronora", "park-malm"]


def test_comparison_reads_in_either_language(portfolio):
    hoods = [neighbourhood(s, portfolio, 15_000) for s in SITES]
    compared = compare(SITES, portfolio, 15_000)
    nb = comparison_table(compared, hoods, portfolio, "nb").set_index("Mål")
    en = comparison_table(compared, hoods, portfolio, "en").set_index("Measure")
    gronora = "Grønøra industriområde (Orkanger)"
    # Elkem Thamshavn at the E-PRTR register's coordinates (not the quay point), its dated 2017 figure
    assert nb.loc["Avstand til den", gronora] == "2,4\u00a0km"
    assert en.loc["Its distance", gronora] == "2.4\u00a0km"
    # Elkem, EU ETS 2022: the scope and year in the row's label, as on Kart
    assert nb.loc["Sum innenfor (EU ETS, CO₂-ekv. 2022)", gronora] == "218\u00a0541\u00a0t"
    # one entry per actor, supporting and unknown-sector members apart, places unknown without a distance
    partners = nb.loc["Mulige industripartnere (avstand)", gronora]
    assert partners == "Washington Mills AS (1,6\u00a0km); Elkem Thamshavn (2,4\u00a0km)"
    assert nb.loc["Støttende aktører (avstand)", gronora] == "ingen"
    unplaced = nb.loc["I samme kommune, plassering ukjent", gronora]
    assert "Orkland kommune" in unplaced and "SpareBank 1 SMN" in unplaced and "km" not in unplaced
    assert "2022" in nb.loc["Nærmeste store utslippskilde", gronora]  # the year is shown
    near = compare(["park-malm"], portfolio, 5_000)  # Follafoss is 12 km from Malm: nothing within 5 km
    hood = [neighbourhood("park-malm", portfolio, 5_000)]
    assert (
        comparison_table(near, hood, portfolio, "en")
        .set_index("Measure")
        .loc["Sum inside (EU ETS, CO₂-eq. 2022)", "Malm Industripark"]
        == "no figure"
    )
    assert en.loc["Status", "Malm Industripark"] == "under development"
    assert list(nb.columns) == [gronora, "Malm Industripark"]


def test_ranking_keeps_numbers_numeric_ties_and_unranked(portfolio):
    table = ranking_table(ranking(portfolio, 10_000), portfolio, "nb", "EU ETS, CO₂-ekv. 2022")
    emissions = "Sum innenfor, t (EU ETS, CO₂-ekv. 2022)"
    for column in ("Utslippskilder innenfor", emissions, "Avstand (km)", "Rang"):
        assert pd.api.types.is_numeric_dtype(table[column]), column
    by_site = table.set_index("Område")
    gronora, isfjord = "Grønøra industriområde (Orkanger)", "Isfjord Norway (Grønøra, Orkanger)"
    assert by_site.loc[gronora, "Rang"] == by_site.loc[isfjord, "Rang"]  # a tie is a tie
    assert by_site.loc[gronora, "Lik plassering"].startswith("delt plass: samme aktører som ")
    assert isfjord in by_site.loc[gronora, "Lik plassering"]
    ustjaaren = by_site.loc["Ustjåren (grønn industripark)"]
    assert pd.isna(ustjaaren["Rang"]) and ustjaaren["Lik plassering"].startswith("ikke rangert")


def test_actors_table_lists_places_unknown_apart_without_distance(portfolio):
    hood = neighbourhood("park-gronora", portfolio, 10_000)
    for lang, where, km in (("nb", "Plassering", "Avstand (km)"), ("en", "Place", "Distance (km)")):
        table = actors_table(hood, lang)
        unknown = table[table[where] == t("pf_place_unknown", lang)]
        assert len(unknown) == len(hood.unplaced) and unknown[km].isna().all()
        assert table.loc[table[where] != t("pf_place_unknown", lang), km].notna().all()
    nb = actors_table(hood, "nb").set_index("Aktør")
    elkem_roles = "utslippskilde; medlem i Thamsklyngen; prosjektdeltaker i Thamsklyngen; medlem i CCS Midt-Norge"
    assert nb.loc["Elkem Thamshavn", "Roller"] == elkem_roles  # every relation as its source states it
    assert nb.loc["SpareBank 1 SMN", "Roller"] == "prosjektdeltaker i Thamsklyngen"  # «ikke nødvendigvis medlem»
    assert nb.loc["Elkem Thamshavn", "Avstand (km)"] == 2.4  # once, at the plant's place
    assert nb.loc["SpareBank 1 SMN", "Gruppe"] == "støttende aktør (finans)"
    assert nb.loc["Orkland kommune", "Gruppe"] == "støttende aktør (offentlig)"
    assert nb.loc["Tensio", "Gruppe"] == "bransje ukjent" and nb.loc["Tensio", "Grunnlag for bransje"] == "–"
    assert nb.loc["Orkland kommune", "Grunnlag for bransje"] == "rettsform i navnet: kommune"
    elkem = nb.loc["Elkem Thamshavn", "Grunnlag for bransje"]
    assert elkem == "samme bedrift som utslippskilden: «Metallurgisk industri»"
    en = actors_table(hood, "en").set_index("Actor")
    assert en.loc["SpareBank 1 SMN", "Basis of the sector"].startswith("“sparebank” in the name")
    assert en.loc["Norsk Kylling", "Basis of the sector"].startswith("the facts file (reference_facts.md): a) «")


def test_source_hosts_are_http_only_readable_and_once():
    hosts = source_hosts(
        ["https://xn--hitranrduvil-ycb.no/a ; https://www.nrk.no/x", "javascript:alert(1)", float("nan")],
        ["https://nrk.no/y;http://example.org"],
    )
    assert hosts == ["example.org", "hitranårduvil.no", "nrk.no"]


def test_actor_text_warns_of_municipal_centres_and_km_text_rounds():
    assert actor_text("Gård", "municipality", "nb") == "Gård · kommunesenteret (omtrentlig)"
    assert actor_text("Gård", "site", "nb") == "Gård"
    assert km_text(15_000, "nb") == "15\u00a0km" and km_text(1_515.5, "en") == "1.5\u00a0km"


def test_plain_escapes_markdown():
    assert escape_markdown("**x** [a](javascript:1) <b>") == "\\*\\*x\\*\\* \\[a\\]\\(javascript\\:1\\) \\<b\\>"
