"""The portfolio page's plain tables and texts: languages, numbers kept numeric, sources, Markdown escaping."""

from __future__ import annotations

import pandas as pd

from analysis.neighbourhoods import compare, neighbourhood, ranking
from ui.portfolio_tables import actor_text, comparison_table, km_text, ranking_table, source_hosts
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
    assert nb.loc["Sum siste tall innenfor", gronora] == "218\u00a0541\u00a0t"  # Elkem, EU ETS 2022
    assert "2022" in nb.loc["Nærmeste store utslippskilde", gronora]  # the year is shown
    near = compare(["park-malm"], portfolio, 5_000)  # Follafoss is 12 km from Malm: nothing within 5 km
    hood = [neighbourhood("park-malm", portfolio, 5_000)]
    assert (
        comparison_table(near, hood, portfolio, "en")
        .set_index("Measure")
        .loc["Sum of latest figures inside", "Malm Industripark"]
        == "no figure"
    )
    assert en.loc["Status", "Malm Industripark"] == "under development"
    assert list(nb.columns) == [gronora, "Malm Industripark"]


def test_ranking_keeps_numbers_numeric_and_says_no_figure(portfolio):
    table = ranking_table(ranking(portfolio, 15_000), portfolio, "nb")
    assert list(table["Rang"]) == list(range(1, len(portfolio.parks) + 1))
    for column in ("Utslippskilder innenfor", "Sum siste tall (t)", "Avstand (km)"):
        assert pd.api.types.is_numeric_dtype(table[column]), column
    missing = table["Sum siste tall (t)"].isna()
    assert missing.any() and (table.loc[missing, "Årstall"] == "ingen tall").all()


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
