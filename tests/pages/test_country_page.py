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
    # 251 / 122,000 = 0.21%; 10,627 / 122,000 = 8.7%; victims prosecuted: no data.
    assert values[0] == "0.21%"
    assert values[3] == "8.7%"
    assert values[4] == "no data"
    page = texts(at)
    assert "GBR · Northern Europe · Europe" in page
    assert "Walk Free's estimates for this country: Estimated people in modern slavery " \
        "122,000 (estimate) (2021)" in page
    assert len(at.get("plotly_chart")) >= 3 + 4  # against region, figures, coverage, sparklines
    figures = at.dataframe[0].value
    convicted_2004 = figures[(figures["Measure"] == "Persons convicted")
                             & (figures["Year"] == 2004)].iloc[0]
    assert convicted_2004["Figure"] == "<5"


def test_country_profile_unknown_country_falls_back(db):
    at = open_page("pages/country.py", {"country": "ZZZ"})
    no_exceptions(at)
    assert any("'ZZZ'" in w.value for w in at.warning)
    assert [h.value for h in at.header] == ["United Kingdom"]
