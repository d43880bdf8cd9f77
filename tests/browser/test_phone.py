"""Every page on a phone (390 × 844), in one tab of one browser, with the outside world cut off:
the menu starts closed, nothing is wider than the screen, every chart is laid out for it
(title, subtitle, footer and labels inside the chart, the legend under the plot, the map's
legend under the map), and axe finds nothing. The charts' narrow layout is applied in the
browser (static/phone.js, indicators/charts/narrow.py); the exported figures do not change
(tests/unit/test_narrow.py). Screenshots: docs/screenshots/phone-*.png.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.helpers import offline_tab
from tests.browser.test_accessibility import axe_findings
from tests.browser.test_pages import LOAD_TIMEOUT, assert_no_errors, settle

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 390, 844
# Every page of the menu; Upload and History are also where the sign-in (pages/access.py) is.
PAGES = {
    "overview": "",
    "compare": "compare?indicator=conviction_rate&countries=GBR,NGA,WORLD",
    "country": "country?country=GBR",
    "breaks": "breaks?country=GBR",
    "history": "history",
    "methodology": "methodology",
    "upload": "upload",
}

# True once every chart that has a layout for a phone shows it (phone.js tells them apart by
# the title's size).
ALL_NARROW = """() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => {
    const phone = gd.layout && gd.layout.meta && gd.layout.meta.phone;
    return !phone || (gd.layout.title.font.size === phone.narrow['title.font.size']
                      && Math.abs(gd._fullLayout.height - phone.narrow.height) < 1);
})"""

# What the test measures on the page, in CSS pixels of the screen.
MEASURE = """() => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const bar = sidebar ? sidebar.getBoundingClientRect() : null;
    const charts = [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
        const svg = gd.querySelector('.main-svg').getBoundingClientRect();
        const size = gd._fullLayout._size;
        const box = r => r && {left: r.left - svg.left, right: r.right - svg.left,
                               top: r.top - svg.top, bottom: r.bottom - svg.top};
        const legend = gd.querySelector('.infolayer .legend');
        const words = [...gd.querySelectorAll('.gtitle, .gtitle-subtitle, .annotation-text')]
            .map(e => [e.textContent.slice(0, 50), box(e.getBoundingClientRect())]);
        const footer = [...gd.querySelectorAll('.annotation-text')]
            .find(e => e.textContent.startsWith('Source'));
        return {
            title: (gd.querySelector('.gtitle') || {}).textContent || '',
            phone: !!(gd.layout.meta && gd.layout.meta.phone),
            width: svg.width,
            plotBottom: size.t + size.h,
            legend: legend ? box(legend.getBoundingClientRect()) : null,
            footer: footer ? box(footer.getBoundingClientRect()) : null,
            words,
        };
    });
    return {
        scrollWidth: document.documentElement.scrollWidth,
        mainWidth: document.querySelector('[data-testid="stMain"]').scrollWidth,
        sidebarOpen: !!bar && bar.right > 1 && bar.width > 1,
        charts,
    };
}"""


def check_phone_page(tab, name: str) -> list[str]:
    """What is wrong with the page as a phone shows it: one line per problem."""
    problems = []
    seen = tab.evaluate(MEASURE)
    if seen["sidebarOpen"]:
        problems.append(f"{name}: the menu is open over the page")
    if seen["scrollWidth"] > WIDTH or seen["mainWidth"] > WIDTH:
        problems.append(f"{name}: the page is {seen['scrollWidth']}/{seen['mainWidth']} px wide")
    for chart in seen["charts"]:
        what = f"{name}, {chart['title'][:40]!r}"
        if chart["width"] > WIDTH:
            problems.append(f"{what}: the chart is {chart['width']} px wide")
        if not chart["phone"]:
            continue  # a sparkline: no words, no legend
        for text, box in chart["words"]:
            if box["left"] < -1 or box["right"] > chart["width"] + 1:
                problems.append(f"{what}: {text!r} is cut off ({box['left']:.0f} to "
                                f"{box['right']:.0f} of {chart['width']:.0f} px)")
        legend = chart["legend"]
        if legend:
            if legend["top"] < chart["plotBottom"] - 1:
                problems.append(f"{what}: the legend (top {legend['top']:.0f}) is not under "
                                f"the plot (bottom {chart['plotBottom']:.0f})")
            if legend["right"] > chart["width"] + 1:
                problems.append(f"{what}: the legend is cut off at the right")
            if chart["footer"] and chart["footer"]["top"] < legend["bottom"] - 1:
                problems.append(f"{what}: the footer overlaps the legend")
    return problems


def test_every_page_reads_on_a_phone(app_server, browser, artifacts_dir):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with offline_tab(browser, LOAD_TIMEOUT, viewport={"width": WIDTH, "height": HEIGHT}
                     ) as tab:
        for name, path in PAGES.items():
            tab.goto(f"{app_server.url}/{path}")
            settle(tab)
            tab.wait_for_function(ALL_NARROW, timeout=LOAD_TIMEOUT)
            tab.wait_for_timeout(300)
            assert_no_errors(tab)
            tab.screenshot(path=str(SHOTS / f"phone-{name}.png"))
            charts = tab.locator('[data-testid="stPlotlyChart"]')
            if charts.count():
                charts.first.scroll_into_view_if_needed()
                tab.wait_for_timeout(300)
                tab.screenshot(path=str(SHOTS / f"phone-{name}-chart.png"))
            problems += check_phone_page(tab, name)
            problems += [f"{name}: axe: {f}" for f in axe_findings(tab)]
        assert tab.outside == []

        # Wider again (a phone turned, a window widened): the charts take their own layout
        # back, as exported.
        tab.goto(f"{app_server.url}/{PAGES['compare']}")
        settle(tab)
        tab.wait_for_function(ALL_NARROW, timeout=LOAD_TIMEOUT)
        tab.set_viewport_size({"width": 1400, "height": 1000})
        tab.wait_for_function(
            """() => [...document.querySelectorAll('.js-plotly-plot')]
                .filter(gd => gd.layout.meta && gd.layout.meta.phone)
                .every(gd => gd.layout.title.font.size === 22
                        && gd.layout.legend.xref !== 'container'
                        && gd._fullLayout.height >= gd.layout.meta.phone.wide.height)""",
            timeout=LOAD_TIMEOUT)
        tab.wait_for_function(ALL_FITTED, timeout=LOAD_TIMEOUT)
        problems += check_wide_page(tab, "compare, wider again", 1400)
    assert problems == [], "\n".join(problems)


# -- wider than a phone ---------------------------------------------------------------------------
# The figures' words are cut into lines for the 1600 px export; a page's column is narrower, so
# phone.js cuts them again to the chart's width (once per figure drawn and width).
ALL_FITTED = """() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => {
    const phone = gd.layout && gd.layout.meta && gd.layout.meta.phone;
    return !phone || (!gd.__phoneBusy && gd.__fittedTo
                      && gd.__fittedTo.width === gd._fullLayout.width
                      && gd.__fittedTo.layout === gd.layout);
})"""


def check_wide_page(tab, name: str, width: int) -> list[str]:
    """Every word of every chart inside the chart, the chart inside the window."""
    problems = []
    seen = tab.evaluate(MEASURE)
    if seen["scrollWidth"] > width:
        problems.append(f"{name} at {width} px: the page is {seen['scrollWidth']} px wide")
    for chart in seen["charts"]:
        if not chart["phone"]:
            continue
        what = f"{name} at {width} px, {chart['title'][:40]!r}"
        for text, box in chart["words"]:
            if box["left"] < -1 or box["right"] > chart["width"] + 1:
                problems.append(f"{what}: {text!r} is cut off ({box['left']:.0f} to "
                                f"{box['right']:.0f} of {chart['width']:.0f} px)")
    return problems


# How each chart is laid out: the phone's layout or the figure's own (by the title's size).
LAYOUTS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.layout.meta && gd.layout.meta.phone)
    .map(gd => [gd._fullLayout.width, gd.layout.title.font.size
                === gd.layout.meta.phone.narrow['title.font.size'] ? 'narrow' : 'wide'])"""
