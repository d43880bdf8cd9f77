"""The Country profile's and the Data and methodology page's charts are built once per data
version and choices, and shared by every session (pages/country_figures.py,
pages/coverage_figures.py, pages/cards.py ``card_trend``; issue 20: a view of a country cost
about 1.3 s of the server's time, every time, and one of the methodology page about 0.9 s): a
second visitor builds no chart and sees the very same charts; another country, language,
count choice or measure is built anew."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from indicators import charts, view_charts
from tests.pages.apptest_support import count_builds, no_exceptions, open_page, visit

BUILDERS = {view_charts: ("country_figures", "victim_split", "places", "coverage_strip",
                         "coverage_summary", "coverage_countries"),
            charts: ("indicator_lines", "sparkline")}


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_a_second_visitor_to_a_country_builds_no_chart(db, monkeypatch):
    query = {"country": "GBR", "year": "2019"}
    first = open_page("pages/country.py", query)
    no_exceptions(first)
    built = count_builds(monkeypatch, BUILDERS)
    second = visit("pages/country.py", query)
    no_exceptions(second)
    assert built == []
    # the same charts, sparklines included: GBR's cards, its figures, victims by sex and age
    # and by form, citizenship, nationals abroad, coverage, and GBR against its region
    assert len(_charts(second)) >= 10
    assert _charts(second) == _charts(first)


def test_another_country_language_or_count_is_built_anew(db, monkeypatch):
    open_page("pages/country.py", {"country": "GBR", "year": "2019"})
    built = count_builds(monkeypatch, BUILDERS)
    visit("pages/country.py", {"country": "NGA", "year": "2019"})
    assert {"country_figures", "coverage_strip", "indicator_lines"} <= set(built)
    built.clear()
    visit("pages/country.py", {"country": "GBR", "year": "2019", "lang": "fr"})
    assert {"country_figures", "coverage_strip", "indicator_lines", "sparkline"} <= set(built)
    built.clear()
    visit("pages/country.py", {"country": "GBR", "year": "2019", "per": "100k"})
    assert built.count("victim_split") == 2  # sex and age, and forms, per 100,000 people
    assert "country_figures" not in built


def test_a_second_visitor_to_the_methodology_page_builds_no_chart(db, monkeypatch):
    page = "pages/methodology.py"
    first = open_page(page)
    no_exceptions(first)
    built = count_builds(monkeypatch, BUILDERS)
    second = visit(page)
    no_exceptions(second)
    assert built == []
    assert len(_charts(second)) == 2  # the summary and the countries' heatmap
    assert _charts(second) == _charts(first)
    visit(page, {"lang": "es"})
    assert sorted(built) == ["coverage_countries", "coverage_summary"]
