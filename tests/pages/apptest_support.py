"""Running the dashboard's pages in Streamlit's AppTest, on a private copy of the bundled
database. Shared by the page tests in this folder."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180


def open_page(page: str | None = None, query: dict[str, str] | None = None,
              session: dict[str, object] | None = None,
              context: dict[str, object] | None = None) -> AppTest:
    """app.py run on ``page`` (e.g. 'pages/compare.py') with ``query`` in the URL and
    ``session`` in its session state (a signed-in person: ``{"contributor": ...}``);
    ``context``: what the browser says of itself (``st.context``: ``{"locale": "fr-FR"}``).

    INDICATORS_DB must already point at the database (monkeypatch.setenv). The caches are
    cleared so no test sees another test's database.
    """
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.context.update(context or {})
    for name, value in (session or {}).items():
        at.session_state[name] = value
    if page:
        at.switch_page(page)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.run()


def texts(at: AppTest) -> str:
    """Every markdown, caption and alert text on the page, for 'is this said' checks."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def no_exceptions(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []
