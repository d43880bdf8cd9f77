"""What each API address answers, as polars frames, from the same snapshot the pages show
(``indicators.live.process_live``), through the library's own frames: the indicators
(``report``/``compute``), the published figures with their series (the store's snapshot), the
measure and indicator catalogue (``measures``), the releases and their revision reports
(``bundled``), the possible breaks in a series (``views.mark_breaks_with_before``), and which
figures exist (``views.coverage_summary`` and ``views.coverage_matrix``).

No HTTP here: each function takes the snapshot (or the store) and the checked parameters.
Results are kept per data version in a small memo, so a second asker pays nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import polars as pl

from indicators import per_population, report
from indicators.api import params
from indicators.api.memo import Memo
from indicators.bundled import release_report, releases_frame
from indicators.compute import WORLD, indicator_inputs, scope_members
from indicators.measures import INDICATORS, MEASURES, is_known_measure, measure_label
from indicators.settings import DEFAULT_BASELINE_YEAR, IndicatorSettings
from indicators.store import Snapshot, Store
from indicators.views import coverage_matrix, coverage_summary, scope_kinds, scope_names
from indicators.views.figures import mark_breaks_with_before

T = TypeVar("T")
_frames = Memo(size=32)
_version_kept: list[object] = [None]


def _kept(key: tuple, make: Callable[[], T]) -> T:
    """``make()`` once per key; the key's second part is the data version, and frames of an
    older version are dropped when a newer one is first asked for."""
    if key[1] != _version_kept[0]:
        _frames.clear()
        _version_kept[0] = key[1]
    return _frames.get(key, make)

OBSERVATION_COLUMNS = (
    "iso3", "country", "year", "measure", "measure_label", "value", "value_status", "lower",
    "upper", "source_id", "release", "source_publisher", "source_citation", "series_kind",
    "series", "basis", "batch_id", "note",
)


@dataclass(frozen=True)
class Page:
    """One page of rows, how many there are in all, and the paging asked for."""

    rows: pl.DataFrame
    total: int
    offset: int
    limit: int


def page_of(frame: pl.DataFrame, offset: int, limit: int) -> Page:
    return Page(frame.slice(offset, limit), frame.height, offset, limit)


def year_span(snapshot: Snapshot) -> tuple[int, int]:
    years = snapshot.observations["year"]
    return (int(years.min()), int(years.max())) if years.len() else (2000, 2000)


def known_scopes(snapshot: Snapshot) -> list[str]:
    """Every scope a link can name: countries, regions, UN M49 subregions and WORLD."""
    return [*snapshot.countries["iso3"].to_list(), *scope_kinds(snapshot.countries), WORLD]


# -- indicators ----------------------------------------------------------------------------------
INDICATOR_PARAMS = ("indicator", "countries", "years", "year", "baseline", "proxies", "series",
                    "inputs", "limit", "offset")


@dataclass(frozen=True)
class IndicatorAsk:
    indicator: str | None
    scopes: tuple[str, ...]
    years: tuple[int, int] | None
    year: int | None
    baseline: int
    proxies: bool
    series: str | None
    inputs: bool


def indicator_ask(snapshot: Snapshot, query: Mapping[str, str]) -> IndicatorAsk:
    params.check_names(query, INDICATOR_PARAMS)
    span = year_span(snapshot)
    baseline_default = DEFAULT_BASELINE_YEAR if span[0] <= DEFAULT_BASELINE_YEAR <= span[1] \
        else span[0]
    series = params.one(query, "series")
    if series is not None:
        organisations = snapshot.contributed_series()
        found = {o.lower(): o for o in organisations}.get(series.lower())
        if found is None and series.lower() != "official":
            raise params.bad(
                f"No organisation's series is called '{params.shown(series)}'; the published "
                f"ones are: {', '.join(organisations) or 'none yet'}.")
        series = found
    return IndicatorAsk(
        indicator=params.indicator(query),
        scopes=tuple(params.scopes(query, known_scopes(snapshot))),
        years=params.year_range(query, span),
        year=params.year(query, "year", span),
        baseline=params.year(query, "baseline", span) or baseline_default,
        proxies=params.flag(query, "proxies", True),
        series=series,
        inputs=params.flag(query, "inputs", True),
    )


def indicator_frame(snapshot: Snapshot, baseline: int, proxies: bool,
                    series: str | None) -> pl.DataFrame:
    """Every indicator row for these settings (``report.indicator_frame_from``), once per data
    version."""
    def make() -> pl.DataFrame:
        settings = IndicatorSettings(baseline_year=baseline, use_proxies=proxies)
        return report.indicator_frame_from(snapshot.picked(series), snapshot.countries, settings)

    return _kept(("indicators", snapshot.version, baseline, proxies, series), make)


def count_view_frame(snapshot: Snapshot) -> pl.DataFrame:
    """The published counts as the Compare page draws them, as counts and per 100,000
    population (``per_population.count_views``), once per data version."""
    return _kept(("count views", snapshot.version),
                 lambda: per_population.count_views(snapshot.observations, snapshot.countries))


def indicator_rows(snapshot: Snapshot, baseline: int, proxies: bool,
                   series: str | None) -> pl.DataFrame:
    """Every indicator row as ``indicators report`` gives it: with the figures each rests on
    (``compute.indicator_inputs``, worked out once per data version for all rows at once)."""
    def make() -> pl.DataFrame:
        settings = IndicatorSettings(baseline_year=baseline, use_proxies=proxies)
        frame = indicator_frame(snapshot, baseline, proxies, series)
        return indicator_inputs(snapshot.picked(series), snapshot.countries, settings,
                                frame.drop("sources"))

    return _kept(("indicator rows", snapshot.version, baseline, proxies, series), make)


def indicators(snapshot: Snapshot, ask: IndicatorAsk, offset: int, limit: int) -> Page:
    """The indicator rows asked for, ordered as ``indicators report`` orders them, each with
    the figures it rests on (``inputs``) unless asked not to."""
    frame = indicator_rows(snapshot, ask.baseline, ask.proxies, ask.series)
    rows = frame
    if ask.indicator:
        rows = rows.filter(pl.col("indicator") == ask.indicator)
    if ask.scopes:
        rows = rows.filter(pl.col("scope").is_in(list(ask.scopes)))
    if ask.year is not None:
        rows = rows.filter(pl.col("year") == ask.year)
    elif ask.years is not None:
        rows = rows.filter(pl.col("year").is_between(*ask.years))
    order = {k: i for i, k in enumerate(report.INDICATOR_KEYS)}
    scope_order = {s: i for i, s in enumerate(ask.scopes)}
    keys = [pl.col("indicator").replace_strict(order, return_dtype=pl.Int64)]
    if ask.scopes:
        keys.append(pl.col("scope").replace_strict(scope_order, return_dtype=pl.Int64))
    else:
        keys.append(pl.col("scope"))
    rows = rows.sort([*keys, pl.col("year")])
    page = page_of(rows, offset, limit)
    if ask.inputs:
        return page
    return dataclasses.replace(page, rows=page.rows.with_columns(
        pl.lit(None, dtype=pl.List(pl.Null)).alias("inputs")))


# -- published figures ---------------------------------------------------------------------------
OBSERVATION_PARAMS = ("country", "measure", "year", "years", "series", "limit", "offset")


def observation_frame(snapshot: Snapshot, series: str | None) -> pl.DataFrame:
    """Published figures only (committed batches: nothing submitted for review and not yet
    approved is in a snapshot). No ``series``: one figure per country, year and measure, as
    the indicators use them (with the ``basis`` of the pick); ``official``, ``all`` or an
    organisation's name: those series' current figures."""
    def make() -> pl.DataFrame:
        if series is None:
            figures = snapshot.observations
        else:
            figures = snapshot.figures if snapshot.figures is not None \
                else snapshot.observations
            if series == "official":
                figures = figures.filter(pl.col("series_kind") == "official")
            elif series != "all":
                figures = figures.filter((pl.col("series_kind") == "contributed")
                                         & (pl.col("series") == series))
        names = dict(zip(snapshot.countries["iso3"].to_list(),
                         snapshot.countries["name"].to_list(), strict=True))
        labels = {m: measure_label(m) for m in figures["measure"].unique().to_list()}
        editions = dict(zip(snapshot.sources["id"].to_list(),
                            snapshot.sources["edition"].to_list(), strict=True))
        extra = []
        if "basis" not in figures.columns:
            extra.append(pl.lit(None, dtype=pl.String).alias("basis"))
        return figures.with_columns(
            *extra,
            pl.col("iso3").replace_strict(names, default=None, return_dtype=pl.String)
            .alias("country"),
            pl.col("measure").replace_strict(labels, default=None, return_dtype=pl.String)
            .alias("measure_label"),
            pl.col("source_id").replace_strict(editions, default=None, return_dtype=pl.String)
            .alias("release"),
            pl.col("batch_id").cast(pl.Int64),
        ).select(OBSERVATION_COLUMNS).sort("iso3", "measure", "year", "series_kind", "series")

    return _kept(("observations", snapshot.version, series), make)


def observation_series(snapshot: Snapshot, query: Mapping[str, str]) -> str | None:
    raw = params.one(query, "series")
    if raw is None:
        return None
    if raw.lower() in ("official", "all"):
        return raw.lower()
    found = {o.lower(): o for o in snapshot.contributed_series()}.get(raw.lower())
    if found is None:
        raise params.bad(f"No published series is called '{params.shown(raw)}'; use official, "
                         "all or an organisation's name.")
    return found


def observations(snapshot: Snapshot, query: Mapping[str, str]) -> Page:
    params.check_names(query, OBSERVATION_PARAMS)
    offset, limit = params.paging(query)
    frame = observation_frame(snapshot, observation_series(snapshot, query))
    return page_of(_filter_figures(snapshot, frame, query), offset, limit)


def _filter_figures(snapshot: Snapshot, frame: pl.DataFrame, query: Mapping[str, str]
                    ) -> pl.DataFrame:
    span = year_span(snapshot)
    countries = params.choice(query, "country", snapshot.countries["iso3"].to_list(),
                              "country code")
    measures = params.listed(query, "measure")
    unknown = [m for m in measures if not is_known_measure(m)]
    if unknown:
        raise params.bad(f"There is no measure called '{params.shown(unknown[0])}' (see "
                         "/api/v1/measures.json).")
    year = params.year(query, "year", span)
    years = params.year_range(query, span)
    if countries:
        frame = frame.filter(pl.col("iso3").is_in(countries))
    if measures:
        frame = frame.filter(pl.col("measure").is_in(measures))
    if year is not None:
        frame = frame.filter(pl.col("year") == year)
    elif years is not None:
        frame = frame.filter(pl.col("year").is_between(*years))
    return frame


# -- possible breaks in a series -----------------------------------------------------------------
BREAK_PARAMS = ("country", "measure", "year", "years", "limit", "offset")


def break_frame(snapshot: Snapshot) -> pl.DataFrame:
    """Every published count that is a possible break in its series (``mark_series_breaks``:
    more than SERIES_BREAK_FACTOR times the year before), with the figure the year before."""
    def make() -> pl.DataFrame:
        # the same reading of breaks as the Series breaks page (views.mark_breaks_with_before)
        return mark_breaks_with_before(observation_frame(snapshot, None)).select(
            "iso3", "country", "year", "measure", "measure_label", "value_before", "value",
            "source_id", "series", "note")

    return _kept(("breaks", snapshot.version), make)


def breaks(snapshot: Snapshot, query: Mapping[str, str]) -> Page:
    params.check_names(query, BREAK_PARAMS)
    offset, limit = params.paging(query)
    return page_of(_filter_figures(snapshot, break_frame(snapshot), query), offset, limit)


# -- which figures exist (the Data and methodology page's coverage heatmaps) --------------------
COVERAGE_PARAMS = ("measure", "region", "years", "limit", "offset")


@dataclass(frozen=True)
class CoverageAsk:
    """One measure's countries by year (in a region, or all), or without a measure how many
    countries have each measure's figure, by year."""

    measure: str | None
    region: str | None
    years: tuple[int, int]


