"""An indicator's card: its value, target, status, coverage, trend and projection in words,
and the sentences each part of a card is made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from indicators import i18n
from indicators.compute import WORLD
from indicators.i18n import N_
from indicators.measures import (
    DENOMINATOR_NOTE,
    MEASURES,
    PROXY_BASES,
    indicator_meta,
    note_words,
    sdg_basis_sentence,
    status_text,
    trend_words,
)
from indicators.settings import SERIES_BREAK_FACTOR
from indicators.value_text import ONE_IN_BELOW, against_target, format_value, percent_text
from indicators.views.names import _sources_of
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
    "reporting_increase": N_("victims detected by the authorities (UNODC) stand in for victims "
                             "reported, which this country does not publish"),
    "data_sharing_countries": N_("it counts as sharing data because it reported figures to "
                                 "UNODC that year; no data-sharing flag of its own"),
}
NO_COUNTRY_HAS_THE_FIGURES = N_("No country has the figures this needs.")


def _lower_first(text: str) -> str:
    return f"{text[0].lower()}{text[1:]}" if text else text


def coverage_text(row: dict, lang: str | None = None) -> str:
    """Whose figures a value rests on: a country's own, a proxy, or "N of M countries and
    territories" (the one universe), with the share of estimated victims they hold; in
    ``lang`` (English by default)."""
    _, ngettext = i18n.translator(lang), i18n.plural_translator(lang)
    counted, total = row.get("countries_counted") or 0, row.get("countries_in_scope")
    is_country = row.get("scope_type") == "country"
    basis = row.get("basis")
    if not counted:
        if is_country:
            reason = f" {row['note']}" if row.get("note") else ""
            return _("This country does not have the figures this needs that year.") + reason
        return _(NO_COUNTRY_HAS_THE_FIGURES)
    # SDG 16.2.2: UNODC's published value, or the rate computed where it publishes none
    sdg = sdg_basis_sentence(basis, row.get("scope_type"), _)
    if is_country:
        if basis in PROXY_BASES:
            words = _PROXY_WORDS.get(row.get("indicator") or "", N_("see the note"))
            return _("From a proxy: {what}.").format(what=_(words))
        if basis == "published":
            return sdg
        if sdg:
            return _("This country has the figures; {basis}").format(basis=_lower_first(sdg))
        return _("This country has the figures.")
    if total:
        text = _("{count} of {total} countries and territories").format(
            count=i18n.number(counted, lang), total=i18n.number(total, lang))
    else:
        text = _("{count} countries and territories").format(count=i18n.number(counted, lang))
    share = row.get("coverage_share")
    if share is not None:
        text += _(", {share} of estimated victims").format(
            share=i18n.localise_value(share_text(share), lang))
    if basis == "proxy":
        text += _("; all from a proxy")
    elif basis == "partly_proxy":
        text += _("; partly from a proxy")
    if sdg:
        text += f"; {_lower_first(sdg).removesuffix('.')}"
    if counted < THIN_COVERAGE_COUNTRIES:
        text += ngettext(". Only {count} country: this value speaks for them, not for the whole",
                         ". Only {count} countries: this value speaks for them, not for the "
                         "whole", counted).format(count=i18n.number(counted, lang))
    return text


def series(frame: pl.DataFrame, indicator: str, scope: str) -> pl.DataFrame:
    """One scope's yearly rows for one indicator: year, value, lower, upper, status, target,
    and `thin` (a region's or the world's year with under half its best coverage)."""
    ordered, records = _rows_of(frame, indicator, scope)
    return _series_of(ordered, records)


# A frame this short may already be one indicator's rows for one scope in year order (a caller
# that split the frame by indicator and scope): checked row by row in Python, which is quicker
# than Polars' filter and sort on a few dozen rows. Longer frames are filtered as ever.
_CHECKED_ROWS = 256


def _rows_of(frame: pl.DataFrame, indicator: str, scope: str) -> tuple[pl.DataFrame, list[dict]]:
    """``frame``'s rows of ``indicator`` for ``scope`` in year order, as a frame and as dicts.
    When every row of a short ``frame`` is of that indicator and scope and its years rise
    strictly (no year twice, none missing), filtering and sorting would give ``frame`` itself,
    so it is returned as it is."""
    if frame.height <= _CHECKED_ROWS:
        years = frame.get_column("year").to_list()
        if (all(y is not None for y in years)
                and all(a < b for a, b in zip(years, years[1:], strict=False))
                and all(i == indicator for i in frame.get_column("indicator").to_list())
                and all(s == scope for s in frame.get_column("scope").to_list())):
            return frame, frame.to_dicts()
    ordered = frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope") == scope)
    ).sort("year")
    return ordered, ordered.to_dicts()


def _and(a: bool | None, b: bool | None) -> bool | None:
    """Polars' (Kleene's) AND of two nullable booleans: false wins, then null."""
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _series_of(rows: pl.DataFrame, records: list[dict]) -> pl.DataFrame:
    """``series`` of one scope's rows of one indicator, in year order (``records``: the same
    rows as dicts). The same frame as the Polars expressions it replaced give (tested in
    tests/unit/test_views.py, ``_series_of_expr``), worked out in Python on the few dozen
    rows: a Polars query costs more than the work on a frame this short."""
    counts = [r["countries_counted"] for r in records]
    best = max((c for c in counts if c is not None), default=None) or 0
    thin = [
        _and(_and(None if r["scope_type"] is None else r["scope_type"] != "country",
                  r["lower"] is not None),
             None if count is None else count * 2 < best)
        for r, count in zip(records, counts, strict=True)
    ]
    breaks = rows.get_column("series_break")
    if breaks.dtype == pl.Boolean and breaks.null_count():  # Series.fill_null is a whole query
        breaks = pl.Series("series_break", [b is True for b in breaks.to_list()],
                           dtype=pl.Boolean)
    elif breaks.dtype != pl.Boolean:
        breaks = breaks.fill_null(False)
    return pl.DataFrame([
        *(rows.get_column(name) for name in ("year", "value", "lower", "upper", "status",
                                             "target")),
        pl.Series("thin", thin, dtype=pl.Boolean),
        breaks,
    ])


def _since(baseline_year: int | None, lang: str | None = None) -> str:
    _ = i18n.translator(lang)
    return (_("since {year}").format(year=baseline_year) if baseline_year
            else _("since the baseline year"))


def break_sentence(row: dict, indicator: str, baseline_year: int | None = None,
                   lang: str | None = None) -> str:
    """The series-break warning a value carries, or '', in ``lang`` (English by default). The
    figure itself is never changed."""
    _ = i18n.translator(lang)
    year = row.get("year")
    if row.get("series_break") and year is not None:
        return _("Possible break in the series (check the source): the count behind this value "
                 "changed more than {factor}-fold from {before} to {year}.").format(
            factor=i18n.localise_value(f"{SERIES_BREAK_FACTOR:g}", lang), before=year - 1,
            year=year)
    if indicator == "reporting_increase" and row.get("break_year") is not None:
        return _("The change {since} spans a possible break in the series in {year} (check the "
                 "source).").format(since=_since(baseline_year, lang), year=row["break_year"])
    return ""


def projection_text(row: dict, indicator: str, baseline_year: int | None = None,
                    lang: str | None = None) -> str:
    """Where the trend line reaches by the deadline (targets with a deadline only), never
    below zero: a line that falls further 'falls to zero by 2025'; in ``lang`` (English by
    default)."""
    _ = i18n.translator(lang)
    projected = row.get("projected_at_deadline")
    if projected is None:
        return ""
    meta = indicator_meta(indicator)
    deadline = row.get("deadline_year")
    floor = -1.0 if meta.unit == "change" else 0.0
    if projected <= floor:
        if meta.unit == "change":
            return _("Projection: the trend line falls to −100% (none reported) by {deadline}, "
                     "the deadline.").format(deadline=deadline)
        return _("Projection: the trend line falls to zero by {deadline}, the deadline.").format(
            deadline=deadline)
    # never rounded across the target: +49.59% against +50% reaches '+49.6%', not '+50%'
    shown = i18n.localise_value(format_value(projected, meta.unit, target=row.get("target")),
                                lang)
    if meta.unit == "per_100k":
        return _("Projection: the trend line reaches {value} per 100,000 people in {deadline}, "
                 "the deadline.").format(value=shown, deadline=deadline)
    return _("Projection: the trend line reaches {value} in {deadline}, the deadline.").format(
        value=shown, deadline=deadline)


def trend_text(row: dict, baseline_year: int | None = None, *, with_break: bool = True,
               lang: str | None = None) -> str:
    """'Trend since 2015: improving.' (towards the target), told apart from the status; says
    when the line spans a possible break in the series (unless ``with_break`` is false); in
    ``lang`` (English by default)."""
    _ = i18n.translator(lang)
    direction = row.get("trend")
    if direction is None:
        return ""
    since = _since(baseline_year, lang)
    if direction == "none":
        return _("Trend: none yet (fewer than 3 yearly values {since}).").format(since=since)
    text = _("Trend {since}: {words}.").format(since=since, words=trend_words(direction, _))
    if with_break and row.get("break_year") is not None:
        text += " " + _("The line spans a possible break in the series in {year} (check the "
                        "source).").format(year=row["break_year"])
    return text


COUNTRY_DATA_SHARING_TARGET = N_("sharing active (1 = yes) every year; world: 60+ countries")


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
    lang: str | None = None,
) -> Card:
    """One indicator for one scope, in the chosen year, or else in the default year
    (``default_year``; pass it as ``page_year`` when showing several cards). When the scope has
    no figure in the default year, the card shows its latest figure before it (or, with none,
    its first after it) and says so in ``year_note``. The sentences about coverage, trend,
    projection, breaks and years are in ``lang`` (English by default), and so are the proxy
    note (but the denominator's, which the pages tell apart and say once above the cards) and
    the definition; the title, value, target and status stay English (the page translates
    them)."""
    _ = i18n.translator(lang)
    meta = indicator_meta(indicator)
    ordered, records = _rows_of(frame, indicator, scope)  # a few dozen years at most
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
            year_note = (_("No figure for {wanted} (the year the page shows); this is "
                           "{chosen}'s, the latest before it.") if earlier else
                         _("No figure for {wanted} (the year the page shows); this is "
                           "{chosen}'s, the first after it.")).format(wanted=wanted,
                                                                     chosen=chosen)
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
        coverage_text=coverage_text(row, lang) if row else _(NO_COUNTRY_HAS_THE_FIGURES),
        proxy=row.get("proxy") if str(row.get("proxy")).startswith(DENOMINATOR_NOTE) else
        note_words(row.get("proxy"), lang) or None,
        note=row.get("note"),
        sources=_sources_of(row) if row else "—",
        trend=trend,
        year_note=year_note,
        projection_text=projection_text(row, indicator, baseline_year, lang) if row else "",
        definition=_(measure.definition) if measure else "",
        series=_series_of(ordered, records),
        basis=row.get("basis"),
        trend_direction=row.get("trend"),
        # indicator 2's break sentence already says what its change (and trend) spans
        trend_text=trend_text(row, baseline_year, with_break=indicator != "reporting_increase",
                              lang=lang) if row else "",
        break_text=break_sentence(row, indicator, baseline_year, lang) if row else "",
        value_hover=value_hover(row, meta.unit) if row else "",
    )


def mixed_years_text(cards: list[Card], page_year: int | None, lang: str | None = None) -> str:
    """One line for above a scope's cards when they show figures of different years (each
    falls back to its latest figure before the page's year): 'The cards show figures of
    different years: 1. Conviction rate 2017; 4. Victim identification rate 2019 (the page's
    year is 2020).' Only the cards whose year differs from the page's are named; '' when
    every card with a figure shows the page's year. In ``lang`` (English by default)."""
    _ = i18n.translator(lang)
    other = [c for c in cards if c.year is not None and c.status != "no_data"
             and c.year != page_year]
    if not other:
        return ""
    named = "; ".join(f"{c.number}. {_(c.title)} {c.year}" for c in other)
    if page_year is None:
        return _("The cards show figures of different years: {cards}.").format(cards=named)
    return _("The cards show figures of different years: {cards} (the page's year is "
             "{year}).").format(cards=named, year=page_year)
