"""The five indicators of success, as pure Polars functions: observations in, one frame out.

Every indicator is computed the same way, from a numerator and (for rates) a denominator per
country and year:

* a country's value is numerator / denominator (minus 1 for the reporting increase), or the
  numerator itself for counts;
* a region's, a UN M49 subregion's or the world's value is the ratio of the sums over the
  countries that have both figures that year (never a mean of rates), or the sum of the counts
  (a country counts towards its subregion, its region and the world);
* a suppressed figure ("<5") carries its bounds, so the value becomes a range;
* nothing is filled in: a missing input gives `no_data`, with a note that says which.

Two entry points: `compute_indicators` gives every row's value, status and sources (what pages
and charts draw), and `indicator_inputs` gives the figures each asked-for row rests on (what the
CLI report prints), computed only for those rows.

The rooms, in the order a row is made: `schema` (the output's columns), `frame` (figures
typed and placed on the country × year grid), `rates`, `changes` and `counts` (each
indicator's numerator and denominator), `values` (a country's value), `breaks` (possible
breaks in a series), `sources` (the citations a row rests on), `aggregation` (regions and the
world: ratios of sums), `status` (status, trend line and projection), `inputs` (the figures
behind asked rows); `context` holds the paper's context ratios.

The rules are written out for people in docs/methodology.md; tests hold both to the same
hand-computed numbers.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.aggregation import _aggregate_rows, _assemble, _place_sums
from indicators.compute.breaks import mark_series_breaks, series_break_rule
from indicators.compute.context import CONTEXT_RATIOS, context_ratios
from indicators.compute.frame import (
    GLOTIP_SOURCE_PREFIX,
    _collect,
    _countries_needed,
    _coverage,
    _grid_figures,
    _layout,
    _nearest_estimates,
    _prepare,
    scope_members,
    typed_figures,
)
from indicators.compute.inputs import _aggregate_inputs, _country_inputs
from indicators.compute.schema import (
    _INDEX,
    _KEYS,
    INPUT_STRUCT,
    INPUTS_DTYPE,
    OUTPUT_SCHEMA,
    WORLD,
)
from indicators.compute.sources import _with_sources
from indicators.compute.status import _finish
from indicators.compute.values import _country_parts, _country_rows
from indicators.settings import IndicatorSettings

__all__ = [
    "CONTEXT_RATIOS",
    "GLOTIP_SOURCE_PREFIX",
    "INPUTS_DTYPE",
    "INPUT_STRUCT",
    "OUTPUT_SCHEMA",
    "WORLD",
    "compute_indicators",
    "context_ratios",
    "indicator_inputs",
    "mark_series_breaks",
    "scope_members",
    "series_break_rule",
    "typed_figures",
]


def compute_indicators(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    settings: IndicatorSettings | None = None,
    *,
    with_inputs: bool = False,
) -> pl.DataFrame:
    """All five indicators for every country, region and the world, for every year.

    `observations`: current figures (iso3, year, measure, value, value_status, lower, upper,
    source_id and optionally source_citation). `countries`: iso3, name, region and
    optionally subregion.
    Years run from the first to the last year with any figure; a scope and year without the
    figures an indicator needs gets a `no_data` row, never a zero.

    Rows come indicator by indicator (in the order of INDICATORS), then scope by scope
    (countries by ISO3, then regions, then UN M49 subregions, then the world), then year by
    year. The figures behind a row are not in this frame (its `sources` column names their
    citations): ask
    `indicator_inputs` for the rows you show. `with_inputs=True` adds them to every row (an
    `inputs` column, last): the full computation, many times slower.

    Speed: every figure has a place on the country × year grid, so each indicator is a few
    column operations over aligned columns (no joins), the five are summed over regions,
    subregions and the world in one pass (partial sums per region and subregion, then per
    scope), and every output row has a fixed position (docs/performance.md). The layout, the
    nearest estimates, the coverage weights, the country parts, the country rows with the sums,
    the trend lines and the finished rows are lazy plans on Polars' in-memory engine
    (`frame._collect`): fewer, larger steps, as a run's fixed cost (planning and starting each
    step) is a third of it at 250 countries. Text is read as few times as it can be (a
    figure's measure once), and rows are gathered by UInt32 positions, Polars' own index type.
    """
    settings = settings or IndicatorSettings()
    obs = _prepare(observations)
    if obs.height == 0:
        frame = pl.DataFrame(schema=OUTPUT_SCHEMA)
    else:
        layout = _layout(obs, countries)
        figures = _grid_figures(obs, layout, detail=False)
        nearest = _nearest_estimates(figures["estimated_victims"], layout)
        coverage = _coverage(figures["estimated_victims"], nearest, layout)
        [parts] = _collect(_country_parts(figures, nearest, layout, settings, detail=False))
        # the country rows and the sums are independent: one collect runs them side by side
        country_rows, sums = _collect(
            _country_rows(parts.lazy(), layout, settings.baseline_year),
            _aggregate_rows(parts.lazy(), layout, coverage))
        rows = _assemble(country_rows, _place_sums(sums, layout), layout)
        frame = _finish(_with_sources(rows, layout), layout, coverage, settings)
    return indicator_inputs(observations, countries, settings, frame) if with_inputs else frame


def indicator_inputs(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    settings: IndicatorSettings | None,
    rows: pl.DataFrame,
) -> pl.DataFrame:
    """`rows` (any frame with indicator, scope and year, e.g. a selection of
    `compute_indicators`) with an `inputs` column added last: the figures each row rests on.

    A country's inputs are its numerator and denominator figures; a region's or the world's
    are the sums over the countries counted, citing all their sources. A row without figures
    gets an empty list. Only the countries the rows need are computed: one country's rows cost
    that country's figures, the world's cost every country's.
    """
    settings = settings or IndicatorSettings()
    keyed = rows.drop("inputs", strict=False).with_columns(
        pl.col("indicator").cast(pl.String).alias("_indicator"),
        pl.col("scope").cast(pl.String).alias("_scope"),
        pl.col("year").cast(pl.Int32).alias("_year"),
    )
    obs = _prepare(observations)
    found = pl.DataFrame(schema={"_indicator": pl.String, "_scope": pl.String,
                                 "_year": pl.Int32, "inputs": INPUTS_DTYPE})
    needed = _countries_needed(keyed["_scope"], _layout(obs, countries)) if obs.height else None
    if needed is not None:
        obs = obs.join(needed.to_frame("iso3"), on="iso3", how="semi")
        countries = countries.join(needed.to_frame("iso3"), on="iso3", how="semi")
    if obs.height and keyed.height:
        layout = _layout(obs, countries)
        figures = _grid_figures(obs, layout, detail=True)
        nearest = _nearest_estimates(figures["estimated_victims"], layout)
        [parts] = _collect(_country_parts(figures, nearest, layout, settings, detail=True).filter(
            pl.col("present") & pl.col("year").is_in(keyed["_year"].unique().implode())))
        asked = keyed.select(
            pl.col("_indicator").replace_strict(_INDEX, default=None, return_dtype=pl.UInt32)
            .alias("ind"),
            pl.col("_scope").alias("scope"),
            pl.col("_year").alias("year"),
        ).unique()
        found = pl.concat(
            [_country_inputs(parts, layout, asked), _aggregate_inputs(parts, layout, asked)],
            how="vertical",
        ).select(
            pl.col("ind").replace_strict(dict(enumerate(_KEYS)), return_dtype=pl.String)
            .alias("_indicator"),
            pl.col("scope").alias("_scope"),
            pl.col("year").alias("_year"),
            "inputs",
        )
    return (
        keyed.join(found, on=["_indicator", "_scope", "_year"], how="left",
                   maintain_order="left")
        .with_columns(pl.col("inputs").fill_null(pl.lit([], dtype=INPUTS_DTYPE)))
        .drop("_indicator", "_scope", "_year")
    )
