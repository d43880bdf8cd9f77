"""The finished rows: names, targets, coverage, and each row's status, trend line and
projection at the deadline.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import _collect, _Coverage, _Layout
from indicators.compute.schema import _INDEX, _KEYS, OUTPUT_SCHEMA
from indicators.compute.values import _is_unit, _per_indicator
from indicators.measures import INDICATORS
from indicators.settings import FLAT_TREND_SHARE, MIN_POINTS_FOR_TREND, IndicatorSettings


def _finish(table: pl.DataFrame, layout: _Layout, coverage: _Coverage,
            settings: IndicatorSettings) -> pl.DataFrame:
    """The output's columns, in order: the rows' names, targets and coverage, and their
    status, trend and projection (one pass over the rows after the trend lines)."""
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
    kinds = {k: INDICATORS[k].comparison for k in _KEYS}
    table = table.with_columns(
        target.alias("target"),
        _per_indicator({k: c == "gt" for k, c in kinds.items()}, pl.Boolean()).alias("_gt"),
        _per_indicator({k: c == "ge" for k, c in kinds.items()}, pl.Boolean()).alias("_ge"),
        # a target with a deadline (a country's own data-sharing flag holds year by year)
        (_per_indicator({k: INDICATORS[k].deadline for k in _KEYS}, pl.Boolean())
         & ~(sharing & is_country)).alias("_deadline"),
    )
    projected, trends = _projection(table, settings, layout)
    status = pl.col("_status")
    names = {
        "indicator": pl.lit(_KEYS_SERIES).gather(pl.col("ind")),
        "scope": pl.lit(layout.scopes).gather(scope),
        "scope_type": scope_type,
        "status": pl.lit(pl.Series(_STATUSES, dtype=pl.String)).gather(status),
        # a country's own data-sharing flag has no trend line (and no "trend: none yet")
        "trend": pl.when((status != 0) & ~(sharing & is_country))
        .then(pl.lit(_TRENDS).gather(pl.col("_trend"))),
        "basis": pl.lit(_BASES).gather(pl.col("_basis")),
        "countries_counted": pl.col("countries_counted").fill_null(0),
        "countries_in_scope": pl.when(is_country).then(pl.lit(1, dtype=pl.Int32))
        .otherwise(pl.lit(coverage.in_scope).gather(scope).fill_null(0)),
        "coverage_share": pl.when(is_country | ~(total > 0))  # no estimates: unknown, not NaN
        .then(None).otherwise(pl.col("weight_counted") / total),
        "deadline_year": pl.when(pl.col("_deadline"))
        .then(pl.lit(settings.deadline_year, dtype=pl.Int32)),
        "series_break": pl.col("series_break").fill_null(False),
    }
    [finished] = _collect(table.lazy().with_columns(
        projected.alias("projected_at_deadline"), trends.alias("_trend"),
    ).with_columns(_surely_met().alias("_surely_met")).with_columns(
        _status(settings).alias("_status")).select(
        names.get(c, pl.col(c)).cast(t).alias(c) for c, t in OUTPUT_SCHEMA.items()
    ))
    return finished


# the words of the status, trend and basis codes (computed as small integers, named once at
# the end)
_STATUSES = ("no_data", "no_target", "met_on_proxy", "met", "uncertain", "not_met", "on_track",
             "off_track")
_TRENDS = pl.Series(["none", "improving", "worsening", "flat", "rising", "falling", "unclear"],
                    dtype=pl.String)
# 3 and 4: SDG 16.2.2's UNODC published rate, or the rate computed where there is none
_BASES = pl.Series(["own", "proxy", "partly_proxy", "published", "computed"], dtype=pl.String)
_KEYS_SERIES = pl.Series("indicator", _KEYS, dtype=pl.String)


def _target(key: str) -> float | None:
    target = INDICATORS[key].target
    return None if target is None else float(target)


def _comparison(gt: pl.Expr, ge: pl.Expr, eq: pl.Expr) -> pl.Expr:
    """The expression for the row's indicator's comparison with its target (`_gt`, `_ge`:
    whether the indicator compares with > or >=; else with ==)."""
    return pl.when(pl.col("_gt")).then(gt).when(pl.col("_ge")).then(ge).otherwise(eq)


def _status(settings: IndicatorSettings) -> pl.Expr:
    """The row's status, as its place in _STATUSES: no_data, no_target, met (met_on_proxy
    when the value rests on a proxy, wholly or in part), uncertain; then, for a target with a
    deadline, on_track / off_track up to the deadline (not_met after it), and for a target
    that holds every year, not_met. Reads the `_surely_met` column."""
    target, lower, upper = pl.col("target"), pl.col("lower"), pl.col("upper")
    has_range = lower.is_not_null() & upper.is_not_null()
    surely_met = pl.col("_surely_met")  # read twice: a column (see `_surely_met`)
    surely_not = _comparison(~(upper > target), ~(upper >= target), lower > target)
    projected = pl.col("projected_at_deadline")
    reaches = projected.is_not_null() & _comparison(
        projected > target, projected >= target, projected <= target)
    before_deadline = pl.col("year") <= settings.deadline_year

    def code(name: str) -> pl.Expr:
        return pl.lit(_STATUSES.index(name), dtype=pl.UInt8)

    return (
        pl.when(~has_range)
        .then(code("no_data"))
        .when(target.is_null())
        .then(code("no_target"))
        .when(surely_met & pl.col("_basis").is_in([1, 2]))  # on a proxy, wholly or in part
        .then(code("met_on_proxy"))
        .when(surely_met)
        .then(code("met"))
        .when(~surely_not)
        .then(code("uncertain"))
        .when(~pl.col("_deadline") | ~before_deadline)
        .then(code("not_met"))
        .when(reaches)
        .then(code("on_track"))
        .otherwise(code("off_track"))
    )


def _surely_met() -> pl.Expr:
    """Whether the row's whole range meets its target (the `_surely_met` column `_status`
    reads). Zero is the target: a range of 1–4 is certainly not zero."""
    target, lower, upper = pl.col("target"), pl.col("lower"), pl.col("upper")
    return _comparison(lower > target, lower >= target, upper == target)


def _projection(table: pl.DataFrame, settings: IndicatorSettings,
                layout: _Layout) -> tuple[pl.Series, pl.Series]:
    """The least-squares line through the scope's yearly values from the baseline year up to
    this year (at least three points): its direction (`trend`) and, for a target with a
    deadline, its value at the deadline year (`projected_at_deadline`), never below what the
    value can be (zero; −100% for a change): a line that falls further has reached zero.

    Computed with running sums so each (scope, year) only sees its own past. Only the years
    from the baseline on that have a value count (and only they get a projection), so the
    sums run over those rows alone; each indicator and scope's years are consecutive rows (a
    `run`), in order, so the running sums need no sort. The count and the sums of the years
    (whole numbers, so exact in any order) are running sums over all the rows less their
    total before the run; the values' sums run within each run, in order.
    """
    # A range is projected from its end farther from the target, so "on track" is never
    # claimed on the strength of a suppressed figure.
    # Without a target (SDG 16.2.2) no end is farther from it: the line is drawn through the
    # lower ends and through the upper ends, and it rises or falls only when both do (an exact
    # value is both ends).
    aimless = pl.col("target").is_null() & ~pl.col("_gt") & ~pl.col("_ge")
    pessimistic = _comparison(pl.col("lower"), pl.col("lower"), pl.col("upper"))
    # the years from the baseline on first (a fifth of the rows), then those with a value
    window = table.lazy().with_row_index("row").filter(
        pl.col("year") >= settings.baseline_year
    ).select(
        "row",
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
    ).filter(pl.col("v").is_not_null())
    t, v, w = pl.col("t"), pl.col("v"), pl.col("w")
    run = pl.col("run").set_sorted()  # the rows' order
    first = run != run.shift(1).fill_null(-1)  # the run's first row in the window

    def within_run(running: str, value: pl.Expr) -> pl.Expr:
        """A running sum over all rows (`running`, of `value`) less its total before the run."""
        total = pl.col(running)
        return total - pl.when(first).then(total - value).forward_fill()

    def running(rows: pl.LazyFrame, *, aimless: bool) -> pl.LazyFrame:
        """The running sums; the other ends' own only where there is no target (elsewhere
        both ends are the pessimistic one: the same sums)."""
        other_ends = ((w.cum_sum().over(run).alias("sw"), (t * w).cum_sum().over(run)
                       .alias("stw")) if aimless else
                      (pl.col("sv").alias("sw"), pl.col("stv").alias("stw")))
        return rows.with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).cast(pl.Float64).alias("_n"),
            t.cum_sum().alias("_st"),
            (t * t).cum_sum().alias("_stt"),
        ).with_columns(
            within_run("_n", pl.lit(1.0)).alias("n"),
            within_run("_st", t).alias("st"),
            within_run("_stt", t * t).alias("stt"),
            v.cum_sum().over(run).alias("sv"),
            (t * v).cum_sum().over(run).alias("stv"),
        ).with_columns(*other_ends)

    # an indicator's runs either all have a target or none does: each part keeps its runs whole
    sums = pl.concat([running(window.filter(~pl.col("aimless")), aimless=False),
                      running(window.filter(pl.col("aimless")), aimless=True)])
    n, st, sv, sw = pl.col("n"), pl.col("st"), pl.col("sv"), pl.col("sw")
    stt, stv, stw = pl.col("stt"), pl.col("stv"), pl.col("stw")
    denominator = pl.col("denominator")
    lines = sums.with_columns((n * stt - st * st).alias("denominator")).with_columns(
        ((n * stv - st * sv) / denominator).alias("slope"),
        # the line through the other ends (the same line where every value is exact)
        ((n * stw - st * sw) / denominator).alias("slope_w"),
    )
    slope, slope_w = pl.col("slope"), pl.col("slope_w")
    lines = lines.with_columns(
        (slope.abs() <= FLAT_TREND_SHARE * (sv / n).abs()).alias("flat"),
        (slope_w.abs() <= FLAT_TREND_SHARE * (sw / n).abs()).alias("flat_w"),
        ((n >= MIN_POINTS_FOR_TREND) & (denominator != 0) & ~pl.col("own_flag"))
        .alias("enough"),
    )
    flat, flat_w, enough = pl.col("flat"), pl.col("flat_w"), pl.col("enough")
    intercept = (sv - slope * st) / n
    horizon = float(settings.deadline_year - settings.baseline_year)
    towards = slope * pl.col("towards")
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
    [line] = _collect(lines.select(
        "row",
        pl.when(enough & pl.col("_deadline"))
        .then(pl.max_horizontal(intercept + slope * horizon, pl.col("floor"))).alias("p"),
        trend.alias("trend"),
    ))
    projected = pl.repeat(None, table.height, dtype=pl.Float64, eager=True).scatter(
        line["row"], line["p"])
    trends = pl.zeros(table.height, dtype=pl.UInt8, eager=True).scatter(
        line["row"], line["trend"])
    return projected, trends
