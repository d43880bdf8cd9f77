"""Per country and year: every indicator's numerator and denominator in one frame (the
country parts), and the value, proxy note, basis and citations of each country row.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.breaks import _series_breaks
from indicators.compute.changes import _reporting_parts
from indicators.compute.counts import _count_parts, _data_sharing_parts
from indicators.compute.frame import _INPUT_FIELDS, _Layout
from indicators.compute.rates import _RATE_NUMERATORS, _per_population_parts, _rate_parts
from indicators.compute.schema import _INDEX, _KEYS
from indicators.compute.sources import _masks
from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    INDICATORS,
    PER_100K,
    REPORTING_PROXY_NOTE,
)
from indicators.settings import IndicatorSettings

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
