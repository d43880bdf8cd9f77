"""The five indicators of success, as pure Polars functions: observations in, one frame out.

Every indicator is computed the same way, from a numerator and (for rates) a denominator per
country and year:

* a country's value is numerator / denominator (minus 1 for the reporting increase), or the
  numerator itself for counts;
* a region's or the world's value is the ratio of the sums over the countries that have both
  figures that year (never a mean of rates), or the sum of the counts;
* a suppressed figure ("<5") carries its bounds, so the value becomes a range;
* nothing is filled in: a missing input gives `no_data`, with a note that says which.

The rules are written out for people in docs/methodology.md; tests hold both to the same
hand-computed numbers.
"""

from __future__ import annotations

import polars as pl

from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    GLOTIP_MEASURES,
    INDICATOR_INPUTS,
    INDICATORS,
    REPORTING_PROXY_NOTE,
)
from indicators.settings import MIN_POINTS_FOR_TREND, IndicatorSettings

WORLD = "WORLD"
GLOTIP_SOURCE_PREFIX = "unodc_glotip"

INPUT_STRUCT = pl.Struct(
    {
        "measure": pl.String,
        "scope": pl.String,
        "year": pl.Int32,
        "value": pl.Float64,
        "value_status": pl.String,
        "lower": pl.Float64,
        "upper": pl.Float64,
        "source": pl.String,
    }
)

OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "indicator": pl.String(),
    "scope": pl.String(),
    "scope_type": pl.String(),
    "year": pl.Int32(),
    "value": pl.Float64(),
    "lower": pl.Float64(),
    "upper": pl.Float64(),
    "target": pl.Float64(),
    "status": pl.String(),
    "proxy": pl.String(),
    "note": pl.String(),
    "denominator_year": pl.Int32(),
    "countries_counted": pl.Int32(),
    "countries_in_scope": pl.Int32(),
    "coverage_share": pl.Float64(),
    "projected_at_deadline": pl.Float64(),
    "deadline_year": pl.Int32(),
    "inputs": pl.List(INPUT_STRUCT),
}

# The per-country parts every indicator is built from.
_PARTS_SCHEMA: dict[str, pl.DataType] = {
    "iso3": pl.String(),
    "year": pl.Int32(),
    "num_value": pl.Float64(),
    "num_lower": pl.Float64(),
    "num_upper": pl.Float64(),
    "den_value": pl.Float64(),
    "den_lower": pl.Float64(),
    "den_upper": pl.Float64(),
    "denominator_year": pl.Int32(),
    "proxy": pl.String(),
    "note": pl.String(),
    "inputs": pl.List(INPUT_STRUCT),
}


_LIST_OF_INPUTS = pl.List(INPUT_STRUCT)
_NO_INPUT = pl.lit(None, dtype=INPUT_STRUCT)


def compute_indicators(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    settings: IndicatorSettings | None = None,
) -> pl.DataFrame:
    """All five indicators for every country, region and the world, for every year.

    `observations`: current figures (iso3, year, measure, value, value_status, lower, upper,
    source_id and optionally source_citation). `countries`: iso3, name, region.
    Years run from the first to the last year with any figure; a scope and year without the
    figures an indicator needs gets a `no_data` row, never a zero.

    Rows come indicator by indicator (in the order of INDICATORS), then scope by scope
    (countries by ISO3, then regions, then the world), then year by year.

    Speed: the whole computation is one lazy Polars query, collected once, so the optimiser
    shares common work and runs the five indicators in parallel. Each row's list of inputs is
    built from two struct columns (`in1`, `in2`) and a count (`n_inputs`) in one vectorised step
    at the end; `concat_list` of structs row by row was the hot spot (docs/performance.md).
    """
    settings = settings or IndicatorSettings()
    obs = _prepare(observations)
    if obs.height == 0:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    first, last = int(obs["year"].min()), int(obs["year"].max())  # type: ignore[arg-type]
    membership = _membership(countries, obs)
    weights = _latest(obs, "estimated_victims")
    known = obs.select("iso3").unique()
    grid = _grid(membership, first, last, _scope_sizes(membership, weights, known)).lazy()
    lazy_obs = obs.lazy()
    lazy_membership = membership.lazy()
    lazy_weights = weights.lazy()
    frames = [
        _indicator_rows(key, parts, lazy_membership, grid, lazy_weights, settings)
        for key, parts in _all_parts(lazy_obs, settings).items()
    ]
    return (
        pl.concat(frames, how="vertical")
        .select([pl.col(c).cast(t) for c, t in OUTPUT_SCHEMA.items()])
        .collect(engine="in-memory")  # twice as fast as streaming for this many small steps
    )


