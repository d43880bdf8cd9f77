"""The pages and the read API agree: the Country profile's GBR 2019 conviction rate is the
API's (251 / 122,000: '1 in 490'), and every chart's 'Data API' link names the API answer with
the chart's own rows."""

from __future__ import annotations

import html
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest
from starlette.testclient import TestClient
from streamlit.runtime.media_file_manager import MediaFileManager

from indicators.citation import CITATION
from tests.pages.apptest_support import no_exceptions, open_page, opened_once


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def _api():
    from indicators.api import forget, standalone

    forget()
    return TestClient(standalone())


# Read by two tests each, which only read them: opened once (``opened_once``).
GBR_2019 = ("pages/country.py", {"country": "GBR", "year": "2019"})
COMPARE_2010_2019 = ("pages/compare.py", {"indicator": "conviction_rate",
                                          "countries": "GBR,USA,WORLD",
                                          "years": "2010-2019", "year": "2019"})


def test_the_country_page_and_the_api_show_the_same_gbr_2019_conviction_rate(
        db, read_only_pages):
    at = opened_once(read_only_pages, *GBR_2019)
    no_exceptions(at)
    shown = at.metric[0].value
    answer = _api().get("/api/v1/indicators.json?indicator=conviction_rate&countries=GBR"
                        "&year=2019").json()
    [row] = answer["data"]
    assert row["value"] == pytest.approx(251 / 122000, rel=1e-12)
    assert shown == row["value_text"] == "1 in 490"


def test_every_chart_on_compare_links_to_its_rows_in_the_api(db, read_only_pages):
    at = opened_once(read_only_pages, *COMPARE_2010_2019)
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


def test_every_embed_on_compare_is_a_chart_alone_from_the_api_with_the_page_figure(
        db, read_only_pages):
    at = opened_once(read_only_pages, *COMPARE_2010_2019)
    no_exceptions(at)
    snippets = [c.value for c in at.code if "<iframe" in c.value]
    frames = [re.search(r'<iframe src="([^"]+)"', s).group(1) for s in snippets]
    addresses = [html.unescape(f) for f in frames]
    assert [urlsplit(a).path for a in addresses] == [
        "/api/v1/charts/lines.html", "/api/v1/charts/ranking.html", "/api/v1/charts/map.html"]
    lines, ranking, world = ({k: v[0] for k, v in parse_qs(urlsplit(a).query).items()}
                             for a in addresses)
    assert lines == {"indicator": "conviction_rate", "countries": "GBR,USA,WORLD",
                     "years": "2010-2019", "scale": "auto", "baseline": "2015",
                     "proxies": "on"}
    assert (ranking["countries"], ranking["year"]) == ("GBR,USA,WORLD", "2019")
    assert (world["year"], world["years"], world["map"]) == ("2019", "2010-2019", "value")
    for snippet, address in zip(snippets, addresses, strict=True):
        assert "embed=true" not in snippet  # never the whole page
        assert address.replace(".html?", ".svg?") in html.unescape(snippet)
        assert address.replace(".html?", ".png?") in html.unescape(snippet)
    # the chart alone is the page's own figure: the same traces, GBR 2019 = 251 / 122,000
    client = _api()
    page_figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    answer = client.get(addresses[0])
    assert answer.status_code == 200
    alone = json.loads(re.search(r"var figure = (.*?);\n  Plotly", answer.text, re.S).group(1))
    assert [t["y"] for t in alone["data"]] == [t["y"] for t in page_figure["data"]]
    assert alone["layout"]["title"] == page_figure["layout"]["title"]
    [gbr] = [t for t in alone["data"] if t.get("name") == "United Kingdom"]
    assert gbr["y"][gbr["x"].index(2019)] == pytest.approx(251 / 122000, rel=1e-12)
    for address in addresses[1:]:
        assert client.get(address).status_code == 200, address


def test_a_country_profiles_embeds_are_its_charts_alone(db):
    at = open_page("pages/country.py", {"country": "GBR"})
    no_exceptions(at)
    addresses = [html.unescape(re.search(r'<iframe src="([^"]+)"', c.value).group(1))
                 for c in at.code if "<iframe" in c.value]
    found = {urlsplit(a).path: {k: v[0] for k, v in parse_qs(urlsplit(a).query).items()}
             for a in addresses}
    assert found["/api/v1/charts/figures.html"] == {"country": "GBR"}
    assert found["/api/v1/charts/coverage.html"] == {"country": "GBR"}
    assert found["/api/v1/charts/victims.html"]["country"] == "GBR"
    assert found["/api/v1/charts/lines.html"]["countries"].startswith("GBR,")
    assert {urlsplit(a).path for a in addresses} <= {
        f"/api/v1/charts/{kind}.html" for kind in ("lines", "figures", "victims", "coverage",
                                                   "citizenship", "abroad")}
    client = _api()
    for address in addresses:
        assert client.get(address).status_code == 200, address
    # the chart alone is the page's own figure
    page_figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    alone = client.get(next(a for a in addresses if "/figures.html" in a)).text
    figure = json.loads(re.search(r"var figure = (.*?);\n  Plotly", alone, re.S).group(1))
    assert any([t.get("y") for t in f["data"]] == [t.get("y") for t in figure["data"]]
               and f["layout"]["title"] == figure["layout"]["title"] for f in page_figures)


