"""The five indicators of success, as pure Polars functions: observations in, one frame out.

Every indicator is computed the same way, from a numerator and (for rates) a denominator per
country and year:

* a country's value is numerator / denominator (minus 1 for the reporting increase), or the
  numerator itself for counts;
* a region's or the world's value is the ratio of the sums over the countries that have both
  figures that year (never a mean of rates), or the sum of the counts;
* a suppressed figure ("<5") carries its bounds, so the value becomes a range;
* nothing is filled in: a missing input gives `no_data`, with a note that says which.

Two entry points: `compute_indicators` gives every row's value, status and sources (what pages
and charts draw), and `indicator_inputs` gives the figures each asked-for row rests on (what the
CLI report prints), computed only for those rows.

The rules are written out for people in docs/methodology.md; tests hold both to the same
hand-computed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    GLOTIP_MEASURES,
    INDICATOR_INPUTS,
    INDICATORS,
    PER_100K,
    REPORTING_PROXY_NOTE,
)
from indicators.settings import (
    FLAT_TREND_SHARE,
    MIN_POINTS_FOR_TREND,
    SERIES_BREAK_FACTOR,
    SERIES_BREAK_MIN_COUNT,
    IndicatorSettings,
)

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
INPUTS_DTYPE = pl.List(INPUT_STRUCT)

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
    # improving / worsening / flat: the least-squares line since the baseline year, towards the
    # target or away from it (rising / falling where there is no target, SDG 16.2.2, through
    # both ends of any range; unclear: the two ends disagree); none: fewer than 3 yearly values
    # (null: no value this year)
    "trend": pl.String(),
    # own / proxy / partly_proxy: whether the value rests on a proxy (indicators 2 and 3), for
    # every country counted or for some (null: no value)
    "basis": pl.String(),
    "proxy": pl.String(),
    "note": pl.String(),
    "denominator_year": pl.Int32(),
    "countries_counted": pl.Int32(),
    "countries_in_scope": pl.Int32(),
    "coverage_share": pl.Float64(),
    "projected_at_deadline": pl.Float64(),
    # null for a target that holds every year (no deadline; see Indicator.deadline)
    "deadline_year": pl.Int32(),
    # the count behind a country's value rose or fell more than SERIES_BREAK_FACTOR times
    # since the year before: a possible break in the series (always false for a sum)
    "series_break": pl.Boolean(),
    # the latest such year after the baseline year, up to this year: the trend line and the
    # change since the baseline span it (null: none; always null for a sum)
    "break_year": pl.Int32(),
    # The distinct citations of the row's inputs, sorted and joined with "; "; null when the
    # row rests on no figure.
    "sources": pl.String(),
}

_KEYS = tuple(INDICATORS)
_INDEX = {key: i for i, key in enumerate(_KEYS)}
_RATE_NUMERATORS = {"conviction_rate": "persons_convicted",
                    "identification_rate": "victims_detected"}
# Every measure an indicator reads: its own figures, or (GLOTIP) evidence of data sharing.
_FIGURE_MEASURES = tuple(dict.fromkeys((
    "estimated_victims", "persons_convicted", "victims_detected", "victims_reported",
    "data_sharing_active", "victims_prosecuted", *GLOTIP_MEASURES, "population")))
# SDG 16.2.2 divides by the population of the same year, for the grid's countries and years
# only (the series starts in 1960 and covers countries with no other figure).
_POPULATION = "population"
_GLOTIP_PROXY_MEASURE = "national totals reported to UNODC GLOTIP"
_BITS = 63  # citations per UInt64 mask column; the top bit of the first marks a sum
_POWERS = pl.Series([1 << b for b in range(_BITS)], dtype=pl.UInt64)
_SUMMED_BIT = 1 << 63
_SUMMED = pl.lit(_SUMMED_BIT, dtype=pl.UInt64)


def compute_indicators(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    settings: IndicatorSettings | None = None,
    *,
    with_inputs: bool = False,
) -> pl.DataFrame:
    """All five indicators for every country, region and the world, for every year.

    `observations`: current figures (iso3, year, measure, value, value_status, lower, upper,
    source_id and optionally source_citation). `countries`: iso3, name, region.
    Years run from the first to the last year with any figure; a scope and year without the
    figures an indicator needs gets a `no_data` row, never a zero.

    Rows come indicator by indicator (in the order of INDICATORS), then scope by scope
    (countries by ISO3, then regions, then the world), then year by year. The figures behind a
    row are not in this frame (its `sources` column names their citations): ask
    `indicator_inputs` for the rows you show. `with_inputs=True` adds them to every row (an
    `inputs` column, last): the full computation, many times slower.

    Speed: every figure has a place on the country × year grid, so each indicator is a few
    column operations over aligned columns (no joins), the five are summed over regions and
    the world in one group-by, and every output row has a fixed position
    (docs/performance.md).
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
        parts = _country_parts(figures, nearest, layout, settings, detail=False)
        # the country rows and the sums are independent: one collect runs them side by side
        country_rows, sums = pl.collect_all([
            _country_rows(parts.lazy(), layout, settings.baseline_year),
            _aggregate_rows(parts.lazy(), layout, coverage)])
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
        parts = _country_parts(figures, nearest, layout, settings, detail=True).filter(
            pl.col("present") & pl.col("year").is_in(keyed["_year"].unique().implode()))
        asked = keyed.select(
            pl.col("_indicator").replace_strict(_INDEX, default=None, return_dtype=pl.Int64)
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


# -- figures on the grid of countries × years ----------------------------------------------------
def _prepare(observations: pl.DataFrame) -> pl.DataFrame:
    citation = (
        pl.col("source_citation").fill_null(pl.col("source_id"))
        if "source_citation" in observations.columns
        else pl.col("source_id")
    )
    # Only the measures the indicators read: context figures (population, 1960 onwards) and
    # breakdowns must not widen the years or the countries in scope, nor be added into totals.
    inputs = observations.filter(pl.col("measure").is_in(list(INDICATOR_INPUTS)))
    observations = pl.concat([inputs, _population_within(observations, inputs)])
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


def _population_within(observations: pl.DataFrame, inputs: pl.DataFrame) -> pl.DataFrame:
    """The population figures of the countries and years the indicators' own figures span."""
    if inputs.height == 0:
        return inputs
    years = inputs["year"].cast(pl.Int32)
    return observations.filter(
        (pl.col("measure") == _POPULATION)
        & pl.col("year").is_between(years.min(), years.max())
        & pl.col("iso3").is_in(inputs["iso3"].unique().implode())
    )


@dataclass(frozen=True)
class _Layout:
    """The grid: a country's cells are its years, in order (cell = country × years + year);
    the output has, per indicator, every country's cells, then every region's and the world's
    (position = (indicator × scopes + scope) × years + year).

    Scopes are the countries (by ISO3: a country's index is its place in `scopes`), then the
    regions (sorted), then the world.
    """

    first: int
    years: int
    scopes: pl.Series  # String: countries, regions, WORLD
    countries: int
    region_of: pl.Series  # per country: the scope index of its region, or null
    present: pl.Series  # per country: whether it has any figure
    citations: pl.Series  # String, sorted: the citation with id i is citations[i]

    @property
    def world(self) -> int:
        return self.scopes.len() - 1

    @property
    def cells(self) -> int:
        """Country rows per indicator."""
        return self.countries * self.years

    @property
    def summed(self) -> int:
        """Region and world rows per indicator."""
        return (self.scopes.len() - self.countries) * self.years


def _layout(obs: pl.DataFrame, countries: pl.DataFrame) -> _Layout:
    """The scopes and years. Countries with figures but unknown region still count towards
    the world."""
    known = countries.select(pl.col("iso3").cast(pl.String), pl.col("region").cast(pl.String))
    present = obs["iso3"].unique()
    membership = pl.concat(
        [known, present.to_frame().join(known, on="iso3", how="anti").with_columns(
            pl.lit(None, dtype=pl.String).alias("region"))]
    ).unique("iso3").sort("iso3")
    regions = membership["region"].drop_nulls().unique().sort()
    n = membership.height
    years = obs["year"]
    first, last = int(years.min()), int(years.max())  # type: ignore[arg-type]
    return _Layout(
        first=first,
        years=last - first + 1,
        scopes=pl.concat([membership["iso3"], regions, pl.Series([WORLD])], rechunk=True)
        .rename("scope"),
        countries=n,
        region_of=membership["region"].replace_strict(
            {name: n + i for i, name in enumerate(regions.to_list())}, default=None,
            return_dtype=pl.Int64),
        present=membership["iso3"].is_in(present.implode()),
        citations=obs["source"].drop_nulls().unique().sort(),
    )


def _countries_needed(scopes: pl.Series, layout: _Layout) -> pl.Series | None:
    """The ISO3 codes whose figures the asked scopes rest on; None for all of them."""
    index = {name: i for i, name in enumerate(layout.scopes.to_list())}
    wanted = {index[s] for s in scopes.unique().to_list() if s in index}
    if layout.world in wanted:
        return None
    members = {i for i, r in enumerate(layout.region_of.to_list()) if r in wanted}
    chosen = sorted({i for i in wanted if i < layout.countries} | members)
    return layout.scopes.gather(chosen).rename("iso3")


def _grid_figures(obs: pl.DataFrame, layout: _Layout, *,
                  detail: bool) -> dict[str, pl.DataFrame]:
    """Per measure an indicator reads, its figures on the grid: one row per country and year
    (`present` says whether there is a figure), with `cid` (the citation's id; ids sort like
    the citations), `row` (the figure's place in `obs`) and `glotip` (from UNODC GLOTIP).

    `obs` holds current figures, one per country, year and measure (the store keeps it so).
    """
    cells = layout.cells
    cell = obs.select(
        # other measures have no place (null)
        pl.col("measure").cast(pl.Enum(_FIGURE_MEASURES), strict=False).to_physical()
        .cast(pl.Int64) * cells
        + pl.col("iso3").cast(pl.Enum(layout.scopes.head(layout.countries))).to_physical()
        .cast(pl.Int64) * layout.years
        + (pl.col("year") - layout.first)
    ).to_series()
    used = cell.is_not_null()
    row = pl.repeat(None, len(_FIGURE_MEASURES) * cells, dtype=pl.UInt32, eager=True).scatter(
        cell.filter(used), pl.int_range(0, obs.height, dtype=pl.UInt32, eager=True).filter(used))
    grid = obs.select(
        "value",
        "lower",
        "upper",
        pl.col("source").cast(pl.Enum(layout.citations)).to_physical().cast(pl.Int64)
        .alias("cid"),
        pl.col("source_id").str.starts_with(GLOTIP_SOURCE_PREFIX).alias("glotip"),
        *(("value_status", "source") if detail else ()),
    ).gather(row).with_columns(row.is_not_null().alias("present"), row.alias("row"))
    return {m: grid.slice(i * cells, cells) for i, m in enumerate(_FIGURE_MEASURES)}


def _cell_year(layout: _Layout) -> pl.Expr:
    return (pl.int_range(0, pl.len(), dtype=pl.Int64) % layout.years + layout.first).cast(
        pl.Int32)


def _nearest_estimates(estimates: pl.DataFrame, layout: _Layout) -> pl.Series:
    """For every cell, the cell of the country's estimate of victims nearest in time (on a
    tie, the later one), or null when the country has none."""
    cell = pl.int_range(0, pl.len(), dtype=pl.Int64)
    found = pl.when(pl.col("present") & pl.col("value").is_not_null()).then(cell)
    cell, start = pl.col("cell"), pl.col("start")
    before, after = pl.col("before"), pl.col("after")
    return estimates.select(
        pl.int_range(0, pl.len(), dtype=pl.Int64).alias("cell"),
        found.forward_fill().alias("before"),  # the latest estimate so far, any country
        found.backward_fill().alias("after"),  # the next one
    ).with_columns(
        (cell - cell % layout.years).alias("start"),  # the country's first cell
    ).with_columns(
        pl.when(before >= start).then(before).alias("before"),  # the same country's only
        pl.when(after < start + layout.years).then(after).alias("after"),
    ).select(
        pl.when(before.is_null()).then(after)
        .when(after.is_null()).then(before)
        .when(after - cell <= cell - before).then(after)
        .otherwise(before)
    ).to_series()


@dataclass(frozen=True)
class _Coverage:
    """The weights behind the coverage share."""

    weight: pl.Series  # per country: its latest estimate of victims
    in_scope: pl.Series  # per scope: countries with any figure (regions and the world)
    weight_total: pl.Series  # per scope: their latest estimates' sum


def _coverage(estimates: pl.DataFrame, nearest: pl.Series, layout: _Layout) -> _Coverage:
    # a country's last year's nearest estimate is its latest
    last = pl.int_range(1, layout.countries + 1, dtype=pl.Int64, eager=True) * layout.years - 1
    weight = estimates["value"].gather(nearest.gather(last)).rename("weight")
    # every country and territory of the country list is in scope (the one universe of
    # "N of M"), with or without figures; only those with an estimate carry weight
    table = pl.DataFrame({"region": layout.region_of, "weight": weight})
    world = pl.DataFrame({"scope": [layout.world], "size": [table.height],
                          "total": [table["weight"].sum()]},
                         schema={"scope": pl.Int64, "size": pl.Int32, "total": pl.Float64})
    regions = table.drop_nulls("region").group_by("region").agg(
        pl.len().cast(pl.Int32).alias("size"), pl.col("weight").sum().alias("total")
    ).rename({"region": "scope"})
    sizes = pl.DataFrame({"scope": pl.int_range(0, layout.scopes.len(), eager=True)}).join(
        pl.concat([world, regions]), on="scope", how="left", maintain_order="left")
    return _Coverage(weight=weight, in_scope=sizes["size"], weight_total=sizes["total"])


# -- per country and year: the numerator and denominator of each indicator ---------------------
_PARTS_SCHEMA: dict[str, pl.DataType] = {
    "present": pl.Boolean(),
    "num_value": pl.Float64(),
    "num_lower": pl.Float64(),
    "num_upper": pl.Float64(),
    "den_value": pl.Float64(),
    "den_lower": pl.Float64(),
    "den_upper": pl.Float64(),
    "denominator_year": pl.Int32(),
    "proxied": pl.Boolean(),
    "note": pl.String(),
    "cid1": pl.Int64(),
    "cid2": pl.Int64(),
}
# With `detail`, each input's figure: `in1` the numerator's, `in2` the denominator's.
_INPUT_FIELDS: dict[str, pl.DataType] = {
    "measure": pl.String(), "year": pl.Int32(), "value": pl.Float64(),
    "status": pl.String(), "lower": pl.Float64(), "upper": pl.Float64(),
    "source": pl.String(),
}
_DETAIL_SCHEMA: dict[str, pl.DataType] = {
    **{f"{i}_{f}": t for i in ("in1", "in2") for f, t in _INPUT_FIELDS.items()},
    "n_inputs": pl.Int32(),
}


def _country_parts(figures: dict[str, pl.DataFrame], nearest: pl.Series, layout: _Layout,
                   settings: IndicatorSettings, *, detail: bool) -> pl.DataFrame:
    """Per indicator, every country's cells in order (so row = indicator × cells + cell):
    whether it has a figure (`present`), the numerator, the denominator, whether a proxy stood
    in, the note and the ids of the inputs' citations (`cid1`, `cid2`); with `detail`, the
    inputs' figures. Also `ind`, `cidx` (the country's index), `year` and `_helpers`."""
    estimates = figures["estimated_victims"]
    denominators = estimates.select(pl.all().gather(nearest)).with_columns(
        (nearest % layout.years + layout.first).cast(pl.Int32).alias("year"))
    frames = {
        "conviction_rate": _rate_parts(figures, _RATE_NUMERATORS["conviction_rate"],
                                       denominators, layout, detail),
        "reporting_increase": _reporting_parts(figures, settings, layout, detail),
        "data_sharing_countries": _data_sharing_parts(figures, settings, layout, detail),
        "identification_rate": _rate_parts(figures, _RATE_NUMERATORS["identification_rate"],
                                           denominators, layout, detail),
        "victims_prosecuted": _count_parts(figures["victims_prosecuted"], "victims_prosecuted",
                                           layout, detail),
        "victims_per_100k": _per_population_parts(figures, "victims_detected", layout, detail),
    }
    schema = {**_PARTS_SCHEMA, **(_DETAIL_SCHEMA if detail else {})}
    parts = pl.concat(
        [frames[key].select(pl.col(c).cast(t) for c, t in schema.items()) for key in _KEYS],
        how="vertical",
    )
    row = pl.int_range(0, pl.len(), dtype=pl.Int64)
    return parts.with_columns(
        (row // layout.cells).alias("ind"),
        (row % layout.cells // layout.years).alias("cidx"),
        (row % layout.years + layout.first).cast(pl.Int32).alias("year"),
    ).with_columns(_helpers())


def _prefixed(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return frame.select(pl.all().name.prefix(prefix))


def _detail(detail: bool, in1: dict[str, pl.Expr], in2: dict[str, pl.Expr] | None,
            n_inputs: pl.Expr) -> list[pl.Expr]:
    """The inputs' figures, as `in1_…`, `in2_…` and `n_inputs` columns (`detail` only)."""
    if not detail:
        return []
    in2 = in2 or {f: pl.lit(None, dtype=t) for f, t in _INPUT_FIELDS.items()}
    return [*(e.alias(f"in1_{f}") for f, e in in1.items()),
            *(e.alias(f"in2_{f}") for f, e in in2.items()),
            n_inputs.alias("n_inputs")]


def _figure(prefix: str, measure: pl.Expr, year: pl.Expr) -> dict[str, pl.Expr]:
    """One input figure from the `{prefix}…` columns."""
    return {"measure": measure, "year": year, "value": pl.col(f"{prefix}value"),
            "status": pl.col(f"{prefix}value_status"), "lower": pl.col(f"{prefix}lower"),
            "upper": pl.col(f"{prefix}upper"), "source": pl.col(f"{prefix}source")}


def _rate_parts(figures: dict[str, pl.DataFrame], measure: str, denominators: pl.DataFrame,
                layout: _Layout, detail: bool) -> pl.DataFrame:
    """numerator / estimated_victims, the estimate nearest in time (on a tie, the later)."""
    joined = pl.concat([_prefixed(figures[measure], "num_"), _prefixed(denominators, "den_")],
                       how="horizontal")
    present = pl.col("num_present")
    two = present & pl.col("den_year").is_not_null()
    note = (
        pl.when(pl.col("den_value").is_null())
        .then(pl.lit("No estimate of people in modern slavery for this country."))
        .when(pl.col("den_value") == 0)
        .then(pl.lit("The estimate is zero, so a rate cannot be computed."))
    )
    return joined.select(
        present.alias("present"),
        "num_value",
        "num_lower",
        "num_upper",
        "den_value",
        pl.col("den_value").alias("den_lower"),
        pl.col("den_value").alias("den_upper"),
        pl.col("den_year").alias("denominator_year"),
        pl.lit(False).alias("proxied"),
        note.alias("note"),
        pl.col("num_cid").alias("cid1"),
        pl.when(two).then(pl.col("den_cid")).alias("cid2"),
        *_detail(detail, _figure("num_", pl.lit(measure), _cell_year(layout)),
                 _figure("den_", pl.lit("estimated_victims"), pl.col("den_year")),
                 1 + two.cast(pl.Int32)),
    )


def _per_population_parts(figures: dict[str, pl.DataFrame], measure: str, layout: _Layout,
                          detail: bool) -> pl.DataFrame:
    """numerator / population of the same year (× 100,000 in `_values`); no other year's
    population stands in."""
    joined = pl.concat([_prefixed(figures[measure], "num_"),
                        _prefixed(figures[_POPULATION], "den_")], how="horizontal")
    present = pl.col("num_present")
    two = present & pl.col("den_present")
    note = (
        pl.when(~pl.col("den_present"))
        .then(pl.lit("No World Bank population figure for this country and year."))
        .when(pl.col("den_value") == 0)
        .then(pl.lit("The population figure is zero, so a rate cannot be computed."))
    )
    return joined.select(
        present.alias("present"),
        "num_value",
        "num_lower",
        "num_upper",
        "den_value",
        "den_lower",
        "den_upper",
        pl.when(pl.col("den_present")).then(_cell_year(layout)).alias("denominator_year"),
        pl.lit(False).alias("proxied"),
        note.alias("note"),
        pl.col("num_cid").alias("cid1"),
        pl.when(two).then(pl.col("den_cid")).alias("cid2"),
        *_detail(detail, _figure("num_", pl.lit(measure), _cell_year(layout)),
                 _figure("den_", pl.lit(_POPULATION), _cell_year(layout)),
                 1 + two.cast(pl.Int32)),
    )


def _reporting_parts(figures: dict[str, pl.DataFrame], settings: IndicatorSettings,
                     layout: _Layout, detail: bool) -> pl.DataFrame:
    """victims_reported(year) against victims_reported(baseline); proxy: victims_detected for
    countries that publish no victims_reported figure at all."""
    reported = figures["victims_reported"]
    if settings.use_proxies:
        publishes = reported.select(
            pl.col("present").reshape((layout.countries, layout.years)).arr.any()).to_series()
        own = publishes.gather(pl.int_range(0, layout.cells, eager=True) // layout.years)
        both = pl.concat([_prefixed(reported, "r_"), _prefixed(figures["victims_detected"],
                                                                "d_")], how="horizontal")
        series = both.with_columns(own.alias("own")).select(
            *(pl.when("own").then(pl.col(f"r_{c}")).otherwise(pl.col(f"d_{c}")).alias(c)
              for c in reported.columns),
            (~pl.col("own")).alias("proxied"),
        )
    else:
        series = reported.with_columns(pl.lit(False).alias("proxied"))
    offset = settings.baseline_year - layout.first
    if 0 <= offset < layout.years:
        cell = pl.int_range(0, layout.cells, dtype=pl.Int64, eager=True)
        baseline = series[cell - cell % layout.years + offset]
    else:
        baseline = series.clear(series.height)
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


def _count_parts(figures: pl.DataFrame, measure: str, layout: _Layout,
                 detail: bool) -> pl.DataFrame:
    return figures.select(
        "present",
        pl.col("value").alias("num_value"),
        pl.col("lower").alias("num_lower"),
        pl.col("upper").alias("num_upper"),
        pl.lit(None, dtype=pl.Float64).alias("den_value"),
        pl.lit(None, dtype=pl.Float64).alias("den_lower"),
        pl.lit(None, dtype=pl.Float64).alias("den_upper"),
        pl.lit(None, dtype=pl.Int32).alias("denominator_year"),
        pl.lit(False).alias("proxied"),
        pl.lit(None, dtype=pl.String).alias("note"),
        pl.col("cid").alias("cid1"),
        pl.lit(None, dtype=pl.Int64).alias("cid2"),
        *_detail(detail, _figure("", pl.lit(measure), _cell_year(layout)), None, pl.lit(1)),
    )


def _data_sharing_parts(figures: dict[str, pl.DataFrame], settings: IndicatorSettings,
                        layout: _Layout, detail: bool) -> pl.DataFrame:
    """The country's own flag; else (proxies on) 1 when it reported to UNODC GLOTIP that year:
    the count of its national totals that year, citing the first one's source.

    A country that did not report is not counted as 0: it has no data for that year.
    """
    flags = figures["data_sharing_active"]
    if not settings.use_proxies:
        return _count_parts(flags, "data_sharing_active", layout, detail)
    wanted = ["present", "glotip", "row", "cid", *(["source"] if detail else [])]
    joined = pl.concat(
        [_prefixed(flags, "f_"),
         *(_prefixed(figures[m].select(wanted), f"g{i}_") for i, m in enumerate(GLOTIP_MEASURES))],
        how="horizontal",
    )
    glotip = range(len(GLOTIP_MEASURES))
    joined = joined.with_columns(
        pl.when(pl.col(f"g{i}_present") & pl.col(f"g{i}_glotip")).then(pl.col(f"g{i}_row"))
        .alias(f"g{i}_hit") for i in glotip
    ).with_columns(
        pl.min_horizontal(f"g{i}_hit" for i in glotip).alias("first"),
        pl.sum_horizontal(pl.col(f"g{i}_hit").is_not_null().cast(pl.Int32) for i in glotip)
        .cast(pl.Float64).alias("totals"),
    ).with_columns(
        (~pl.col("f_present") & (pl.col("totals") > 0)).alias("proxied"),
        *(pl.coalesce([pl.when(pl.col(f"g{i}_hit") == pl.col("first"))
                       .then(pl.col(f"g{i}_{field}")) for i in glotip]).alias(f"first_{field}")
          for field in wanted[3:]),
    )

    def first_of(field: str) -> pl.Expr:
        return pl.col(f"first_{field}")

    totals = pl.col("totals")
    flag = pl.col("f_present")
    proxied = pl.col("proxied")
    one = pl.lit(1.0)
    return joined.select(
        (flag | proxied).alias("present"),
        *(pl.when(flag).then(pl.col(f"f_{c}")).when(proxied).then(one).alias(f"num_{c}")
          for c in ("value", "lower", "upper")),
        pl.lit(None, dtype=pl.Float64).alias("den_value"),
        pl.lit(None, dtype=pl.Float64).alias("den_lower"),
        pl.lit(None, dtype=pl.Float64).alias("den_upper"),
        pl.lit(None, dtype=pl.Int32).alias("denominator_year"),
        proxied.alias("proxied"),
        pl.lit(None, dtype=pl.String).alias("note"),
        pl.when(flag).then(pl.col("f_cid")).when(proxied).then(first_of("cid")).alias("cid1"),
        pl.lit(None, dtype=pl.Int64).alias("cid2"),
        *_detail(detail, {
            "measure": pl.when(flag).then(pl.lit("data_sharing_active"))
            .otherwise(pl.lit(_GLOTIP_PROXY_MEASURE)),
            "year": _cell_year(layout),
            "value": pl.when(flag).then(pl.col("f_value")).otherwise(totals),
            "status": pl.when(flag).then(pl.col("f_value_status")).otherwise(pl.lit("reported")),
            "lower": pl.when(flag).then(pl.col("f_lower")).otherwise(totals),
            "upper": pl.when(flag).then(pl.col("f_upper")).otherwise(totals),
            "source": pl.when(flag).then(pl.col("f_source")).otherwise(first_of("source")),
        } if detail else {}, None, pl.lit(1)),
    )


# -- values, aggregation, status ---------------------------------------------------------------
def _per_indicator(values: dict[str, object], dtype: pl.DataType) -> pl.Expr:
    """A constant per indicator, looked up by the `ind` column."""
    return pl.lit(pl.Series([values[k] for k in _KEYS], dtype=dtype)).gather(pl.col("ind"))


def _is_unit(unit: str) -> pl.Expr:
    return pl.col("ind").is_in([_INDEX[k] for k in _KEYS if INDICATORS[k].unit == unit])


def _helpers() -> list[pl.Expr]:
    """Columns the value expressions read: `_count` (a count indicator), `_offset` (1 for a
    change), `_scale` (100,000 for a rate per 100,000 people), `_defined` (a positive
    denominator)."""
    return [
        _is_unit("count").alias("_count"),
        _per_indicator({k: 1.0 if INDICATORS[k].unit == "change" else 0.0 for k in _KEYS},
                       pl.Float64()).alias("_offset"),
        _per_indicator({k: float(PER_100K) if INDICATORS[k].unit == "per_100k" else 1.0
                        for k in _KEYS}, pl.Float64()).alias("_scale"),
        (pl.col("den_lower").is_not_null() & (pl.col("den_lower") > 0)).alias("_defined"),
    ]


def _values() -> list[pl.Expr]:
    """value, lower and upper from the numerator and denominator columns (and `_helpers`):
    num / den (minus 1 for a change, times 100,000 per 100,000 people) for rates, the
    numerator for counts."""
    offset, defined, count = pl.col("_offset"), pl.col("_defined"), pl.col("_count")
    scale = pl.col("_scale")
    return [
        pl.when(count).then(pl.col(f"num_{c}"))
        .when(defined).then(pl.col(f"num_{c}") / pl.col(f"den_{d}") * scale - offset).alias(c)
        for c, d in (("value", "value"), ("lower", "upper"), ("upper", "lower"))
    ]


def _has_inputs() -> pl.Expr:
    """Whether a country row counts (reads `_helpers`)."""
    return pl.col("num_lower").is_not_null() & (pl.col("_count") | pl.col("_defined"))


def _proxy_rules() -> dict[str, str | None]:
    """The note a proxied row carries, per indicator."""
    rules = {"reporting_increase": REPORTING_PROXY_NOTE,
             "data_sharing_countries": DATA_SHARING_PROXY_NOTE}
    return {k: rules.get(k) for k in _KEYS}


def _rates() -> pl.Expr:
    return pl.col("ind").is_in([_INDEX[k] for k in _RATE_NUMERATORS])


def _mask_columns(layout: _Layout) -> list[str]:
    return [f"_m{j}" for j in range(max(1, -(-layout.citations.len() // _BITS)))]


def _masks(layout: _Layout) -> list[pl.Expr]:
    """The row's citations as bits: `_m0` holds ids 0–62, `_m1` 63–125, …; the top bit of
    `_m0` is left for `_SUMMED`."""
    def bit(cid: str, j: int) -> pl.Expr:
        inside = pl.col("present") & ((pl.col(cid) // _BITS) == j)
        return pl.when(inside).then(pl.lit(_POWERS).gather(pl.col(cid) % _BITS)).otherwise(
            pl.lit(0, dtype=pl.UInt64))

    return [(bit("cid1", j) | bit("cid2", j)).alias(name)
            for j, name in enumerate(_mask_columns(layout))]


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


def _series_breaks(layout: _Layout, baseline_year: int) -> list[pl.Expr]:
    """`series_break`: the numerator, a published count, rose or fell more than
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
    last = pl.when(jump & (pl.col("year") > baseline_year)).then(row).forward_fill()
    start = row - (pl.col("year") - layout.first).cast(pl.Int64)
    return [
        jump.alias("series_break"),
        pl.when(last >= start).then(last % layout.years + layout.first).cast(pl.Int32)
        .alias("break_year"),
    ]


def _country_rows(parts: pl.LazyFrame, layout: _Layout, baseline_year: int) -> pl.LazyFrame:
    present = pl.col("present")
    proxy = (
        pl.when(present & pl.col("proxied")).then(_per_indicator(_proxy_rules(), pl.String()))
        .when(present & _rates()).then(pl.lit(DENOMINATOR_NOTE))
    )
    basis = pl.when(present & _has_inputs()).then(
        pl.col("proxied").cast(pl.UInt8))  # _BASES: 0 own, 1 proxy
    return parts.select(
        *_values(),
        proxy.alias("proxy"),
        pl.when(present).then(pl.col("note")).alias("note"),
        basis.alias("_basis"),
        *_series_breaks(layout, baseline_year),
        pl.when(present).then(pl.col("denominator_year")).alias("denominator_year"),
        _has_inputs().cast(pl.Int32).alias("countries_counted"),
        pl.lit(None, dtype=pl.Float64).alias("weight_counted"),
        *_masks(layout),
    )


def _scoped(parts: pl.DataFrame, layout: _Layout, extra: list[pl.Expr]) -> pl.DataFrame:
    """The country rows that count towards a region and the world, each twice: with `key`,
    the place of the world's row among the sums, and with its region's (countries with a
    region only). Sums are placed indicator by indicator, regions then the world, year by
    year."""
    complete = parts.filter(pl.col("present") & _has_inputs())
    complete = complete.with_columns(
        pl.lit(layout.region_of).gather(pl.col("cidx")).alias("region"),
        pl.col("num_value").is_null().alias("suppressed"),
        # a sum is exact only when every country's figures are (counts have no denominator)
        (pl.col("num_value").is_null() | (~pl.col("_count") & pl.col("den_value").is_null()))
        .alias("inexact"),
        *extra,
    )

    def key(scope: pl.Expr) -> pl.Expr:
        return (pl.col("ind") * layout.summed + (scope - layout.countries) * layout.years
                + (pl.col("year").cast(pl.Int64) - layout.first)).alias("key")

    complete = complete.drop("present", "note", "_offset", "_scale", "_defined", "cid1",
                             "cid2", strict=False)
    return pl.concat([
        complete.with_columns(key(pl.lit(layout.world, dtype=pl.Int64))),
        complete.drop_nulls("region").with_columns(key(pl.col("region"))),
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


def _aggregate_rows(parts: pl.LazyFrame, layout: _Layout, coverage: _Coverage) -> pl.LazyFrame:
    """Every region's and the world's row that has a country counted, with `key`, its place
    among the sums (see `_place_sums`)."""
    masks = _mask_columns(layout)
    grouped = (
        _scoped(parts, layout, [pl.lit(coverage.weight).gather(pl.col("cidx")).alias("weight"),
                                *_masks(layout)])
        .group_by("key")
        .agg(_sums([pl.col("weight").sum().alias("weight_counted"),
                    *(pl.col(m).bitwise_or() for m in masks)]))
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
    basis = (  # _BASES: 0 own, 1 proxy, 2 partly_proxy
        pl.when(proxied == 0).then(pl.lit(0, dtype=pl.UInt8))
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
    """Every region's and the world's rows, placed indicator by indicator, regions then the
    world, year by year (null where no country counts)."""
    index = pl.repeat(None, len(_KEYS) * layout.summed, dtype=pl.UInt32, eager=True).scatter(
        rows["key"], pl.int_range(0, rows.height, dtype=pl.UInt32, eager=True))
    return rows.drop("key").select(pl.all().gather(index))


def _assemble(countries: pl.DataFrame, sums: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """The output order: per indicator, its country rows, then its region and world rows."""
    blocks = []
    for i in range(len(_KEYS)):
        blocks += [countries.slice(i * layout.cells, layout.cells),
                   sums.slice(i * layout.summed, layout.summed)]
    position = pl.int_range(0, pl.len(), dtype=pl.Int64)
    # one chunk: the gathers and joins that follow are faster on it
    return pl.concat(blocks, how="vertical", rechunk=True).with_columns(
        (position // (layout.scopes.len() * layout.years)).alias("ind"),
        (position // layout.years % layout.scopes.len()).alias("scope_index"),
        (position % layout.years + layout.first).cast(pl.Int32).alias("year"),
        (position // layout.years).alias("run"),
    )


def _with_sources(rows: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """The `sources` text of each row, from its citation bits: worked out once per distinct
    set of citations (a handful), then joined on."""
    keys = _mask_columns(layout)
    distinct = rows.select(keys).unique()
    citations = layout.citations.to_list()
    texts = []
    for row in distinct.iter_rows():
        masks = [mask or 0 for mask in row]  # no bits: a row without figures
        names = [citations[j * _BITS + b] for j, mask in enumerate(masks)
                 for b in range(_BITS) if mask >> b & 1]
        texts.append(_sources_text(names, summed=bool(masks[0] & _SUMMED_BIT)))
    table = distinct.with_columns(pl.Series("sources", texts, dtype=pl.String))
    return rows.join(table, on=keys, how="left", maintain_order="left").drop(keys)


def _sources_text(citations: list[str], *, summed: bool) -> str | None:
    """What a reader sees as the sources of a row whose inputs cite `citations` (sorted,
    distinct): each citation once, sorted; a citation that itself lists several ("a; b") is
    split. A region's or the world's inputs cite the sorted list of its countries' citations
    as one text."""
    names = ["; ".join(citations)] if summed else [c for c in citations if c]
    joined = "; ".join(name for name in names if name)
    return "; ".join(sorted(set(joined.split("; ")))) if joined else None


def _finish(table: pl.DataFrame, layout: _Layout, coverage: _Coverage,
            settings: IndicatorSettings) -> pl.DataFrame:
    scope = pl.col("scope_index")
    is_country = scope < layout.countries
    is_world = scope == layout.world
    scope_types = pl.Series(["country"] * layout.countries
                            + ["region"] * (layout.world - layout.countries) + ["world"])
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
_BASES = pl.Series(["own", "proxy", "partly_proxy"], dtype=pl.String)


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
        .when(surely_met & (pl.col("_basis") > 0))
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


# -- inputs of the asked rows ------------------------------------------------------------------
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
        _inputs_list().alias("inputs"),
    )


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
        .with_columns((pl.col("key") // layout.summed).alias("ind"))
        .with_columns(_summed(layout))
    )
    status = pl.format("sum over {} countries", pl.col("countries_counted"))
    num = pl.struct(
        _per_indicator({k: _numerator_measure(k) for k in _KEYS}, pl.String()).alias("measure"),
        pl.col("scope_name").alias("scope"),
        pl.col("year").cast(pl.Int32),
        pl.col("num_value").alias("value"),
        status.alias("value_status"),
        pl.col("num_lower").alias("lower"),
        pl.col("num_upper").alias("upper"),
        pl.col("sources").alias("source"),
    ).cast(INPUT_STRUCT)
    den = pl.struct(
        _per_indicator({k: _denominator_measure(k) for k in _KEYS},
                       pl.String()).alias("measure"),
        pl.col("scope_name").alias("scope"),
        pl.col("denominator_year").cast(pl.Int32).alias("year"),
        pl.col("den_value").alias("value"),
        status.alias("value_status"),
        pl.col("den_lower").alias("lower"),
        pl.col("den_upper").alias("upper"),
        pl.col("sources").alias("source"),
    ).cast(INPUT_STRUCT)
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


# -- the paper's context figures, measured on our data --------------------------------------------
CONTEXT_RATIOS: dict[str, tuple[str, str]] = {
    # key: (numerator, denominator), both UNODC GLOTIP national totals
    "convicted_per_prosecuted": ("persons_convicted", "persons_prosecuted"),
    "convicted_per_detected": ("persons_convicted", "victims_detected"),
    "convicted_per_suspect": ("persons_convicted", "suspects"),
}


def context_ratios(observations: pl.DataFrame, year: int) -> pl.DataFrame:
    """The world's ratios that the paper's conviction figures may mean (``CONTEXT_RATIOS``),
    in ``year``: a ratio of sums over the countries with both figures that year, the same
    rule as the indicators' (a '<5' adds 1 to the lower sum and 4 to the upper, so the ratio
    becomes a range).

    Columns: key, numerator, denominator (measure names), year, value (null for a range or
    when no country has both), lower, upper, countries, suppressed (countries with a '<5')."""
    wanted = sorted({m for pair in CONTEXT_RATIOS.values() for m in pair})
    figures = observations.filter(
        pl.col("measure").is_in(wanted) & (pl.col("year") == year)
    ).select(
        pl.col("iso3").cast(pl.String), pl.col("measure").cast(pl.String),
        pl.col("value").cast(pl.Float64),
        pl.coalesce("lower", "value").cast(pl.Float64).alias("low"),
        pl.coalesce("upper", "value").cast(pl.Float64).alias("high"),
    ).filter(pl.col("low").is_not_null())
    rows = []
    for key, (numerator, denominator) in CONTEXT_RATIOS.items():
        num = figures.filter(pl.col("measure") == numerator).drop("measure")
        den = figures.filter(pl.col("measure") == denominator).drop("measure")
        both = num.join(den, on="iso3", how="inner", suffix="_den")
        sums = both.select(
            pl.col("low").sum(), pl.col("high").sum(), pl.col("low_den").sum(),
            pl.col("high_den").sum(),
            (pl.col("value").is_null() | pl.col("value_den").is_null()).sum().alias("ranged"),
        ).row(0, named=True)
        defined = both.height > 0 and sums["low_den"] > 0
        lower = sums["low"] / sums["high_den"] if defined else None
        upper = sums["high"] / sums["low_den"] if defined else None
        rows.append({
            "key": key, "numerator": numerator, "denominator": denominator, "year": year,
            "value": lower if defined and sums["ranged"] == 0 else None,
            "lower": lower, "upper": upper, "countries": both.height,
            "suppressed": int(sums["ranged"] or 0),
        })
    return pl.DataFrame(rows, schema={
        "key": pl.String, "numerator": pl.String, "denominator": pl.String, "year": pl.Int32,
        "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64, "countries": pl.Int64,
        "suppressed": pl.Int64,
    })
