"""WCAG 2.2 AA in Chromium: axe-core on every page and in the states people reach, and a
keyboard-only path through Compare.

axe runs its default rule set (WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best
practices). A finding passes only when docs/accessibility.md lists its rule and an element it
sits in ("Allowed findings"); the list is read from the doc here, so the doc and the test
cannot drift. Screenshots of the states go to tests/artifacts/ (a11y-*.png).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import wait_for_app
from tests.browser.helpers import (
    contributor_server,
    send_one_new_figure,
    send_the_refused_file,
    sign_in,
)
from tests.browser.test_pages import full_screenshot, settle, visible_button

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "accessibility.md"
PAGES = {
    "overview": "",
    "compare": "compare?indicator=conviction_rate&countries=GBR,WORLD",
    "country": "country?country=GBR",
    "methodology": "methodology",
    "breaks": "breaks?country=GBR",
    "upload": "upload",
    "history": "history",
}
TOKEN = "accessibility-test-token-8c2d"
SOURCE = "SYNTHETIC TEST DATA (accessibility test)"
AXE = Axe()


# -- the allowed findings, read from the doc ---------------------------------------------------
def allowed_findings() -> list[tuple[str, str]]:
    """(rule, CSS selector) for each row of the doc's 'Allowed findings' table."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- allowed:start -->")[1].split("<!-- allowed:end -->")[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) >= 4 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[1].strip("`")))
    return rows


def test_the_doc_lists_each_allowed_finding_with_its_reason():
    rows = allowed_findings()
    assert rows, "docs/accessibility.md has no 'Allowed findings' table"
    assert len(set(rows)) == len(rows)
    for rule, selector in rows:
        assert re.fullmatch(r"[a-z0-9-]+", rule), rule
        assert selector.startswith("[data-testid="), selector  # Streamlit's own element


_INSIDE = """([target, selectors]) => {
    const element = document.querySelector(target);
    return !!element && selectors.some(selector => element.closest(selector));
}"""


def axe_findings(tab) -> list[str]:
    """What axe finds on the page as it is, less the allowed findings: one line per element."""
    allowed: dict[str, list[str]] = {}
    for rule, selector in allowed_findings():
        allowed.setdefault(rule, []).append(selector)
    results = AXE.run(tab)
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = node["target"]
            if (violation["id"] in allowed and len(target) == 1
                    and tab.evaluate(_INSIDE, [target[0], allowed[violation["id"]]])):
                continue
            found.append(f"{violation['id']} ({violation['help']}): {node['html'][:200]}")
    return found


def assert_accessible(tab, artifacts_dir: Path, state: str) -> None:
    """axe finds nothing that is not allowed, and every chart has a text alternative."""
    tab.wait_for_timeout(400)  # let transitions (alerts fading in) end before contrast checks
    charts = tab.evaluate("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .map(c => [c.getAttribute('role'), (c.getAttribute('aria-label') || '').trim()])""")
    assert all(role == "figure" and label.endswith(".") for role, label in charts), (state, charts)
    findings = axe_findings(tab)
    full_screenshot(tab, artifacts_dir / f"a11y-{state}.png")
    assert findings == [], f"{state}: axe found\n" + "\n".join(findings)


# -- every page, and the states the tests reach ---------------------------------------------
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_on_each_page(app_server, page, artifacts_dir, name):
    page.goto(f"{app_server.url}/{PAGES[name]}")
    settle(page)
    assert_accessible(page, artifacts_dir, name)


def test_axe_after_a_selection_and_with_details_open(app_server, page, artifacts_dir):
    page.goto(f"{app_server.url}/{PAGES['compare']}")
    settle(page)
    page.locator(".st-key-cmp_scopes input").first.fill("Nigeria")
    page.get_by_role("option", name="Nigeria").wait_for()
    assert_accessible(page, artifacts_dir, "compare-list-open")  # the list of countries open
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)
    tags = page.locator('[data-testid="stMultiSelect"] [data-tag-index]')
    assert "Nigeria" in [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())]
    assert_accessible(page, artifacts_dir, "compare-selected")

    page.goto(f"{app_server.url}/{PAGES['country']}")
    settle(page)
    page.get_by_text("Every figure for United Kingdom").click()
    page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').wait_for()
    assert_accessible(page, artifacts_dir, "country-figures-open")

    page.goto(f"{app_server.url}/{PAGES['methodology']}")
    settle(page)
    for summary in page.locator('[data-testid="stExpander"] summary').all():
        summary.click()
    # the last of its two: the page's own section, then docs/methodology.md in the expander
    page.get_by_role("heading", name="Releases and revisions").last.wait_for()
    assert_accessible(page, artifacts_dir, "methodology-open")


a11y_server = contributor_server("a11y", "Access NGO", TOKEN)


