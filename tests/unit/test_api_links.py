"""The API twin of a chart's rows and the embed snippet (indicators.api.links), on small
hand-made frames."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest

from indicators.api import links


def _query(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_an_indicator_chart_points_at_the_indicator_rows_of_its_scopes_and_years():
    rows = pl.DataFrame({"indicator": ["conviction_rate"] * 4,
                         "scope": ["GBR", "GBR", "WORLD", "WORLD"],
                         "year": [2018, 2019, 2018, 2019], "value": [0.1, 0.2, 0.3, 0.4]})
    path, query = _query(links.api_url(rows))
    assert path == "/api/v1/indicators.json"
    assert query == {"indicator": "conviction_rate", "countries": "GBR,WORLD",
                     "years": "2018-2019", "inputs": "off"}
    path, query = _query(links.chart_image_url(rows))
    assert path == "/api/v1/charts/lines.svg"
    assert query == {"indicator": "conviction_rate", "countries": "GBR,WORLD",
                     "years": "2018-2019"}
    assert links.lines_query(rows) == query


def test_a_chart_of_many_scopes_keeps_every_one_in_its_image_address():
    # 16 West African countries and the world: the live image draws all 17 (a chart of more
    # than the palette's colours draws the rest in grey), so its address names them all
    scopes = ["WORLD", "BEN", "BFA", "CIV", "CPV", "GHA", "GIN", "GMB", "GNB", "LBR", "MLI",
              "MRT", "NER", "NGA", "SEN", "SLE", "TGO"]
    rows = pl.DataFrame({"indicator": ["identification_rate"] * 17, "scope": scopes,
                         "year": [2020] * 17})
    _, query = _query(links.chart_image_url(rows))
    assert query["countries"].split(",") == scopes


def test_a_count_view_and_published_figures_point_at_the_observations():
    counts = pl.DataFrame({"indicator": ["persons_convicted"] * 2, "scope": ["GBR", "FRA"],
                           "year": [2019, 2019]})
    assert _query(links.api_url(counts)) == (
        "/api/v1/observations.json",
        {"measure": "persons_convicted", "country": "GBR,FRA", "year": "2019"})
    figures = pl.DataFrame({"iso3": ["GBR"] * 3, "measure": ["victims_detected"] * 3,
                            "year": [2017, 2018, 2019]})
    assert _query(links.api_url(figures)) == (
        "/api/v1/observations.json",
        {"country": "GBR", "measure": "victims_detected", "years": "2017-2019"})


def test_the_coverage_heatmaps_point_at_the_coverage_rows():
    # views.coverage_summary's rows: every measure's count of countries, by year
    summary = pl.DataFrame({"measure": ["victims_detected"] * 2,
                            "label": ["Detected victims"] * 2, "year": [2019, 2020],
                            "countries": [116, 125]})
    assert _query(links.api_url(summary)) == ("/api/v1/coverage.json", {"years": "2019-2020"})

    # views.coverage_matrix's rows: one measure's countries by year, of one region or of all
    def matrix(regions: list[str], years: int = 2) -> pl.DataFrame:
        return pl.DataFrame({
            "iso3": [f"C{i:02d}" for i, _ in enumerate(regions) for _ in range(years)],
            "name": ["x"] * len(regions) * years,
            "region": [r for r in regions for _ in range(years)],
            "measure": ["victims_detected"] * len(regions) * years,
            "year": [2000 + y for _ in regions for y in range(years)],
            "state": ["missing"] * len(regions) * years})

    assert _query(links.api_url(matrix(["Europe", "Europe"]))) == (
        "/api/v1/coverage.json",
        {"measure": "victims_detected", "region": "Europe", "years": "2000-2001"})
    assert _query(links.api_url(matrix(["Europe", "Asia"]))) == (
        "/api/v1/coverage.json", {"measure": "victims_detected", "years": "2000-2001"})
    # a country without a region ('—' on the chart) is not a region to ask for
    assert "region" not in _query(links.api_url(matrix(["—"])))[1]
    # more rows than an answer holds by default (1,000): the link asks for all of them
    big = matrix(["Europe", "Asia"] * 100, years=19)
    assert _query(links.api_url(big))[1]["limit"] == "3800"


def test_rows_without_an_api_address_get_no_link():
    assert links.api_url(pl.DataFrame({"a": [1]})) is None
    assert links.api_url(pl.DataFrame({"indicator": [], "scope": [], "year": []})) is None


def test_the_embed_snippet_is_an_iframe_of_the_chart_alone_and_its_images():
    address = "http://host" + links.chart_url(
        "ranking", {"indicator": "conviction_rate", "countries": "GBR,WORLD", "year": "2019"})
    assert address == ("http://host/api/v1/charts/ranking.html?indicator=conviction_rate"
                       "&countries=GBR%2CWORLD&year=2019")
    html = links.embed_snippet(address, 'Conviction rate "in 2019"')
    query = "indicator=conviction_rate&amp;countries=GBR%2CWORLD&amp;year=2019"
    assert f'<iframe src="http://host/api/v1/charts/ranking.html?{query}"' in html
    assert 'title="Conviction rate &quot;in 2019&quot;"' in html
    assert f'<img src="http://host/api/v1/charts/ranking.svg?{query}"' in html
    assert f"http://host/api/v1/charts/ranking.png?{query}" in html
    assert "embed=true" not in html  # never the whole page


def test_only_the_charts_the_api_draws_have_a_chart_only_address():
    assert links.CHART_KINDS == ("lines", "ranking", "map", "figures", "victims", "coverage",
                                 "citizenship", "abroad", "coverage-summary",
                                 "coverage-countries")
    with pytest.raises(ValueError):
        links.chart_url("coverage-map", {})
    figures = pl.DataFrame({"iso3": ["GBR"], "measure": ["victims_detected"], "year": [2019]})
    assert links.lines_query(figures) is None and links.chart_image_url(figures) is None
