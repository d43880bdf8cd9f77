"""Published figures as people read them: one figure's text, a country's figures over time
(with possible breaks in the series marked) and the table of them.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from indicators.compute import mark_series_breaks
from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.views.names import NO_DATA, SUPPRESSED_TEXT


def figure_text(value: float | None, value_status: str | None, lower: float | None,
                upper: float | None) -> str:
    """One published figure as people read it: '1,240', '<5', '136,000 (estimate)'."""
    if value is None and lower is not None and upper is not None:
        if value_status == "suppressed" and lower == 1 and upper == 4:
            return SUPPRESSED_TEXT
        return f"{lower:,.0f}–{upper:,.0f}"
    if value is None:
        return NO_DATA
    text = f"{value:,.0f}"
    return f"{text} (estimate)" if value_status == "estimate" else text


def measure_series(
    observations: pl.DataFrame, iso3: str, measures: Iterable[str] | None = None
) -> pl.DataFrame:
    """One country's published figures over time, with their source and whether each is a
    possible break in its series (``compute.mark_series_breaks``): the raw-measures chart and
    table."""
    wanted = list(measures) if measures is not None else list(MEASURES)
    rows = observations.filter((pl.col("iso3") == iso3) & pl.col("measure").is_in(wanted))
    order = {m: i for i, m in enumerate(wanted)}
    records = []
    for row in rows.iter_rows(named=True):
        source = row.get("source_citation") or row.get("source_id") or ""
        records.append({
            "iso3": iso3,
            "measure": row["measure"],
            "label": MEASURES[row["measure"]].label if row["measure"] in MEASURES
            else row["measure"],
            "unit": MEASURES[row["measure"]].unit if row["measure"] in MEASURES else "",
            "year": row["year"],
            "value": row["value"],
            "value_status": row["value_status"],
            "lower": row["lower"] if row["value"] is None else row["value"],
            "upper": row["upper"] if row["value"] is None else row["value"],
            "value_text": figure_text(row["value"], row["value_status"], row["lower"],
                                      row["upper"]),
            "source": source,
            "note": row.get("note"),
            "_order": order.get(row["measure"], len(order)),
        })
    schema = {
        "iso3": pl.String, "measure": pl.String, "label": pl.String, "unit": pl.String,
        "year": pl.Int32, "value": pl.Float64, "value_status": pl.String, "lower": pl.Float64,
        "upper": pl.Float64, "value_text": pl.String, "source": pl.String, "note": pl.String,
        "_order": pl.Int64,
    }
    # a jump of more than 3 times from one year to the next is marked, never smoothed away
    return mark_series_breaks(
        pl.DataFrame(records, schema=schema).sort("_order", "year").drop("_order"))


def raw_count_measures() -> list[str]:
    """The counts a country profile draws over time: UNODC's, then uploaded ones (not the
    yes/no flag, not Walk Free's one-year estimates)."""
    from indicators.measures import GLOTIP_MEASURES

    rest = [m for m in MEASURES if not MEASURES[m].is_flag and m not in GLOTIP_MEASURES
            and m not in ("estimated_victims", *CONTEXT_MEASURES)]
    return [*GLOTIP_MEASURES, *rest]


def figures_table(series: pl.DataFrame) -> pl.DataFrame:
    """A country's figures for reading: measure, year, figure as published, kind, source."""
    return series.select(
        pl.col("label").alias("Measure"),
        pl.col("year").alias("Year"),
        pl.col("value_text").alias("Figure"),
        pl.col("value_status").alias("Kind"),
        pl.col("source").alias("Source"),
        pl.col("note").fill_null("").alias("Note"),
    ).sort("Measure", "Year")