def test_axe_while_a_contributor_uploads_and_reads_the_history(a11y_server, page,
                                                               artifacts_dir, tmp_path):
    tab = page
    tab.goto(a11y_server.url + "/upload")
    wait_for_app(tab)
    sign_in(tab, TOKEN, name="Ana", signed_in="Signed in as Ana, for Access NGO.")
    assert_accessible(tab, artifacts_dir, "upload-signed-in")

    send_the_refused_file(tab)
    tab.locator('[data-testid="stDataFrame"] table').first.wait_for(state="attached")
    assert_accessible(tab, artifacts_dir, "upload-errors")

    send_one_new_figure(tab, tmp_path, SOURCE)
    assert_accessible(tab, artifacts_dir, "upload-preview")

    tab.get_by_role("button", name="Submit 1 figure for review").click()
    tab.get_by_text("Submitted as batch 6 for review").first.wait_for()
    wait_for_app(tab)
    assert_accessible(tab, artifacts_dir, "upload-submitted")

    tab.get_by_role("link", name="Open the History page").click()  # the same session
    wait_for_app(tab)
    tab.get_by_role("heading", name="Awaiting review").wait_for()
    tab.locator('[data-testid="stDataFrame"] table').first.wait_for(state="attached")
    assert_accessible(tab, artifacts_dir, "history-awaiting-review")


# -- the keyboard ------------------------------------------------------------------------------
_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const widget = e.closest('[class*="st-key-"]');
    const r = e.getBoundingClientRect();
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    const top = document.elementFromPoint(x, y);
    return {
        key: widget ? [...widget.classList].find(c => c.startsWith('st-key-')).slice(7) : null,
        tag: e.tagName,
        name: (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 60),
        visible: e.matches(':focus-visible'),
        // WCAG 2.4.11: what is drawn at the middle of the focused element is that element
        // (or inside it), not something laid over it.
        obscured: !(top && (top === e || e.contains(top) || top.contains(e)
                            || (widget && widget.contains(top)))),
    };
}"""


def focus_area(tab):
    """A clip around the focused element, its ring included (drawn just outside its box)."""
    box = tab.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height]; }""")
    x, y = max(box[0] - 6, 0), max(box[1] - 6, 0)
    return {"x": x, "y": y, "width": box[2] + 12, "height": box[3] + 12}


def _focus_shows(tab, stop: str) -> None:
    """The focused element looks different from the same element unfocused (WCAG 2.4.7).
    Leaves the focus off: Chromium starts the next Tab from the element just left."""
    area = focus_area(tab)
    focused_look = tab.screenshot(clip=area)
    tab.evaluate("() => document.activeElement.blur()")
    tab.wait_for_timeout(150)
    assert tab.screenshot(clip=area) != focused_look, f"no focus indicator on {stop}"


def press_tab_until(tab, key: str, tag: str | None = None, limit: int = 60) -> list[str]:
    """Press Tab until the focus is on the widget ``key`` (on its ``tag`` element when given).

    At every stop the focus must be visible (WCAG 2.4.7: ``:focus-visible`` matches and the
    element looks different with the focus than without) and not hidden under other content
    (2.4.11). Returns the stops, for the report."""
    stops: list[str] = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        tab.wait_for_timeout(120)
        now = tab.evaluate(_FOCUSED)
        assert now is not None, f"Tab left the page after {stops}"
        stops.append(f"{now['key'] or now['tag']}: {now['name']}")
        assert now["visible"], f"focus not visible on {stops[-1]}"
        assert not now["obscured"], f"focus hidden under other content on {stops[-1]}"
        _focus_shows(tab, stops[-1])
        if now["key"] == key and (tag is None or now["tag"] == tag):
            tab.keyboard.press("Shift+Tab")  # back onto it, by keyboard
            tab.keyboard.press("Tab")
            tab.wait_for_timeout(120)
            again = tab.evaluate(_FOCUSED)
            assert again and again["key"] == key and again["visible"], (stops, again)
            return stops
    raise AssertionError(f"Tab never reached {key}; stops: {stops}")


def test_keyboard_only_choose_an_indicator_add_a_country_download_a_chart(
        app_server, page, artifacts_dir):
    tab = page
    tab.goto(f"{app_server.url}/compare?indicator=conviction_rate&countries=GBR")
    settle(tab)

    # 1. Choose an indicator: Tab to the list, type part of its name, Enter.
    press_tab_until(tab, "cmp_indicator", "INPUT")
    tab.keyboard.type("identification")
    tab.get_by_role("option", name="4. Victim identification rate").wait_for()
    tab.keyboard.press("Enter")
    settle(tab)
    assert tab.get_by_role("heading", name="4. Victim identification rate").is_visible()
    assert "indicator=identification_rate" in tab.url

    # 2. Add a country: Tab to the countries box, type, Enter, Escape closes the list.
    press_tab_until(tab, "cmp_scopes", "INPUT")
    tab.keyboard.type("Nigeria")
    tab.get_by_role("option", name="Nigeria").wait_for()
    tab.keyboard.press("Enter")
    tab.keyboard.press("Escape")
    settle(tab)
    tags = tab.locator('[data-testid="stMultiSelect"] [data-tag-index]')
    assert [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())] == [
        "United Kingdom", "Nigeria"]
    assert "countries=GBR%2CNGA" in tab.url
    tab.screenshot(path=str(artifacts_dir / "a11y-keyboard-country-added.png"))

    # 3. Download the chart over time as PNG: Tab to its button, Enter.
    press_tab_until(tab, "cmp_lines_png")
    tab.screenshot(path=str(artifacts_dir / "a11y-keyboard-png-focused.png"))
    with tab.expect_download(timeout=180_000) as download:
        tab.keyboard.press("Enter")
    assert download.value.suggested_filename == "identification-rate-2003-2022.png"
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)
    assert visible_button(tab, "cmp_lines_png").is_visible()
