"""The Series breaks page in AppTest: every flagged break in one table, filtered by country and
measure from the page's address, with its CSV (formula-safe) and the API twin."""

from __future__ import annotations

import pytest

from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def test_breaks_page_lists_the_united_kingdoms_breaks_with_before_and_after(db):
    at = open_page("pages/breaks.py", {"country": "GBR"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Series breaks"]
    assert at.multiselect(key="brk_countries").value == ["GBR"]
    table = at.dataframe[0].value
    # UNODC GLOTIP (release 30 May 2023), read by hand: 7 breaks in 2010–2018 (see
    # tests/unit/test_views.py) and persons prosecuted 89 (2006) → 27 (2007)
    assert set(table["ISO3"]) == {"GBR"}
    assert table.shape[0] == 8
    detected = table[table["Measure"] == "Detected trafficking victims"].iloc[0]
    assert (detected["Year"], detected["Before → after"], detected["Change"]) == (
        2017, "601 (2016) → 5,138 (2017)", "rose 8.5-fold")
    assert "**8 possible breaks** in 1 country (filtered)." in texts(at)
    assert at.query_params["country"] == "GBR"


def test_breaks_page_filters_by_measure_and_keeps_it_in_the_address(db):
    at = open_page("pages/breaks.py", {"country": "GBR", "measure": "persons_convicted"})
    no_exceptions(at)
    table = at.dataframe[0].value
    # persons convicted: 98 (2011) → 18 (2012), 98 / 18 = 5.4; 59 (2017) → 191 (2018), 3.2
    assert list(zip(table["Year"], table["Change"], strict=True)) == [
        (2012, "fell 5.4-fold"), (2018, "rose 3.2-fold")]
    assert at.query_params["measure"] == "persons_convicted"
    # the choice is the widgets': clearing the countries shows every country's convictions
    at.multiselect(key="brk_countries").set_value([]).run()
    everyone = at.dataframe[0].value
    assert everyone.shape[0] > 2 and set(everyone["Measure"]) == {"Persons convicted"}
    assert "country" not in at.query_params


def test_every_break_with_no_filter_and_an_unknown_country_said_plainly(db):
    at = open_page("pages/breaks.py", {"country": "XXX"})
    no_exceptions(at)
    assert "No possible break is flagged for XXX; showing the others." in texts(at)
    table = at.dataframe[0].value
    assert table["ISO3"].nunique() > 50


def test_compares_table_has_a_break_column(db):
    from indicators.views.tables import BREAK_COLUMN

    at = open_page("pages/compare.py", {
        "indicator": "identification_rate", "countries": "GBR,WORLD", "year": "2017",
    })
    no_exceptions(at)
    table = at.dataframe[0].value
    gbr = table[table["ISO3"] == "GBR"].iloc[0]
    # detected victims 601 (2016) → 5,138 (2017): the 2017 figure itself is the break
    assert gbr[BREAK_COLUMN] == "2017, this figure (from 2016)"
    at = open_page("pages/compare.py", {
        "indicator": "identification_rate", "countries": "GBR,WORLD", "year": "2019",
    })
    table = at.dataframe[0].value
    gbr = table[table["ISO3"] == "GBR"].iloc[0]
    assert gbr[BREAK_COLUMN] == "2017, which the trend spans"  # after the 2015 baseline
    no_data = table[table["Value"] == "no data"]
    assert set(no_data[BREAK_COLUMN]) == {""}
