"""Chart-only views for embedding: ``/api/v1/charts/{kind}.{html|svg|png}``, one for each chart
of the Compare view (``lines``: an indicator over time, ``ranking``: one year's ranking,
``map``: every country's latest figure) and of a Country profile (``figures``, ``victims``,
``coverage``, and ``citizenship`` and ``abroad`` for one year) and of the Data and methodology
page (``coverage-summary``: how many countries have each figure, by year; ``coverage-countries``:
which countries have one measure's figures, by year, in a region or all), taking the page URL's
parameters.

The figure is the page's own (``indicators.view_charts``), built from the snapshot the API
answers from, so an embedded chart stays live with the data. ``.html`` is a small standalone
page holding only that figure, drawn by plotly.js and the map's base file served by this API
(``ASSETS``: no other site is asked for anything), with a title, the chart's one-sentence text
alternative (``indicators.alt_text``) for screen readers, and ``lang="en"``; ``.svg`` and
``.png`` are the images the page's buttons give (``figure_export``).

Every scope named is drawn: beyond the palette's colours the first named keep theirs and the
others are grey (``charts.indicator_lines``).

The older ``/api/v1/chart.svg|png`` (an indicator over time) answers as ``lines`` does.
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.io as pio

from indicators import charts, figure_export, victims, view_charts, views
from indicators.api import answers, params, queries
from indicators.citation import CITATION
from indicators.compute import WORLD
from indicators.measures import COUNT_VIEW_MEASURES, INDICATORS, MEASURES
from indicators.page_state import (
    DEFAULT_INDICATOR,
    MAP_MODES,
    PER_CHOICES,
    SCALES,
    MethodologyState,
    view_key,
)
from indicators.settings import STATIC_DIR, WORLD_GEOJSON, IndicatorSettings
from indicators.store import Snapshot

# the Data and methodology page's two coverage heatmaps (``coverage`` is a country's strip)
COVERAGE_SUMMARY, COVERAGE_COUNTRIES = "coverage-summary", "coverage-countries"
KINDS = ("lines", "ranking", "map", "figures", "victims", "coverage", victims.CITIZENSHIP,
         victims.ABROAD, COVERAGE_SUMMARY, COVERAGE_COUNTRIES)
# a Country profile's: one country's
COUNTRY_KINDS = ("figures", "victims", "coverage", victims.CITIZENSHIP, victims.ABROAD)
SPLITS = (victims.SEX_AGE, victims.FORM)
FORMATS = ("html", "svg", "png")
# Every chart takes the page URL's names; each uses those it needs.
CHART_PARAMS = ("indicator", "per", "countries", "year", "years", "baseline", "proxies", "scale",
                "map", "country", "split", "measure", "region", "age", "sex")
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "html": "text/html; charset=utf-8"}
PLOTLY_JS = "plotly.min.js"
TOPOJSON = "world_110m.json"  # the map's base file: plotly.js asks for it by this name
# The files a chart's page loads, served under /api/v1/charts/ by this API: name → media type.
ASSETS = {PLOTLY_JS: "text/javascript; charset=utf-8", TOPOJSON: "application/json"}
CONFIG = {
    "topojsonURL": "./",  # the map's base file, from this API (plotly.js appends its name)
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


@dataclass(frozen=True)
class ChartAsk:
    """A chart's parameters, checked: what to draw and under which settings."""

    kind: str
    indicator: str
    scopes: tuple[str, ...]
    years: tuple[int, int]
    year: int
    settings: IndicatorSettings
    scale: str
    mode: str
    country: str | None = None
    split: str = victims.SEX_AGE
    per: str = "count"
    measure: str | None = None  # coverage-countries: the measure, and its region (or all)
    region: str | None = None
    form_age: str = victims.ALL  # victims by form: all ages, children or adults, and a sex
    form_sex: str = victims.ALL


def asset(name: str) -> bytes:
    """The bytes of a file a chart's page loads (``ASSETS``)."""
    return _asset(name)


@functools.cache
def _asset(name: str) -> bytes:
    if name == PLOTLY_JS:
        return (importlib.resources.files("plotly") / "package_data" / PLOTLY_JS).read_bytes()
    if name == TOPOJSON:
        return (STATIC_DIR / TOPOJSON).read_bytes()
    raise KeyError(name)


@functools.cache
def world_geojson() -> dict:
    """The country shapes as the Compare page's map has them (simplified once a process)."""
    return charts.read_geojson(WORLD_GEOJSON, tolerance=charts.MAP_TOLERANCE)


