"""The paper's context figures, measured on our data: world ratios of UNODC GLOTIP
national totals, the same ratio-of-sums rule as the indicators'.
"""

from __future__ import annotations

import polars as pl

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
