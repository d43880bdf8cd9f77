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
    # One year on every card: 2020, the latest with figures for at least half as many
    # countries as 2017 (146); 2021 has 63. Indicator 5 has no figures at all: no data in 2020.
    # Then SDG 16.2.2, set apart.
    assert labels == ["World, 2020"] * 6
    values = [m.value for m in at.metric]
    assert values[4] == "no data"  # no one publishes victims prosecuted: no data, not 0
    # world conviction rate 2020: about 1 in 10,000, a number a reader can say
    assert values[0] == "1 in 9,900–10,000"
    # SDG 16.2.2 in 2020: a ratio of sums over the countries with victims and population
    assert values[5] == "0.92"
    assert "## SDG 16.2.2 (not one of the paper's five indicators)" in page
    assert "No target at this level" not in page  # a value, never a status
    assert "**✖ Off track**" in page and "**○ No data**" in page
    # cards 2 and 3 rest wholly on proxies: never plain "met"
    assert page.count("**◐ Target met on a proxy**") == 2
    assert "**✔ Target met**" not in page
    assert "128 of 246 countries and territories" in page and "; all from a proxy" in page
    # identification holds every year: not met, with its trend beside it
    assert "**✗ Not met**" in page and "Trend since 2015: worsening." in page
    assert "(128; the most is 146, in 2017). 2021 has figures for only 63." in page
    assert "reaches -" not in page and "falls to zero by 2025, the deadline." in page
    assert page.count("Read the rates with care") == 1  # the denominator caveat, once
    assert at.query_params["year"] == "recommended"


def test_overview_year_from_the_link_and_a_bad_year(db):
    at = open_page(query={"year": "2017"})
    no_exceptions(at)
    assert [m.label for m in at.metric][:4] == ["World, 2017"] * 4
    at = open_page(query={"year": "1900"})
    no_exceptions(at)
    assert any("1900" in w.value and "recommended year" in w.value for w in at.warning)
    assert [m.label for m in at.metric][0] == "World, 2020"
