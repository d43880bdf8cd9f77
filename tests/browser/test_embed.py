"""A chart alone, as another site embeds it (/api/v1/charts/, indicators.api.images), in
Chromium with the outside world cut off: the iframe draws the chart with plotly.js and the
map's base file from the dashboard's own server, and asks no other site for anything."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401
from tests.browser.helpers import offline_tab

TIMEOUT = 60_000


@pytest.fixture
def offline(browser):
    """A browser tab that can reach only 127.0.0.1; ``tab.outside`` lists what it tried."""
    with offline_tab(browser, TIMEOUT, viewport={"width": 1200, "height": 900}) as tab:
        yield tab


def test_an_embedded_lines_chart_draws_in_an_iframe_of_another_page(app_server, offline,
                                                                    artifacts_dir):
    address = (f"{app_server.url}/api/v1/charts/lines.html?indicator=conviction_rate"
               "&countries=GBR,WORLD&years=2010-2019")
    errors: list[str] = []
    offline.on("pageerror", lambda error: errors.append(str(error)))
    # what a newsroom's page holds: the snippet's iframe, nothing else
    offline.set_content(f'<!DOCTYPE html><html lang="en"><body><iframe src="{address}" '
                        'title="Conviction rate" width="1000" height="760"></iframe></body>'
                        '</html>')
    frame = offline.frame_locator("iframe")
    frame.locator("#chart .main-svg").first.wait_for(timeout=TIMEOUT)
    frame.locator("#chart .legendtext").first.wait_for(timeout=TIMEOUT)
    legend = frame.locator("#chart .legendtext").evaluate_all(
        "texts => texts.map(t => t.textContent)")
    assert "United Kingdom" in legend and "World" in legend
    label = frame.locator("#chart").get_attribute("aria-label")
    assert "1 in 490 in 2019" in label  # GBR 2019: 251 / 122,000
    offline.screenshot(path=str(artifacts_dir / "embed-lines.png"))
    assert errors == []
    assert offline.outside == []


def test_an_embedded_map_draws_its_country_shapes_offline(app_server, offline,
                                                          artifacts_dir):
    offline.goto(f"{app_server.url}/api/v1/charts/map.html?indicator=conviction_rate"
                 "&year=2019&map=status")
    offline.locator("#chart .geolayer path.choroplethlocation").first.wait_for(timeout=TIMEOUT)
    assert offline.locator("#chart .geolayer path.choroplethlocation").count() > 100
    assert offline.title() == "Conviction rate: status up to 2019"
    assert offline.locator("html").get_attribute("lang") == "en"
    offline.screenshot(path=str(artifacts_dir / "embed-map.png"))
    assert offline.outside == []
