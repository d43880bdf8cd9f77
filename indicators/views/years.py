"""The one year rule: the year every page shows unless one is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from indicators.compute import WORLD
from indicators.views.names import UNIVERSE_WORDS


@dataclass(frozen=True)
class YearChoice:
    year: int | None
    reason: str
    recommended: bool = True


def latest_year_with_data(frame: pl.DataFrame, indicator: str, scope: str = WORLD) -> int | None:
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("scope") == scope)
        & (pl.col("status") != "no_data")
    )
    return None if rows.is_empty() else int(rows["year"].max())


def default_year(frame: pl.DataFrame) -> YearChoice:
    """The year every page shows unless one is chosen: the latest year in which at least half
    as many countries and territories have a figure (of any indicator) as in the best year.

    The newest year often has only the first few countries' figures (UNODC's 2021 column): a
    world value over 60 countries is not comparable with one over 140, and a country profile
    showing that year would mix it with earlier ones. One rule, one year, on every page, for
    every indicator; a card whose own figure is for another year says so (``card``).
    """
    counts = (
        frame.filter((pl.col("scope_type") == "country") & (pl.col("status") != "no_data"))
        .group_by("year").agg(pl.col("scope").n_unique().alias("n")).sort("year")
    )
    if counts.is_empty():
        return YearChoice(None, "No year has the figures the indicators need.")
    best = int(counts["n"].max())
    best_year = int(counts.filter(pl.col("n") == best)["year"].max())
    chosen = counts.filter(pl.col("n") * 2 >= best).row(-1, named=True)
    latest = counts.row(-1, named=True)
    reason = (f"{chosen['year']} is the latest year with figures for at least half as many "
              f"{UNIVERSE_WORDS} as the best year ({chosen['n']}; the most is {best}, in "
              f"{best_year}).")
    if latest["year"] != chosen["year"]:
        reason += f" {latest['year']} has figures for only {latest['n']}."
    return YearChoice(int(chosen["year"]), reason)


def recommended_year(frame: pl.DataFrame, indicator: str | None = None,
                     scope: str = WORLD) -> YearChoice:
    """The default year (``default_year``): one rule for every indicator and scope."""
    del indicator, scope
    return default_year(frame)
