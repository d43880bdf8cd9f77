"""The pages' charts that the read API also draws alone, built from a snapshot: the Compare
view's indicator over time, ranking of one year and world map, and a Country profile's
published figures, victims by sex and age or by form of exploitation, coverage strip and
places, and the Data and methodology page's two coverage heatmaps. One function per chart,
used by the pages (``pages/shared.py`` keeps what Compare builds per data version) and by
the read API's chart-only addresses (``indicators.api.images``), so the page and an embedded
chart are the same figure.

Each function returns the figure, the exact rows it draws (the CSV download and the API twin
hold them) and its one-sentence text alternative (``indicators.alt_text``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from indicators import alt_text, charts, i18n, series_views, victims, views
from indicators.settings import IndicatorSettings
from indicators.store import Snapshot

# Each countries table's scope names, worked out once: every new selection needs them, and a
# snapshot's table stays the same object for as long as the snapshot lives. Kept with the table
# itself, so a new table (new data) never gets an old one's names.
_NAMES: dict[tuple[int, bool, str | None], tuple[pl.DataFrame, dict[str, str]]] = {}
_NAMES_KEPT = 16


def _scope_names(countries: pl.DataFrame, lang: str | None = None,
                 localised: bool = False) -> dict[str, str]:
    """``views.scope_names`` of ``countries`` (with ``localised``, each name in ``lang`` by
    ``i18n.place_name``), a copy of the one worked out for this table before."""
    key = (id(countries), localised, lang if localised else None)
    found = _NAMES.get(key)
    if found is None or found[0] is not countries:
        names = views.scope_names(countries)
        if localised:
            names = {k: i18n.place_name(k, v, lang) for k, v in names.items()}
        if len(_NAMES) >= _NAMES_KEPT:
            _NAMES.clear()
        found = _NAMES[key] = (countries, names)
    return dict(found[1])


@dataclass(frozen=True)
class ViewChart:
    """A chart as a page shows it: the figure, the rows it draws and its text alternative.

    ``drawn`` is the figure, or for the charts a new selection draws (over time, ranking) its
    ``charts.Draft``: a page sends the draft's dict, and the figure (``fig``) is made the first
    time it is asked for (an export), once."""

    drawn: go.Figure | charts.Draft
    data: pl.DataFrame
    alt: str

    @functools.cached_property
    def fig(self) -> go.Figure:
        return charts.as_figure(self.drawn)


def lines(snapshot: Snapshot, frame: pl.DataFrame, settings: IndicatorSettings,
          indicator: str, scopes: Sequence[str], years: tuple[int, int],
          scale: str = "auto", lang: str | None = None) -> ViewChart:
    """The chart over time of ``scopes`` (``charts.indicator_lines``), with the note of what
    the values rest on where a figure is not plain official; its words in ``lang`` (English
    by default), the places named by ``i18n.place_name``."""
    names = _scope_names(snapshot.countries, lang, localised=True)
    rows = views.lines_data(frame, indicator, list(scopes), years, names)
    countries_only = all(views.is_country_code(s) for s in scopes)
    rows = series_views.with_series_note(rows, series_views.indicator_basis_notes(
        snapshot.observations, snapshot.adoptions, indicator,
        iso3s=list(scopes) if countries_only else None, years=years))
    fig = charts.indicator_lines_draft(
        rows, indicator, sources=views.sources_used(rows["source"], snapshot.sources),
        baseline_year=settings.baseline_year, deadline_year=settings.deadline_year,
        years=years, scale=scale, lang=lang)
    return ViewChart(fig, rows, alt_text.lines(rows, indicator, lang))


def ranking(snapshot: Snapshot, frame: pl.DataFrame, indicator: str, year: int,
            scopes: Sequence[str], scale: str = "auto", lang: str | None = None) -> ViewChart:
    """The ranking of ``scopes`` in ``year`` (``charts.ranking_bars``); its words and names in
    ``lang`` (English by default)."""
    rows = views.ranking_data(frame, indicator, year, list(scopes),
                              _scope_names(snapshot.countries))
    fig = charts.ranking_bars_draft(
        rows, indicator, sources=views.sources_used(rows["source"], snapshot.sources),
        year=year, scale=scale, lang=lang)
    return ViewChart(fig, rows, alt_text.ranking(rows, indicator, year, lang))


def latest(snapshot: Snapshot, frame: pl.DataFrame, indicator: str, year: int,
           first_year: int) -> pl.DataFrame:
    """Every country's latest figure from ``first_year`` to ``year`` (the map's rows, and the
    table's under it), with what each value rests on in its note."""
    countries = snapshot.countries
    regions_of = dict(zip(countries["iso3"].to_list(), countries["region"].to_list(),
                          strict=True))
    rows = views.latest_figures(frame, indicator, year, first_year,
                                _scope_names(countries), regions_of)
    return series_views.with_row_notes(rows, snapshot.observations, snapshot.adoptions,
                                       indicator)


