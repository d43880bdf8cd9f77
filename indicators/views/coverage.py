"""Which figures exist: a country's measures by year, countries by year for one measure,
and measures by year for all countries (the coverage charts).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from indicators.i18n import N_
from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.views.figures import figure_text
from indicators.views.names import NO_DATA

# Coverage states of one figure (a country, a year, a measure), for the coverage charts.
COVERAGE_STATES: dict[str, str] = {
    "reported": N_("Reported figure"),
    "suppressed": N_("Reported as '<5' (1 to 4)"),
    "estimate": N_("Estimate"),
    "missing": N_("No figure"),
}


def coverage_strip_data(
    observations: pl.DataFrame, iso3: str, years: tuple[int, int],
    measures: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Which measures one country has for which years: every measure × year, with a state."""
    wanted = list(measures) if measures is not None else [
        m for m in MEASURES if m not in CONTEXT_MEASURES
    ]
    rows = observations.filter(pl.col("iso3") == iso3)
    grid = pl.DataFrame({"measure": wanted}).join(
        pl.DataFrame({"year": list(range(years[0], years[1] + 1))},
                     schema={"year": pl.Int32}),
        how="cross",
    )
    return _with_state(grid, rows, ["measure", "year"]).with_columns(
        pl.col("measure").replace_strict({m: MEASURES[m].label for m in wanted},
                                         default=pl.col("measure")).alias("label"),
        pl.lit(iso3).alias("iso3"),
    ).select("iso3", "measure", "label", "year", "state", "value_text", "source")


def coverage_matrix(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    measure: str,
    years: tuple[int, int],
    region: str | None = None,
) -> pl.DataFrame:
    """Countries × years for one measure (the methodology heatmap).

    Rows: every country in the store that has any figure at all (of any measure), within the
    region (or UN M49 subregion) if one is given, sorted by region and name.
    """
    present = observations.select("iso3").unique()
    chosen = in_group(countries, region).join(present, on="iso3", how="semi")
    grid = chosen.select("iso3", "name", pl.col("region").fill_null("—")).join(
        pl.DataFrame({"year": list(range(years[0], years[1] + 1))},
                     schema={"year": pl.Int32}),
        how="cross",
    ).with_columns(pl.lit(measure).alias("measure"))
    rows = observations.filter(pl.col("measure") == measure)
    return _with_state(grid, rows, ["iso3", "measure", "year"]).sort(
        "region", "name", "year"
    ).select("iso3", "name", "region", "measure", "year", "state", "value_text", "source")


def _with_state(grid: pl.DataFrame, rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    citation = (
        pl.col("source_citation").fill_null(pl.col("source_id"))
        if "source_citation" in rows.columns else pl.col("source_id")
    )
    figures = rows.select(
        *[pl.col(k) for k in keys if k in rows.columns],
        pl.col("value"), pl.col("value_status"), pl.col("lower"), pl.col("upper"),
        citation.alias("source"),
    )
    joined = grid.join(figures, on=[k for k in keys if k in rows.columns], how="left")
    return joined.with_columns(
        pl.when(pl.col("value_status").is_null()).then(pl.lit("missing"))
        .otherwise(pl.col("value_status")).alias("state"),
        pl.struct("value", "value_status", "lower", "upper").map_elements(
            lambda r: figure_text(r["value"], r["value_status"], r["lower"], r["upper"])
            if r["value_status"] else NO_DATA,
            return_dtype=pl.String,
        ).alias("value_text"),
    )


def coverage_summary(observations: pl.DataFrame, years: tuple[int, int]) -> pl.DataFrame:
    """Measures × years: how many countries have a figure (methodology overview heatmap)."""
    counts = observations.filter(pl.col("year").is_between(years[0], years[1])).group_by(
        "measure", "year"
    ).agg(pl.col("iso3").n_unique().cast(pl.Int32).alias("countries"))
    measures = [m for m in MEASURES if m in set(observations["measure"].unique().to_list())]
    grid = pl.DataFrame({"measure": measures}).join(
        pl.DataFrame({"year": list(range(years[0], years[1] + 1))},
                     schema={"year": pl.Int32}),
        how="cross",
    )
    return grid.join(counts, on=["measure", "year"], how="left").with_columns(
        pl.col("countries").fill_null(0),
        pl.col("measure").replace_strict({m: MEASURES[m].label for m in measures})
        .alias("label"),
    ).select("measure", "label", "year", "countries")


def in_group(countries: pl.DataFrame, group: str | None) -> pl.DataFrame:
    """The countries of a region or a UN M49 subregion, by its name (all for None): the
    countries an "N of M" of that scope counts against."""
    if not group:
        return countries
    inside = pl.col("region") == group
    if "subregion" in countries.columns:
        inside = inside | (pl.col("subregion") == group)
    return countries.filter(inside)
