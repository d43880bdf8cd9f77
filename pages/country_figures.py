"""The Country profile's charts, built once per process and shared by every session, like the
Compare page's (pages/compare_figures.py): a chart depends only on the data version, the
settings and the few choices passed here, so a second visitor to a country, and every rerun of
a part of the page (a change of year, of indicator, of count or rate), builds only what is new
(issue 20: a view of a country cost about 1.3 s of the server's time, every time).

Each function takes the page's own choices and gives what ``pages.shared.chart`` draws (a
``Built``: the figure, its rows, their CSV, the page's copy of the figure, its sentence and
its read-API links), or None where ``view_charts`` has no chart.
"""

from __future__ import annotations

from indicators import alt_text, charts, view_charts, views
from indicators.settings import IndicatorSettings
from indicators.store import DataVersion, Snapshot
from pages.caching import per_version
from pages.shared import Built, _indicators, _key, _names, built, built_view

# the country's own charts drawn from its figures alone (the name, years and language given)
_OWN = {"figures": "country_figures", "coverage": "coverage_strip"}  # view_charts' functions


@per_version(128)
def _own(version: DataVersion, kind: str, iso3: str, name: str, years: tuple[int, int],
         lang: str, _snapshot: Snapshot) -> Built:
    draw = getattr(view_charts, _OWN[kind])
    return built_view(draw(_snapshot, _snapshot.observations, iso3, name, years, lang))


def country_figures(iso3: str, name: str, years: tuple[int, int], lang: str) -> Built:
    """The country's published counts over time (``view_charts.country_figures``)."""
    version, snapshot = _key()
    return _own(version, "figures", iso3, name, (int(years[0]), int(years[1])), lang, snapshot)


def coverage_strip(iso3: str, name: str, years: tuple[int, int], lang: str) -> Built:
    """Which of the country's figures exist for which years (``view_charts.coverage_strip``)."""
    version, snapshot = _key()
    return _own(version, "coverage", iso3, name, (int(years[0]), int(years[1])), lang, snapshot)


@per_version(128)
def _victims(version: DataVersion, iso3: str, name: str, split: str, years: tuple[int, int],
             per_100k: bool, form_age: str, form_sex: str, lang: str,
             _snapshot: Snapshot) -> Built | None:
    shown = view_charts.victim_split(_snapshot, _snapshot.observations, iso3, name, split, years,
                                     per_100k=per_100k, form_age=form_age, form_sex=form_sex,
                                     lang=lang)
    return None if shown is None else built_view(shown)


def victim_split(iso3: str, name: str, split: str, years: tuple[int, int], *, per_100k: bool,
                 form_age: str, form_sex: str, lang: str) -> Built | None:
    """The detected victims by sex and age or by form of exploitation
    (``view_charts.victim_split``); None when the country publishes no breakdown."""
    version, snapshot = _key()
    return _victims(version, iso3, name, split, (int(years[0]), int(years[1])), bool(per_100k),
                    form_age, form_sex, lang, snapshot)


@per_version(128)
def _places(version: DataVersion, iso3: str, name: str, kind: str, year: int, lang: str,
            _snapshot: Snapshot) -> Built | None:
    shown = view_charts.places(_snapshot, _snapshot.observations, iso3, name, kind, year, lang)
    return None if shown is None else built_view(shown)


def places(iso3: str, name: str, kind: str, year: int, lang: str) -> Built | None:
    """Where the victims come from, or where the country's nationals were detected abroad, in
    ``year`` (``view_charts.places``); None when that year has no such figures."""
    version, snapshot = _key()
    return _places(version, iso3, name, kind, int(year), lang, snapshot)


@per_version(128)
def _versus(version: DataVersion, baseline_year: int, use_proxies: bool, indicator: str,
            scopes: tuple[str, ...], years: tuple[int, int], title: str, lang: str,
            _snapshot: Snapshot) -> Built:
    settings = IndicatorSettings(baseline_year=baseline_year, use_proxies=use_proxies)
    frame = _indicators(version, baseline_year, use_proxies, _snapshot)
    lines = views.lines_data(frame, indicator, list(scopes), years, _names(version, _snapshot))
    fig = charts.indicator_lines(
        lines, indicator, sources=views.sources_used(lines["source"], _snapshot.sources),
        baseline_year=settings.baseline_year, deadline_year=settings.deadline_year,
        years=years, title=title, lang=lang)
    return built(fig, lines, alt_text.lines(lines, indicator, lang))


def versus(settings: IndicatorSettings, indicator: str, scopes: list[str],
           years: tuple[int, int], title: str, lang: str) -> Built:
    """The country against its subregion, its region and the world for ``indicator``
    (``charts.indicator_lines`` under ``title``), the scopes named as UNODC names them."""
    version, snapshot = _key()
    return _versus(version, settings.baseline_year, settings.use_proxies, indicator,
                   tuple(scopes), (int(years[0]), int(years[1])), title, lang, snapshot)
