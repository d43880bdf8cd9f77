"""The finished rows: names, targets, coverage, and each row's status, trend line and
projection at the deadline.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import _Coverage, _Layout
from indicators.compute.schema import _INDEX, _KEYS, OUTPUT_SCHEMA
from indicators.compute.values import _is_unit, _per_indicator
from indicators.measures import INDICATORS
from indicators.settings import FLAT_TREND_SHARE, MIN_POINTS_FOR_TREND, IndicatorSettings


def _finish(table: pl.DataFrame, layout: _Layout, coverage: _Coverage,
            settings: IndicatorSettings) -> pl.DataFrame:
    scope = pl.col("scope_index")
    is_country = scope < layout.countries
    is_world = scope == layout.world
    scope_types = pl.Series(["country"] * layout.countries + ["region"] * layout.regions
                            + ["subregion"] * (layout.world - layout.countries - layout.regions)
                            + ["world"])
    scope_type = pl.lit(scope_types).gather(scope)
    total = pl.lit(coverage.weight_total).gather(scope)
    sharing = pl.col("ind") == _INDEX["data_sharing_countries"]
    target = (
        pl.when(~sharing).then(_per_indicator(
            {k: _target(k) for k in _KEYS}, pl.Float64()))
        .when(is_country).then(pl.lit(1.0))  # a country's own target is its flag being 1
        .when(is_world).then(pl.lit(float(INDICATORS["data_sharing_countries"].target)))
    )
    table = table.with_columns(
        pl.lit(_KEYS_SERIES).gather(pl.col("ind")).alias("indicator"),
        pl.lit(layout.scopes).gather(scope).alias("scope"),
        scope_type.alias("scope_type"),
        target.alias("target"),
        pl.when(is_country).then(pl.lit(1, dtype=pl.Int32))
        .otherwise(pl.lit(coverage.in_scope).gather(scope).fill_null(0))
        .alias("countries_in_scope"),
        pl.when(is_country | ~(total > 0))  # no estimates: unknown, not NaN
        .then(None).otherwise(pl.col("weight_counted") / total).alias("coverage_share"),
        pl.col("countries_counted").fill_null(0),
        pl.lit(settings.deadline_year, dtype=pl.Int32).alias("deadline_year"),
        pl.col("ind").is_in(_kinds()["gt"]).alias("_gt"),
        pl.col("ind").is_in(_kinds()["ge"]).alias("_ge"),
        # a target with a deadline (a country's own data-sharing flag holds year by year)
        (pl.col("ind").is_in([_INDEX[k] for k in _KEYS if INDICATORS[k].deadline])
         & ~(sharing & is_country)).alias("_deadline"),
        pl.col("series_break").fill_null(False),
    )
    table = _with_status(_with_projection(table, settings, layout), settings)
    return table.with_columns(
        pl.when(pl.col("_deadline")).then(pl.col("deadline_year")).alias("deadline_year"),
        # a country's own data-sharing flag has no trend line (and no "trend: none yet")
        pl.when((pl.col("status") != "no_data") & ~(sharing & is_country))
        .then(pl.lit(_TRENDS).gather(pl.col("_trend"))).alias("trend"),
        pl.lit(_BASES).gather(pl.col("_basis")).alias("basis"),
    ).select([pl.col(c).cast(t) for c, t in OUTPUT_SCHEMA.items()])


# the words of the trend and basis codes (computed as small integers, named once at the end)
_TRENDS = pl.Series(["none", "improving", "worsening", "flat", "rising", "falling", "unclear"],
                    dtype=pl.String)
# 3 and 4: SDG 16.2.2's UNODC published rate, or the rate computed where there is none
_BASES = pl.Series(["own", "proxy", "partly_proxy", "published", "computed"], dtype=pl.String)
_KEYS_SERIES = pl.Series("indicator", _KEYS, dtype=pl.String)


def _target(key: str) -> float | None:
    target = INDICATORS[key].target
    return None if target is None else float(target)


def _kinds() -> dict[str, list[int]]:
    return {c: [_INDEX[k] for k in _KEYS if INDICATORS[k].comparison == c]
            for c in ("gt", "ge", "eq")}


def _comparison(gt: pl.Expr, ge: pl.Expr, eq: pl.Expr) -> pl.Expr:
    """The expression for the row's indicator's comparison with its target (`_gt`, `_ge`:
    whether the indicator compares with > or >=; else with ==)."""
    return pl.when(pl.col("_gt")).then(gt).when(pl.col("_ge")).then(ge).otherwise(eq)


def _with_status(table: pl.DataFrame, settings: IndicatorSettings) -> pl.DataFrame:
    """no_data, no_target, met (met_on_proxy when the value rests on a proxy, wholly or in
    part), uncertain; then, for a target with a deadline, on_track / off_track up to the
    deadline (not_met after it), and for a target that holds every year, not_met."""
    target, lower, upper = pl.col("target"), pl.col("lower"), pl.col("upper")
    has_range = lower.is_not_null() & upper.is_not_null()
    # Zero is the target: a range of 1–4 is certainly not zero.
    surely_met = _comparison(lower > target, lower >= target, upper == target)
    surely_not = _comparison(~(upper > target), ~(upper >= target), lower > target)
    projected = pl.col("projected_at_deadline")
    reaches = projected.is_not_null() & _comparison(
        projected > target, projected >= target, projected <= target)
    before_deadline = pl.col("year") <= settings.deadline_year
    status = (
        pl.when(~has_range)
        .then(pl.lit("no_data"))
        .when(target.is_null())
        .then(pl.lit("no_target"))
        .when(surely_met & pl.col("_basis").is_in([1, 2]))  # on a proxy, wholly or in part
        .then(pl.lit("met_on_proxy"))
        .when(surely_met)
        .then(pl.lit("met"))
        .when(~surely_not)
        .then(pl.lit("uncertain"))
        .when(~pl.col("_deadline") | ~before_deadline)
        .then(pl.lit("not_met"))
        .when(reaches)
        .then(pl.lit("on_track"))
        .otherwise(pl.lit("off_track"))
    )
    return table.with_columns(status.alias("status"))


def _with_projection(table: pl.DataFrame, settings: IndicatorSettings,
                     layout: _Layout) -> pl.DataFrame:
    """The least-squares line through the scope's yearly values from the baseline year up to
    this year (at least three points): its direction (`trend`) and, for a target with a
    deadline, its value at the deadline year (`projected_at_deadline`), never below what the
    value can be (zero; −100% for a change): a line that falls further has reached zero.

    Computed with running sums so each (scope, year) only sees its own past. Only the years
    from the baseline on that have a value count (and only they get a projection), so the
    sums run over those rows alone; each indicator and scope's years are consecutive rows (a
    `run`), in order, so the running sums need no sort.
    """
    # A range is projected from its end farther from the target, so "on track" is never
    # claimed on the strength of a suppressed figure.
    # Without a target (SDG 16.2.2) no end is farther from it: the line is drawn through the
    # lower ends and through the upper ends, and it rises or falls only when both do (an exact
    # value is both ends).
    aimless = pl.col("target").is_null() & ~pl.col("_gt") & ~pl.col("_ge")
    pessimistic = _comparison(pl.col("lower"), pl.col("lower"), pl.col("upper"))
    window = table.select(
        pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("row"),
        "run",
        (pl.col("year").cast(pl.Float64) - settings.baseline_year).alias("t"),
        pl.when(aimless).then(pl.col("lower")).otherwise(pessimistic).alias("v"),
        pl.when(aimless).then(pl.col("upper")).otherwise(pessimistic).alias("w"),
        # a country's own data-sharing flag is not projected
        ((pl.col("ind") == _INDEX["data_sharing_countries"])
         & (pl.col("scope_index") < layout.countries)).alias("own_flag"),
        # +1 where higher is better, −1 for the zero target
        pl.when(pl.col("_gt") | pl.col("_ge")).then(1.0).otherwise(-1.0).alias("towards"),
        "_deadline",
        pl.when(_is_unit("change")).then(-1.0).otherwise(0.0).alias("floor"),
        # no target (SDG 16.2.2): the line rises or falls, towards nothing
        aimless.alias("aimless"),
    ).filter((pl.col("t") >= 0) & pl.col("v").is_not_null())
    t, v, w = pl.col("t"), pl.col("v"), pl.col("w")
    sums = window.with_columns(
        pl.col("row").cum_count().over("run").cast(pl.Float64).alias("n"),
        t.cum_sum().over("run").alias("st"),
        v.cum_sum().over("run").alias("sv"),
        w.cum_sum().over("run").alias("sw"),
        (t * t).cum_sum().over("run").alias("stt"),
        (t * v).cum_sum().over("run").alias("stv"),
        (t * w).cum_sum().over("run").alias("stw"),
    )
    n, st, sv, sw = pl.col("n"), pl.col("st"), pl.col("sv"), pl.col("sw")
    stt, stv, stw = pl.col("stt"), pl.col("stv"), pl.col("stw")
    denominator = n * stt - st * st
    slope = (n * stv - st * sv) / denominator
    intercept = (sv - slope * st) / n
    horizon = float(settings.deadline_year - settings.baseline_year)
    enough = (n >= MIN_POINTS_FOR_TREND) & (denominator != 0) & ~pl.col("own_flag")
    towards = slope * pl.col("towards")
    flat = slope.abs() <= FLAT_TREND_SHARE * (sv / n).abs()
    # the line through the other ends (the same line where every value is exact)
    slope_w = (n * stw - st * sw) / denominator
    flat_w = slope_w.abs() <= FLAT_TREND_SHARE * (sw / n).abs()
    aimless_trend = (
        pl.when(flat & flat_w).then(pl.lit(3, dtype=pl.UInt8))
        .when((slope > 0) & (slope_w > 0) & ~flat & ~flat_w).then(pl.lit(4, dtype=pl.UInt8))
        .when((slope < 0) & (slope_w < 0) & ~flat & ~flat_w).then(pl.lit(5, dtype=pl.UInt8))
        .otherwise(pl.lit(6, dtype=pl.UInt8))  # the two ends disagree
    )
    trend = (  # _TRENDS: 0 none, 1 improving, 2 worsening, 3 flat, 4 rising, 5 falling,
        # 6 unclear
        pl.when(~enough).then(pl.lit(0, dtype=pl.UInt8))
        .when(pl.col("aimless")).then(aimless_trend)
        .when(flat).then(pl.lit(3, dtype=pl.UInt8))
        .when(towards > 0).then(pl.lit(1, dtype=pl.UInt8))
        .otherwise(pl.lit(2, dtype=pl.UInt8))
    )
    line = sums.select(
        "row",
        pl.when(enough & pl.col("_deadline"))
        .then(pl.max_horizontal(intercept + slope * horizon, pl.col("floor"))).alias("p"),
        trend.alias("trend"),
    )
    projected = pl.repeat(None, table.height, dtype=pl.Float64, eager=True).scatter(
        line["row"], line["p"])
    trends = pl.zeros(table.height, dtype=pl.UInt8, eager=True).scatter(
        line["row"], line["trend"])
    return table.with_columns(projected.alias("projected_at_deadline"), trends.alias("_trend"))
