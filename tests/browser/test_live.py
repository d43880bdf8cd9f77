"""The dashboard and the command line at the same time, in a real browser.

* DuckDB: two app processes serve one database file while every command runs from "another
  terminal"; an import and a rollback made by the command line show on both dashboards by
  themselves, within seconds, with no click.
* PostgreSQL: the server stops while the dashboard serves: every page says so in plain words
  and keeps showing the figures it had; an import fails with a plain message and changes
  nothing; when the server is back, the dashboard recovers by itself.

The figure imported here is synthetic and labelled so in its source.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import start_app_server, stop_app_server, wait_for_app

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "SYNTHETIC TEST DATA (live update test)"
WHO = ("--organisation", "Test NGO", "--contributor", "Ana")  # who submits the figures
FIGURES_LABEL = re.compile(r"Every figure for United Kingdom \((\d+)\)")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True,
                          text=True, timeout=180, cwd=ROOT)


def figure_count(tab, timeout: float = 30.0) -> int:
    label = tab.get_by_text(FIGURES_LABEL).first.inner_text(timeout=timeout * 1000)
    match = FIGURES_LABEL.search(label)
    assert match is not None, label
    return int(match.group(1))


def wait_for_count(tab, expected: int, server, timeout: float = 120.0) -> float:
    """Seconds until the page, left alone, shows ``expected`` figures. The tab is brought to
    the front (the page's own check runs on a timer in the browser, which a tab in the
    background may not get), and the count is read from here, every quarter second. A timeout
    says what the page showed, any error on it and the end of its server's log. (How soon is
    the benchmarks' business: the bound is generous, the suite runs beside heavy tests; here a
    quiet machine shows the change in about 5 s, the loaded CI machine took up to 45 s.)"""
    started = time.monotonic()
    tab.bring_to_front()
    seen: list[int] = []
    while time.monotonic() - started < timeout:
        try:
            seen.append(figure_count(tab, timeout=2.0))
        except (AssertionError, PlaywrightError):  # the page is being redrawn
            seen.append(-1)
        if seen[-1] == expected:
            return time.monotonic() - started
        time.sleep(0.25)
    errors = tab.locator('[data-testid="stException"]').all_inner_texts()
    log = Path(server.log_path).read_text(errors="replace").splitlines()[-40:]
    raise AssertionError(f"the page at {server.url} did not show {expected} figures within "
                         f"{timeout:.0f} s; it showed {sorted(set(seen))}; errors on the page: "
                         f"{errors or 'none'}; the server's figures are {served_version(server)};"
                         " the end of its server's log:\n" + "\n".join(log))


def served_version(server) -> str:
    """The data version the server's process holds in memory (its read API says), to tell a
    server that missed a change from a page that was not redrawn."""
    try:
        with urllib.request.urlopen(server.url + "/api/v1/measures.json", timeout=10) as answer:
            return f"data version {answer.headers.get('X-Data-Version')}"
    except OSError as exc:
        return f"unknown ({exc})"


@pytest.fixture
def two_servers(bundled_db_template: Path, tmp_path: Path, artifacts_dir: Path):
    db = tmp_path / "shared.duckdb"
    shutil.copyfile(bundled_db_template, db)
    servers = [start_app_server(db, artifacts_dir / f"streamlit-live-{i}.log") for i in (1, 2)]
    yield db, servers
    for server in servers:
        stop_app_server(server)


def test_commands_run_while_two_dashboards_serve_one_file(two_servers, browser, tmp_path,
                                                          artifacts_dir):
    db, servers = two_servers
    tabs = []
    for server in servers:
        tab = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
        tab.goto(server.url + "/country?country=GBR")
        wait_for_app(tab)
        tabs.append(tab)
    before = figure_count(tabs[0])
    assert figure_count(tabs[1]) == before

    # Read-only commands while both dashboards serve the file.
    for args in (["report", "--world", "--year", "2019"],
                 ["export", "--out", str(tmp_path / "figures.csv")],
                 ["history"],
                 ["backup", "--out", str(tmp_path / "backup")]):
        done = cli(*args, "--db", str(db))
        assert done.returncode == 0, (args, done.stderr)
        assert "in use by another process" not in done.stderr

    figures = tmp_path / "gbr-2022.csv"
    figures.write_text("country,year,measure,value,source,note\r\n"
                       f"GBR,2022,victims_prosecuted,5,{SOURCE},\r\n", encoding="utf-8")
    imported = cli("import", str(figures), "--db", str(db), *WHO)
    assert imported.returncode == 0, imported.stderr
    batch = re.search(r"Submitted as batch (\d+) for review", imported.stdout)
    assert batch is not None, imported.stdout
    # A submitted batch changes nothing any reader sees; a second person's approval publishes.
    approved = cli("review", "approve", batch.group(1), "--reviewer", "Ben", "--db", str(db))
    assert approved.returncode == 0, approved.stderr
    print("approved; the servers held", [served_version(server) for server in servers])
    # Both dashboards show it by themselves (no click): the page checks every few seconds.
    # (GBR's first 2022 figure also moves its recommended year from 2021 to 2022: the year
    # box's old label, sent back by the browser, matches no option; the page must stay on
    # 'recommended', not fail. AppTest cannot send a stale label: this test does.)
    pairs = list(zip(tabs, servers, strict=True))
    delays = [wait_for_count(tab, before + 1, server) for tab, server in pairs]
    tabs[0].screenshot(path=str(artifacts_dir / "live-after-import.png"), full_page=True)

    rolled = cli("rollback", batch.group(1), "--db", str(db))
    assert rolled.returncode == 0, rolled.stderr
    delays += [wait_for_count(tab, before, server) for tab, server in pairs]
    for tab in tabs:
        assert tab.locator('[data-testid="stException"]').count() == 0
        tab.context.close()
    print(f"dashboards showed the command line's changes after {max(delays):.1f} s at most")


def test_a_stopped_database_server_is_said_plainly_and_recovered_from(browser, artifacts_dir,
                                                                     tmp_path):
    from benchmarks.postgres import TempPostgres
    from indicators.bundled import init_database
    from indicators.store import Store

    server = TempPostgres().start()  # our own server: this test stops it
    try:
        url = server.create("outage")
        with Store(url) as store:
            init_database(store)
        app = start_app_server(url, artifacts_dir / "streamlit-outage.log")
        try:
            tab = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
            tab.goto(app.url + "/")
            wait_for_app(tab)
            server.stop()
            banner = tab.get_by_text("The database is not answering since")
            banner.wait_for(timeout=30_000)
            assert tab.locator('[data-testid="stMetric"]').count() >= 5  # the figures stay
            assert tab.locator('[data-testid="stException"]').count() == 0
            tab.screenshot(path=str(artifacts_dir / "outage-banner.png"), full_page=True)

            figures = tmp_path / "during-outage.csv"
            figures.write_text("country,year,measure,value,source,note\r\n"
                               f"GBR,2022,victims_prosecuted,5,{SOURCE},\r\n", encoding="utf-8")
            refused = cli("import", str(figures), "--db", url, *WHO)
            assert refused.returncode == 1
            assert refused.stderr.startswith("error: The database server at ")
            assert "cannot be reached" in refused.stderr and "Traceback" not in refused.stderr

            # A page opened now, with the server still down, says so and stops cleanly.
            other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            other.goto(app.url + "/compare")
            wait_for_app(other)
            assert other.locator('[data-testid="stException"]').count() == 0

            server.restart()
            banner.wait_for(state="detached", timeout=30_000)
            assert tab.locator('[data-testid="stException"]').count() == 0
            done = cli("import", str(figures), "--db", url, *WHO)
            assert done.returncode == 0, done.stderr
            batch = re.search(r"Submitted as batch (\d+) for review", done.stdout)
            assert batch is not None, done.stdout
            approved = cli("review", "approve", batch.group(1), "--reviewer", "Ben", "--db", url)
            assert approved.returncode == 0, approved.stderr
            other.reload()
            wait_for_app(other)
            assert other.get_by_role("heading", name="Compare countries").count() == 1
            with Store(url, read_only=True) as store:
                assert store.observation_count() == 73666  # the refused import left nothing
            tab.context.close()
            other.context.close()
        finally:
            stop_app_server(app)
    finally:
        server.cleanup()
