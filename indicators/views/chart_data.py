"""The data behind each indicator chart (lines, ranking bars, the map): exactly the rows
one chart draws, which is also its CSV download.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

import polars as pl

from indicators.i18n import N_
from indicators.measures import indicator_meta, status_text
from indicators.value_text import format_value
from indicators.views.names import _sources_of, country_values_are_flags, is_country_code

# The columns of every indicator chart's rows, in their order, and their types.
_DATA_COLUMNS = {
    "indicator": pl.String, "scope": pl.String, "name": pl.String, "scope_type": pl.String,
    "year": pl.Int32, "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64,
    "value_text": pl.String, "status": pl.String, "status_text": pl.String,
    "basis": pl.String, "trend": pl.String, "series_break": pl.Boolean,
    "break_year": pl.Int32, "target": pl.Float64, "countries_counted": pl.Int32,
    "countries_in_scope": pl.Int32,
    "coverage_share": pl.Float64, "denominator_year": pl.Int32, "source": pl.String,
    "proxy": pl.String, "note": pl.String,
}


def _records(rows: Iterable[dict], indicator: str, names: dict[str, str]) -> list[dict]:
    """Indicator rows (dicts of the indicator frame's columns) as a chart's rows read them:
    named, their value and status written out, their sources cited (``_DATA_COLUMNS``)."""
    meta = indicator_meta(indicator)
    records = []
    for row in rows:
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
                                       upper=row["upper"], target=row.get("target")),
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
    return records


def _frame(records: list[dict], **more: pl.DataType) -> pl.DataFrame:
    """``_records`` as a frame of ``_DATA_COLUMNS`` (and ``more`` columns after them, which
    every record holds)."""
    return pl.DataFrame(records, schema={**_DATA_COLUMNS, **more})


def _shape(rows: pl.DataFrame, indicator: str, names: dict[str, str]) -> pl.DataFrame:
    """``_records`` of a frame's rows, as a frame."""
    return _frame(_records(rows.iter_rows(named=True), indicator, names))


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
    # a few dozen rows: put in order in Python (one row a scope and year)
    order = {s: i for i, s in enumerate(wanted)}
    ordered = sorted(rows.iter_rows(named=True),
                     key=lambda r: (order.get(r["scope"], len(order)), r["year"]))
    return _frame(_records(ordered, indicator, names))


def has_target(rows: pl.DataFrame) -> bool:
    """Whether any of a chart's rows has a target at its level (read in Python: a chart's few
    rows)."""
    return any(target is not None for target in rows["target"].to_list())


# -- ranking: one stated rule ---------------------------------------------------------------------
RANK_RULE = N_(
    "Ranked highest first by value; a range (a '<5' figure: 1 to 4) by its upper end, the "
    "highest value it could have. '=3': the row's range overlaps another row's, so the "
    "figures cannot tell their places apart; 3 is the highest place it could hold (1 + the "
    "rows surely above it)."
)


def rank_value() -> pl.Expr:
    """The number a row is ranked by (RANK_RULE): its value, or a range's upper end. Ranked so,
    each row's highest possible place (``tie_ranks``) never falls below the next row's."""
    return pl.coalesce("value", "upper")


def tie_ranks(lows: Sequence[float | None], highs: Sequence[float | None]) -> list[str]:
    """Each row's rank by RANK_RULE, from its interval (an exact value is an interval of one
    point; a row without a figure has none and no rank: ''). A row is surely above another
    when its lower end is above the other's upper end. A row that overlaps no other is
    ranked 1 + the rows surely above it ('4'); one that overlaps another shares the place:
    '=3', 3 being 1 + the rows surely above it, the highest place it could hold."""
    spans = [(lo, hi) for lo, hi in zip(lows, highs, strict=True)
             if lo is not None and hi is not None]
    all_lows, all_highs = sorted(lo for lo, _ in spans), sorted(hi for _, hi in spans)
    ranks = []
    for low, high in zip(lows, highs, strict=True):
        if low is None or high is None:
            ranks.append("")
            continue
        above = len(all_lows) - bisect_right(all_lows, high)  # lower ends above its upper end
        below = bisect_left(all_highs, low)  # upper ends below its lower end
        tied = above + below < len(spans) - 1  # some other row neither surely above nor below
        ranks.append(f"={above + 1}" if tied else str(above + 1))
    return ranks


def ranking_data(
    frame: pl.DataFrame,
    indicator: str,
    year: int,
    scopes: Sequence[str],
    names: dict[str, str],
) -> pl.DataFrame:
    """The rows a ranking bar chart draws: each scope in one year, highest first by RANK_RULE
    (a range by its upper end), scopes without data last; `rank` gives each place, '=3' for
    rows whose ranges overlap (``tie_ranks``)."""
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & pl.col("scope").is_in(list(scopes))
        & (pl.col("year") == year)
    )
    records = sorted(_records(rows.iter_rows(named=True), indicator, names), key=_rank_order)
    ranks = tie_ranks([_first_given(r["lower"], r["value"]) for r in records],
                      [_first_given(r["upper"], r["value"]) for r in records])
    for record, rank in zip(records, ranks, strict=True):
        record["rank"] = rank
    return _frame(records, rank=pl.String)


def _rank_order(record: dict) -> tuple[bool, float, str]:
    """A chart row's place in a ranking: by ``rank_value`` (its value, or a range's upper end),
    highest first, then by name; rows without one last (a few rows: sorted in Python)."""
    by = _first_given(record["value"], record["upper"])
    return by is None, -by if by is not None else 0.0, record["name"]


def _first_given(first: float | None, second: float | None) -> float | None:
    """``pl.coalesce`` of two values."""
    return first if first is not None else second


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
    return shaped.with_columns(rank_value().alias("_rank")).sort(
        ["_rank", "name"], descending=[True, False], nulls_last=True
    ).drop("_rank")
