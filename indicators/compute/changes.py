"""The reporting increase (indicator 2): victims reported in a year against the baseline
year, with victims detected as the proxy for countries that publish no victims reported.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import _INDEX_TYPE, _cell_year, _detail, _figure, _Layout, _prefixed
from indicators.settings import IndicatorSettings


def _reporting_parts(figures: dict[str, pl.LazyFrame], settings: IndicatorSettings,
                     layout: _Layout, detail: bool) -> pl.LazyFrame:
    """victims_reported(year) against victims_reported(baseline); proxy: victims_detected for
    countries that publish no victims_reported figure at all."""
    reported = figures["victims_reported"]
    cell = pl.int_range(0, pl.len(), dtype=_INDEX_TYPE)
    if settings.use_proxies:
        # whether the cell's country publishes victims reported in any year
        publishes = (pl.col("r_present").reshape((layout.countries, layout.years)).arr.any()
                     .gather(cell // layout.years))
        both = pl.concat([_prefixed(reported, "r_"), _prefixed(figures["victims_detected"],
                                                                "d_")], how="horizontal")
        series = both.with_columns(publishes.alias("own")).select(
            *(pl.when("own").then(pl.col(f"r_{c}")).otherwise(pl.col(f"d_{c}")).alias(c)
              for c in reported.collect_schema().names()),
            (~pl.col("own")).alias("proxied"),
        )
    else:
        series = reported.with_columns(pl.lit(False).alias("proxied"))
    offset = settings.baseline_year - layout.first
    # each cell's country's baseline cell (none: the baseline year is not on the grid)
    baseline = series.select(pl.all().gather(
        cell - cell % layout.years + offset if 0 <= offset < layout.years
        else pl.repeat(None, pl.len(), dtype=_INDEX_TYPE)))
    joined = pl.concat([_prefixed(series, "num_"), _prefixed(baseline, "den_")],
                       how="horizontal").with_columns(
        (_cell_year(layout) < settings.baseline_year).alias("before"),
        pl.col("den_present").fill_null(False).alias("has_baseline"),
    )
    before = pl.col("before")
    note = (
        pl.when(before)
        .then(pl.lit(f"Before the baseline year {settings.baseline_year}."))
        .when(pl.col("den_value").is_null() & pl.col("den_lower").is_null())
        .then(pl.lit(f"No figure for the baseline year {settings.baseline_year}."))
        .when(pl.col("den_upper") == 0)
        .then(pl.lit("The baseline figure is zero, so a percentage change is undefined."))
    )
    usable = ~before
    has_baseline = pl.col("has_baseline")
    two = pl.col("num_present") & has_baseline
    name = pl.when(pl.col("num_proxied")).then(pl.lit("victims_detected")).otherwise(
        pl.lit("victims_reported"))
    return joined.select(
        pl.col("num_present").alias("present"),
        *(pl.when(usable).then(pl.col(c)).alias(c)
          for c in ("num_value", "num_lower", "num_upper", "den_value", "den_lower",
                    "den_upper")),
        pl.when(has_baseline).then(pl.lit(settings.baseline_year)).alias("denominator_year"),
        pl.col("num_proxied").alias("proxied"),
        note.alias("note"),
        pl.col("num_cid").alias("cid1"),
        pl.when(two).then(pl.col("den_cid")).alias("cid2"),
        *_detail(detail, _figure("num_", name, _cell_year(layout)),
                 _figure("den_", name, pl.lit(settings.baseline_year)),
                 1 + two.cast(pl.Int32)),
    )