def world_map(snapshot: Snapshot, rows: pl.DataFrame, geojson: dict, indicator: str,
              year: int, first_year: int, mode: str = "value",
              marked: Sequence[str] = (), lang: str | None = None) -> ViewChart:
    """``latest``'s rows on the world map (``charts.world_map``); its words and names in
    ``lang`` (English by default)."""
    fig = charts.world_map(
        rows, indicator, geojson=geojson,
        sources=views.sources_used(rows["source"], snapshot.sources),
        year=year, first_year=first_year, mode=mode, marked=tuple(marked), lang=lang)
    return ViewChart(fig, rows, alt_text.world_map(rows, indicator, year, first_year, lang))


# -- a Country profile's charts ------------------------------------------------------------------
def country_figures(snapshot: Snapshot, figures: pl.DataFrame, iso3: str, name: str,
                    years: tuple[int, int], lang: str | None = None) -> ViewChart:
    """A country's published counts over time (``charts.measure_lines``), with the note of
    what they rest on where a figure is not plain official; in ``lang`` (English by default;
    ``name`` is given in it)."""
    counts = views.raw_count_measures()
    rows = series_views.with_series_note(
        views.measure_series(figures, iso3, counts),
        series_views.basis_notes(figures, snapshot.adoptions, iso3s=[iso3], years=years,
                                 measures=counts))
    fig = charts.measure_lines(
        rows, country_name=name, sources=views.sources_used(rows["source"], snapshot.sources),
        years=years, expected=counts, lang=lang)
    return ViewChart(fig, rows, alt_text.published_figures(rows, name, lang))


def victim_split(snapshot: Snapshot, figures: pl.DataFrame, iso3: str, name: str, split: str,
                 years: tuple[int, int], per_100k: bool = False, form_age: str = victims.ALL,
                 form_sex: str = victims.ALL, lang: str | None = None) -> ViewChart | None:
    """A country's detected victims by sex and age or by form of exploitation over time
    (``charts.split_lines``), as counts or per 100,000 people; the forms for all ages, or for
    ``form_age`` (children, adults) and ``form_sex`` within it. None when the country
    publishes no breakdown of its victims at all. The years run from the first breakdown to
    the later of ``years``' end and the last breakdown. In ``lang`` (English by default;
    ``name`` is given in it)."""
    every = victims.victim_splits(figures, iso3)
    if every.is_empty():
        return None
    # the same years whichever group is chosen, so the axis stays put
    first, last = int(every["year"].min()), int(every["year"].max())
    splits = every if (form_age, form_sex) == (victims.ALL, victims.ALL) else \
        victims.victim_splits(figures, iso3, form_age=form_age, form_sex=form_sex)
    span = (min(first, years[1]), max(years[1], last))
    rows = victims.split_rows(splits, split)
    cited = rows["source"].to_list() + (rows["population_source"].to_list() if per_100k
                                        else [])
    group = None if split != victims.FORM or form_age == victims.ALL else \
        victims.form_group_words(form_age, form_sex, lang)
    fig = charts.split_lines(rows, split, country_name=name,
                             sources=views.sources_used(cited, snapshot.sources), years=span,
                             per_100k=per_100k, group=group, lang=lang)
    return ViewChart(fig, rows, charts.split_alt(rows, split, country_name=name,
                                                 per_100k=per_100k, group=group, lang=lang))


