"""The dashboard's pages in Chromium, as a person sees them, with the outside world cut off.

Every request the browser makes to anything but 127.0.0.1 is aborted and recorded; each test
asserts that none was needed. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
import pytest

from indicators.store import BatchMeta, Source, Store
from tests.browser.conftest import CHROMIUM_ARGS, start_app_server, stop_app_server  # noqa: F401

PAGES = {
    "overview": ("", "Anti-Trafficking Indicators"),
    "compare": ("compare", "Compare countries"),
    "country": ("country", "Country profile"),
    "methodology": ("methodology", "Data and methodology"),
}
FORMULA = '=HYPERLINK("http://x","y")'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOAD_TIMEOUT = 120_000


# -- helpers -------------------------------------------------------------------------------------
@pytest.fixture
def offline(browser):
    """A browser tab that can reach only 127.0.0.1; ``tab.outside`` lists what it tried."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True)
    outside: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.set_default_timeout(LOAD_TIMEOUT)
    tab.outside = outside
    yield tab
    context.close()


def settle(tab) -> None:
    """Wait until the page script has finished and every chart is drawn."""
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=LOAD_TIMEOUT)
    for _ in range(2):
        tab.wait_for_function(
            """() => !document.querySelector('[data-testid="stStatusWidget"]')
                && !document.querySelector('[data-testid="stSkeleton"]')
                && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                    .every(c => c.querySelector('.main-svg'))""",
            timeout=LOAD_TIMEOUT,
        )
        tab.wait_for_timeout(700)


def full_screenshot(tab, path: Path) -> None:
    """Streamlit scrolls inside its main area, so grow the window to the page's height."""
    height = tab.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"""
    )
    tab.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 16000)})
    tab.wait_for_timeout(800)
    tab.screenshot(path=str(path), full_page=True)
    tab.set_viewport_size({"width": 1400, "height": 1000})


def assert_no_errors(tab) -> None:
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert tab.locator('[data-testid="stAlertContentError"]').count() == 0


def visible_button(tab, key: str):
    """The button of the widget with this key (Streamlit also renders a hidden copy)."""
    return tab.locator(f".st-key-{key} button").filter(visible=True).first


def svg_texts(tab, selector: str) -> list[str]:
    """Text of SVG elements (inner_text is empty for SVG)."""
    return tab.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map(e => e.textContent)", selector)


def chart_titles(tab) -> list[str]:
    return svg_texts(tab, '[data-testid="stPlotlyChart"] .gtitle')


# -- every page ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_error_and_offline(app_server, offline, artifacts_dir, name):
    path, title = PAGES[name]
    offline.goto(f"{app_server.url}/{path}")
    settle(offline)
    assert offline.get_by_role("heading", name=title, level=1).is_visible()
    assert_no_errors(offline)
    # the navigation comes from app.py, even when a page is opened directly by its address
    nav = " ".join(offline.locator('[data-testid="stSidebarNavLink"]').all_inner_texts())
    assert "Compare countries" in nav and "Data and methodology" in nav
    full_screenshot(offline, artifacts_dir / f"page-{name}.png")
    assert offline.outside == []


def test_a_link_reproduces_the_chosen_indicator_and_countries(app_server, offline):
    query = "indicator=identification_rate&countries=GBR,NGA,WORLD&year=2019&scale=target"
    offline.goto(f"{app_server.url}/compare?{query}")
    settle(offline)
    assert_no_errors(offline)
    tags = offline.locator('[data-testid="stMultiSelect"] [data-tag-index]')
    assert [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())] == [
        "United Kingdom", "Nigeria", "World"]
    assert offline.locator(".st-key-cmp_indicator input").first.input_value() == (
        "4. Victim identification rate")
    titles = chart_titles(offline)
    assert titles[:2] == ["Victim identification rate, 2003–2021",
                          "Victim identification rate in 2019"]
    legend = svg_texts(offline, '[data-testid="stPlotlyChart"] .legend')[0]
    assert "United Kingdom" in legend and "Nigeria" in legend and "World" in legend
    assert "countries=GBR%2CNGA%2CWORLD" in offline.url
    assert "indicator=identification_rate" in offline.url
    assert offline.outside == []


def test_the_map_draws_country_shapes_with_no_outside_requests(app_server, offline,
                                                               artifacts_dir):
    offline.goto(f"{app_server.url}/compare?indicator=identification_rate&map=status")
    settle(offline)
    assert_no_errors(offline)
    shapes = offline.locator('[data-testid="stPlotlyChart"] .geolayer path.choroplethlocation')
    assert shapes.count() > 100
    icons = offline.locator('[data-testid="stPlotlyChart"] .geolayer .scattergeo text')
    assert icons.count() > 50  # status is written on the map, not only coloured
    offline.locator('[data-testid="stPlotlyChart"]').nth(2).screenshot(
        path=str(artifacts_dir / "map-offline.png"))
    assert offline.outside == []


def test_png_and_svg_downloads_are_brief_ready(app_server, offline, artifacts_dir):
    offline.goto(f"{app_server.url}/compare?indicator=conviction_rate&countries=GBR,WORLD")
    settle(offline)
    with offline.expect_download(timeout=180_000) as download:
        visible_button(offline, "cmp_lines_png").click()
    png_path = artifacts_dir / "download-conviction-rate.png"
    download.value.save_as(png_path)
    png = png_path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)
    assert download.value.suggested_filename == "conviction-rate-2003-2021.png"

    with offline.expect_download(timeout=180_000) as download:
        visible_button(offline, "cmp_lines_svg").click()
    svg_path = artifacts_dir / "download-conviction-rate.svg"
    download.value.save_as(svg_path)
    root = ET.fromstring(svg_path.read_bytes())
    text = " ".join(" ".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert "Conviction rate, 2003–2021" in text
    assert "Source: UNODC, Global Report on Trafficking in Persons" in text
    assert "Data as of: UNODC data portal release of 30 May 2023" in text
    assert root.get("width") == "1600" and root.get("height") == "900"
    assert offline.outside == []


def _chart_titled(tab, title: str):
    """The chart whose title is ``title``."""
    return tab.locator('[data-testid="stPlotlyChart"]').filter(
        has=tab.locator(".gtitle", has_text=title)).first


def test_who_the_victims_are_on_the_country_profile(app_server, offline, artifacts_dir):
    offline.goto(f"{app_server.url}/country?country=GBR&year=2019&origin_year=2019")
    settle(offline)
    assert_no_errors(offline)
    assert offline.get_by_role("heading", name="Who the victims are").is_visible()
    titles = chart_titles(offline)
    for title in ("United Kingdom: detected victims by sex and age, 2009–2021",
                  "United Kingdom: detected victims by form of exploitation, 2009–2021",
                  "United Kingdom: citizenship of the victims detected in 2019"):
        assert title in titles
    sex_age = _chart_titled(offline, "detected victims by sex and age")
    sex_age.scroll_into_view_if_needed()
    legend = " ".join(svg_texts(offline, '[data-testid="stPlotlyChart"] .legend'))
    for group in ("Girls (female, 0–17)", "Women (female, 18 or over)", "Boys (male, 0–17)",
                  "Men (male, 18 or over)"):
        assert group in legend
    sex_age.screenshot(path=str(artifacts_dir / "victims-gbr-sex-age.png"))
    _chart_titled(offline, "detected victims by form of exploitation").screenshot(
        path=str(artifacts_dir / "victims-gbr-forms.png"))
    citizenship = _chart_titled(offline, "citizenship of the victims detected")
    citizenship.screenshot(path=str(artifacts_dir / "victims-gbr-citizenship.png"))
    bars = " ".join(svg_texts(offline, '[data-testid="stPlotlyChart"] .ytick'))
    assert "United Kingdom (own nationals)" in bars and "Albania" in bars

    # per 100,000 people: the two charts over time redraw, the address bar follows
    offline.locator(".st-key-cty_per").get_by_text("Per 100,000 people").click()
    offline.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .gtitle')]
                 .some(t => t.textContent.includes('per 100,000 people'))""",
        timeout=LOAD_TIMEOUT)
    settle(offline)
    assert_no_errors(offline)
    assert "United Kingdom: detected victims by sex and age, per 100,000 people, 2009–2021" \
        in chart_titles(offline)
    assert "per=100k" in offline.url
    _chart_titled(offline, "by sex and age, per 100,000 people").screenshot(
        path=str(artifacts_dir / "victims-gbr-sex-age-per-100k.png"))
    section = offline.get_by_role("heading", name="Who the victims are")
    section.scroll_into_view_if_needed()
    offline.screenshot(path=str(artifacts_dir / "page-country-victims.png"))

    offline.goto(f"{app_server.url}/country?country=NGA&origin_year=2019")
    settle(offline)
    assert_no_errors(offline)
    abroad = _chart_titled(offline, "Where citizens of Nigeria were detected as victims abroad")
    abroad.screenshot(path=str(artifacts_dir / "victims-nga-abroad.png"))
    assert offline.outside == []


