"""The one year rule: the year every page shows unless one is chosen.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import polars as pl

from indicators import i18n
from indicators.compute import WORLD


@dataclass(frozen=True)
class YearChoice:
    year: int | None
    reason: str
    recommended: bool = True
    # what the reason says, for saying it in another language (``year_reason``): the rule's
    # case ('none', 'country', 'world', 'shown') and its figures
    facts: tuple = field(default=(), compare=False)


def year_reason(choice: YearChoice, lang: str | None = None) -> str:
    """Why a page shows ``choice``'s year, in ``lang`` (English by default: the choice's own
    ``reason``)."""
    if not choice.facts:
        return choice.reason
    return _reason(choice.facts, lang)


def _reason(facts: tuple, lang: str | None) -> str:
    _, ngettext = i18n.translator(lang), i18n.plural_translator(lang)
    case, *figures = facts
    if case == "none":
        return _("No year has the figures the indicators need.")
    if case == "country":
        year, newest = figures
        text = _("{year} is the latest year with figures for this country.").format(year=year)
        if newest is not None:
            text += " " + _("The data run to {year}.").format(year=newest)
        return text
    year, n, best, best_year, latest_year, latest_n = figures
    if case == "world":
        text = _("{year} is the latest year with figures for at least half as many countries "
                 "and territories as the best year ({n}; the most is {best}, in "
                 "{best_year}).")
    else:
        text = _("{year} is the latest year with figures for at least half as many of the "
                 "countries shown as the best year ({n}; the most is {best}, in {best_year}).")
    text = text.format(year=year, n=i18n.number(n, lang), best=i18n.number(best, lang),
                       best_year=best_year)
    if latest_year != year:
        text += " " + ngettext("{year} has figures for only {n}.",
                               "{year} has figures for only {n}.", latest_n).format(
            year=latest_year, n=i18n.number(latest_n, lang))
    return text


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
        return _choice(None, ("none",))
    best = int(counts["n"].max())
    best_year = int(counts.filter(pl.col("n") == best)["year"].max())
    chosen = counts.filter(pl.col("n") * 2 >= best).row(-1, named=True)
    latest = counts.row(-1, named=True)
    if countries is not None and len(countries) == 1:
        newest = frame["year"].max()
        later = int(newest) if newest is not None and int(newest) > chosen["year"] else None
        return _choice(int(chosen["year"]), ("country", int(chosen["year"]), later))
    return _choice(int(chosen["year"]), (
        "world" if countries is None else "shown", int(chosen["year"]), int(chosen["n"]), best,
        best_year, int(latest["year"]), int(latest["n"])))


def _choice(year: int | None, facts: tuple) -> YearChoice:
    return YearChoice(year, _reason(facts, None), facts=facts)


def recommended_year(frame: pl.DataFrame, indicator: str | None = None,
                     scope: str = WORLD) -> YearChoice:
    """The default year (``default_year``): one rule for every indicator and scope."""
    del indicator, scope
    return default_year(frame)