def coverage_strip(snapshot: Snapshot, figures: pl.DataFrame, iso3: str, name: str,
                   years: tuple[int, int], lang: str | None = None) -> ViewChart:
    """Which of a country's figures exist for which years (``charts.coverage_strip``); in
    ``lang`` (English by default; ``name`` is given in it)."""
    rows = views.coverage_strip_data(figures, iso3, years)
    fig = charts.coverage_strip(rows, country_name=name,
                                sources=views.sources_used(rows["source"], snapshot.sources),
                                lang=lang)
    return ViewChart(fig, rows, alt_text.coverage_strip(rows, name, lang))


# The Country profile's two charts of places: the page's words for each (its title's start, and
# what the page says in a year without figures).
PLACE_TITLES = {
    victims.CITIZENSHIP: i18n.N_("{name}: citizenship of the victims detected in"),
    victims.ABROAD: i18n.N_("Citizens of {name} detected as victims abroad in"),
}
PLACE_NONE = {
    victims.CITIZENSHIP: i18n.N_("{name} published no citizenships of its detected victims"),
    victims.ABROAD: i18n.N_("No other country reported victims with the citizenship of "
                            "{name}"),
}


def places(snapshot: Snapshot, figures: pl.DataFrame, iso3: str, name: str, kind: str,
           year: int, lang: str | None = None) -> ViewChart | None:
    """Where a country's detected victims come from (``victims.CITIZENSHIP``), or where its
    nationals were detected abroad (``victims.ABROAD``), in ``year``: the largest places drawn
    (``charts.citizenship_bars`` or ``charts.abroad_bars``); None when that year has no such
    figures (the page then offers the nearest year that has them). In ``lang`` (English by
    default; ``name`` is given in it)."""
    if year not in victims.place_years(figures, iso3, kind):
        return None
    shown = victims.places(figures, iso3, kind, year, _scope_names(snapshot.countries),
                           lang=lang)
    bars = charts.citizenship_bars if kind == victims.CITIZENSHIP else charts.abroad_bars
    fig = bars(shown.drawn, country_name=name, year=year,
               sources=views.sources_used(shown.drawn["source"], snapshot.sources),
               note=shown.note, lang=lang)
    title = i18n.translator(lang)(PLACE_TITLES[kind]).format(name=name)
    return ViewChart(fig, shown.drawn,
                     charts.places_alt(shown.drawn, title=f"{title} {year}", note=shown.note,
                                       lang=lang, abroad=kind == victims.ABROAD))


# -- the Data and methodology page's coverage charts ---------------------------------------------
def coverage_summary(snapshot: Snapshot, figures: pl.DataFrame,
                     years: tuple[int, int], lang: str | None = None) -> ViewChart:
    """How many countries have a figure for each measure and year
    (``charts.coverage_summary_heatmap``), of the country list's countries and territories;
    in ``lang`` (English by default)."""
    rows = views.coverage_summary(figures, years)
    sources = snapshot.sources
    fig = charts.coverage_summary_heatmap(
        rows, sources=views.sources_used(sources["citation"].to_list(), sources),
        universe=views.universe(snapshot.countries), lang=lang)
    return ViewChart(fig, rows, alt_text.coverage_summary(rows, lang))


def coverage_countries(snapshot: Snapshot, figures: pl.DataFrame, measure: str,
                       years: tuple[int, int], region: str | None = None,
                       lang: str | None = None) -> ViewChart:
    """Which countries (of ``region``, or all) have a figure for ``measure`` in which years
    (``charts.coverage_heatmap``): every country with any figure, out of the country list's
    countries and territories (in the region); in ``lang`` (English by default)."""
    countries = snapshot.countries
    rows = views.coverage_matrix(figures, countries, measure, years, region=region)
    in_region = views.in_group(countries, region)
    fig = charts.coverage_heatmap(
        rows, measure, sources=views.sources_used(rows["source"], snapshot.sources),
        region=region, universe=views.universe(in_region), lang=lang)
    return ViewChart(fig, rows, alt_text.coverage_matrix(rows, measure, lang))
