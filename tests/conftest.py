"""Shared fixtures: a real DuckDB file built once from the bundled data, copied per test."""

from __future__ import annotations

import shutil
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
