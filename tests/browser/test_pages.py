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

import polars as pl
import pytest

from indicators.store import BatchMeta, Source, Store
from tests.browser.conftest import CHROMIUM_ARGS, start_app_server, stop_app_server  # noqa: F401
from tests.browser.helpers import offline_tab
from tests.review import publish

PAGES = {
    "overview": ("", "Anti-Trafficking Indicators"),
    "compare": ("compare", "Compare countries"),
    "country": ("country", "Country profile"),
    "methodology": ("methodology", "Data and methodology"),
}
FORMULA = '=HYPERLINK("http://x","y")'
LOAD_TIMEOUT = 120_000


# -- helpers -------------------------------------------------------------------------------------
@pytest.fixture
def offline(browser):
    """A browser tab that can reach only 127.0.0.1; ``tab.outside`` lists what it tried."""
    with offline_tab(browser, LOAD_TIMEOUT, viewport={"width": 1400, "height": 1000},
                     accept_downloads=True) as tab:
        yield tab


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
    assert titles[:2] == ["Victim identification rate, 2003–2022",
                          "Victim identification rate in 2019"]
    legend = svg_texts(offline, '[data-testid="stPlotlyChart"] .legend')[0]
    assert "United Kingdom" in legend and "Nigeria" in legend and "World" in legend
    assert "countries=GBR%2CNGA%2CWORLD" in offline.url
    assert "indicator=identification_rate" in offline.url
    assert offline.outside == []


