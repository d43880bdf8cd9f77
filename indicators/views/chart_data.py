"""The data behind each indicator chart (lines, ranking bars, the map): exactly the rows
one chart draws, which is also its CSV download.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from indicators.measures import format_value, indicator_meta, status_text
from indicators.views.names import _sources_of, country_values_are_flags, is_country_code

_DATA_COLUMNS = (
    "indicator", "scope", "name", "scope_type", "year", "value", "lower", "upper", "value_text",
    "status", "status_text", "basis", "trend", "series_break", "break_year", "target",
    "countries_counted", "countries_in_scope", "coverage_share", "denominator_year", "source",
    "proxy", "note",
)


def _shape(rows: pl.DataFrame, indicator: str, names: dict[str, str]) -> pl.DataFrame:
    meta = indicator_meta(indicator)
    records = []
    for row in rows.iter_rows(named=True):
        records.append({
            "indicator": indicator,
            "scope": row["scope"],
            "name": names.get(row["scope"], row["scope"]),
            "scope_type": row["scope_type"],
            "year": row["year"],
            "value": row["value"],
            "lower": row["lower"],
            "upper": row["upper"],
            "value_text": format_value(row["value"], meta.unit, lower=row["lower"],
                                       upper=row["upper"]),
            "status": row["status"],
            "status_text": status_text(row["status"], row.get("basis")),
            "basis": row.get("basis"),
            "trend": row.get("trend"),
            "series_break": bool(row.get("series_break")),
            "break_year": row.get("break_year"),
            "target": row["target"],
            "countries_counted": row["countries_counted"],
            "countries_in_scope": row["countries_in_scope"],
            "coverage_share": row["coverage_share"],
            "denominator_year": row["denominator_year"],
            "source": _sources_of(row) if row["status"] != "no_data" else "",
            "proxy": row["proxy"],
            "note": row["note"],
        })
    schema = {
        "indicator": pl.String, "scope": pl.String, "name": pl.String, "scope_type": pl.String,
        "year": pl.Int32, "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64,
        "value_text": pl.String, "status": pl.String, "status_text": pl.String,
        "basis": pl.String, "trend": pl.String, "series_break": pl.Boolean,
        "break_year": pl.Int32, "target": pl.Float64, "countries_counted": pl.Int32,
        "countries_in_scope": pl.Int32,
        "coverage_share": pl.Float64, "denominator_year": pl.Int32, "source": pl.String,
        "proxy": pl.String, "note": pl.String,
    }
    return pl.DataFrame(records, schema=schema).select(_DATA_COLUMNS)


def lines_data(
    frame: pl.DataFrame,
    indicator: str,
    scopes: Sequence[str],
    years: tuple[int, int],
    names: dict[str, str],
) -> pl.DataFrame:
    """The rows a line chart draws: each scope (in the order given) for every year in range.

    For indicator 3 a single country's value is a 1/0 flag, not a count of countries; those
    rows are left out of the line chart (the table and the map show them).
    """
    wanted = [s for s in scopes if not (country_values_are_flags(indicator)
                                        and is_country_code(s))]
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & pl.col("scope").is_in(wanted)
        & pl.col("year").is_between(years[0], years[1])
    )
    order = {s: i for i, s in enumerate(wanted)}
    rows = rows.with_columns(pl.col("scope").replace_strict(order, default=len(order))
                             .alias("_order")).sort("_order", "year").drop("_order")
    return _shape(rows, indicator, names)


def ranking_data(
    frame: pl.DataFrame,
    indicator: str,
    year: int,
    scopes: Sequence[str],
    names: dict[str, str],
) -> pl.DataFrame:
    """The rows a ranking bar chart draws: each scope in one year, highest value first (a
    range ranks by its lower end), scopes without data last."""
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & pl.col("scope").is_in(list(scopes))
        & (pl.col("year") == year)
    )
    shaped = _shape(rows, indicator, names)
    return shaped.with_columns(
        pl.coalesce("value", "lower").alias("_rank")
    ).sort(["_rank", "name"], descending=[True, False], nulls_last=True).drop("_rank")


def latest_figures(
    frame: pl.DataFrame,
    indicator: str,
    year: int,
    first_year: int,
    names: dict[str, str],
    regions: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Every country's latest figure from ``first_year`` up to ``year`` (the map and table).

    A country with no figure in that window gets one row with status 'no_data' and no year.
    """
    country_rows = frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope_type") == "country")
    )
    with_data = country_rows.filter(
        (pl.col("status") != "no_data") & pl.col("year").is_between(first_year, year)
    ).sort("year").group_by("scope", maintain_order=True).last()
    missing = (
        country_rows.select("scope").unique()
        .join(with_data.select("scope"), on="scope", how="anti")
    )
    empty = country_rows.filter(pl.col("year") == year).join(missing, on="scope", how="semi")
    empty = empty.with_columns(pl.lit(None, dtype=pl.Int32).alias("year"))
    shaped = _shape(pl.concat([with_data, empty.select(with_data.columns)]), indicator, names)
    region_of = regions or {}
    shaped = shaped.with_columns(
        pl.col("scope").replace_strict(region_of, default=None, return_dtype=pl.String)
        .alias("region")
    )
    return shaped.with_columns(pl.coalesce("value", "lower").alias("_rank")).sort(
        ["_rank", "name"], descending=[True, False], nulls_last=True
    ).drop("_rank")
