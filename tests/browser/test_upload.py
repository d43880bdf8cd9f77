"""Upload in a real browser: sign in, a refused file, a preview, a submission, the history, and
the figure on the Compare page once a second person approved it. Screenshots go to
tests/artifacts/."""

from __future__ import annotations

from indicators.cli import main
from tests.browser.conftest import wait_for_app, wait_for_tables
from tests.browser.helpers import (
    contributor_server,
    send_one_new_figure,
    send_the_refused_file,
    sign_in,
)

TOKEN = "browser-test-token-5b1e"
SOURCE = "SYNTHETIC TEST DATA (browser test)"
upload_server = contributor_server("upload", "Browser NGO", TOKEN)


def test_upload_refused_then_imported_then_shown(upload_server, tall_page, artifacts_dir,
                                                 tmp_path):
    tab = tall_page
    tab.goto(upload_server.url + "/upload")
    wait_for_app(tab)
    uploader = tab.locator('[data-testid="stFileUploader"]')
    assert uploader.count() == 1
    assert uploader.locator('input[type="file"]').is_disabled()  # locked before sign-in

    tab.get_by_role("textbox", name="Contributor token").fill("a-wrong-token")
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text("This token is not valid.").wait_for()
    assert uploader.locator('input[type="file"]').is_disabled()

    sign_in(tab, TOKEN, name="Ana", signed_in="Signed in as Ana, for Browser NGO.")
    assert uploader.locator('input[type="file"]').is_enabled()

    send_the_refused_file(tab)
    wait_for_tables(tab, 1)
    listing = tab.locator('[data-testid="stText"]').filter(has_text="Row 3, column 'country'")
    assert "'Congo' could mean more than one place" in listing.inner_text()
    assert "→ Write the ISO3 code of the one you mean" in listing.inner_text()
    tab.screenshot(path=str(artifacts_dir / "upload-errors.png"), full_page=True)

    send_one_new_figure(tab, tmp_path, SOURCE)
    wait_for_tables(tab, 2)
    row = tab.locator('[data-testid="stDataFrame"] tr').filter(has_text="victims_prosecuted")
    assert "no data" in row.last.inner_text() and "new" in row.last.inner_text()
    tab.screenshot(path=str(artifacts_dir / "upload-preview.png"), full_page=True)

    tab.get_by_role("button", name="Submit 1 figure for review").click()
    tab.get_by_text("Submitted as batch 6 for review: nothing changes for readers until a "
                    "reviewer who is not you approves it.").wait_for()
    wait_for_app(tab)
    # a second person publishes it (tests/browser/test_review.py follows the review itself)
    assert main(["review", "approve", "6", "--reviewer", "Rita", "--db",
                 str(upload_server.db_path)]) == 0

    tab.goto(upload_server.url + "/history")
    wait_for_app(tab)
    wait_for_tables(tab, 2)
    batch_row = tab.locator('[data-testid="stDataFrame"] tr').filter(has_text="kenya-2021.csv")
    assert "Browser NGO" in batch_row.first.inner_text()
    tab.get_by_text("Batch 6 wrote 1 figure").wait_for()
    tab.screenshot(path=str(artifacts_dir / "history.png"), full_page=True)

    tab.goto(upload_server.url
             + "/compare?indicator=victims_prosecuted&countries=KEN&year=2021")
    wait_for_app(tab)
    wait_for_tables(tab, 1)
    kenya = tab.locator('[data-testid="stDataFrame"] tr').filter(has_text="KEN")
    cells = [c.strip() for c in kenya.first.locator("td").all_inner_texts()]
    # the value rests on Browser NGO's series, and says so beside its source
    assert "Kenya" in cells and "7" in cells, cells
    assert f"{SOURCE} (contributed by Browser NGO)" in cells, cells
    assert tab.locator('[data-testid="stException"]').count() == 0
    tab.screenshot(path=str(artifacts_dir / "compare-after-upload.png"), full_page=True)


def test_upload_is_switched_off_without_credentials(app_server, page, artifacts_dir):
    """The shared server has no contributor tokens: the page says how to switch uploads on."""
    page.goto(app_server.url + "/upload")
    wait_for_app(page)
    page.get_by_text("Uploads are switched off on this server").wait_for()
    code = page.locator('[data-testid="stCode"]').first.inner_text()
    assert 'indicators token new "Example NGO"' in code
    uploader = page.locator('[data-testid="stFileUploader"]')
    assert uploader.locator('input[type="file"]').is_disabled()
    page.screenshot(path=str(artifacts_dir / "upload-switched-off.png"), full_page=True)
