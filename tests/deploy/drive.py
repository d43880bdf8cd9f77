"""A person at a browser on one of the test hosts: run inside that host's network namespace
(`ip netns exec HOST python -m tests.deploy.drive ...`) by tests/deploy/test_hosts.py.

    upload URL TOKEN CSV      sign in with the token, upload the file, import it
    figure URL ISO3 TEXT      open the country's profile; wait until it shows TEXT

Prints one line starting with "ok" on success; anything else is a failure the test shows.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app


def upload(url: str, token: str, csv: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
        tab.set_default_timeout(90_000)
        tab.goto(url + "/upload")
        wait_for_app(tab, timeout=120_000)
        tab.get_by_role("textbox", name="Contributor token").fill(token)
        tab.get_by_role("button", name="Sign in").click()
        tab.get_by_text("Signed in as").wait_for()
        wait_for_app(tab)
        tab.wait_for_function(
            "() => { const i = document.querySelector('input[type=\"file\"]');"
            " return i && !i.disabled; }")
        tab.locator('input[type="file"]').set_input_files(csv)
        tab.get_by_text("Preview: nothing has been written yet").wait_for()
        wait_for_app(tab)
        tab.get_by_role("button", name="Import 1 figure").click()
        tab.get_by_text("Imported as batch").wait_for()
        print("ok", tab.get_by_text("Imported as batch").first.inner_text())
        browser.close()


def figure(url: str, iso3: str, text: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        tab = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
        tab.set_default_timeout(90_000)
        tab.goto(f"{url}/country?country={iso3}")
        wait_for_app(tab, timeout=120_000)
        tab.get_by_text(text).first.wait_for(timeout=60_000)
        assert tab.locator('[data-testid="stException"]').count() == 0
        print("ok", text)
        browser.close()


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"upload": upload, "figure": figure}[command](*arguments)
