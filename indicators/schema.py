"""Pandera models (polars backend) for the long observation frame every source is shaped into.

A bundled source and an NGO upload pass the same model before anything is written.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from indicators.columns import LONG_COLUMNS
from indicators.measures import MEASURES, VALUE_STATUSES, is_known_measure
from indicators.settings import EARLIEST_YEAR

# Published series go further back than contributed figures: the World Bank's population
# series starts in 1960.
EARLIEST_PUBLISHED_YEAR = 1960


def latest_allowed_year() -> int:
    """Figures are for past or current years, never the future."""
    return dt.date.today().year


class LongObservations(pa.DataFrameModel):
    """One figure per row: a country, a year, a measure, and how sure we are of it."""

    iso3: str = pa.Field(str_matches=r"^[A-Z]{3}$")
    year: int = pa.Field(ge=EARLIEST_YEAR)
    measure: str = pa.Field(isin=sorted(MEASURES))
    value: float = pa.Field(nullable=True, ge=0)
    value_status: str = pa.Field(isin=list(VALUE_STATUSES))
    lower: float = pa.Field(nullable=True, ge=0)
    upper: float = pa.Field(nullable=True, ge=0)
    source_id: str = pa.Field(str_length={"min_value": 1})
    note: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["iso3", "year", "measure"]

    @pa.check("year", name="not_in_future")
    @classmethod
    def year_not_in_future(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key) <= latest_allowed_year())

    @pa.dataframe_check(name="value_matches_status")
    @classmethod
    def value_matches_status(cls, data: PolarsData) -> pl.LazyFrame:
        """A suppressed figure has bounds and no value; any other figure has a value."""
        suppressed = pl.col("value_status") == "suppressed"
        return data.lazyframe.select(
            pl.when(suppressed)
            .then(
                pl.col("value").is_null()
                & pl.col("lower").is_not_null()
                & pl.col("upper").is_not_null()
                & (pl.col("lower") <= pl.col("upper"))
            )
            .otherwise(pl.col("value").is_not_null())
            .alias("value_matches_status")
        )

    @pa.dataframe_check(name="flag_is_zero_or_one")
    @classmethod
    def flag_is_zero_or_one(cls, data: PolarsData) -> pl.LazyFrame:
        flags = [name for name, m in MEASURES.items() if m.is_flag]
        return data.lazyframe.select(
            (~pl.col("measure").is_in(flags) | pl.col("value").is_in([0.0, 1.0])).alias(
                "flag_is_zero_or_one"
            )
        )


class PublishedObservations(LongObservations):
    """A publisher's release: also breakdowns (`victims_detected|sex=female`, see
    measures.parse_measure) and years back to 1960. Contributed figures use LongObservations."""

    year: int = pa.Field(ge=EARLIEST_PUBLISHED_YEAR)
    measure: str = pa.Field()

    @pa.check("measure", name="known_measure")
    @classmethod
    def known_measure(cls, data: PolarsData) -> pl.LazyFrame:
        names = data.lazyframe.select(pl.col(data.key).unique()).collect()[data.key].to_list()
        known = {name: is_known_measure(name) for name in names if name is not None}
        return data.lazyframe.select(
            pl.col(data.key).replace_strict(known, default=False, return_dtype=pl.Boolean))


def empty_long_frame() -> pl.DataFrame:
    """A long frame with no rows and the right types."""
    return pl.DataFrame(schema=LONG_COLUMNS)


def to_long_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Select and cast the long columns in their canonical order (missing optional ones null)."""
    columns = []
    for name, dtype in LONG_COLUMNS.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype, strict=False))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns)