# -- inputs ------------------------------------------------------------------------------------
def _prepare(observations: pl.DataFrame) -> pl.DataFrame:
    citation = (
        pl.col("source_citation").fill_null(pl.col("source_id"))
        if "source_citation" in observations.columns
        else pl.col("source_id")
    )
    # Only the measures the indicators read: context figures (population, 1960 onwards) and
    # breakdowns must not widen the years or the countries in scope, nor be added into totals.
    observations = observations.filter(pl.col("measure").is_in(list(INDICATOR_INPUTS)))
    return observations.select(
        pl.col("iso3").cast(pl.String),
        pl.col("year").cast(pl.Int32),
        pl.col("measure").cast(pl.String),
        pl.col("value").cast(pl.Float64),
        pl.col("value_status").cast(pl.String),
        pl.coalesce("lower", "value").cast(pl.Float64).alias("lower"),
        pl.coalesce("upper", "value").cast(pl.Float64).alias("upper"),
        pl.col("source_id").cast(pl.String),
        citation.cast(pl.String).alias("source"),
    )


def _membership(countries: pl.DataFrame, obs: pl.DataFrame) -> pl.DataFrame:
    """Each country with its region; countries with figures but unknown region still count
    towards the world."""
    known = countries.select(pl.col("iso3").cast(pl.String), pl.col("region").cast(pl.String))
    extra = (
        obs.select("iso3")
        .unique()
        .join(known, on="iso3", how="anti")
        .with_columns(pl.lit(None, dtype=pl.String).alias("region"))
    )
    return pl.concat([known, extra]).unique("iso3").sort("iso3")


def _measure(obs: pl.LazyFrame, measure: str) -> pl.LazyFrame:
    return obs.filter(pl.col("measure") == measure).drop("measure")


def _input_struct(prefix: str, measure: str | pl.Expr) -> pl.Expr:
    """One input figure of a country row, from the `{prefix}_…` columns."""
    return pl.struct(
        (pl.lit(measure) if isinstance(measure, str) else measure).alias("measure"),
        pl.col("iso3").alias("scope"),
        pl.col(f"{prefix}_year").cast(pl.Int32).alias("year"),
        pl.col(f"{prefix}_value").alias("value"),
        pl.col(f"{prefix}_status").alias("value_status"),
        pl.col(f"{prefix}_lower").alias("lower"),
        pl.col(f"{prefix}_upper").alias("upper"),
        pl.col(f"{prefix}_source").alias("source"),
    ).cast(INPUT_STRUCT)


def _rename(frame: pl.LazyFrame, prefix: str) -> pl.LazyFrame:
    return frame.select(
        "iso3",
        pl.col("year"),
        pl.col("year").alias(f"{prefix}_year"),
        pl.col("value").alias(f"{prefix}_value"),
        pl.col("value_status").alias(f"{prefix}_status"),
        pl.col("lower").alias(f"{prefix}_lower"),
        pl.col("upper").alias(f"{prefix}_upper"),
        pl.col("source").alias(f"{prefix}_source"),
    )


