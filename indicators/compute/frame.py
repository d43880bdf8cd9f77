"""The inputs prepared: every figure typed with its bounds and citation, placed on the grid
of countries × years; each country's nearest estimate of victims and the coverage weights;
the columns every indicator's numerator and denominator are built from; and how the lazy
plans are run (`_collect`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from indicators.compute.schema import WORLD
from indicators.measures import GLOTIP_MEASURES, INDICATOR_INPUTS, PUBLISHED_RATES
from indicators.series import BASIS_ADOPTED, BASIS_CHOSEN, BASIS_CONTRIBUTED

GLOTIP_SOURCE_PREFIX = "unodc_glotip"

# Every measure an indicator reads: its own figures, or (GLOTIP) evidence of data sharing.
_FIGURE_MEASURES = tuple(dict.fromkeys((
    "estimated_victims", "persons_convicted", "victims_detected", "victims_reported",
    "data_sharing_active", "victims_prosecuted", *GLOTIP_MEASURES, "population",
    *PUBLISHED_RATES)))
# SDG 16.2.2 divides by the population of the same year, for the grid's countries and years
# only (the series starts in 1960 and covers countries with no other figure).
_POPULATION = "population"
# UNODC's published SDG 16.2.2 rate, shown instead of the computed one where there is one
# (for the grid's countries and years only, like the population).
_PUBLISHED_SDG = "victims_per_100k"
_MEASURE = "_measure"  # a prepared figure's measure, as its place in _FIGURE_MEASURES
_GLOTIP_PROXY_MEASURE = "national totals reported to UNODC GLOTIP"
_BITS = 63  # citations per UInt64 mask column; the top bit of the first marks a sum
_POWERS = pl.Series([1 << b for b in range(_BITS)], dtype=pl.UInt64)
_SUMMED_BIT = 1 << 63
_SUMMED = pl.lit(_SUMMED_BIT, dtype=pl.UInt64)
# The lazy plans run on Polars' in-memory engine: the frames fit in memory many times over,
# and the streaming engine (Polars' default) costs more to start than these plans take to run.
_ENGINE = "in-memory"
# ... without common-subexpression elimination, which in Polars 2.1 takes two all-null
# literal Series of different types for the same expression (a country list without
# subregions and data without estimates made the Float64 weights Int64).
_OPTIMIZATIONS = pl.QueryOptFlags(comm_subexpr_elim=False)
# Positions that rows are gathered by (an indicator, a country, a scope, a citation, a cell)
# are Polars' own index type: a gather by any other integer type converts its indices first.
_INDEX_TYPE = pl.UInt32


def _collect(*plans: pl.LazyFrame) -> list[pl.DataFrame]:
    """The plans' frames, computed side by side (shared inputs once)."""
    return pl.collect_all(plans, engine=_ENGINE, optimizations=_OPTIMIZATIONS)


def typed_figures(observations: pl.DataFrame, *, with_source_id: bool = False) -> pl.DataFrame:
    """Every figure typed (iso3, year, measure, value, value_status), with its bounds (an exact
    value is its own bounds: `lower`, `upper`) and its citation as `source` (the source's id
    where it has none); with `with_source_id`, the id too (`source_id`, before `source`)."""
    citation = (
        pl.col("source_citation").fill_null(pl.col("source_id"))
        if "source_citation" in observations.columns
        else pl.col("source_id")
    )
    if "basis" in observations.columns and "series" in observations.columns:
        citation = series_citation(citation)
    return observations.select(
        pl.col("iso3").cast(pl.String),
        pl.col("year").cast(pl.Int32),
        pl.col("measure").cast(pl.String),
        pl.col("value").cast(pl.Float64),
        pl.col("value_status").cast(pl.String),
        pl.coalesce("lower", "value").cast(pl.Float64).alias("lower"),
        pl.coalesce("upper", "value").cast(pl.Float64).alias("upper"),
        *([pl.col("source_id").cast(pl.String)] if with_source_id else []),
        citation.cast(pl.String).alias("source"),
    )


# the columns `typed_figures` reads (the last four where there are)
_TYPED_COLUMNS = ("iso3", "year", "measure", "value", "value_status", "lower", "upper",
                  "source_id", "source_citation", "basis", "series")