def coverage_years(snapshot: Snapshot) -> tuple[int, int]:
    """The years the coverage heatmaps span: the indicators' years under the default settings,
    as on the Data and methodology page."""
    settings = IndicatorSettings()
    frame = indicator_frame(snapshot, settings.baseline_year, settings.use_proxies, None)
    years = frame["year"].drop_nulls()
    return (int(years.min()), int(years.max())) if years.len() else year_span(snapshot)


def coverage_measure(raw: str | None) -> str | None:
    """A measure of the coverage heatmaps (a catalogue measure, not a breakdown); None when
    absent."""
    if raw is None:
        return None
    found = {m.lower(): m for m in MEASURES}.get(raw.strip().lower())
    if found is None:
        raise params.bad(f"The coverage charts have no measure called '{params.shown(raw)}'; "
                         f"they have {', '.join(MEASURES)}.")
    return found


def coverage_region(snapshot: Snapshot, raw: str | None) -> str | None:
    """A region or UN M49 subregion of the country list, by its name (any case); None when
    absent."""
    if raw is None:
        return None
    kinds = scope_kinds(snapshot.countries)
    found = {r.lower(): r for r in kinds}.get(raw.strip().lower())
    if found is None:
        regions = sorted(r for r, kind in kinds.items() if kind == "region")
        raise params.bad(f"The country list has no region called '{params.shown(raw)}', nor "
                         f"a subregion; its regions are {', '.join(regions)}, and its "
                         "subregions are listed at /api/v1/regions.json.")
    return found


