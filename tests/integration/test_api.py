"""The read API (/api/v1/, indicators.api) on real servers started here on loopback, over a
real DuckDB file and a real PostgreSQL database (tests/conftest.py), asked over HTTP.

The conviction rate checked by hand: UNODC's 251 persons convicted in the United Kingdom in
2019 over Walk Free's estimate of 122,000 people in modern slavery there (2021), 251/122000.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import plotly
import polars as pl
import pytest

from benchmarks import server as servers
from indicators.schema import LONG_COLUMNS
from indicators.store import BatchMeta, Source, Store
from tests.conftest import BACKENDS, new_database

ROOT = Path(__file__).resolve().parents[2]
GBR_2019 = "/api/v1/indicators.json?indicator=conviction_rate&countries=GBR&year=2019"


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET"
        ) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, \
                response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get_json(url: str) -> dict:
    status, _, body = get(url)
    assert status == 200, body
    return json.loads(body)


def get_text(url: str) -> tuple[dict[str, str], str]:
    """What ``url`` answers, which must be 200: its headers and its text."""
    status, headers, body = get(url)
    assert status == 200, body
    return headers, body.decode("utf-8")


def _database(backend: str, request, directory: Path) -> str:
    if backend == "duckdb":
        path = directory / f"api-{uuid.uuid4().hex[:8]}.duckdb"
        shutil.copyfile(request.getfixturevalue("bundled_db_template"), path)
        return str(path)
    return new_database(request.getfixturevalue("postgres"),
                        request.getfixturevalue("bundled_postgres_template"))


class Api:
    def __init__(self, target: str, server: servers.Server) -> None:
        self.target = target
        self.server = server
        self.url = server.url


def _start(backend: str, request, directory: Path) -> Api:
    target = _database(backend, request, directory)
    started = servers.start_api(target, directory / f"api-{backend}-{uuid.uuid4().hex[:6]}.log")
    return Api(target, started)


@pytest.fixture(scope="module", params=BACKENDS)
def api(request, tmp_path_factory) -> Api:
    """A read-only API server on the bundled data, shared by this module's reading tests."""
    found = _start(request.param, request, tmp_path_factory.mktemp("api"))
    yield found
    servers.stop(found.server)


@pytest.fixture(params=BACKENDS)
def own_api(request, tmp_path) -> Api:
    """An API server on a database of its own, for a test that writes."""
    found = _start(request.param, request, tmp_path)
    yield found
    servers.stop(found.server)


