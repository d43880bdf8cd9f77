"""The Compare page's figures, built once per process and shared by every session: a figure
depends only on the data version, the settings and the few choices passed here (see
``pages.shared.Built``)."""

from __future__ import annotations

import polars as pl

from indicators import figure_export, i18n, page_state, view_charts, views
from indicators.compute import WORLD
from indicators.settings import IndicatorSettings
from indicators.store import DataVersion, Snapshot
from pages.caching import per_version
from pages.shared import (
    Built,
    _default_year,
    _frame_for,
    _indicators,
    _key,
    _names,
    built_view,
    world_geojson,
)


@per_version(8)
def _compare_choices(version: DataVersion, lang: str, _snapshot: Snapshot
                     ) -> tuple[list[int], list[str]]:
    defaults = IndicatorSettings()
    base = _indicators(version, defaults.baseline_year, defaults.use_proxies, _snapshot)
    years = sorted(base["year"].unique().to_list())
    return years, views.scope_options(base, _snapshot.countries, _names(version, _snapshot),
                                      lang)


def compare_choices(lang: str = i18n.ENGLISH) -> tuple[list[int], list[str]]:
    """The Compare page's choices under the default settings: every year of the indicator
    grid, and every scope that can be picked (``views.scope_options``), the countries in the
    order of their names in ``lang``."""
    version, snapshot = _key()
    return _compare_choices(version, lang, snapshot)



@per_version(256)
def _compare_lines(version: DataVersion, baseline_year: int, use_proxies: bool,
                   indicator: str, scopes: tuple[str, ...], years: tuple[int, int],
                   scale: str, lang: str, _snapshot: Snapshot) -> Built:
    settings = IndicatorSettings(baseline_year=baseline_year, use_proxies=use_proxies)
    frame = _frame_for(version, baseline_year, use_proxies, indicator, _snapshot)
    made = view_charts.lines(_snapshot, frame, settings, indicator, scopes, years, scale,
                             lang)
    return built_view(made)


def compare_lines(settings: IndicatorSettings, indicator: str, scopes: list[str],
                  years: tuple[int, int], scale: str, lang: str = i18n.ENGLISH) -> Built:
    """The chart over time of the chosen scopes (``charts.indicator_lines``), in ``lang``
    (part of the cache's key: each language its own figure)."""
    version, snapshot = _key()
    return _compare_lines(version, settings.baseline_year, settings.use_proxies, indicator,
                          tuple(scopes), (int(years[0]), int(years[1])), scale, lang,
                          snapshot)


@per_version(256)
def _compare_ranking(version: DataVersion, baseline_year: int, use_proxies: bool,
                     indicator: str, year: int, scopes: tuple[str, ...], scale: str,
                     lang: str, _snapshot: Snapshot) -> Built:
    frame = _frame_for(version, baseline_year, use_proxies, indicator, _snapshot)
    made = view_charts.ranking(_snapshot, frame, indicator, year, scopes, scale, lang)
    return built_view(made)


def compare_ranking(settings: IndicatorSettings, indicator: str, year: int,
                    scopes: list[str], scale: str, lang: str = i18n.ENGLISH) -> Built:
    """The ranking of the chosen scopes in one year (``charts.ranking_bars``), in ``lang``."""
    version, snapshot = _key()
    return _compare_ranking(version, settings.baseline_year, settings.use_proxies, indicator,
                            int(year), tuple(scopes), scale, lang, snapshot)


@per_version(64)
def _compare_latest(version: DataVersion, baseline_year: int, use_proxies: bool,
                    indicator: str, year: int, first_year: int, _snapshot: Snapshot,
                    ) -> tuple[pl.DataFrame, pl.DataFrame, bytes]:
    """Every country's latest figure (the map's rows) and the table made from them, with the
    table's CSV bytes; shared by the map in both modes and the table."""
    frame = _frame_for(version, baseline_year, use_proxies, indicator, _snapshot)
    latest = view_charts.latest(_snapshot, frame, indicator, year, first_year)
    table = views.compare_table(latest)
    return latest, table, figure_export.chart_csv(table)


@per_version(64)
def _compare_table(version: DataVersion, baseline_year: int, use_proxies: bool,
                   indicator: str, year: int, first_year: int, lang: str, _snapshot: Snapshot,
                   ) -> tuple[pl.DataFrame, bytes]:
    """The table in ``lang`` (the English one is ``_compare_latest``'s own)."""
    latest, table, csv = _compare_latest(version, baseline_year, use_proxies, indicator,
                                            year, first_year, _snapshot)
    if lang == i18n.ENGLISH:
        return table, csv
    table = views.compare_table(latest, lang)
    return table, figure_export.chart_csv(table)


@per_version(64)
def _compare_map(version: DataVersion, baseline_year: int, use_proxies: bool,
                 indicator: str, year: int, first_year: int, mode: str,
                 marked: tuple[str, ...], lang: str, _snapshot: Snapshot) -> Built:
    latest, _, _ = _compare_latest(version, baseline_year, use_proxies, indicator, year,
                                   first_year, _snapshot)
    made = view_charts.world_map(_snapshot, latest, world_geojson(), indicator, year,
                                 first_year, mode, marked, lang)
    return built_view(made)


def compare_map(settings: IndicatorSettings, indicator: str, year: int, first_year: int,
                mode: str, marked: tuple[str, ...] = (), lang: str = i18n.ENGLISH) -> Built:
    """Every country's latest figure on the map (``charts.world_map``). By default the country
    selection plays no part, so changing it reuses the map already built; ``marked`` (the
    chosen countries, when the page is asked to outline them) makes it depend on them. In
    ``lang``."""
    version, snapshot = _key()
    return _compare_map(version, settings.baseline_year, settings.use_proxies, indicator,
                        int(year), int(first_year), mode, tuple(marked), lang, snapshot)


def compare_table(settings: IndicatorSettings, indicator: str, year: int,
                  first_year: int, lang: str = i18n.ENGLISH) -> tuple[pl.DataFrame, bytes]:
    """The table under the map (``views.compare_table``) and its CSV bytes, in ``lang``."""
    version, snapshot = _key()
    return _compare_table(version, settings.baseline_year, settings.use_proxies, indicator,
                          int(year), int(first_year), lang, snapshot)


def warm_default_view(snapshot: Snapshot) -> None:
    """Build what a first visitor to Compare with no link sees (the page's defaults:
    ``page_state.parse_compare`` of an empty query, in English): the chart over time, the
    ranking, the map and the table, when the server starts (``pages.shared.warm_up``)."""
    version = snapshot.version
    years, options = _compare_choices(version, i18n.ENGLISH, snapshot)
    state, _notices = page_state.parse_compare({}, scopes=options, years=(years[0], years[-1]))
    view = page_state.view_key(state.indicator, state.per)
    baseline, proxies, scopes = state.baseline, state.proxies, tuple(state.scopes)
    chosen = state.years
    _compare_lines(version, baseline, proxies, view, scopes, chosen, state.scale, i18n.ENGLISH,
                   snapshot)
    shown = views.countries_of(snapshot.countries, scopes)
    year = state.year or _default_year(version, baseline, proxies, shown, snapshot).year \
        or years[-1]
    _compare_ranking(version, baseline, proxies, view, year, scopes or (WORLD,), state.scale,
                     i18n.ENGLISH, snapshot)
    first_year = min(int(chosen[0]), year)
    _compare_map(version, baseline, proxies, view, year, first_year, state.map_mode, (),
                 i18n.ENGLISH, snapshot)
    _compare_table(version, baseline, proxies, view, year, first_year, i18n.ENGLISH, snapshot)