def _denominator(obs: pl.LazyFrame, keys: pl.LazyFrame, measure: str) -> pl.LazyFrame:
    """For each (iso3, year) in `keys`, the figure of `measure` nearest in time, with the year
    it is for (on a tie, the later figure)."""
    figures = (
        _rename(_measure(obs, measure), "den")
        .filter(pl.col("den_value").is_not_null())
        .drop("year")
        .with_columns(pl.col("den_year").alias("year"))
        .sort("year", descending=True)  # on equal distance join_asof keeps the first seen
        .sort("iso3", "year", maintain_order=True)
    )
    return keys.sort("iso3", "year").join_asof(
        figures, on="year", by="iso3", strategy="nearest", check_sortedness=False
    )


def _latest(obs: pl.DataFrame, measure: str) -> pl.DataFrame:
    """Each country's most recent figure of `measure`: iso3 and den_value."""
    return (
        obs.filter(pl.col("measure") == measure)
        .filter(pl.col("value").is_not_null())
        .sort("year")
        .group_by("iso3")
        .agg(pl.col("value").last().alias("den_value"))
    )


def _all_parts(obs: pl.LazyFrame, settings: IndicatorSettings) -> dict[str, pl.LazyFrame]:
    """Per indicator, one row per country and year with the numerator, the denominator, and
    the inputs: `in1` (the numerator's figure), `in2` (the denominator's, if any) and
    `n_inputs` (how many of the two the row shows)."""
    return {
        "conviction_rate": _rate_parts(obs, "persons_convicted"),
        "reporting_increase": _reporting_parts(obs, settings),
        "data_sharing_countries": _data_sharing_parts(obs, settings),
        "identification_rate": _rate_parts(obs, "victims_detected"),
        "victims_prosecuted": _count_parts(obs, "victims_prosecuted"),
    }


def _rate_parts(obs: pl.LazyFrame, numerator: str) -> pl.LazyFrame:
    """numerator / estimated_victims, the estimate nearest in time."""
    num = _rename(_measure(obs, numerator), "num")
    den = _denominator(obs, num.select("iso3", "year"), "estimated_victims")
    joined = num.join(den, on=["iso3", "year"], how="left")
    note = (
        pl.when(pl.col("den_value").is_null())
        .then(pl.lit("No estimate of people in modern slavery for this country."))
        .when(pl.col("den_value") == 0)
        .then(pl.lit("The estimate is zero, so a rate cannot be computed."))
    )
    return joined.select(
        "iso3",
        "year",
        pl.col("num_value"),
        pl.col("num_lower"),
        pl.col("num_upper"),
        pl.col("den_value"),
        pl.col("den_value").alias("den_lower"),
        pl.col("den_value").alias("den_upper"),
        pl.col("den_year").cast(pl.Int32).alias("denominator_year"),
        pl.lit(DENOMINATOR_NOTE).alias("proxy"),
        note.alias("note"),
        _input_struct("num", numerator).alias("in1"),
        _input_struct("den", "estimated_victims").alias("in2"),
        (1 + pl.col("den_year").is_not_null().cast(pl.Int32)).alias("n_inputs"),
    )


