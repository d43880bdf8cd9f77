"""The Country profile page in AppTest: the five indicators for one country."""

from __future__ import annotations

import pytest

from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def test_country_profile_shows_gbr_2019(db):
    at = open_page("pages/country.py", {"country": "GBR", "year": "2019"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Country profile"]
    assert [h.value for h in at.header] == ["United Kingdom"]
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"United Kingdom, 2019"}
    values = [m.value for m in at.metric]
    # 251 / 122,000 = 0.21%, 1 in 490; 10,627 / 122,000 = 8.7%; victims prosecuted: no data.
    assert values[0] == "1 in 490"
    assert values[3] == "8.7%"
    assert values[4] == "no data"
    page = texts(at)
    # 8.7% against "more than 20% every year": not met, whatever the trend
    assert "**✗ Not met**" in page and "**↗ On track**" not in page
    assert "Trend since 2015: improving. The line spans a possible break in the series in " \
        "2017 (check the source)." in page
    assert "The change since 2015 spans a possible break in the series in 2017" in page
    assert page.count("**◐ Target met on a proxy**") == 2
    assert "From a proxy: victims detected by the authorities" in page
    assert "GBR · Northern Europe · Europe" in page
    assert "Walk Free's estimates for this country: Estimated people in modern slavery " \
        "122,000 (estimate) (2021)" in page
    assert len(at.get("plotly_chart")) >= 3 + 4  # against region, figures, coverage, sparklines
    figures = at.dataframe[0].value
    convicted_2004 = figures[(figures["Measure"] == "Persons convicted")
                             & (figures["Year"] == 2004)].iloc[0]
    assert convicted_2004["Figure"] == "<5"


def test_country_profile_of_nigeria_shows_one_year_and_says_when_a_card_differs(db):
    at = open_page("pages/country.py", {"country": "NGA"})
    no_exceptions(at)
    assert [h.value for h in at.header] == ["Nigeria"]
    labels = [m.label for m in at.metric]
    assert labels == ["Nigeria, 2020"] * 5  # the pages' one year, never a mix of 2020 and 2021
    page = texts(at)
    assert "2020 is the latest year with figures for at least half as many countries" in page
    # 0.0032% and 0.068%: 122,000-style small shares said as "1 in N"
    values = [m.value for m in at.metric]
    assert values[0].startswith("1 in ") and values[3].startswith("1 in ")
    assert "This country has the figures." in page
    assert "From a proxy: it counts as sharing data because it reported figures" in page


def test_country_profile_unknown_country_falls_back(db):
    at = open_page("pages/country.py", {"country": "ZZZ"})
    no_exceptions(at)
    assert any("'ZZZ'" in w.value for w in at.warning)
    assert [h.value for h in at.header] == ["United Kingdom"]
