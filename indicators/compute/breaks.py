"""Possible breaks in a series: a published count that rose or fell more than
SERIES_BREAK_FACTOR times from one year to the next. One rule for the indicators and the
published figures.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import _Layout
from indicators.compute.schema import _INDEX
from indicators.settings import SERIES_BREAK_FACTOR, SERIES_BREAK_MIN_COUNT


def series_break_rule(count: pl.Expr, before: pl.Expr) -> pl.Expr:
    """Whether a published count (`count`) and the same count the year before (`before`) make
    a possible break in the series: one is more than SERIES_BREAK_FACTOR times the other, both
    are exact figures above zero ('<5' has no value), and the larger is at least
    SERIES_BREAK_MIN_COUNT. The one rule for the indicators and the published figures."""
    return (
        (count > 0) & (before > 0)
        & (pl.max_horizontal(count, before) >= SERIES_BREAK_MIN_COUNT)
        & ((count > SERIES_BREAK_FACTOR * before) | (before > SERIES_BREAK_FACTOR * count))
    ).fill_null(False)


def mark_series_breaks(figures: pl.DataFrame) -> pl.DataFrame:
    """Published figures (iso3, measure, year, value …) with `series_break` added: the figure
    is a possible break in its series (``series_break_rule``) against the same country's and
    measure's figure for the year before. The figures themselves are not touched."""
    keys = ["iso3", "measure"]
    ordered = figures.with_row_index("_at").sort([*keys, "year"])
    before = pl.col("value").shift(1).over(keys)
    next_year = pl.col("year").shift(1).over(keys) == pl.col("year") - 1
    return ordered.with_columns(
        (series_break_rule(pl.col("value"), before) & next_year.fill_null(False))
        .alias("series_break")
    ).sort("_at").drop("_at")


def _series_breaks(parts: pl.LazyFrame, layout: _Layout, baseline_year: int) -> pl.LazyFrame:
    """`parts` with `series_break`: the numerator, a published count, rose or fell more than
    SERIES_BREAK_FACTOR times since the year before (both figures exact and above zero, the
    larger at least SERIES_BREAK_MIN_COUNT); `break_year`: the latest such year after the
    baseline up to this year. Reads the country parts in their order (a country's years are
    consecutive rows)."""
    counted = pl.col("ind") != _INDEX["data_sharing_countries"]  # a 1/0 flag, not a count
    jump = (
        counted & (pl.col("year") > layout.first)
        & series_break_rule(pl.col("num_value"), pl.col("num_value").shift(1))
    )
    row = pl.int_range(0, pl.len(), dtype=pl.Int64)
    # the latest break so far (rows only grow), if it is this country's and indicator's
    last = pl.col("_last_break")
    start = row - (pl.col("year") - layout.first).cast(pl.Int64)
    return parts.with_columns(jump.alias("series_break")).with_columns(
        pl.when(pl.col("series_break") & (pl.col("year") > baseline_year)).then(row)
        .forward_fill().alias("_last_break"),
    ).with_columns(
        pl.when(last >= start).then(last % layout.years + layout.first).cast(pl.Int32)
        .alias("break_year"),
    )