def _reporting_parts(obs: pl.LazyFrame, settings: IndicatorSettings) -> pl.LazyFrame:
    """victims_reported(year) against victims_reported(baseline); proxy: victims_detected for
    countries that publish no victims_reported figure at all."""
    reported = _measure(obs, "victims_reported")
    series = reported.with_columns(pl.lit(None, dtype=pl.String).alias("proxy"),
                                   pl.lit("victims_reported").alias("series"))
    if settings.use_proxies:
        detected = _measure(obs, "victims_detected").join(
            reported.select("iso3").unique(), on="iso3", how="anti"
        )
        series = pl.concat(
            [
                series,
                detected.with_columns(
                    pl.lit(REPORTING_PROXY_NOTE).alias("proxy"),
                    pl.lit("victims_detected").alias("series"),
                ),
            ]
        )
    current = series.select(
        "iso3",
        "year",
        pl.col("year").alias("num_year"),
        pl.col("value").alias("num_value"),
        pl.col("value_status").alias("num_status"),
        pl.col("lower").alias("num_lower"),
        pl.col("upper").alias("num_upper"),
        pl.col("source").alias("num_source"),
        "proxy",
        "series",
    )
    baseline = _rename(series.filter(pl.col("year") == settings.baseline_year), "den").drop(
        "year"
    )
    joined = current.join(baseline, on="iso3", how="left")
    before = pl.col("year") < settings.baseline_year
    note = (
        pl.when(before)
        .then(pl.lit(f"Before the baseline year {settings.baseline_year}."))
        .when(pl.col("den_value").is_null() & pl.col("den_lower").is_null())
        .then(pl.lit(f"No figure for the baseline year {settings.baseline_year}."))
        .when(pl.col("den_upper") == 0)
        .then(pl.lit("The baseline figure is zero, so a percentage change is undefined."))
    )
    usable = ~before
    return joined.select(
        "iso3",
        "year",
        pl.when(usable).then(pl.col("num_value")).alias("num_value"),
        pl.when(usable).then(pl.col("num_lower")).alias("num_lower"),
        pl.when(usable).then(pl.col("num_upper")).alias("num_upper"),
        pl.when(usable).then(pl.col("den_value")).alias("den_value"),
        pl.when(usable).then(pl.col("den_lower")).alias("den_lower"),
        pl.when(usable).then(pl.col("den_upper")).alias("den_upper"),
        pl.col("den_year").cast(pl.Int32).alias("denominator_year"),
        pl.col("proxy"),
        note.alias("note"),
        _input_struct("num", pl.col("series")).alias("in1"),
        _input_struct("den", pl.col("series")).alias("in2"),
        (1 + pl.col("den_year").is_not_null().cast(pl.Int32)).alias("n_inputs"),
    )


def _count_parts(obs: pl.LazyFrame, measure: str) -> pl.LazyFrame:
    num = _rename(_measure(obs, measure), "num")
    return num.select(
        "iso3",
        "year",
        "num_value",
        "num_lower",
        "num_upper",
        pl.lit(None, dtype=pl.Float64).alias("den_value"),
        pl.lit(None, dtype=pl.Float64).alias("den_lower"),
        pl.lit(None, dtype=pl.Float64).alias("den_upper"),
        pl.lit(None, dtype=pl.Int32).alias("denominator_year"),
        pl.lit(None, dtype=pl.String).alias("proxy"),
        pl.lit(None, dtype=pl.String).alias("note"),
        _input_struct("num", measure).alias("in1"),
        _NO_INPUT.alias("in2"),
        pl.lit(1, dtype=pl.Int32).alias("n_inputs"),
    )


def _data_sharing_parts(obs: pl.LazyFrame, settings: IndicatorSettings) -> pl.LazyFrame:
    """The country's own flag; else (proxies on) 1 when it reported to UNODC GLOTIP that year.

    A country that did not report is not counted as 0: it has no data for that year.
    """
    flags = _count_parts(obs, "data_sharing_active")
    if not settings.use_proxies:
        return flags
    glotip = (
        obs.filter(
            pl.col("measure").is_in(list(GLOTIP_MEASURES))
            & pl.col("source_id").str.starts_with(GLOTIP_SOURCE_PREFIX)
        )
        .group_by("iso3", "year")
        .agg(pl.col("source").first(), pl.len().alias("figures"))
        .join(flags.select("iso3", "year"), on=["iso3", "year"], how="anti")
    )
    proxied = glotip.select(
        "iso3",
        "year",
        pl.lit(1.0).alias("num_value"),
        pl.lit(1.0).alias("num_lower"),
        pl.lit(1.0).alias("num_upper"),
        pl.lit(None, dtype=pl.Float64).alias("den_value"),
        pl.lit(None, dtype=pl.Float64).alias("den_lower"),
        pl.lit(None, dtype=pl.Float64).alias("den_upper"),
        pl.lit(None, dtype=pl.Int32).alias("denominator_year"),
        pl.lit(DATA_SHARING_PROXY_NOTE).alias("proxy"),
        pl.lit(None, dtype=pl.String).alias("note"),
        pl.struct(
            pl.lit("national totals reported to UNODC GLOTIP").alias("measure"),
            pl.col("iso3").alias("scope"),
            pl.col("year").cast(pl.Int32).alias("year"),
            pl.col("figures").cast(pl.Float64).alias("value"),
            pl.lit("reported").alias("value_status"),
            pl.col("figures").cast(pl.Float64).alias("lower"),
            pl.col("figures").cast(pl.Float64).alias("upper"),
            pl.col("source"),
        ).cast(INPUT_STRUCT).alias("in1"),
        _NO_INPUT.alias("in2"),
        pl.lit(1, dtype=pl.Int32).alias("n_inputs"),
    )
    return pl.concat([flags, proxied], how="vertical_relaxed")


