"""The pages and the read API agree: the Country profile's GBR 2019 conviction rate is the
API's (251 / 122,000: '1 in 490'), and every chart's 'Data API' link names the API answer with
the chart's own rows."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.pages.apptest_support import no_exceptions, open_page


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def _api():
    from indicators.api import forget, standalone

    forget()
    return TestClient(standalone())


def test_the_country_page_and_the_api_show_the_same_gbr_2019_conviction_rate(db):
    at = open_page("pages/country.py", {"country": "GBR", "year": "2019"})
    no_exceptions(at)
    shown = at.metric[0].value
    answer = _api().get("/api/v1/indicators.json?indicator=conviction_rate&countries=GBR"
                        "&year=2019").json()
    [row] = answer["data"]
    assert row["value"] == pytest.approx(251 / 122000, rel=1e-12)
    assert shown == row["value_text"] == "1 in 490"


def test_every_chart_on_compare_links_to_its_rows_in_the_api(db):
    at = open_page("pages/compare.py", {"indicator": "conviction_rate",
                                        "countries": "GBR,USA,WORLD", "years": "2010-2019",
                                        "year": "2019"})
    no_exceptions(at)
    links = [b.proto.url for b in at.get("link_button") if b.proto.label == "Data API"]
    assert links, "no Data API link on Compare"
    client = _api()
    lines = next(u for u in links if "years=2010-2019" in u)
    path, query = urlsplit(lines).path, parse_qs(urlsplit(lines).query)
    assert path == "/api/v1/indicators.json"
    assert query["countries"] == ["GBR,USA,WORLD"] and query["indicator"] == ["conviction_rate"]
    rows = client.get(lines).json()["data"]
    assert {(r["scope"], r["year"]) for r in rows} == {
        (scope, year) for scope in ("GBR", "USA", "WORLD") for year in range(2010, 2020)}
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_live_chart_image_draws_all_16_west_african_countries(db):
    # ECOWAS's 15 members and Mauritania (every UN M49 'Western Africa' country but Saint
    # Helena): the image route used to refuse more than 12 countries and regions
    from tests.pages.test_compare_page import WEST_AFRICA

    countries = ",".join(["WORLD", *sorted(WEST_AFRICA)])
    answer = _api().get(f"/api/v1/chart.svg?indicator=identification_rate&countries={countries}"
                        "&years=2010-2021")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    svg = answer.text.replace("&#39;", "'")
    for name in WEST_AFRICA.values():
        assert f">{name}<" in svg or f">{name} (no data)<" in svg, name
    assert "more countries and regions are drawn in grey" in svg
