"""The figures each asked row rests on (`indicator_inputs`): a country's own numerator and
denominator, or a region's or the world's sums with every country's citation.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.aggregation import _scoped, _summed, _sums
from indicators.compute.frame import _POPULATION, _PUBLISHED_SDG, _Layout
from indicators.compute.schema import _KEYS, INPUT_STRUCT
from indicators.compute.values import _is_unit, _per_indicator


def _input_struct(prefix: str) -> pl.Expr:
    return pl.struct(
        pl.col(f"{prefix}_measure").alias("measure"),
        pl.col("iso3").alias("scope"),
        pl.col(f"{prefix}_year").alias("year"),
        pl.col(f"{prefix}_value").alias("value"),
        pl.col(f"{prefix}_status").alias("value_status"),
        pl.col(f"{prefix}_lower").alias("lower"),
        pl.col(f"{prefix}_upper").alias("upper"),
        pl.col(f"{prefix}_source").alias("source"),
    ).cast(INPUT_STRUCT)


def _country_inputs(parts: pl.DataFrame, layout: _Layout, asked: pl.DataFrame) -> pl.DataFrame:
    """ind, scope, year and the list of inputs of each asked country row in `parts`."""
    return parts.with_columns(
        pl.lit(layout.scopes).gather(pl.col("cidx")).alias("iso3"),
    ).join(
        asked, left_on=["ind", "iso3", "year"], right_on=["ind", "scope", "year"], how="semi"
    ).select(
        "ind",
        pl.col("iso3").alias("scope"),
        "year",
        # a row showing UNODC's published SDG 16.2.2 rate rests on that figure alone
        pl.when(pl.col("official").is_not_null()).then(pl.concat_list(_official_input()))
        .otherwise(_inputs_list()).alias("inputs"),
    )


def _official_input() -> pl.Expr:
    return pl.struct(
        pl.lit(_PUBLISHED_SDG).alias("measure"),
        pl.col("iso3").alias("scope"),
        pl.col("year").cast(pl.Int32).alias("year"),
        pl.col("official").alias("value"),
        pl.col("official_status").alias("value_status"),
        pl.col("official").alias("lower"),
        pl.col("official").alias("upper"),
        pl.col("official_source").alias("source"),
    ).cast(INPUT_STRUCT)


def _inputs_list() -> pl.Expr:
    """Each row's inputs: the first `n_inputs` of (in1, in2).

    Interleaving the two struct columns and reshaping them into pairs is several times faster
    than `concat_list` (row by row) and faster than `concat_arr`.
    """
    in1, in2 = _input_struct("in1"), _input_struct("in2")
    position = pl.int_range(0, 2 * pl.len(), dtype=pl.Int64)
    interleaved = position // 2 + (position % 2) * pl.len()
    return (
        in1.append(in2).gather(interleaved)
        .reshape((-1, 2)).arr.to_list()
        .list.head(pl.col("n_inputs"))
    )


def _aggregate_inputs(parts: pl.DataFrame, layout: _Layout,
                      asked: pl.DataFrame) -> pl.DataFrame:
    """ind, scope, year and the two summed inputs (one for counts) of each asked region and
    world row that `parts` has countries for; their source is every country's citation."""
    sources = (
        pl.col("in1_source")
        .append(pl.col("in2_source").filter(pl.col("n_inputs") > 1))
        .unique().sort().str.join("; ")
    )
    grouped = (
        _scoped(parts, layout, [])
        .group_by("key")
        .agg(_sums([sources.alias("sources")]))
        .with_columns((pl.col("key") // layout.summed).cast(pl.UInt32).alias("ind"))
        .with_columns(_summed(layout))
    )
    num = _summed_input("num", {k: _numerator_measure(k) for k in _KEYS}, pl.col("year"))
    den = _summed_input("den", {k: _denominator_measure(k) for k in _KEYS},
                        pl.col("denominator_year"))
    return grouped.with_columns(
        pl.lit(layout.scopes).gather(pl.col("scope")).alias("scope_name"),
    ).join(
        asked, left_on=["ind", "scope_name", "year"], right_on=["ind", "scope", "year"],
        how="semi",
    ).select(
        "ind",
        pl.col("scope_name").alias("scope"),
        "year",
        pl.when(_is_unit("count")).then(pl.concat_list(num))
        .otherwise(pl.concat_list(num, den)).alias("inputs"),
    )


def _summed_input(prefix: str, measures: dict[str, object], year: pl.Expr) -> pl.Expr:
    """A region's or the world's summed numerator (`prefix` "num") or denominator ("den"), as
    an input: its measure per indicator, the sum, and every country's citation."""
    return pl.struct(
        _per_indicator(measures, pl.String()).alias("measure"),
        pl.col("scope_name").alias("scope"),
        year.cast(pl.Int32).alias("year"),
        pl.col(f"{prefix}_value").alias("value"),
        pl.format("sum over {} countries", pl.col("countries_counted")).alias("value_status"),
        pl.col(f"{prefix}_lower").alias("lower"),
        pl.col(f"{prefix}_upper").alias("upper"),
        pl.col("sources").alias("source"),
    ).cast(INPUT_STRUCT)


def _numerator_measure(key: str) -> str:
    return {
        "conviction_rate": "persons_convicted",
        "reporting_increase": "victims_reported (or proxy), year",
        "data_sharing_countries": "countries sharing data",
        "identification_rate": "victims_detected",
        "victims_prosecuted": "victims_prosecuted",
        "victims_per_100k": "victims_detected",
    }[key]


def _denominator_measure(key: str) -> str:
    if key == "reporting_increase":
        return "victims_reported (or proxy), baseline year"
    if key == "victims_per_100k":
        return _POPULATION
    return "estimated_victims"