# -- a formula in the data ----------------------------------------------------------------------
@pytest.fixture
def formula_server(bundled_db_template, tmp_path, artifacts_dir):
    """The dashboard on a private database where one figure's source and note are a formula."""
    db = tmp_path / "formula.duckdb"
    shutil.copyfile(bundled_db_template, db)
    figure = pl.DataFrame(
        {"iso3": ["GBR"], "year": [2020], "measure": ["victims_reported"], "value": [42.0],
         "value_status": ["reported"], "lower": [None], "upper": [None],
         "source_id": ["formula_test"], "note": [FORMULA]},
        schema_overrides={"year": pl.Int32, "lower": pl.Float64, "upper": pl.Float64},
    )
    with Store(db) as store:
        store.commit_batch(
            BatchMeta(kind="cli", file_name="synthetic-formula.csv", sha256=None,
                      organisation="Test", note="synthetic test figure"),
            figure,
            [Source(id="formula_test", publisher="Test", title="Synthetic formula test",
                    citation=FORMULA)],
        )
    server = start_app_server(db, artifacts_dir / "streamlit-formula-server.log")
    yield server
    stop_app_server(server)


def test_csv_download_neutralises_a_formula_cell(formula_server, offline, artifacts_dir):
    # The fresh server's very first request is a deep link: it must still go through app.py.
    offline.goto(f"{formula_server.url}/country?country=GBR")
    settle(offline)
    assert_no_errors(offline)
    nav = " ".join(offline.locator('[data-testid="stSidebarNavLink"]').all_inner_texts())
    assert "Compare countries" in nav
    with offline.expect_download() as download:
        visible_button(offline, "cty_measures_csv").click()
    path = artifacts_dir / "download-gbr-figures.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"),
                                           newline="")))
    reported = [r for r in rows if r["measure"] == "victims_reported"]
    assert len(reported) == 1
    assert reported[0]["source"] == "'" + FORMULA
    assert reported[0]["note"] == "'" + FORMULA
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values()
                   if cell)
    assert offline.outside == []