def series_citation(citation: pl.Expr) -> pl.Expr:
    """A figure's citation with the series it rests on when that is not the official one
    (indicators/series.py): 'Their annual report (contributed by Test NGO)', '… (contributed
    by Test NGO; adopted as a correction of the official figure)'."""
    by = pl.lit(" (contributed by ") + pl.col("series")
    return (
        pl.when(pl.col("basis") == BASIS_CONTRIBUTED).then(citation + by + pl.lit(")"))
        .when(pl.col("basis") == BASIS_CHOSEN).then(
            citation + by + pl.lit("; the series chosen for this view)"))
        .when(pl.col("basis") == BASIS_ADOPTED).then(
            citation + by + pl.lit("; adopted as a correction of the official figure)"))
        .otherwise(citation)
    )


def _prepare(observations: pl.DataFrame) -> pl.DataFrame:
    """The figures the indicators read, typed (`typed_figures`, with the source's id), with
    `_measure`: the measure's place in _FIGURE_MEASURES (read once here, as text is slow to
    compare)."""
    # Only the measures the indicators read: context figures (population, 1960 onwards) and
    # breakdowns must not widen the years or the countries in scope, nor be added into totals.
    # (only the columns `typed_figures` reads: filtering the others' text costs as much again)
    coded = observations.select(
        *(c for c in _TYPED_COLUMNS if c in observations.columns),
        pl.col("measure").cast(pl.Enum(_FIGURE_MEASURES), strict=False).to_physical()
        .alias(_MEASURE))
    inputs = coded.filter(pl.col(_MEASURE).is_in(_codes(INDICATOR_INPUTS)))
    figures = pl.concat([inputs, _population_within(coded, inputs)])
    return typed_figures(figures, with_source_id=True).with_columns(figures[_MEASURE])


def _codes(measures: Iterable[str]) -> list[int]:
    """The measures' places in _FIGURE_MEASURES (the `_measure` column)."""
    return [_FIGURE_MEASURES.index(m) for m in measures]


def _population_within(coded: pl.DataFrame, inputs: pl.DataFrame) -> pl.DataFrame:
    """The population figures (and UNODC's published SDG 16.2.2 rates) of the countries and
    years the indicators' own figures span (`coded`: figures with `_measure`)."""
    if inputs.height == 0:
        return inputs
    years = inputs["year"].cast(pl.Int32)
    return coded.filter(
        pl.col(_MEASURE).is_in(_codes([_POPULATION, *PUBLISHED_RATES]))
        & pl.col("year").is_between(years.min(), years.max())
    ).filter(pl.col("iso3").is_in(inputs["iso3"].unique().implode()))  # the fewer rows' text


@dataclass(frozen=True)
class _Layout:
    """The grid: a country's cells are its years, in order (cell = country × years + year);
    the output has, per indicator, every country's cells, then every region's and the world's
    (position = (indicator × scopes + scope) × years + year).

    Scopes are the countries (by ISO3: a country's index is its place in `scopes`), then the
    regions (sorted), then the UN M49 subregions (sorted), then the world. A country counts
    towards its subregion, its region and the world.
    """

    first: int
    years: int
    scopes: pl.Series  # String: countries, regions, subregions, WORLD
    countries: int
    region_of: pl.Series  # per country: the scope index of its region, or null
    subregion_of: pl.Series  # per country: the scope index of its subregion, or null
    regions: int  # how many regions (the subregions follow them)
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


def scope_members(countries: pl.DataFrame) -> pl.DataFrame:
    """iso3, region and subregion of every country in the list (a list without a subregion
    column has none). A subregion named like a region is left out: a scope has one name."""
    subregion = (pl.col("subregion").cast(pl.String) if "subregion" in countries.columns
                 else pl.lit(None, dtype=pl.String))
    known = countries.select(pl.col("iso3").cast(pl.String), pl.col("region").cast(pl.String),
                             subregion.alias("subregion"))
    regions = known["region"].drop_nulls().unique().implode()
    return known.with_columns(
        pl.when(~pl.col("subregion").is_in(regions)).then(pl.col("subregion"))
        .alias("subregion"))


