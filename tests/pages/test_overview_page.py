"""The Overview page in AppTest: five cards for the world, the card year explained."""

from __future__ import annotations

import pytest

from indicators.measures import INDICATORS
from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def test_overview_shows_five_world_cards(db):
    at = open_page()
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Anti-Trafficking Indicators"]
    page = texts(at)
    for meta in INDICATORS.values():
        assert f"**{meta.number}. {meta.title}**" in page
    labels = [m.label for m in at.metric]
    # One year on every card: 2022, the latest, with figures for 115 countries, at least half
    # as many as 2020 (149; counted by hand in the 14 April 2025 workbook: distinct Iso3_code
    # of the national totals per year). Indicator 5 has no figures at all: no data in 2022.
    # Then SDG 16.2.2, set apart.
    assert labels == ["World, 2022"] * 6
    values = [m.value for m in at.metric]
    assert values[4] == "no data"  # no one publishes victims prosecuted: no data, not 0
    # world conviction rate 2022, by hand from the 2025 workbook and the GSI 2023 file: 75
    # countries with persons convicted and an estimate, 4,264–4,339 convicted ('<5' as 1–4)
    # over 24,766,000 estimated: 1 in 5,708–5,808, a number a reader can say
    assert values[0] == "1 in 5,700–5,800"
    # SDG 16.2.2 in 2022: a ratio of sums over the 110 countries with detected victims and a
    # World Bank population (Cook Islands and the Holy See have none): 1.6080–1.6087
    assert values[5] == "1.61"
    assert "## SDG 16.2.2 (not one of the paper's five indicators)" in page
    assert ("computed from detected victims and World Bank population (UNODC publishes no "
            "regional or world value)") in page
    assert "No target at this level" not in page  # a value, never a status
    assert "**✖ Off track**" in page and "**○ No data**" in page
    # cards 2 and 3 rest wholly on proxies: never plain "met"
    assert page.count("**◐ Target met on a proxy**") == 2
    assert "**✔ Target met**" not in page
    assert "115 of 246 countries and territories" in page and "; all from a proxy" in page
    # identification holds every year: not met (1 in 389 in 2022: 74,957 detected over
    # 29,164,000 estimated, 99 countries), with its trend beside it: the least-squares line
    # through the world's yearly values 2015–2022 rises (+0.00019 a year), while conviction's
    # falls (−0.000020 a year, through the lower ends)
    assert "**✗ Not met**" in page and "Trend since 2015: improving." in page
    assert "Trend since 2015: worsening." in page
    assert "(115; the most is 149, in 2020)." in page
    # conviction's line at 2025 (t = 10): 1 in 18,326, "1 in 18,000" to two figures
    assert "reaches -" not in page and "reaches 1 in 18,000 in 2025, the deadline." in page
    assert page.count("Read the rates with care") == 1  # the denominator caveat, once
    assert at.query_params["year"] == "recommended"


def test_overview_year_from_the_link_and_a_bad_year(db):
    at = open_page(query={"year": "2017"})
    no_exceptions(at)
    assert [m.label for m in at.metric][:4] == ["World, 2017"] * 4
    at = open_page(query={"year": "1900"})
    no_exceptions(at)
    assert any("1900" in w.value and "recommended year" in w.value for w in at.warning)
    assert [m.label for m in at.metric][0] == "World, 2022"