def coverage_ask(snapshot: Snapshot, query: Mapping[str, str]) -> CoverageAsk:
    params.check_names(query, COVERAGE_PARAMS)
    measure = coverage_measure(params.one(query, "measure"))
    region = coverage_region(snapshot, params.one(query, "region"))
    if region is not None and measure is None:
        raise params.bad("A region is for one measure's countries: add a measure, such as "
                         "measure=victims_detected.")
    years = params.year_range(query, year_span(snapshot)) or coverage_years(snapshot)
    return CoverageAsk(measure, region, years)


def coverage_frame(snapshot: Snapshot, ask: CoverageAsk) -> pl.DataFrame:
    """The rows a coverage heatmap draws, once per data version: with a measure, every country
    with any published figure (in the region) by year, with the figure's state, text and
    source (``views.coverage_matrix``); without, each measure's count of countries with a
    figure by year (``views.coverage_summary``)."""
    def make() -> pl.DataFrame:
        if ask.measure is None:
            return coverage_summary(snapshot.observations, ask.years)
        return coverage_matrix(snapshot.observations, snapshot.countries, ask.measure,
                               ask.years, region=ask.region)

    return _kept(("coverage", snapshot.version, ask), make)


def coverage(snapshot: Snapshot, query: Mapping[str, str]) -> Page:
    ask = coverage_ask(snapshot, query)
    offset, limit = params.paging(query)
    return page_of(coverage_frame(snapshot, ask), offset, limit)


