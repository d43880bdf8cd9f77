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


@pytest.fixture(scope="module")
def export_browser():
    """For a module whose figures go through the export browser (kaleido's Chromium): the
    browser is stopped when the module is done (``pytest.mark.usefixtures``)."""
    yield
    figure_export.stop_exporter()
