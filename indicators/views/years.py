"""The one year rule: the year every page shows unless one is chosen.
"""

from __future__ import annotations

from collections.abc import Collection
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


def default_year(frame: pl.DataFrame, countries: Collection[str] | None = None
                 ) -> YearChoice:
    """The year a page shows unless one is chosen, for the countries on screen (``countries``;
    None: every country, as for the world and the regions): the latest year in which at least
    half as many of them have a figure (of any indicator) as in their best year. For one
    country, that is the latest year in which it has any figure.

    The newest year often has only the first few countries' figures (UNODC's newest column): a
    world value over 60 countries is not comparable with one over 140. A country's profile
    shows that country's latest year, not the world's (the United Kingdom published no 2022
    totals in UNODC's 2025 release: its profile opens on 2021). A card whose own figure is for
    another year says so (``card``). A country without any figure gets the world's year.
    """
    rows = frame.filter((pl.col("scope_type") == "country") & (pl.col("status") != "no_data"))
    if countries is not None:
        rows = rows.filter(pl.col("scope").is_in(list(countries)))
        if rows.is_empty():
            return default_year(frame)
    counts = rows.group_by("year").agg(pl.col("scope").n_unique().alias("n")).sort("year")
    if counts.is_empty():
        return YearChoice(None, "No year has the figures the indicators need.")
    best = int(counts["n"].max())
    best_year = int(counts.filter(pl.col("n") == best)["year"].max())
    chosen = counts.filter(pl.col("n") * 2 >= best).row(-1, named=True)
    latest = counts.row(-1, named=True)
    if countries is not None and len(countries) == 1:
        reason = f"{chosen['year']} is the latest year with figures for this country."
        newest = frame["year"].max()
        if newest is not None and int(newest) > chosen["year"]:
            reason += f" The data run to {int(newest)}."
        return YearChoice(int(chosen["year"]), reason)
    words = UNIVERSE_WORDS if countries is None else "of the countries shown"
    reason = (f"{chosen['year']} is the latest year with figures for at least half as many "
              f"{words} as the best year ({chosen['n']}; the most is {best}, in "
              f"{best_year}).")
    if latest["year"] != chosen["year"]:
        reason += f" {latest['year']} has figures for only {latest['n']}."
    return YearChoice(int(chosen["year"]), reason)


def recommended_year(frame: pl.DataFrame, indicator: str | None = None,
                     scope: str = WORLD) -> YearChoice:
    """The default year (``default_year``): one rule for every indicator and scope."""
    del indicator, scope
    return default_year(frame)
