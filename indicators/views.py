"""Indicator rows shaped for reading: cards and tables with words, not codes.

Formatting only (no indicator maths): pages and exports call these so a value reads the same
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from indicators.compute import WORLD
from indicators.measures import INDICATORS, format_value, status_text


@dataclass(frozen=True)
class Card:
    indicator: str
    number: int
    title: str
    paper_wording: str
    year: int | None
    value_text: str
    target_text: str
    status: str
    status_text: str
    coverage_text: str
    proxy: str | None
    note: str | None
    sources: str
    trend: list[tuple[int, float | None]]


def latest_year_with_data(frame: pl.DataFrame, indicator: str, scope: str = WORLD) -> int | None:
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("scope") == scope)
        & (pl.col("status") != "no_data")
    )
    return None if rows.is_empty() else int(rows["year"].max())


def coverage_text(row: dict) -> str:
    counted, total = row.get("countries_counted") or 0, row.get("countries_in_scope")
    if not counted:
        return "No country has the figures this needs."
    text = f"{counted} of {total} countries" if total else f"{counted} countries"
    share = row.get("coverage_share")
    if share is not None:
        text += f", {share * 100:.0f}% of estimated victims"
    return text


def _sources_of(row: dict) -> str:
    names = sorted({i["source"] for i in row.get("inputs") or [] if i.get("source")})
    joined = "; ".join(names)
    return "; ".join(sorted(set(joined.split("; ")))) if joined else "—"


def card(frame: pl.DataFrame, indicator: str, scope: str = WORLD, year: int | None = None) -> Card:
    """One indicator for one scope: the latest year with data unless a year is given."""
    meta = INDICATORS[indicator]
    chosen = year if year is not None else latest_year_with_data(frame, indicator, scope)
    series = frame.filter((pl.col("indicator") == indicator) & (pl.col("scope") == scope)).sort(
        "year"
    )
    trend = [
        (int(r["year"]), r["value"] if r["value"] is not None else r["lower"])
        for r in series.iter_rows(named=True)
    ]
    rows = series.filter(pl.col("year") == chosen).to_dicts() if chosen is not None else []
    row = rows[0] if rows else {}
    return Card(
        indicator=indicator,
        number=meta.number,
        title=meta.title,
        paper_wording=meta.paper_wording,
        year=chosen,
        value_text=format_value(row.get("value"), meta.unit, lower=row.get("lower"),
                                upper=row.get("upper")),
        target_text=meta.target_text,
        status=row.get("status") or "no_data",
        status_text=status_text(row.get("status")),
        coverage_text=coverage_text(row) if row else "No country has the figures this needs.",
        proxy=row.get("proxy"),
        note=row.get("note"),
        sources=_sources_of(row) if row else "—",
        trend=trend,
    )


def country_table(
    frame: pl.DataFrame, countries: pl.DataFrame, indicator: str, year: int
) -> pl.DataFrame:
    """Every country for one indicator and year: value in words, status, year of the
    denominator and the sources. Countries without the figures say 'no data'."""
    meta = INDICATORS[indicator]
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("scope_type") == "country")
        & (pl.col("year") == year)
    ).join(
        countries.select(pl.col("iso3").alias("scope"), "name", "region"), on="scope", how="left"
    )
    records = []
    for row in rows.iter_rows(named=True):
        records.append(
            {
                "Country": row["name"] or row["scope"],
                "ISO3": row["scope"],
                "Region": row["region"] or "—",
                "Value": format_value(row["value"], meta.unit, lower=row["lower"],
                                      upper=row["upper"]),
                "Status": status_text(row["status"]),
                "Year": row["year"],
                "Estimate year": row["denominator_year"],
                "Source": _sources_of(row),
                "Note": " ".join(p for p in (row["note"], row["proxy"]) if p) or "",
                "sort_value": row["value"] if row["value"] is not None else row["lower"],
            }
        )
    schema = {
        "Country": pl.String, "ISO3": pl.String, "Region": pl.String, "Value": pl.String,
        "Status": pl.String, "Year": pl.Int32, "Estimate year": pl.Int32, "Source": pl.String,
        "Note": pl.String, "sort_value": pl.Float64,
    }
    table = pl.DataFrame(records, schema=schema)
    return table.sort(["sort_value", "Country"], descending=[True, False], nulls_last=True).drop(
        "sort_value"
    )
