"""Regions, UN M49 subregions and the world: the ratio of sums (or the sum of counts) over the
countries with every input that year, placed beside the country rows in the output's order.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import _INDEX_TYPE, _SUMMED, _Coverage, _Layout
from indicators.compute.schema import _INDEX, _KEYS
from indicators.compute.sources import _mask_columns, _masks
from indicators.compute.values import (
    _has_inputs,
    _helpers,
    _is_unit,
    _per_indicator,
    _proxy_rules,
    _rates,
    _values,
)
from indicators.measures import DENOMINATOR_NOTE


def _scoped(parts: pl.DataFrame, layout: _Layout, extra: list[pl.Expr]) -> pl.DataFrame:
    """The country rows that count towards a region, a subregion and the world, each up to
    three times: with `key`, the place of the world's row among the sums, with its region's
    and with its subregion's (countries with one only). Sums are placed indicator by
    indicator, regions, subregions then the world, year by year."""
    return _keyed(_complete(parts, layout, extra), layout)


def _complete(parts: pl.DataFrame, layout: _Layout, extra: list[pl.Expr]) -> pl.DataFrame:
    """The country rows with every input, with their region's and subregion's scope index
    (null: none) and whether each is suppressed or inexact."""
    complete = parts.filter(pl.col("present") & _has_inputs())
    complete = complete.with_columns(
        pl.lit(layout.region_of).gather(pl.col("cidx")).alias("region"),
        pl.lit(layout.subregion_of).gather(pl.col("cidx")).alias("subregion"),
        pl.col("num_value").is_null().alias("suppressed"),
        # a sum is exact only when every country's figures are (counts have no denominator)
        (pl.col("num_value").is_null() | (~pl.col("_count") & pl.col("den_value").is_null()))
        .alias("inexact"),
        *extra,
    )
    return complete.drop("present", "note", "_offset", "_scale", "_defined", "cid1", "cid2",
                         strict=False)


def _keyed(rows: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """`rows` (with ind, year, region and subregion) once for the world, once for their region
    and once for their subregion (where they have one), with `key`."""
    def key(scope: pl.Expr) -> pl.Expr:
        return (pl.col("ind") * layout.summed + (scope - layout.countries) * layout.years
                + (pl.col("year").cast(pl.Int64) - layout.first)).alias("key")

    return pl.concat([
        rows.with_columns(key(pl.lit(layout.world, dtype=pl.Int64))),
        rows.drop_nulls("region").with_columns(key(pl.col("region"))),
        rows.drop_nulls("subregion").with_columns(key(pl.col("subregion"))),
    ])


def _sums(extra: list[pl.Expr]) -> list[pl.Expr]:
    """Ratio of sums (or sum of counts) over the countries with every input that year."""
    return [
        pl.col("num_value").sum(),
        pl.col("num_lower").sum(),
        pl.col("num_upper").sum(),
        pl.col("den_value").sum(),
        pl.col("den_lower").sum(),
        pl.col("den_upper").sum(),
        pl.col("denominator_year").max(),
        pl.len().cast(pl.Int32).alias("countries_counted"),
        pl.col("proxied").sum().alias("n_proxied"),
        pl.col("suppressed").sum(),
        pl.col("inexact").sum(),
        *extra,
    ]


def _summed(layout: _Layout) -> list[pl.Expr]:
    """After the group-by: the indicator, scope and year of each sum; no exact sum unless
    every figure is exact, and no numerator where the denominators sum to zero."""
    exact = pl.col("inexact") == 0
    undefined = ~_is_unit("count") & (pl.col("den_lower") == 0)
    return [
        pl.when(exact & ~undefined).then(pl.col("num_value")).alias("num_value"),
        pl.when(~undefined).then(pl.col("num_lower")).alias("num_lower"),
        pl.when(~undefined).then(pl.col("num_upper")).alias("num_upper"),
        pl.when(exact).then(pl.col("den_value")).alias("den_value"),
        (pl.col("key") % layout.summed // layout.years + layout.countries).alias("scope"),
        (pl.col("key") % layout.years + layout.first).cast(pl.Int32).alias("year"),
    ]


def _group(layout: _Layout) -> tuple[pl.Expr, list[pl.Expr]]:
    """One number per indicator, year, region and subregion (either may be null), and the
    expressions that give the four back from it (`group`)."""
    regions = layout.regions
    subregions = layout.world - layout.countries - regions
    # a region's or subregion's place among its kind, or one past the last for none
    region = (pl.col("region") - layout.countries).fill_null(regions)
    subregion = (pl.col("subregion") - layout.countries - regions).fill_null(subregions)
    group = (((pl.col("ind") * (regions + 1) + region) * (subregions + 1) + subregion)
             * layout.years + (pl.col("year").cast(pl.Int64) - layout.first))
    cell = pl.col("group") // layout.years
    found_region = cell // (subregions + 1) % (regions + 1)
    found_subregion = cell % (subregions + 1)
    return group, [
        (cell // (subregions + 1) // (regions + 1)).alias("ind"),
        (pl.col("group") % layout.years + layout.first).cast(pl.Int32).alias("year"),
        pl.when(found_region < regions).then(found_region + layout.countries).alias("region"),
        pl.when(found_subregion < subregions)
        .then(found_subregion + layout.countries + regions).alias("subregion"),
    ]


def _aggregate_rows(parts: pl.LazyFrame, layout: _Layout, coverage: _Coverage) -> pl.LazyFrame:
    """Every region's, subregion's and the world's row that has a country counted, with
    `key`, its place among the sums (see `_place_sums`)."""
    masks = _mask_columns(layout)
    # Two steps, each sum once over the country rows: per indicator, year, region and
    # subregion (a few thousand partial sums), then those partial sums per world, region and
    # subregion (every sum here is a sum, a maximum, a count or a bitwise or: it adds up).
    # The first step groups on one whole number standing for the four keys (`_group`):
    # faster than four columns, and each group holds the same rows in the same order.
    group, place = _group(layout)
    partial = (
        _complete(parts, layout, [pl.lit(coverage.weight).gather(pl.col("cidx"))
                                  .alias("weight"), *_masks(layout)])
        .group_by(group.alias("group"))
        .agg(_sums([pl.col("weight").sum().alias("weight_counted"),
                    *(pl.col(m).bitwise_or() for m in masks)]))
        .with_columns(place)
    )
    added = ("num_value", "num_lower", "num_upper", "den_value", "den_lower", "den_upper",
             "n_proxied", "suppressed", "inexact", "weight_counted")
    grouped = (
        _keyed(partial, layout)
        .group_by("key")
        .agg(*(pl.col(c).sum() for c in added), pl.col("denominator_year").max(),
             pl.col("countries_counted").sum().cast(pl.Int32),
             *(pl.col(m).bitwise_or() for m in masks))
        .with_columns((pl.col("key") // layout.summed).alias("ind"))
    )
    rule = _per_indicator(_proxy_rules(), pl.String())
    proxy = (
        pl.when(pl.col("n_proxied") > 0)
        .then(pl.format("{} Used for {} of {} countries.", rule, pl.col("n_proxied"),
                        pl.col("countries_counted")))
        .when(_rates()).then(pl.lit(DENOMINATOR_NOTE))
    )
    note = pl.when(pl.col("suppressed") > 0).then(
        pl.format("{} of the {} countries reported '<5'; the value is a range.",
                  pl.col("suppressed"), pl.col("countries_counted"))
    )
    proxied = pl.col("n_proxied")
    basis = (  # _BASES: 0 own, 1 proxy, 2 partly_proxy; 4 computed (SDG 16.2.2: UNODC
        # publishes no regional or world rate)
        pl.when(pl.col("ind") == _INDEX["victims_per_100k"]).then(pl.lit(4, dtype=pl.UInt8))
        .when(proxied == 0).then(pl.lit(0, dtype=pl.UInt8))
        .when(proxied >= pl.col("countries_counted")).then(pl.lit(1, dtype=pl.UInt8))
        .otherwise(pl.lit(2, dtype=pl.UInt8))
    )
    return grouped.with_columns(_summed(layout)).with_columns(_helpers()).select(
        "key",
        *_values(),
        proxy.alias("proxy"),
        note.alias("note"),
        basis.alias("_basis"),
        pl.lit(False).alias("series_break"),
        pl.lit(None, dtype=pl.Int32).alias("break_year"),
        "denominator_year",
        "countries_counted",
        "weight_counted",
        (pl.col(masks[0]) | _SUMMED).alias(masks[0]),
        *masks[1:],
    )


def _place_sums(rows: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """Every region's, subregion's and the world's rows, placed indicator by indicator,
    regions, subregions then the world, year by year (null where no country counts)."""
    index = pl.repeat(None, len(_KEYS) * layout.summed, dtype=pl.UInt32, eager=True).scatter(
        rows["key"], pl.int_range(0, rows.height, dtype=pl.UInt32, eager=True))
    return rows.drop("key").select(pl.all().gather(index))


def _assemble(countries: pl.DataFrame, sums: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """The output order: per indicator, its country rows, then its region, subregion and world
    rows."""
    blocks = []
    for i in range(len(_KEYS)):
        blocks += [countries.slice(i * layout.cells, layout.cells),
                   sums.slice(i * layout.summed, layout.summed)]
    position = pl.int_range(0, pl.len(), dtype=_INDEX_TYPE)
    # one chunk: the gathers and joins that follow are faster on it
    return pl.concat(blocks, how="vertical", rechunk=True).with_columns(
        (position // (layout.scopes.len() * layout.years)).alias("ind"),
        (position // layout.years % layout.scopes.len()).alias("scope_index"),
        (position % layout.years + layout.first).cast(pl.Int32).alias("year"),
        (position // layout.years).cast(pl.Int64).alias("run"),
    )
