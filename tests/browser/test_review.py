"""Four eyes in a real browser: an NGO signs in with its token and submits its casework count;
nothing changes for readers; a second person approves it; a running Compare page notices within
five seconds; and Compare with the organisation's series shows both figures for the same country
and year. Screenshots go to docs/screenshots/ (four-eyes-*.png).

The reviewer signs in on History with a reviewer's token of their own and presses Approve; the
refusal of self-review is tested in AppTest (tests/pages/test_series_pages.py).

Hand-checked values: UNODC's 251 persons convicted in the United Kingdom in 2019 over Walk
Free's 122,000 estimated victims (2021) is 0.206%, '1 in 490'; Test NGO's 9,000 over the same
122,000 is 7.38%, '7.4%'.
"""

from __future__ import annotations

import time
from pathlib import Path

from indicators.auth import REVIEWER, token_digest
from indicators.store import Store
from tests.browser.conftest import wait_for_app, wait_for_tables
from tests.browser.helpers import contributor_server

TOKEN = "browser-review-token-7c2d"
REVIEWER_TOKEN = "browser-reviewer-token-rita-41ae"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CASEWORK = ("country,year,measure,value,source,note\r\n"
            "United Kingdom,2019,persons_convicted,9000,Test NGO casework 2019,their casework\r\n")
COMPARE = "/compare?indicator=conviction_rate&countries=GBR&year=2019&years=2019-2019"


review_server = contributor_server("review", "Test NGO", TOKEN)


def _cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def _gbr_value(tab) -> str:
    """The GBR value in Compare's table of every country (its 'Value' cell)."""
    table = tab.locator('[data-testid="stDataFrame"]').filter(has_text="Estimate year")
    row = table.locator("tr").filter(has_text="GBR").first
    return _cells(row)[3]


