"""The Data and methodology page in AppTest: definitions from the catalogue, sources from the
store, the paper's own figures and Table 4."""

from __future__ import annotations

import pytest

from indicators.measures import INDICATORS
from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def test_methodology_page_explains_indicators_sources_and_the_paper(db):
    at = open_page("pages/methodology.py")
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Data and methodology"]
    page = texts(at)
    for meta in INDICATORS.values():
        assert f"> {meta.paper_wording}" in page
        assert meta.target_text in page
    sources = at.dataframe[0].value
    assert set(sources["Publisher"]) == {"UNODC", "Walk Free", "World Bank"}
    unodc = sources[sources["Publisher"] == "UNODC"].iloc[0]
    assert unodc["Years"] == "2003–2021"
    assert "release of 30 May 2023" in unodc["Release"]
    assert {m.value for m in at.metric} == {"under 3%", "fewer than 10%", "1.8% vs 2.1%"}
    # beside each of the paper's figures: how its measure differs from ours, and the nearest
    # ratio from UNODC's counts, labelled as such (2020, the pages' year)
    assert page.count("**How it differs from ours.**") == 3
    assert "Persons convicted per person prosecuted, world, 2020: 23.5–24.8%" in page
    assert "The world's, 2020: 1 in 9,900–10,000 (0.010%), over 66 countries." in page
    assert "Countries and territories (of 246)" in sources.columns
    assert "- **Coverage:** 2003–2021; 199 of 246 countries and territories;" in page
    table_4 = at.table[-1].value
    assert list(table_4.columns) == ["Recommendation", "Specific Action", "Responsible Actor",
                                     "Timeline", "Cost Implication"]
    assert table_4.iloc[1]["Cost Implication"] == "High ($50–100M globally)"
    assert "**Voluntary reporting.**" in page
    assert len(at.get("plotly_chart")) == 2  # coverage summary and the countries × years map


def test_methodology_measure_from_the_link(db):
    at = open_page("pages/methodology.py", {"measure": "persons_convicted"})
    no_exceptions(at)
    assert at.selectbox(key="meth_measure").value == "persons_convicted"
    at = open_page("pages/methodology.py", {"measure": "bogus"})
    assert any("'bogus'" in w.value for w in at.warning)
