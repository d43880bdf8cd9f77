"""The first visitor after a start: a fresh server, a fresh browser, every state of the menu
recorded from the first byte of the page.

Streamlit takes a folder named pages/ for an old-style multipage app on the first run in a
process, and showed its file names ("app, access, compare, country, …, shared, upload") as a
menu until app.py's st.navigation replaced it. The menu must only ever list the six pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.browser.conftest import start_app_server, stop_app_server, wait_for_app

PAGES = ["Overview", "Compare countries", "Country profile", "Series breaks",
         "Data and methodology",
         "Upload figures", "History"]

# Records the menu's labels at every change of the page, from before Streamlit's first render.
RECORD_MENU = """
window.__menus = [];
new MutationObserver(() => {
  const links = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')];
  const labels = links.map(a => a.innerText.split('\\n').pop().trim());
  const last = window.__menus[window.__menus.length - 1];
  if (labels.length && JSON.stringify(labels) !== JSON.stringify(last)) {
    window.__menus.push(labels);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_the_first_visitor_never_sees_file_names_as_a_menu(browser, bundled_db_template: Path,
                                                          tmp_path: Path, artifacts_dir: Path):
    db = tmp_path / "first.duckdb"
    shutil.copyfile(bundled_db_template, db)
    server = start_app_server(db, artifacts_dir / "streamlit-first-visit.log")
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(RECORD_MENU)
        tab = context.new_page()
        tab.goto(server.url + "/")
        wait_for_app(tab)
        menus = tab.evaluate("window.__menus")
        tab.screenshot(path=str(artifacts_dir / "first-visit.png"))
        context.close()
    finally:
        stop_app_server(server)
    assert menus, "the menu was never drawn"
    assert all(menu == PAGES for menu in menus), menus
