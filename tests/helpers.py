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