def _choice(query: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = params.one(query, name)
    if raw is None:
        return default
    if raw.lower() not in allowed:
        raise params.bad(f"The {name} '{params.shown(raw)}' is not one of "
                         f"{', '.join(allowed)}.")
    return raw.lower()


def ask(snapshot: Snapshot, kind: str, query: Mapping[str, str]) -> ChartAsk:
    """The chart asked for, its parameters checked as the API checks them (HTTP 400 in one
    sentence for a value the data do not have)."""
    if kind not in KINDS:
        raise params.ApiError(404, f"There is no chart called '{params.shown(kind, 20)}'; the "
                                   f"charts are {', '.join(KINDS)}.")
    params.check_names(query, CHART_PARAMS)
    span = queries.year_span(snapshot)
    raw = (params.one(query, "indicator") or "").lower()
    per = _choice(query, "per", PER_CHOICES, "count")
    # a published count (as the Compare page draws it: as it is or per 100,000 people)
    indicator = view_key(raw, per) if raw in COUNT_VIEW_MEASURES \
        else params.indicator(query) or DEFAULT_INDICATOR
    scopes = tuple(params.scopes(query, queries.known_scopes(snapshot)))
    if kind == "lines" and not scopes:
        raise params.bad("Name the countries or regions to draw, such as countries=GBR,WORLD.")
    settled = queries.indicator_ask(snapshot, {k: v for k, v in query.items()
                                               if k in ("baseline", "proxies")})
    settings = IndicatorSettings(baseline_year=settled.baseline, use_proxies=settled.proxies)
    # the indicators' grid under these settings: its years are the page's default range, and
    # every page's default year comes from it
    grid = queries.indicator_frame(snapshot, settings.baseline_year, settings.use_proxies, None)
    grid_years = grid["year"].drop_nulls()
    grid_span = (int(grid_years.min()), int(grid_years.max())) if grid_years.len() else span
    years = params.year_range(query, span) or (
        queries.coverage_years(snapshot) if kind in (COVERAGE_SUMMARY, COVERAGE_COUNTRIES)
        else grid_span)
    country = None
    if kind in COUNTRY_KINDS:
        chosen = params.choice(query, "country", snapshot.countries["iso3"].to_list(),
                               "country code")
        if len(chosen) != 1:
            raise params.bad("Name one country by its ISO3 code, such as country=GBR.")
        country = chosen[0]
    year = params.year(query, "year", span)
    if year is None and kind != "lines":  # absent or 'recommended': the page's default year
        # a country profile's: its own; Compare's: the scopes drawn (the world's with it)
        shown = (country,) if country is not None else views.countries_of(
            snapshot.countries, scopes if kind == "ranking" else ())
        year = views.default_year(grid, shown).year or grid_span[1]
    measure = region = None
    if kind == COVERAGE_COUNTRIES:
        present = set(snapshot.observations["measure"].unique().to_list())
        # as the page: detected victims unless asked, or the first measure with figures
        measure = queries.coverage_measure(params.one(query, "measure")) or next(
            (m for m in (MethodologyState().measure, *MEASURES) if m in present),
            MethodologyState().measure)
        region = queries.coverage_region(snapshot, params.one(query, "region"))
    age = victims.form_age_code(params.one(query, "age"))
    form_age = _choice({"age": age} if age else {}, "age", tuple(victims.FORM_AGES),
                       victims.ALL)
    form_sex = _choice(query, "sex", tuple(victims.FORM_SEXES), victims.ALL)
    if form_sex != victims.ALL and form_age == victims.ALL:
        raise params.bad(victims.FORM_BY_SEX_NOTE.replace("choose an age group",
                                                          "give age=0-17 or age=18+"))
    return ChartAsk(kind, indicator, scopes or (WORLD,), years, year or grid_span[1], settings,
                    _choice(query, "scale", SCALES, "auto"),
                    _choice(query, "map", MAP_MODES, "value"), country,
                    _choice(query, "split", SPLITS, victims.SEX_AGE), per, measure, region,
                    form_age, form_sex)


def build(snapshot: Snapshot, asked: ChartAsk) -> view_charts.ViewChart:
    """The figure the page (Compare, or a Country profile) shows for these parameters."""
    if asked.country is not None:
        return _country_chart(snapshot, asked, asked.country)
    if asked.kind == COVERAGE_SUMMARY:
        return view_charts.coverage_summary(snapshot, snapshot.observations, asked.years)
    if asked.kind == COVERAGE_COUNTRIES:
        return view_charts.coverage_countries(snapshot, snapshot.observations,
                                              asked.measure or MethodologyState().measure,
                                              asked.years, asked.region)
    frame = queries.indicator_frame(snapshot, asked.settings.baseline_year,
                                    asked.settings.use_proxies, None) \
        if asked.indicator in INDICATORS else queries.count_view_frame(snapshot)
    if asked.kind == "lines":
        return view_charts.lines(snapshot, frame, asked.settings, asked.indicator,
                                 asked.scopes, asked.years, asked.scale)
    if asked.kind == "ranking":
        return view_charts.ranking(snapshot, frame, asked.indicator, asked.year, asked.scopes,
                                   asked.scale)
    first_year = min(asked.years[0], asked.year)  # as the page: the range's start, at most
    rows = view_charts.latest(snapshot, frame, asked.indicator, asked.year, first_year)
    return view_charts.world_map(snapshot, rows, world_geojson(), asked.indicator, asked.year,
                                 first_year, asked.mode)


def _country_chart(snapshot: Snapshot, asked: ChartAsk, iso3: str) -> view_charts.ViewChart:
    name = views.scope_names(snapshot.countries).get(iso3, iso3)
    figures = snapshot.observations  # the figures the Country profile draws
    if asked.kind == "figures":
        return view_charts.country_figures(snapshot, figures, iso3, name, asked.years)
    if asked.kind == "coverage":
        return view_charts.coverage_strip(snapshot, figures, iso3, name, asked.years)
    if asked.kind in (victims.CITIZENSHIP, victims.ABROAD):
        placed = view_charts.places(snapshot, figures, iso3, name, asked.kind, asked.year)
        if placed is None:
            years = victims.place_years(figures, iso3, asked.kind)
            what = view_charts.PLACE_NONE[asked.kind].format(name=name)
            nearest = (f"; the nearest year with figures is "
                       f"{victims.nearest(years, asked.year)}" if years else "")
            raise params.ApiError(404, f"{what} for {asked.year}{nearest}.")
        return placed
    made = view_charts.victim_split(snapshot, figures, iso3, name, asked.split, asked.years,
                                    per_100k=asked.per == "100k", form_age=asked.form_age,
                                    form_sex=asked.form_sex)
    if made is None:
        raise params.ApiError(404, f"{name} has published no breakdown of its detected "
                                   "victims by sex, age or form of exploitation.")
    return made


def title_of(made: view_charts.ViewChart) -> str:
    """The figure's title as plain text (Plotly's markup taken out)."""
    text = made.fig.layout.title.text or ""
    return html.unescape(re.sub(r"<[^>]+>", " ", text)).split("  ")[0].strip() or "Chart"


def page(made: view_charts.ViewChart) -> bytes:
    """The chart alone as a standalone HTML page (see the module's description)."""
    title = title_of(made)
    # Plotly's JSON writes '<' and '/' as \u escapes: nothing in it can close the script
    figure = pio.to_json(made.fig, validate=False)
    config = json.dumps(CONFIG, separators=(",", ":"))
    height = int(made.fig.layout.height or charts.PAGE_HEIGHT)
    alt = html.escape(made.alt or title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ margin: 0; font-family: sans-serif; color: #262730; background: #fff; }}
#chart {{ width: 100%; height: {height}px; }}
figcaption, footer {{ margin: 0.4em 0.8em; font-size: 0.85em; }}
</style>
</head>
<body>
<main>
<figure style="margin:0">
<div id="chart" role="img" aria-label="{alt}"></div>
<figcaption>{alt}</figcaption>
</figure>
<noscript><p>This chart needs JavaScript; its picture is the same address ending in .svg.</p>
</noscript>
<footer><p>Cite as: {html.escape(CITATION)}</p></footer>
</main>
<script src="{PLOTLY_JS}"></script>
<script>
(function () {{
  var figure = {figure};
  Plotly.newPlot("chart", figure.data, figure.layout, {config});
}})();
</script>
</body>
</html>
""".encode()


def chart(snapshot: Snapshot, kind: str, query: Mapping[str, str], fmt: str) -> answers.Body:
    """The answer of ``/api/v1/charts/{kind}.{fmt}``."""
    made = build(snapshot, ask(snapshot, kind, query))
    if fmt == "html":
        return answers.Body(page(made), MEDIA["html"])
    try:
        image = figure_export.to_svg(made.fig) if fmt == "svg" \
            else figure_export.to_png(made.fig)
    except figure_export.ExportError as exc:
        raise params.ApiError(503, str(exc)) from exc
    return answers.Body(image, MEDIA[fmt])


def indicator_chart(snapshot: Snapshot, query: Mapping[str, str], fmt: str) -> answers.Body:
    """``/api/v1/chart.svg|png``, kept so no link breaks: the ``lines`` chart."""
    return chart(snapshot, "lines", query, fmt)
