"""Benchmark 4: Chromium (Debian's, driven by Playwright) on the bundled data.

Two timings, 20 runs each, on the page with the main chart (Compare countries):

* navigation → main chart drawn: a fresh browser context (nothing cached) opens the page; the
  clock stops when the first Plotly chart on the page has drawn its SVG;
* country selection changed → chart redrawn: in an open page, a country is added to (or removed
  from) the "Countries and regions" selection by typing, as a person does; the clock stops when
  the chart's series have changed and been drawn.

The server is warmed by one visit first; times include Streamlit's websocket round trip, the
script run on the server and Plotly's drawing in the browser.
"""

from __future__ import annotations

import time

from benchmarks.common import CHROMIUM, Result, percentile, progress

RUNS = 20
PAGE = "compare"
SELECT_LABEL = "Countries and regions"
ADD_COUNTRIES = ("France", "Brazil", "India", "Kenya", "Mexico", "Japan", "Egypt", "Chile")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]

MAIN_CHART = "document.querySelector('[data-testid=\"stMain\"] .js-plotly-plot')"
CHART_DRAWN = f"""() => {{
    const gd = {MAIN_CHART};
    return !!(gd && gd._fullLayout && gd.querySelector('.main-svg') && gd.data
              && gd.data.length > 0);
}}"""
SIGNATURE = f"""() => {{
    const gd = {MAIN_CHART};
    return gd && gd.data ? gd.data.map(t => t.name + ':' + (t.x ? t.x.length : 0)).join('|')
                         : '';
}}"""
CHANGED = f"""(before) => {{
    const gd = {MAIN_CHART};
    if (!gd || !gd.data || !gd._fullLayout || !gd.querySelector('.main-svg')) return false;
    const now = gd.data.map(t => t.name + ':' + (t.x ? t.x.length : 0)).join('|');
    return now !== before;
}}"""
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def _settle(page, timeout_ms: float = 120_000) -> None:
    page.wait_for_function(CHART_DRAWN, timeout=timeout_ms)
    page.wait_for_function(IDLE, timeout=timeout_ms)


def measure(url: str, runs: int = RUNS, page_path: str = PAGE) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    target = f"{url.rstrip('/')}/{page_path}"
    navigation: list[float] = []
    redraw: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            warm = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = warm.new_page()
            tab.goto(target)
            _settle(tab)
            warm.close()
            progress(f"browser: {runs} navigations to {target}")
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                tab = context.new_page()
                start = time.perf_counter()
                tab.goto(target)
                tab.wait_for_function(CHART_DRAWN, timeout=120_000)
                navigation.append(time.perf_counter() - start)
                context.close()
            progress(f"browser: {runs} country-selection changes")
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            tab.goto(target)
            _settle(tab)
            box = tab.locator('[data-testid="stMultiSelect"]').filter(has_text=SELECT_LABEL)
            field = box.locator("input").first
            for i in range(runs):
                before = tab.evaluate(SIGNATURE)
                field.click()
                if i % 2 == 0:
                    field.fill(ADD_COUNTRIES[(i // 2) % len(ADD_COUNTRIES)])
                    start = time.perf_counter()
                    field.press("Enter")
                else:
                    start = time.perf_counter()
                    field.press("Backspace")  # removes the country just added
                tab.wait_for_function(CHANGED, arg=before, timeout=120_000)
                redraw.append(time.perf_counter() - start)
                tab.keyboard.press("Escape")
                tab.wait_for_function(IDLE, timeout=120_000)
            context.close()
        finally:
            browser.close()
    return {"navigation": navigation, "redraw": redraw}


def run(runs: int = RUNS) -> Result:
    from benchmarks.server import BundledServer

    result = Result(
        key="browser",
        title="4. Browser: Chromium via Playwright, navigation and redraw",
        command="python -m benchmarks --only browser",
    )
    with BundledServer("bench-browser-streamlit.log") as server:
        measured = measure(server.url, runs)
    result.data.update(measured)
    rows = []
    for name, label in (("navigation", "navigation → main chart drawn (fresh context)"),
                        ("redraw", "country selection changed → chart redrawn")):
        values = measured[name]
        rows.append([label, len(values), f"{percentile(values, 50):.2f}",
                     f"{percentile(values, 95):.2f}", f"{max(values):.2f}"])
        progress(f"browser: {name}: p50 {percentile(values, 50):.2f} s, "
                 f"p95 {percentile(values, 95):.2f} s")
    result.tables.append((f"Page `{PAGE}` on the bundled data, headless Chromium",
                          ["what", "runs", "p50 s", "p95 s", "max s"], rows))
    return result