def test_the_places_charts_have_their_api_twin_and_their_chart_alone(db):
    # Nigeria 2020 (read from UNODC's 2025 workbook: rows 'by citizenship', Category
    # 'Nigerians' (or 'Nigeria'), Sex and Age 'Total'): eighteen other countries reported
    # Nigerian victims, the largest the United Kingdom (173) and Italy (25)
    at = open_page("pages/country.py", {"country": "NGA", "year": "2020"})
    no_exceptions(at)
    snippets = [html.unescape(c.value) for c in at.code if "<iframe" in c.value]
    abroad = next(re.search(r'<iframe src="([^"]+)"', s).group(1) for s in snippets
                  if "/charts/abroad.html" in s)
    assert parse_qs(urlsplit(abroad).query) == {"country": ["NGA"], "year": ["2020"]}
    client = _api()
    alone = client.get(abroad)
    assert alone.status_code == 200
    figure = json.loads(re.search(r"var figure = (.*?);\n  Plotly", alone.text, re.S).group(1))
    page_figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(f["data"] == figure["data"] for f in page_figures)
    bars = {name: value for t in figure["data"] for name, value in
            zip(t.get("y") or [], t.get("x") or [], strict=False)}
    assert (bars["United Kingdom"], bars["Italy"]) == (173, 25)
    # its Data API twin: the same countries' figures for Nigerian victims in 2020
    # (Nigeria's own citizenships chart names NGA's figures; the abroad chart the reporters')
    twin = next(b.proto.url for b in at.get("link_button") if b.proto.label == "Data API"
                and "citizenship%3DNGA" in b.proto.url and "country=GBR" in b.proto.url)
    rows = client.get(twin).json()["data"]
    assert {r["year"] for r in rows} == {2020}
    by_country = {r["iso3"]: r["value"] for r in rows}
    assert (by_country["GBR"], by_country["ITA"]) == (173, 25)


def test_the_tables_link_to_their_rows_in_the_api(db, read_only_pages):
    # the Country profile's "every figure" table (the one dataframe on this page): the United
    # Kingdom's published figures, 2019's detected victims among them (UNODC: 10,627)
    at = opened_once(read_only_pages, *GBR_2019)
    no_exceptions(at)
    [shown] = [d.value for d in at.dataframe if "Kind" in d.value.columns]
    client = _api()
    # (the published-figures chart above it links to its counts only; the table to every
    # figure, the World Bank's population among them)
    twin = next(b.proto.url for b in at.get("link_button") if b.proto.label == "Data API"
                and "/observations.json" in b.proto.url and "population" in b.proto.url)
    rows = client.get(twin).json()["data"]
    assert {r["iso3"] for r in rows} == {"GBR"} and len(rows) == len(shown)
    detected = {r["year"]: r["value"] for r in rows if r["measure"] == "victims_detected"}
    assert detected[2019] == 10627
    # Compare's "every country" table has the map's rows (each country's latest figure), so
    # its Data API button gives the map's address
    at = open_page("pages/compare.py", {"indicator": "conviction_rate", "year": "2019",
                                        "years": "2019-2019"})
    no_exceptions(at)
    [table] = [d.value for d in at.dataframe if "ISO3" in d.value.columns]
    twins = [b.proto.url for b in at.get("link_button") if b.proto.label == "Data API"]
    assert twins[-1] == twins[-2]  # the map's, then the table's
    rows = client.get(twins[-1]).json()["data"]
    # its country rows are the table's (the answer has the regions' and the world's too)
    assert {r["scope"] for r in rows if r["scope_type"] == "country"} == set(table["ISO3"])
    gbr = next(r for r in rows if r["scope"] == "GBR")
    assert gbr["value"] == pytest.approx(251 / 122000, rel=1e-12)


def _chart_alone(client: TestClient, address: str) -> dict:
    answer = client.get(address)
    assert answer.status_code == 200, address
    return json.loads(re.search(r"var figure = (.*?);\n  Plotly", answer.text, re.S).group(1))