# -- values, aggregation, status ---------------------------------------------------------------
def _values(key: str) -> list[pl.Expr]:
    """value, lower and upper from the numerator and denominator columns."""
    indicator = INDICATORS[key]
    if indicator.unit == "count":
        return [
            pl.col("num_value").alias("value"),
            pl.col("num_lower").alias("lower"),
            pl.col("num_upper").alias("upper"),
        ]
    offset = 1.0 if indicator.unit == "change" else 0.0
    defined = pl.col("den_lower").is_not_null() & (pl.col("den_lower") > 0)
    return [
        pl.when(defined).then(pl.col("num_value") / pl.col("den_value") - offset).alias("value"),
        pl.when(defined).then(pl.col("num_lower") / pl.col("den_upper") - offset).alias("lower"),
        pl.when(defined).then(pl.col("num_upper") / pl.col("den_lower") - offset).alias("upper"),
    ]


def _has_inputs(key: str) -> pl.Expr:
    numerator = pl.col("num_lower").is_not_null()
    if INDICATORS[key].unit == "count":
        return numerator
    return numerator & pl.col("den_lower").is_not_null() & (pl.col("den_lower") > 0)


def _country_rows(key: str, parts: pl.LazyFrame) -> pl.LazyFrame:
    return parts.select(
        pl.col("iso3").alias("scope"),
        "year",
        *_values(key),
        "proxy",
        "note",
        "denominator_year",
        pl.when(_has_inputs(key)).then(1).otherwise(0).cast(pl.Int32).alias("countries_counted"),
        pl.lit(None, dtype=pl.Float64).alias("weight_counted"),
        "in1",
        "in2",
        pl.col("n_inputs").cast(pl.Int32),
    )


