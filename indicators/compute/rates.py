"""The rates: a numerator over a denominator of another measure, per country and year
(indicators 1 and 4 over the nearest estimate of victims, SDG 16.2.2 over the same year's
population).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from indicators.compute.frame import _POPULATION, _cell_year, _detail, _figure, _Layout, _prefixed

# The rates over the estimate of victims, and the numerator of each.
_RATE_NUMERATORS = {"conviction_rate": "persons_convicted",
                    "identification_rate": "victims_detected"}


@dataclass(frozen=True)
class _Denominator:
    """What a rate divides by, read from the `den_…` columns."""

    measure: str  # its measure, as the row's inputs name it
    found: pl.Expr  # whether the row has one
    year: pl.Expr  # its year
    missing: str  # the note of a row without one
    zero: str  # the note of a row whose denominator is zero
    exact: bool  # its value stands for both bounds (an estimate's own range is not used)


def _ratio_parts(numerators: pl.LazyFrame, measure: str, denominators: pl.LazyFrame,
                 den: _Denominator, layout: _Layout, detail: bool) -> pl.LazyFrame:
    """numerator (`measure`'s figures) / denominator, cell by cell: the parts of a rate."""
    joined = pl.concat([_prefixed(numerators, "num_"), _prefixed(denominators, "den_")],
                       how="horizontal")
    present = pl.col("num_present")
    two = present & den.found
    note = (
        pl.when(~den.found).then(pl.lit(den.missing))
        .when(pl.col("den_value") == 0).then(pl.lit(den.zero))
    )
    lower, upper = ("den_value", "den_value") if den.exact else ("den_lower", "den_upper")
    return joined.select(
        present.alias("present"),
        "num_value",
        "num_lower",
        "num_upper",
        "den_value",
        pl.col(lower).alias("den_lower"),
        pl.col(upper).alias("den_upper"),
        pl.when(den.found).then(den.year).alias("denominator_year"),
        pl.lit(False).alias("proxied"),
        note.alias("note"),
        pl.col("num_cid").alias("cid1"),
        pl.when(two).then(pl.col("den_cid")).alias("cid2"),
        *_detail(detail, _figure("num_", pl.lit(measure), _cell_year(layout)),
                 _figure("den_", pl.lit(den.measure), den.year),
                 1 + two.cast(pl.Int32)),
    )


def _rate_parts(figures: dict[str, pl.LazyFrame], measure: str, denominators: pl.LazyFrame,
                layout: _Layout, detail: bool) -> pl.LazyFrame:
    """numerator / estimated_victims, the estimate nearest in time (on a tie, the later):
    `denominators` holds it for every cell, with its `year` (null: the country has none)."""
    estimate = _Denominator(
        measure="estimated_victims",
        found=pl.col("den_year").is_not_null(),
        year=pl.col("den_year"),
        missing="No estimate of people in modern slavery for this country.",
        zero="The estimate is zero, so a rate cannot be computed.",
        exact=True,
    )
    return _ratio_parts(figures[measure], measure, denominators, estimate, layout, detail)


def _per_population_parts(figures: dict[str, pl.LazyFrame], measure: str, layout: _Layout,
                          detail: bool) -> pl.LazyFrame:
    """numerator / population of the same year (× 100,000 in `_values`); no other year's
    population stands in."""
    population = _Denominator(
        measure=_POPULATION,
        found=pl.col("den_present"),
        year=_cell_year(layout),
        missing="No World Bank population figure for this country and year.",
        zero="The population figure is zero, so a rate cannot be computed.",
        exact=False,
    )
    return _ratio_parts(figures[measure], measure, figures[_POPULATION], population, layout,
                        detail)
