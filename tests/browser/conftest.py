"""A real `streamlit run` on a free loopback port, and Debian's chromium driven by Playwright.

Never `playwright install`: the browser is /usr/bin/chromium, installed by `make test`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import server as app_process
from tests.helpers import bundled_copy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


@dataclass
class AppServer:
    url: str
    db_path: Path
    process: subprocess.Popen
    log_path: Path


def start_app_server(db_path: Path, log_path: Path, env_extra: dict[str, str] | None = None,
                     timeout: float = 90.0) -> AppServer:
    """`streamlit run app.py` on a free loopback port (the benchmarks start it the same way)."""
    started = app_process.start(db_path, log_path, env_extra=env_extra, timeout=timeout)
    return AppServer(started.url, db_path, started.process, log_path)


def stop_app_server(server: AppServer) -> None:
    app_process.stop(app_process.Server(server.url, server.process, server.log_path))


@contextmanager
def own_server(template: Path, directory: Path, log: Path,
               env_extra: dict[str, str] | None = None) -> Iterator[AppServer]:
    """The dashboard on a ``bundled_copy`` in ``directory``, stopped afterwards."""
    server = start_app_server(bundled_copy(template, directory), log, env_extra=env_extra)
    try:
        yield server
    finally:
        stop_app_server(server)


def _worker_suffix() -> str:
    """'-gw1' on an xdist worker ('' alone): each worker's shared server logs to its own file."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"-{worker}" if worker else ""


@pytest.fixture(scope="session")
def app_server(bundled_db_template: Path, tmp_path_factory: pytest.TempPathFactory,
               artifacts_dir: Path) -> Iterator[AppServer]:
    """The dashboard on the bundled data, shared by the read-only browser tests."""
    # Nothing else writes to this copy, so its pages need not look for new figures every
    # 2 s: a timed look that arrives while a choice's parts are drawing stops them and the page
    # then redraws in full (pages/shared.py, ``part``), which the tests that check that a
    # country change leaves the map alone would count as the map rebuilt. The timed look is
    # tested with servers of their own (test_live.py, test_downloads.py).
    with own_server(bundled_db_template, tmp_path_factory.mktemp("browser"),
                    artifacts_dir / f"streamlit-server{_worker_suffix()}.log",
                    {"INDICATORS_WATCH_SECONDS": "600"}) as server:
        yield server


@pytest.fixture
def tall_page(browser):
    """A tab in a tall window, so that screenshots hold the whole page (Streamlit scrolls
    inside)."""
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def wait_for_tables(tab, count: int) -> None:
    """Until the page shows at least ``count`` tables (and a moment for them to fill)."""
    tab.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=\"stDataFrame\"] table').length >= {count}")
    tab.wait_for_timeout(300)


# `browser`, the process's one Chromium, is in tests/conftest.py (other folders use it too).


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def wait_for_app(tab, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the page script."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    # Twice, a moment apart: a fresh server's first request reruns once through app.py
    # (pages/shared.py), and the status widget can vanish between the two runs.
    for _ in range(2):
        tab.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
            " && document.querySelectorAll('[data-testid=\"stMain\"] *').length > 10"
            " && document.querySelectorAll('[data-testid=\"stSidebarNavLink\"]').length > 0",
            polling=250, timeout=timeout,  # on a timer: a tab in the background gets no frames
        )
        tab.wait_for_timeout(600)
