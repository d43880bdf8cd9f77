"""Every chart on every page has its one sentence (indicators/alt_text.py): given to screen
readers as the chart's name (``alt``) and printed under the chart for everyone; and the pages
offer their briefs and ZIPs."""

from __future__ import annotations

import pytest

from indicators.alt_text import lower_first
from indicators.measures import INDICATORS, STATUSES
from tests.pages.apptest_support import no_exceptions, open_page

NOT_MET = lower_first(STATUSES["not_met"][0])


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def sentences(at) -> list[str]:
    """Each chart's text alternative, in page order."""
    return [chart.proto.alt for chart in at.get("plotly_chart")]


def captions(at) -> list[str]:
    """Caption texts as a reader sees them (the page escapes Markdown with backslashes)."""
    return [c.value.replace("\\", "") for c in at.caption]


def download_labels(at) -> dict[str, str]:
    return {button.key: button.label for button in at.get("download_button")}


def test_compare_charts_say_what_they_show_and_print_it(db):
    at = open_page("pages/compare.py", {
        "indicator": "identification_rate", "countries": "GBR,NGA", "year": "2019",
    })
    no_exceptions(at)
    lines, ranking, world = sentences(at)
    target = INDICATORS["identification_rate"].target_text
    # UNODC detected victims in 2019 over Walk Free's 2021 estimate: GBR 10,627 / 122,000 =
    # 8.7%; NGA 1,152 / 1,611,000 = 0.072%, written '1 in 1,400' (1,611,000 / 1,152 = 1,398).
    # (Both unchanged in the 14 April 2025 workbook.)
    # An annual target: each year's own value is judged, both below 20%.
    assert ranking == (
        f"Victim identification rate in 2019, highest first: United Kingdom 8.7% ({NOT_MET}), "
        f"Nigeria 1 in 1,400 ({NOT_MET}); target {target}."
    )
    assert lines.startswith("Victim identification rate, 2003–2022: United Kingdom ")
    assert "; Nigeria " in lines and lines.endswith(f"; target {target}.")
    assert world.startswith("Victim identification rate, each country's latest figure from "
                            "2003 to 2019: ")
    shown = captions(at)
    for sentence in (lines, ranking, world):
        assert sentence in shown  # printed under its chart, not only announced
    assert download_labels(at)["compare_zip"] == "Download all (ZIP)"


def test_country_profile_charts_and_cards_have_sentences(db):
    at = open_page("pages/country.py", {"country": "GBR", "indicator": "conviction_rate"})
    no_exceptions(at)
    said = sentences(at)
    # The cards' trends first (four of the paper's indicators with a line, and SDG 16.2.2; a
    # sentence each, beside the card's own words), then the charts in page order. The page
    # shows 2021, the United Kingdom's latest year with figures (the 2025 workbook has no 2022
    # national totals for it); its last persons convicted is 2020: that card shows 2020.
    trends, charts = said[:5], said[5:]
    assert all(s.startswith("United Kingdom: ") for s in trends)
    assert "the diamond marks 2020" in trends[0]  # conviction
    assert all("the diamond marks 2021" in s for s in trends[1:])
    assert [c.split(":")[0] for c in charts] == [
        "Conviction rate, 2003–2022",
        "United Kingdom's published figures",
        "United Kingdom, detected victims by sex and age",
        "United Kingdom, detected victims by form of exploitation",
        "United Kingdom",  # the citizenships of its victims
        # the 2025 workbook: Malta and Portugal each report '<5' British victims for 2021
        "Citizens of United Kingdom detected as victims abroad in 2021",
        "United Kingdom, 2003–2022",  # which figures exist
    ]
    # GBR 2021 by citizenship in the 2025 workbook: 'United Kingdom' 3,959, 'Albanians' 2,549
    assert charts[4].startswith("United Kingdom: citizenship of the victims detected in 2021: "
                                "United Kingdom (own nationals) 3,959; Albania 2,549; ")
    assert charts[-1].startswith("United Kingdom, 2003–2022: figures for ")
    shown = captions(at)
    assert all(sentence in shown for sentence in charts)
    labels = download_labels(at)
    assert labels["cty_brief"] == "Brief (PDF)" and labels["country_zip"] == "Download all (ZIP)"


def test_overview_trends_and_the_world_brief(db):
    at = open_page("pages/overview.py")
    no_exceptions(at)
    said = sentences(at)
    assert said and all(s.startswith("World: ") and s.endswith(".") for s in said)
    assert download_labels(at)["ovw_brief"] == "World brief (PDF)"


def test_methodology_coverage_charts_have_sentences(db):
    at = open_page("pages/methodology.py")
    no_exceptions(at)
    summary, matrix = sentences(at)
    assert summary.startswith("Countries with each figure, 2003–2022: ")
    assert " countries have at least one figure; the most in " in matrix
    shown = captions(at)
    assert summary in shown and matrix in shown