MEDIUM = 720  # static/phone.js: a chart narrower than this takes the phone's layout


def test_every_chart_keeps_its_words_inside_at_desktop_widths(app_server, browser):
    """At 1400 px the Compare page's footers ran past the chart's right edge ('which no one
    publis…'): they were cut into lines for the 1600 px export; at 1100 px the titles too,
    and the plot was squeezed beside its legend. At 1400, 1280 and 1100 px every title,
    subtitle, footer and label of every page's charts is inside its chart, and a chart
    narrower than MEDIUM has the phone's layout (the legend under the plot)."""
    problems: list[str] = []
    narrow_seen = 0
    with offline_tab(browser, LOAD_TIMEOUT, viewport={"width": 1400, "height": 1000}
                     ) as tab:
        for width in (1400, 1280, 1100):
            tab.set_viewport_size({"width": width, "height": 1000})
            for name in ("compare", "country", "methodology", "overview"):
                tab.goto(f"{app_server.url}/{PAGES[name]}")
                settle(tab)
                tab.wait_for_function(ALL_FITTED, timeout=LOAD_TIMEOUT)
                tab.wait_for_timeout(300)
                assert_no_errors(tab)
                problems += check_wide_page(tab, name, width)
                for chart_width, layout in tab.evaluate(LAYOUTS):
                    if layout != ("narrow" if chart_width < MEDIUM else "wide"):
                        problems.append(f"{name} at {width} px: a {chart_width} px chart "
                                        f"has the {layout} layout")
                    narrow_seen += layout == "narrow"
        assert tab.outside == []
    assert problems == [], "\n".join(problems)
    assert narrow_seen >= 4  # at 1100 px, a column of about 640 px
