"""An indicator's card: its value, target, status, coverage, trend and projection in words,
and the sentences each part of a card is made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from indicators.compute import WORLD
from indicators.measures import (
    MEASURES,
    ONE_IN_BELOW,
    PROXY_BASES,
    against_target,
    format_value,
    indicator_meta,
    percent_text,
    sdg_basis_sentence,
    status_text,
    trend_words,
)
from indicators.settings import SERIES_BREAK_FACTOR
from indicators.views.names import UNIVERSE_WORDS, _sources_of, of_universe
from indicators.views.years import YearChoice, default_year


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
    year_note: str = ""
    projection_text: str = ""
    definition: str = ""
    series: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)
    basis: str | None = None
    trend_direction: str | None = None  # improving / worsening / flat / none
    trend_text: str = ""
    break_text: str = ""
    value_hover: str = ""  # the exact value (a percent), for a tooltip


THIN_COVERAGE_COUNTRIES = 5


def share_text(share: float) -> str:
    """A coverage share as a percentage; a small non-zero share is '<1%', never '0%'."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share * 100:.0f}%"


_PROXY_WORDS = {
    "reporting_increase": "victims detected by the authorities (UNODC) stand in for victims "
    "reported, which this country does not publish",
    "data_sharing_countries": "it counts as sharing data because it reported figures to UNODC "
    "that year; no data-sharing flag of its own",
}


def coverage_text(row: dict) -> str:
    """Whose figures a value rests on: a country's own, a proxy, or "N of M countries and
    territories" (the one universe), with the share of estimated victims they hold."""
    counted, total = row.get("countries_counted") or 0, row.get("countries_in_scope")
    is_country = row.get("scope_type") == "country"
    basis = row.get("basis")
    if not counted:
        if is_country:
            reason = f" {row['note']}" if row.get("note") else ""
            return f"This country does not have the figures this needs that year.{reason}"
        return "No country has the figures this needs."
    # SDG 16.2.2: UNODC's published value, or the rate computed where it publishes none
    sdg = sdg_basis_sentence(basis, row.get("scope_type"))
    if is_country:
        if basis in PROXY_BASES:
            return f"From a proxy: {_PROXY_WORDS.get(row.get('indicator') or '', 'see the note')}."
        if basis == "published":
            return sdg
        if sdg:
            return f"This country has the figures; {sdg[0].lower()}{sdg[1:]}"
        return "This country has the figures."
    text = of_universe(counted, total) if total else f"{counted} {UNIVERSE_WORDS}"
    share = row.get("coverage_share")
    if share is not None:
        text += f", {share_text(share)} of estimated victims"
    if basis == "proxy":
        text += "; all from a proxy"
    elif basis == "partly_proxy":
        text += "; partly from a proxy"
    if sdg:
        text += f"; {sdg[0].lower()}{sdg[1:].removesuffix('.')}"
    if counted < THIN_COVERAGE_COUNTRIES:
        text += (f". Only {counted} countr{'y' if counted == 1 else 'ies'}: this value speaks "
                 "for them, not for the whole")
    return text


def series(frame: pl.DataFrame, indicator: str, scope: str) -> pl.DataFrame:
    """One scope's yearly rows for one indicator: year, value, lower, upper, status, target,
    and `thin` (a region's or the world's year with under half its best coverage)."""
    return _series_of(frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope") == scope)
    ).sort("year"))


def _series_of(rows: pl.DataFrame) -> pl.DataFrame:
    """``series`` of one scope's rows of one indicator, in year order."""
    best = rows["countries_counted"].max() or 0
    return rows.select(
        "year", "value", "lower", "upper", "status", "target",
        ((pl.col("scope_type") != "country") & pl.col("lower").is_not_null()
         & (pl.col("countries_counted") * 2 < best)).alias("thin"),
        pl.col("series_break").fill_null(False).alias("series_break"),
    )


def _since(baseline_year: int | None) -> str:
    return f"since {baseline_year}" if baseline_year else "since the baseline year"


def break_sentence(row: dict, indicator: str, baseline_year: int | None = None) -> str:
    """The series-break warning a value carries, or ''. The figure itself is never changed."""
    year = row.get("year")
    if row.get("series_break") and year is not None:
        return (f"Possible break in the series (check the source): the count behind this value "
                f"changed more than {SERIES_BREAK_FACTOR:g}-fold from {year - 1} to {year}.")
    if indicator == "reporting_increase" and row.get("break_year") is not None:
        return (f"The change {_since(baseline_year)} spans a possible break in the series in "
                f"{row['break_year']} (check the source).")
    return ""


def projection_text(row: dict, indicator: str, baseline_year: int | None = None) -> str:
    """Where the trend line reaches by the deadline (targets with a deadline only), never
    below zero: a line that falls further 'falls to zero by 2025'."""
    projected = row.get("projected_at_deadline")
    if projected is None:
        return ""
    meta = indicator_meta(indicator)
    head = "Projection: the trend line"
    deadline = row.get("deadline_year")
    floor = -1.0 if meta.unit == "change" else 0.0
    if projected <= floor:
        end = "falls to −100% (none reported)" if meta.unit == "change" else "falls to zero"
        return f"{head} {end} by {deadline}, the deadline."
    per = " per 100,000 people" if meta.unit == "per_100k" else ""
    # never rounded across the target: +49.59% against +50% reaches '+49.6%', not '+50%'
    shown = format_value(projected, meta.unit, target=row.get("target"))
    return f"{head} reaches {shown}{per} in {deadline}, the deadline."