# -- reference tables ----------------------------------------------------------------------------
def countries(snapshot: Snapshot) -> pl.DataFrame:
    return snapshot.countries.with_columns(pl.col("aliases").list.join("; ")).select(
        "iso3", "name", "region", "subregion", "aliases")


def regions(snapshot: Snapshot) -> pl.DataFrame:
    """The regions, then the UN M49 subregions (``kind``; ``within``: the region(s) of a
    subregion's countries), then the world, each with its countries: every scope a link can
    name besides a country."""
    members = scope_members(snapshot.countries)

    def grouped(level: str) -> pl.DataFrame:
        within = (pl.col("region").drop_nulls().unique().sort().str.join(", ")
                  if level == "subregion" else pl.lit(None, dtype=pl.String))
        return members.filter(pl.col(level).is_not_null()).group_by(level).agg(
            pl.len().alias("countries"), pl.col("iso3").sort().str.join(",").alias("members"),
            within.alias("within"),
        ).rename({level: "region"}).sort("region").with_columns(pl.lit(level).alias("kind"))

    frame = pl.concat([grouped("region"), grouped("subregion")])
    world = pl.DataFrame({"region": [WORLD], "countries": [snapshot.countries.height],
                          "members": [""], "within": [None], "kind": ["world"]},
                         schema=frame.schema)
    return pl.concat([frame, world]).with_columns(
        pl.col("region").replace_strict(scope_names(snapshot.countries), default=None,
                                        return_dtype=pl.String).alias("name"))


