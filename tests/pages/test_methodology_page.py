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
    # both UNODC releases, each with the current figures that cite it: the 2025 release's
    # new and revised ones, and those it left unchanged, which keep the 2023 release
    unodc = sources[sources["Publisher"] == "UNODC"]
    # and UNODC's SDG data set (issue 21): SDG 16.2.2's 1,590 published national rates
    sdg = unodc[unodc["Release"].str.startswith("SDG data set")]
    assert [r.split(" (")[0] for r in sdg["Release"]] == ["SDG data set, release of 15 May 2025"]
    assert list(sdg["Figures"]) == [1_590]
    unodc = unodc[~unodc["Release"].str.startswith("SDG data set")]
    assert [r.split(" (")[0] for r in unodc["Release"]] == [
        "data portal release of 30 May 2023", "data portal release of 14 April 2025"]
    assert unodc.iloc[0]["Years"] == "2003–2021"
    # together every figure of the 2025 release (57,729), and no other: what 2023 published
    # and 2025 no longer does is withdrawn
    assert unodc["Figures"].sum() == 57_729
    assert {m.value for m in at.metric} == {"under 3%", "fewer than 10%", "1.8% vs 2.1%"}
    # beside each of the paper's figures: how its measure differs from ours, and the nearest
    # ratio from UNODC's counts, labelled as such (2022, the pages' year). By hand from the
    # 2025 workbook: 76 countries publish both for 2022 (34 with a '<5'): 3,615–3,714
    # convicted over 14,761–14,818 prosecuted, 24.4–25.2%; conviction over Walk Free's
    # estimates: 4,264–4,339 over 24,766,000 in 75 countries, 1 in 5,708–5,808
    assert page.count("**How it differs from ours.**") == 3
    assert ("Persons convicted per person prosecuted, world, 2022: 24.4–25.2% (UNODC "
            "figures, a ratio of sums over the 76 countries with both; 34 reported '<5'") in page
    assert "The world's, 2022: 1 in 5,700–5,800 (0.017%–0.018%), over 75 countries." in page
    assert "Countries and territories (of 246)" in sources.columns
    assert "- **Coverage:** 2003–2021; " in page
    table_4 = at.table[-1].value
    assert list(table_4.columns) == ["Recommendation", "Specific Action", "Responsible Actor",
                                     "Timeline", "Cost Implication"]
    assert table_4.iloc[1]["Cost Implication"] == "High ($50–100M globally)"
    assert "**Voluntary reporting.**" in page
    assert len(at.get("plotly_chart")) == 2  # coverage summary and the countries × years map


def test_methodology_page_describes_sdg_16_2_2_breakdowns_and_releases(db):
    at = open_page("pages/methodology.py")
    no_exceptions(at)
    headers = [h.value for h in at.header]
    assert headers[:4] == ["The five indicators",
                           "SDG 16.2.2 (not one of the paper's five indicators)",
                           "Breakdowns", "Releases and revisions"]
    page = texts(at)
    # the example is computed from the data: 10,627 / 66,631,000 × 100,000, beside UNODC's
    # published value, which is the one shown
    assert ("The United Kingdom in 2019: 10,627 detected victims ÷ 66,631,000 people × "
            "100,000 = 15.95 per 100,000 computed; UNODC publishes 15.83 for that year (its own "
            "population denominator), and that is the value shown.") in page
    assert "**Which value is shown:** UNODC's published value" in page
    assert "World Bank's total population (SP.POP.TOTL) of the **same year**" in page
    assert "**never added into a national total**" in page
    assert "**own nationals**" in page and "**withdrawn**" in page
    breakdowns = at.table[0].value
    sex_age = breakdowns[breakdowns["Breakdown"] == "Detected trafficking victims by sex and "
                                                     "age"].iloc[0]
    # 2025 workbook: 5,961 rows of detected victims with Sex and Age both not Total (no key
    # twice), 2007–2022
    assert (sex_age["Figures"], sex_age["Years"]) == (5_961, "2007–2022")
    # every breakdown UNODC published: the release's 57,729 figures less its 7,203 national
    # totals (PROVENANCE: 1,662 + 1,593 + 1,528 + 1,087 + 1,333)
    assert breakdowns["Figures"].sum() == 50_526


def test_methodology_measure_from_the_link(db):
    at = open_page("pages/methodology.py", {"measure": "persons_convicted"})
    no_exceptions(at)
    assert at.selectbox(key="meth_measure").value == "persons_convicted"
    at = open_page("pages/methodology.py", {"measure": "bogus"})
    assert any("'bogus'" in w.value for w in at.warning)
