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
    # Four indicators have world figures; the latest well-covered year is 2020 for each; then
    # SDG 16.2.2, set apart.
    assert labels == ["World, 2020"] * 4 + ["World", "World, 2020"]
    values = [m.value for m in at.metric]
    assert values[4] == "no data"  # no one publishes victims prosecuted: no data, not 0
    # SDG 16.2.2 in 2020: a ratio of sums over the countries with victims and population
    assert values[5] == "0.92"
    assert "##### SDG 16.2.2 (not one of the paper's five indicators)" in page
    assert "No target at this level" not in page  # a value, never a status
    assert "**✖ Off track**" in page and "**○ No data**" in page
    # The card year is explained: conviction rate's best coverage is 101 countries in 2017.
    assert "the best is 101 in 2017). 2021 has figures for only 20 countries." in page
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
