"""What every page test here shares."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def through_app_py(monkeypatch):
    """Every page test's runs go through app.py (its st.navigation, its language, the figures
    it takes for the run), as under `streamlit run`.
    After the first AppTest of a process, AppTest takes the pages/ folder for an old-style
    multipage folder and runs a page switched to without app.py, so in English whatever the
    link says."""
    from streamlit.runtime.pages_manager import PagesManager

    made = PagesManager.__init__

    def without_pages_folder(self, *args, **kwargs):
        made(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", without_pages_folder)


@pytest.fixture
def db(bundled_db, monkeypatch, tmp_path):
    """The pages on a private copy of the bundled data (INDICATORS_DB), with the compiled
    catalogs in a cache folder of the test's own. A module that needs more (contributor
    tokens) has a ``db`` of its own."""
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.setenv("INDICATORS_LOCALE_CACHE", str(tmp_path / "locale"))
    return bundled_db


@pytest.fixture(scope="module")
def read_only_pages() -> dict:
    """The pages a module's read-only tests share (``apptest_support.opened_once``)."""
    return {}
