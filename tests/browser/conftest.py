"""A real `streamlit run` on a free loopback port, and Debian's chromium driven by Playwright.

Never `playwright install`: the browser is /usr/bin/chromium, installed by `make test`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    url: str
    db_path: Path
    process: subprocess.Popen
    log_path: Path


def start_app_server(db_path: Path, log_path: Path, env_extra: dict[str, str] | None = None,
                     timeout: float = 90.0) -> AppServer:
    port = free_port()
    env = {**os.environ, "INDICATORS_DB": str(db_path), **(env_extra or {})}
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return AppServer(url, db_path, process, log_path)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s; see {log_path}")


def stop_app_server(server: AppServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def app_server(bundled_db_template: Path, tmp_path_factory: pytest.TempPathFactory,
               artifacts_dir: Path) -> Iterator[AppServer]:
    """The dashboard on the bundled data, shared by the read-only browser tests."""
    db = tmp_path_factory.mktemp("browser") / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, db)
    server = start_app_server(db, artifacts_dir / "streamlit-server.log")
    yield server
    stop_app_server(server)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


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
            timeout=timeout,
        )
        tab.wait_for_timeout(600)
