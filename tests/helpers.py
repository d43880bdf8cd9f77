"""Small helpers the test folders share (their fixtures stay in the conftest files)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indicators.store import Store


def bundled_copy(template: Path, directory: Path) -> Path:
    """A copy of the bundled database (``bundled_db_template``) at
    DIRECTORY/indicators.duckdb: a test changes its copy, never the template."""
    path = directory / "indicators.duckdb"
    shutil.copyfile(template, path)
    return path


@contextmanager
def store_on_a_copy(template: Path, directory: Path) -> Iterator[Store]:
    """A store open on a fresh ``bundled_copy`` in ``directory``."""
    with Store(bundled_copy(template, directory)) as store:
        yield store


def by_language(**expected: tuple) -> dict[str, dict]:
    """``{"fr": {...}, "es": {...}}`` from ``key=(french, spanish)``: a test's expectations in
    French and Spanish written side by side, one key at a time."""
    return {lang: {key: pair[i] for key, pair in expected.items()}
            for i, lang in enumerate(("fr", "es"))}