def test_the_methodology_heatmaps_have_their_api_twin_and_their_chart_alone(db, monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptFiles)
    at = open_page("pages/methodology.py", {"measure": "victims_detected"})
    at.selectbox(key="meth_region").set_value("Europe").run()
    no_exceptions(at)
    twins = [b.proto.url for b in at.get("link_button") if b.proto.label == "Data API"
             and urlsplit(b.proto.url).path == "/api/v1/coverage.json"]
    summary_twin, map_twin = twins
    assert parse_qs(urlsplit(summary_twin).query) == {"years": ["2003-2022"]}
    assert parse_qs(urlsplit(map_twin).query) == {
        "measure": ["victims_detected"], "region": ["Europe"], "years": ["2003-2022"]}
    client = _api()
    # the twins hold the rows the page's charts draw: their CSVs, row for row
    for key, twin in (("meth_summary", summary_twin), ("meth_heat", map_twin)):
        assert _csv_rows(_download(at, f"{key}_csv")) == _csv_rows(
            client.get(twin.replace(".json?", ".csv?")).text), key
    summary = client.get(summary_twin).json()["data"]
    europe = client.get(map_twin).json()["data"]
    # Counted in the bundled database's current figures (SELECT year, count(DISTINCT iso3)
    # FROM current_observations WHERE measure = 'victims_detected' GROUP BY year, UNODC's 2023
    # and 2025 releases loaded): 134 countries published detected victims for 2019, 41 of them
    # in Europe (joined to the country list's region); 2022, UNODC's newest year, has 112.
    counts = {(r["measure"], r["year"]): r["countries"] for r in summary}
    assert (counts["victims_detected", 2019], counts["victims_detected", 2022]) == (134, 112)
    europe_2019 = [r for r in europe if r["year"] == 2019]
    assert sum(r["state"] != "missing" for r in europe_2019) == 41
    assert {r["region"] for r in europe} == {"Europe"}
    # their Embed: the charts alone, the page's own figures
    addresses = [html.unescape(re.search(r'<iframe src="([^"]+)"', c.value).group(1))
                 for c in at.code if "<iframe" in c.value and "/charts/coverage-" in c.value]
    found = {urlsplit(a).path: {k: v[0] for k, v in parse_qs(urlsplit(a).query).items()}
             for a in addresses}
    assert found == {"/api/v1/charts/coverage-summary.html": {},
                     "/api/v1/charts/coverage-countries.html": {"measure": "victims_detected",
                                                                "region": "Europe"}}
    page_figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    for address in addresses:
        alone = _chart_alone(client, address)
        assert any(f["data"] == alone["data"] and f["layout"]["title"] == alone["layout"]["title"]
                   for f in page_figures), address


def _download(at, key: str) -> str:
    """What a download button gives (the test must have kept the media files: _KeptFiles).
    A chart's CSV is made at the click (a deferred download): made here as a click makes it."""
    [button] = [b for b in at.get("download_button") if b.key == key]
    files = _KeptFiles.made[-1]
    url = button.proto.url
    if button.proto.HasField("deferred_file_id"):
        url = files.execute_deferred(button.proto.deferred_file_id)
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return files.read_file(name).content.decode("utf-8-sig")


def _csv_rows(text: str) -> list[dict]:
    cite, rows = text.split("\n", 1)
    assert cite == f"# Cite as: {CITATION}"
    return pl.read_csv(io.StringIO(rows), infer_schema_length=0).to_dicts()


class _KeptFiles(MediaFileManager):
    """Streamlit's own media file manager, kept after the run so a test can read what a
    download button gives (AppTest drops its manager when the run ends)."""

    made: list[MediaFileManager] = []

    def __init__(self, storage) -> None:
        super().__init__(storage)
        _KeptFiles.made.append(self)


def test_a_chart_csv_download_starts_with_the_api_citation_line(db, monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptFiles)
    at = open_page("pages/compare.py", {"indicator": "conviction_rate",
                                        "countries": "GBR,WORLD", "years": "2019-2019"})
    no_exceptions(at)
    # made at the click, not with every new selection (issue 20), and whole when clicked
    [button] = [b for b in at.get("download_button") if b.key == "cmp_lines_csv"]
    assert button.proto.HasField("deferred_file_id") and not button.proto.url
    text = _download(at, "cmp_lines_csv")
    cite, rows = text.split("\n", 1)
    assert cite == f"# Cite as: {CITATION}"
    for publisher in ("UNODC", "Walk Free", "World Bank", "Anti-Trafficking Indicators"):
        assert publisher in cite
    table = pl.read_csv(io.StringIO(rows))
    gbr = table.filter((pl.col("scope") == "GBR") & (pl.col("year") == 2019))
    assert gbr["value"].to_list() == [pytest.approx(251 / 122000, rel=1e-12)]
    # the API's CSV of the same rows starts with the same line
    api_csv = _api().get("/api/v1/indicators.csv?indicator=conviction_rate&countries=GBR,WORLD"
                         "&year=2019").text
    assert api_csv.split("\n", 1)[0] == cite