def trend_text(row: dict, baseline_year: int | None = None, *, with_break: bool = True) -> str:
    """'Trend since 2015: improving.' (towards the target), told apart from the status; says
    when the line spans a possible break in the series (unless ``with_break`` is false)."""
    direction = row.get("trend")
    if direction is None:
        return ""
    if direction == "none":
        return f"Trend: none yet (fewer than 3 yearly values {_since(baseline_year)})."
    text = f"Trend {_since(baseline_year)}: {trend_words(direction)}."
    if with_break and row.get("break_year") is not None:
        text += (f" The line spans a possible break in the series in {row['break_year']} "
                 "(check the source).")
    return text


COUNTRY_DATA_SHARING_TARGET = "sharing active (1 = yes) every year; world: 60+ countries"


def target_text_for(indicator: str, row: dict) -> str:
    """The target as it applies at this level: a country's data-sharing target is its flag."""
    if indicator == "data_sharing_countries" and row.get("scope_type") == "country":
        return COUNTRY_DATA_SHARING_TARGET
    return indicator_meta(indicator).target_text


def value_hover(row: dict, unit: str) -> str:
    """The exact value for a tooltip: '0.010%' beside '1 in 9,900'."""
    if unit != "share":
        return ""
    target = row.get("target")

    def exact(value: float) -> str:  # never rounded across the target ('just under 30%')
        if target is None or value < ONE_IN_BELOW:
            return percent_text(value)
        return against_target(value, unit, target)

    if row.get("value") is not None:
        return exact(row["value"])
    if row.get("lower") is not None and row.get("upper") is not None:
        low, high = exact(row["lower"]), exact(row["upper"])
        return low if low == high else f"{low}–{high}"
    return ""


def card(
    frame: pl.DataFrame,
    indicator: str,
    scope: str = WORLD,
    year: int | None = None,
    baseline_year: int | None = None,
    *,
    page_year: YearChoice | None = None,
) -> Card:
    """One indicator for one scope, in the chosen year, or else in the default year
    (``default_year``; pass it as ``page_year`` when showing several cards). When the scope has
    no figure in the default year, the card shows its latest figure before it (or, with none,
    its first after it) and says so in ``year_note``."""
    meta = indicator_meta(indicator)
    ordered = frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope") == scope)
    ).sort("year")
    records = ordered.to_dicts()  # a few dozen years at most
    with_data = [r["year"] for r in records if r["status"] != "no_data"]
    year_note = ""
    if year is not None:
        chosen: int | None = year
    else:
        wanted = (page_year or default_year(frame)).year
        chosen = wanted
        if wanted is not None and with_data and wanted not in with_data:
            earlier = [y for y in with_data if y < wanted]
            chosen = earlier[-1] if earlier else with_data[0]
            where = "the latest before it" if earlier else "the first after it"
            year_note = (f"No figure for {wanted} (the year the page shows); this is "
                         f"{chosen}'s, {where}.")
    trend = [(int(r["year"]), r["value"] if r["value"] is not None else r["lower"])
             for r in records]
    row = next((r for r in records if r["year"] == chosen), {}) if chosen is not None else {}
    measure = MEASURES.get(indicator)
    return Card(
        indicator=indicator,
        number=meta.number,
        title=meta.title,
        paper_wording=meta.paper_wording,
        year=chosen,
        value_text=format_value(row.get("value"), meta.unit, lower=row.get("lower"),
                                upper=row.get("upper"), target=row.get("target")),
        target_text=target_text_for(indicator, row),
        status=row.get("status") or "no_data",
        status_text=status_text(row.get("status"), row.get("basis")),
        coverage_text=coverage_text(row) if row else "No country has the figures this needs.",
        proxy=row.get("proxy"),
        note=row.get("note"),
        sources=_sources_of(row) if row else "—",
        trend=trend,
        year_note=year_note,
        projection_text=projection_text(row, indicator, baseline_year) if row else "",
        definition=measure.definition if measure else "",
        series=_series_of(ordered),
        basis=row.get("basis"),
        trend_direction=row.get("trend"),
        # indicator 2's break sentence already says what its change (and trend) spans
        trend_text=trend_text(row, baseline_year,
                              with_break=indicator != "reporting_increase") if row else "",
        break_text=break_sentence(row, indicator, baseline_year) if row else "",
        value_hover=value_hover(row, meta.unit) if row else "",
    )


def mixed_years_text(cards: list[Card], page_year: int | None) -> str:
    """One line for above a scope's cards when they show figures of different years (each
    falls back to its latest figure before the page's year): 'The cards show figures of
    different years: 1. Conviction rate 2017; 4. Victim identification rate 2019 (the page's
    year is 2020).' Only the cards whose year differs from the page's are named; '' when
    every card with a figure shows the page's year."""
    other = [c for c in cards if c.year is not None and c.status != "no_data"
             and c.year != page_year]
    if not other:
        return ""
    named = "; ".join(f"{c.number}. {c.title} {c.year}" for c in other)
    tail = f" (the page's year is {page_year})" if page_year is not None else ""
    return f"The cards show figures of different years: {named}{tail}."