def test_a_country_change_redraws_only_the_chart_over_time_and_the_ranking(app_server,
                                                                          offline):
    """The map and the table are not rebuilt or sent again when the countries change: their
    DOM nodes are the same objects before and after (the page reruns only the fragments that
    depend on the selection), while the chart over time and the ranking show the new country;
    the address bar follows, so the link reproduces the new view."""
    query = "indicator=identification_rate&countries=GBR,NGA,WORLD&year=2019"
    offline.goto(f"{app_server.url}/compare?{query}")
    settle(offline)
    offline.evaluate("""() => {
        const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
        charts.forEach((c, i) => { c.querySelector('.js-plotly-plot').__marked = 'chart' + i; });
        document.querySelector('[data-testid="stDataFrame"]').__marked = 'table';
    }""")
    field = offline.locator('[data-testid="stMultiSelect"]').filter(
        has_text="Countries and regions").locator("input").first
    field.click()
    field.fill("France")
    field.press("Enter")
    offline.keyboard.press("Escape")
    offline.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .legendtext')]
            .some(e => e.textContent.includes('France'))""", timeout=LOAD_TIMEOUT)
    settle(offline)
    marks = offline.evaluate("""() => ({
        charts: [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
            .map(c => c.__marked || null),
        table: document.querySelector('[data-testid="stDataFrame"]').__marked || null,
        ranking: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')][1]
            .textContent.includes('France'),
    })""")
    assert marks["charts"][2] == "chart2"  # the map: the very same element
    assert marks["table"] == "table"
    assert marks["charts"][0] is None and marks["charts"][1] is None  # drawn anew
    assert marks["ranking"]
    assert "countries=GBR%2CNGA%2CWORLD%2CFRA" in offline.url
    assert_no_errors(offline)
    # The new link, opened in a fresh tab, shows the same selection.
    link = offline.url
    offline.goto("about:blank")
    offline.goto(link)
    settle(offline)
    tags = offline.locator('[data-testid="stMultiSelect"] [data-tag-index]')
    assert [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())] == [
        "United Kingdom", "Nigeria", "World", "France"]
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
    assert download.value.suggested_filename == "conviction-rate-2003-2022.png"

    with offline.expect_download(timeout=180_000) as download:
        visible_button(offline, "cmp_lines_svg").click()
    svg_path = artifacts_dir / "download-conviction-rate.svg"
    download.value.save_as(svg_path)
    root = ET.fromstring(svg_path.read_bytes())
    text = " ".join(" ".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert "Conviction rate, 2003–2022" in text
    assert "Source: UNODC, Global Report on Trafficking in Persons" in text
    assert "Data as of: UNODC data portal release of 14 April 2025" in text
    assert root.get("width") == "1600" and root.get("height") == "900"
    assert offline.outside == []


def _chart_titled(tab, title: str):
    """The chart whose title is ``title``."""
    return tab.locator('[data-testid="stPlotlyChart"]').filter(
        has=tab.locator(".gtitle", has_text=title)).first


def test_who_the_victims_are_on_the_country_profile(app_server, offline, artifacts_dir):
    offline.goto(f"{app_server.url}/country?country=GBR&year=2019")
    settle(offline)
    assert_no_errors(offline)
    assert offline.get_by_role("heading", name="Who the victims are").is_visible()
    titles = chart_titles(offline)
    for title in ("United Kingdom: detected victims by sex and age, 2009–2022",
                  "United Kingdom: detected victims by form of exploitation, 2009–2022",
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
    assert "United Kingdom: detected victims by sex and age, per 100,000 people, 2009–2022" \
        in chart_titles(offline)
    assert "per=100k" in offline.url
    _chart_titled(offline, "by sex and age, per 100,000 people").screenshot(
        path=str(artifacts_dir / "victims-gbr-sex-age-per-100k.png"))
    section = offline.get_by_role("heading", name="Who the victims are")
    section.scroll_into_view_if_needed()
    offline.screenshot(path=str(artifacts_dir / "page-country-victims.png"))

    offline.goto(f"{app_server.url}/country?country=NGA&year=2020")
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
        publish(  # submitted, then approved by a second person: shown on the pages
            store,
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
    cite, text = path.read_bytes().decode("utf-8-sig").split("\n", 1)
    assert cite.startswith("# Cite as: Data: UNODC")  # the API's citation line, then the rows
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    reported = [r for r in rows if r["measure"] == "victims_reported"]
    assert len(reported) == 1
    assert reported[0]["source"] == "'" + FORMULA
    assert reported[0]["note"] == "'" + FORMULA
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values()
                   if cell)
    assert offline.outside == []


# -- issue 13: the review, as a brief writer reads it ---------------------------------------------
REVIEW = {
    "overview": "",
    "compare-gbr-nga": "compare?indicator=identification_rate&countries=GBR,NGA,WORLD&year=2019",
    "nigeria": "country?country=NGA",
    "methodology": "methodology",
}


def page_text(tab) -> str:
    return tab.locator('[data-testid="stMain"]').inner_text()


@pytest.mark.parametrize("name", list(REVIEW))
def test_the_review_pages_say_what_a_brief_can_quote(app_server, offline, artifacts_dir, name):
    offline.goto(f"{app_server.url}/{REVIEW[name]}")
    settle(offline)
    assert_no_errors(offline)
    text = page_text(offline)
    charts = " ".join(svg_texts(offline, '[data-testid="stPlotlyChart"] text'))
    if name == "overview":
        # one year, proxies never plain "met", numbers a reader can say
        # the 2025 release (tests/pages/test_overview_page.py computes these by hand): 2022,
        # world conviction 1 in 5,708–5,808 over 75 countries, its line 1 in 18,326 in 2025
        assert "2022 is the latest year with figures for at least half as many" in text
        assert text.count("Target met on a proxy") == 2
        assert "1 in 5,700–5,800" in text and "0.017%" not in text
        assert "75 of 246 countries and territories" in text
        assert "reaches 1 in 18,000 in 2025" in text and "reaches -" not in text
    elif name == "compare-gbr-nga":
        # 8.7% is "not met" (no "on track" for an annual target); Nigeria and the world are on
        # a log axis, not on the zero line; the 2017 jump is marked
        assert "✗ Not met" in charts and "On track" not in charts
        assert "1 in 1,000" in charts and "10%" in charts
        assert "break?" in charts
        # 2019: GBR 10,627 / 122,000 = 8.7%; NGA 1,152 / 1,611,000 = 1 in 1,400; the world
        # 81,754 detected (114 countries, Pakistan's 32,022 new in the 2025 release) over
        # 33,204,000 estimated = 1 in 406, said "1 in 410"
        assert "8.7%" in charts and "1 in 1,400" in charts and "1 in 410" in charts
        assert "Log scale" in charts
    elif name == "nigeria":
        labels = offline.locator('[data-testid="stMetricLabel"]').all_inner_texts()
        assert [label.strip() for label in labels] == ["Nigeria, 2022"] * 6  # 5 cards and SDG
        assert "From a proxy" in text and "This country has the figures." in text
        assert "Persons convicted" in charts and "Each panel has its own scale" in charts
    else:
        assert text.count("How it differs from ours.") == 3
        assert "Persons convicted per person prosecuted, world, 2022" in text
        assert "of 246 countries and territories" in text
    full_screenshot(offline, artifacts_dir / f"review-{name}.png")
    assert offline.outside == []


MAP_PATHS = """() => document.querySelectorAll('[data-testid="stPlotlyChart"]')[2]
                   .querySelectorAll('.geolayer path.choroplethlocation').length"""


def _remove_last_country(tab) -> None:
    box = tab.locator('[data-testid="stMultiSelect"]').filter(has_text="Countries and regions")
    field = box.locator("input").first
    field.click()
    field.press("Backspace")
    tab.keyboard.press("Escape")
    tab.wait_for_timeout(500)
    settle(tab)


def test_the_map_follows_the_chosen_countries_only_when_asked(app_server, offline):
    base = f"{app_server.url}/compare?indicator=identification_rate&countries=WORLD,GBR,NGA"
    # off (the default): the map is left as it is when the countries change
    offline.goto(base)
    settle(offline)
    offline.evaluate("""() => { document.querySelectorAll('[data-testid="stPlotlyChart"]')[2]
                                  .dataset.seen = 'before'; }""")
    paths = offline.evaluate(MAP_PATHS)
    _remove_last_country(offline)
    assert offline.evaluate("""() => document.querySelectorAll('[data-testid="stPlotlyChart"]')
                                     [2].dataset.seen""") == "before"
    assert offline.evaluate(MAP_PATHS) == paths
    # on: the chosen countries are outlined (one more shape each) and follow the selection
    offline.goto(base + "&mark=on")
    settle(offline)
    assert offline.evaluate(MAP_PATHS) == paths + 2  # GBR and NGA outlined; WORLD is no shape
    _remove_last_country(offline)  # Nigeria
    assert offline.evaluate(MAP_PATHS) == paths + 1
    assert "mark=on" in offline.url
    assert offline.outside == []
