"""Shared fixtures: a real DuckDB file built once from the bundled data, copied per test."""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from indicators.bundled import init_database
from indicators.store import Store

ARTIFACTS = Path(__file__).parent / "artifacts"

# Property tests check behaviour, not speed (speed is measured in benchmarks/): no per-example
# deadline and no complaint about slow data generation, which a loaded machine would otherwise
# trip at random (DeadlineExceeded, Flaky, FailedHealthCheck).
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


# -- running on several processes -------------------------------------------------------------
# `make test` runs the tests on one worker process per core (pytest-xdist, ``-n auto``). Each
# test module runs whole on one worker, so its module-scoped fixtures are built once. The browser
# tests run in two halves of about the same length, each whole on one worker with its own
# streamlit server and chromium (the session's ``app_server`` and ``browser``): together they
# are about 40% of the suite's time, too long a unit for one worker while the other idles at
# the end. The pages and their accessibility (one half) read the shared server only.
SERIAL_FOLDERS = ("tests/browser/",)
BROWSER_FIRST_HALF = ("test_pages.py", "test_accessibility.py", "test_first_visit.py",
                      "test_smoke.py", "test_embed.py")


def _serial_unit(nodeid: str) -> str | None:
    """The work unit of a test in SERIAL_FOLDERS ('tests/browser/ (1 of 2)'), else None."""
    folder = next((f for f in SERIAL_FOLDERS if nodeid.startswith(f)), None)
    if folder is None:
        return None
    module = nodeid.split("::", 1)[0].removeprefix(folder)
    return f"{folder} ({1 if module in BROWSER_FIRST_HALF else 2} of 2)"


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # before pytest-xdist's own schedulers
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadgroup":
        return None  # another --dist asked for on the command line: xdist's own
    from xdist.scheduler import LoadGroupScheduling

    # The work units in the order they were collected (xdist would sort them by their number
    # of tests): the two halves of the browser tests, the longest units by far (about 6 minutes
    # each), start first, one on each worker, and the many short unit-test modules come last,
    # where they fill the gaps while the other worker finishes.
    config.option.loadscopereorder = False

    class ModulesAndSerialFolders(LoadGroupScheduling):
        """One work unit per test module, one per half of the browser tests, and one per
        ``xdist_group`` mark. (The scheduler reads the groups from the test ids here rather than
        from the marks' ``@group`` suffix, which pytest >= 9.2 no longer carries: xdist #1386.)"""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):
                return super()._split_scope(nodeid)
            return _serial_unit(nodeid) or nodeid.split("::", 1)[0]

    return ModulesAndSerialFolders(config, log)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """``build(path)`` run once for the whole run, even on several worker processes: the first
    to arrive builds the file under a lock, the others wait for it and use it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the workers' folders sit side by side in one folder of the run
    shared = root / "shared"
    shared.mkdir(exist_ok=True)
    path = shared / name
    with open(shared / "turn", "w") as turn:  # one builder at a time; the others wait here
        fcntl.flock(turn, fcntl.LOCK_EX)
        if not path.exists():
            building = shared / "building" / name
            building.parent.mkdir(exist_ok=True)
            build(building)
            building.rename(path)
            shutil.rmtree(building.parent)
    return path


def _load_bundled(path: Path) -> None:
    with Store(path) as store:
        init_database(store)


@pytest.fixture(scope="session")
def bundled_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data loaded once into a database file; tests copy it, never change it."""
    return built_once(tmp_path_factory, "bundled.duckdb", _load_bundled)


@pytest.fixture
def bundled_db(bundled_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the bundled database for one test."""
    path = tmp_path / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, path)
    return path


@pytest.fixture
def bundled_store(bundled_db: Path):
    with Store(bundled_db) as store:
        yield store


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# -- the two backends ------------------------------------------------------------------------------
# Every store test runs on a DuckDB file and on a PostgreSQL database of a server these fixtures
# start themselves (initdb in a temporary folder, a free loopback port) and stop afterwards.
BACKENDS = ("duckdb", "postgresql")


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for this test session (`make test` installs Debian's postgresql)."""
    from benchmarks.postgres import TempPostgres

    with TempPostgres() as server:
        yield server


def new_database(server, template: str | None = None) -> str:
    """A fresh database on ``server`` (a copy of ``template`` if given); its URL."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    copy = f' TEMPLATE "{template}"' if template else " TEMPLATE template0"
    server.psql(f'CREATE DATABASE "{name}"{copy}')
    return server.url(name)


@pytest.fixture(scope="session")
def bundled_postgres_template(postgres) -> str:
    """A database holding the bundled data, copied for each test that needs it."""
    url = new_database(postgres)
    with Store(url) as store:
        init_database(store)
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def empty_target(backend: str, tmp_path: Path, request) -> str:
    """Where a new, empty store goes: a DuckDB file path or a PostgreSQL URL."""
    if backend == "duckdb":
        return str(tmp_path / "store.duckdb")
    return new_database(request.getfixturevalue("postgres"))


@pytest.fixture
def bundled_target(backend: str, bundled_db_template: Path, tmp_path: Path, request) -> str:
    """A private store holding the bundled data, on either backend."""
    if backend == "duckdb":
        path = tmp_path / "indicators.duckdb"
        shutil.copyfile(bundled_db_template, path)
        return str(path)
    server = request.getfixturevalue("postgres")
    return new_database(server, request.getfixturevalue("bundled_postgres_template"))


@pytest.fixture(scope="session")
def browser():
    """The process's one Chromium, driven by Playwright, for every test here that needs a
    browser (tests/browser, the text-overlap test). One per process: Playwright refuses a
    second sync_playwright() while the first is open ('Sync API inside the asyncio loop'),
    which is what a module with its own failed when it shared a worker with the browser tests."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()