def _aggregate_rows(
    key: str,
    parts: pl.LazyFrame,
    membership: pl.LazyFrame,
    weights: pl.LazyFrame,
) -> pl.LazyFrame:
    """Ratio of sums (or sum of counts) over the countries with every input that year."""
    complete = parts.filter(_has_inputs(key)).join(membership, on="iso3", how="left")
    with_weight = complete.join(
        weights.select("iso3", pl.col("den_value").alias("weight")), on="iso3", how="left"
    )
    scoped = pl.concat(
        [
            with_weight.with_columns(pl.lit(WORLD).alias("scope"), pl.lit("world").alias("st")),
            with_weight.filter(pl.col("region").is_not_null()).with_columns(
                pl.col("region").alias("scope"), pl.lit("region").alias("st")
            ),
        ]
    )
    exact = pl.col("num_value").is_not_null().all()
    if INDICATORS[key].unit != "count":  # counts have no denominator
        exact = exact & pl.col("den_value").is_not_null().all()
    proxied = pl.col("proxy").filter(pl.col("proxy") != DENOMINATOR_NOTE)
    sources = (
        pl.col("in1").struct.field("source")
        .append(pl.col("in2").struct.field("source").filter(pl.col("n_inputs") > 1))
        .unique().sort().str.join("; ")
    )
    grouped = scoped.group_by("scope", "st", "year").agg(
        pl.when(exact).then(pl.col("num_value").sum()).alias("num_value"),
        pl.col("num_lower").sum(),
        pl.col("num_upper").sum(),
        pl.when(exact).then(pl.col("den_value").sum()).alias("den_value"),
        pl.col("den_lower").sum(),
        pl.col("den_upper").sum(),
        pl.col("denominator_year").max(),
        pl.len().cast(pl.Int32).alias("countries_counted"),
        pl.col("weight").sum().alias("weight_counted"),
        proxied.len().alias("proxied"),
        proxied.first().alias("proxy_rule"),
        pl.col("proxy").filter(pl.col("proxy") == DENOMINATOR_NOTE).first().alias("den_note"),
        sources.alias("sources"),
        pl.col("num_lower").filter(pl.col("num_value").is_null()).len().alias("suppressed"),
    )
    indicator = INDICATORS[key]
    if indicator.unit != "count":
        grouped = grouped.with_columns(
            pl.when(pl.col("den_lower") == 0).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("num_value", "num_lower", "num_upper")
        )
    proxy = (
        pl.when(pl.col("proxied") > 0)
        .then(
            pl.format(
                "{} Used for {} of {} countries.",
                pl.col("proxy_rule"),
                pl.col("proxied"),
                pl.col("countries_counted"),
            )
        )
        .otherwise(pl.col("den_note"))
    )
    num_struct = pl.struct(
        pl.lit(_numerator_measure(key)).alias("measure"),
        pl.col("scope"),
        pl.col("year").cast(pl.Int32),
        pl.col("num_value").alias("value"),
        pl.format("sum over {} countries", pl.col("countries_counted")).alias("value_status"),
        pl.col("num_lower").alias("lower"),
        pl.col("num_upper").alias("upper"),
        pl.col("sources").alias("source"),
    ).cast(INPUT_STRUCT)
    den_struct = pl.struct(
        pl.lit(_denominator_measure(key)).alias("measure"),
        pl.col("scope"),
        pl.col("denominator_year").cast(pl.Int32).alias("year"),
        pl.col("den_value").alias("value"),
        pl.format("sum over {} countries", pl.col("countries_counted")).alias("value_status"),
        pl.col("den_lower").alias("lower"),
        pl.col("den_upper").alias("upper"),
        pl.col("sources").alias("source"),
    ).cast(INPUT_STRUCT)
    is_count = indicator.unit == "count"
    note = pl.when(pl.col("suppressed") > 0).then(
        pl.format(
            "{} of the {} countries reported '<5'; the value is a range.",
            pl.col("suppressed"),
            pl.col("countries_counted"),
        )
    )
    return grouped.with_columns(_values(key)).select(
        "scope",
        pl.col("year").cast(pl.Int32),
        "value",
        "lower",
        "upper",
        proxy.alias("proxy"),
        note.alias("note"),
        "denominator_year",
        "countries_counted",
        "weight_counted",
        num_struct.alias("in1"),
        (_NO_INPUT if is_count else den_struct).alias("in2"),
        pl.lit(1 if is_count else 2, dtype=pl.Int32).alias("n_inputs"),
    )


def _numerator_measure(key: str) -> str:
    return {
        "conviction_rate": "persons_convicted",
        "reporting_increase": "victims_reported (or proxy), year",
        "data_sharing_countries": "countries sharing data",
        "identification_rate": "victims_detected",
        "victims_prosecuted": "victims_prosecuted",
    }[key]


def _denominator_measure(key: str) -> str:
    if key == "reporting_increase":
        return "victims_reported (or proxy), baseline year"
    return "estimated_victims"


