"""What the computation gives: the output frame's columns, the shape of a row's inputs, and
the order of the indicators.
"""

from __future__ import annotations

import polars as pl

from indicators.measures import INDICATORS

WORLD = "WORLD"

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
