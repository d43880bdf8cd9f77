"""A person at a browser on one of the test hosts: run inside that host's network namespace
(`ip netns exec HOST python -m tests.deploy.drive ...`) by tests/deploy/test_hosts.py.

    upload URL TOKEN CSV      sign in with the token, upload the file, submit it for review
    figure URL ISO3 TEXT      open the country's profile; wait until it shows TEXT

Prints one line starting with "ok" on success; anything else is a failure the test shows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app
from tests.browser.helpers import PREVIEW, send_file, sign_in


@contextmanager
def _tab() -> Iterator[Page]:
    """A tab in a fresh headless Chromium, closed afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
        tab.set_default_timeout(90_000)
        yield tab
        browser.close()


def upload(url: str, token: str, csv: str) -> None:
    with _tab() as tab:
        tab.goto(url + "/upload")
        wait_for_app(tab, timeout=120_000)
        sign_in(tab, token)
        send_file(tab, csv, PREVIEW)
        tab.get_by_role("button", name="Submit 1 figure for review").click()
        tab.get_by_text("Submitted as batch").first.wait_for()
        print("ok", tab.get_by_text("Submitted as batch").first.inner_text())


def figure(url: str, iso3: str, text: str) -> None:
    with _tab() as tab:
        tab.goto(f"{url}/country?country={iso3}")
        wait_for_app(tab, timeout=120_000)
        tab.get_by_text(text).first.wait_for(timeout=60_000)
        assert tab.locator('[data-testid="stException"]').count() == 0
        print("ok", text)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"upload": upload, "figure": figure}[command](*arguments)