def _grid(membership: pl.DataFrame, first: int, last: int, sizes: pl.DataFrame) -> pl.DataFrame:
    """Every scope × every year, in output order, with each region's and the world's size.

    Built by position (scope i, year j is row i × years + j) rather than a cross join, so the
    order is fixed and the projection's running sums need no sort.
    """
    regions = membership["region"].drop_nulls().unique().sort()
    scopes = pl.concat(
        [
            membership.select(pl.col("iso3").alias("scope"), pl.lit("country").alias("scope_type")),
            pl.DataFrame({"scope": regions, "scope_type": ["region"] * len(regions)}),
            pl.DataFrame({"scope": [WORLD], "scope_type": ["world"]}),
        ]
    ).join(sizes, on="scope", how="left", maintain_order="left")
    n_years = last - first + 1
    position = pl.int_range(0, scopes.height * n_years, dtype=pl.Int64)
    return scopes.select(pl.all().gather(position // n_years)).with_columns(
        (pl.int_range(0, pl.len(), dtype=pl.Int64) % n_years + first).cast(pl.Int32).alias("year")
    )


def _scope_sizes(membership: pl.DataFrame, weights: pl.DataFrame,
                 known: pl.DataFrame) -> pl.DataFrame:
    """Each region's and the world's countries that have any figure in the store, and their
    total estimated victims (the base of the coverage share)."""
    weighted = membership.join(known, on="iso3", how="semi").join(
        weights.select("iso3", pl.col("den_value").alias("weight")), on="iso3", how="left"
    )
    world = weighted.select(
        pl.lit(WORLD).alias("scope"),
        pl.len().cast(pl.Int32).alias("countries_in_scope_size"),
        pl.col("weight").sum().alias("weight_total"),
    )
    regions = weighted.filter(pl.col("region").is_not_null()).group_by("region").agg(
        pl.len().cast(pl.Int32).alias("countries_in_scope_size"),
        pl.col("weight").sum().alias("weight_total"),
    ).rename({"region": "scope"})
    return pl.concat([world, regions.select(world.columns)])


def _indicator_rows(
    key: str,
    parts: pl.LazyFrame,
    membership: pl.LazyFrame,
    grid: pl.LazyFrame,
    weights: pl.LazyFrame,
    settings: IndicatorSettings,
) -> pl.LazyFrame:
    indicator = INDICATORS[key]
    countries = _country_rows(key, parts)
    aggregates = _aggregate_rows(key, parts, membership, weights)
    rows = pl.concat([countries, aggregates.select(countries.collect_schema().names())],
                     how="vertical_relaxed")
    table = grid.join(rows, on=["scope", "year"], how="left", maintain_order="left")
    is_country = pl.col("scope_type") == "country"
    table = table.with_columns(
        pl.when(is_country)
        .then(pl.lit(1, dtype=pl.Int32))
        .otherwise(pl.col("countries_in_scope_size").fill_null(0))
        .alias("countries_in_scope"),
        pl.when(is_country | ~(pl.col("weight_total") > 0))  # no estimates: unknown, not NaN
        .then(None)
        .otherwise(pl.col("weight_counted") / pl.col("weight_total"))
        .alias("coverage_share"),
        pl.col("countries_counted").fill_null(0),
        _inputs_list().alias("inputs"),
        pl.lit(key).alias("indicator"),
        pl.lit(settings.deadline_year, dtype=pl.Int32).alias("deadline_year"),
        _target(key).alias("target"),
    )
    return _with_status(table, indicator.comparison, settings, key)


def _inputs_list() -> pl.Expr:
    """Each row's inputs: the first `n_inputs` of (in1, in2), a missing row's none.

    Interleaving the two struct columns and reshaping them into pairs is several times faster
    than `concat_list` (row by row) and faster than `concat_arr`.
    """
    position = pl.int_range(0, 2 * pl.len(), dtype=pl.Int64)
    interleaved = position // 2 + (position % 2) * pl.len()
    return (
        pl.col("in1").append(pl.col("in2")).gather(interleaved)
        .reshape((-1, 2)).arr.to_list()
        .list.head(pl.col("n_inputs").fill_null(0))
    )


def _target(key: str) -> pl.Expr:
    indicator = INDICATORS[key]
    if key == "data_sharing_countries":
        # A country's own target is its flag being 1; only the world has the 60-country target.
        return (
            pl.when(pl.col("scope_type") == "country")
            .then(pl.lit(1.0))
            .when(pl.col("scope_type") == "world")
            .then(pl.lit(float(indicator.target)))
            .otherwise(None)
        )
    return pl.lit(float(indicator.target))


def _meets(expr: pl.Expr, comparison: str) -> pl.Expr:
    target = pl.col("target")
    if comparison == "gt":
        return expr > target
    if comparison == "ge":
        return expr >= target
    return expr == target


def _with_status(
    table: pl.LazyFrame, comparison: str, settings: IndicatorSettings, key: str
) -> pl.LazyFrame:
    """met / on_track / off_track / uncertain / no_target / no_data, and the projection."""
    has_range = pl.col("lower").is_not_null() & pl.col("upper").is_not_null()
    if comparison == "eq":
        # Zero is the target: a range of 1–4 is certainly not zero.
        surely_met = pl.col("upper") == pl.col("target")
        surely_not = pl.col("lower") > pl.col("target")
    else:
        surely_met = _meets(pl.col("lower"), comparison)
        surely_not = ~_meets(pl.col("upper"), comparison)
    table = _with_projection(table, settings, key, comparison)
    reaches = pl.col("projected_at_deadline").is_not_null() & (
        (pl.col("projected_at_deadline") <= pl.col("target"))
        if comparison == "eq"
        else _meets(pl.col("projected_at_deadline"), comparison)
    )
    status = (
        pl.when(~has_range)
        .then(pl.lit("no_data"))
        .when(pl.col("target").is_null())
        .then(pl.lit("no_target"))
        .when(surely_met)
        .then(pl.lit("met"))
        .when(~surely_not)
        .then(pl.lit("uncertain"))
        .when(reaches & (pl.col("year") <= settings.deadline_year))
        .then(pl.lit("on_track"))
        .otherwise(pl.lit("off_track"))
    )
    return table.with_columns(status.alias("status"))


def _with_projection(
    table: pl.LazyFrame, settings: IndicatorSettings, key: str, comparison: str
) -> pl.LazyFrame:
    """The least-squares line through the scope's yearly values from the baseline year up to
    this year (at least three points), evaluated at the deadline year.

    Computed with running sums so each (scope, year) only sees its own past. The grid holds
    each scope's years in order, so the running sums need no sort.
    """
    # A range is projected from its end farther from the target, so "on track" is never
    # claimed on the strength of a suppressed figure.
    pessimistic = pl.col("upper") if comparison == "eq" else pl.col("lower")
    in_window = (pl.col("year") >= settings.baseline_year) & pessimistic.is_not_null()
    t = pl.when(in_window).then(pl.col("year").cast(pl.Float64) - settings.baseline_year)
    v = pl.when(in_window).then(pessimistic)
    sums = table.with_columns(
        in_window.cast(pl.Float64).cum_sum().over("scope").alias("_n"),
        t.fill_null(0).cum_sum().over("scope").alias("_st"),
        v.fill_null(0).cum_sum().over("scope").alias("_sv"),
        (t * t).fill_null(0).cum_sum().over("scope").alias("_stt"),
        (t * v).fill_null(0).cum_sum().over("scope").alias("_stv"),
    )
    n, st, sv = pl.col("_n"), pl.col("_st"), pl.col("_sv")
    stt, stv = pl.col("_stt"), pl.col("_stv")
    denominator = n * stt - st * st
    slope = (n * stv - st * sv) / denominator
    intercept = (sv - slope * st) / n
    horizon = float(settings.deadline_year - settings.baseline_year)
    projected = intercept + slope * horizon
    # a year without a value of its own gets no projection (its status is no_data)
    enough = (n >= MIN_POINTS_FOR_TREND) & (denominator != 0) & pessimistic.is_not_null()
    if key == "data_sharing_countries":
        enough = enough & (pl.col("scope_type") != "country")
    return sums.with_columns(
        pl.when(enough).then(projected).otherwise(None).alias("projected_at_deadline")
    ).drop("_n", "_st", "_sv", "_stt", "_stv")
