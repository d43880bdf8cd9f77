"""The Overview page as a person sees it in Chromium."""

from tests.browser.conftest import wait_for_app


def test_overview_loads_without_error(app_server, page, artifacts_dir):
    page.goto(app_server.url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Anti-Trafficking Indicators").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts_dir / "overview.png"), full_page=True)
