"""The Data and methodology page's coverage charts, built once per process and shared by every
session (like pages/compare_figures.py and pages/country_figures.py): a chart depends only on
the data version and the choices passed here, so a view of the page builds only what nobody
asked for before (issue 20: the two heatmaps cost about 0.9 s of the server's time on every
view)."""

from __future__ import annotations

from indicators import view_charts
from indicators.store import DataVersion, Snapshot
from pages.caching import per_version
from pages.shared import Built, _key, built_view


@per_version(8)
def _summary(version: DataVersion, years: tuple[int, int], lang: str,
             _snapshot: Snapshot) -> Built:
    return built_view(view_charts.coverage_summary(_snapshot, _snapshot.observations, years,
                                                   lang))


def coverage_summary(years: tuple[int, int], lang: str) -> Built:
    """How many countries have a figure for each measure and year
    (``view_charts.coverage_summary``)."""
    version, snapshot = _key()
    return _summary(version, (int(years[0]), int(years[1])), lang, snapshot)


@per_version(128)
def _countries(version: DataVersion, measure: str, years: tuple[int, int], region: str | None,
               lang: str, _snapshot: Snapshot) -> Built:
    return built_view(view_charts.coverage_countries(_snapshot, _snapshot.observations, measure,
                                                     years, region=region, lang=lang))


def coverage_countries(measure: str, years: tuple[int, int], region: str | None,
                       lang: str) -> Built:
    """Which countries (of ``region``, or all) have a figure for ``measure`` in which years
    (``view_charts.coverage_countries``)."""
    version, snapshot = _key()
    return _countries(version, measure, (int(years[0]), int(years[1])), region, lang, snapshot)