def _layout(obs: pl.DataFrame, countries: pl.DataFrame) -> _Layout:
    """The scopes and years. Countries with figures but unknown region still count towards
    the world."""
    known = scope_members(countries).lazy()
    figures = obs.lazy()
    present = figures.select(pl.col("iso3").unique())
    membership = pl.concat(
        [known, present.join(known, on="iso3", how="anti").with_columns(
            pl.lit(None, dtype=pl.String).alias("region"),
            pl.lit(None, dtype=pl.String).alias("subregion"))]
    ).unique("iso3").sort("iso3")
    # one run of the plans: the passes over every figure (countries, citations) side by side
    membership, present, regions, subregions, citations, span = _collect(
        membership, present,
        membership.select(pl.col("region").drop_nulls().unique().sort()),
        membership.select(pl.col("subregion").drop_nulls().unique().sort()),
        figures.select(pl.col("source").drop_nulls().unique().sort()),
        figures.select(pl.col("year").min().alias("first"), pl.col("year").max().alias("last")),
    )
    regions, subregions = regions.to_series(), subregions.to_series()
    n = membership.height
    first, last = span.row(0)
    return _Layout(
        first=first,
        years=last - first + 1,
        scopes=pl.concat([membership["iso3"], regions, subregions, pl.Series([WORLD])],
                         rechunk=True).rename("scope"),
        countries=n,
        region_of=membership["region"].replace_strict(
            {name: n + i for i, name in enumerate(regions.to_list())}, default=None,
            return_dtype=pl.Int64),
        subregion_of=membership["subregion"].replace_strict(
            {name: n + regions.len() + i for i, name in enumerate(subregions.to_list())},
            default=None, return_dtype=pl.Int64),
        regions=regions.len(),
        present=membership["iso3"].is_in(present.to_series().implode()),
        citations=citations.to_series(),
    )


def _countries_needed(scopes: pl.Series, layout: _Layout) -> pl.Series | None:
    """The ISO3 codes whose figures the asked scopes rest on; None for all of them."""
    index = {name: i for i, name in enumerate(layout.scopes.to_list())}
    wanted = {index[s] for s in scopes.unique().to_list() if s in index}
    if layout.world in wanted:
        return None
    inside = {i for i, (r, s) in enumerate(zip(layout.region_of.to_list(),
                                               layout.subregion_of.to_list(), strict=True))
              if r in wanted or s in wanted}
    chosen = sorted({i for i in wanted if i < layout.countries} | inside)
    return layout.scopes.gather(chosen).rename("iso3")


def _grid_figures(obs: pl.DataFrame, layout: _Layout, *,
                  detail: bool) -> dict[str, pl.DataFrame]:
    """Per measure an indicator reads, its figures on the grid: one row per country and year
    (`present` says whether there is a figure), with `cid` (the citation's id; ids sort like
    the citations), `row` (the figure's place in `obs`) and `glotip` (from UNODC GLOTIP).

    `obs` holds current figures (`_prepare`), one per country, year and measure (the store
    keeps it so).
    """
    cells = layout.cells
    cell = obs.select(
        pl.col(_MEASURE).cast(pl.Int64) * cells
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
        pl.col("source").cast(pl.Enum(layout.citations)).to_physical().cast(_INDEX_TYPE)
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
    [found] = _collect(estimates.lazy().select(
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
    ))
    return found.to_series()


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
    table = pl.LazyFrame({"region": layout.region_of, "subregion": layout.subregion_of,
                          "weight": weight})
    world = table.select(
        pl.lit(layout.world, dtype=pl.Int64).alias("scope"), pl.len().cast(pl.Int32).alias("size"),
        pl.col("weight").sum().cast(pl.Float64).alias("total"))
    groups = [
        table.drop_nulls(level).group_by(level).agg(
            pl.len().cast(pl.Int32).alias("size"), pl.col("weight").sum().alias("total")
        ).rename({level: "scope"})
        for level in ("region", "subregion")
    ]
    [sizes] = _collect(  # one plan: the world's, the regions' and the subregions' together
        pl.LazyFrame({"scope": pl.int_range(0, layout.scopes.len(), eager=True)}).join(
            pl.concat([world, *groups]), on="scope", how="left", maintain_order="left"))
    return _Coverage(weight=weight, in_scope=sizes["size"], weight_total=sizes["total"])


# With `detail`, each input's figure: `in1` the numerator's, `in2` the denominator's.
_INPUT_FIELDS: dict[str, pl.DataType] = {
    "measure": pl.String(), "year": pl.Int32(), "value": pl.Float64(),
    "status": pl.String(), "lower": pl.Float64(), "upper": pl.Float64(),
    "source": pl.String(),
}


def _prefixed(frame: pl.LazyFrame, prefix: str) -> pl.LazyFrame:
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