def measures() -> pl.DataFrame:
    return pl.DataFrame([{
        "name": m.name, "label": m.label, "unit": m.unit, "definition": m.definition,
        "used_by": ",".join(m.used_by), "is_flag": m.is_flag, "published": m.published,
    } for m in MEASURES.values()])


def indicator_meta() -> pl.DataFrame:
    return pl.DataFrame([{
        "key": i.key, "number": i.number, "title": i.title, "paper_wording": i.paper_wording,
        "quoted_from": i.quoted_from, "formula": i.formula, "target": i.target,
        "comparison": i.comparison, "unit": i.unit, "target_text": i.target_text,
        "short": i.short, "proxy_rule": i.proxy_rule, "deadline": i.deadline,
        "in_paper": i.in_paper,
    } for i in INDICATORS.values()], schema_overrides={"target": pl.Float64,
                                                        "proxy_rule": pl.String})


# -- releases and what they revised -----------------------------------------------------------
def releases(store: Store, snapshot: Snapshot) -> pl.DataFrame:
    """Every loaded release (``bundled.releases_frame``), once per data version."""
    return _kept(("releases", snapshot.version), lambda: releases_frame(store).filter(
        ~pl.col("status").is_in(["submitted", "rejected"])))  # published (or rolled back) only


def revisions(store: Store, snapshot: Snapshot, batch: int) -> pl.DataFrame:
    """What release ``batch`` changed, figure by figure (``bundled.release_report``)."""
    def make() -> pl.DataFrame | None:
        if batch not in releases(store, snapshot)["batch"].to_list():
            return None
        found = release_report(store, batch)
        if found is None:
            return None
        return found.figures.sort("iso3", "measure", "year")

    frame = _kept(("revisions", snapshot.version, batch), make)
    if frame is None:
        raise params.ApiError(404, f"Batch {batch} did not load a published release; see "
                                   "/api/v1/releases.json for those that did.")
    return frame


def contributions(store: Store, snapshot: Snapshot) -> pl.DataFrame:
    """Approved contributions (their 'approved' events with the batch), once per version."""
    def make() -> pl.DataFrame:
        events = store.batch_events().filter(pl.col("event") == "approved")
        batches = store.batches().select(
            pl.col("id").cast(pl.Int64).alias("batch_id"), "organisation", "file_name",
            "rows_in_file", "status")
        return events.with_columns(pl.col("batch_id").cast(pl.Int64)).join(
            batches, on="batch_id", how="left").filter(pl.col("status") == "committed")

    return _kept(("contributions", snapshot.version), make)


def forget() -> None:
    """Drop every memoised frame (tests, a restored database)."""
    _frames.clear()