def test_an_ngo_submits_a_reviewer_approves_compare_shows_both_series(
        review_server, tall_page, browser, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = tall_page
    tab.goto(review_server.url + "/upload")
    wait_for_app(tab)
    tab.get_by_role("textbox", name="Contributor token").fill(TOKEN)
    tab.get_by_role("textbox", name="Your name (recorded with what you send or roll back)").fill(
        "Ana")
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text("Signed in as Ana, for Test NGO.").wait_for()
    wait_for_app(tab)
    tab.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=\"stFileUploader\"] "
        "input[type=\"file\"]'); return i && !i.disabled; }")

    upload = tmp_path / "casework.csv"
    upload.write_text(CASEWORK, encoding="utf-8")
    tab.locator('input[type="file"]').set_input_files(str(upload))
    tab.get_by_text("Preview: nothing has been written yet").wait_for()
    wait_for_app(tab)
    wait_for_tables(tab, 2)
    row = tab.locator('[data-testid="stDataFrame"] tr').filter(has_text="persons_convicted").last
    # Test NGO's own series has nothing yet; UNODC's 251 stands beside it
    assert _cells(row)[-4:] == ["no data", "9,000", "new", "251"], _cells(row)
    tab.screenshot(path=str(SCREENSHOTS / "four-eyes-upload-preview.png"), full_page=True)

    tab.get_by_role("button", name="Submit 1 figure for review").click()
    tab.get_by_text("Submitted as batch 6 for review: nothing changes for readers until a "
                    "reviewer who is not you approves it.").wait_for()
    wait_for_app(tab)
    tab.screenshot(path=str(SCREENSHOTS / "four-eyes-submitted.png"), full_page=True)

    # The uploader's organisation sees it awaiting review, with its preview; no Approve button.
    # (The menu keeps the sign-in; a new address would start a new session.)
    tab.locator('[data-testid="stSidebarNavLink"]').filter(has_text="History").click()
    wait_for_app(tab)
    tab.get_by_text("Batch 6: casework.csv, sent by Ana for Test NGO").wait_for()
    wait_for_tables(tab, 3)
    assert tab.get_by_role("button", name="Approve batch 6").count() == 0
    tab.get_by_text("A reviewer who did not send this batch approves or rejects it").wait_for()
    tab.screenshot(path=str(SCREENSHOTS / "four-eyes-awaiting-review.png"), full_page=True)

    # A reader's Compare page, open while the batch waits: still UNODC's figure, one series
    reader = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    reader.set_default_timeout(60_000)
    reader.goto(review_server.url + COMPARE)
    wait_for_app(reader)
    wait_for_tables(reader, 1)
    assert _gbr_value(reader) == "1 in 490"
    series_box = reader.get_by_role("combobox", name="Series")
    assert series_box.is_disabled()  # the official figures are the only series yet

    # A second person, a reviewer with a token of their own, approves it on History
    with Store(review_server.db_path) as store:
        store.add_access_token(token_digest(REVIEWER_TOKEN), name="Rita", role=REVIEWER)
    reviewer = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    reviewer.set_default_timeout(60_000)
    reviewer.goto(review_server.url + "/history")
    wait_for_app(reviewer)
    reviewer.get_by_role("textbox", name="Contributor token").fill(REVIEWER_TOKEN)
    reviewer.get_by_role("button", name="Sign in").click()
    reviewer.get_by_text("Signed in as Rita, reviewer.").wait_for()
    wait_for_app(reviewer)
    reviewer.get_by_text("Batch 6: casework.csv, sent by Ana for Test NGO").wait_for()
    wait_for_tables(reviewer, 3)
    reviewer.screenshot(path=str(SCREENSHOTS / "four-eyes-reviewer.png"), full_page=True)
    reviewer.get_by_role("button", name="Approve batch 6").click()
    approved = time.monotonic()
    reviewer.get_by_text("Batch 6 was approved by Rita").wait_for()
    reviewer.context.close()
    # the running page notices by itself, no click: the Series box now offers Test NGO (how
    # soon is the benchmarks' business; about 3 s here on a quiet machine). The tab is brought
    # to the front and polled on a timer: a tab in the background gets no animation frames.
    reader.bring_to_front()
    reader.wait_for_function(
        "() => { const b = [...document.querySelectorAll('input[role=\"combobox\"]')]"
        ".find(i => i.getAttribute('aria-label') && i.getAttribute('aria-label')"
        ".startsWith('Series')); return b && !b.disabled; }", polling=250, timeout=90_000)
    print(f"the reader's page offered the approved series after "
          f"{time.monotonic() - approved:.1f} s")
    wait_for_app(reader)
    assert _gbr_value(reader) == "1 in 490"  # the official figure stays the default
    reader.context.close()

    tab.reload()  # signed in again below: a reader (signed out) sees the published batch
    wait_for_app(tab)
    wait_for_tables(tab, 2)
    history = tab.locator('[data-testid="stDataFrame"]').first
    batch = history.locator("tr").filter(has_text="casework.csv").first
    cells = _cells(batch)
    assert "published" in cells, cells
    # the audit trail of batch 6 (the newest batch, shown below the list): who and when
    trail = tab.locator('[data-testid="stDataFrame"]').filter(has_text="approved and published")
    steps = [_cells(r)[1:3] for r in trail.locator("tr").all() if _cells(r)]
    assert steps == [["submitted for review", "Ana"], ["approved and published", "Rita"]], steps
    tab.get_by_text("Batches awaiting review are shown to the organisation that sent them")\
        .wait_for()
    tab.screenshot(path=str(SCREENSHOTS / "four-eyes-history-approved.png"), full_page=True)

    # Compare with Test NGO's series: both figures for the United Kingdom, 2019
    tab.goto(review_server.url + COMPARE + "&series=Test%20NGO")
    wait_for_app(tab)
    wait_for_tables(tab, 2)
    assert _gbr_value(tab) == "1 in 490"
    both = tab.locator('[data-testid="stDataFrame"]').filter(has_text="contributed by Test NGO")
    rows = [_cells(r) for r in both.locator("tr").filter(has_text="GBR").all()]
    assert [r[2:5] for r in rows] == [["2019", "official", "1 in 490"],
                                      ["2019", "contributed by Test NGO", "7.4%"]], rows
    tab.get_by_text("Test NGO reports 9,000 persons convicted for United Kingdom in 2019 "
                    "(their casework); official: 251.").wait_for()
    assert tab.locator('[data-testid="stException"]').count() == 0
    heading = tab.get_by_text("Official and contributed by Test NGO", exact=True)
    heading.evaluate("h => h.scrollIntoView({block: 'start'})")
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(SCREENSHOTS / "four-eyes-compare-both-series.png"))
