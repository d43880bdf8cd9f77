"""Fixtures of the unit tests: the synthetic world of chart_fixtures, and the export browser."""

from __future__ import annotations

import polars as pl
import pytest

from indicators import figure_export, views
from tests.unit.chart_fixtures import synthetic_countries, synthetic_frame


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    """The synthetic world's indicator rows (``synthetic_frame``)."""
    return synthetic_frame()


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    """The synthetic world's places by code: 'AAA' → its name."""
    return views.scope_names(synthetic_countries())


@pytest.fixture(scope="module", autouse=True)
def _stop_export_browser():
    """No module leaves the export browser (kaleido's Chromium) running: a module that made
    images closes it when done (nothing to do for the others)."""
    yield
    figure_export.stop_exporter()