# -- the figures ---------------------------------------------------------------------------------
def test_gbr_2019_conviction_rate_is_251_over_122000_and_matches_the_report(api):
    answer = get_json(api.url + GBR_2019)
    assert answer["paging"]["total"] == 1
    [row] = answer["data"]
    assert (row["indicator"], row["scope"], row["year"]) == ("conviction_rate", "GBR", 2019)
    assert row["value"] == pytest.approx(251 / 122000, rel=1e-12)
    assert row["value_text"] == "1 in 490"
    inputs = {i["measure"]: i["value"] for i in row["inputs"]}
    assert inputs == {"persons_convicted": 251.0, "estimated_victims": 122000.0}
    assert "UNODC" in answer["citation"] and "Walk Free" in answer["citation"]
    assert "World Bank" in answer["citation"]

    # the command line's report of the same row gives the same record, field by field
    cli = subprocess.run(
        [sys.executable, "-m", "indicators", "report", "--db", api.target, "--country", "GBR",
         "--year", "2019", "--indicator", "conviction_rate", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(cli.stdout) == answer["data"]


def test_a_subregion_is_a_scope_and_is_listed(api):
    """Western Africa 2020 (hand-checked in tests/integration/test_cli_backends.py): 5,003
    detected victims over 2,356,000 estimated people in modern slavery, 12 of its 17
    countries and territories."""
    answer = get_json(f"{api.url}/api/v1/indicators.json?indicator=identification_rate"
                      "&countries=Western%20Africa&year=2020")
    [row] = answer["data"]
    assert (row["scope"], row["scope_type"]) == ("Western Africa", "subregion")
    assert row["value"] == pytest.approx(5_003 / 2_356_000, rel=1e-12)
    assert (row["countries_counted"], row["countries_in_scope"]) == (12, 17)
    listed = {r["region"]: r for r in get_json(f"{api.url}/api/v1/regions.json")["data"]}
    west = listed["Western Africa"]
    assert (west["kind"], west["within"], west["countries"]) == ("subregion", "Africa", 17)
    assert "NGA" in west["members"].split(",") and "SHN" in west["members"].split(",")
    assert (listed["Africa"]["kind"], listed["WORLD"]["kind"]) == ("region", "world")
    countries = {r["iso3"]: r for r in get_json(f"{api.url}/api/v1/countries.json")["data"]}
    assert (countries["NGA"]["region"], countries["NGA"]["subregion"]) == (
        "Africa", "Western Africa")
    # coverage of one measure within a subregion: its countries with any figure
    coverage = get_json(f"{api.url}/api/v1/coverage.json?measure=victims_detected"
                        "&region=western%20africa&years=2020-2020")["data"]
    assert {r["iso3"] for r in coverage} <= set(west["members"].split(","))
    assert {r["iso3"] for r in coverage if r["state"] == "reported"} == {
        "BEN", "BFA", "CIV", "GHA", "GMB", "GNB", "MLI", "NER", "NGA", "SEN", "SLE", "TGO"}


def test_sdg_16_2_2_basis_says_published_or_computed(api):
    """UNODC's published rate where it publishes one (Moldova 2007: 7.74, not the computed
    10.37); computed where it does not (New Zealand 2019, '<5') and for the world."""
    base = f"{api.url}/api/v1/indicators.json?indicator=victims_per_100k"
    [mda] = get_json(f"{base}&countries=MDA&year=2007")["data"]
    assert (mda["value"], mda["basis"]) == (7.74, "published")
    rows = {r["scope"]: r for r in get_json(f"{base}&countries=NZL,WORLD&year=2019")["data"]}
    assert (rows["NZL"]["basis"], rows["WORLD"]["basis"]) == ("computed", "computed")


def test_the_csv_twin_has_the_same_rows(api):
    query = "indicator=conviction_rate&countries=GBR,USA,WORLD&years=2012-2019"
    rows = get_json(f"{api.url}/api/v1/indicators.json?{query}")["data"]
    headers, text = get_text(f"{api.url}/api/v1/indicators.csv?{query}")
    assert headers["content-type"].startswith("text/csv")
    first = text.splitlines()[0]
    assert first.startswith("# Cite as: ") and "UNODC" in first
    table = pl.read_csv(io.StringIO(text), comment_prefix="#")
    assert table.height == len(rows) == 3 * 8
    assert table["scope"].to_list() == [r["scope"] for r in rows]
    assert table["year"].to_list() == [r["year"] for r in rows]
    assert table["value_text"].to_list() == [r["value_text"] for r in rows]
    for got, want in zip(table["value"].to_list(), [r["value"] for r in rows], strict=True):
        assert got == pytest.approx(want, rel=1e-12) if want is not None else got is None


def test_published_figures_carry_source_release_series_and_bounds(api):
    answer = get_json(f"{api.url}/api/v1/observations.json?country=GBR&measure="
                      "persons_convicted&year=2019")
    [row] = answer["data"]
    assert (row["value"], row["series_kind"], row["series"]) == (251.0, "official", "official")
    assert row["source_id"].startswith("unodc_glotip") and row["batch_id"] >= 1
    # a '<5' count keeps its bounds, 1 to 4, and no value
    suppressed = get_json(f"{api.url}/api/v1/observations.json?measure=persons_convicted"
                          "&limit=10000")["data"]
    small = [r for r in suppressed if r["value"] is None and r["lower"] is not None]
    assert small and {(r["lower"], r["upper"]) for r in small} == {(1.0, 4.0)}


def test_paging_gives_every_row_once(api):
    base = f"{api.url}/api/v1/observations.json?country=GBR&limit=50"
    first = get_json(base)
    total = first["paging"]["total"]
    assert total > 50 and first["paging"]["returned"] == 50
    seen, url = [], base
    while url:
        page = get_json(url)
        seen += [(r["measure"], r["year"], r["series"]) for r in page["data"]]
        url = page["paging"]["next"]
    assert len(seen) == len(set(seen)) == total
    status, _, body = get(f"{api.url}/api/v1/observations.json?limit=1000000")
    assert status == 400 and "limit" in json.loads(body)["error"]


# -- HTTP ----------------------------------------------------------------------------------------
def test_etag_gives_304_and_headers_are_cacheable_compressed_and_open_to_other_sites(api):
    status, headers, body = get(api.url + GBR_2019,
                                {"Accept-Encoding": "gzip", "Origin": "https://example.org"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["data"][0]["scope"] == "GBR"
    assert headers["access-control-allow-origin"] == "*"
    assert "max-age" in headers["cache-control"]
    etag = headers["etag"]
    status, again, body = get(api.url + GBR_2019, {"If-None-Match": etag})
    assert (status, body, again["etag"]) == (304, b"", etag)
    status, _, _ = get(api.url + GBR_2019, {"If-None-Match": 'W/"0-stale"'})
    assert status == 200


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/api/v1/indicators.json?indicator=no_such_thing", 400, "no indicator called"),
    ("/api/v1/indicators.csv?indicator=no_such_thing", 400, "no indicator called"),
    ("/api/v1/indicators.json?countries=GBR,ATLANTIS", 400, "ATLANTIS"),
    ("/api/v1/indicators.json?year=1066", 400, "1066"),
    ("/api/v1/indicators.json?proxies=maybe", 400, "on or off"),
    ("/api/v1/indicators.json?colour=blue", 400, "colour"),
    ("/api/v1/observations.json?series=Nobody", 400, "Nobody"),
    ("/api/v1/releases/999.json", 404, "999"),
    ("/api/v1/countries.xml", 404, ".json"),
    ("/api/v1/no-such-thing.json", 404, "nothing at this address"),
    ("/api/v2/indicators.json", 404, "nothing at this address"),
    ("/api/v1/charts/lines.html?indicator=no_such_thing&countries=GBR", 400,
     "no indicator called"),
    ("/api/v1/charts/lines.html?indicator=conviction_rate", 400, "Name the countries"),
    ("/api/v1/charts/map.html?map=rainbow", 400, "rainbow"),
    ("/api/v1/charts/ranking.svg?year=1066", 400, "1066"),
    ("/api/v1/charts/pie.html", 404, "no chart called 'pie'"),
    ("/api/v1/charts/lines.pdf?countries=GBR", 404, ".html"),
    ("/api/v1/coverage.json?measure=no_such_measure", 400, "no measure called"),
    ("/api/v1/coverage.csv?measure=victims_detected&region=Atlantis", 400,
     "no region called 'Atlantis'"),
    ("/api/v1/coverage.json?region=Europe", 400, "add a measure"),
    ("/api/v1/coverage.json?country=GBR", 400, "does not take a parameter called 'country'"),
    ("/api/v1/charts/coverage-countries.html?measure=no_such_measure", 400,
     "no measure called"),
])
def test_bad_requests_answer_one_plain_sentence_in_json(api, path, status, words):
    got, headers, body = get(api.url + path)
    assert got == status
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["status"] == status and words in answer["error"]
    assert "Traceback" not in answer["error"] and "<" not in answer["error"][:1]
    assert answer["error"].count(". ") == 0  # one sentence


def test_coverage_gives_the_rows_of_the_methodology_heatmaps(api):
    # Counted in the bundled database's current figures (SELECT year, count(DISTINCT iso3)
    # FROM current_observations WHERE measure = 'victims_detected' GROUP BY year, UNODC's 2023
    # and 2025 releases loaded): 134 countries published detected victims for 2019; the
    # summary spans the indicators' years, 2003-2022, for the 9 measures with figures (180
    # rows; the ninth is UNODC's published SDG 16.2.2 rate)
    summary = get_json(api.url + "/api/v1/coverage.json")
    assert summary["paging"]["total"] == 9 * 20
    counts = {(r["measure"], r["year"]): r["countries"] for r in summary["data"]}
    assert counts["victims_detected", 2019] == 134
    assert min(r["year"] for r in summary["data"]) == 2003
    # Europe: 48 of the country list's 52 European countries have any figure; 41 of them
    # published detected victims for 2019, the United Kingdom 10,627 (unchanged in 2025)
    europe = get_json(api.url + "/api/v1/coverage.json?measure=victims_detected"
                      "&region=europe&years=2019")
    rows = europe["data"]
    assert europe["paging"]["total"] == len(rows) == 48
    assert {r["region"] for r in rows} == {"Europe"}
    assert sum(r["state"] != "missing" for r in rows) == 41
    [gbr] = [r for r in rows if r["iso3"] == "GBR"]
    assert (gbr["state"], gbr["value_text"]) == ("reported", "10,627")
    assert gbr["source"].startswith("UNODC, Global Report on Trafficking in Persons")
    # a year without a figure is 'no data', never zero
    assert {r["value_text"] for r in rows if r["state"] == "missing"} == {"no data"}
    # the CSV twin: the same rows under the citation line
    status, headers, body = get(api.url + "/api/v1/coverage.csv?measure=victims_detected"
                                "&region=Europe&years=2019")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    table = pl.read_csv(io.BytesIO(body), comment_prefix="#")
    assert table.height == 48 and table.filter(pl.col("iso3") == "GBR")["value_text"].to_list() \
        == ["10,627"]
    # every country with a figure (220) and every year (2003-2022): 4,400 rows, paged
    whole = get_json(api.url + "/api/v1/coverage.json?measure=victims_detected")
    assert whole["paging"]["total"] == 220 * 20 and whole["paging"]["next"]


def test_the_coverage_heatmaps_alone_draw_the_same_counts(api):
    headers, page = get_text(api.url + "/api/v1/charts/coverage-summary.html")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>How many countries have each figure, by year</title>" in page
    [heat] = _figure(page)["data"]
    column = heat["x"].index(2019)
    rows = {label: row[column] for label, row in zip(heat["y"], heat["z"], strict=True)}
    assert rows["Detected trafficking victims"] == 134
    _, page = get_text(api.url + "/api/v1/charts/coverage-countries.html"
                       "?measure=victims_detected&region=Europe")
    assert "Which countries have figures for" in page
    status, headers, _ = get(api.url + "/api/v1/charts/coverage-countries.svg"
                             "?measure=victims_detected&region=Europe")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")


def test_writing_is_refused_in_json(api):
    status, headers, body = get(api.url + GBR_2019, method="POST")
    assert status == 405 and json.loads(body)["error"] == "This API only reads: use GET."


# -- only published figures -------------------------------------------------------------------
NGO = Source(id="api_test_ngo", publisher="API Test NGO", title="Synthetic test figures",
             citation="API Test NGO, synthetic test figures")


def _wait_for_version(url: str, old: str, seconds: float = 30.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = get_json(url)
        if answer["data_version"] != old:
            return answer
        time.sleep(0.3)
    raise AssertionError(f"the API still shows data version {old} after {seconds:.0f} s")


def test_an_upload_appears_only_once_another_reviewer_approves_it(own_api):
    # synthetic: a made-up count of victims reported by an organisation, for a year UNODC's
    # data have no such figure
    figures = pl.DataFrame([dict(iso3="GBR", year=2019, measure="victims_reported",
                                 value=9000.0, value_status="reported", lower=None, upper=None,
                                 source_id=NGO.id, note="synthetic")], schema=LONG_COLUMNS)
    url = f"{own_api.url}/api/v1/observations.json?series=all&country=GBR&year=2019" \
          "&measure=victims_reported"
    before = get_json(url)
    assert before["data"] == []
    with Store(own_api.target) as store:
        batch = store.commit_batch(BatchMeta(kind="cli", file_name="ngo.csv", sha256="c" * 64,
                                             contributor="Ana", organisation="API Test NGO"),
                                   figures, [NGO])
        assert store.batch(batch)["status"] == "submitted"
    submitted = _wait_for_version(url, before["data_version"])
    assert submitted["data"] == []
    for path in ("/api/v1/observations.json?country=GBR&year=2019",
                 "/api/v1/observations.csv?series=all&country=GBR&year=2019",
                 "/api/v1/releases.atom",
                 "/api/v1/coverage.csv?measure=victims_reported&region=Europe"):
        assert b"API Test NGO" not in get(own_api.url + path)[2]
    status, _, body = get(f"{own_api.url}/api/v1/observations.json?series=API Test NGO"
                          .replace(" ", "%20"))
    assert status == 400, body
    # nor can the indicators be computed on it until it is approved
    series = "&series=API%20Test%20NGO"
    status, _, body = get(f"{own_api.url}/api/v1/indicators.json?countries=GBR{series}")
    assert status == 400 and b"API Test NGO" in body, body

    with Store(own_api.target) as store:
        store.approve_batch(batch, reviewer="Bo", note="checked against the casework")
    approved = _wait_for_version(url, submitted["data_version"])
    [row] = approved["data"]
    assert (row["value"], row["series_kind"], row["series"], row["batch_id"]) == \
        (9000.0, "contributed", "API Test NGO", batch)
    status, _, body = get(f"{own_api.url}/api/v1/indicators.json?countries=GBR{series}")
    assert status == 200, body
    feed = get(own_api.url + "/api/v1/releases.atom")[2].decode()
    assert "Contribution approved: API Test NGO" in feed and "Approved by Bo" in feed


# -- charts alone, for embedding ---------------------------------------------------------------
LINES_HTML = "/api/v1/charts/lines.html?indicator=conviction_rate&countries=GBR,WORLD" \
             "&years=2015-2019"


def _figure(page: str) -> dict:
    """The Plotly figure a chart-only page draws (the JSON it hands to Plotly.newPlot)."""
    found = re.search(r"var figure = (.*?);\n  Plotly\.newPlot", page, re.S)
    assert found, "no figure in the page"
    return json.loads(found.group(1))


def test_a_chart_alone_is_a_standalone_page_with_the_figure_and_no_other_site(api):
    headers, page = get_text(api.url + LINES_HTML)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<title>Conviction rate, 2015–2019</title>" in page
    # the text alternative (alt_text.lines) names the chart for screen readers and is printed
    alt = re.search(r'<div id="chart" role="img" aria-label="([^"]+)"', page).group(1)
    assert "United Kingdom rose from 1 in 3,700 in 2015 to 1 in 490 in 2019" in alt
    assert f"<figcaption>{alt}</figcaption>" in page
    assert "Cite as: Data: UNODC" in page
    # the figure's data: GBR 2019 is UNODC's 251 convicted over Walk Free's 122,000
    [gbr] = [t for t in _figure(page)["data"] if t.get("name") == "United Kingdom"]
    assert gbr["x"] == [2015, 2016, 2017, 2018, 2019]
    assert gbr["y"][-1] == pytest.approx(251 / 122000, rel=1e-12)
    assert "1 in 490" in gbr["customdata"][-1]
    # nothing from another site: plotly.js and the map's base file come from this API (the
    # figure's JSON read back too: it writes '/' as an escape)
    for text in (page, json.dumps(_figure(page), ensure_ascii=False)):
        assert not re.search(r"(https?:)?//[a-z0-9]", text.replace("</", ""), re.I), \
            re.findall(r"https?://\S{0,40}", text)[:3]
    assert '<script src="plotly.min.js"></script>' in page
    assert '"topojsonURL":"./"' in page
    status, headers, script = get(api.url + "/api/v1/charts/plotly.min.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert script == (Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
                      ).read_bytes()
    status, headers, base = get(api.url + "/api/v1/charts/world_110m.json")
    assert status == 200 and json.loads(base)["type"] == "Topology"
    status, _, body = get(api.url + "/api/v1/charts/plotly.min.js",
                          {"If-None-Match": headers_etag(api, "/api/v1/charts/plotly.min.js")})
    assert (status, body) == (304, b"")


def test_a_countrys_places_chart_alone_follows_the_year_asked(api):
    # the United Kingdom's citizenships of detected victims, 2019 (UNODC workbook, rows 'by
    # citizenship', reported by GBR): its own nationals first, Albania among the largest
    headers, page = get_text(api.url + "/api/v1/charts/citizenship.html?country=GBR&year=2019")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>United Kingdom: citizenship of the victims detected in 2019</title>" in page
    names = [n for t in _figure(page)["data"] for n in t.get("y") or []]
    assert "United Kingdom (own nationals)" in names and "Albania" in names
    # other countries reported British victims in 2010, 2011, 2013–2015 and 2020–2022 (the
    # 2025 workbook, Category 'United Kingdom'): 2019 has no such figures, and the answer
    # names the nearest year that has them
    status, headers, body = get(api.url + "/api/v1/charts/abroad.svg?country=GBR&year=2019")
    assert status == 404 and headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"] == (
        "No other country reported victims with the citizenship of United Kingdom for 2019; "
        "the nearest year with figures is 2020.")
    status, headers, _ = get(api.url + "/api/v1/charts/abroad.svg?country=GBR&year=2020")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")


def headers_etag(api: Api, path: str) -> str:
    return get(api.url + path)[1]["etag"]


def test_a_chart_alone_is_live_with_the_data_and_cached_by_its_etag(api):
    status, headers, _ = get(api.url + LINES_HTML, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "max-age" in headers["cache-control"]
    data_etag = headers_etag(api, GBR_2019)
    assert headers["etag"] == data_etag  # the data version's tag: a new release makes it anew
    status, again, body = get(api.url + LINES_HTML, {"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


def test_the_ranking_and_the_map_alone_show_gbr_2019(api):
    _, page = get_text(api.url + "/api/v1/charts/ranking.html?indicator=conviction_rate"
                       "&countries=GBR,USA,WORLD&year=2019")
    assert "<title>Conviction rate in 2019</title>" in page
    bars = {y: x for t in _figure(page)["data"] if t.get("type") == "bar"
            for y, x in zip(t["y"], t["x"], strict=True)}
    assert bars["United Kingdom"] == pytest.approx(251 / 122000, rel=1e-12)
    _, page = get_text(api.url + "/api/v1/charts/map.html?indicator=conviction_rate"
                       "&year=2019&years=2019-2019")
    assert "<title>Conviction rate: latest figure up to 2019</title>" in page
    [countries] = [t for t in _figure(page)["data"] if t.get("name") == "countries"]
    hover = dict(zip(countries["locations"], countries["customdata"], strict=True))
    assert "1 in 490, 0.21% (2019)" in hover["GBR"]  # 251 / 122,000 = 0.206%
    assert not re.search(r"https?://", page + json.dumps(_figure(page), ensure_ascii=False))
    # with no year and no range: the pages' default year (2022, the latest with figures for at
    # least half as many countries as the best year: 115 of 149) and the indicators' first
    # year, 2003
    page = get(api.url + "/api/v1/charts/map.html")[2].decode("utf-8")
    assert "<title>Conviction rate: latest figure up to 2022</title>" in page
    assert "latest figure from 2003 to 2022" in page
    status, headers, body = get(api.url + "/api/v1/charts/map.png?indicator=conviction_rate"
                                "&year=2019")
    assert status == 200 and headers["content-type"] == "image/png"
    assert body[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_published_count_per_100k_is_drawn_alone_as_the_compare_page_draws_it(api):
    _, page = get_text(api.url + "/api/v1/charts/lines.html?indicator=victims_detected"
                       "&per=100k&countries=GBR&years=2019-2019")
    assert "<title>Detected victims per 100,000 people, 2019</title>" in page
    [gbr] = [t for t in _figure(page)["data"] if t.get("name") == "United Kingdom"]
    # UNODC's published SDG 16.2.2 rate for the United Kingdom, 2019 (its SDG data set of 15
    # May 2025), not the 15.95 computed from its 10,627 detected victims over the World Bank's
    # 66,631,000 people: the official value wherever UNODC publishes one
    assert gbr["y"] == [15.83]


def test_a_country_profiles_charts_alone_show_its_published_figures(api):
    def figure_of(path: str) -> tuple[str, dict]:
        headers, page = get_text(api.url + "/api/v1/charts/" + path)
        assert headers["content-type"].startswith("text/html")
        return re.search(r"<title>(.*)</title>", page).group(1), _figure(page)

    def point(figure: dict, name: str, year: int) -> float:
        [trace] = [t for t in figure["data"] if t.get("name") == name]
        return trace["y"][trace["x"].index(year)]

    # UNODC's published figures for the United Kingdom, 2019: 10,627 detected victims, 1,075
    # of them girls (female, 0-17)
    title, figure = figure_of("figures.html?country=GBR")
    assert title == "United Kingdom: published figures, 2003–2022"
    assert point(figure, "Detected trafficking victims", 2019) == 10627
    title, figure = figure_of("victims.html?country=GBR&split=sex_age")
    assert title == "United Kingdom: detected victims by sex and age, 2009–2022"
    assert point(figure, "Girls (female, 0–17)", 2019) == 1075
    title, figure = figure_of("victims.html?country=GBR&split=sex_age&per=100k")
    # per 100,000 people: over the World Bank's 66,631,000 people in 2019
    assert point(figure, "Girls (female, 0–17)", 2019) == pytest.approx(
        1075 / 66631000 * 100000, rel=1e-9)
    title, _ = figure_of("coverage.html?country=GBR")
    assert title == "United Kingdom: which figures exist for which years"
    status, _, body = get(api.url + "/api/v1/charts/figures.html")
    assert status == 400 and "country=GBR" in json.loads(body)["error"]


# -- the documents -----------------------------------------------------------------------------
def _example_url(base: str, path: str, operation: dict, fmt: str = "json") -> str:
    url = path.replace("{format}", fmt)
    query = []
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter["name"] != "format":
            url = url.replace("{" + parameter["name"] + "}", parameter["example"])
        elif parameter["in"] == "query" and "example" in parameter:
            query.append(f"{parameter['name']}={parameter['example']}")
    return base + url + ("?" + "&".join(query) if query else "")


def test_the_openapi_document_is_valid_and_every_example_answers_as_it_says(api):
    from jsonschema import Draft202012Validator
    from openapi_spec_validator import validate

    document = get_json(f"{api.url}/api/v1/openapi.json")
    validate(document)  # a valid OpenAPI 3.1 document
    components = {"components": document["components"]}
    checked = 0
    for path, item in document["paths"].items():
        operation = item["get"]
        content = operation["responses"]["200"]["content"]
        formats = next((p["schema"]["enum"] for p in operation.get("parameters", [])
                        if p["name"] == "format"), None)
        # every chart kind too (a path parameter with its values listed)
        kinds = next((p["schema"]["enum"] for p in operation.get("parameters", [])
                      if p["name"] == "kind"), [None])
        for kind, fmt in ((k, f) for k in kinds for f in formats or [None]):
            url = _example_url(api.url, path.replace("{kind}", kind or "{kind}"), operation,
                               fmt or "json")
            status, headers, body = get(url)
            assert status == 200, (url, body)
            media = headers["content-type"].split(";")[0]
            assert media in content, (url, media)
            if media == "application/json":
                schema = {**content[media]["schema"], **components}
                errors = list(Draft202012Validator(schema).iter_errors(json.loads(body)))
                assert errors == [], (url, errors[:3])
            checked += 1
        # the documented error answer, for the operations with query parameters
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            status, _, body = get(_example_url(api.url, path, {"parameters": [
                p for p in operation["parameters"] if p["in"] == "path"]},
                (formats or ["json"])[0]) + "?no_such_parameter=1")
            assert status == 400
            schema = {**operation["responses"]["400"]["content"]["application/json"]["schema"],
                      **components}
            assert list(Draft202012Validator(schema).iter_errors(json.loads(body))) == []
    assert checked >= 20


def test_the_data_package_is_valid_and_describes_the_csvs(api):
    from frictionless import Package

    descriptor = get_json(f"{api.url}/api/v1/datapackage.json")
    names = {r["name"] for r in descriptor["resources"]}
    assert {"countries", "measures", "observations-gbr", "releases",
            "indicator-conviction-rate"} <= names
    report = Package(descriptor).validate()  # each CSV read over HTTP, row by row
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) == len(descriptor["resources"])
    assert all(task.stats["rows"] > 0 for task in report.tasks)


def test_a_bibtex_entry_and_a_citation_file_credit_the_publishers(api):
    status, headers, body = get(f"{api.url}/api/v1/citation.bib")
    text = body.decode()
    assert status == 200 and text.startswith("@misc{") and "UNODC" in text
    cff = (ROOT / "CITATION.cff").read_text()
    for publisher in ("UNODC", "Walk Free", "World Bank"):
        assert publisher in cff and publisher in text


# -- one port for the pages and the API --------------------------------------------------------
def test_streamlit_run_app_py_serves_the_pages_and_the_api_on_one_port(tmp_path,
                                                                      bundled_db_template):
    db = tmp_path / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, db)
    started = servers.start(db, tmp_path / "streamlit.log")
    try:
        answer = get_json(started.url + GBR_2019)
        assert answer["data"][0]["value"] == pytest.approx(251 / 122000, rel=1e-12)
        status, headers, body = get(started.url + "/")
        assert status == 200 and headers["content-type"].startswith("text/html")
        status, headers, body = get(started.url + "/api/v1/no-such-thing")
        assert (status, headers["content-type"]) == (404, "application/json")
        assert get(started.url + "/_stcore/health")[0] == 200
    finally:
        servers.stop(started)


def test_polars_reads_an_api_url_as_the_readme_shows(api):
    query = "indicator=conviction_rate&countries=GBR,USA&years=2010-2021"
    rows = get_json(f"{api.url}/api/v1/indicators.json?{query}")["data"]
    rates = pl.read_csv(f"{api.url}/api/v1/indicators.csv?{query}", comment_prefix="#")
    assert rates["scope"].to_list() == [r["scope"] for r in rows]
    figures = pl.read_parquet(f"{api.url}/api/v1/observations.parquet?country=GBR"
                              "&measure=persons_convicted")
    answer = get_json(f"{api.url}/api/v1/observations.json?country=GBR&measure=persons_convicted")
    assert figures["year"].to_list() == [r["year"] for r in answer["data"]]
    assert figures["value"].to_list() == [r["value"] for r in answer["data"]]


def test_releases_and_what_the_first_release_revised(api):
    releases = get_json(f"{api.url}/api/v1/releases.json")["data"]
    families = {r["family"] for r in releases}
    assert {"unodc_glotip", "walkfree_gsi", "worldbank_population"} <= families
    assert {r["status"] for r in releases} == {"committed"}
    first = min(releases, key=lambda r: r["batch"])
    report = get_json(f"{api.url}/api/v1/releases/{first['batch']}.json")["data"]
    # the first release of its family: every figure it wrote was new
    assert {r["change"] for r in report} == {"new"}
    assert len(report) == first["written"]
