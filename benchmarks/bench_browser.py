"""Benchmark 4: Chromium (Debian's, driven by Playwright) on the bundled data.

Timings, 20 runs each, in one run of the benchmark:

* first view, fresh browser context (nothing cached) → every chart of Compare drawn (the chart
  over time, the ranking and the map: each Plotly chart has drawn its SVG);
* the same for the reference: a one-chart Streamlit page on the same UNODC data
  (benchmarks/reference_app.py), served the same way, so the ratio says what Compare costs
  beyond Streamlit's own page load;
* country selection changed → chart redrawn: in an open Compare page, a country is added to
  (or removed from) the "Countries and regions" selection by typing, as a person does; the clock
  stops when the chart's series have changed and been drawn;
* the same change until the chart's words fit it: static/phone.js cuts a footer line wider than
  the page's column again after the chart is drawn (the figure's lines are cut for the 1600 px
  export), so the clock stops when every line of the footer is inside the chart;
* the same change seen on the wire: from the moment Chromium sends its message to the moment
  the new chart arrives. Benchmark 5's client is checked against this (it must send what the
  browser sends: the messages are recorded and compared), so its numbers describe real tabs.

The servers are warmed by one visit first; times include Streamlit's websocket round trip, the
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
GOAL_REDRAW = (0.25, 0.45)  # p50 (issue 20), p95 seconds
GOAL_FIRST_VIEW_S = 2.5
GOAL_FIRST_VIEW_RATIO = 1.3  # issue 20

MAIN_CHART = "document.querySelector('[data-testid=\"stMain\"] .js-plotly-plot')"


def all_drawn(count: int) -> str:
    """JS: at least ``count`` Plotly charts on the page have drawn, and the run has ended."""
    return f"""() => {{
        const charts = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
        return charts.length >= {count} && charts.every(gd => gd._fullLayout && gd.data
            && gd.data.length > 0 && gd.querySelector('.main-svg'));
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
# the main chart's footer wholly inside the chart, its phone.js fitting done
FITTED = f"""() => {{
    const gd = {MAIN_CHART};
    if (!gd || !gd._fullLayout || gd.__phoneBusy) return false;
    const footer = [...gd.querySelectorAll('.annotation-text')]
        .find(e => e.textContent.startsWith('Source'));
    const svg = gd.querySelector('.main-svg');
    if (!footer || !svg) return false;
    return footer.getBoundingClientRect().right - svg.getBoundingClientRect().left
        <= gd._fullLayout.width + 1;
}}"""


class Wire:
    """Chromium's websocket messages, parsed: when it sent a widget change, and when the first
    chart of the answer arrived."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, object]] = []
        self.charts: list[float] = []

    def attach(self, page) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        def on_sent(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                msg = BackMsg()
                msg.ParseFromString(payload)
                if msg.WhichOneof("type") == "rerun_script":
                    self.sent.append((time.perf_counter(), msg.rerun_script))

        def on_received(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                msg = ForwardMsg()
                msg.ParseFromString(payload)
                if msg.WhichOneof("type") == "delta" and \
                        msg.delta.WhichOneof("type") == "new_element" and \
                        msg.delta.new_element.WhichOneof("type") == "plotly_chart":
                    self.charts.append(time.perf_counter())

        page.on("websocket", lambda ws: (ws.on("framesent", on_sent),
                                         ws.on("framereceived", on_received)))

    def redraw_after(self, moment: float) -> tuple[float | None, object | None]:
        """(seconds from the change's message to its first chart, that message)."""
        change = next(((t, m) for t, m in self.sent if t >= moment and len(
            m.widget_states.widgets) and not m.is_auto_rerun), None)
        if change is None:
            return None, None
        chart = next((t for t in self.charts if t >= change[0]), None)
        return (chart - change[0] if chart is not None else None), change[1]


def first_views(browser, url: str, charts: int, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        start = time.perf_counter()
        tab.goto(url)
        tab.wait_for_function(all_drawn(charts), timeout=120_000)
        times.append(time.perf_counter() - start)
        context.close()
    return times


def measure(url: str, reference_url: str | None, runs: int = RUNS,
            page_path: str = PAGE) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    target = f"{url.rstrip('/')}/{page_path}"
    out: dict[str, object] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            for address, count in ((target, 3), (reference_url, 1)):
                if address is None:
                    continue
                warm = browser.new_context(viewport={"width": 1400, "height": 1000})
                tab = warm.new_page()
                tab.goto(address)
                tab.wait_for_function(all_drawn(count), timeout=120_000)
                warm.close()
            # Alternate the two pages, so both meet the same machine load.
            compare, reference = [], []
            progress(f"browser: {runs} first views of {target}"
                     + (f" and of {reference_url}" if reference_url else ""))
            for _ in range(runs):
                compare += first_views(browser, target, 3, 1)
                if reference_url:
                    reference += first_views(browser, reference_url, 1, 1)
            out["first_view"] = compare
            out["reference_first_view"] = reference

            progress(f"browser: {runs} country-selection changes")
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            wire = Wire()
            wire.attach(tab)
            tab.goto(target)
            tab.wait_for_function(all_drawn(3), timeout=120_000)
            tab.wait_for_function(IDLE, timeout=120_000)
            box = tab.locator('[data-testid="stMultiSelect"]').filter(has_text=SELECT_LABEL)
            field = box.locator("input").first
            redraw, fitted, on_wire, messages = [], [], [], []
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
                tab.wait_for_function(FITTED, timeout=120_000, polling=10)
                fitted.append(time.perf_counter() - start)
                tab.keyboard.press("Escape")
                tab.wait_for_function(IDLE, timeout=120_000)
                seconds, message = wire.redraw_after(start - 0.05)
                if seconds is not None:
                    on_wire.append(seconds)
                if message is not None:
                    messages.append(message)
            context.close()
            out["redraw"] = redraw
            out["redraw_fitted"] = fitted
            out["redraw_on_wire"] = on_wire
            out["messages"] = [describe(m) for m in messages]
        finally:
            browser.close()
    return out


def describe(rerun_script: object) -> str:
    """What one of Chromium's change messages carries (to compare with benchmark 5's)."""
    widgets = rerun_script.widget_states.widgets
    kinds = sorted({w.WhichOneof("value") for w in widgets})
    return (f"rerun_script: {len(widgets)} widget states ({', '.join(kinds)}), fragment_id "
            f"{rerun_script.fragment_id or 'none'}, auto rerun {rerun_script.is_auto_rerun}")


def run(runs: int = RUNS) -> Result:
    import shutil
    import tempfile
    from pathlib import Path

    from benchmarks import server as srv

    result = Result.of("browser", "4. Browser: Chromium via Playwright, first view and redraw")
    tmp = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    servers = []
    try:
        db = srv.bundled_db(tmp)
        servers.append(srv.start(db, tmp / "app.log"))
        servers.append(srv.start(db, tmp / "reference.log", script="benchmarks/reference_app.py"))
        measured = measure(servers[0].url, servers[1].url, runs)
    finally:
        for server in servers:
            srv.stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    result.data.update(measured)
    rows = []
    for name, label in (
            ("first_view", "fresh context → every chart of Compare drawn (3 charts)"),
            ("reference_first_view", "fresh context → the reference page's chart drawn "
             "(benchmarks/reference_app.py)"),
            ("redraw", "country selection changed → chart redrawn"),
            ("redraw_fitted", "the same change → the chart's footer fitted to the page's column "
             "(static/phone.js)"),
            ("redraw_on_wire", "the same change on the wire: Chromium's message → new chart "
             "arrives")):
        values = measured.get(name) or []
        if not values:
            continue
        rows.append([label, len(values), f"{percentile(values, 50):.2f}",
                     f"{percentile(values, 95):.2f}", f"{max(values):.2f}"])
        progress(f"browser: {name}: p50 {percentile(values, 50):.2f} s, "
                 f"p95 {percentile(values, 95):.2f} s")
    result.tables.append((f"Page `{PAGE}` on the bundled data, headless Chromium",
                          ["what", "runs", "p50 s", "p95 s", "max s"], rows))
    redraw = measured["redraw"]
    p50, p95 = percentile(redraw, 50), percentile(redraw, 95)
    result.goals.append((f"country change → chart redrawn p50 ≤ {GOAL_REDRAW[0]} s, p95 ≤ "
                         f"{GOAL_REDRAW[1]} s", f"p50 {p50:.2f} s, p95 {p95:.2f} s",
                         p50 <= GOAL_REDRAW[0] and p95 <= GOAL_REDRAW[1]))
    first = percentile(measured["first_view"], 50)
    reference = percentile(measured["reference_first_view"], 50)
    ratio = first / reference if reference else float("nan")
    result.goals.append((f"first view of Compare ≤ {GOAL_FIRST_VIEW_RATIO}× the one-chart "
                         f"page and ≤ {GOAL_FIRST_VIEW_S} s (p50)",
                         f"{first:.2f} s, {ratio:.2f}× the reference's {reference:.2f} s",
                         ratio <= GOAL_FIRST_VIEW_RATIO and first <= GOAL_FIRST_VIEW_S))
    seen = sorted(set(measured["messages"]))
    result.notes.append("What Chromium sends for a country change: " + "; ".join(seen) + ".")
    return result
