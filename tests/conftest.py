"""Shared fixtures: a real DuckDB file built once from the bundled data, copied per test."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from indicators.bundled import init_database
from indicators.store import Store

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def bundled_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data loaded once into a database file; tests copy it, never change it."""
    path = tmp_path_factory.mktemp("template") / "bundled.duckdb"
    with Store(path) as store:
        init_database(store)
    return path


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
